"""Domain events are stored with their change and handed to each handler once, in order, with
retries, dead letters and leases (shared/events.py, shared/dispatch.py)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar

import pytest
from sqlalchemy import func, select, text, update

from msmebazaar.shared.cache import MemoryCache
from msmebazaar.shared.config import EventSettings, Settings
from msmebazaar.shared.db import Database, utcnow
from msmebazaar.shared.dispatch import (
    Delivery,
    EventDispatcher,
    FailedEvent,
    HandlerCursor,
    Subscription,
)
from msmebazaar.shared.events import DomainEvent, StoredEvent, UnknownEventError, decode, publish
from msmebazaar.shared.metrics import REGISTRY
from msmebazaar.shared.outbox import OutboxMessage, enqueue
from msmebazaar.shared.runtime import Runtime


@dataclass(frozen=True)
class ThingChanged(DomainEvent):
    event_name: ClassVar[str] = "test.thing_changed"

    thing_id: uuid.UUID
    note: str = ""


@dataclass(frozen=True)
class OtherThing(DomainEvent):
    event_name: ClassVar[str] = "test.other_thing"

    count: int


FAST = EventSettings(
    poll_seconds=0.01, backoff_base_seconds=0.001, backoff_max_seconds=0.002, max_attempts=4
)


async def _write_a_row(event: ThingChanged, delivery: Delivery) -> None:
    # What a real handler does: write in its unit of work (here an outbox row named after it).
    async with delivery.database.session() as session:
        enqueue(session, "sms", "+919800000000", f"{event.thing_id}:{event.note}")


def _dispatcher(
    database: Database,
    settings: Settings,
    handle: Callable[[Any, Delivery], Awaitable[None]] = _write_a_row,
    *,
    name: str = "test.writer",
    events: tuple[type[DomainEvent], ...] = (ThingChanged,),
    replay: bool = True,
    tuning: EventSettings = FAST,
) -> EventDispatcher:
    runtime = Runtime.build(settings, database=database, cache=MemoryCache())
    return EventDispatcher(runtime, [Subscription(name, events, handle, replay)], tuning)


async def _publish(database: Database, *events: DomainEvent) -> None:
    async with database.session() as session:
        for event in events:
            publish(session, event)


async def _written(database: Database) -> list[str]:
    async with database.read_session() as session:
        rows = await session.scalars(select(OutboxMessage.body).order_by(OutboxMessage.created_at))
        return list(rows)


async def _stored_count(database: Database) -> int:
    async with database.read_session() as session:
        return int(await session.scalar(select(func.count()).select_from(StoredEvent)) or 0)


def _metric(name: str, handler: str) -> float:
    return REGISTRY.get_sample_value(name, {"handler": handler}) or 0.0


async def test_an_event_is_stored_with_its_commit_and_in_commit_order(database: Database) -> None:
    first, second = ThingChanged(uuid.uuid4(), "a"), OtherThing(2)
    async with database.session() as session:
        publish(session, first)
        publish(session, second)
        assert await session.scalar(select(func.count()).select_from(StoredEvent)) == 0

    async with database.read_session() as session:
        rows = list(await session.scalars(select(StoredEvent).order_by(StoredEvent.position)))
    assert [decode(row.name, row.version, row.payload) for row in rows] == [first, second]
    assert rows[0].aggregate_id == str(first.thing_id)


async def test_the_events_of_a_rolled_back_unit_of_work_are_never_stored(
    database: Database,
) -> None:
    async def failing_change() -> None:
        async with database.session() as session:
            publish(session, ThingChanged(uuid.uuid4()))
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        await failing_change()

    assert await _stored_count(database) == 0


async def test_a_handler_takes_each_event_once_in_order(
    database: Database, settings: Settings
) -> None:
    ids = [uuid.uuid4() for _ in range(5)]
    await _publish(database, *(ThingChanged(thing_id) for thing_id in ids[:3]))
    await _publish(database, OtherThing(1), *(ThingChanged(thing_id) for thing_id in ids[3:]))
    dispatcher = _dispatcher(database, settings)

    assert await dispatcher.run_once() == 5
    assert await dispatcher.run_once() == 0

    assert await _written(database) == [f"{thing_id}:" for thing_id in ids]


async def test_a_handler_that_fails_three_times_then_succeeds_writes_once(
    database: Database, settings: Settings
) -> None:
    tries: list[int] = []

    async def flaky(event: ThingChanged, delivery: Delivery) -> None:
        await _write_a_row(event, delivery)  # written, then rolled back with the failure
        tries.append(1)
        if len(tries) <= 3:
            raise RuntimeError("downstream is down")

    handler = f"test.flaky.{uuid.uuid4().hex[:8]}"
    thing = ThingChanged(uuid.uuid4())
    await _publish(database, thing)
    dispatcher = _dispatcher(database, settings, flaky, name=handler)

    for _ in range(20):
        await dispatcher.run_once()
        await asyncio.sleep(0.005)  # past the (tiny) backoff

    assert len(tries) == 4
    assert await _written(database) == [f"{thing.thing_id}:"]
    assert _metric("events_failed_total", handler) == 3
    assert _metric("events_delivered_total", handler) == 1
    assert _metric("events_dead_lettered_total", handler) == 0


async def test_a_failure_waits_out_its_backoff_and_holds_back_later_events(
    database: Database, settings: Settings
) -> None:
    async def broken(event: ThingChanged, delivery: Delivery) -> None:
        raise RuntimeError("bug")

    slow = EventSettings(backoff_base_seconds=60, backoff_max_seconds=60, max_attempts=5)
    await _publish(database, ThingChanged(uuid.uuid4()), ThingChanged(uuid.uuid4()))
    dispatcher = _dispatcher(database, settings, broken, name="test.broken", tuning=slow)

    await dispatcher.run_once()
    await dispatcher.run_once()  # within the backoff: not tried again

    async with database.read_session() as session:
        cursor = await session.get(HandlerCursor, "test.broken")
    assert cursor is not None
    assert (cursor.position, cursor.attempts, cursor.last_error) == (0, 1, "RuntimeError")
    assert cursor.next_attempt_at > utcnow() + timedelta(seconds=50)


async def test_after_its_last_try_an_event_is_a_dead_letter_and_the_handler_goes_on(
    database: Database, settings: Settings
) -> None:
    poisoned, fine = ThingChanged(uuid.uuid4(), "poison"), ThingChanged(uuid.uuid4(), "fine")

    async def picky(event: ThingChanged, delivery: Delivery) -> None:
        if event.note == "poison":
            raise ValueError("cannot handle this one")
        await _write_a_row(event, delivery)

    handler = f"test.picky.{uuid.uuid4().hex[:8]}"
    await _publish(database, poisoned, fine)
    dispatcher = _dispatcher(database, settings, picky, name=handler)

    for _ in range(20):
        await dispatcher.run_once()
        await asyncio.sleep(0.005)

    async with database.read_session() as session:
        (dead,) = list(await session.scalars(select(FailedEvent)))
    assert (dead.handler, dead.event_name, dead.aggregate_id) == (
        handler,
        "test.thing_changed",
        str(poisoned.thing_id),
    )
    assert (dead.attempts, dead.error) == (FAST.max_attempts, "ValueError")
    assert await _written(database) == [f"{fine.thing_id}:fine"]
    assert _metric("events_dead_lettered_total", handler) == 1


async def test_an_event_this_build_cannot_read_waits_for_one_that_can(
    database: Database, settings: Settings
) -> None:
    async with database.session() as session:  # stored by a newer build (version 99)
        session.add(
            StoredEvent(
                id=uuid.uuid4(),
                name="test.thing_changed",
                version=99,
                aggregate_id="x",
                payload="{}",
                created_at=utcnow(),
            )
        )
    dispatcher = _dispatcher(database, settings)

    for _ in range(20):
        await dispatcher.run_once()
        await asyncio.sleep(0.005)

    async with database.read_session() as session:
        dead = list(await session.scalars(select(FailedEvent)))
        cursor = await session.get(HandlerCursor, "test.writer")
    assert dead == []
    assert cursor is not None
    assert (cursor.position, cursor.last_error) == (0, "UnknownEventError")
    assert cursor.attempts > FAST.max_attempts
    with pytest.raises(UnknownEventError):
        decode("test.no_such_event", 1, "{}")


async def test_a_held_lease_keeps_a_second_dispatcher_out_until_it_runs_out(
    database: Database, settings: Settings
) -> None:
    await _publish(database, ThingChanged(uuid.uuid4()))
    first, second = _dispatcher(database, settings), _dispatcher(database, settings)
    await first.register()
    token = uuid.uuid4()
    assert await first._claim("test.writer", token) == 0

    assert await second.run_once() == 0  # the lease is held

    async with database.session() as session:  # the holder died: its lease runs out
        await session.execute(
            update(HandlerCursor).values(locked_until=utcnow() - timedelta(seconds=1))
        )
    assert await second.run_once() == 1


async def test_a_holder_whose_lease_was_taken_over_commits_nothing(
    database: Database, settings: Settings
) -> None:
    async def overtaken(event: ThingChanged, delivery: Delivery) -> None:
        await _write_a_row(event, delivery)
        async with database.session() as session:  # meanwhile another dispatcher took over
            await session.execute(update(HandlerCursor).values(lease=uuid.uuid4()))

    await _publish(database, ThingChanged(uuid.uuid4()))
    dispatcher = _dispatcher(database, settings, overtaken)

    assert await dispatcher.run_once() == 0

    assert await _written(database) == []


async def test_a_new_handler_that_does_not_replay_starts_at_the_newest_event(
    database: Database, settings: Settings
) -> None:
    await _publish(database, ThingChanged(uuid.uuid4(), "old"))
    dispatcher = _dispatcher(database, settings, replay=False)
    await dispatcher.register()
    new = ThingChanged(uuid.uuid4(), "new")
    await _publish(database, new)

    await dispatcher.run_once()

    assert await _written(database) == [f"{new.thing_id}:new"]


async def test_old_events_every_handler_took_are_pruned(
    database: Database, settings: Settings
) -> None:
    await _publish(database, ThingChanged(uuid.uuid4()), ThingChanged(uuid.uuid4()))
    dispatcher = _dispatcher(database, settings)
    await dispatcher.run_once()
    await _publish(database, ThingChanged(uuid.uuid4()))  # not taken yet: kept
    async with database.session() as session:
        await session.execute(
            update(StoredEvent).values(
                created_at=utcnow() - timedelta(days=FAST.retention_days + 1)
            )
        )

    assert await dispatcher.prune() == 2
    assert await _stored_count(database) == 1
    await dispatcher.record_pending()
    assert _metric("events_pending", "test.writer") == 1


async def test_a_rolled_back_savepoint_drops_its_own_events_but_not_refusals(
    database: Database,
) -> None:
    kept, dropped = ThingChanged(uuid.uuid4(), "kept"), ThingChanged(uuid.uuid4(), "dropped")
    async with database.session() as session:
        publish(session, kept)
        savepoint = await session.begin_nested()
        publish(session, dropped)
        publish(session, OtherThing(7), refusal=True)  # a refusal is a fact: it stays
        await savepoint.rollback()
        async with session.begin_nested():  # a savepoint released: nothing is stored yet
            publish(session, ThingChanged(kept.thing_id, "also kept"))
        assert await session.scalar(select(func.count()).select_from(StoredEvent)) == 0

    async with database.read_session() as session:
        rows = list(await session.scalars(select(StoredEvent).order_by(StoredEvent.position)))
    notes = [decode(row.name, row.version, row.payload) for row in rows]
    assert notes == [kept, OtherThing(7), ThingChanged(kept.thing_id, "also kept")]


async def test_a_savepoint_release_takes_no_ordering_lock(database: Database) -> None:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("the ordering lock is PostgreSQL's (SQLite has one writer)")
    held = text(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
    )
    async with database.session() as session:
        publish(session, ThingChanged(uuid.uuid4()))
        async with session.begin_nested():
            pass
        assert await session.scalar(held) == 0  # only the unit's commit takes it


async def test_a_position_is_never_given_twice_even_after_everything_was_pruned(
    database: Database, settings: Settings
) -> None:
    await _publish(database, ThingChanged(uuid.uuid4()), ThingChanged(uuid.uuid4()))
    dispatcher = _dispatcher(database, settings)
    await dispatcher.run_once()
    async with database.session() as session:
        before = await session.scalar(select(func.max(StoredEvent.position)))
        await session.execute(
            update(StoredEvent).values(
                created_at=utcnow() - timedelta(days=FAST.retention_days + 1)
            )
        )
    assert await dispatcher.prune() == 2
    new = ThingChanged(uuid.uuid4(), "after the prune")

    await _publish(database, new)
    await dispatcher.run_once()

    async with database.read_session() as session:
        after = await session.scalar(select(func.max(StoredEvent.position)))
    assert before is not None
    assert after is not None
    assert after > before
    assert (await _written(database))[-1] == f"{new.thing_id}:after the prune"


async def test_each_event_taken_renews_the_lease(database: Database, settings: Settings) -> None:
    leases: list[object] = []

    async def note_the_lease(event: ThingChanged, delivery: Delivery) -> None:
        async with delivery.database.read_session() as session:
            leases.append(
                await session.scalar(
                    select(HandlerCursor.locked_until).where(HandlerCursor.handler == "test.lease")
                )
            )
        await asyncio.sleep(0.01)

    await _publish(database, ThingChanged(uuid.uuid4()), ThingChanged(uuid.uuid4()))
    dispatcher = _dispatcher(database, settings, note_the_lease, name="test.lease")

    assert await dispatcher.run_once() == 2

    first, second = leases
    assert isinstance(first, datetime)
    assert isinstance(second, datetime)
    assert second > first


async def test_a_failed_inline_delivery_never_fails_the_committed_change(
    database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    dispatcher = _dispatcher(database, settings)

    async def broken() -> int:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(dispatcher, "run_once", broken)
    database.after_events = dispatcher.deliver_now
    try:
        await _publish(database, ThingChanged(uuid.uuid4()))  # does not raise
    finally:
        database.after_events = None

    assert await _stored_count(database) == 1
