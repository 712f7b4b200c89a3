"""Domain events reach subscribers only after the unit of work commits."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from msmebazaar.shared.config import ObservabilitySettings
from msmebazaar.shared.db import Database
from msmebazaar.shared.events import (
    DomainEvent,
    SessionSource,
    publish,
    subscribe,
    unsubscribe,
)
from msmebazaar.shared.logging import configure_logging


@dataclass(frozen=True)
class ThingChanged(DomainEvent):
    thing_id: int


received: list[int] = []


async def remember(event: ThingChanged, _: SessionSource) -> None:
    received.append(event.thing_id)


async def explode(event: ThingChanged, _: SessionSource) -> None:
    raise RuntimeError("handler bug")


@pytest.fixture(autouse=True)
def _subscribed() -> Iterator[None]:
    received.clear()
    subscribe(ThingChanged, remember)
    yield
    unsubscribe(ThingChanged, remember)
    unsubscribe(ThingChanged, explode)


async def test_events_are_delivered_after_commit(database: Database) -> None:
    async with database.session() as session:
        publish(session, ThingChanged(1))
        publish(session, ThingChanged(2))
        assert received == []

    assert received == [1, 2]


async def test_events_of_a_rolled_back_unit_of_work_are_never_delivered(
    database: Database,
) -> None:
    async def abort() -> None:
        async with database.session() as session:
            publish(session, ThingChanged(3))
            raise ValueError("abort")

    with pytest.raises(ValueError, match="abort"):
        await abort()

    assert received == []


async def test_a_failing_handler_is_logged_and_does_not_stop_the_others(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    configure_logging(ObservabilitySettings())
    unsubscribe(ThingChanged, remember)
    subscribe(ThingChanged, explode)
    subscribe(ThingChanged, remember)

    async with database.session() as session:
        publish(session, ThingChanged(4))

    assert received == [4]
    assert "event_handler_failed" in caplog.text


async def test_subscribing_twice_delivers_once(database: Database) -> None:
    subscribe(ThingChanged, remember)

    async with database.session() as session:
        publish(session, ThingChanged(5))

    assert received == [5]
