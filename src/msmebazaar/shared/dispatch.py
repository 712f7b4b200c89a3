"""The event dispatcher: every stored domain event to every handler subscribed to it, in whichever
process hosts that handler, in commit order, at least once, and exactly once in what it writes.

A service subscribes a handler in its `ServiceSpec` (`Subscription("admin.audit_role_change",
(UserRoleChanged,), handle)`); the name is the handler's identity in the database, kept forever.
`msmebazaar worker` hosts every service's handlers; the app hosts its own services' handlers
wherever the outbox worker runs embedded (the single-process default), and in tests it delivers
right after each commit, in the committing task.

Per handler, a cursor row (`event_handlers`) holds the position of the last event it has taken.
A dispatcher leases the cursor (on PostgreSQL claiming it with `FOR UPDATE SKIP LOCKED`; a lease
runs out after `EVENTS_LEASE_SECONDS`, so a dead dispatcher is replaced), reads the events after
it in `position` order, and runs the handler on each in a unit of work that also moves the cursor
past it: the handler's writes and "this event is done" commit together, so a retry after a crash
never writes twice (a lost lease rolls both back). Side effects outside the database go through
the outbox in that same unit, so they too happen once.

A failing event stops its handler (later events wait: order is kept) and is tried again after a
doubling wait; after `EVENTS_MAX_ATTEMPTS` tries it is given up for that handler, recorded in
`event_failures` (the dead letters admins list at `GET /api/v1/admin/events/failed`) and counted,
and the handler goes on. Other handlers are not held up. An event this build cannot read (a
newer version, stored by a newer build during a rolling deploy) is never given up: it waits, with
the same doubling wait, for a build that can.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

import structlog
from sqlalchemy import CursorResult, Index, String, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from msmebazaar.shared.config import EventSettings
from msmebazaar.shared.db import Base, Database, UUIDPrimaryKey, dialect_insert, utcnow
from msmebazaar.shared.events import (
    EVENTS_CHANNEL,
    DomainEvent,
    Position,
    StoredEvent,
    UnknownEventError,
    decode,
)
from msmebazaar.shared.metrics import counter, gauge
from msmebazaar.shared.outbox import backoff_seconds
from msmebazaar.shared.runtime import Runtime
from msmebazaar.shared.session_source import SessionSource

logger = structlog.get_logger("msmebazaar.events")

EVENTS_DELIVERED = counter(
    "events_delivered_total", "Domain events a handler has taken, by handler.", ("handler",)
)
EVENTS_FAILED = counter(
    "events_failed_total",
    "Tries of a domain event that failed in a handler (each is retried), by handler.",
    ("handler",),
)
EVENTS_DEAD = counter(
    "events_dead_lettered_total",
    "Domain events a handler gave up after its last try (listed for admins), by handler.",
    ("handler",),
)
EVENTS_PENDING = gauge(
    "events_pending", "Stored domain events a handler has yet to take, by handler.", ("handler",)
)
EVENTS_DELAY = gauge(
    "events_delivery_delay_seconds",
    "From an event's commit to its handler's, for the last event each handler took.",
    ("handler",),
)

HOUSEKEEPING_SECONDS = 10.0
LISTEN_RETRY_SECONDS = 5.0
PRUNE_BATCH = 10_000


class HandlerCursor(Base):
    """How far one handler has come through the stored events, and who holds it now."""

    __tablename__ = "event_handlers"

    handler: Mapped[str] = mapped_column(String(100), primary_key=True)
    position: Mapped[int] = mapped_column(Position, default=0)
    # Failed tries of the event after `position`; reset when the cursor moves.
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease: Mapped[uuid.UUID | None]
    locked_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class FailedEvent(UUIDPrimaryKey, Base):
    """A dead letter: an event one handler gave up after its last try."""

    __tablename__ = "event_failures"
    __table_args__ = (Index("ix_event_failures_failed_at", "failed_at"),)

    handler: Mapped[str] = mapped_column(String(100))
    event_id: Mapped[uuid.UUID]
    event_name: Mapped[str] = mapped_column(String(64))
    aggregate_id: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Position)
    attempts: Mapped[int]
    error: Mapped[str] = mapped_column(String(200))
    failed_at: Mapped[datetime] = mapped_column(default=utcnow)


@dataclass(frozen=True)
class Delivery:
    """What a handler gets with the event: `database`, whose `session()` is the delivery's own
    unit of work (committed with the cursor), and the hosting process's runtime."""

    database: SessionSource
    runtime: Runtime
    _after_commit: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    def after_commit(self, action: Callable[[], Awaitable[None]]) -> None:
        """Run `action` once the delivery's unit has committed (never if it rolls back): for
        telling the world of what was written, e.g. a live stream. A failing action is logged;
        what was committed stays committed."""
        self._after_commit.append(action)

    async def run_after_commit(self) -> None:
        """Run the actions `after_commit` collected (the dispatcher calls it)."""
        for action in self._after_commit:
            try:
                await action()
            except Exception as exc:
                logger.warning("event_after_commit_failed", error=_error_text(exc))


Handle = Callable[[Any, Delivery], Awaitable[None]]


@dataclass(frozen=True)
class Subscription:
    """A handler of some event types, under a name that is its identity (never rename one)."""

    handler: str
    events: tuple[type[DomainEvent], ...]
    handle: Handle
    # A handler met for the first time takes the events still kept (True), or only new ones.
    replay: bool = True

    @property
    def names(self) -> list[str]:
        """The stored names of the events it takes."""
        return [event.event_name for event in self.events]


class LeaseLostError(RuntimeError):
    """Another dispatcher took the handler over (this one was too slow): nothing is committed."""


class _Joined:
    """A `SessionSource` whose writing unit is the delivery's: a handler opening
    `database.session()` writes in the unit that also moves its cursor. The unit opens on first
    use, so what the handler computes before writing does not hold SQLite's one writer."""

    def __init__(self, database: Database, stack: AsyncExitStack, handler: str) -> None:
        self._database = database
        self._stack = stack
        self._handler = handler
        self._unit: AsyncSession | None = None

    async def unit(self) -> AsyncSession:
        """The delivery's unit of work, opened now if the handler has not opened it."""
        if self._unit is None:
            opened = self._database.session(f"event {self._handler}")
            self._unit = await self._stack.enter_async_context(opened)
        return self._unit

    @asynccontextmanager
    async def _same(self) -> AsyncIterator[AsyncSession]:
        yield await self.unit()

    def session(self, unit: str | None = None) -> AbstractAsyncContextManager[AsyncSession]:
        """The delivery's unit of work (committed by the dispatcher, not here)."""
        return self._same()

    def read_session(self) -> AbstractAsyncContextManager[AsyncSession]:
        """A read-only unit of its own."""
        return self._database.read_session()


def _error_text(exc: BaseException) -> str:
    # The type only: a message may carry a phone number or other personal data.
    code = getattr(exc, "code", None)
    return f"{type(exc).__name__}" + (f" ({code})" if isinstance(code, str) else "")


class EventDispatcher:
    """Delivers stored events to the handlers this process hosts; see the module docstring."""

    def __init__(
        self,
        runtime: Runtime,
        subscriptions: Sequence[Subscription],
        settings: EventSettings | None = None,
    ) -> None:
        self.runtime = runtime
        self.database = runtime.database
        self.settings = settings or runtime.settings.events
        self.subscriptions = {sub.handler: sub for sub in subscriptions}
        self._registered = False
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._one_delivery = asyncio.Lock()
        self._delivering_task: asyncio.Task[Any] | None = None
        self._again = False
        self._housekept_at = 0.0

    # ------------------------------------------------------------------ running

    async def register(self) -> None:
        """Give each hosted handler its cursor, once (an existing cursor is kept as it is)."""
        async with self.database.session("event handlers") as session:
            newest = await session.scalar(select(func.max(StoredEvent.position))) or 0
            for sub in self.subscriptions.values():
                start = 0 if sub.replay else newest
                await session.execute(
                    dialect_insert(session, HandlerCursor)
                    .values(handler=sub.handler, position=start, attempts=0)
                    .on_conflict_do_nothing(index_elements=["handler"])
                )
        self._registered = True

    async def run_once(self) -> int:
        """Deliver what is due to each hosted handler; how many events were taken."""
        if not self._registered:
            await self.register()
        taken = 0
        for sub in self.subscriptions.values():
            taken += await self._run_handler(sub)
        return taken

    async def deliver_now(self) -> None:
        """Deliver in the calling task, right after its commit (tests). One delivery runs at a
        time: a caller waits for the one in progress and then runs its own, so its events are
        handled when it returns; a commit made by a handler meanwhile is picked up by the same
        call. A failure is logged, never raised: the caller's change is committed."""
        if self._delivering_task is asyncio.current_task():
            self._again = True  # a handler's own commit: the loop below goes round again
            return
        async with self._one_delivery:
            self._delivering_task = asyncio.current_task()
            try:
                self._again = True
                while self._again:
                    self._again = False
                    await self.run_once()
            except Exception as exc:
                logger.warning("event_dispatch_failed", error=type(exc).__name__)
            finally:
                self._delivering_task = None

    async def wake(self) -> None:
        """Look for events now instead of at the next poll (this process just stored some)."""
        self._wake.set()

    async def run(self) -> None:
        """Deliver until `request_stop()`; a database outage only pauses the loop. On
        PostgreSQL it also listens for committed events (`NOTIFY`), so it wakes at once."""
        listener = None
        if self.database.engine.dialect.name == "postgresql" and not self.database.bound:
            listener = asyncio.create_task(self._listen(), name="event-listener")
        try:
            await self._deliver_until_stopped()
        finally:
            if listener is not None:
                listener.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await listener

    async def _listen(self) -> None:
        """LISTEN on the events channel and wake the loop on each notification; reconnect
        after a drop (the poll covers the gap)."""
        while not self._stop.is_set():
            try:
                await self._listen_once()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                logger.warning("event_listen_failed", error=type(exc).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), LISTEN_RETRY_SECONDS)

    async def _listen_once(self) -> None:
        """Hold one connection listening until it is lost (or the task is cancelled)."""
        lost = asyncio.Event()
        async with self.database.engine.connect() as connection:
            raw = await connection.get_raw_connection()
            driver: Any = raw.driver_connection  # asyncpg's own connection
            if driver is None:
                raise RuntimeError("no driver connection to listen on")
            try:
                await driver.add_listener(EVENTS_CHANNEL, lambda *_: self._wake.set())
                driver.add_termination_listener(lambda *_: lost.set())
                self._wake.set()  # whatever was committed while nobody listened
                await lost.wait()
            finally:
                # Never back to the pool with a listener on it: the connection is closed.
                await connection.invalidate()

    async def _deliver_until_stopped(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                taken = await self.run_once()
                await self._housekeeping()
            except Exception as exc:
                logger.warning("event_dispatch_failed", error=type(exc).__name__)
                taken = 0
            if taken == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.settings.poll_seconds)

    def start(self) -> None:
        """Run the loop as a background task, woken by this process's commits."""
        self.database.after_events = self.wake
        self._task = asyncio.create_task(self.run(), name="event-dispatcher")

    def request_stop(self) -> None:
        """Ask the loop to finish after the event in hand."""
        self._stop.set()
        self._wake.set()

    async def stop(self) -> None:
        """Stop the background task (and stop being told of commits)."""
        self.request_stop()
        if self.database.after_events in (self.wake, self.deliver_now):
            self.database.after_events = None
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, timeout=15)
            except TimeoutError:
                self._task.cancel()

    # ------------------------------------------------------------------ one handler

    async def _run_handler(self, sub: Subscription) -> int:
        if not await self._has_due(sub):
            return 0
        token = uuid.uuid4()
        position = await self._claim(sub.handler, token)
        if position is None:
            return 0
        taken = 0
        try:
            for stored in await self._events_after(sub, position):
                if self._stop.is_set() or not await self._deliver(sub, stored, token):
                    break  # stopping: the rest wait for the next holder
                taken += 1
        finally:
            await self._release(sub.handler, token)
        return taken

    async def _has_due(self, sub: Subscription) -> bool:
        # Look before leasing: an idle poll only reads, so it never takes SQLite's one writer.
        now = utcnow()
        async with self.database.read_session() as session:
            cursor = await session.get(HandlerCursor, sub.handler)
            if cursor is None or cursor.next_attempt_at > now:
                return False
            if cursor.locked_until is not None and cursor.locked_until > now:
                return False
            waiting = select(StoredEvent.position).where(
                StoredEvent.position > cursor.position, StoredEvent.name.in_(sub.names)
            )
            return await session.scalar(waiting.limit(1)) is not None

    async def _claim(self, handler: str, token: uuid.UUID) -> int | None:
        now = utcnow()
        free = or_(HandlerCursor.locked_until.is_(None), HandlerCursor.locked_until < now)
        candidates = select(HandlerCursor.handler).where(
            HandlerCursor.handler == handler, free, HandlerCursor.next_attempt_at <= now
        )
        async with self.database.session("event claim") as session:
            if self.database.engine.dialect.name == "postgresql":
                candidates = candidates.with_for_update(skip_locked=True)
            lease = now + timedelta(seconds=self.settings.lease_seconds)
            claimed = await session.scalar(
                update(HandlerCursor)
                .where(HandlerCursor.handler.in_(candidates.scalar_subquery()))
                .values(lease=token, locked_until=lease)
                .returning(HandlerCursor.position)
                .execution_options(synchronize_session=False)
            )
        return None if claimed is None else int(claimed)

    async def _events_after(self, sub: Subscription, position: int) -> list[StoredEvent]:
        async with self.database.read_session() as session:
            found = await session.scalars(
                select(StoredEvent)
                .where(StoredEvent.position > position, StoredEvent.name.in_(sub.names))
                .order_by(StoredEvent.position)
                .limit(self.settings.batch_size)
            )
            return list(found)

    async def _deliver(self, sub: Subscription, stored: StoredEvent, token: uuid.UUID) -> bool:
        try:
            event = decode(stored.name, stored.version, stored.payload)
            async with AsyncExitStack() as stack:  # commits the unit, if opened, on the way out
                joined = _Joined(self.database, stack, sub.handler)
                delivery = Delivery(joined, self.runtime)
                await sub.handle(event, delivery)
                lease = timedelta(seconds=self.settings.lease_seconds)
                await _move_cursor(await joined.unit(), sub.handler, token, stored.position, lease)
        except LeaseLostError:
            logger.warning("event_lease_lost", handler=sub.handler)
            return False
        except Exception as exc:
            EVENTS_FAILED.labels(sub.handler).inc()
            await self._record_failure(sub, stored, token, exc)
            return False
        await delivery.run_after_commit()
        EVENTS_DELIVERED.labels(sub.handler).inc()
        EVENTS_DELAY.labels(sub.handler).set((utcnow() - stored.created_at).total_seconds())
        return True

    async def _record_failure(
        self, sub: Subscription, stored: StoredEvent, token: uuid.UUID, exc: Exception
    ) -> None:
        error = _error_text(exc)
        now = utcnow()
        async with self.database.session("event failure") as session:
            cursor = await session.scalar(
                select(HandlerCursor).where(
                    HandlerCursor.handler == sub.handler, HandlerCursor.lease == token
                )
            )
            if cursor is None:
                return  # taken over meanwhile: the new holder tries again
            attempts = cursor.attempts + 1
            # An event this build cannot read (a newer version, written by a newer build in a
            # rolling deploy) waits for a build that can: it is never given up.
            unreadable = isinstance(exc, UnknownEventError)
            if attempts < self.settings.max_attempts or unreadable:
                cursor.attempts = attempts
                cursor.last_error = error
                delay = backoff_seconds(attempts, self.settings)
                cursor.next_attempt_at = now + timedelta(seconds=delay)
                logger.warning(
                    "event_handler_failed",
                    handler=sub.handler,
                    event_name=stored.name,
                    event_id=str(stored.id),
                    attempts=attempts,
                    error=error,
                )
                return
            session.add(
                FailedEvent(
                    handler=sub.handler,
                    event_id=stored.id,
                    event_name=stored.name,
                    aggregate_id=stored.aggregate_id,
                    position=stored.position,
                    attempts=attempts,
                    error=error,
                    failed_at=now,
                )
            )
            cursor.position, cursor.attempts, cursor.last_error = stored.position, 0, None
            cursor.next_attempt_at = now
        EVENTS_DEAD.labels(sub.handler).inc()
        logger.error(
            "event_dead_lettered",
            handler=sub.handler,
            event_name=stored.name,
            event_id=str(stored.id),
            attempts=attempts,
            error=error,
        )

    async def _release(self, handler: str, token: uuid.UUID) -> None:
        async with self.database.session("event release") as session:
            await session.execute(
                update(HandlerCursor)
                .where(HandlerCursor.handler == handler, HandlerCursor.lease == token)
                .values(lease=None, locked_until=None)
                .execution_options(synchronize_session=False)
            )

    # ------------------------------------------------------------------ housekeeping

    async def _housekeeping(self) -> None:
        if time.monotonic() - self._housekept_at < HOUSEKEEPING_SECONDS:
            return
        self._housekept_at = time.monotonic()
        await self.record_pending()
        await self.prune()

    async def record_pending(self) -> None:
        """Set `events_pending` for each hosted handler."""
        async with self.database.read_session() as session:
            for sub in self.subscriptions.values():
                position = await session.scalar(
                    select(HandlerCursor.position).where(HandlerCursor.handler == sub.handler)
                )
                waiting = await session.scalar(
                    select(func.count()).where(
                        StoredEvent.position > (position or 0), StoredEvent.name.in_(sub.names)
                    )
                )
                EVENTS_PENDING.labels(sub.handler).set(waiting or 0)

    async def prune(self) -> int:
        """Delete events older than `EVENTS_RETENTION_DAYS` that every handler has taken."""
        cutoff = utcnow() - timedelta(days=self.settings.retention_days)
        async with self.database.read_session() as session:
            floor = await session.scalar(select(func.min(HandlerCursor.position)))
            old = select(StoredEvent.position).where(
                StoredEvent.position <= (floor or 0), StoredEvent.created_at < cutoff
            )
            if await session.scalar(old.limit(1)) is None:
                return 0
        async with self.database.session("event prune") as session:
            gone = await session.execute(
                delete(StoredEvent)
                .where(StoredEvent.position.in_(old.limit(PRUNE_BATCH).scalar_subquery()))
                .execution_options(synchronize_session=False)
            )
        return int(cast(CursorResult[Any], gone).rowcount)


async def _move_cursor(
    session: AsyncSession, handler: str, token: uuid.UUID, position: int, lease: timedelta
) -> None:
    # Each event taken renews the lease: a long batch is not taken over while it progresses.
    moved = await session.execute(
        update(HandlerCursor)
        .where(HandlerCursor.handler == handler, HandlerCursor.lease == token)
        .values(position=position, attempts=0, last_error=None, locked_until=utcnow() + lease)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], moved).rowcount != 1:
        raise LeaseLostError(handler)


def hosted_dispatcher(
    runtime: Runtime, subscriptions: Sequence[Subscription], *, embedded: bool, inline: bool
) -> EventDispatcher | None:
    """The app's own dispatcher: delivering right after each commit in the committing task
    (`inline`, tests), as a background task (`embedded`, the single-process default), or none
    (production: `msmebazaar worker` hosts every handler)."""
    if not subscriptions or not (embedded or inline):
        return None
    dispatcher = EventDispatcher(runtime, subscriptions)
    if inline:
        runtime.database.after_events = dispatcher.deliver_now
    else:
        dispatcher.start()
    return dispatcher
