"""Test helper: the domain events a test's units of work stored, in commit order."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select

from msmebazaar.shared.db import Database
from msmebazaar.shared.events import DomainEvent, StoredEvent, decode

E = TypeVar("E", bound=DomainEvent)


async def stored_events(database: Database, event_type: type[E]) -> list[E]:
    """The events of `event_type` stored so far, oldest first."""
    async with database.read_session() as session:
        rows = await session.scalars(
            select(StoredEvent)
            .where(StoredEvent.name == event_type.event_name)
            .order_by(StoredEvent.position)
        )
        found = [decode(row.name, row.version, row.payload) for row in rows]
    return [event for event in found if isinstance(event, event_type)]
