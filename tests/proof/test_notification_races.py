"""Notifications under many clients at once, on committed data (each request on its own
connection) with events delivered as they commit: interests sent at once to one owner each
become exactly one notification, numbered apart, while the owner marks everything read; and
preference changes made at once to different kinds all hold."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import select

from msmebazaar.notifications.models import Notification
from msmebazaar.shared.db import Database
from tests.auth.factories import Actor, signed_in
from tests.msme.factories import make_listing, make_msme

API = "/api/v1"
CLIENTS = 12


async def test_interests_at_once_make_one_notification_each_while_the_owner_reads(
    committed_client: httpx.AsyncClient, committed_db: Database
) -> None:
    owner = await signed_in(committed_client, committed_db, "msme_owner")
    msme = await make_msme(committed_db, owner.id)
    listings = [await make_listing(committed_db, msme) for _ in range(CLIENTS)]
    buyers = [await signed_in(committed_client, committed_db, "buyer") for _ in range(CLIENTS)]

    async def send(buyer: Actor, listing_id: object) -> int:
        response = await committed_client.post(
            f"{API}/listings/{listing_id}/interests",
            json={"message": "We would like to talk."},
            headers=buyer.headers,
        )
        return response.status_code

    async def read_all() -> int:
        response = await committed_client.post(
            f"{API}/notifications/read-all", headers=owner.headers
        )
        return response.status_code

    sent = await asyncio.gather(
        *(send(buyer, listing.id) for buyer, listing in zip(buyers, listings, strict=True)),
        *(read_all() for _ in range(4)),
    )

    assert set(sent) == {200, 201}, sent
    async with committed_db.read_session() as session:
        rows = list(
            await session.scalars(select(Notification).where(Notification.user_id == owner.id))
        )
    assert len(rows) == CLIENTS
    assert len({row.seq for row in rows}) == CLIENTS
    assert {row.kind for row in rows} == {"interest_received"}
    left = await committed_client.get(
        f"{API}/notifications", params={"unread": "true"}, headers=owner.headers
    )
    assert left.status_code == 200
    cleared = await committed_client.post(f"{API}/notifications/read-all", headers=owner.headers)
    assert cleared.json()["data"]["unread"] == 0


async def test_preference_changes_at_once_all_hold(
    committed_client: httpx.AsyncClient, committed_db: Database
) -> None:
    user = await signed_in(committed_client, committed_db, "buyer")
    kinds = ["interest_accepted", "interest_declined", "deal_message", "offer_received",
             "offer_decided", "new_match"]  # fmt: skip
    changes = [(kind, channel) for kind in kinds for channel in ("sms", "email")]

    async def turn_off(kind: str, channel: str) -> int:
        response = await committed_client.patch(
            f"{API}/notifications/preferences",
            json={"kinds": {kind: {channel: False}}},
            headers=user.headers,
        )
        return response.status_code

    answers = await asyncio.gather(*(turn_off(kind, channel) for kind, channel in changes))
    final = await committed_client.get(f"{API}/notifications/preferences", headers=user.headers)

    assert set(answers) == {200}
    chosen = final.json()["data"]["kinds"]
    for kind in kinds:
        assert chosen[kind] == {"sms": False, "whatsapp": True, "email": False}, kind
