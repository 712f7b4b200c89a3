"""POST /auth/otp/verify: sign-in, user creation, roles, and the limits on guessing."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.auth.models import AuthSession, OtpChallenge, RefreshToken, User
from msmebazaar.shared.db import Database, utcnow
from tests.auth.factories import OTP_VERIFY, make_user, new_phone, request_code, rows


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def test_first_verify_creates_the_user_with_the_chosen_role(
    client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    phone = new_phone()
    code = await request_code(client, phone)

    response = await client.post(
        OTP_VERIFY, json={"phone": phone, "code": code, "role": "buyer", "name": "Ravi Kumar"}
    )

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["token_type"] == "bearer"
    assert data["expires_in"] == 900
    assert data["access_token"]
    assert data["refresh_token"]
    user = data["user"]
    assert (user["phone"], user["name"], user["role"]) == (phone, "Ravi Kumar", "buyer")
    assert (user["status"], user["language"], user["email"]) == ("active", "en", None)
    (stored,) = await rows(db_connection, select(User).where(User.phone == phone))
    assert stored.role == "buyer"
    assert stored.phone_verified_at is not None
    assert stored.last_login_at is not None


async def test_new_user_role_defaults_to_msme_owner(client: httpx.AsyncClient) -> None:
    phone = new_phone()
    code = await request_code(client, phone)

    response = await client.post(OTP_VERIFY, json={"phone": phone, "code": code})

    assert response.json()["data"]["user"]["role"] == "msme_owner"


async def test_new_user_language_follows_accept_language(client: httpx.AsyncClient) -> None:
    phone = new_phone()
    code = await request_code(client, phone)

    response = await client.post(
        OTP_VERIFY, json={"phone": phone, "code": code}, headers={"Accept-Language": "hi-IN"}
    )

    assert response.json()["data"]["user"]["language"] == "hi"


async def test_verify_for_an_existing_user_ignores_the_role_sent(
    client: httpx.AsyncClient, database: Database, db_connection: AsyncConnection
) -> None:
    user = await make_user(database, role="investor")
    code = await request_code(client, user.phone)

    response = await client.post(
        OTP_VERIFY, json={"phone": user.phone, "code": code, "role": "buyer"}
    )

    assert response.status_code == 200
    assert response.json()["data"]["user"]["role"] == "investor"
    (stored,) = await rows(db_connection, select(User.role).where(User.id == user.id))
    assert stored.role == "investor"


async def test_choosing_admin_at_verify_is_403_and_creates_nobody(
    client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    phone = new_phone()
    code = await request_code(client, phone)

    response = await client.post(OTP_VERIFY, json={"phone": phone, "code": code, "role": "admin"})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "ROLE_NOT_ALLOWED"
    assert await rows(db_connection, select(User.id)) == []


async def test_verify_opens_a_session_with_a_hashed_refresh_token(
    client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    phone = new_phone()
    code = await request_code(client, phone)

    data = (await client.post(OTP_VERIFY, json={"phone": phone, "code": code})).json()["data"]

    (session,) = await rows(db_connection, select(AuthSession))
    (token,) = await rows(db_connection, select(RefreshToken))
    assert str(session.user_id) == data["user"]["id"]
    assert token.session_id == session.id
    assert token.token_hash != data["refresh_token"]
    assert data["refresh_token"] not in token.token_hash


async def test_wrong_code_is_400_otp_invalid_and_counts_a_try(
    client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    phone = new_phone()
    code = await request_code(client, phone)

    response = await client.post(OTP_VERIFY, json={"phone": phone, "code": _wrong(code)})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "OTP_INVALID"
    (challenge,) = await rows(db_connection, select(OtpChallenge.attempts))
    assert challenge.attempts == 1


async def test_no_code_requested_answers_exactly_like_a_wrong_code(
    client: httpx.AsyncClient,
) -> None:
    phone = new_phone()
    code = await request_code(client, phone)
    wrong = await client.post(OTP_VERIFY, json={"phone": phone, "code": _wrong(code)})

    never_requested = await client.post(OTP_VERIFY, json={"phone": new_phone(), "code": code})

    assert never_requested.status_code == wrong.status_code == 400
    assert never_requested.json()["error"] == wrong.json()["error"]
    assert never_requested.json()["message"] == wrong.json()["message"]


async def test_expired_code_is_400_otp_invalid(
    client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    phone = new_phone()
    code = await request_code(client, phone)
    await db_connection.execute(
        update(OtpChallenge).values(expires_at=utcnow() - timedelta(seconds=1))
    )

    response = await client.post(OTP_VERIFY, json={"phone": phone, "code": code})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "OTP_INVALID"


async def test_five_wrong_tries_kill_the_code(
    client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    phone = new_phone()
    code = await request_code(client, phone)
    wrong = [
        (await client.post(OTP_VERIFY, json={"phone": phone, "code": _wrong(code)})).status_code
        for _ in range(5)
    ]

    response = await client.post(OTP_VERIFY, json={"phone": phone, "code": code})

    assert wrong == [400] * 5
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "OTP_ATTEMPTS_EXCEEDED"
    assert int(response.headers["Retry-After"]) >= 1
    assert await rows(db_connection, select(User.id)) == []


async def test_fourth_wrong_try_still_leaves_the_code_usable(client: httpx.AsyncClient) -> None:
    phone = new_phone()
    code = await request_code(client, phone)
    for _ in range(4):
        await client.post(OTP_VERIFY, json={"phone": phone, "code": _wrong(code)})

    response = await client.post(OTP_VERIFY, json={"phone": phone, "code": code})

    assert response.status_code == 200


async def test_a_code_signs_in_only_once(client: httpx.AsyncClient) -> None:
    phone = new_phone()
    code = await request_code(client, phone)
    first = await client.post(OTP_VERIFY, json={"phone": phone, "code": code})

    replay = await client.post(OTP_VERIFY, json={"phone": phone, "code": code})

    assert first.status_code == 200
    assert replay.status_code == 400
    assert replay.json()["error"]["code"] == "OTP_INVALID"


async def test_a_new_request_replaces_the_old_code(
    client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    phone = new_phone()
    old = await request_code(client, phone)
    await db_connection.execute(
        update(OtpChallenge).values(sent_at=utcnow() - timedelta(seconds=61))
    )
    new = await request_code(client, phone)

    stale = await client.post(OTP_VERIFY, json={"phone": phone, "code": old})
    fresh = await client.post(OTP_VERIFY, json={"phone": phone, "code": new})

    assert (stale.status_code, fresh.status_code) == (400 if old != new else 200, 200)


async def test_suspended_user_gets_403_account_suspended(
    client: httpx.AsyncClient, database: Database, db_connection: AsyncConnection
) -> None:
    user = await make_user(database, status="suspended")
    code = await request_code(client, user.phone)

    response = await client.post(OTP_VERIFY, json={"phone": user.phone, "code": code})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "ACCOUNT_SUSPENDED"
    assert await rows(db_connection, select(AuthSession.id)) == []


@pytest.mark.parametrize("code", ["12345", "1234567", "12a456", ""])
async def test_code_that_is_not_six_digits_is_422(client: httpx.AsyncClient, code: str) -> None:
    response = await client.post(OTP_VERIFY, json={"phone": new_phone(), "code": code})

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "code"


async def test_malformed_phone_at_verify_is_422_phone_invalid(client: httpx.AsyncClient) -> None:
    response = await client.post(OTP_VERIFY, json={"phone": "12345", "code": "123456"})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "PHONE_INVALID"
