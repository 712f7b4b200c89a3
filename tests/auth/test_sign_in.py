"""`sign_in`: the one place a sign-in completes; credentials come after, from auth."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import func, select

from msmebazaar.auth.models import AuthSession, RefreshToken
from msmebazaar.auth.schemas import Language, OtpVerify
from msmebazaar.auth.service import OtpInvalidError, SignIn, sign_in
from msmebazaar.auth.tokens import TokenCodec
from msmebazaar.shared.config import Settings
from msmebazaar.shared.db import Database
from tests.auth.factories import (
    ME,
    OTP_VERIFY,
    REFRESH,
    bearer,
    make_user,
    new_phone,
    request_code,
)


async def _refresh_rows(database: Database, session_id: uuid.UUID) -> int:
    async with database.session() as session:
        count = await session.scalar(
            select(func.count(RefreshToken.id)).where(RefreshToken.session_id == session_id)
        )
    return int(count or 0)


async def _sign_in(
    client: httpx.AsyncClient, database: Database, codec: TokenCodec, settings: Settings, phone: str
) -> SignIn:
    code = await request_code(client, phone)
    signed_in = await sign_in(
        database,
        codec,
        settings,
        OtpVerify(phone=phone, code=code),
        phone=phone,
        language=Language.HI,
        user_agent="pytest",
    )
    assert isinstance(signed_in, SignIn), "no second factor here"
    return signed_in


async def test_sign_in_opens_a_session_and_issues_no_refresh_token(
    client: httpx.AsyncClient, database: Database, codec: TokenCodec, settings: Settings
) -> None:
    phone = new_phone()

    signed_in = await _sign_in(client, database, codec, settings, phone)

    assert signed_in.new_user is True
    principal = signed_in.principal
    assert (principal.user.phone, principal.user.language) == (phone, Language.HI)
    async with database.session() as session:
        row = await session.get(AuthSession, signed_in.session_id)
    assert row is not None
    assert (row.user_id, row.user_agent, row.revoked_at) == (principal.id, "pytest", None)
    assert await _refresh_rows(database, signed_in.session_id) == 0


async def test_sign_in_tells_an_existing_user_from_a_new_one(
    client: httpx.AsyncClient, database: Database, codec: TokenCodec, settings: Settings
) -> None:
    user = await make_user(database, language="en")

    signed_in = await _sign_in(client, database, codec, settings, user.phone)

    assert signed_in.new_user is False
    assert signed_in.principal.id == user.id
    assert signed_in.principal.user.language == Language.EN  # a saved choice is kept


async def test_sign_in_with_a_wrong_code_raises_auths_error(
    client: httpx.AsyncClient, database: Database, codec: TokenCodec, settings: Settings
) -> None:
    phone = new_phone()
    code = await request_code(client, phone)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    with pytest.raises(OtpInvalidError):
        await sign_in(
            database,
            codec,
            settings,
            OtpVerify(phone=phone, code=wrong),
            phone=phone,
            language=Language.EN,
            user_agent=None,
        )


async def test_an_api_sign_in_gets_working_tokens_of_its_own_session(
    client: httpx.AsyncClient, database: Database, codec: TokenCodec
) -> None:
    phone = new_phone()
    code = await request_code(client, phone)

    verified = await client.post(OTP_VERIFY, json={"phone": phone, "code": code})

    assert verified.status_code == 200
    tokens = verified.json()["data"]
    session_id = codec.decode_access(tokens["access_token"]).session_id
    assert await _refresh_rows(database, session_id) == 1
    me = await client.get(ME, headers=bearer(tokens))
    assert me.status_code == 200
    assert me.json()["data"]["phone"] == phone
    refreshed = await client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 200
    assert codec.decode_access(refreshed.json()["data"]["access_token"]).session_id == session_id
