"""Races in a deal room on committed data (each request on its own connection, real locks):
messages sent at once each get their own place in the conversation; both sides accepting the
NDA at once sign it once; two closes at once close it once; an offer accepted and withdrawn at
once is decided once; a buyer opening documents many times at once logs every view and enters
`diligence` once; two owners' acceptances on one listing put it under one offer; an acceptance
racing a close never leaves a listing under offer without a deal at `offer`."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import func, select

from msmebazaar.msme.models import Deal, DealMessage, DocumentAccess, Listing, NdaAcceptance, Offer
from msmebazaar.shared.db import Database
from msmebazaar.shared.metrics import REGISTRY
from tests.auth.factories import Actor, signed_in
from tests.msme.deal_flows import offer_body
from tests.msme.factories import make_interest, make_listing, make_msme

API = "/api/v1"


async def _deal(
    client: httpx.AsyncClient,
    database: Database,
    owner: Actor | None = None,
    listing: Listing | None = None,
) -> tuple[Actor, Actor, str]:
    """A deal opened the real way (on `listing` of `owner`, or a new one)."""
    owner = owner or await signed_in(client, database, "msme_owner")
    buyer = await signed_in(client, database, "buyer")
    listing = listing or await make_listing(database, await make_msme(database, owner.id))
    interest = await make_interest(database, listing, buyer.id, status="pending")
    accepted = await client.post(f"{API}/interests/{interest.id}/accept", headers=owner.headers)
    assert accepted.status_code == 200, accepted.text
    (deal,) = (await client.get(f"{API}/deals", headers=buyer.headers)).json()["data"]
    return owner, buyer, str(deal["id"])


async def _sign(client: httpx.AsyncClient, deal_id: str, *actors: Actor) -> None:
    for actor in actors:
        signed = await client.post(f"{API}/deals/{deal_id}/nda/accept", headers=actor.headers)
        assert signed.status_code == 200, signed.text


async def _offer(client: httpx.AsyncClient, deal_id: str, buyer: Actor) -> str:
    made = await client.post(
        f"{API}/deals/{deal_id}/offers", json=offer_body(), headers=buyer.headers
    )
    assert made.status_code == 201, made.text
    return str(made.json()["data"]["id"])


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


async def test_a_buyer_opening_documents_at_once_logs_each_view_and_enters_diligence_once(
    committed_client: httpx.AsyncClient, committed_db: Database
) -> None:
    owner, buyer, deal_id = await _deal(committed_client, committed_db)
    await _sign(committed_client, deal_id, owner, buyer)
    async with committed_db.read_session() as session:
        deal = await session.get_one(Deal, uuid.UUID(deal_id))
        msme_id = await session.scalar(select(Listing.msme_id).where(Listing.id == deal.listing_id))
    uploaded = await committed_client.post(
        f"{API}/msmes/{msme_id}/documents",
        data={"kind": "itr"},
        files={"file": ("itr.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf")},
        headers=owner.headers,
    )
    url = f"{API}/deals/{deal_id}/documents/{uploaded.json()['data']['id']}"
    entered = REGISTRY.get_sample_value("deals_total", {"stage": "diligence"}) or 0.0

    responses = await asyncio.gather(
        *(committed_client.get(url, headers=buyer.headers) for _ in range(10))
    )

    assert {r.status_code for r in responses} == {200}, [r.text for r in responses]
    async with committed_db.read_session() as session:
        views = await session.scalar(
            select(func.count()).where(DocumentAccess.deal_id == uuid.UUID(deal_id))
        )
        stage = await session.scalar(select(Deal.stage).where(Deal.id == uuid.UUID(deal_id)))
    assert (views, stage) == (10, "diligence")
    assert REGISTRY.get_sample_value("deals_total", {"stage": "diligence"}) == entered + 1


async def test_two_acceptances_on_one_listing_put_it_under_one_offer(
    committed_client: httpx.AsyncClient, committed_db: Database
) -> None:
    owner, first_buyer, first = await _deal(committed_client, committed_db)
    async with committed_db.read_session() as session:
        listing = await session.get_one(
            Listing,
            await session.scalar(select(Deal.listing_id).where(Deal.id == uuid.UUID(first))),
        )
    _, second_buyer, second = await _deal(committed_client, committed_db, owner, listing)
    await _sign(committed_client, first, owner, first_buyer)
    await _sign(committed_client, second, owner, second_buyer)
    offers = [
        await _offer(committed_client, first, first_buyer),
        await _offer(committed_client, second, second_buyer),
    ]

    responses = await asyncio.gather(
        *(
            committed_client.post(f"{API}/offers/{offer}/accept", headers=owner.headers)
            for offer in offers
        )
    )

    assert sorted(r.status_code for r in responses) == [200, 409], [r.text for r in responses]
    refused = next(r for r in responses if r.status_code == 409)
    assert refused.json()["error"]["code"] == "LISTING_UNDER_OFFER"
    async with committed_db.read_session() as session:
        stages = sorted(
            await session.scalars(select(Deal.stage).where(Deal.listing_id == listing.id))
        )
        under_offer = await session.scalar(
            select(Listing.under_offer).where(Listing.id == listing.id)
        )
    assert stages == ["nda_signed", "offer"]
    assert under_offer is True


async def test_an_acceptance_racing_a_close_leaves_the_listing_consistent(
    committed_client: httpx.AsyncClient, committed_db: Database
) -> None:
    owner, buyer, deal_id = await _deal(committed_client, committed_db)
    await _sign(committed_client, deal_id, owner, buyer)
    offer_id = await _offer(committed_client, deal_id, buyer)

    await asyncio.gather(
        committed_client.post(f"{API}/offers/{offer_id}/accept", headers=owner.headers),
        committed_client.post(
            f"{API}/deals/{deal_id}/close",
            json={"outcome": "lost", "reason": "We found another business."},
            headers=buyer.headers,
        ),
    )

    async with committed_db.read_session() as session:
        deal = await session.get_one(Deal, uuid.UUID(deal_id))
        listing = await session.get_one(Listing, deal.listing_id)
    assert deal.stage == "closed_lost"
    assert listing.public_status == "active"
