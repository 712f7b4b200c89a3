"""Listings: create, read, change, submit, close, mine, and the admins' moderation function."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.msme.exceptions import ListingStatusConflictError, MsmeNotVerifiedError
from msmebazaar.msme.models import Listing
from msmebazaar.msme.service import moderate_listing
from msmebazaar.shared.db import Database
from msmebazaar.shared.exceptions import ValidationError
from msmebazaar.shared.metrics import REGISTRY
from tests.auth.factories import Actor
from tests.events import stored_events
from tests.msme.factories import listing_payload, make_financials, make_listing, make_msme

LISTINGS = "/api/v1/listings"


async def _stored(connection: AsyncConnection, listing_id: Any) -> Any:
    statement = select(Listing.__table__).where(Listing.id == uuid.UUID(str(listing_id)))
    return (await connection.execute(statement)).one()


def _metric(name: str, status: str) -> float:
    return REGISTRY.get_sample_value(f"{name}_total", {"status": status}) or 0.0


# --- create ---------------------------------------------------------------------------------


async def test_owner_creates_a_draft_with_figures_copied_from_the_profile(
    client: httpx.AsyncClient, database: Database, owner: Actor, db_connection: AsyncConnection
) -> None:
    msme = await make_msme(database, owner.id)
    await make_financials(database, msme.id, "2023-24", revenue=6_00_00_000, ebitda=80_00_000)
    await make_financials(database, msme.id, "2024-25", revenue=8_00_00_000, ebitda=1_20_00_000)
    before = _metric("listings", "draft")

    response = await client.post(LISTINGS, json=listing_payload(msme.id), headers=owner.headers)

    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert data["status"] == "draft"
    assert data["sector"] == "food_processing"
    assert data["state"] == "Maharashtra"
    assert (data["revenue"], data["ebitda"]) == (8_00_00_000, 1_20_00_000)
    assert data["version"] == 1
    stored = await _stored(db_connection, data["id"])
    assert stored.owner_id == owner.id
    assert _metric("listings", "draft") == before + 1


async def test_stake_percent_is_required_for_a_stake_sale(
    client: httpx.AsyncClient, database: Database, owner: Actor
) -> None:
    msme = await make_msme(database, owner.id)

    response = await client.post(
        LISTINGS,
        json=listing_payload(msme.id, deal_type="stake_sale", stake_percent=None),
        headers=owner.headers,
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


async def test_stake_percent_is_refused_for_a_full_sale(
    client: httpx.AsyncClient, database: Database, owner: Actor
) -> None:
    msme = await make_msme(database, owner.id)

    response = await client.post(
        LISTINGS, json=listing_payload(msme.id, stake_percent=30), headers=owner.headers
    )

    assert response.status_code == 422


@pytest.mark.parametrize(
    "override",
    [
        {"deal_type": "merger"},
        {"asking_price": 0},
        {"asking_price": -5},
        {"asking_price": "12 lakh"},
        {"asking_price": 12.5},
        {"deal_type": "investment", "stake_percent": 0},
        {"deal_type": "investment", "stake_percent": 100.5},
        {"anonymous": "yes"},
        {"headline": ""},
        {"extra_field": 1},
        {"msme_id": "not-a-uuid"},
    ],
)
async def test_bad_input_is_422_and_stores_nothing(
    client: httpx.AsyncClient,
    database: Database,
    owner: Actor,
    db_connection: AsyncConnection,
    override: dict[str, Any],
) -> None:
    msme = await make_msme(database, owner.id)

    response = await client.post(
        LISTINGS, json=listing_payload(msme.id) | override, headers=owner.headers
    )

    assert response.status_code == 422
    assert response.json()["success"] is False
    assert (await db_connection.execute(select(Listing.id))).all() == []


async def test_listing_someone_elses_profile_is_404(
    client: httpx.AsyncClient, database: Database, owner: Actor, other_owner: Actor
) -> None:
    msme = await make_msme(database, other_owner.id, verification_status="pending")

    response = await client.post(LISTINGS, json=listing_payload(msme.id), headers=owner.headers)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "MSME_NOT_FOUND"


async def test_listing_someone_elses_public_profile_is_403(
    client: httpx.AsyncClient, database: Database, owner: Actor, other_owner: Actor
) -> None:
    msme = await make_msme(database, other_owner.id)

    response = await client.post(LISTINGS, json=listing_payload(msme.id), headers=owner.headers)

    assert response.status_code == 403


async def test_a_buyer_cannot_create_a_listing(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    msme = await make_msme(database, owner.id)

    response = await client.post(LISTINGS, json=listing_payload(msme.id), headers=buyer.headers)

    assert response.status_code == 403


async def test_creating_needs_sign_in(client: httpx.AsyncClient, database: Database) -> None:
    response = await client.post(LISTINGS, json=listing_payload(uuid.uuid4()))

    assert response.status_code == 401


async def test_an_admin_lists_any_profile_for_its_owner(
    client: httpx.AsyncClient, database: Database, owner: Actor, admin: Actor
) -> None:
    msme = await make_msme(database, owner.id)

    response = await client.post(LISTINGS, json=listing_payload(msme.id), headers=admin.headers)

    assert response.status_code == 201
    mine = await client.get(f"{LISTINGS}/mine", headers=owner.headers)
    assert [item["id"] for item in mine.json()["data"]] == [response.json()["data"]["id"]]


# --- read -----------------------------------------------------------------------------------


async def test_owner_sees_every_field_of_a_draft(
    client: httpx.AsyncClient, database: Database, owner: Actor
) -> None:
    msme = await make_msme(database, owner.id)
    listing = await make_listing(database, msme, status="draft")

    response = await client.get(f"{LISTINGS}/{listing.id}", headers=owner.headers)

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["view"] == "owner"
    assert data["listing"]["status"] == "draft"
    assert data["card"]["identity"]["gstin"] == msme.gstin


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected", "closed"])
async def test_a_listing_that_is_not_active_is_404_to_others(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor, status: str
) -> None:
    msme = await make_msme(database, owner.id)
    listing = await make_listing(database, msme, status=status)

    anonymous = await client.get(f"{LISTINGS}/{listing.id}")
    signed = await client.get(f"{LISTINGS}/{listing.id}", headers=buyer.headers)

    assert anonymous.status_code == signed.status_code == 404
    assert anonymous.json()["error"]["code"] == "LISTING_NOT_FOUND"


async def test_an_unknown_listing_is_404_and_a_malformed_id_422(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.get(f"{LISTINGS}/{uuid.uuid4()}")).status_code == 404
    assert (await client.get(f"{LISTINGS}/12345")).status_code == 422


async def test_views_are_counted_for_others_but_not_the_owner(
    client: httpx.AsyncClient,
    database: Database,
    owner: Actor,
    buyer: Actor,
    db_connection: AsyncConnection,
) -> None:
    msme = await make_msme(database, owner.id)
    listing = await make_listing(database, msme)

    await client.get(f"{LISTINGS}/{listing.id}")
    await client.get(f"{LISTINGS}/{listing.id}", headers=buyer.headers)
    await client.get(f"{LISTINGS}/{listing.id}", headers=owner.headers)
    unflushed = await _stored(db_connection, listing.id)
    await database.flush_counts()  # the app does this every second, off the request

    stored = await _stored(db_connection, listing.id)
    assert unflushed.views_count == 0  # a view never writes on the request's path
    assert stored.views_count == 2
    assert stored.version == 1  # a view is not an edit


# --- update ---------------------------------------------------------------------------------


async def test_owner_edits_a_draft_and_the_version_moves_on(
    client: httpx.AsyncClient, database: Database, owner: Actor
) -> None:
    msme = await make_msme(database, owner.id)
    listing = await make_listing(database, msme, status="draft")

    response = await client.patch(
        f"{LISTINGS}/{listing.id}",
        json={"asking_price": 7_00_00_000, "version": 1},
        headers=owner.headers,
    )

    assert response.status_code == 200, response.text
    assert response.json()["data"]["asking_price"] == 7_00_00_000
    assert response.json()["data"]["version"] == 2


async def test_a_stale_version_is_409_and_changes_nothing(
    client: httpx.AsyncClient,
    database: Database,
    owner: Actor,
    db_connection: AsyncConnection,
) -> None:
    msme = await make_msme(database, owner.id)
    listing = await make_listing(database, msme, status="draft")
    await client.patch(f"{LISTINGS}/{listing.id}", json={"asking_price": 1}, headers=owner.headers)

    response = await client.patch(
        f"{LISTINGS}/{listing.id}",
        json={"asking_price": 9_00_00_000, "version": 1},
        headers=owner.headers,
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "VERSION_CONFLICT"
    assert (await _stored(db_connection, listing.id)).asking_price == 1


@pytest.mark.parametrize("status", ["submitted", "active", "closed"])
async def test_only_drafts_and_rejected_listings_can_be_edited(
    client: httpx.AsyncClient, database: Database, owner: Actor, status: str
) -> None:
    msme = await make_msme(database, owner.id)
    listing = await make_listing(database, msme, status=status)

    response = await client.patch(
        f"{LISTINGS}/{listing.id}", json={"asking_price": 5}, headers=owner.headers
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "LISTING_NOT_EDITABLE"


async def test_switching_to_a_stake_sale_needs_a_stake(
    client: httpx.AsyncClient, database: Database, owner: Actor
) -> None:
    msme = await make_msme(database, owner.id)
    listing = await make_listing(database, msme, status="draft")

    missing = await client.patch(
        f"{LISTINGS}/{listing.id}", json={"deal_type": "stake_sale"}, headers=owner.headers
    )
    given = await client.patch(
        f"{LISTINGS}/{listing.id}",
        json={"deal_type": "stake_sale", "stake_percent": 26},
        headers=owner.headers,
    )
    back = await client.patch(
        f"{LISTINGS}/{listing.id}", json={"deal_type": "full_sale"}, headers=owner.headers
    )

    assert missing.status_code == 422
    assert missing.json()["error"]["code"] == "STAKE_PERCENT_REQUIRED"
    assert given.json()["data"]["stake_percent"] == 26
    assert back.json()["data"]["stake_percent"] is None


async def test_someone_else_editing_an_active_listing_is_403_and_a_draft_404(
    client: httpx.AsyncClient, database: Database, owner: Actor, other_owner: Actor
) -> None:
    msme = await make_msme(database, owner.id)
    active = await make_listing(database, msme)
    draft = await make_listing(database, msme, status="draft")

    on_active = await client.patch(
        f"{LISTINGS}/{active.id}", json={"asking_price": 5}, headers=other_owner.headers
    )
    on_draft = await client.patch(
        f"{LISTINGS}/{draft.id}", json={"asking_price": 5}, headers=other_owner.headers
    )

    assert on_active.status_code == 403
    assert on_draft.status_code == 404


async def test_null_for_a_required_field_is_422(
    client: httpx.AsyncClient, database: Database, owner: Actor
) -> None:
    msme = await make_msme(database, owner.id)
    listing = await make_listing(database, msme, status="draft")

    response = await client.patch(
        f"{LISTINGS}/{listing.id}", json={"headline": None}, headers=owner.headers
    )

    assert response.status_code == 422


# --- submit, moderate, close ----------------------------------------------------------------


async def test_submit_moves_a_draft_to_submitted(
    client: httpx.AsyncClient, database: Database, owner: Actor
) -> None:
    msme = await make_msme(database, owner.id)
    listing = await make_listing(database, msme, status="draft")

    response = await client.post(f"{LISTINGS}/{listing.id}/submit", headers=owner.headers)

    assert response.status_code == 200, response.text
    assert response.json()["data"]["status"] == "submitted"
    assert response.json()["data"]["submitted_at"] is not None


async def test_submitting_an_anonymous_listing_that_names_the_business_is_422(
    client: httpx.AsyncClient, database: Database, owner: Actor, db_connection: AsyncConnection
) -> None:
    msme = await make_msme(database, owner.id)
    listing = await make_listing(
        database,
        msme,
        status="draft",
        headline="Ganesh Namkeen up for sale",
        summary=f"Our GSTIN is {msme.gstin}; call 98765 43210 or see ganeshnamkeen.in",
    )

    response = await client.post(f"{LISTINGS}/{listing.id}/submit", headers=owner.headers)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "ANONYMITY_VIOLATION"
    assert {"field": "headline", "message": "mentions the business's name"} in error["details"]
    assert {"field": "summary", "message": "mentions the business's GSTIN"} in error["details"]
    assert {"field": "summary", "message": "contains a phone number"} in error["details"]
    assert {"field": "summary", "message": "contains a web address"} in error["details"]
    assert (await _stored(db_connection, listing.id)).status == "draft"


async def test_a_named_listing_is_not_scanned(
    client: httpx.AsyncClient, database: Database, owner: Actor
) -> None:
    msme = await make_msme(database, owner.id)
    listing = await make_listing(
        database, msme, status="draft", anonymous=False, headline="Ganesh Namkeen up for sale"
    )

    response = await client.post(f"{LISTINGS}/{listing.id}/submit", headers=owner.headers)

    assert response.status_code == 200


async def test_submitting_twice_is_409(
    client: httpx.AsyncClient, database: Database, owner: Actor
) -> None:
    msme = await make_msme(database, owner.id)
    listing = await make_listing(database, msme, status="submitted")

    response = await client.post(f"{LISTINGS}/{listing.id}/submit", headers=owner.headers)

    assert response.status_code == 409


async def test_deleting_the_profile_closes_its_listings_for_good(
    client: httpx.AsyncClient, database: Database, owner: Actor, db_connection: AsyncConnection
) -> None:
    msme = await make_msme(database, owner.id)
    listing = await make_listing(database, msme, status="draft")
    await client.delete(f"/api/v1/msmes/{msme.id}", headers=owner.headers)

    response = await client.post(f"{LISTINGS}/{listing.id}/submit", headers=owner.headers)

    assert response.status_code == 409
    assert (await _stored(db_connection, listing.id)).status == "closed"


async def test_admin_approval_publishes_a_submitted_listing(
    database: Database, owner: Actor, admin: Actor
) -> None:
    msme = await make_msme(database, owner.id)
    listing = await make_listing(database, msme, status="submitted")
    before = _metric("listings", "active")

    async with database.session() as session:
        read = await moderate_listing(session, listing.id, "approve", None, admin.id)

    assert read.status == "active"
    assert read.published_at is not None
    assert _metric("listings", "active") == before + 1


async def test_approval_needs_a_verified_profile(database: Database, owner: Actor) -> None:
    msme = await make_msme(database, owner.id, verification_status="pending")
    listing = await make_listing(database, msme, status="submitted")

    async with database.session() as session:
        with pytest.raises(MsmeNotVerifiedError, match="verified"):
            await moderate_listing(session, listing.id, "approve", None, uuid.uuid4())


async def test_rejection_needs_a_reason_and_shows_it_to_the_owner(
    client: httpx.AsyncClient, database: Database, owner: Actor
) -> None:
    msme = await make_msme(database, owner.id)
    listing = await make_listing(database, msme, status="submitted")

    async with database.session() as session:
        with pytest.raises(ValidationError):
            await moderate_listing(session, listing.id, "reject", " ", uuid.uuid4())
    async with database.session() as session:
        await moderate_listing(session, listing.id, "reject", "Blurry financials", uuid.uuid4())

    mine = await client.get(f"{LISTINGS}/mine", headers=owner.headers)
    assert mine.json()["data"][0]["status"] == "rejected"
    assert mine.json()["data"][0]["rejection_reason"] == "Blurry financials"


async def test_only_submitted_listings_are_moderated(database: Database, owner: Actor) -> None:
    msme = await make_msme(database, owner.id)
    listing = await make_listing(database, msme, status="draft")

    async with database.session() as session:
        with pytest.raises(ListingStatusConflictError):
            await moderate_listing(session, listing.id, "approve", None, uuid.uuid4())


async def test_a_rejected_listing_is_edited_and_submitted_again(
    client: httpx.AsyncClient, database: Database, owner: Actor
) -> None:
    msme = await make_msme(database, owner.id)
    listing = await make_listing(database, msme, status="rejected", rejection_reason="Too vague")

    edited = await client.patch(
        f"{LISTINGS}/{listing.id}",
        json={"summary": "Clear numbers: ₹8 Cr revenue, 15% EBITDA margin, own plant."},
        headers=owner.headers,
    )
    submitted = await client.post(f"{LISTINGS}/{listing.id}/submit", headers=owner.headers)

    assert edited.status_code == 200
    assert submitted.json()["data"]["status"] == "submitted"
    assert submitted.json()["data"]["rejection_reason"] is None


async def test_close_ends_an_active_listing_once(
    client: httpx.AsyncClient, database: Database, owner: Actor
) -> None:
    msme = await make_msme(database, owner.id)
    listing = await make_listing(database, msme)

    first = await client.post(f"{LISTINGS}/{listing.id}/close", headers=owner.headers)
    second = await client.post(f"{LISTINGS}/{listing.id}/close", headers=owner.headers)

    assert first.status_code == 200
    assert first.json()["data"]["status"] == "closed"
    assert second.status_code == 409
    assert (await client.get(f"{LISTINGS}/{listing.id}")).status_code == 404


async def test_a_buyer_cannot_close_someone_elses_listing(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    msme = await make_msme(database, owner.id)
    listing = await make_listing(database, msme)

    response = await client.post(f"{LISTINGS}/{listing.id}/close", headers=buyer.headers)

    assert response.status_code == 403


# --- mine -----------------------------------------------------------------------------------


async def test_mine_lists_only_my_listings_in_every_status_with_counts(
    client: httpx.AsyncClient, database: Database, owner: Actor, other_owner: Actor
) -> None:
    msme = await make_msme(database, owner.id)
    for status in ("draft", "active", "closed"):
        await make_listing(database, msme, status=status)
    theirs = await make_msme(database, other_owner.id)
    await make_listing(database, theirs)

    response = await client.get(f"{LISTINGS}/mine?page_size=2", headers=owner.headers)

    assert response.status_code == 200
    body = response.json()
    assert body["pagination"] == {"page": 1, "page_size": 2, "total": 3, "pages": 2}
    assert {"views_count", "interests_count", "rejection_reason"} <= set(body["data"][0])


async def test_mine_refuses_a_page_size_over_100(client: httpx.AsyncClient, owner: Actor) -> None:
    response = await client.get(f"{LISTINGS}/mine?page_size=101", headers=owner.headers)

    assert response.status_code == 422


# --- events ---------------------------------------------------------------------------------


async def test_each_listing_change_is_announced_after_the_commit(
    client: httpx.AsyncClient, database: Database, owner: Actor
) -> None:
    from msmebazaar.msme.service import ListingChanged  # noqa: PLC0415

    msme = await make_msme(database, owner.id)
    created = await client.post(LISTINGS, json=listing_payload(msme.id), headers=owner.headers)
    listing_id = created.json()["data"]["id"]
    await client.post(f"{LISTINGS}/{listing_id}/submit", headers=owner.headers)
    await client.post(f"{LISTINGS}/{listing_id}/submit", headers=owner.headers)  # 409
    seen = await stored_events(database, ListingChanged)

    assert [(str(event.listing_id), event.status) for event in seen] == [
        (listing_id, "draft"),
        (listing_id, "submitted"),
    ]
