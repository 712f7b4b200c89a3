"""Races on the second factor, on a database whose writes really commit (many clients at once,
each request on its own connection): a sign-in's `mfa_token`, a recovery code and the first code
that turns TOTP on are each used once, whoever wins."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from sqlalchemy import func, select

from msmebazaar.auth.models import AuthSession, RecoveryCode
from msmebazaar.shared.db import Database
from tests.auth.factories import (
    MFA_VERIFY,
    OTP_VERIFY,
    TOTP_ENABLE,
    TOTP_SETUP,
    Authenticator,
    bearer,
    enrol_totp,
    new_phone,
    request_code,
    sign_in,
)


async def _count(database: Database, model: Any, user_id: uuid.UUID) -> int:
    async with database.read_session() as session:
        found = await session.scalar(
            select(func.count()).select_from(model).where(model.user_id == user_id)
        )
    return int(found or 0)


async def _mfa_token(client: httpx.AsyncClient, phone: str) -> str:
    code = await request_code(client, phone)
    response = await client.post(OTP_VERIFY, json={"phone": phone, "code": code})
    assert response.json()["data"]["mfa_required"] is True, response.text
    return str(response.json()["data"]["mfa_token"])


async def _enrolled(client: httpx.AsyncClient) -> tuple[str, uuid.UUID, Authenticator]:
    phone = new_phone()
    tokens = await sign_in(client, phone, role="buyer", name="Meera")
    return phone, uuid.UUID(tokens["user"]["id"]), await enrol_totp(client, bearer(tokens))


async def test_one_mfa_token_raced_by_many_clients_signs_in_once(
    committed_client: httpx.AsyncClient, committed_db: Database
) -> None:
    phone, user_id, app = await _enrolled(committed_client)
    mfa_token = await _mfa_token(committed_client, phone)
    code = app.code()
    before = await _count(committed_db, AuthSession, user_id)

    responses = await asyncio.gather(
        *(
            committed_client.post(MFA_VERIFY, json={"mfa_token": mfa_token, "code": code})
            for _ in range(8)
        )
    )

    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(200) == 1, statuses
    assert set(statuses) <= {200, 400, 401}, statuses
    assert await _count(committed_db, AuthSession, user_id) == before + 1


async def test_one_recovery_code_raced_over_many_sign_ins_opens_one(
    committed_client: httpx.AsyncClient,
) -> None:
    phone, _, app = await _enrolled(committed_client)
    # Four sign-ins: with the first, the five codes a phone may ask for in an hour.
    tokens = [await _mfa_token(committed_client, phone) for _ in range(4)]
    code = app.recovery_codes[0]

    responses = await asyncio.gather(
        *(committed_client.post(MFA_VERIFY, json={"mfa_token": t, "code": code}) for t in tokens)
    )

    assert sorted(r.status_code for r in responses) == [200, 400, 400, 400]


async def test_enable_raced_with_one_code_turns_it_on_once(
    committed_client: httpx.AsyncClient, committed_db: Database
) -> None:
    tokens = await sign_in(committed_client, new_phone(), role="buyer")
    headers = bearer(tokens)
    setup = await committed_client.post(TOTP_SETUP, headers=headers)
    code = Authenticator(setup.json()["data"]["secret"]).code()

    responses = await asyncio.gather(
        *(
            committed_client.post(TOTP_ENABLE, json={"code": code}, headers=headers)
            for _ in range(6)
        )
    )

    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(200) == 1, statuses
    assert set(statuses) <= {200, 400, 409}, statuses
    user_id = uuid.UUID(tokens["user"]["id"])
    assert await _count(committed_db, RecoveryCode, user_id) == 10
