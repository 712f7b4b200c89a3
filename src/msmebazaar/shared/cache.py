"""A small key-value cache: in-process by default, Redis when `REDIS_URL` is set.

The cache is an optimisation, never the source of truth: when Redis is unreachable, reads miss and
writes are dropped (logged), so the app keeps serving and readiness reports `degraded`.
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol

import structlog
from redis import asyncio as aioredis
from redis.exceptions import RedisError

from msmebazaar.shared.config import RedisSettings

logger = structlog.get_logger("msmebazaar.cache")


class Cache(Protocol):
    backend: str

    async def get(self, key: str) -> str | None:
        """The value, or `None` when absent, expired or unreachable."""

    async def set(self, key: str, value: str, ttl_seconds: float) -> None:
        """Store a value for `ttl_seconds`."""

    async def add(self, key: str, value: str, ttl_seconds: float) -> bool:
        """Store a value only if the key is absent; say whether it was stored."""

    async def delete(self, key: str) -> None:
        """Forget a key."""

    async def ping(self) -> float:
        """Round trip in milliseconds; raises when the backend is down."""

    async def close(self) -> None:
        """Release connections."""


class MemoryCache:
    """Process-local cache with expiry; the embedded default (one process, nothing to install)."""

    backend = "memory"

    def __init__(self, max_entries: int = 100_000) -> None:
        self._entries: dict[str, tuple[float, str]] = {}
        self._max_entries = max_entries
        self._lock = asyncio.Lock()

    async def get(self, key: str) -> str | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires_at, value = entry
        if expires_at <= time.monotonic():
            self._entries.pop(key, None)
            return None
        return value

    async def set(self, key: str, value: str, ttl_seconds: float) -> None:
        async with self._lock:
            if key not in self._entries and len(self._entries) >= self._max_entries:
                self._evict_expired_or_oldest()
            self._entries[key] = (time.monotonic() + ttl_seconds, value)

    async def add(self, key: str, value: str, ttl_seconds: float) -> bool:
        async with self._lock:
            if await self.get(key) is not None:
                return False
            self._entries[key] = (time.monotonic() + ttl_seconds, value)
            return True

    async def delete(self, key: str) -> None:
        self._entries.pop(key, None)

    async def ping(self) -> float:
        return 0.0

    async def close(self) -> None:
        self._entries.clear()

    def _evict_expired_or_oldest(self) -> None:
        now = time.monotonic()
        expired = [key for key, (expires_at, _) in self._entries.items() if expires_at <= now]
        for key in expired:
            del self._entries[key]
        if len(self._entries) >= self._max_entries:  # still full: drop the oldest insertion
            del self._entries[next(iter(self._entries))]


class RedisCache:
    """Redis-backed cache shared by every app process."""

    backend = "redis"

    def __init__(self, client: aioredis.Redis, prefix: str = "mb:cache:") -> None:
        self._client = client
        self._prefix = prefix

    @classmethod
    def from_url(cls, url: str, timeout_seconds: float) -> RedisCache:
        """A cache on a Redis URL, with short timeouts so a hung Redis cannot stall requests."""
        client = aioredis.Redis.from_url(
            url,
            socket_timeout=timeout_seconds,
            socket_connect_timeout=timeout_seconds,
            decode_responses=True,
            health_check_interval=30,
        )
        return cls(client)

    async def get(self, key: str) -> str | None:
        try:
            value = await self._client.get(self._prefix + key)
        except (RedisError, OSError) as exc:
            logger.warning("cache_unavailable", operation="get", error=type(exc).__name__)
            return None
        return None if value is None else str(value)

    async def set(self, key: str, value: str, ttl_seconds: float) -> None:
        try:
            await self._client.set(self._prefix + key, value, px=max(1, int(ttl_seconds * 1000)))
        except (RedisError, OSError) as exc:
            logger.warning("cache_unavailable", operation="set", error=type(exc).__name__)

    async def add(self, key: str, value: str, ttl_seconds: float) -> bool:
        # Unreachable Redis answers "stored": callers then proceed as if nothing competed.
        try:
            stored = await self._client.set(
                self._prefix + key, value, px=max(1, int(ttl_seconds * 1000)), nx=True
            )
        except (RedisError, OSError) as exc:
            logger.warning("cache_unavailable", operation="add", error=type(exc).__name__)
            return True
        return bool(stored)

    async def delete(self, key: str) -> None:
        try:
            await self._client.delete(self._prefix + key)
        except (RedisError, OSError) as exc:
            logger.warning("cache_unavailable", operation="delete", error=type(exc).__name__)

    async def ping(self) -> float:
        started = time.perf_counter()
        await self._client.ping()
        return (time.perf_counter() - started) * 1000

    async def close(self) -> None:
        await self._client.aclose()


def create_cache(settings: RedisSettings) -> Cache:
    """Redis when `REDIS_URL` is set, otherwise the in-process cache."""
    if settings.url:
        return RedisCache.from_url(settings.url, settings.socket_timeout_seconds)
    return MemoryCache()
