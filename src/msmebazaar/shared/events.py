"""In-process domain events, delivered after the unit of work commits (DESIGN.md §1).

A service publishes an event on its session (`publish(session, ListingChanged(...))`); other
services subscribe a handler at import (`subscribe(ListingChanged, handler)`). Handlers run only
if the transaction commits, after it has, each in its own unit of work, so a reaction never sees
uncommitted data and no two services import each other. A failing handler is logged and does not
undo the commit or fail the request; reactions that must not be lost go through the outbox.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

logger = structlog.get_logger("msmebazaar.events")

_PENDING_KEY = "msmebazaar.pending_events"


@dataclass(frozen=True)
class DomainEvent:
    """Base of every event: a fact that happened, named in the past tense."""


class SessionSource(Protocol):
    """What a handler gets to open its own unit of work (`shared.db.Database` is one):
    `session()` may write, `read_session()` only reads and never waits for a writer."""

    def session(self, unit: str | None = None) -> AbstractAsyncContextManager[AsyncSession]: ...

    def read_session(self) -> AbstractAsyncContextManager[AsyncSession]: ...


E = TypeVar("E", bound=DomainEvent)
Handler = Callable[[Any, SessionSource], Awaitable[None]]

_handlers: defaultdict[type[DomainEvent], list[Handler]] = defaultdict(list)


def subscribe(event_type: type[E], handler: Callable[[E, SessionSource], Awaitable[None]]) -> None:
    """Run `handler(event, database)` after every committed unit of work that published one."""
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def unsubscribe(
    event_type: type[E], handler: Callable[[E, SessionSource], Awaitable[None]]
) -> None:
    """Stop delivering `event_type` to `handler` (tests)."""
    if handler in _handlers[event_type]:
        _handlers[event_type].remove(handler)


def publish(session: AsyncSession, event: DomainEvent) -> None:
    """Queue an event on the session; it is delivered only after the session commits."""
    session.info.setdefault(_PENDING_KEY, []).append(event)


def take_pending(session: AsyncSession) -> list[DomainEvent]:
    """Remove and return the events queued on a session (called once it has committed)."""
    return list(session.info.pop(_PENDING_KEY, []))


def discard_pending(session: AsyncSession) -> None:
    """Forget queued events (the unit of work rolled back: nothing happened)."""
    session.info.pop(_PENDING_KEY, None)


async def dispatch(events: list[DomainEvent], database: SessionSource) -> None:
    """Deliver committed events to their subscribers, logging (not raising) handler failures."""
    for event in events:
        for handler in list(_handlers.get(type(event), ())):
            try:
                await handler(event, database)
            except Exception:  # the commit stands; the failure is logged
                logger.exception(
                    "event_handler_failed",
                    event_type=type(event).__name__,
                    handler=getattr(handler, "__qualname__", repr(handler)),
                )
