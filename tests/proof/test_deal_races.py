"""Races in a deal room on committed data (each request on its own connection, real locks):
messages sent at once each get their own place in the conversation; both sides accepting the
NDA at once sign it once; two closes at once close it once; an offer accepted and withdrawn at
once is decided once."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select

from msmebazaar.msme.models import Deal, DealMessage, NdaAcceptance, Offer
from msmebazaar.shared.db import Database
from tests.auth.factories import Actor, signed_in
from tests.msme.factories import make_interest, make_listing, make_msme

API = "/api/v1"


async def _deal(client: httpx.AsyncClient, database: Database) -> tuple[Actor, Actor, str]:
    owner = await signed_in(client, database, "msme_owner")
    buyer = await signed_in(client, database, "buyer")
    listing = await make_listing(database, await make_msme(database, owner.id))
    interest = await make_interest(database, listing, buyer.id, status="pending")
    accepted = await client.post(f"{API}/interests/{interest.id}/accept", headers=owner.headers)
    assert accepted.status_code == 200, accepted.text
    (deal,) = (await client.get(f"{API}/deals", headers=buyer.headers)).json()["data"]
    return owner, buyer, str(deal["id"])


async def test_messages_sent_at_once_each_get_their_own_place(
    committed_client: httpx.AsyncClient, committed_db: Database
) -> None:
    owner, buyer, deal_id = await _deal(committed_client, committed_db)
    url = f"{API}/deals/{deal_id}/messages"

    responses = await asyncio.gather(
        *(
            committed_client.post(url, json={"body": f"note {n}"}, headers=actor.headers)
            for n in range(6)  # 12 at once: within one address's 16 in flight
            for actor in (owner, buyer)
        )
    )

    assert {r.status_code for r in responses} == {201}, [r.text for r in responses]
    async with committed_db.read_session() as session:
        positions = list(
            await session.scalars(
                select(DealMessage.position).where(DealMessage.deal_id == uuid.UUID(deal_id))
            )
        )
    assert sorted(positions) == list(range(1, 13))


async def test_both_sides_accepting_at_once_sign_the_nda_once(
    committed_client: httpx.AsyncClient, committed_db: Database
) -> None:
    owner, buyer, deal_id = await _deal(committed_client, committed_db)
    url = f"{API}/deals/{deal_id}/nda/accept"

    responses = await asyncio.gather(
        *(committed_client.post(url, headers=actor.headers) for actor in (owner, buyer) * 3)
    )

    assert {r.status_code for r in responses} == {200}, [r.text for r in responses]
    async with committed_db.read_session() as session:
        deal = await session.get_one(Deal, uuid.UUID(deal_id))
        accepted = list(
            await session.scalars(
                select(NdaAcceptance.user_id).where(NdaAcceptance.deal_id == deal.id)
            )
        )
    assert deal.stage == "nda_signed"
    assert sorted(accepted) == sorted([owner.id, buyer.id])


async def test_two_closes_at_once_close_it_once(
    committed_client: httpx.AsyncClient, committed_db: Database
) -> None:
    owner, buyer, deal_id = await _deal(committed_client, committed_db)
    url = f"{API}/deals/{deal_id}/close"

    responses = await asyncio.gather(
        committed_client.post(
            url, json={"outcome": "won", "reason": "signed"}, headers=owner.headers
        ),
        committed_client.post(
            url, json={"outcome": "lost", "reason": "walked"}, headers=buyer.headers
        ),
    )

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 409], [r.text for r in responses]
    winner = next(r for r in responses if r.status_code == 200).json()["data"]
    async with committed_db.read_session() as session:
        deal = await session.get_one(Deal, uuid.UUID(deal_id))
    assert deal.stage == winner["stage"]


async def test_an_acceptance_racing_a_withdrawal_decides_the_offer_once(
    committed_client: httpx.AsyncClient, committed_db: Database
) -> None:
    owner, buyer, deal_id = await _deal(committed_client, committed_db)
    for actor in (owner, buyer):
        await committed_client.post(f"{API}/deals/{deal_id}/nda/accept", headers=actor.headers)
    valid_until = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    made = await committed_client.post(
        f"{API}/deals/{deal_id}/offers",
        json={"amount": 4_00_00_000, "terms": "cash", "valid_until": valid_until},
        headers=buyer.headers,
    )
    offer_id = made.json()["data"]["id"]

    responses = await asyncio.gather(
        committed_client.post(f"{API}/offers/{offer_id}/accept", headers=owner.headers),
        committed_client.post(f"{API}/offers/{offer_id}/withdraw", headers=buyer.headers),
    )

    assert sorted(r.status_code for r in responses) == [200, 409], [r.text for r in responses]
    winner = next(r for r in responses if r.status_code == 200).json()["data"]
    async with committed_db.read_session() as session:
        offer = await session.get_one(Offer, uuid.UUID(offer_id))
        deal = await session.get_one(Deal, uuid.UUID(deal_id))
    assert offer.status == winner["status"]
    assert deal.stage == ("offer" if winner["status"] == "accepted" else "nda_signed")
