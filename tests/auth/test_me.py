"""GET and PATCH /auth/me, and the liveness check behind every signed-in request."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.auth.models import User
from msmebazaar.auth.schemas import UserStatus
from msmebazaar.auth.service import set_user_status
from msmebazaar.shared.cache import Cache
from msmebazaar.shared.db import Database
from tests.auth.factories import ME, bearer, rows, sign_in

USER_FIELDS = {
    "id",
    "phone",
    "name",
    "email",
    "role",
    "status",
    "language",
    "phone_verified_at",
    "last_login_at",
    "created_at",
    "updated_at",
}


async def test_me_returns_the_user_fields(client: httpx.AsyncClient) -> None:
    tokens = await sign_in(client, name="Meera Iyer")

    response = await client.get(ME, headers=bearer(tokens))

    assert response.status_code == 200
    user = response.json()["data"]
    assert set(user) == USER_FIELDS
    assert (user["id"], user["name"]) == (tokens["user"]["id"], "Meera Iyer")


async def test_patch_me_changes_name_email_and_language(
    client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    tokens = await sign_in(client)

    response = await client.patch(
        ME,
        headers=bearer(tokens),
        json={"name": "  Kavya Rao ", "email": "kavya@example.in", "language": "hi"},
    )

    assert response.status_code == 200
    user = response.json()["data"]
    assert (user["name"], user["email"], user["language"]) == (
        "Kavya Rao",
        "kavya@example.in",
        "hi",
    )
    (stored,) = await rows(db_connection, select(User.name, User.email, User.language))
    assert tuple(stored) == ("Kavya Rao", "kavya@example.in", "hi")


async def test_patch_me_shows_at_once_on_me(client: httpx.AsyncClient) -> None:
    tokens = await sign_in(client)
    await client.get(ME, headers=bearer(tokens))  # warms the liveness cache

    await client.patch(ME, headers=bearer(tokens), json={"name": "New Name"})

    assert (await client.get(ME, headers=bearer(tokens))).json()["data"]["name"] == "New Name"


async def test_patch_me_with_null_email_clears_it(client: httpx.AsyncClient) -> None:
    tokens = await sign_in(client)
    await client.patch(ME, headers=bearer(tokens), json={"email": "a@example.in"})

    response = await client.patch(ME, headers=bearer(tokens), json={"email": None})

    assert response.json()["data"]["email"] is None


@pytest.mark.parametrize("role", ["buyer", "investor", "msme_owner"])
async def test_patch_me_switches_among_the_non_admin_roles(
    client: httpx.AsyncClient, role: str
) -> None:
    tokens = await sign_in(client, role="investor" if role == "msme_owner" else "msme_owner")

    response = await client.patch(ME, headers=bearer(tokens), json={"role": role})

    assert response.status_code == 200
    assert response.json()["data"]["role"] == role


async def test_patch_me_to_admin_is_403(
    client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    tokens = await sign_in(client)

    response = await client.patch(ME, headers=bearer(tokens), json={"role": "admin"})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "ROLE_NOT_ALLOWED"
    (stored,) = await rows(db_connection, select(User.role))
    assert stored.role == "msme_owner"


async def test_an_admin_cannot_switch_role_through_patch_me(
    client: httpx.AsyncClient, database: Database
) -> None:
    tokens = await sign_in(client)
    async with database.session() as session:
        (await session.get_one(User, uuid.UUID(tokens["user"]["id"]))).role = "admin"
    tokens = await sign_in(client, phone=tokens["user"]["phone"])

    response = await client.patch(ME, headers=bearer(tokens), json={"role": "buyer"})

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"language": "fr"}, "language"),
        ({"name": "   "}, "name"),
        ({"role": "superuser"}, "role"),
        ({"phone": "+919876543210"}, "phone"),
        ({"status": "active"}, "status"),
    ],
)
async def test_patch_me_rejects_bad_fields_with_422(
    client: httpx.AsyncClient, body: dict[str, str], field: str
) -> None:
    tokens = await sign_in(client)

    response = await client.patch(ME, headers=bearer(tokens), json=body)

    assert response.status_code == 422
    assert [item["field"] for item in response.json()["error"]["details"]] == [field]


async def test_suspension_takes_effect_on_the_next_request(
    client: httpx.AsyncClient, database: Database, cache: Cache
) -> None:
    tokens = await sign_in(client)
    assert (await client.get(ME, headers=bearer(tokens))).status_code == 200

    async with database.session() as session:
        await set_user_status(session, cache, uuid.UUID(tokens["user"]["id"]), UserStatus.SUSPENDED)
    response = await client.get(ME, headers=bearer(tokens))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "ACCOUNT_SUSPENDED"
