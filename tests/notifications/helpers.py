"""What the notification tests share: causing real events through the API, and reading back
notifications and the messages queued for them."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import select

from msmebazaar.msme.models import Listing
from msmebazaar.notifications.kinds import Kind
from msmebazaar.notifications.models import Notification
from msmebazaar.shared.db import Database
from msmebazaar.shared.outbox import OutboxMessage
from tests.auth.factories import Actor
from tests.msme.factories import make_listing, make_msme

API = "/api/v1"
TEMPLATES = [kind.value for kind in Kind] + ["notification_digest"]
NOTIFICATIONS = f"{API}/notifications"


async def listing_of(database: Database, owner: Actor, **fields: Any) -> Listing:
    """An active listing of a verified profile of `owner`."""
    return await make_listing(database, await make_msme(database, owner.id), **fields)


async def send_interest(client: httpx.AsyncClient, listing: Listing, buyer: Actor) -> str:
    """The buyer's interest in `listing`; its id."""
    response = await client.post(
        f"{API}/listings/{listing.id}/interests",
        json={"message": "We would like to talk."},
        headers=buyer.headers,
    )
    assert response.status_code == 201, response.text
    return str(response.json()["data"]["id"])


async def stored(database: Database, user_id: uuid.UUID) -> list[Notification]:
    """The user's notifications as stored, oldest first."""
    async with database.read_session() as session:
        found = await session.scalars(
            select(Notification).where(Notification.user_id == user_id).order_by(Notification.seq)
        )
        return list(found)


async def queued(database: Database, recipient: str, channel: str | None = None) -> list[Any]:
    """Notification messages queued in the outbox for `recipient` (on one channel if named),
    oldest first (sign-in codes and security notices are not notifications)."""
    statement = select(OutboxMessage).where(
        OutboxMessage.recipient == recipient, OutboxMessage.template.in_(TEMPLATES)
    )
    if channel is not None:
        statement = statement.where(OutboxMessage.channel == channel)
    async with database.read_session() as session:
        return list(await session.scalars(statement.order_by(OutboxMessage.created_at)))


async def inbox(client: httpx.AsyncClient, actor: Actor, **params: Any) -> dict[str, Any]:
    """The actor's `GET /notifications` envelope."""
    response = await client.get(NOTIFICATIONS, params=params, headers=actor.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
