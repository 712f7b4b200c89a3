"""The dependencies other services use: `require_role` and the optional user."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI
from sqlalchemy import update

from msmebazaar.auth.models import User
from msmebazaar.auth.schemas import Principal, UserRole
from msmebazaar.auth.service import OptionalUser, require_role
from msmebazaar.auth.sessions import session_cache_key
from msmebazaar.shared.runtime import runtime_of
from tests.auth.factories import bearer, enrol_totp, sign_in

probe = APIRouter(prefix="/test/auth")


@probe.get("/buyers-only")
async def buyers_only(
    user: Principal = Depends(require_role(UserRole.BUYER, UserRole.INVESTOR)),
) -> dict[str, str]:
    """A route for buyers and investors."""
    return {"role": user.role.value}


@probe.get("/public")
async def public(user: OptionalUser) -> dict[str, str | None]:
    """A public route that greets signed-in callers."""
    return {"user_id": str(user.id) if user else None}


@pytest.fixture
async def probe_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    app.include_router(probe)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def test_require_role_admits_a_listed_role(probe_client: httpx.AsyncClient) -> None:
    tokens = await sign_in(probe_client, role="buyer")

    response = await probe_client.get("/test/auth/buyers-only", headers=bearer(tokens))

    assert response.status_code == 200
    assert response.json() == {"role": "buyer"}


async def test_require_role_refuses_other_roles_with_403(probe_client: httpx.AsyncClient) -> None:
    tokens = await sign_in(probe_client, role="msme_owner")

    response = await probe_client.get("/test/auth/buyers-only", headers=bearer(tokens))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "FORBIDDEN"


async def test_require_role_without_a_token_is_401(probe_client: httpx.AsyncClient) -> None:
    response = await probe_client.get("/test/auth/buyers-only")

    assert response.status_code == 401


async def test_optional_user_is_none_without_a_token(probe_client: httpx.AsyncClient) -> None:
    response = await probe_client.get("/test/auth/public")

    assert response.json() == {"user_id": None}


async def test_optional_user_is_the_caller_with_a_token(probe_client: httpx.AsyncClient) -> None:
    tokens = await sign_in(probe_client)

    response = await probe_client.get("/test/auth/public", headers=bearer(tokens))

    assert response.json() == {"user_id": tokens["user"]["id"]}


async def test_optional_user_with_a_bad_token_is_401(probe_client: httpx.AsyncClient) -> None:
    response = await probe_client.get(
        "/test/auth/public", headers={"Authorization": "Bearer nonsense"}
    )

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "INVALID_TOKEN"


async def _promote(app: FastAPI, tokens: dict[str, Any]) -> None:
    async with runtime_of(app).database.session() as session:
        await session.execute(update(User).values(role="admin"))
    await runtime_of(app).cache.delete(session_cache_key(uuid.UUID(_sid(tokens))))


async def test_require_role_always_admits_an_admin(
    probe_client: httpx.AsyncClient, app: FastAPI
) -> None:
    tokens = await sign_in(probe_client)
    await enrol_totp(probe_client, bearer(tokens))
    await _promote(app, tokens)

    response = await probe_client.get("/test/auth/buyers-only", headers=bearer(tokens))

    assert response.json() == {"role": "admin"}


@pytest.mark.parametrize("path", ["/test/auth/buyers-only", "/test/auth/public"])
async def test_an_admin_without_a_second_factor_may_do_nothing_as_admin(
    probe_client: httpx.AsyncClient, app: FastAPI, path: str
) -> None:
    tokens = await sign_in(probe_client)
    await _promote(app, tokens)

    response = await probe_client.get(path, headers=bearer(tokens))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "MFA_ENROLLMENT_REQUIRED"


def _sid(tokens: dict[str, Any]) -> str:
    payload = tokens["access_token"].split(".")[1]
    return str(json.loads(base64.urlsafe_b64decode(payload + "=="))["sid"])
