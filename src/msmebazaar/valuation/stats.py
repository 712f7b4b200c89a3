"""Counts of stored valuations, for the admin dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.valuation.models import Valuation


@dataclass(frozen=True, slots=True)
class ValuationCounts:
    """Stored valuations: in all, in a period, and the profiles valued at least once."""

    total: int
    in_period: int
    profiles_valued: int


async def valuation_counts(
    session: AsyncSession, start: datetime, end: datetime
) -> ValuationCounts:
    """Valuations in all and run in [start, end), and distinct profiles valued (one query)."""
    statement = select(
        func.count(),
        func.count().filter(Valuation.created_at >= start, Valuation.created_at < end),
        func.count(distinct(Valuation.msme_id)),
    ).select_from(Valuation)
    total, in_period, profiles = (await session.execute(statement)).one()
    return ValuationCounts(int(total), int(in_period), int(profiles))
