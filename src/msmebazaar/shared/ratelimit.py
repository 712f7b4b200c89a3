"""Rate limits with the `limits` library: in-process by default, Redis when `REDIS_URL` is set.

A sliding-window counter: close to a true moving window at the cost of two counters per key.
Limits are written the `limits` way, e.g. "100/hour" or "5 per hour".
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import structlog
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from redis.exceptions import RedisError

from msmebazaar.shared.config import RedisSettings
from msmebazaar.shared.exceptions import ExternalServiceError, RateLimitedError

logger = structlog.get_logger("msmebazaar.ratelimit")


@dataclass(frozen=True)
class RateLimitResult:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int  # seconds until a refused caller may try again (0 when allowed)


class RateLimiter:
    """Counts hits per key against a limit; `fail_open` decides what a Redis outage means."""

    def __init__(self, storage: Storage, *, namespace: str = "mb") -> None:
        self.storage = storage
        self.backend = "redis" if isinstance(storage, RedisStorage) else "memory"
        self._strategy = SlidingWindowCounterRateLimiter(storage)
        self._namespace = namespace

    async def hit(
        self, limit: str | RateLimitItem, *key: str, fail_open: bool = True
    ) -> RateLimitResult:
        """Count one hit against `limit` for `key`; say whether it is within the limit."""
        item = parse(limit) if isinstance(limit, str) else limit
        try:
            allowed = await self._strategy.hit(item, self._namespace, *key)
            stats = await self._strategy.get_window_stats(item, self._namespace, *key)
        except (RedisError, OSError) as exc:
            return self._on_outage(item, exc, fail_open=fail_open)
        retry_after = 0 if allowed else max(1, math.ceil(stats.reset_time - time.time()))
        return RateLimitResult(allowed, item.amount, stats.remaining, retry_after)

    async def enforce(
        self, limit: str | RateLimitItem, *key: str, message: str, fail_open: bool = True
    ) -> None:
        """Count a hit, raising `RateLimitedError` (429 with Retry-After) beyond the limit."""
        result = await self.hit(limit, *key, fail_open=fail_open)
        if not result.allowed:
            raise RateLimitedError(message, retry_after=result.retry_after)

    async def reset(self) -> None:
        """Forget every counter (tests and admin tooling)."""
        await self.storage.reset()

    def _on_outage(
        self, item: RateLimitItem, exc: BaseException, *, fail_open: bool
    ) -> RateLimitResult:
        logger.warning("ratelimit_unavailable", error=type(exc).__name__, fail_open=fail_open)
        if not fail_open:
            raise ExternalServiceError("Rate limiting is unavailable; try again shortly.") from exc
        return RateLimitResult(True, item.amount, item.amount, 0)


def create_rate_limiter(settings: RedisSettings) -> RateLimiter:
    """Redis-backed limiter when `REDIS_URL` is set, otherwise in-process."""
    if settings.url:
        uri = "async+" + settings.url if not settings.url.startswith("async+") else settings.url
        storage: Storage = RedisStorage(
            uri,
            implementation="redispy",
            socket_timeout=settings.socket_timeout_seconds,
            socket_connect_timeout=settings.socket_timeout_seconds,
        )
        return RateLimiter(storage)
    return RateLimiter(MemoryStorage())
