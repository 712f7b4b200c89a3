"""Listing moderation: approve into search, reject back to the owner with the reason."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.msme.models import Listing
from msmebazaar.shared.db import Database
from tests.admin.helpers import ADMIN, admin_actions, audit_rows, notices_to
from tests.auth.factories import Actor, make_user
from tests.msme.factories import make_listing, make_msme

LISTINGS = "/api/v1/listings"


def _moderate(listing_id: Any) -> str:
    return f"{ADMIN}/listings/{listing_id}/moderate"


async def _stored(connection: AsyncConnection, listing_id: uuid.UUID) -> Any:
    statement = select(Listing.status, Listing.rejection_reason, Listing.published_at)
    return (await connection.execute(statement.where(Listing.id == listing_id))).one()


async def test_approving_puts_the_listing_in_search_audits_it_and_tells_the_owner(
    client: httpx.AsyncClient, database: Database, admin: Actor, db_connection: AsyncConnection
) -> None:
    owner = await make_user(database)
    listing = await make_listing(database, await make_msme(database, owner.id), status="submitted")
    before = admin_actions("listing.moderated")

    response = await client.post(
        _moderate(listing.id), json={"decision": "approve"}, headers=admin.headers
    )

    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert (data["previous_status"], data["listing"]["status"]) == ("submitted", "active")
    stored = await _stored(db_connection, listing.id)
    assert stored.status == "active"
    assert stored.published_at is not None
    search = await client.get(LISTINGS)
    assert str(listing.id) in [card["id"] for card in search.json()["data"]]
    (row,) = await audit_rows(db_connection, listing.id)
    assert (row.action, row.actor_id) == ("listing.moderated", admin.id)
    assert (row.before, row.after) == ({"status": "submitted"}, {"status": "active"})
    (notice,) = await notices_to(db_connection, owner.phone)
    assert "is live" in notice.body
    assert admin_actions("listing.moderated") == before + 1


async def test_rejecting_returns_the_listing_to_the_owner_with_the_reason(
    client: httpx.AsyncClient, database: Database, admin: Actor, db_connection: AsyncConnection
) -> None:
    owner = await make_user(database, language="hi")
    listing = await make_listing(database, await make_msme(database, owner.id), status="submitted")

    response = await client.post(
        _moderate(listing.id),
        json={"decision": "reject", "reason": "The summary names the city"},
        headers=admin.headers,
    )

    assert response.status_code == 200, response.text
    stored = await _stored(db_connection, listing.id)
    assert (stored.status, stored.rejection_reason) == ("rejected", "The summary names the city")
    (row,) = await audit_rows(db_connection, listing.id)
    assert row.after == {"status": "rejected"}
    assert row.reason == "The summary names the city"
    (notice,) = await notices_to(db_connection, owner.phone)
    assert "स्वीकृत नहीं" in notice.body
    assert "The summary names the city." in notice.body


async def test_approving_a_listing_of_an_unverified_profile_is_409_with_a_clear_message(
    client: httpx.AsyncClient, database: Database, admin: Actor, db_connection: AsyncConnection
) -> None:
    owner = await make_user(database)
    msme = await make_msme(database, owner.id, verification_status="pending")
    listing = await make_listing(database, msme, status="submitted")

    response = await client.post(
        _moderate(listing.id), json={"decision": "approve"}, headers=admin.headers
    )

    assert response.status_code == 409
    error = response.json()
    assert error["error"]["code"] == "MSME_NOT_VERIFIED"
    assert "not verified" in error["message"]
    assert (await _stored(db_connection, listing.id)).status == "submitted"
    assert await audit_rows(db_connection, listing.id) == []


async def test_rejecting_without_a_reason_is_422(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    owner = await make_user(database)
    listing = await make_listing(database, await make_msme(database, owner.id), status="submitted")

    response = await client.post(
        _moderate(listing.id), json={"decision": "reject"}, headers=admin.headers
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "REASON_REQUIRED"


@pytest.mark.parametrize("status", ["draft", "active", "rejected", "closed"])
async def test_only_a_submitted_listing_can_be_moderated(
    client: httpx.AsyncClient, database: Database, admin: Actor, status: str
) -> None:
    owner = await make_user(database)
    listing = await make_listing(database, await make_msme(database, owner.id), status=status)

    response = await client.post(
        _moderate(listing.id), json={"decision": "approve"}, headers=admin.headers
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "LISTING_STATUS_CONFLICT"


async def test_moderating_an_unknown_listing_is_404_and_a_bad_decision_422(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    owner = await make_user(database)
    listing = await make_listing(database, await make_msme(database, owner.id), status="submitted")

    unknown = await client.post(
        _moderate(uuid.uuid4()), json={"decision": "approve"}, headers=admin.headers
    )
    bad = await client.post(
        _moderate(listing.id), json={"decision": "publish"}, headers=admin.headers
    )

    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "LISTING_NOT_FOUND"
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["field"] == "decision"
