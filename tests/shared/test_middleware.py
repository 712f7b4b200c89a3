"""Security headers, host check, body size limit, the global per-IP rate limit and client IPs."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager
from pydantic import SecretStr

from msmebazaar.app import create_app
from msmebazaar.shared.cache import MemoryCache
from msmebazaar.shared.config import (
    AppSettings,
    AuthSettings,
    DatabaseSettings,
    Environment,
    Settings,
    SmsSettings,
)
from msmebazaar.shared.db import Database
from msmebazaar.shared.ratelimit import RateLimiter
from msmebazaar.shared.runtime import runtime_of
from msmebazaar.shared.security import client_ip
from tests.conftest import clear_of_a_minute_boundary, make_settings
from tests.shared.routes import router as kernel_router


async def _client_for(
    settings: Settings, database: Database, rate_limiter: RateLimiter, peer: str = "203.0.113.7"
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, database=database, cache=MemoryCache(), rate_limiter=rate_limiter)
    app.include_router(kernel_router)
    async with LifespanManager(app):
        # Outside the testing environment match loads its index in the background and readiness
        # waits for it (shared/health.hold_readiness): start these tests from a warm app.
        for warmed in runtime_of(app).warming.values():
            await asyncio.wait_for(warmed.wait(), timeout=30)
        transport = httpx.ASGITransport(app=app, client=(peer, 1234))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


@pytest.fixture
async def limited_client(
    database_url: str, database: Database, rate_limiter: RateLimiter
) -> AsyncIterator[httpx.AsyncClient]:
    await clear_of_a_minute_boundary()
    settings = make_settings(database_url, rate_limit_per_minute=3)
    async for http in _client_for(settings, database, rate_limiter):
        yield http


@pytest.fixture
async def production_client(
    database_url: str, database: Database, rate_limiter: RateLimiter
) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        app=AppSettings(
            environment=Environment.PRODUCTION,
            allowed_hosts=["api.msmebazaar.in"],
            cors_origins=["https://msmebazaar.in"],
            allow_sqlite_in_production=True,
        ),
        database=DatabaseSettings(url=database_url),
        auth=AuthSettings(
            jwt_secret=SecretStr("x" * 40),
            mfa_encryption_key=SecretStr("X_C0FPVv7vc9YTTYyKpYazCcUUEuZNZhJpauCcaOVWw="),
        ),
        sms=SmsSettings(provider="twilio"),
    )
    async for http in _client_for(settings, database, rate_limiter):
        yield http


async def test_every_response_carries_security_headers(client: httpx.AsyncClient) -> None:
    for response in (await client.get("/health/live"), await client.get("/missing")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "Strict-Transport-Security" not in response.headers


async def test_production_adds_hsts(production_client: httpx.AsyncClient) -> None:
    response = await production_client.get("/health/live", headers={"Host": "api.msmebazaar.in"})

    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


async def test_production_refuses_unknown_host_in_the_envelope(
    production_client: httpx.AsyncClient,
) -> None:
    response = await production_client.get("/openapi.json", headers={"Host": "evil.example"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_HOST"
    assert response.headers["X-Request-ID"]


async def test_production_lets_probes_and_scrapers_in_by_any_host(
    production_client: httpx.AsyncClient,
) -> None:
    # kubelet and Prometheus address a pod by its IP, not by a public host name.
    for path in ("/health/live", "/health/ready", "/metrics"):
        response = await production_client.get(path, headers={"Host": "10.1.2.3:8000"})

        assert response.status_code == 200, path


async def test_body_over_the_limit_by_content_length_is_413(
    database_url: str, database: Database, rate_limiter: RateLimiter
) -> None:
    settings = make_settings(database_url, max_body_bytes=2048)
    async for http in _client_for(settings, database, rate_limiter):
        response = await http.post("/health/live", content=b"x" * 5000)

        assert response.status_code == 413
        assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_streamed_body_over_the_limit_is_413(
    database_url: str, database: Database, rate_limiter: RateLimiter
) -> None:
    settings = make_settings(database_url, max_body_bytes=2048)

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b"y" * 1000

    async for http in _client_for(settings, database, rate_limiter):
        response = await http.post(
            "/test/profiles", content=chunks(), headers={"Content-Type": "application/json"}
        )

        assert response.status_code == 413
        assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_global_rate_limit_answers_429_with_retry_after(
    limited_client: httpx.AsyncClient,
) -> None:
    statuses = [(await limited_client.get("/nope")).status_code for _ in range(3)]
    refused = await limited_client.get("/nope")

    assert statuses == [404, 404, 404]
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "RATE_LIMITED"
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.json()["error"]["details"]["retry_after"] == int(refused.headers["Retry-After"])


async def test_health_and_metrics_are_never_rate_limited(
    limited_client: httpx.AsyncClient,
) -> None:
    for _ in range(5):
        await limited_client.get("/nope")

    assert (await limited_client.get("/health/live")).status_code == 200
    assert (await limited_client.get("/metrics")).status_code == 200


async def test_rate_limit_counts_each_client_ip_apart(
    database_url: str, database: Database, rate_limiter: RateLimiter
) -> None:
    settings = make_settings(database_url, rate_limit_per_minute=1)
    await clear_of_a_minute_boundary()
    async for first in _client_for(settings, database, rate_limiter, peer="198.51.100.1"):
        await first.get("/nope")
        assert (await first.get("/nope")).status_code == 429
    async for second in _client_for(settings, database, rate_limiter, peer="198.51.100.2"):
        assert (await second.get("/nope")).status_code == 404


async def test_cors_preflight_allows_configured_origin_only(client: httpx.AsyncClient) -> None:
    headers = {"Access-Control-Request-Method": "POST"}
    allowed = await client.options(
        "/health/live", headers={**headers, "Origin": "http://localhost:8000"}
    )
    refused = await client.options(
        "/health/live", headers={**headers, "Origin": "https://evil.example"}
    )

    assert allowed.headers["Access-Control-Allow-Origin"] == "http://localhost:8000"
    assert "Access-Control-Allow-Origin" not in refused.headers


def _scope(peer: str, forwarded: str | None = None) -> dict[str, object]:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return {"type": "http", "client": (peer, 1), "headers": headers}


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.9", "1.2.3.4", [], "203.0.113.9"),
        ("203.0.113.9", "1.2.3.4", ["10.0.0.0/8"], "203.0.113.9"),
        ("10.0.0.5", "1.2.3.4", ["10.0.0.0/8"], "1.2.3.4"),
        ("10.0.0.5", "6.6.6.6, 1.2.3.4, 10.0.0.9", ["10.0.0.0/8"], "1.2.3.4"),
        ("10.0.0.5", "not-an-ip", ["10.0.0.0/8"], "10.0.0.5"),
        ("10.0.0.5", None, ["10.0.0.5"], "10.0.0.5"),
        ("::1", "2001:db8::7", ["::1"], "2001:db8::7"),
    ],
)
def test_client_ip_trusts_forwarded_for_only_from_trusted_proxies(
    peer: str, forwarded: str | None, trusted: list[str], expected: str
) -> None:
    assert client_ip(_scope(peer, forwarded), trusted) == expected
