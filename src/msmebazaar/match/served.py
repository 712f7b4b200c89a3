"""The durable count of matches served (admin analytics): ranked lists and the matches in them,
per India day and direction (`mandate`: listings for a mandate; `listing`: mandates for a
listing), plus the mandate figures the admin overview shows.

A ranking counts itself on its session (`count_served`); the counts are written in batches off
the request (`shared.counts`), each batch to one of `BUCKETS` rows of its day, picked at random,
so app processes rarely queue on one row lock; readers sum the buckets.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.match.models import Mandate, MatchServed
from msmebazaar.shared.counts import CountKind, count_later
from msmebazaar.shared.db import dialect_insert, relax_durability
from msmebazaar.shared.india import india_today

BUCKETS = 8


@dataclass(frozen=True, slots=True)
class ServedCounts:
    """Ranked lists served (`requests`) and matches in them, in a period, by direction."""

    requests: dict[str, int]
    matches: dict[str, int]


@dataclass(frozen=True, slots=True)
class MandateCounts:
    total: int
    active: int


@functools.cache
def _upsert(dialect_name: str) -> Any:
    """The counting upsert, built once per dialect: building it took a millisecond of CPU on
    every ranking (bench/load_report.py's profile); its parameters are bound per call."""
    statement = dialect_insert(dialect_name, MatchServed).values(
        day=bindparam("day"),
        direction=bindparam("direction"),
        bucket=bindparam("bucket"),
        requests=bindparam("requests"),
        matches=bindparam("matches"),
    )
    return statement.on_conflict_do_update(
        index_elements=[MatchServed.day, MatchServed.direction, MatchServed.bucket],
        set_={
            "requests": MatchServed.requests + statement.excluded.requests,
            "matches": MatchServed.matches + statement.excluded.matches,
        },
    )


async def _add_served(session: AsyncSession, counts: dict[Hashable, int]) -> None:
    """Write a batch of counts keyed `(day, direction, "requests" | "matches")`."""
    await relax_durability(session)  # a count need not wait for the disk
    totals: dict[tuple[date, str], dict[str, int]] = {}
    for key, amount in counts.items():
        day, direction, figure = cast(tuple[date, str, str], key)
        totals.setdefault((day, direction), {"requests": 0, "matches": 0})[figure] += amount
    upsert = _upsert(session.get_bind().dialect.name)
    for (day, direction), figures in totals.items():
        values = {"day": day, "direction": direction, "bucket": secrets.randbelow(BUCKETS)}
        await session.execute(upsert, values | figures)


MATCHES_SERVED = CountKind("matches_served", _add_served)


def count_served(session: AsyncSession, direction: str, matches: int) -> None:
    """Count one ranked list of `matches` served; written later, off the request
    (`shared.counts`), so a ranking never waits for a writer."""
    day = india_today()
    count_later(session, MATCHES_SERVED, (day, direction, "requests"))
    count_later(session, MATCHES_SERVED, (day, direction, "matches"), matches)


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
