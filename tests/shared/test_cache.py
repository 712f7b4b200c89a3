"""Tests for msmebazaar.shared.cache: the in-process cache, Redis, and Redis being down."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest
from redis import asyncio as aioredis
from redis.exceptions import RedisError

from msmebazaar.shared import cache as cache_module
from msmebazaar.shared.cache import MemoryCache, RedisCache, create_cache
from msmebazaar.shared.config import RedisSettings

UNREACHABLE_REDIS_URL = "redis://127.0.0.1:1/0"


class FakeClock:
    """Stands in for the `time` module inside the cache, so expiry needs no sleeping."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def monotonic(self) -> float:
        return self.now

    def perf_counter(self) -> float:
        return time.perf_counter()

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    # Only the cache module's view of `time`: the event loop keeps the real clock.
    monkeypatch.setattr(cache_module, "time", fake)
    return fake


@pytest.fixture
async def redis_cache(redis_url: str) -> AsyncIterator[RedisCache]:
    cache = RedisCache.from_url(redis_url, timeout_seconds=1.0)
    yield cache
    await cache.close()


@pytest.fixture
async def raw_redis(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    client = aioredis.Redis.from_url(redis_url, decode_responses=True)
    yield client
    await client.aclose()


@pytest.fixture
async def down_cache() -> AsyncIterator[RedisCache]:
    cache = RedisCache.from_url(UNREACHABLE_REDIS_URL, timeout_seconds=0.5)
    yield cache
    await cache.close()


# --- MemoryCache ------------------------------------------------------------------------------


async def test_memory_cache_returns_what_was_set() -> None:
    cache = MemoryCache()

    await cache.set("k", "v", ttl_seconds=60)

    assert await cache.get("k") == "v"
    assert cache.backend == "memory"


async def test_memory_cache_misses_unknown_keys() -> None:
    assert await MemoryCache().get("absent") is None


async def test_memory_cache_overwrites_a_key() -> None:
    cache = MemoryCache()
    await cache.set("k", "old", ttl_seconds=60)

    await cache.set("k", "new", ttl_seconds=60)

    assert await cache.get("k") == "new"


async def test_memory_cache_expires_after_ttl(clock: FakeClock) -> None:
    cache = MemoryCache()
    await cache.set("k", "v", ttl_seconds=0.5)

    clock.advance(0.49)
    assert await cache.get("k") == "v"

    clock.advance(0.01)
    assert await cache.get("k") is None


async def test_memory_cache_drops_expired_entries_on_read(clock: FakeClock) -> None:
    cache = MemoryCache()
    await cache.set("k", "v", ttl_seconds=1)
    clock.advance(2)

    await cache.get("k")

    assert "k" not in cache._entries


async def test_memory_cache_setting_again_renews_the_ttl(clock: FakeClock) -> None:
    cache = MemoryCache()
    await cache.set("k", "v", ttl_seconds=1)
    clock.advance(0.9)

    await cache.set("k", "v", ttl_seconds=1)
    clock.advance(0.9)

    assert await cache.get("k") == "v"


async def test_memory_cache_delete_forgets_the_key() -> None:
    cache = MemoryCache()
    await cache.set("k", "v", ttl_seconds=60)

    await cache.delete("k")
    await cache.delete("never-set")

    assert await cache.get("k") is None


async def test_memory_cache_evicts_the_oldest_entry_when_full() -> None:
    cache = MemoryCache(max_entries=2)
    await cache.set("a", "1", ttl_seconds=60)
    await cache.set("b", "2", ttl_seconds=60)

    await cache.set("c", "3", ttl_seconds=60)

    assert await cache.get("a") is None
    assert await cache.get("b") == "2"
    assert await cache.get("c") == "3"


async def test_memory_cache_evicts_expired_entries_before_live_ones(clock: FakeClock) -> None:
    cache = MemoryCache(max_entries=2)
    await cache.set("live", "1", ttl_seconds=60)
    await cache.set("short", "2", ttl_seconds=1)
    clock.advance(2)

    await cache.set("new", "3", ttl_seconds=60)

    assert await cache.get("live") == "1"
    assert await cache.get("new") == "3"
    assert "short" not in cache._entries


async def test_memory_cache_never_grows_beyond_max_entries() -> None:
    cache = MemoryCache(max_entries=3)

    for number in range(10):
        await cache.set(f"k{number}", str(number), ttl_seconds=60)

    assert len(cache._entries) == 3
    assert [await cache.get(f"k{number}") for number in (7, 8, 9)] == ["7", "8", "9"]


async def test_memory_cache_updating_a_key_when_full_evicts_nothing() -> None:
    cache = MemoryCache(max_entries=2)
    await cache.set("a", "1", ttl_seconds=60)
    await cache.set("b", "2", ttl_seconds=60)

    await cache.set("b", "3", ttl_seconds=60)

    assert await cache.get("a") == "1"
    assert await cache.get("b") == "3"


async def test_memory_cache_ping_and_close() -> None:
    cache = MemoryCache()
    await cache.set("k", "v", ttl_seconds=60)

    assert await cache.ping() == 0.0
    await cache.close()

    assert await cache.get("k") is None


# --- RedisCache on a real server --------------------------------------------------------------


async def test_redis_cache_returns_what_was_set(redis_cache: RedisCache) -> None:
    await redis_cache.set("k", "v", ttl_seconds=60)

    assert await redis_cache.get("k") == "v"
    assert await redis_cache.get("absent") is None
    assert redis_cache.backend == "redis"


async def test_redis_cache_stores_under_its_prefix_with_the_ttl(
    redis_cache: RedisCache, raw_redis: aioredis.Redis
) -> None:
    await redis_cache.set("k", "v", ttl_seconds=30)

    assert await raw_redis.get("mb:cache:k") == "v"
    assert await raw_redis.get("k") is None
    ttl_ms = await raw_redis.pttl("mb:cache:k")
    assert 29_000 < ttl_ms <= 30_000


async def test_redis_cache_sub_millisecond_ttl_still_expires(
    redis_cache: RedisCache, raw_redis: aioredis.Redis
) -> None:
    await redis_cache.set("k", "v", ttl_seconds=0.0001)

    # A TTL is always set (at least 1 ms): the key never lingers forever.
    assert await raw_redis.pttl("mb:cache:k") in (-2, 0, 1)


async def test_redis_cache_delete_forgets_the_key(redis_cache: RedisCache) -> None:
    await redis_cache.set("k", "v", ttl_seconds=60)

    await redis_cache.delete("k")

    assert await redis_cache.get("k") is None


async def test_redis_cache_is_shared_between_clients(redis_url: str) -> None:
    writer = RedisCache.from_url(redis_url, timeout_seconds=1.0)
    reader = RedisCache.from_url(redis_url, timeout_seconds=1.0)
    try:
        await writer.set("shared", "yes", ttl_seconds=60)
        assert await reader.get("shared") == "yes"
    finally:
        await writer.close()
        await reader.close()


async def test_redis_cache_ping_reports_a_round_trip(redis_cache: RedisCache) -> None:
    elapsed_ms = await redis_cache.ping()

    assert 0 <= elapsed_ms < 1000


# --- RedisCache when Redis is down ------------------------------------------------------------


async def test_unreachable_redis_cache_reads_miss(down_cache: RedisCache) -> None:
    assert await down_cache.get("k") is None


async def test_unreachable_redis_cache_swallows_writes(down_cache: RedisCache) -> None:
    await down_cache.set("k", "v", ttl_seconds=60)
    await down_cache.delete("k")


async def test_unreachable_redis_cache_ping_raises(down_cache: RedisCache) -> None:
    with pytest.raises((RedisError, OSError)):
        await down_cache.ping()


# --- create_cache -----------------------------------------------------------------------------


async def test_create_cache_without_redis_url_is_in_process() -> None:
    cache = create_cache(RedisSettings(url=None))

    assert isinstance(cache, MemoryCache)


async def test_create_cache_with_redis_url_uses_redis(redis_url: str) -> None:
    cache = create_cache(RedisSettings(url=redis_url))
    try:
        assert isinstance(cache, RedisCache)
        await cache.set("k", "v", ttl_seconds=60)
        assert await cache.get("k") == "v"
    finally:
        await cache.close()


async def test_create_cache_with_empty_redis_url_is_in_process() -> None:
    assert isinstance(create_cache(RedisSettings(url="")), MemoryCache)
