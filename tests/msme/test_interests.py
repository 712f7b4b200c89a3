"""Interests: one live per buyer and listing, three in all; accept / decline / withdraw; what each
side sees."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.msme.interests import MAX_INTERESTS_PER_BUYER_PER_LISTING
from msmebazaar.msme.models import Interest, Listing, Msme
from msmebazaar.msme.service import interest_sent
from msmebazaar.shared.db import Database
from msmebazaar.shared.metrics import REGISTRY
from msmebazaar.shared.outbox import OutboxMessage
from tests.auth.factories import Actor, rows
from tests.msme.factories import make_interest, make_listing, make_msme

LISTINGS = "/api/v1/listings"
INTERESTS = "/api/v1/interests"
MESSAGE = {"message": "We run two snack brands and would like to talk."}


def _metric(status: str) -> float:
    return REGISTRY.get_sample_value("interests_total", {"status": status}) or 0.0


async def _sms_to(connection: AsyncConnection, phone: str) -> list[str]:
    statement = select(OutboxMessage.body).where(
        OutboxMessage.recipient == phone, OutboxMessage.template.like("interest_%")
    )
    return [row.body for row in await rows(connection, statement)]


async def _phone(client: httpx.AsyncClient, actor: Actor) -> str:
    return str((await client.get("/api/v1/auth/me", headers=actor.headers)).json()["data"]["phone"])


@pytest.fixture
async def listed(database: Database, owner: Actor) -> tuple[Msme, Listing]:
    msme = await make_msme(database, owner.id)
    return msme, await make_listing(database, msme)


async def _send(client: httpx.AsyncClient, listing: Listing, actor: Actor) -> httpx.Response:
    return await client.post(
        f"{LISTINGS}/{listing.id}/interests", json=MESSAGE, headers=actor.headers
    )


# --- send -----------------------------------------------------------------------------------


async def test_a_buyer_sends_an_interest_and_the_owner_gets_an_sms(
    client: httpx.AsyncClient,
    owner: Actor,
    buyer: Actor,
    listed: tuple[Msme, Listing],
    db_connection: AsyncConnection,
) -> None:
    _, listing = listed
    before = _metric("pending")

    response = await _send(client, listing, buyer)

    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert (data["status"], data["buyer_id"]) == ("pending", str(buyer.id))
    stored = (await rows(db_connection, select(Listing.interests_count, Listing.version)))[0]
    assert (stored.interests_count, stored.version) == (1, 1)
    sms = await _sms_to(db_connection, await _phone(client, owner))
    assert len(sms) == 1
    assert "interested" in sms[0]
    assert _metric("pending") == before + 1


async def test_an_investor_may_send_one_too(
    client: httpx.AsyncClient, investor: Actor, listed: tuple[Msme, Listing]
) -> None:
    assert (await _send(client, listed[1], investor)).status_code == 201


async def test_a_second_interest_by_the_same_buyer_is_409(
    client: httpx.AsyncClient,
    buyer: Actor,
    listed: tuple[Msme, Listing],
    db_connection: AsyncConnection,
) -> None:
    await _send(client, listed[1], buyer)

    response = await _send(client, listed[1], buyer)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "INTEREST_ALREADY_SENT"
    assert len(await rows(db_connection, select(Interest.id))) == 1
    assert (await rows(db_connection, select(Listing.interests_count)))[0][0] == 1


async def test_a_buyer_who_withdrew_may_send_a_new_interest(
    client: httpx.AsyncClient,
    owner: Actor,
    buyer: Actor,
    listed: tuple[Msme, Listing],
    db_connection: AsyncConnection,
) -> None:
    first = (await _send(client, listed[1], buyer)).json()["data"]["id"]
    await client.post(f"{INTERESTS}/{first}/withdraw", headers=buyer.headers)

    response = await _send(client, listed[1], buyer)

    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert data["id"] != first
    assert data["status"] == "pending"
    stored = await rows(db_connection, select(Interest.id, Interest.status))
    assert {(str(row.id), row.status) for row in stored} == {
        (first, "withdrawn"),
        (data["id"], "pending"),
    }
    # The counter counts buyers, so a re-send leaves it alone; the owner is told of each interest.
    assert (await rows(db_connection, select(Listing.interests_count)))[0][0] == 1
    assert len(await _sms_to(db_connection, await _phone(client, owner))) == 2
    sent = await client.get(f"{INTERESTS}/mine", headers=buyer.headers)
    assert [item["status"] for item in sent.json()["data"]] == ["pending", "withdrawn"]


async def _send_and_withdraw(
    client: httpx.AsyncClient, listing: Listing, buyer: Actor, times: int
) -> list[httpx.Response]:
    answers = []
    for _ in range(times):
        answers.append(sent := await _send(client, listing, buyer))
        interest = sent.json()["data"]["id"]
        await client.post(f"{INTERESTS}/{interest}/withdraw", headers=buyer.headers)
    return answers


async def test_a_buyer_may_send_three_interests_in_a_listing_and_no_more(
    client: httpx.AsyncClient,
    database: Database,
    *,
    owner: Actor,
    buyer: Actor,
    listed: tuple[Msme, Listing],
    db_connection: AsyncConnection,
) -> None:
    msme, listing = listed
    assert MAX_INTERESTS_PER_BUYER_PER_LISTING == 3  # the product's rule
    answers = await _send_and_withdraw(client, listing, buyer, 3)

    refused = await _send(client, listing, buyer)

    assert [answer.status_code for answer in answers] == [201, 201, 201]
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "INTEREST_LIMIT_REACHED"
    assert "3 interests" in refused.json()["message"]
    stored = await rows(db_connection, select(Interest.status))
    assert [row.status for row in stored] == ["withdrawn"] * 3
    assert (await rows(db_connection, select(Listing.interests_count)))[0][0] == 1
    assert len(await _sms_to(db_connection, await _phone(client, owner))) == 3
    # The cap is per listing: the same buyer may still send in another one.
    other = await make_listing(database, msme)
    assert (await _send(client, other, buyer)).status_code == 201


async def test_the_cap_counts_withdrawn_interests_but_not_other_buyers(
    client: httpx.AsyncClient,
    database: Database,
    *,
    buyer: Actor,
    investor: Actor,
    listed: tuple[Msme, Listing],
    db_connection: AsyncConnection,
) -> None:
    listing = listed[1]
    for _ in range(MAX_INTERESTS_PER_BUYER_PER_LISTING):
        await make_interest(database, listing, buyer.id, status="withdrawn")

    refused = await _send(client, listing, buyer)
    other = await _send(client, listing, investor)

    assert refused.json()["error"]["code"] == "INTEREST_LIMIT_REACHED"
    assert other.status_code == 201
    assert (await rows(db_connection, select(Listing.interests_count)))[0][0] == 1


async def test_each_buyer_raises_the_counter_once(
    client: httpx.AsyncClient,
    buyer: Actor,
    investor: Actor,
    listed: tuple[Msme, Listing],
    db_connection: AsyncConnection,
) -> None:
    listing = listed[1]

    await _send_and_withdraw(client, listing, buyer, 2)
    await _send_and_withdraw(client, listing, investor, 1)
    await _send(client, listing, investor)

    assert len(await rows(db_connection, select(Interest.id))) == 4
    stored = (await rows(db_connection, select(Listing.interests_count, Listing.version)))[0]
    assert (stored.interests_count, stored.version) == (2, 1)


async def test_the_api_docs_name_both_refusals_of_a_send(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    conflict = schema["paths"]["/api/v1/listings/{listing_id}/interests"]["post"]["responses"]

    assert "INTEREST_ALREADY_SENT" in conflict["409"]["description"]
    assert "INTEREST_LIMIT_REACHED" in conflict["409"]["description"]
    assert "sent 3 " in conflict["409"]["description"]


async def test_a_second_live_interest_after_a_resend_is_still_409(
    client: httpx.AsyncClient,
    database: Database,
    buyer: Actor,
    listed: tuple[Msme, Listing],
    db_connection: AsyncConnection,
) -> None:
    await make_interest(database, listed[1], buyer.id, status="withdrawn")
    assert (await _send(client, listed[1], buyer)).status_code == 201

    response = await _send(client, listed[1], buyer)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "INTEREST_ALREADY_SENT"
    assert len(await rows(db_connection, select(Interest.id))) == 2


@pytest.mark.parametrize("status", ["accepted", "declined"])
async def test_a_decided_interest_still_counts_as_sent(
    client: httpx.AsyncClient,
    database: Database,
    buyer: Actor,
    listed: tuple[Msme, Listing],
    status: str,
) -> None:
    await make_interest(database, listed[1], buyer.id, status=status)

    response = await _send(client, listed[1], buyer)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "INTEREST_ALREADY_SENT"


async def test_the_database_refuses_a_second_live_interest(
    database: Database, buyer: Actor, listed: tuple[Msme, Listing]
) -> None:
    # What decides a race between one buyer's two requests: the unique index of live rows.
    await make_interest(database, listed[1], buyer.id, status="withdrawn")
    await make_interest(database, listed[1], buyer.id, status="pending")

    with pytest.raises(IntegrityError):
        await make_interest(database, listed[1], buyer.id, status="accepted")


async def test_an_owner_cannot_send_an_interest(
    client: httpx.AsyncClient, other_owner: Actor, listed: tuple[Msme, Listing]
) -> None:
    assert (await _send(client, listed[1], other_owner)).status_code == 403


async def test_an_admin_cannot_send_one_on_their_own_listing(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    msme = await make_msme(database, admin.id)
    listing = await make_listing(database, msme)

    response = await _send(client, listing, admin)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "INTEREST_OWN_LISTING"


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected", "closed"])
async def test_only_active_listings_take_interests(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor, status: str
) -> None:
    msme = await make_msme(database, owner.id)
    listing = await make_listing(database, msme, status=status)

    response = await _send(client, listing, buyer)

    assert response.status_code == 404


@pytest.mark.parametrize(
    "body", [{}, {"message": ""}, {"message": 12345}, {"message": "hi", "extra": True}]
)
async def test_a_bad_message_is_422(
    client: httpx.AsyncClient,
    buyer: Actor,
    listed: tuple[Msme, Listing],
    body: dict[str, Any],
    db_connection: AsyncConnection,
) -> None:
    response = await client.post(
        f"{LISTINGS}/{listed[1].id}/interests", json=body, headers=buyer.headers
    )

    assert response.status_code == 422
    assert await rows(db_connection, select(Interest.id)) == []


# --- decide ---------------------------------------------------------------------------------


async def test_accepting_shares_contacts_both_ways_and_tells_the_buyer(
    client: httpx.AsyncClient,
    owner: Actor,
    buyer: Actor,
    listed: tuple[Msme, Listing],
    db_connection: AsyncConnection,
) -> None:
    msme, listing = listed
    interest_id = (await _send(client, listing, buyer)).json()["data"]["id"]

    accepted = await client.post(f"{INTERESTS}/{interest_id}/accept", headers=owner.headers)
    sent = (await client.get(f"{INTERESTS}/mine", headers=buyer.headers)).json()["data"][0]
    got = (await client.get(f"{INTERESTS}/received", headers=owner.headers)).json()["data"][0]

    assert accepted.status_code == 200
    assert accepted.json()["data"]["status"] == "accepted"
    assert sent["owner_contact"]["phone"] == await _phone(client, owner)
    assert sent["profile"]["gstin"] == msme.gstin
    assert sent["listing"]["identity"]["legal_name"] == msme.legal_name
    assert got["buyer_contact"]["phone"] == await _phone(client, buyer)
    assert got["buyer_name"] == "Test User"
    sms = await _sms_to(db_connection, await _phone(client, buyer))
    assert len(sms) == 1
    assert "accepted" in sms[0]


async def test_before_acceptance_neither_side_sees_contacts(
    client: httpx.AsyncClient, owner: Actor, buyer: Actor, listed: tuple[Msme, Listing]
) -> None:
    await _send(client, listed[1], buyer)

    sent = (await client.get(f"{INTERESTS}/mine", headers=buyer.headers)).json()["data"][0]
    got = (await client.get(f"{INTERESTS}/received", headers=owner.headers)).json()["data"][0]

    assert sent["owner_contact"] is None
    assert sent["profile"] is None
    assert sent["listing"]["identity"] is None
    assert got["buyer_contact"] is None
    assert got["buyer_name"] == "Test User"


async def test_declining_tells_the_buyer_and_cannot_be_repeated(
    client: httpx.AsyncClient,
    owner: Actor,
    buyer: Actor,
    listed: tuple[Msme, Listing],
    db_connection: AsyncConnection,
) -> None:
    interest_id = (await _send(client, listed[1], buyer)).json()["data"]["id"]

    declined = await client.post(f"{INTERESTS}/{interest_id}/decline", headers=owner.headers)
    again = await client.post(f"{INTERESTS}/{interest_id}/accept", headers=owner.headers)

    assert declined.json()["data"]["status"] == "declined"
    assert again.status_code == 409
    assert "declined" in (await _sms_to(db_connection, await _phone(client, buyer)))[0]
    stored = await rows(db_connection, select(Interest.status))
    assert stored[0].status == "declined"


async def test_the_buyer_cannot_accept_their_own_interest(
    client: httpx.AsyncClient, buyer: Actor, listed: tuple[Msme, Listing]
) -> None:
    interest_id = (await _send(client, listed[1], buyer)).json()["data"]["id"]

    response = await client.post(f"{INTERESTS}/{interest_id}/accept", headers=buyer.headers)

    assert response.status_code == 403


async def test_a_stranger_gets_404_for_someone_elses_interest(
    client: httpx.AsyncClient, buyer: Actor, investor: Actor, listed: tuple[Msme, Listing]
) -> None:
    interest_id = (await _send(client, listed[1], buyer)).json()["data"]["id"]

    for action in ("accept", "decline", "withdraw"):
        response = await client.post(
            f"{INTERESTS}/{interest_id}/{action}", headers=investor.headers
        )
        assert response.status_code == 404


async def test_an_admin_may_accept_on_the_owners_behalf(
    client: httpx.AsyncClient, admin: Actor, buyer: Actor, listed: tuple[Msme, Listing]
) -> None:
    interest_id = (await _send(client, listed[1], buyer)).json()["data"]["id"]

    response = await client.post(f"{INTERESTS}/{interest_id}/accept", headers=admin.headers)

    assert response.status_code == 200


async def test_unknown_and_malformed_interest_ids(client: httpx.AsyncClient, owner: Actor) -> None:
    unknown = await client.post(f"{INTERESTS}/{uuid.uuid4()}/accept", headers=owner.headers)
    malformed = await client.post(f"{INTERESTS}/nope/accept", headers=owner.headers)

    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "INTEREST_NOT_FOUND"
    assert malformed.status_code == 422


# --- withdraw -------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["pending", "accepted"])
async def test_the_buyer_withdraws_a_pending_or_accepted_interest(
    client: httpx.AsyncClient,
    database: Database,
    buyer: Actor,
    listed: tuple[Msme, Listing],
    status: str,
) -> None:
    interest = await make_interest(database, listed[1], buyer.id, status=status)
    before = _metric("withdrawn")

    response = await client.post(f"{INTERESTS}/{interest.id}/withdraw", headers=buyer.headers)

    assert response.status_code == 200
    assert response.json()["data"]["status"] == "withdrawn"
    assert _metric("withdrawn") == before + 1


async def test_a_withdrawn_interest_no_longer_discloses_the_business(
    client: httpx.AsyncClient, database: Database, buyer: Actor, listed: tuple[Msme, Listing]
) -> None:
    msme, listing = listed
    interest = await make_interest(database, listing, buyer.id, status="accepted")

    await client.post(f"{INTERESTS}/{interest.id}/withdraw", headers=buyer.headers)
    card = await client.get(f"{LISTINGS}/{listing.id}", headers=buyer.headers)

    assert card.json()["data"]["identity"] is None
    assert str(msme.gstin) not in card.text


@pytest.mark.parametrize("status", ["declined", "withdrawn"])
async def test_withdrawing_a_decided_interest_is_409(
    client: httpx.AsyncClient,
    database: Database,
    buyer: Actor,
    listed: tuple[Msme, Listing],
    status: str,
) -> None:
    interest = await make_interest(database, listed[1], buyer.id, status=status)

    response = await client.post(f"{INTERESTS}/{interest.id}/withdraw", headers=buyer.headers)

    assert response.status_code == 409


async def test_the_owner_cannot_withdraw_the_buyers_interest(
    client: httpx.AsyncClient,
    database: Database,
    owner: Actor,
    buyer: Actor,
    listed: tuple[Msme, Listing],
) -> None:
    interest = await make_interest(database, listed[1], buyer.id, status="pending")

    response = await client.post(f"{INTERESTS}/{interest.id}/withdraw", headers=owner.headers)

    assert response.status_code == 403


# --- lists ----------------------------------------------------------------------------------


async def test_lists_are_paginated_and_show_only_the_callers_own(
    client: httpx.AsyncClient,
    database: Database,
    *,
    owner: Actor,
    other_owner: Actor,
    buyer: Actor,
    investor: Actor,
) -> None:
    mine = await make_msme(database, owner.id)
    theirs = await make_msme(database, other_owner.id)
    for _ in range(3):
        await make_interest(database, await make_listing(database, mine), buyer.id)
    await make_interest(database, await make_listing(database, theirs), investor.id)

    sent = await client.get(f"{INTERESTS}/mine?page_size=2", headers=buyer.headers)
    received = await client.get(f"{INTERESTS}/received", headers=owner.headers)
    over = await client.get(f"{INTERESTS}/mine?page_size=101", headers=buyer.headers)

    assert sent.json()["pagination"] == {"page": 1, "page_size": 2, "total": 3, "pages": 2}
    assert {item["buyer_id"] for item in received.json()["data"]} == {str(buyer.id)}
    assert received.json()["pagination"]["total"] == 3
    assert over.status_code == 422


# --- the portal's view ----------------------------------------------------------------------


async def test_the_portal_offers_a_new_interest_once_the_live_one_is_withdrawn(
    database: Database, buyer: Actor, listed: tuple[Msme, Listing]
) -> None:
    listing = listed[1]
    await make_interest(database, listing, buyer.id, status="withdrawn")
    async with database.session() as session:
        assert await interest_sent(session, buyer.id, listing.id) is None

    live = await make_interest(database, listing, buyer.id, status="pending")

    async with database.session() as session:
        shown = await interest_sent(session, buyer.id, listing.id)
    assert shown is not None
    assert (shown.id, shown.status.value) == (live.id, "pending")
