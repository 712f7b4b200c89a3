"""PostgreSQL goes away mid-run, refusing or hanging: 503 in the envelope within 2 s, and service
resumes within 5 s of its return, without restarting the app.

The database is a throwaway cluster this run started (never the machine's shared server); the app
runs with its production settings for timeouts (shared/config.py DatabaseSettings defaults).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from asgi_lifespan import LifespanManager

from msmebazaar.app import create_app
from msmebazaar.shared.cache import MemoryCache
from msmebazaar.shared.config import DatabaseSettings, RedisSettings, Settings
from msmebazaar.shared.db import Database
from msmebazaar.shared.ratelimit import create_rate_limiter
from tests.auth.factories import new_phone
from tests.conftest import make_settings
from tests.proof.servers import ThrowawayPostgres

FAIL_WITHIN = 2.0
RECOVER_WITHIN = 5.0
PROBES = (
    ("GET", "/health/ready", None),
    ("GET", "/api/v1/listings", None),
    ("GET", "/api/v1/msmes", None),
    ("POST", "/api/v1/auth/otp/request", None),
)


@pytest.fixture
async def client(throwaway_postgres: ThrowawayPostgres) -> AsyncIterator[httpx.AsyncClient]:
    """The whole app on the throwaway cluster, with the default database timeouts."""
    settings: Settings = make_settings(throwaway_postgres.url)
    settings.database = DatabaseSettings(url=throwaway_postgres.url)
    database = Database.from_settings(settings.database)
    limiter = create_rate_limiter(RedisSettings(url=None))
    app = create_app(settings, database=database, cache=MemoryCache(), rate_limiter=limiter)
    try:
        async with LifespanManager(app):
            transport = httpx.ASGITransport(app=app, client=("198.51.100.9", 50000))
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                yield http
    finally:
        await database.dispose()


async def _timed(
    client: httpx.AsyncClient, method: str, path: str, body: object
) -> tuple[httpx.Response, float]:
    if path.endswith("/otp/request"):
        body = {"phone": new_phone()}  # a fresh phone: no resend cooldown in the way
    started = time.monotonic()
    response = await client.request(method, path, json=body)
    return response, time.monotonic() - started


async def _all_answer_200(client: httpx.AsyncClient) -> None:
    for method, path, body in PROBES:
        response, _ = await _timed(client, method, path, body)
        assert response.status_code == 200, (path, response.text)
        await asyncio.sleep(0)


async def _all_answer_503_fast(client: httpx.AsyncClient) -> None:
    for method, path, body in PROBES:
        response, elapsed = await _timed(client, method, path, body)
        assert response.status_code == 503, (path, response.text)
        assert elapsed < FAIL_WITHIN, (path, elapsed)
        payload = response.json()
        assert payload["success"] is False
        assert payload["error"]["code"] == "SERVICE_UNAVAILABLE"
        assert payload["request_id"] == response.headers["X-Request-ID"]


async def _recovers(client: httpx.AsyncClient, mend: Callable[[], None]) -> float:
    mended = time.monotonic()
    mend()
    while time.monotonic() - mended < RECOVER_WITHIN:
        response = await client.get("/health/ready")
        if response.status_code == 200:
            break
        await asyncio.sleep(0.1)
    recovered = time.monotonic() - mended
    assert recovered < RECOVER_WITHIN
    response = await client.post("/api/v1/auth/otp/request", json={"phone": new_phone()})
    assert response.status_code == 200, response.text
    assert (await client.get("/api/v1/listings")).status_code == 200
    return recovered


async def test_a_refusing_database_answers_503_fast_and_service_resumes_on_its_return(
    client: httpx.AsyncClient, throwaway_postgres: ThrowawayPostgres
) -> None:
    await _all_answer_200(client)

    throwaway_postgres.stop_immediately()
    try:
        await _all_answer_503_fast(client)
    finally:
        await _recovers(client, throwaway_postgres.start)


async def test_a_hung_database_answers_503_fast_and_service_resumes_when_it_wakes(
    client: httpx.AsyncClient, throwaway_postgres: ThrowawayPostgres
) -> None:
    await _all_answer_200(client)

    throwaway_postgres.freeze()
    try:
        await _all_answer_503_fast(client)
    finally:
        await _recovers(client, throwaway_postgres.thaw)
