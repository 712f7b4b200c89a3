"""Outbound messages survive a provider outage and a worker killed mid-send.

- The SMS provider (Twilio's HTTP API, faked with respx) times out or answers 500 for a while:
  nothing is lost, and once it recovers each message is accepted exactly once.
- A worker process is SIGKILLed in the middle of a send: the message is sent again by another
  worker once the lease passes (at-least-once). The only way a message goes out twice is the
  documented crash window (shared/outbox.py): the provider accepted it and the worker died before
  marking it sent.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
import respx
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from msmebazaar.shared.config import OutboxSettings
from msmebazaar.shared.db import Database
from msmebazaar.shared.messaging import TWILIO_API_BASE, OutboundMessage, TwilioSmsProvider
from msmebazaar.shared.outbox import OutboxMessage, OutboxWorker, enqueue
from tests.auth.factories import new_phone
from tests.proof.outbox_child import LEASE_SECONDS

TWILIO_URL = f"{TWILIO_API_BASE}/Accounts/AC123/Messages.json"
FAST_RETRIES = OutboxSettings(
    max_attempts=10, backoff_base_seconds=0.01, backoff_max_seconds=0.02, lease_seconds=30
)


def _twilio(outage_calls: int, failure: Callable[[], httpx.Response]) -> respx.MockRouter:
    """A fake Twilio that fails its first `outage_calls` requests, then accepts each message."""
    router = respx.mock(assert_all_called=False)
    calls = {"n": 0}

    def answer(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        if calls["n"] <= outage_calls:
            return failure()
        return httpx.Response(201, json={"sid": f"SM{calls['n']:030d}"})

    router.post(TWILIO_URL).mock(side_effect=answer)
    return router


def _timeout() -> httpx.Response:
    raise httpx.ReadTimeout("provider did not answer")


def _server_error() -> httpx.Response:
    return httpx.Response(500, json={"code": 20500, "message": "Internal Server Error"})


def _accepted_recipients(router: respx.MockRouter) -> Counter[str]:
    accepted: Counter[str] = Counter()
    for call in router.calls:
        if call.optional_response is not None and call.optional_response.status_code == 201:
            form = dict(httpx.QueryParams(call.request.content.decode()))
            accepted[form["To"]] += 1
    return accepted


@pytest.mark.parametrize("failure", [_timeout, _server_error], ids=["timeouts", "http_500"])
async def test_a_provider_outage_loses_no_message_and_sends_each_once_after_it(
    database: Database,
    db_connection: AsyncConnection,
    failure: Callable[[], httpx.Response],
) -> None:
    phones = [new_phone() for _ in range(5)]
    async with database.session() as session:
        for phone in phones:
            enqueue(session, "sms", phone, "Your interest was accepted.")
    provider = TwilioSmsProvider(
        account_sid="AC123",
        auth_token="t0ken",
        sender="+15005550006",
        dlt_template_id=None,
        retry_delay_seconds=0,
    )
    worker = OutboxWorker(database, {"sms": provider}, FAST_RETRIES)

    with _twilio(outage_calls=17, failure=failure) as twilio:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            await worker.run_once()
            rows = (await db_connection.execute(select(OutboxMessage))).all()
            if all(row.status == "sent" for row in rows):
                break
            await asyncio.sleep(0.03)
        accepted = _accepted_recipients(twilio)  # respx forgets its calls on leaving the block
    await provider.close()

    rows = (await db_connection.execute(select(OutboxMessage))).all()
    assert {row.recipient for row in rows} == set(phones)
    assert {row.status for row in rows} == {"sent"}
    assert all(row.attempts > 1 for row in rows)  # each was caught by the outage
    assert accepted == Counter(phones)  # each accepted exactly once


class RecordingProvider:
    """Accepts every message and remembers it."""

    name = "recording"

    def __init__(self) -> None:
        self.sent: list[OutboundMessage] = []

    async def send(self, message: OutboundMessage) -> str:
        self.sent.append(message)
        return f"ok-{len(self.sent)}"

    async def close(self) -> None:
        return None


@pytest.fixture
async def committed(engine: AsyncEngine) -> AsyncIterator[Database]:
    """A database whose units of work really commit, so another process sees them."""
    database = Database(engine)
    yield database
    async with database.session() as session:
        await session.execute(delete(OutboxMessage).where(OutboxMessage.body == "kill-test"))


def _kill_mid_send(database_url: str, folder: Path, mode: str) -> None:
    repo = Path(__file__).resolve().parents[2]
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.proof.outbox_child", database_url, str(folder), mode],
        cwd=repo,
        env=os.environ | {"LOG_LEVEL": "WARNING"},
    )
    deadline = time.monotonic() + 30
    while not (folder / "started").exists():
        assert child.poll() is None, "the worker exited before sending"
        assert time.monotonic() < deadline, "the worker never started sending"
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)


async def _deliver_after_the_lease(database: Database) -> RecordingProvider:
    await asyncio.sleep(LEASE_SECONDS + 0.1)
    provider = RecordingProvider()
    worker = OutboxWorker(database, {"sms": provider}, OutboxSettings(lease_seconds=30))
    await worker.run_once()
    return provider


async def _row(database: Database, message_id: uuid.UUID) -> OutboxMessage:
    async with database.session() as session:
        row = await session.get(OutboxMessage, message_id)
    assert row is not None
    return row


@pytest.mark.parametrize(
    ("mode", "times_accepted"),
    [("before", 1), ("after", 2)],
    ids=["killed_before_the_provider_accepted", "killed_after_it_accepted_the_crash_window"],
)
async def test_a_worker_killed_mid_send_leaves_the_message_to_be_sent_again(
    committed: Database, database_url: str, tmp_path: Path, mode: str, times_accepted: int
) -> None:
    async with committed.session() as session:
        message_id = enqueue(session, "sms", new_phone(), "kill-test").id

    _kill_mid_send(database_url, tmp_path, mode)
    killed = await _row(committed, message_id)
    assert (killed.status, killed.attempts) == ("sending", 1)  # claimed, never marked

    second = await _deliver_after_the_lease(committed)

    row = await _row(committed, message_id)
    assert (row.status, row.attempts) == ("sent", 2)
    assert [message.id for message in second.sent] == [message_id]
    accepted_by_the_killed_worker = (tmp_path / "accepted").exists()
    assert accepted_by_the_killed_worker is (mode == "after")
    assert accepted_by_the_killed_worker + len(second.sent) == times_accepted
