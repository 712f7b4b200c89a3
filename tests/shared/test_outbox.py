"""The outbox: messages stored with the unit of work, delivered at least once with backoff."""

from __future__ import annotations

import asyncio
import os
import signal
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from typer.testing import CliRunner

from msmebazaar.cli import app as cli
from msmebazaar.shared.config import DatabaseSettings, Environment, OutboxSettings, Settings
from msmebazaar.shared.db import Database, upgrade_database, utcnow
from msmebazaar.shared.messaging import DeliveryError, OutboundMessage
from msmebazaar.shared.metrics import REGISTRY
from msmebazaar.shared.outbox import (
    REDACTED,
    OutboxMessage,
    OutboxWorker,
    backoff_seconds,
    embedded_worker_enabled,
    enqueue,
    start_embedded_worker,
)
from msmebazaar.worker import run_worker

SETTINGS = OutboxSettings(max_attempts=3, backoff_base_seconds=2, backoff_max_seconds=60)


class FakeProvider:
    """Records what it sends; fails the way it is told to."""

    name = "fake"

    def __init__(self, failure: DeliveryError | None = None, delay: float = 0.0) -> None:
        self.sent: list[OutboundMessage] = []
        self.failure = failure
        self.delay = delay
        self.closed = False

    async def send(self, message: OutboundMessage) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.failure is not None:
            raise self.failure
        self.sent.append(message)
        return f"fake-{len(self.sent)}"

    async def close(self) -> None:
        self.closed = True


async def _enqueue(database: Database, **fields: Any) -> uuid.UUID:
    async with database.session() as session:
        message = enqueue(
            session,
            fields.pop("channel", "sms"),
            fields.pop("to", "+919876543210"),
            fields.pop("body", "hello"),
            **fields,
        )
    return message.id


async def _row(connection: AsyncConnection, message_id: uuid.UUID) -> Any:
    return (
        await connection.execute(select(OutboxMessage).where(OutboxMessage.id == message_id))
    ).one()


def _worker(database: Database, provider: FakeProvider, **overrides: Any) -> OutboxWorker:
    return OutboxWorker(database, {"sms": provider}, SETTINGS.model_copy(update=overrides))


async def test_enqueued_message_is_stored_when_the_unit_of_work_commits(
    database: Database, db_connection: AsyncConnection
) -> None:
    message_id = await _enqueue(database, template="1107", sensitive=True)

    row = await _row(db_connection, message_id)
    assert (row.channel, row.recipient, row.body, row.template) == (
        "sms",
        "+919876543210",
        "hello",
        "1107",
    )
    assert (row.status, row.attempts, row.sensitive) == ("pending", 0, True)


async def test_enqueued_message_is_dropped_when_the_unit_of_work_fails(
    database: Database, db_connection: AsyncConnection
) -> None:
    async def failing_unit_of_work() -> None:
        async with database.session() as session:
            enqueue(session, "sms", "+919876543210", "never")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        await failing_unit_of_work()

    assert (await db_connection.execute(select(OutboxMessage.id))).all() == []


async def test_worker_sends_a_due_message_and_marks_it_sent(
    database: Database, db_connection: AsyncConnection
) -> None:
    message_id = await _enqueue(database, body="Your code")
    provider = FakeProvider()

    claimed = await _worker(database, provider).run_once()

    assert claimed == 1
    assert [(m.id, m.to, m.body) for m in provider.sent] == [
        (message_id, "+919876543210", "Your code")
    ]
    row = await _row(db_connection, message_id)
    assert (row.status, row.attempts, row.provider_message_id) == ("sent", 1, "fake-1")
    assert row.sent_at is not None
    assert row.locked_until is None


async def test_a_sent_message_is_not_sent_again(database: Database) -> None:
    await _enqueue(database)
    provider = FakeProvider()
    worker = _worker(database, provider)
    await worker.run_once()

    assert await worker.run_once() == 0
    assert len(provider.sent) == 1


async def test_sensitive_body_is_erased_after_delivery(
    database: Database, db_connection: AsyncConnection
) -> None:
    message_id = await _enqueue(database, body="123456 is your code", sensitive=True)

    await _worker(database, FakeProvider()).run_once()

    assert (await _row(db_connection, message_id)).body == REDACTED


async def test_retryable_failure_is_due_again_after_backoff(
    database: Database, db_connection: AsyncConnection
) -> None:
    message_id = await _enqueue(database)
    provider = FakeProvider(DeliveryError("twilio HTTP 503", retryable=True))
    before = utcnow()

    await _worker(database, provider).run_once()

    row = await _row(db_connection, message_id)
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "twilio HTTP 503")
    assert before + timedelta(seconds=2) <= row.next_attempt_at
    assert row.next_attempt_at <= utcnow() + timedelta(seconds=2)


async def test_message_is_not_tried_again_before_its_backoff(database: Database) -> None:
    await _enqueue(database)
    provider = FakeProvider(DeliveryError("down", retryable=True))
    worker = _worker(database, provider)
    await worker.run_once()

    assert await worker.run_once() == 0


async def test_message_fails_after_the_last_attempt(
    database: Database, db_connection: AsyncConnection
) -> None:
    message_id = await _enqueue(database, sensitive=True)
    worker = _worker(database, FakeProvider(DeliveryError("down", retryable=True)))
    for _ in range(3):
        await worker.run_once()
        await db_connection.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))

    row = await _row(db_connection, message_id)
    assert (row.status, row.attempts, row.body) == ("failed", 3, REDACTED)
    assert await worker.run_once() == 0


async def test_permanent_failure_fails_at_once(
    database: Database, db_connection: AsyncConnection
) -> None:
    message_id = await _enqueue(database)

    await _worker(database, FakeProvider(DeliveryError("HTTP 400", retryable=False))).run_once()

    row = await _row(db_connection, message_id)
    assert (row.status, row.attempts) == ("failed", 1)


async def test_a_provider_crash_counts_as_a_retryable_failure(
    database: Database, db_connection: AsyncConnection
) -> None:
    message_id = await _enqueue(database)
    provider = FakeProvider()
    provider.failure = ValueError("bug")  # type: ignore[assignment]

    await _worker(database, provider).run_once()

    row = await _row(db_connection, message_id)
    assert (row.status, row.last_error) == ("pending", "unexpected ValueError")


async def test_an_abandoned_lease_is_claimed_again(
    database: Database, db_connection: AsyncConnection
) -> None:
    message_id = await _enqueue(database)
    await db_connection.execute(
        update(OutboxMessage).values(
            status="sending", attempts=1, locked_until=utcnow() - timedelta(seconds=1)
        )
    )
    provider = FakeProvider()

    await _worker(database, provider).run_once()

    row = await _row(db_connection, message_id)
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(provider.sent) == 1


async def test_a_live_lease_is_left_to_its_worker(
    database: Database, db_connection: AsyncConnection
) -> None:
    await _enqueue(database)
    await db_connection.execute(
        update(OutboxMessage).values(status="sending", locked_until=utcnow() + timedelta(minutes=1))
    )

    assert await _worker(database, FakeProvider()).run_once() == 0


async def test_a_channel_without_a_provider_stays_queued(
    database: Database, db_connection: AsyncConnection
) -> None:
    message_id = await _enqueue(database, channel="whatsapp")

    assert await _worker(database, FakeProvider()).run_once() == 0
    assert (await _row(db_connection, message_id)).status == "pending"


async def test_delivery_outcomes_and_queue_depth_are_measured(database: Database) -> None:
    def sent() -> float:
        value = REGISTRY.get_sample_value(
            "outbox_messages_total", {"channel": "sms", "status": "sent"}
        )
        return value or 0.0

    before = sent()
    await _enqueue(database)
    await _enqueue(database, channel="whatsapp")

    await _worker(database, FakeProvider()).run_once()

    assert sent() == before + 1
    assert REGISTRY.get_sample_value("outbox_queue_depth") == 1


def test_backoff_doubles_and_is_capped() -> None:
    delays = [backoff_seconds(attempt, SETTINGS) for attempt in range(1, 8)]

    assert delays == [2, 4, 8, 16, 32, 60, 60]


async def test_two_workers_never_take_the_same_message(engine: AsyncEngine) -> None:
    database = Database(engine)
    ids = [await _enqueue(database, body=f"m{n}") for n in range(30)]
    providers = [FakeProvider(delay=0.005), FakeProvider(delay=0.005)]
    workers = [_worker(database, provider, batch_size=4) for provider in providers]
    try:
        for _ in range(10):
            await asyncio.gather(*(worker.run_once() for worker in workers))
        sent = [message.id for provider in providers for message in provider.sent]
        assert sorted(sent) == sorted(ids)
        assert all(provider.sent for provider in providers)
    finally:
        async with database.session() as session:
            await session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))


async def test_the_worker_loop_stops_when_asked(database: Database) -> None:
    provider = FakeProvider()
    worker = _worker(database, provider, poll_interval_seconds=0.01)
    worker.start()
    await asyncio.sleep(0.05)

    await asyncio.wait_for(worker.stop(), timeout=2)

    assert provider.closed


@pytest.mark.parametrize(
    ("environment", "configured", "expected"),
    [
        (Environment.DEVELOPMENT, None, True),
        (Environment.TESTING, None, False),
        (Environment.PRODUCTION, None, False),
        (Environment.TESTING, True, True),
        (Environment.DEVELOPMENT, False, False),
    ],
)
def test_the_embedded_worker_runs_by_default_only_in_development(
    environment: Environment, configured: bool | None, expected: bool
) -> None:
    settings = Settings(outbox=OutboxSettings(worker_embedded=configured))
    settings.app.environment = environment

    assert embedded_worker_enabled(settings) is expected


async def test_start_embedded_worker_is_off_in_testing(
    database: Database, settings: Settings
) -> None:
    assert start_embedded_worker(database, settings) is None


async def test_start_embedded_worker_runs_when_enabled(
    database: Database, settings: Settings
) -> None:
    enabled = settings.model_copy(update={"outbox": OutboxSettings(worker_embedded=True)})

    worker = start_embedded_worker(database, enabled)

    assert worker is not None
    await worker.stop()


async def test_standalone_worker_delivers_until_sigterm(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'worker.db'}"
    upgrade_database(url)
    settings = Settings(
        database=DatabaseSettings(url=url),
        outbox=OutboxSettings(poll_interval_seconds=0.01),
    )
    settings.app.environment = Environment.DEVELOPMENT
    database = Database.from_settings(settings.database)
    await _enqueue(database, body="delivered by the worker")
    await database.dispose()

    task = asyncio.create_task(run_worker(settings))
    await asyncio.sleep(0.5)
    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.wait_for(task, timeout=5)

    assert "[sms to +919876543210] delivered by the worker" in capsys.readouterr().out


def test_worker_is_a_command() -> None:
    result = CliRunner().invoke(cli, ["worker", "--help"])

    assert result.exit_code == 0
    assert "outbound messages" in result.output


async def test_a_sign_in_code_goes_before_messages_held_through_the_night(
    database: Database,
) -> None:
    eight_am = utcnow() - timedelta(minutes=5)
    for number in range(3):
        await _enqueue(database, body=f"held {number}", not_before=eight_am)
    await _enqueue(database, body="Your code is 123456", sensitive=True)
    provider = FakeProvider()

    await _worker(database, provider, batch_size=1).run_once()

    assert [message.body for message in provider.sent] == ["Your code is 123456"]
