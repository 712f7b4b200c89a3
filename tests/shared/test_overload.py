"""Overload and the event loop: requests past the in-flight limit are shed at once with a 503
envelope (probes and cached pages exempt); start-up's heap is kept out of the garbage
collector's way."""

from __future__ import annotations

import asyncio
import gc
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import APIRouter

from msmebazaar.app import create_app
from msmebazaar.shared import public_cache
from msmebazaar.shared.cache import MemoryCache
from msmebazaar.shared.config import (
    AppSettings,
    DatabaseSettings,
    Environment,
    OutboxSettings,
    Settings,
)
from msmebazaar.shared.db import Database
from msmebazaar.shared.metrics import REGISTRY
from msmebazaar.shared.middleware import AdmissionLimitMiddleware
from msmebazaar.shared.pagination import PageParams, page_response
from msmebazaar.shared.ratelimit import RateLimiter
from msmebazaar.shared.responses import DataResponse, ListResponse, ok
from tests.conftest import make_settings

LIMIT = 2
TTL = 2  # PUBLIC_CACHE_SECONDS where the public cache is on
LISTINGS = "/api/v1/listings"


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
    settings = make_settings(database_url, max_in_flight_requests=LIMIT)
    async with _gated_app(settings, database, rate_limiter) as client_and_gate:
        yield client_and_gate


@pytest.fixture
async def gated_with_cache(
    database_url: str, database: Database, rate_limiter: RateLimiter
) -> AsyncIterator[tuple[httpx.AsyncClient, Gate]]:
    """As `gated`, with the public cache on."""
    settings = make_settings(database_url, max_in_flight_requests=LIMIT, public_cache_seconds=TTL)
    async with _gated_app(settings, database, rate_limiter) as client_and_gate:
        yield client_and_gate


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The public cache's clock, standing still until a test moves it."""
    now = [public_cache.now_seconds()]
    monkeypatch.setattr(public_cache, "now_seconds", lambda: now[0])
    return now


@asynccontextmanager
async def _gated_app(
    settings: Settings, database: Database, rate_limiter: RateLimiter
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


def _answered(route: str, status: int) -> float:
    labels = {"method": "GET", "route": route, "status": str(status)}
    return REGISTRY.get_sample_value("http_requests_total", labels) or 0.0


async def test_a_shed_request_is_counted_under_the_route_it_asked_for(
    gated: tuple[httpx.AsyncClient, Gate],
) -> None:
    client, gate = gated
    asked = {LISTINGS: LISTINGS, f"{LISTINGS}/{uuid.uuid4()}": f"{LISTINGS}/{{listing_id}}"}
    before = {route: _answered(route, 503) for route in [*asked.values(), "unmatched"]}
    held = await _fill(client, gate)
    try:
        for path in asked:
            assert (await client.get(path)).status_code == 503
    finally:
        gate.opened.set()
        await asyncio.gather(*held)

    for route in asked.values():  # HighErrorRatio charges them to msme, not to "unmatched"
        assert _answered(route, 503) == before[route] + 1
    assert _answered("unmatched", 503) == before["unmatched"]


async def test_a_page_past_half_life_is_served_from_its_copy_when_its_refresh_is_shed(
    gated_with_cache: tuple[httpx.AsyncClient, Gate],
    clock: list[float],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, gate = gated_with_cache
    monkeypatch.setattr(AdmissionLimitMiddleware, "CACHE_FILL_RESERVE", 0)  # no slot to spare
    first = await client.get(LISTINGS)
    clock[0] += TTL * 0.75  # one request now renews the page
    held = await _fill(client, gate)
    try:
        page = await client.get(LISTINGS)
        other = await client.get("/api/v1/auth/me")
    finally:
        gate.opened.set()
        await asyncio.gather(*held)

    assert page.status_code == 200, page.text
    assert page.headers["X-Cache"] == "hit"
    assert page.headers["Age"] == "1"
    assert page.json() == first.json()
    assert other.status_code == 503  # what the cache does not hold is still shed


async def test_an_expired_public_page_is_refilled_while_the_process_is_full(
    gated_with_cache: tuple[httpx.AsyncClient, Gate], clock: list[float]
) -> None:
    client, gate = gated_with_cache
    await client.get(LISTINGS)  # the process learns that search answers publicly
    clock[0] += TTL + 0.1
    held = await _fill(client, gate)
    try:
        refilled = await client.get(LISTINGS)
        served = await client.get(LISTINGS)
        other = await client.get("/api/v1/auth/me")
    finally:
        gate.opened.set()
        await asyncio.gather(*held)

    assert refilled.status_code == 200, refilled.text  # took a slot reserved for cache fills
    assert "X-Cache" not in refilled.headers
    assert served.headers["X-Cache"] == "hit"
    assert other.status_code == 503  # the reserve is not for other requests


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
