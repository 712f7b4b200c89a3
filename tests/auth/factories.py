"""Test data for auth: unique phones, users written straight to the database, signed-in users."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pyotp
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.auth.models import User
from msmebazaar.shared.db import Database, utcnow

OTP_REQUEST = "/api/v1/auth/otp/request"
OTP_VERIFY = "/api/v1/auth/otp/verify"
REFRESH = "/api/v1/auth/token/refresh"
LOGOUT = "/api/v1/auth/logout"
ME = "/api/v1/auth/me"
SECOND_FACTOR = "/api/v1/auth/2fa"
TOTP_SETUP = "/api/v1/auth/2fa/totp/setup"
TOTP_ENABLE = "/api/v1/auth/2fa/totp/enable"
TOTP_DISABLE = "/api/v1/auth/2fa/totp/disable"
MFA_VERIFY = "/api/v1/auth/2fa/verify"
RECOVERY_CODES = "/api/v1/auth/2fa/recovery-codes"

_numbers = itertools.count(1)


def new_phone() -> str:
    """A valid Indian mobile number in E.164, different on every call."""
    return f"+9198{next(_numbers):08d}"


async def make_user(
    database: Database,
    *,
    phone: str | None = None,
    role: str = "msme_owner",
    status: str = "active",
    name: str | None = "Asha Patel",
    language: str = "en",
) -> User:
    """A user stored in the test's transaction."""
    user = User(
        id=uuid.uuid4(),
        phone=phone or new_phone(),
        name=name,
        role=role,
        status=status,
        language=language,
        phone_verified_at=utcnow(),
    )
    async with database.session() as session:
        session.add(user)
    return user


async def request_code(client: httpx.AsyncClient, phone: str) -> str:
    """Ask for a code and return the echoed one."""
    response = await client.post(OTP_REQUEST, json={"phone": phone})
    assert response.status_code == 200, response.text
    return str(response.json()["data"]["debug_code"])


async def sign_in(
    client: httpx.AsyncClient, phone: str | None = None, **fields: Any
) -> dict[str, Any]:
    """Sign in through the API; return the verify response's `data`."""
    phone = phone or new_phone()
    code = await request_code(client, phone)
    response = await client.post(OTP_VERIFY, json={"phone": phone, "code": code, **fields})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    """The Authorization header for a token pair."""
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def rows(connection: AsyncConnection, statement: Any) -> list[Any]:
    """All rows of a statement, read inside the test's transaction."""
    return list((await connection.execute(statement)).all())


@dataclass
class Authenticator:
    """An authenticator app holding a TOTP secret: its current code, never one it gave before
    (the server accepts each 30-second step's code once, so a second code within a step is
    the next step's, which the server also accepts)."""

    secret: str
    recovery_codes: list[str] = field(default_factory=list)
    _last_step: int | None = None

    def code(self) -> str:
        """The next code the server will accept."""
        totp = pyotp.TOTP(self.secret)
        current = totp.timecode(datetime.now(UTC))
        step = current if self._last_step is None else max(current, self._last_step + 1)
        assert step <= current + 1, "more than two codes asked for within one 30-second step"
        self._last_step = step
        return totp.generate_otp(step)


async def enrol_totp(client: httpx.AsyncClient, headers: dict[str, str]) -> Authenticator:
    """Turn two-step sign-in on through the API, as a user with an authenticator app would."""
    setup = await client.post(TOTP_SETUP, headers=headers)
    assert setup.status_code == 200, setup.text
    app = Authenticator(setup.json()["data"]["secret"])
    enabled = await client.post(TOTP_ENABLE, json={"code": app.code()}, headers=headers)
    assert enabled.status_code == 200, enabled.text
    app.recovery_codes = enabled.json()["data"]["recovery_codes"]
    return app


class Actor:
    """A signed-in user: their id, phone and Authorization header (and an admin's
    authenticator)."""

    def __init__(self, tokens: dict[str, Any], authenticator: Authenticator | None = None) -> None:
        self.id = uuid.UUID(tokens["user"]["id"])
        self.role: str = tokens["user"]["role"]
        self.phone: str = tokens["user"]["phone"]
        self.headers = bearer(tokens)
        self.authenticator = authenticator


async def signed_in(client: httpx.AsyncClient, database: Database, role: str) -> Actor:
    """A new user of `role`, signed in through the API (an admin is stored first, as by the CLI,
    and sets up the second factor admins need)."""
    phone = new_phone()
    if role == "admin":
        await make_user(database, phone=phone, role="admin", name="Admin")
        tokens = await sign_in(client, phone)
        return Actor(tokens, await enrol_totp(client, bearer(tokens)))
    return Actor(await sign_in(client, phone, role=role, name="Test User"))
