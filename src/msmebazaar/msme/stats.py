"""The msme figures of the admin analytics: each one aggregate query (DESIGN.md §1), and keyset
pages of listings and interests for the admin's CSV exports.

Grouped queries return one row per group (statuses × sectors × states at most), never one per
profile or listing; the few group rows are folded into the totals each view needs.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.msme.models import Interest, Listing, Msme
from msmebazaar.msme.schemas.review import (
    DealTypeFlow,
    FunnelCounts,
    InterestCounts,
    InterestExport,
    ListingCounts,
    ListingExport,
    ProfileCounts,
)


def _add(counts: dict[str, int], key: str, value: int) -> None:
    counts[key] = counts.get(key, 0) + value


async def profile_counts(session: AsyncSession) -> ProfileCounts:
    """Live profiles in all and by verification status, sector and state (one query)."""
    statement = (
        select(Msme.verification_status, Msme.sector, Msme.state, func.count())
        .where(Msme.deleted_at.is_(None))
        .group_by(Msme.verification_status, Msme.sector, Msme.state)
    )
    by_status: dict[str, int] = {}
    by_sector: dict[str, int] = {}
    by_state: dict[str, int] = {}
    for status, sector, state, count in await session.execute(statement):
        _add(by_status, status, count)
        _add(by_sector, sector, count)
        _add(by_state, state, count)
    return ProfileCounts(sum(by_status.values()), by_status, by_sector, by_state)


async def listing_counts(session: AsyncSession) -> ListingCounts:
    """Listings by status and deal type, and the deal flow of public ones (one query)."""
    statement = select(
        Listing.status,
        Listing.deal_type,
        Listing.owner_suspended,
        func.count(),
        func.coalesce(func.sum(Listing.asking_price), 0),
    ).group_by(Listing.status, Listing.deal_type, Listing.owner_suspended)
    by_status: dict[str, int] = {}
    by_deal_type: dict[str, int] = {}
    flow: dict[str, DealTypeFlow] = {}
    hidden = 0
    for status, deal_type, suspended, count, value in await session.execute(statement):
        _add(by_status, status, count)
        _add(by_deal_type, deal_type, count)
        if suspended:
            hidden += count
        elif status == "active":
            flow[deal_type] = DealTypeFlow(count, int(value))
    return ListingCounts(
        total=sum(by_status.values()),
        by_status=by_status,
        by_deal_type=by_deal_type,
        hidden=hidden,
        public=sum(item.count for item in flow.values()),
        public_asking_value=sum(item.asking_value for item in flow.values()),
        public_by_deal_type=flow,
    )


async def interest_counts(session: AsyncSession, start: datetime, end: datetime) -> InterestCounts:
    """Interests sent in [start, end) and accepted (decided) in it, and all-time totals."""
    accepted = Interest.status == "accepted"
    statement = select(
        func.count().filter(Interest.created_at >= start, Interest.created_at < end),
        func.count().filter(accepted, Interest.decided_at >= start, Interest.decided_at < end),
        func.count(),
        func.count().filter(accepted),
    ).select_from(Interest)
    sent, accepted_in_period, sent_total, accepted_total = (await session.execute(statement)).one()
    return InterestCounts(
        sent=int(sent),
        accepted=int(accepted_in_period),
        sent_total=int(sent_total),
        accepted_total=int(accepted_total),
    )


# Up to this many users in a cohort, PostgreSQL probes the indexes user by user; above it, it
# reads each stage's owners once and joins (a year of signups: one pass beats 100,000 probes).
# SQLite has no hash joins and always probes.
PROBE_COHORT_LIMIT = 20_000


def _stage_owners(user: Any) -> list[Any]:
    """Per stage, the condition that `user` reached it (each tested on its own)."""
    live = (Msme.owner_id == user, Msme.deleted_at.is_(None))
    return [
        exists().where(*live),
        exists().where(*live, Msme.verification_status == "verified"),
        exists().where(Listing.owner_id == user, Listing.published_at.is_not(None)),
        exists().where(
            Listing.owner_id == user,
            Interest.listing_id == Listing.id,
            Interest.status == "accepted",
        ),
    ]


def _probed_flags(users: Any) -> Any:
    flags = select(*(stage.label(f"s{k}") for k, stage in enumerate(_stage_owners(users.c[0]))))
    # OFFSET 0 keeps the subquery whole, so each flag is computed once per user.
    return flags.select_from(users).offset(0).subquery("flags")


def _joined_flags(users: Any) -> Any:
    user = users.c[0]
    verified = case((Msme.verification_status == "verified", 1), else_=0)
    profiles = (
        select(Msme.owner_id, func.max(verified).label("verified"))
        .where(Msme.deleted_at.is_(None))
        .group_by(Msme.owner_id)
        .subquery("profiles")
    )
    listed = select(Listing.owner_id).where(Listing.published_at.is_not(None)).distinct()
    accepted = (
        select(Listing.owner_id)
        .join(Interest, Interest.listing_id == Listing.id)
        .where(Interest.status == "accepted")
        .distinct()
    )
    listed_q, accepted_q = listed.subquery("listed"), accepted.subquery("accepted")
    stages = [
        profiles.c.owner_id.is_not(None).label("s0"),
        (profiles.c.verified == 1).label("s1"),
        listed_q.c.owner_id.is_not(None).label("s2"),
        accepted_q.c.owner_id.is_not(None).label("s3"),
    ]
    joined = (
        users.outerjoin(profiles, profiles.c.owner_id == user)
        .outerjoin(listed_q, listed_q.c.owner_id == user)
        .outerjoin(accepted_q, accepted_q.c.owner_id == user)
    )
    return select(*stages).select_from(joined).subquery("flags")


async def seller_funnel(session: AsyncSession, cohort: Select[uuid.UUID]) -> FunnelCounts:
    """How far the users of `cohort` (a query of user ids) went, each stage within the last.

    signed up: in the cohort; created a profile: owns a live profile; verified: owns a live
    verified profile; listed: owns a listing that was ever approved (`published_at` set, even
    if since closed); interest accepted: owns a listing with an accepted interest.

    Two queries: the cohort's size, then every stage at once (see `PROBE_COHORT_LIMIT`).
    """
    users = cohort.subquery("cohort")
    size = int(await session.scalar(select(func.count()).select_from(users)) or 0)
    postgresql = session.get_bind().dialect.name == "postgresql"
    if postgresql:
        # The planner's cost estimate of this query sets off JIT compilation, which takes
        # longer (~40 ms) than the query runs; for the rest of this transaction only.
        await session.execute(text("SET LOCAL jit = off"))
    probe = not postgresql or size <= PROBE_COHORT_LIMIT
    flags = _probed_flags(users) if probe else _joined_flags(users)
    reached = [flags.c[f"s{k}"] for k in range(4)]
    statement = select(
        func.count(), *(func.count().filter(and_(*reached[: k + 1])) for k in range(4))
    ).select_from(flags)
    row = (await session.execute(statement)).one()
    return FunnelCounts(*(int(value) for value in row))


def _after(statement: Select[Any], column: Any, after: uuid.UUID | None, limit: int) -> Any:
    statement = statement.order_by(column).limit(limit)
    return statement if after is None else statement.where(column > after)


async def listings_after(
    session: AsyncSession, after: uuid.UUID | None, limit: int
) -> list[ListingExport]:
    """Up to `limit` listings with ids above `after`, by id (keyset pages for exports)."""
    rows = await session.scalars(_after(select(Listing), Listing.id, after, limit))
    return [ListingExport.model_validate(row) for row in rows]


async def interests_after(
    session: AsyncSession, after: uuid.UUID | None, limit: int
) -> list[InterestExport]:
    """Up to `limit` interests with ids above `after`, by id (keyset pages for exports)."""
    rows = await session.scalars(_after(select(Interest), Interest.id, after, limit))
    return [InterestExport.model_validate(row) for row in rows]
