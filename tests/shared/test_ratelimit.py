"""Tests for msmebazaar.shared.ratelimit: limits in process and on Redis, and Redis outages."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from limits import parse
from limits.aio.storage import MemoryStorage

from msmebazaar.shared.config import RedisSettings
from msmebazaar.shared.exceptions import ExternalServiceError, RateLimitedError
from msmebazaar.shared.ratelimit import RateLimiter, create_rate_limiter

UNREACHABLE_REDIS_URL = "redis://127.0.0.1:1/0"


@pytest.fixture
async def memory_limiter() -> RateLimiter:
    return RateLimiter(MemoryStorage())


@pytest.fixture
async def redis_limiter(redis_url: str) -> AsyncIterator[RateLimiter]:
    limiter = create_rate_limiter(RedisSettings(url=redis_url, socket_timeout_seconds=1.0))
    await limiter.reset()
    yield limiter
    await limiter.reset()


@pytest.fixture
async def down_limiter() -> RateLimiter:
    return create_rate_limiter(RedisSettings(url=UNREACHABLE_REDIS_URL, socket_timeout_seconds=0.5))


@pytest.fixture(params=["memory_limiter", "redis_limiter"])
def limiter(request: pytest.FixtureRequest) -> RateLimiter:
    """The same behaviours on both backends (the Redis one skips where no Redis runs)."""
    chosen: RateLimiter = request.getfixturevalue(request.param)
    return chosen


# --- both backends ----------------------------------------------------------------------------


async def test_allows_the_limit_then_refuses_with_retry_after(limiter: RateLimiter) -> None:
    results = [await limiter.hit("3/hour", "otp", "phone-1") for _ in range(4)]

    assert [result.allowed for result in results] == [True, True, True, False]
    assert [result.remaining for result in results[:3]] == [2, 1, 0]
    assert all(result.limit == 3 for result in results)
    assert [result.retry_after for result in results[:3]] == [0, 0, 0]
    assert 1 <= results[3].retry_after <= 3600


async def test_keys_are_counted_separately(limiter: RateLimiter) -> None:
    await limiter.hit("1/hour", "otp", "phone-1")

    assert (await limiter.hit("1/hour", "otp", "phone-1")).allowed is False
    assert (await limiter.hit("1/hour", "otp", "phone-2")).allowed is True
    assert (await limiter.hit("1/hour", "login", "phone-1")).allowed is True


async def test_a_parsed_limit_is_accepted(limiter: RateLimiter) -> None:
    item = parse("2 per hour")

    first = await limiter.hit(item, "k")
    await limiter.hit(item, "k")
    third = await limiter.hit(item, "k")

    assert (first.allowed, third.allowed) == (True, False)
    assert third.retry_after >= 1


async def test_enforce_raises_rate_limited_with_retry_after_header(limiter: RateLimiter) -> None:
    await limiter.enforce("1/hour", "otp", "phone-1", message="Too many codes.")

    with pytest.raises(RateLimitedError) as caught:
        await limiter.enforce("1/hour", "otp", "phone-1", message="Too many codes.")

    error = caught.value
    assert error.status_code == 429
    assert error.code == "RATE_LIMITED"
    assert error.message == "Too many codes."
    assert error.retry_after >= 1
    assert error.headers["Retry-After"] == str(error.retry_after)
    assert error.details == {"retry_after": error.retry_after}


async def test_reset_forgets_every_counter(limiter: RateLimiter) -> None:
    await limiter.hit("1/hour", "a")
    await limiter.hit("1/hour", "b")

    await limiter.reset()

    assert (await limiter.hit("1/hour", "a")).allowed is True
    assert (await limiter.hit("1/hour", "b")).allowed is True


async def test_namespaces_keep_limiters_apart() -> None:
    storage = MemoryStorage()
    first, second = RateLimiter(storage, namespace="one"), RateLimiter(storage, namespace="two")

    await first.hit("1/hour", "k")

    assert (await first.hit("1/hour", "k")).allowed is False
    assert (await second.hit("1/hour", "k")).allowed is True


# --- backends ---------------------------------------------------------------------------------


async def test_without_redis_url_the_limiter_is_in_process() -> None:
    limiter = create_rate_limiter(RedisSettings(url=None))

    assert limiter.backend == "memory"
    assert isinstance(limiter.storage, MemoryStorage)


async def test_redis_limiter_counts_across_instances(redis_url: str) -> None:
    settings = RedisSettings(url=redis_url)
    first, second = create_rate_limiter(settings), create_rate_limiter(settings)
    await first.reset()

    await first.hit("1/hour", "shared")

    assert first.backend == "redis"
    assert (await second.hit("1/hour", "shared")).allowed is False
    await first.reset()


async def test_redis_url_already_prefixed_with_async_is_accepted(redis_url: str) -> None:
    limiter = create_rate_limiter(RedisSettings(url="async+" + redis_url))
    await limiter.reset()

    assert (await limiter.hit("1/hour", "k")).allowed is True
    assert (await limiter.hit("1/hour", "k")).allowed is False
    await limiter.reset()


# --- Redis outage -----------------------------------------------------------------------------


async def test_outage_fails_open_by_default(down_limiter: RateLimiter) -> None:
    result = await down_limiter.hit("1/hour", "k")

    assert result.allowed is True
    assert (result.limit, result.remaining, result.retry_after) == (1, 1, 0)
    assert (await down_limiter.hit("1/hour", "k")).allowed is True


async def test_outage_with_fail_open_false_raises_service_unavailable(
    down_limiter: RateLimiter,
) -> None:
    with pytest.raises(ExternalServiceError) as caught:
        await down_limiter.hit("1/hour", "k", fail_open=False)

    assert caught.value.status_code == 503


async def test_enforce_during_outage_follows_fail_open(down_limiter: RateLimiter) -> None:
    await down_limiter.enforce("1/hour", "k", message="slow down")
    await down_limiter.enforce("1/hour", "k", message="slow down")

    with pytest.raises(ExternalServiceError):
        await down_limiter.enforce("1/hour", "k", message="slow down", fail_open=False)
