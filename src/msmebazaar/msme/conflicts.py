"""Identifier conflicts: a user claims a GSTIN or Udyam number that another live profile holds.

Each conflict answers 409 (the real owner learns how to raise a dispute), is announced as
`IdentifierConflicted` (the admin service audits it beside the disputed profile) and counts
against the claimant's daily allowance. Once `CONFLICTS_PER_DAY` are spent, every claim of an
identifier is refused with 429 *before* it is looked up: refusing only the conflicting ones would
still tell, by the 429, which GSTINs are on the platform (issue 18, finding 6). Admins, who settle
disputes, are not counted.

The allowance is kept in the app's rate-limit storage (Redis, or in-process) with the `limits`
library, like every other limit; a Redis outage leaves claims unlimited (fail open) rather than
refusing every owner's edit.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Final, TypeVar

import structlog
from limits import parse
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.service import Principal, UserRole
from msmebazaar.msme.exceptions import IdentifierConflictLimitError, IdentifierTakenError
from msmebazaar.shared.ratelimit import RateLimiter

logger = structlog.get_logger("msmebazaar.msme.conflicts")

CONFLICTS_PER_DAY: Final = 5
_ALLOWANCE: Final = parse(f"{CONFLICTS_PER_DAY}/day")
_KEY: Final = ("mb", "identifier-conflicts")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ConflictAllowance:
    """Each user's daily allowance of identifier conflicts, in the rate limiter's storage."""

    limiter: RateLimiter

    async def check(self, user: Principal) -> None:
        """429 (with Retry-After) when `user` has spent today's allowance; counts nothing."""
        await self._within_allowance(user, spend=False)

    async def spend(self, user: Principal) -> None:
        """Count one conflict of `user`; 429 when it goes past the allowance (a race of
        claims that all passed `check`)."""
        await self._within_allowance(user, spend=True)

    async def _within_allowance(self, user: Principal, *, spend: bool) -> None:
        if user.role == UserRole.ADMIN:
            return
        strategy = SlidingWindowCounterRateLimiter(self.limiter.storage)
        key = (*_KEY, str(user.id))
        try:
            ask = strategy.hit if spend else strategy.test
            if await ask(_ALLOWANCE, *key):
                return
            stats = await strategy.get_window_stats(_ALLOWANCE, *key)
        except (RedisError, OSError) as exc:
            logger.warning("conflict_allowance_unavailable", error=type(exc).__name__)
            return
        raise IdentifierConflictLimitError(retry_after=_seconds_until(stats.reset_time))


def _seconds_until(reset_time: float) -> int:
    return max(1, math.ceil(reset_time - time.time()))


async def keeping_conflicts(
    session: AsyncSession, action: Callable[[], Awaitable[T]]
) -> T | IdentifierTakenError:
    """Run `action` in a savepoint; a conflict is returned instead of raised, so the caller's
    unit of work still commits what the refusal published (`IdentifierConflicted`, audited)
    while everything `action` flushed is undone. The conflict is raised before anything else
    is published, so nothing of the refused change is announced."""
    try:
        async with session.begin_nested():
            return await action()
    except IdentifierTakenError as conflict:
        return conflict
