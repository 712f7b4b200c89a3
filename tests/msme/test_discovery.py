"""GET /msmes (public discovery) and the privacy rule of anonymous listings on GET /msmes/{id}."""

from __future__ import annotations

import httpx
import pytest

from msmebazaar.shared.db import Database
from tests.auth.factories import Actor
from tests.msme.factories import (
    MSMES,
    gstin_for,
    make_interest,
    make_listing,
    make_msme,
    new_pan,
    new_udyam,
)


def _ids(response: httpx.Response) -> set[str]:
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["data"]}


async def test_discovery_lists_only_verified_live_profiles(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    verified = await make_msme(database, owner.id)
    await make_msme(database, owner.id, verification_status="pending")
    await make_msme(database, owner.id, verification_status="rejected")
    deleted = await make_msme(database, owner.id)
    await client.delete(f"{MSMES}/{deleted.id}", headers=owner.headers)

    response = await client.get(MSMES)

    assert _ids(response) == {str(verified.id)}
    assert response.json()["pagination"]["total"] == 1


@pytest.mark.parametrize("status", ["draft", "submitted", "active", "rejected"])
async def test_discovery_leaves_out_profiles_with_an_anonymous_listing(
    client: httpx.AsyncClient, owner: Actor, database: Database, status: str
) -> None:
    hidden = await make_msme(database, owner.id)
    await make_listing(database, hidden, anonymous=True, status=status)
    named = await make_msme(database, owner.id)
    await make_listing(database, named, anonymous=False)

    assert _ids(await client.get(MSMES)) == {str(named.id)}


async def test_a_closed_anonymous_listing_no_longer_hides_the_profile(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)
    await make_listing(database, msme, anonymous=True, status="closed")

    assert _ids(await client.get(MSMES)) == {str(msme.id)}
    assert (await client.get(f"{MSMES}/{msme.id}")).status_code == 200


async def test_a_profile_with_an_anonymous_listing_is_404_to_outsiders(
    client: httpx.AsyncClient, owner: Actor, buyer: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)
    listing = await make_listing(database, msme, anonymous=True)
    await make_interest(database, listing, buyer.id, status="pending")

    anonymous = await client.get(f"{MSMES}/{msme.id}")
    as_buyer = await client.get(f"{MSMES}/{msme.id}", headers=buyer.headers)

    assert (anonymous.status_code, as_buyer.status_code) == (404, 404)
    assert as_buyer.json()["error"]["code"] == "MSME_NOT_FOUND"


async def test_owner_admin_and_accepted_buyer_see_a_profile_with_an_anonymous_listing(
    client: httpx.AsyncClient, owner: Actor, admin: Actor, investor: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)
    listing = await make_listing(database, msme, anonymous=True)
    await make_interest(database, listing, investor.id, status="accepted")

    for actor in (owner, admin, investor):
        response = await client.get(f"{MSMES}/{msme.id}", headers=actor.headers)
        assert response.status_code == 200
        assert response.json()["data"]["gstin"] == msme.gstin


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sector=textiles", {"weaver"}),
        ("state=Gujarat", {"weaver"}),
        ("state=gujarat", {"weaver"}),
        ("city=surat", {"weaver"}),
        ("classification=small", {"weaver"}),
        ("q=BHAKARWADI", {"snacks"}),
        ("q=silk", {"weaver"}),
        ("q=sarees weaving", {"weaver"}),
        ("q=100%", set()),
        ("verified=true", {"snacks", "weaver"}),
        ("verified=false", set()),
        ("sector=food_processing&state=Gujarat", set()),
    ],
)
async def test_discovery_filters(
    client: httpx.AsyncClient,
    owner: Actor,
    database: Database,
    query: str,
    expected: set[str],
) -> None:
    pan = new_pan("F")
    snacks = await make_msme(database, owner.id)
    weaver = await make_msme(
        database,
        owner.id,
        legal_name="Surat Silk Weavers",
        trade_name=None,
        sector="textiles",
        state="Gujarat",
        city="Surat",
        gstin=gstin_for(pan, "24"),
        pan=pan,
        udyam_number=new_udyam("GJ"),
        products="Silk sarees",
        description="Sarees weaving since 1990.",
        classification="small",
    )
    names = {str(snacks.id): "snacks", str(weaver.id): "weaver"}

    response = await client.get(f"{MSMES}?{query}")

    assert {names[item] for item in _ids(response)} == expected


@pytest.mark.parametrize(
    "query",
    [
        "sector=space_mining",
        "state=Atlantis",
        "classification=huge",
        "verified=maybe",
        "page_size=101",
        "page=0",
    ],
)
async def test_discovery_refuses_bad_filters(client: httpx.AsyncClient, query: str) -> None:
    response = await client.get(f"{MSMES}?{query}")

    assert response.status_code == 422
    assert response.json()["success"] is False


async def test_discovery_pages_newest_first_and_past_the_end_is_empty(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    for _ in range(3):
        await make_msme(database, owner.id)

    first = await client.get(f"{MSMES}?page_size=2")
    past = await client.get(f"{MSMES}?page=3&page_size=2")

    assert first.json()["pagination"] == {"page": 1, "page_size": 2, "total": 3, "pages": 2}
    assert len(first.json()["data"]) == 2
    assert past.status_code == 200
    assert past.json()["data"] == []
