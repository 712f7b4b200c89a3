"""Overload and the event loop: requests past the in-flight limit are shed at once with a 503
envelope (probes exempt); start-up's heap is kept out of the garbage collector's way."""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import APIRouter

from msmebazaar.app import create_app
from msmebazaar.shared.cache import MemoryCache
from msmebazaar.shared.config import (
    AppSettings,
    DatabaseSettings,
    Environment,
    OutboxSettings,
    Settings,
)
from msmebazaar.shared.db import Database
from msmebazaar.shared.pagination import PageParams, page_response
from msmebazaar.shared.ratelimit import RateLimiter
from msmebazaar.shared.responses import DataResponse, ListResponse, ok
from tests.conftest import make_settings

LIMIT = 2


class Gate:
    """Requests to `/test/slow` wait here until the test opens it."""

    def __init__(self) -> None:
        self.opened = asyncio.Event()
        self.full = asyncio.Event()  # set once LIMIT requests are waiting
        self.waiting = 0


@pytest.fixture
async def gated(
    database_url: str, database: Database, rate_limiter: RateLimiter
) -> AsyncIterator[tuple[httpx.AsyncClient, Gate]]:
    gate = Gate()
    router = APIRouter()

    @router.get("/test/slow")
    async def slow() -> dict[str, str]:
        gate.waiting += 1
        if gate.waiting >= LIMIT:
            gate.full.set()
        await gate.opened.wait()
        return {"status": "done"}

    settings = make_settings(database_url, max_in_flight_requests=LIMIT)
    app = create_app(settings, database=database, cache=MemoryCache(), rate_limiter=rate_limiter)
    app.include_router(router)
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 1234))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            yield http, gate


async def _fill(client: httpx.AsyncClient, gate: Gate) -> list[asyncio.Task[httpx.Response]]:
    held = [asyncio.create_task(client.get("/test/slow")) for _ in range(LIMIT)]
    await asyncio.wait_for(gate.full.wait(), timeout=10)
    return held


async def test_past_the_in_flight_limit_a_request_gets_503_at_once(
    gated: tuple[httpx.AsyncClient, Gate],
) -> None:
    client, gate = gated
    held = await _fill(client, gate)

    started = time.monotonic()
    shed = await client.get("/api/v1/listings")
    assert time.monotonic() - started < 0.5
    assert shed.status_code == 503
    assert shed.headers["Retry-After"] == "1"
    body = shed.json()
    assert body["success"] is False
    assert body["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert body["request_id"] == shed.headers["X-Request-ID"]

    gate.opened.set()
    assert [r.status_code for r in await asyncio.gather(*held)] == [200] * LIMIT
    assert (await client.get("/api/v1/listings")).status_code == 200  # the slots are free again


async def test_probes_and_metrics_answer_while_the_process_is_full(
    gated: tuple[httpx.AsyncClient, Gate],
) -> None:
    client, gate = gated
    held = await _fill(client, gate)
    try:
        assert (await client.get("/health/live")).status_code == 200
        assert (await client.get("/health/ready")).status_code == 200
        scraped = await client.get("/metrics")
        assert scraped.status_code == 200
        assert "http_requests_shed_total" in scraped.text
    finally:
        gate.opened.set()
        await asyncio.gather(*held)


async def test_served_apps_freeze_the_startup_heap_out_of_garbage_collection(
    database_url: str, database: Database, rate_limiter: RateLimiter
) -> None:
    settings = Settings(
        app=AppSettings(environment=Environment.DEVELOPMENT, rate_limit_per_minute=0),
        database=DatabaseSettings(url=database_url),
        outbox=OutboxSettings(worker_embedded=False),
    )
    app = create_app(settings, ["auth"], database=database, cache=MemoryCache())
    gc.unfreeze()
    try:
        async with LifespanManager(app):
            # A full collection no longer walks what start-up built.
            assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def test_envelopes_build_no_model_class_per_answer() -> None:
    # A parametrised envelope (`DataResponse[T]`) was a new pydantic class per call: ~1 ms each,
    # and cyclic garbage for the collector.
    assert type(ok({"a": 1})) is DataResponse
    page = page_response([1, 2], total=2, params=PageParams(page=1, page_size=20))
    assert type(page) is ListResponse
    assert page.model_dump()["pagination"] == {"page": 1, "page_size": 20, "total": 2, "pages": 1}
