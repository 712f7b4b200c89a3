"""Redis stops or hangs: the app keeps serving, degraded exactly as configured.

- cache (sessions, idempotency records): fails open, reads miss and writes are dropped;
- the global per-IP limit (`RATE_LIMIT_PER_MINUTE`): fails open, so an outage is not a lockout;
- the OTP throttles (per phone, per IP): fail closed, 503, no code sent (auth/otp.py FAIL_OPEN);
- readiness: 200 `degraded`, the redis check `down`.
When Redis returns, every one of them works again within 5 s, without restarting the app.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.app import create_app
from msmebazaar.auth.models import OtpChallenge
from msmebazaar.shared.cache import RedisCache
from msmebazaar.shared.config import RedisSettings, Settings
from msmebazaar.shared.db import Database
from msmebazaar.shared.outbox import OutboxMessage
from msmebazaar.shared.ratelimit import create_rate_limiter
from tests.auth.factories import ME, OTP_REQUEST, bearer, new_phone, sign_in
from tests.proof.servers import ThrowawayRedis

LISTINGS = "/api/v1/listings"


@pytest.fixture
async def client(
    settings: Settings, database: Database, throwaway_redis: ThrowawayRedis
) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its cache and rate limits on the throwaway Redis, the global limit on."""
    redis = RedisSettings(url=throwaway_redis.url, socket_timeout_seconds=0.5)
    settings = settings.model_copy(deep=True)
    settings.redis = redis
    settings.app = settings.app.model_copy(update={"rate_limit_per_minute": 1000})
    cache = RedisCache.from_url(throwaway_redis.url, redis.socket_timeout_seconds)
    limiter = create_rate_limiter(redis)
    app = create_app(settings, database=database, cache=cache, rate_limiter=limiter)
    try:
        async with LifespanManager(app):
            transport = httpx.ASGITransport(app=app, client=("198.51.100.20", 50000))
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                yield http
    finally:
        await cache.close()


async def _codes_for(connection: AsyncConnection, phone: str) -> tuple[int, int]:
    challenges = await connection.scalar(
        select(func.count()).select_from(OtpChallenge).where(OtpChallenge.phone == phone)
    )
    messages = await connection.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.recipient == phone)
    )
    return int(challenges or 0), int(messages or 0)


async def _serves_degraded(
    client: httpx.AsyncClient, db_connection: AsyncConnection, token: dict[str, str]
) -> None:
    started = time.monotonic()
    ready = await client.get("/health/ready")
    assert time.monotonic() - started < 2.0
    assert ready.status_code == 200
    checks = {check["name"]: check for check in ready.json()["data"]["checks"]}
    assert ready.json()["data"]["status"] == "degraded"
    assert checks["redis"]["status"] == "down"
    assert checks["database"]["status"] == "ok"

    assert (await client.get(LISTINGS)).status_code == 200  # global limit and cache fail open
    me = await client.get(ME, headers=token)  # the session cache misses: the database answers
    assert me.status_code == 200

    phone = new_phone()
    refused = await client.post(OTP_REQUEST, json={"phone": phone})
    assert refused.status_code == 503
    assert refused.json()["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert await _codes_for(db_connection, phone) == (0, 0)  # no code stored, no SMS queued


async def _recovers_within_5_seconds(client: httpx.AsyncClient) -> None:
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline:
        ready = await client.get("/health/ready")
        if ready.json()["data"]["status"] == "ok":
            break
        await asyncio.sleep(0.1)
    assert ready.json()["data"]["status"] == "ok"
    response = await client.post(OTP_REQUEST, json={"phone": new_phone()})
    assert response.status_code == 200, response.text


async def test_redis_down_keeps_the_app_serving_and_otp_limits_fail_closed(
    client: httpx.AsyncClient, db_connection: AsyncConnection, throwaway_redis: ThrowawayRedis
) -> None:
    token = bearer(await sign_in(client, role="buyer", name="Redis Outage"))
    assert (await client.get("/health/ready")).json()["data"]["status"] == "ok"

    throwaway_redis.stop()
    try:
        await _serves_degraded(client, db_connection, token)
    finally:
        throwaway_redis.start()
    await _recovers_within_5_seconds(client)


async def test_a_hung_redis_keeps_the_app_serving_and_otp_limits_fail_closed(
    client: httpx.AsyncClient, db_connection: AsyncConnection, throwaway_redis: ThrowawayRedis
) -> None:
    token = bearer(await sign_in(client, role="buyer", name="Redis Hang"))

    os.kill(throwaway_redis.pid, signal.SIGSTOP)
    try:
        await _serves_degraded(client, db_connection, token)
    finally:
        os.kill(throwaway_redis.pid, signal.SIGCONT)
    await _recovers_within_5_seconds(client)
