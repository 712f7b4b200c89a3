"""The notifications issue's "done when", as production runs it: the owner's portal is served by
one process (the pages and the notifications service), the buyer's interest goes through
another (auth and msme), `msmebazaar worker` turns the event into the owner's notification and
publishes it on Redis — and the bell in the owner's open page (Debian's Chromium) turns to 1
at once, without a reload (pushed through Redis, not found by a re-read). A throwaway
redis-server; the run's database backend."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, expect

from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.db import Database, create_engine, upgrade_database
from tests.auth.factories import Actor
from tests.auth.factories import sign_in as api_sign_in
from tests.conftest import TEST_DATABASE_URL
from tests.msme.factories import make_listing, make_msme
from tests.proof.servers import (
    ThrowawayRedis,
    development_env,
    free_port,
    require_binaries,
    start_app_server,
    start_worker,
    wait_until_serving,
)
from tests.web.e2e.conftest import OpenPages, _drop_postgres, _fresh_postgres
from tests.web.e2e.flows import sign_in, user_id

OWNER_PHONE = "9812300061"
# Pushed, not polled: well inside the 15 s heartbeat at which a stream would re-read on its
# own. How fast (p50/p99 from event to browser) is bench/bench_notifications.py's to measure,
# not a timed test's: on a quiet machine it is well under a second.
WITHIN_MS = 5_000


@dataclass
class Deployment:
    portal: str  # pages + notifications
    api: str  # auth + msme
    database: Database


@pytest.fixture(scope="module")
def redis_server() -> Iterator[ThrowawayRedis]:
    binary = shutil.which("redis-server")
    require_binaries(Path(binary) if binary else None)
    assert binary is not None
    server = ThrowawayRedis(binary)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
async def deployment(
    tmp_path_factory: pytest.TempPathFactory, redis_server: ThrowawayRedis
) -> AsyncIterator[Deployment]:
    folder = tmp_path_factory.mktemp("bell")
    if TEST_DATABASE_URL:
        url = await _fresh_postgres(TEST_DATABASE_URL)
    else:
        url = f"sqlite+aiosqlite:///{folder / 'bell.db'}"
    upgrade_database(url)
    env = development_env(
        url,
        REDIS_URL=redis_server.url,
        OUTBOX_WORKER_EMBEDDED="false",  # the worker alone delivers events, as in production
        EVENTS_POLL_SECONDS="0.05",
        STORAGE_URL=f"file://{folder / 'documents'}",
    )
    portal_port, api_port = free_port(), free_port()
    processes = [
        start_app_server(env, portal_port, 1, ["web", "notifications"]),
        start_app_server(env, api_port, 1, ["auth", "msme"]),
        start_worker(env),
    ]
    engine = create_engine(DatabaseSettings(url=url))
    try:
        await asyncio.gather(wait_until_serving(portal_port), wait_until_serving(api_port))
        yield Deployment(
            f"http://127.0.0.1:{portal_port}", f"http://127.0.0.1:{api_port}", Database(engine)
        )
    finally:
        for process in processes:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        await engine.dispose()
        if TEST_DATABASE_URL:
            await _drop_postgres(TEST_DATABASE_URL, url)


async def test_the_owners_bell_turns_to_one_as_an_interest_is_sent_through_another_process(
    deployment: Deployment, chromium: Browser, open_pages: OpenPages
) -> None:
    context = await chromium.new_context(base_url=deployment.portal)
    owner = await context.new_page()
    open_pages.pages["owner"] = owner
    await sign_in(owner, OWNER_PHONE, role="msme_owner", name="Asha Patel")
    owner_id = await user_id(deployment.database, OWNER_PHONE)
    listing = await make_listing(
        deployment.database, await make_msme(deployment.database, owner_id)
    )
    await owner.goto("/my/interests")
    bell = owner.locator("a[data-bell]")
    count = owner.get_by_test_id("bell-count")
    await expect(bell).to_have_attribute("data-stream", "open")
    await expect(count).to_be_hidden()
    await asyncio.sleep(0.5)  # the portal's process has subscribed to Redis by now

    async with httpx.AsyncClient(base_url=deployment.api, timeout=30) as api:
        buyer = Actor(await api_sign_in(api, role="buyer", name="Bharat Mehta"))
        started = time.monotonic()
        sent = await api.post(
            f"/api/v1/listings/{listing.id}/interests",
            json={"message": "We run two plants nearby."},
            headers=buyer.headers,
        )
        assert sent.status_code == 201, sent.text
        await expect(count).to_have_text("1", timeout=WITHIN_MS)
        heard_after = time.monotonic() - started

    assert heard_after < WITHIN_MS / 1000
    await expect(owner.get_by_role("link", name="Notifications, 1 unread")).to_be_visible()
    await context.close()
