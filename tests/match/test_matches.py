"""Ranked matches over the API, both directions: scores, grades, reasons, cards and access."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from msmebazaar.match import matching
from msmebazaar.match.runtime import match_part
from msmebazaar.msme.models import Listing
from msmebazaar.msme.service import ListingChanged
from msmebazaar.shared.db import Database, utcnow
from msmebazaar.shared.events import publish
from msmebazaar.shared.runtime import runtime_of
from tests.auth.factories import Actor
from tests.match.factories import MANDATES, MATCHES, active_listing, mandate_payload


async def _mandate(client: httpx.AsyncClient, actor: Actor, **fields: object) -> str:
    response = await client.post(MANDATES, json=mandate_payload(**fields), headers=actor.headers)
    assert response.status_code == 201, response.text
    return str(response.json()["data"]["id"])


async def test_matching_listing_is_ranked_with_score_grade_breakdown_and_reasons(
    client: httpx.AsyncClient, buyer: Actor, owner: Actor, database: Database
) -> None:
    listing = await active_listing(database, owner.id, asking_price=4_00_00_000)
    mandate_id = await _mandate(client, buyer)

    response = await client.get(f"{MATCHES}/mandates/{mandate_id}", headers=buyer.headers)

    assert response.status_code == 200
    [match] = response.json()["data"]
    assert match["listing"]["id"] == str(listing.id)
    assert 60 <= match["score"] <= 100
    assert match["grade"] in {"excellent", "good"}
    assert match["breakdown"]["sector"] == 1.0
    assert match["breakdown"]["geography"] == 1.0
    assert "Sector: Food Processing, in the mandate's list" in match["reasons"]
    assert "Asking ₹4 Cr, inside ₹1–10 Cr" in match["reasons"]


async def test_listing_card_keeps_an_anonymous_business_anonymous(
    client: httpx.AsyncClient, buyer: Actor, owner: Actor, database: Database
) -> None:
    await active_listing(database, owner.id)
    mandate_id = await _mandate(client, buyer)

    response = await client.get(f"{MATCHES}/mandates/{mandate_id}", headers=buyer.headers)

    card = response.json()["data"][0]["listing"]
    assert card["revenue_band"] == "₹5–10 Cr"
    assert card["legal_name"] is None
    assert card["city"] is None
    assert card["identity"] is None
    assert "msme_id" not in card
    assert all("8 Cr" not in reason for reason in response.json()["data"][0]["reasons"])


async def test_reasons_come_in_the_users_language(
    client: httpx.AsyncClient, buyer: Actor, owner: Actor, database: Database
) -> None:
    await active_listing(database, owner.id)
    mandate_id = await _mandate(client, buyer)
    await client.patch("/api/v1/auth/me", json={"language": "hi"}, headers=buyer.headers)

    response = await client.get(f"{MATCHES}/mandates/{mandate_id}", headers=buyer.headers)

    assert "क्षेत्र: खाद्य प्रसंस्करण, मैंडेट की सूची में" in response.json()["data"][0]["reasons"]


async def test_filtered_listings_never_appear(
    client: httpx.AsyncClient, buyer: Actor, owner: Actor, database: Database
) -> None:
    await active_listing(database, owner.id, deal_type="debt")
    await active_listing(database, owner.id, asking_price=50_00_00_000)
    await active_listing(database, owner.id, status="draft")
    mandate_id = await _mandate(client, buyer)

    response = await client.get(f"{MATCHES}/mandates/{mandate_id}", headers=buyer.headers)

    assert response.json()["data"] == []


async def test_limit_caps_the_matches_and_over_100_is_refused(
    client: httpx.AsyncClient, buyer: Actor, owner: Actor, database: Database
) -> None:
    for _ in range(3):
        await active_listing(database, owner.id)
    mandate_id = await _mandate(client, buyer)

    capped = await client.get(f"{MATCHES}/mandates/{mandate_id}?limit=2", headers=buyer.headers)
    too_many = await client.get(f"{MATCHES}/mandates/{mandate_id}?limit=101", headers=buyer.headers)

    assert len(capped.json()["data"]) == 2
    assert too_many.status_code == 422


async def test_only_the_mandates_owner_or_an_admin_may_ask(
    client: httpx.AsyncClient, buyer: Actor, other_buyer: Actor, admin: Actor
) -> None:
    mandate_id = await _mandate(client, buyer)

    stranger = await client.get(f"{MATCHES}/mandates/{mandate_id}", headers=other_buyer.headers)
    as_admin = await client.get(f"{MATCHES}/mandates/{mandate_id}", headers=admin.headers)

    assert stranger.status_code == 404
    assert as_admin.status_code == 200


async def test_a_new_listing_made_elsewhere_is_seen_through_the_version_stamp(
    client: httpx.AsyncClient, buyer: Actor, owner: Actor, database: Database, app: FastAPI
) -> None:
    mandate_id = await _mandate(client, buyer)
    first = await client.get(f"{MATCHES}/mandates/{mandate_id}", headers=buyer.headers)
    match_part(runtime_of(app)).index.check_seconds = 0  # "a few seconds later"
    listing = await active_listing(database, owner.id)  # no event: as if in another process

    second = await client.get(f"{MATCHES}/mandates/{mandate_id}", headers=buyer.headers)

    assert first.json()["data"] == []
    assert [item["listing"]["id"] for item in second.json()["data"]] == [str(listing.id)]


async def test_a_closed_listing_leaves_the_index_after_its_event(
    client: httpx.AsyncClient, buyer: Actor, owner: Actor, database: Database
) -> None:
    listing = await active_listing(database, owner.id)
    mandate_id = await _mandate(client, buyer)
    before = await client.get(f"{MATCHES}/mandates/{mandate_id}", headers=buyer.headers)

    async with database.session() as session:
        await session.execute(
            update(Listing)
            .where(Listing.id == listing.id)
            .values(status="closed", closed_at=utcnow())
        )
        publish(session, ListingChanged(listing.id, listing.msme_id, "closed"))
    after = await client.get(f"{MATCHES}/mandates/{mandate_id}", headers=buyer.headers)

    assert len(before.json()["data"]) == 1
    assert after.json()["data"] == []


async def test_seller_sees_mandates_with_the_buyer_named_only_when_public(
    client: httpx.AsyncClient,
    buyer: Actor,
    other_buyer: Actor,
    owner: Actor,
    database: Database,
) -> None:
    listing = await active_listing(database, owner.id, asking_price=4_00_00_000)
    public_id = await _mandate(client, buyer, public_profile=True)
    private_id = await _mandate(client, other_buyer)

    response = await client.get(f"{MATCHES}/listings/{listing.id}", headers=owner.headers)

    assert response.status_code == 200
    cards = {item["mandate"]["id"]: item["mandate"] for item in response.json()["data"]}
    assert set(cards) == {public_id, private_id}
    assert cards[public_id]["buyer"]["id"] == str(buyer.id)
    assert cards[public_id]["thesis"]
    assert cards[private_id]["buyer"] is None
    assert cards[private_id]["thesis"] is None


async def test_seller_view_is_forbidden_to_others_and_hidden_for_drafts(
    client: httpx.AsyncClient, buyer: Actor, owner: Actor, database: Database
) -> None:
    active = await active_listing(database, owner.id)
    draft = await active_listing(database, owner.id, status="draft")

    public = await client.get(f"{MATCHES}/listings/{active.id}", headers=buyer.headers)
    hidden = await client.get(f"{MATCHES}/listings/{draft.id}", headers=buyer.headers)

    assert public.status_code == 403
    assert public.json()["error"]["code"] == "MATCH_FORBIDDEN"
    assert hidden.status_code == 404


async def test_an_inactive_listing_has_no_matching_mandates(
    client: httpx.AsyncClient, buyer: Actor, owner: Actor, database: Database
) -> None:
    draft = await active_listing(database, owner.id, status="draft")
    await _mandate(client, buyer)

    response = await client.get(f"{MATCHES}/listings/{draft.id}", headers=owner.headers)

    assert response.status_code == 200
    assert response.json()["data"] == []


async def test_malformed_id_is_422(client: httpx.AsyncClient, buyer: Actor) -> None:
    response = await client.get(f"{MATCHES}/mandates/not-a-uuid", headers=buyer.headers)

    assert response.status_code == 422


async def test_match_metrics_are_exported(
    client: httpx.AsyncClient, buyer: Actor, owner: Actor, database: Database
) -> None:
    await active_listing(database, owner.id)
    mandate_id = await _mandate(client, buyer)
    await client.get(f"{MATCHES}/mandates/{mandate_id}", headers=buyer.headers)

    metrics = (await client.get("/metrics")).text

    assert 'match_requests_total{direction="mandate"}' in metrics
    assert "match_duration_seconds_bucket" in metrics
    assert 'embeddings_total{provider="wordllama"}' in metrics


async def test_a_ranking_is_computed_once_per_mandate_version_and_index_generation(
    client: httpx.AsyncClient,
    buyer: Actor,
    owner: Actor,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    computed: list[uuid.UUID] = []
    rank = matching._rank

    def counting_rank(*args: Any, **kwargs: Any) -> list[matching.RankedListing]:
        computed.append(args[1].id)
        return rank(*args, **kwargs)

    monkeypatch.setattr(matching, "_rank", counting_rank)
    listing = await active_listing(database, owner.id, asking_price=4_00_00_000)
    mandate_id = await _mandate(client, buyer)
    url = f"{MATCHES}/mandates/{mandate_id}"

    first = await client.get(url, headers=buyer.headers)
    again = await client.get(url, headers=buyer.headers)
    assert len(computed) == 1
    assert again.json()["data"] == first.json()["data"]

    # A changed mandate is ranked again: its ticket no longer fits the listing's price.
    narrowed = {"ticket_min": 50_00_000, "ticket_max": 1_00_00_000, "version": 1}
    assert (
        await client.patch(f"{MANDATES}/{mandate_id}", json=narrowed, headers=buyer.headers)
    ).status_code == 200
    after_edit = await client.get(url, headers=buyer.headers)
    assert len(computed) == 2
    assert after_edit.json()["data"] != first.json()["data"]

    # A listing change makes a new index generation: ranked again, the new figures in the card.
    async with database.session() as session:
        await session.execute(
            update(Listing).where(Listing.id == listing.id).values(asking_price=90_00_000)
        )
        publish(session, ListingChanged(listing.id, listing.msme_id, "updated"))
    after_change = await client.get(url, headers=buyer.headers)
    assert len(computed) == 3
    [match] = after_change.json()["data"]
    assert match["listing"]["asking_price"] == 90_00_000


async def test_a_cached_ranking_never_shows_a_listing_that_left_the_marketplace(
    client: httpx.AsyncClient, buyer: Actor, owner: Actor, database: Database
) -> None:
    listing = await active_listing(database, owner.id)
    mandate_id = await _mandate(client, buyer)
    url = f"{MATCHES}/mandates/{mandate_id}"
    assert len((await client.get(url, headers=buyer.headers)).json()["data"]) == 1

    # Hidden with its suspended owner, and no event: the index has not seen it yet.
    async with database.session() as session:
        await session.execute(
            update(Listing).where(Listing.id == listing.id).values(owner_suspended=True)
        )

    assert (await client.get(url, headers=buyer.headers)).json()["data"] == []
