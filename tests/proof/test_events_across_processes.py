"""Domain events cross process boundaries. Auth, msme and admin each run in a process of their
own and `msmebazaar worker` in another, as the per-service deployment runs them: a role switched
through auth and a GSTIN changed through msme reach admin's audit log, each exactly once, even
when the worker is killed mid-delivery (SIGKILL) and started again. No server process delivers
events itself here (`OUTBOX_WORKER_EMBEDDED=false`): until the worker runs, nothing is audited.
On a PostgreSQL run the database is a throwaway cluster's, never the shared server's."""

from __future__ import annotations

import asyncio
import subprocess
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from typing import ClassVar

import httpx
import pytest
from sqlalchemy import func, select, update

from msmebazaar.admin.models import AuditEntry
from msmebazaar.msme.models import Msme
from msmebazaar.shared.cache import MemoryCache
from msmebazaar.shared.config import DatabaseSettings, EventSettings
from msmebazaar.shared.db import Database
from msmebazaar.shared.dispatch import Delivery, EventDispatcher, Subscription
from msmebazaar.shared.events import DomainEvent, publish
from msmebazaar.shared.runtime import Runtime
from tests.auth.factories import Actor, sign_in
from tests.conftest import make_settings
from tests.msme.factories import gstin_for, profile_payload
from tests.proof.servers import (
    development_env,
    free_port,
    start_app_server,
    start_worker,
    wait_until_serving,
)

API = "/api/v1"
SWITCHERS = 40  # users who switch their role: enough events that a kill lands mid-delivery
ROLE_CHANGED, VERIFICATION_RESET = "user.role_changed", "msme.verification_reset"
Audited = Counter[tuple[str, uuid.UUID | None]]


def _env(url: str) -> dict[str, str]:
    return development_env(
        url,
        OUTBOX_WORKER_EMBEDDED="false",  # the worker alone delivers, as in production
        EVENTS_POLL_SECONDS="0.05",
        EVENTS_LEASE_SECONDS="2",  # the killed worker's lease runs out soon
    )


async def _audited(database: Database) -> Audited:
    async with database.read_session() as session:
        rows = await session.execute(
            select(AuditEntry.action, AuditEntry.target_id, func.count())
            .where(AuditEntry.action.in_([ROLE_CHANGED, VERIFICATION_RESET]))
            .group_by(AuditEntry.action, AuditEntry.target_id)
        )
        return Counter({(action, target): count for action, target, count in rows})


async def _wait_for_rows(database: Database, at_least: int, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = sum((await _audited(database)).values())
        if found >= at_least:
            return found
        await asyncio.sleep(0.01)
    raise AssertionError(f"fewer than {at_least} audit rows after {seconds} s")


async def _make_changes(ports: dict[str, int], database: Database) -> Audited:
    """A verified profile's GSTIN changed through msme, and roles switched through auth; the
    audit rows they should leave."""
    expected: Audited = Counter()
    async with (
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{ports['auth']}", timeout=30) as auth,
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{ports['msme']}", timeout=30) as msme,
    ):
        owner = Actor(await sign_in(auth, role="msme_owner", name="Owner"))
        payload = profile_payload()
        created = await msme.post(f"{API}/msmes", json=payload, headers=owner.headers)
        assert created.status_code == 201, created.text
        msme_id = uuid.UUID(created.json()["data"]["id"])
        async with database.session() as session:  # an admin verified it meanwhile
            await session.execute(
                update(Msme).where(Msme.id == msme_id).values(verification_status="verified")
            )
        another = {"gstin": gstin_for(payload["pan"], "27", entity="2")}
        changed = await msme.patch(f"{API}/msmes/{msme_id}", json=another, headers=owner.headers)
        assert changed.status_code == 200, changed.text
        expected[(VERIFICATION_RESET, msme_id)] = 1
        for _ in range(SWITCHERS):
            user = Actor(await sign_in(auth, role="buyer", name="Switcher"))
            switched = await auth.patch(
                f"{API}/auth/me", json={"role": "investor"}, headers=user.headers
            )
            assert switched.status_code == 200, switched.text
            expected[(ROLE_CHANGED, user.id)] = 1
    return expected


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is not None and process.poll() is None:
        process.terminate()
        process.wait(timeout=30)


async def test_changes_made_in_other_processes_are_audited_exactly_once(
    committed_url: str, committed_db: Database
) -> None:
    env = _env(committed_url)
    ports = {name: free_port() for name in ("auth", "msme", "admin")}
    servers = [start_app_server(env, port, 1, [name]) for name, port in ports.items()]
    worker: subprocess.Popen[bytes] | None = None
    try:
        await asyncio.gather(*(wait_until_serving(port) for port in ports.values()))
        expected = await _make_changes(ports, committed_db)
        await asyncio.sleep(0.5)
        before_the_worker = await _audited(committed_db)

        worker = start_worker(env)
        seen_at_kill = await _wait_for_rows(committed_db, 1, seconds=60)
        worker.kill()  # SIGKILL: mid-delivery, nothing finished cleanly
        worker.wait(timeout=30)
        worker = start_worker(env)
        await _wait_for_rows(committed_db, len(expected), seconds=60)
        await asyncio.sleep(1)  # time for a repeat to show, were there one
        audited = await _audited(committed_db)
    finally:
        _stop(worker)
        for server in servers:
            _stop(server)

    assert before_the_worker == Counter()
    assert seen_at_kill < len(expected), "the kill came after the last delivery"
    assert audited == expected


@dataclass(frozen=True)
class Pinged(DomainEvent):
    event_name: ClassVar[str] = "test.pinged"

    number: int


async def test_a_listening_dispatcher_wakes_at_a_commit_made_in_another_process(
    committed_url: str, committed_db: Database
) -> None:
    if not committed_url.startswith("postgresql"):
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's (SQLite's dispatchers poll)")
    handled = asyncio.Event()

    async def note(event: Pinged, delivery: Delivery) -> None:
        handled.set()

    runtime = Runtime.build(
        make_settings(committed_url), database=committed_db, cache=MemoryCache()
    )
    name = f"test.listener.{uuid.uuid4().hex[:8]}"
    slow_poll = EventSettings(poll_seconds=60)  # a wake-up can only come from the notification
    dispatcher = EventDispatcher(runtime, [Subscription(name, (Pinged,), note, False)], slow_poll)
    await dispatcher.register()
    dispatcher.start()
    committed_db.after_events = None  # nothing in this "process" tells it of the commit below
    elsewhere = Database.from_settings(DatabaseSettings(url=committed_url))
    try:
        await asyncio.sleep(0.5)  # the listener connects
        async with elsewhere.session() as session:
            publish(session, Pinged(1))
        await asyncio.wait_for(handled.wait(), timeout=5)
    finally:
        await dispatcher.stop()
        await elsewhere.dispose()
