"""Domain events, stored with the change that caused them (a transactional outbox; DESIGN.md §1).

A service publishes an event on its session (`publish(session, ListingChanged(...))`). Nothing is
delivered then: when the unit of work commits, its events are written to `domain_events` in the
same transaction, so an event exists exactly when its change does. The dispatcher
(`shared/dispatch.py`) then hands each stored event to every subscribed handler, whichever
process hosts it: `msmebazaar worker` in production, the app itself on the embedded default.

On PostgreSQL the unit also sends `NOTIFY msmebazaar_events`, which PostgreSQL delivers with the
commit: a dispatcher listening in another process wakes at once instead of at its next poll.

Order: on PostgreSQL a unit of work takes a transaction-scoped advisory lock just before it
writes its events and holds it to its commit, so `position` order is commit order and a reader
never sees position 11 while 10 may still commit (SQLite has one writer at a time anyway). The
lock is held only from that insert to the commit, a millisecond or two.

Each event class is named and versioned (`event_name`, `event_version`) and is a frozen
dataclass of JSON-friendly fields; `docs/architecture.md` lists them with who emits and who
consumes each. A payload stored under an older version is read through the class's `upcast`.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, ClassVar

from pydantic import TypeAdapter
from sqlalchemy import BigInteger, Index, Integer, String, Text, event, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, Session, SessionTransaction, mapped_column

from msmebazaar.shared.db import EVENTS_COMMITTED, Base, utcnow

_PENDING_KEY = "msmebazaar.pending_events"
# pg_advisory_xact_lock key of "a unit of work is writing events": b"msmeevnt" as an int64.
EVENT_ORDER_LOCK = int.from_bytes(b"msmeevnt", "big") - 2**63

# The PostgreSQL channel a committing unit notifies, so dispatchers wake at once (no poll wait).
EVENTS_CHANNEL = "msmebazaar_events"

# SQLite makes a column an auto-increasing row id only as INTEGER PRIMARY KEY.
Position = BigInteger().with_variant(Integer(), "sqlite")


class UnknownEventError(LookupError):
    """A stored event whose name or version no class in this build reads."""


@dataclass(frozen=True)
class DomainEvent:
    """Base of every event: a fact that happened, named in the past tense.

    A subclass sets `event_name` (`"<service>.<fact>"`, stable once shipped) and raises
    `event_version` when it changes a field, giving `upcast` the way from the older payload.
    Its first field is the aggregate the event is about (kept with it, for the record).
    """

    event_name: ClassVar[str]
    event_version: ClassVar[int] = 1

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("event_name")
        if name is not None:
            known = EVENT_TYPES.setdefault(name, cls)
            if known.__qualname__ != cls.__qualname__ or known.__module__ != cls.__module__:
                raise TypeError(f"event name {name!r} is taken by {known.__qualname__}")
            EVENT_TYPES[name] = cls  # a re-imported module (tests) redefines its own class

    @classmethod
    def upcast(cls, payload: dict[str, Any], version: int) -> dict[str, Any]:
        """The payload of an older `version` as this version's fields (override on a change)."""
        raise UnknownEventError(
            f"{cls.event_name} v{version} cannot be read as v{cls.event_version}"
        )

    def aggregate_id(self) -> str:
        """What the event is about: its first field."""
        return str(getattr(self, fields(self)[0].name))


EVENT_TYPES: dict[str, type[DomainEvent]] = {}


class StoredEvent(Base):
    """An event as committed with its change; read by the dispatcher in `position` order."""

    __tablename__ = "domain_events"
    # AUTOINCREMENT on SQLite: a position is never given twice, even once pruning has emptied
    # the table (a plain row id would start again after the highest one left).
    __table_args__ = (
        Index("ix_domain_events_created_at", "created_at"),
        {"sqlite_autoincrement": True},
    )

    position: Mapped[int] = mapped_column(Position, primary_key=True, autoincrement=True)
    id: Mapped[uuid.UUID] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    aggregate_id: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


@dataclass(frozen=True)
class Pending:
    """An event published in a unit of work, and the savepoint it was published in (if any):
    rolling that savepoint back drops the event."""

    event: DomainEvent
    transaction: SessionTransaction | None


def publish(session: AsyncSession, event: DomainEvent, *, refusal: bool = False) -> None:
    """Queue an event on the session; it is stored when the session commits, never otherwise.
    Rolling back the savepoint it was published in drops it, unless it reports a `refusal`:
    the refused change is undone, but that it was refused stays a fact (and is audited)."""
    if not getattr(type(event), "event_name", None):
        raise TypeError(f"{type(event).__qualname__} has no event_name")
    savepoint = None if refusal else session.sync_session.get_nested_transaction()
    session.info.setdefault(_PENDING_KEY, []).append(Pending(event, savepoint))


_ADAPTERS: dict[type[DomainEvent], TypeAdapter[Any]] = {}


def _adapter(event_type: type[DomainEvent]) -> TypeAdapter[Any]:
    found = _ADAPTERS.get(event_type)
    if found is None:
        found = _ADAPTERS[event_type] = TypeAdapter(event_type)
    return found


def encode(event: DomainEvent) -> str:
    """The event's fields as JSON."""
    return json.dumps(_adapter(type(event)).dump_python(event, mode="json"), sort_keys=True)


def decode(name: str, version: int, payload: str) -> DomainEvent:
    """The event a stored row holds; `UnknownEventError` when this build cannot read it."""
    event_type = EVENT_TYPES.get(name)
    if event_type is None:
        raise UnknownEventError(f"no event class is named {name!r}")
    fields_ = json.loads(payload)
    if version != event_type.event_version:
        fields_ = event_type.upcast(fields_, version)
    event: DomainEvent = _adapter(event_type).validate_python(fields_)
    return event


def _stored(event: DomainEvent) -> StoredEvent:
    return StoredEvent(
        id=uuid.uuid4(),
        name=event.event_name,
        version=event.event_version,
        aggregate_id=event.aggregate_id()[:64],
        payload=encode(event),
        created_at=utcnow(),
    )


@event.listens_for(Session, "before_commit")
def _store_pending(session: Session) -> None:
    """Write the unit of work's events in its own transaction, in commit order (module doc)."""
    # SQLAlchemy calls this on a savepoint's release too: only the unit's own commit counts
    # (holding the ordering lock from a savepoint on would hold it for the rest of the unit).
    if session.in_nested_transaction():
        return
    pending: list[Pending] = session.info.get(_PENDING_KEY, [])
    if not pending:
        return
    if session.get_bind().dialect.name == "postgresql":
        # The unit's own changes first: they may wait for other transactions' row locks, which
        # must never happen while this one holds the lock those may be waiting for.
        session.flush()
        session.execute(select(func.pg_advisory_xact_lock(EVENT_ORDER_LOCK)))
    session.add_all([_stored(item.event) for item in pending])
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        # Delivered to listening dispatchers when (and only if) the unit commits.
        session.execute(select(func.pg_notify(EVENTS_CHANNEL, "")))
    session.info.pop(_PENDING_KEY, None)  # written: kept no longer (a failed write keeps them)
    session.info[EVENTS_COMMITTED] = True


@event.listens_for(Session, "after_soft_rollback")
def _forget_pending(session: Session, rolled_back: SessionTransaction) -> None:
    """What was rolled back happened not at all: its events are dropped with it (a savepoint's
    own, or the whole unit's)."""
    if rolled_back.nested:
        kept = [
            item
            for item in session.info.get(_PENDING_KEY, [])
            if not _inside(item.transaction, rolled_back)
        ]
        session.info[_PENDING_KEY] = kept
        return
    if session.in_transaction():
        return  # a rollback of something inside the unit that is not a savepoint
    session.info.pop(_PENDING_KEY, None)
    session.info.pop(EVENTS_COMMITTED, None)


def _inside(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False
