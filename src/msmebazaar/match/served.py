"""The durable count of matches served (admin analytics): ranked lists and the matches in them,
per India day and direction (`mandate`: listings for a mandate; `listing`: mandates for a
listing), plus the mandate figures the admin overview shows.

A request adds to one of `BUCKETS` rows of its day, picked at random, so concurrent requests
rarely queue on one row lock; readers sum the buckets.
"""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import structlog
from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.match.models import Mandate, MatchServed
from msmebazaar.shared.db import relax_durability, utcnow
from msmebazaar.shared.events import SessionSource

logger = structlog.get_logger("msmebazaar.match.served")

BUCKETS = 8
INDIA_OFFSET = timedelta(hours=5, minutes=30)  # IST has no daylight saving


@dataclass(frozen=True, slots=True)
class ServedCounts:
    """Ranked lists served (`requests`) and matches in them, in a period, by direction."""

    requests: dict[str, int]
    matches: dict[str, int]


@dataclass(frozen=True, slots=True)
class MandateCounts:
    total: int
    active: int


def india_today() -> date:
    """Today's date in India."""
    return (utcnow() + INDIA_OFFSET).date()


@functools.cache
def _upsert(dialect_name: str) -> Any:
    """The counting upsert, built once per dialect: building it took a millisecond of CPU on
    every ranking (bench/load_report.py's profile); its parameters are bound per call."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    statement = dialect.insert(MatchServed).values(
        day=bindparam("day"),
        direction=bindparam("direction"),
        bucket=bindparam("bucket"),
        requests=1,
        matches=bindparam("matches"),
    )
    return statement.on_conflict_do_update(
        index_elements=[MatchServed.day, MatchServed.direction, MatchServed.bucket],
        set_={
            "requests": MatchServed.requests + 1,
            "matches": MatchServed.matches + statement.excluded.matches,
        },
    )


async def _add(session: AsyncSession, direction: str, matches: int) -> None:
    values = {
        "day": india_today(),
        "direction": direction,
        "bucket": secrets.randbelow(BUCKETS),
        "matches": matches,
    }
    await session.execute(_upsert(session.get_bind().dialect.name), values)


async def record_served(database: SessionSource, direction: str, matches: int) -> None:
    """Count one ranked list of `matches` served, in its own short unit of work; a failure is
    logged, never raised (the caller's answer is ready and must not be lost for a count)."""
    try:
        async with database.session() as session:
            await relax_durability(session)  # a count need not wait for the disk
            await _add(session, direction, matches)
    except Exception as exc:
        logger.warning("match_served_count_failed", direction=direction, error=type(exc).__name__)


async def served_counts(session: AsyncSession, first: date, last: date) -> ServedCounts:
    """Ranked lists and matches served from day `first` to `last` (India days, inclusive)."""
    statement = (
        select(
            MatchServed.direction,
            func.sum(MatchServed.requests),
            func.sum(MatchServed.matches),
        )
        .where(MatchServed.day >= first, MatchServed.day <= last)
        .group_by(MatchServed.direction)
    )
    requests: dict[str, int] = {}
    matches: dict[str, int] = {}
    for direction, request_count, match_count in await session.execute(statement):
        requests[direction], matches[direction] = int(request_count), int(match_count)
    return ServedCounts(requests=requests, matches=matches)


async def mandate_counts(session: AsyncSession) -> MandateCounts:
    """Mandates in all, and active ones (one query)."""
    statement = select(func.count(), func.count().filter(Mandate.active.is_(True)))
    total, active = (await session.execute(statement.select_from(Mandate))).one()
    return MandateCounts(total=int(total), active=int(active))
