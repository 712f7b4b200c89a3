"""Public profile cards never carry personal identifiers (issue 18, finding 5): `GET /msmes`
and `GET /msmes/{id}` show visitors no `pan`, `owner_id`, phone or email; the owner, admins and
buyers whose interest was accepted still see every field."""

from __future__ import annotations

import httpx
import pytest

from msmebazaar.shared.db import Database
from tests.auth.factories import Actor
from tests.msme.factories import MSMES, make_interest, make_listing, make_msme, new_pan

PERSONAL = {"pan", "owner_id", "phone", "email"}


async def test_discovery_cards_carry_no_pan_owner_phone_or_email(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    pan = new_pan("P")  # a proprietor's personal PAN
    msme = await make_msme(database, owner.id, pan=pan, gstin=None)

    response = await client.get(MSMES)

    assert response.status_code == 200
    (card,) = [item for item in response.json()["data"] if item["id"] == str(msme.id)]
    assert PERSONAL.isdisjoint(card)
    assert card["legal_name"] == msme.legal_name
    assert pan not in response.text
    assert str(owner.id) not in response.text


async def test_a_profile_read_by_a_visitor_is_its_public_card(
    client: httpx.AsyncClient, owner: Actor, buyer: Actor, database: Database
) -> None:
    pan = new_pan("P")
    msme = await make_msme(database, owner.id, pan=pan, gstin=None)

    for headers in ({}, buyer.headers):
        response = await client.get(f"{MSMES}/{msme.id}", headers=headers)

        assert response.status_code == 200, response.text
        card = response.json()["data"]
        assert PERSONAL.isdisjoint(card)
        assert card["id"] == str(msme.id)
        assert pan not in response.text


@pytest.mark.parametrize("viewer", ["owner", "admin", "accepted_buyer"])
async def test_insiders_still_read_every_field_of_a_profile(
    *,
    client: httpx.AsyncClient,
    owner: Actor,
    admin: Actor,
    buyer: Actor,
    database: Database,
    viewer: str,
) -> None:
    msme = await make_msme(database, owner.id)
    if viewer == "accepted_buyer":
        listing = await make_listing(database, msme, anonymous=False)
        await make_interest(database, listing, buyer.id)
    actor = {"owner": owner, "admin": admin, "accepted_buyer": buyer}[viewer]

    response = await client.get(f"{MSMES}/{msme.id}", headers=actor.headers)

    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert (data["pan"], data["owner_id"], data["version"]) == (msme.pan, str(owner.id), 1)


async def test_my_profiles_keep_every_field(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)

    (mine,) = (await client.get(f"{MSMES}/mine", headers=owner.headers)).json()["data"]

    assert (mine["pan"], mine["owner_id"]) == (msme.pan, str(owner.id))
