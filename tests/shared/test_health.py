"""Liveness, readiness (503 when the database is down, degraded when only Redis is), the detailed
report, and Prometheus metrics labelled by route template."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
from asgi_lifespan import LifespanManager

from msmebazaar import __version__
from msmebazaar.app import create_app
from msmebazaar.shared.cache import Cache, MemoryCache, RedisCache
from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.db import Database
from msmebazaar.shared.health import hold_readiness
from msmebazaar.shared.ratelimit import RateLimiter
from tests.conftest import make_settings
from tests.shared.routes import router as kernel_router

UNREACHABLE_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:1/none"
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


async def _client(
    database_url: str, database: Database, cache: Cache, rate_limiter: RateLimiter
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        make_settings(database_url), database=database, cache=cache, rate_limiter=rate_limiter
    )
    app.include_router(kernel_router)
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


async def test_live_answers_without_io(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live")

    assert response.status_code == 200
    assert response.json() == {"success": True, "message": "OK", "data": {"status": "ok"}}


async def test_ready_reports_each_dependency_with_latency(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/ready")

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["status"] == "ok"
    database = next(check for check in data["checks"] if check["name"] == "database")
    assert database["status"] == "ok"
    assert database["latency_ms"] >= 0


async def test_ready_is_503_in_the_envelope_when_the_database_is_unreachable(
    database_url: str, rate_limiter: RateLimiter
) -> None:
    down = Database.from_settings(DatabaseSettings(url=UNREACHABLE_POSTGRES))
    async for http in _client(database_url, down, MemoryCache(), rate_limiter):
        response = await http.get("/health/ready")

        assert response.status_code == 503
        body = response.json()
        assert body["error"]["code"] == "SERVICE_UNAVAILABLE"
        assert body["error"]["details"][0]["name"] == "database"
        assert body["error"]["details"][0]["status"] == "down"
    await down.dispose()


async def test_ready_is_503_while_part_of_the_process_warms_up(
    database_url: str, database: Database, cache: Cache, rate_limiter: RateLimiter
) -> None:
    app = create_app(
        make_settings(database_url), database=database, cache=cache, rate_limiter=rate_limiter
    )
    warmed = asyncio.Event()
    hold_readiness(app, "match index", warmed)
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            cold = await http.get("/health/ready")
            warmed.set()
            warm = await http.get("/health/ready")

    assert cold.status_code == 503
    assert cold.json()["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert cold.json()["error"]["details"] == {"warming": ["match index"]}
    assert warm.status_code == 200


async def test_ready_is_degraded_but_200_when_only_redis_is_down(
    database_url: str, database: Database, rate_limiter: RateLimiter
) -> None:
    redis_down = RedisCache.from_url(UNREACHABLE_REDIS, timeout_seconds=0.5)
    async for http in _client(database_url, database, redis_down, rate_limiter):
        response = await http.get("/health/ready")

        assert response.status_code == 200
        data = response.json()["data"]
        assert data["status"] == "degraded"
        redis = next(check for check in data["checks"] if check["name"] == "redis")
        assert redis["status"] == "down"
    await redis_down.close()


async def test_health_reports_version_uptime_environment_and_dependencies(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/health")

    data = response.json()["data"]
    assert data["version"] == __version__
    assert data["environment"] == "testing"
    assert data["uptime_seconds"] >= 0
    assert {check["name"] for check in data["checks"]} == {"database", "redis"}


async def test_metrics_label_requests_by_route_template_not_raw_path(
    database_url: str, database: Database, rate_limiter: RateLimiter
) -> None:
    async for http in _client(database_url, database, MemoryCache(), rate_limiter):
        await http.get("/test/things/12345")
        await http.get("/no/such/path/98765")
        await http.get("/openapi.json")

        text = (await http.get("/metrics")).text

        assert 'http_requests_total{method="GET",route="/test/things/{thing_id}",status="200"}' in (
            text
        )
        assert 'route="unmatched",status="404"' in text
        assert 'route="/openapi.json",status="200"' in text
        # Raw paths never become labels (timestamps may contain any digits, so match paths).
        assert "/things/12345" not in text
        assert "/no/such/path" not in text
        assert "http_request_duration_seconds_bucket" in text
        assert "http_requests_in_flight" in text
