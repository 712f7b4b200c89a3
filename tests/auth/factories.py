"""Test data for auth: unique phones, users written straight to the database, signed-in users."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.auth.models import User
from msmebazaar.shared.db import Database, utcnow

OTP_REQUEST = "/api/v1/auth/otp/request"
OTP_VERIFY = "/api/v1/auth/otp/verify"
REFRESH = "/api/v1/auth/token/refresh"
LOGOUT = "/api/v1/auth/logout"
ME = "/api/v1/auth/me"

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


class Actor:
    """A signed-in user: their id and Authorization header."""

    def __init__(self, tokens: dict[str, Any]) -> None:
        self.id = uuid.UUID(tokens["user"]["id"])
        self.role: str = tokens["user"]["role"]
        self.headers = bearer(tokens)


async def signed_in(client: httpx.AsyncClient, database: Database, role: str) -> Actor:
    """A new user of `role`, signed in through the API (an admin is stored first, as by the CLI)."""
    phone = new_phone()
    if role == "admin":
        await make_user(database, phone=phone, role="admin", name="Admin")
        return Actor(await sign_in(client, phone))
    return Actor(await sign_in(client, phone, role=role, name="Test User"))
