"""Public cards (DESIGN.md §3): who sees what of a listing, checked on the serialised JSON."""

from __future__ import annotations

import itertools
import json
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from msmebazaar.msme.bands import BAND_EDGES, band_bounds, money_band
from msmebazaar.msme.models import Deal, Listing, Msme
from msmebazaar.shared.db import Database, utcnow
from msmebazaar.shared.india import CRORE, LAKH
from tests.auth.factories import Actor, make_user
from tests.msme.factories import (
    make_deal,
    make_financials,
    make_interest,
    make_listing,
    make_msme,
)

LISTINGS = "/api/v1/listings"
OWNER_PHONE = "+919812300001"


def _identity_values(msme: Msme, listing: Listing) -> dict[str, str]:
    """Every value that would identify the business, as it would appear in JSON."""
    values = {
        "msme_id": str(msme.id),
        "legal_name": msme.legal_name,
        "trade_name": msme.trade_name or "",
        "gstin": msme.gstin or "",
        "pan": msme.pan or "",
        "udyam_number": msme.udyam_number or "",
        "cin": msme.cin or "",
        "city": msme.city or "",
        "pincode": msme.pincode or "",
        "website": msme.website or "",
        "phone": OWNER_PHONE,
        "revenue": str(listing.revenue),
        "ebitda": str(listing.ebitda),
    }
    return {key: value for key, value in values.items() if value}


def _leaks(body: Any, values: dict[str, str]) -> set[str]:
    text = json.dumps(body, ensure_ascii=False)
    return {key for key, value in values.items() if value in text}


@pytest.fixture
async def seller(database: Database, client: httpx.AsyncClient) -> Actor:
    from tests.auth.factories import sign_in  # noqa: PLC0415 - a phone this file controls

    await make_user(database, phone=OWNER_PHONE, role="msme_owner", name="Seller")
    return Actor(await sign_in(client, OWNER_PHONE))


async def _anonymous_listing(database: Database, seller: Actor) -> tuple[Msme, Listing]:
    msme = await make_msme(database, seller.id)
    await make_financials(database, msme.id, revenue=8_12_34_567, ebitda=1_23_45_678)
    listing = await make_listing(
        database, msme, revenue=8_12_34_567, ebitda=1_23_45_678, anonymous=True
    )
    return msme, listing


# --- bands ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "band"),
    [
        (0, "Up to ₹10 L"),
        (9_99_999, "Up to ₹10 L"),
        (10 * LAKH, "₹10–25 L"),
        (60 * LAKH, "₹50 L–1 Cr"),
        (1 * CRORE, "₹1–2 Cr"),
        (7 * CRORE, "₹5–10 Cr"),
        (10 * CRORE, "₹10–25 Cr"),
        (499 * CRORE, "₹250–500 Cr"),
        (900 * CRORE, "₹500 Cr+"),
        (-5 * LAKH, "Loss-making"),
        (None, None),
    ],
)
def test_money_bands(amount: int | None, band: str | None) -> None:
    assert money_band(amount) == band


def test_every_band_edge_starts_its_own_band() -> None:
    for low, high in itertools.pairwise(BAND_EDGES):
        label = money_band(low)
        assert label is not None
        assert band_bounds(label) == (low, high)
        assert money_band(high - 1) == label


# --- anonymous listings ---------------------------------------------------------------------


async def test_a_stranger_sees_bands_and_terms_but_nothing_identifying(
    client: httpx.AsyncClient, database: Database, seller: Actor
) -> None:
    msme, listing = await _anonymous_listing(database, seller)

    response = await client.get(f"{LISTINGS}/{listing.id}")

    assert response.status_code == 200
    card = response.json()["data"]
    assert _leaks(response.json(), _identity_values(msme, listing)) == set()
    assert card["revenue_band"] == "₹5–10 Cr"
    assert card["ebitda_band"] == "₹1–2 Cr"
    assert (card["deal_type"], card["asking_price"]) == ("full_sale", listing.asking_price)
    assert (card["sector"], card["state"]) == ("food_processing", "Maharashtra")
    assert card["identity"] is None


@pytest.mark.parametrize("status", ["pending", "declined", "withdrawn"])
async def test_a_buyer_whose_interest_is_not_accepted_sees_nothing_identifying(
    client: httpx.AsyncClient, database: Database, seller: Actor, buyer: Actor, status: str
) -> None:
    msme, listing = await _anonymous_listing(database, seller)
    await make_interest(database, listing, buyer.id, status=status)

    card = await client.get(f"{LISTINGS}/{listing.id}", headers=buyer.headers)
    sent = await client.get("/api/v1/interests/mine", headers=buyer.headers)

    assert _leaks(card.json(), _identity_values(msme, listing)) == set()
    assert _leaks(sent.json(), _identity_values(msme, listing)) == set()


async def test_another_owner_sees_nothing_identifying(
    client: httpx.AsyncClient, database: Database, seller: Actor, other_owner: Actor
) -> None:
    msme, listing = await _anonymous_listing(database, seller)

    response = await client.get(f"{LISTINGS}/{listing.id}", headers=other_owner.headers)

    assert _leaks(response.json(), _identity_values(msme, listing)) == set()


async def test_search_results_never_identify_an_anonymous_listing(
    client: httpx.AsyncClient, database: Database, seller: Actor, buyer: Actor
) -> None:
    msme, listing = await _anonymous_listing(database, seller)
    await make_interest(database, listing, buyer.id, status="accepted")

    for headers in ({}, buyer.headers, seller.headers):
        response = await client.get(LISTINGS, headers=headers)
        assert [item["id"] for item in response.json()["data"]] == [str(listing.id)]
        assert _leaks(response.json(), _identity_values(msme, listing)) == set()


async def test_the_accepted_buyer_sees_the_identity_and_the_figures_once_the_nda_is_signed(
    client: httpx.AsyncClient, database: Database, seller: Actor, buyer: Actor
) -> None:
    msme, listing = await _anonymous_listing(database, seller)
    interest = await make_interest(database, listing, buyer.id, status="accepted")
    deal = await make_deal(database, listing, interest)
    figures = {"revenue", "ebitda"}

    before = await client.get(f"{LISTINGS}/{listing.id}", headers=buyer.headers)
    sent_before = await client.get("/api/v1/interests/mine", headers=buyer.headers)
    async with database.session() as session:
        await session.execute(update(Deal).where(Deal.id == deal.id).values(nda_signed_at=utcnow()))
    after = await client.get(f"{LISTINGS}/{listing.id}", headers=buyer.headers)

    identity = set(_identity_values(msme, listing)) - {"phone"}
    assert _leaks(before.json(), _identity_values(msme, listing)) == identity - figures
    # The interest adds the owner's contact (phone) but not the figures either.
    assert _leaks(sent_before.json(), _identity_values(msme, listing)) == (
        identity - figures | {"phone"}
    )
    assert before.json()["data"]["identity"]["revenue"] is None
    assert _leaks(after.json(), _identity_values(msme, listing)) == identity
    assert after.json()["data"]["identity"]["revenue"] == 8_12_34_567


async def test_a_listing_without_the_nda_requirement_shows_the_figures_on_acceptance(
    client: httpx.AsyncClient, database: Database, seller: Actor, buyer: Actor
) -> None:
    msme = await make_msme(database, seller.id)
    listing = await make_listing(database, msme, revenue=8_12_34_567, nda_required=False)
    interest = await make_interest(database, listing, buyer.id, status="accepted")
    await make_deal(database, listing, interest)

    response = await client.get(f"{LISTINGS}/{listing.id}", headers=buyer.headers)

    assert response.json()["data"]["nda_required"] is False
    assert response.json()["data"]["identity"]["revenue"] == 8_12_34_567


async def test_the_owner_and_admins_see_everything(
    client: httpx.AsyncClient, database: Database, seller: Actor, admin: Actor
) -> None:
    msme, listing = await _anonymous_listing(database, seller)
    expected = set(_identity_values(msme, listing)) - {"phone"}

    for actor in (seller, admin):
        response = await client.get(f"{LISTINGS}/{listing.id}", headers=actor.headers)
        assert response.json()["data"]["view"] == "owner"
        assert _leaks(response.json(), _identity_values(msme, listing)) == expected


# --- named listings -------------------------------------------------------------------------


async def test_a_named_card_adds_names_and_city_but_no_identifiers(
    client: httpx.AsyncClient, database: Database, seller: Actor
) -> None:
    msme = await make_msme(database, seller.id)
    listing = await make_listing(
        database, msme, anonymous=False, revenue=8_12_34_567, ebitda=1_23_45_678
    )

    card = await client.get(f"{LISTINGS}/{listing.id}")
    found = await client.get(LISTINGS)

    for body in (card.json(), found.json()):
        assert _leaks(body, _identity_values(msme, listing)) == {
            "legal_name",
            "trade_name",
            "city",
        }
    assert card.json()["data"]["trade_name"] == "Ganesh Namkeen"
    assert card.json()["data"]["revenue_band"] == "₹5–10 Cr"
