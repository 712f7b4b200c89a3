"""A listing going active tells owners of matching mandates once (a `new_match` notification and
the SMS their defaults ask for)."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select, update

from msmebazaar.match.models import LISTING, MatchNotification, StoredVector
from msmebazaar.msme.models import Listing
from msmebazaar.msme.service import ListingChanged
from msmebazaar.shared.db import Database
from msmebazaar.shared.events import publish
from msmebazaar.shared.outbox import OutboxMessage
from tests.auth.factories import Actor
from tests.match.factories import MANDATES, active_listing, mandate_payload


async def _activate(database: Database, listing: Listing) -> None:
    async with database.session() as session:
        await session.execute(
            update(Listing).where(Listing.id == listing.id).values(status="active")
        )
        publish(session, ListingChanged(listing.id, listing.msme_id, "active"))


async def _count(database: Database, statement: object) -> int:
    async with database.session() as session:
        return int(await session.scalar(statement) or 0)  # type: ignore[call-overload]


async def _messages(database: Database) -> list[OutboxMessage]:
    async with database.session() as session:
        rows = await session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.template == "new_match", OutboxMessage.channel == "sms"
            )
        )
        return list(rows)


async def test_owner_of_a_matching_mandate_gets_one_message(
    client: httpx.AsyncClient, buyer: Actor, owner: Actor, database: Database
) -> None:
    await client.post(MANDATES, json=mandate_payload(), headers=buyer.headers)
    await client.post(MANDATES, json=mandate_payload(title="Second"), headers=buyer.headers)
    listing = await active_listing(database, owner.id, status="submitted")

    await _activate(database, listing)

    [message] = await _messages(database)
    assert message.channel == "sms"
    assert "Profitable snacks maker in western India" in message.body
    told = select(func.count()).select_from(MatchNotification)
    assert await _count(database, told) == 1


async def test_a_repeated_event_does_not_notify_again(
    client: httpx.AsyncClient, buyer: Actor, owner: Actor, database: Database
) -> None:
    await client.post(MANDATES, json=mandate_payload(), headers=buyer.headers)
    listing = await active_listing(database, owner.id, status="submitted")

    await _activate(database, listing)
    await _activate(database, listing)

    assert len(await _messages(database)) == 1


async def test_owners_of_non_matching_or_inactive_mandates_are_not_told(
    client: httpx.AsyncClient, buyer: Actor, other_buyer: Actor, owner: Actor, database: Database
) -> None:
    await client.post(MANDATES, json=mandate_payload(deal_types=["debt"]), headers=buyer.headers)
    await client.post(MANDATES, json=mandate_payload(active=False), headers=other_buyer.headers)
    listing = await active_listing(database, owner.id, status="submitted")

    await _activate(database, listing)

    assert await _messages(database) == []


async def test_a_listing_event_stores_its_vector(owner: Actor, database: Database) -> None:
    listing = await active_listing(database, owner.id, status="draft")

    async with database.session() as session:
        publish(session, ListingChanged(listing.id, listing.msme_id, "draft"))

    stored = select(func.count()).where(
        StoredVector.subject_type == LISTING, StoredVector.subject_id == listing.id
    )
    assert await _count(database, stored) == 1
