"""The analytics overview: each figure is its owning service's aggregate query, combined here.

Stock figures (users by role, profiles, listings, the deal flow, mandates, all-time totals) are
as of now; flow figures (signups, valuations, matches served, interests, the funnel) count what
happened in the period.

Each figure reads an index (migration 0007) rather than the table where it can, but several
still pass over 100,000 rows: a computed overview is kept in the shared cache for
`CACHE_SECONDS` per period (every app process serves it), and `fresh=true` recomputes it.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.admin.analytics.period import Period
from msmebazaar.admin.metrics import set_queue_depth
from msmebazaar.admin.schemas import (
    AnalyticsOverview,
    DayCount,
    DealFlow,
    DealTypeFigures,
    Funnel,
    InterestFigures,
    ListingFigures,
    MandateFigures,
    MatchFigures,
    PeriodRead,
    ProfileFigures,
    UserFigures,
    ValuationFigures,
)
from msmebazaar.auth.service import UserCounts, signup_cohort, user_counts
from msmebazaar.match.service import mandate_counts, served_counts
from msmebazaar.msme.schemas import ListingCounts, ProfileCounts
from msmebazaar.msme.service import (
    deal_funnel,
    interest_counts,
    listing_counts,
    profile_counts,
    seller_funnel,
)
from msmebazaar.shared.cache import Cache
from msmebazaar.shared.db import utcnow
from msmebazaar.shared.india import CRORE, INDIA_TIMEZONE, INDIA_UTC_OFFSET, format_inr_short
from msmebazaar.valuation.service import valuation_counts

CACHE_SECONDS = 60.0

FUNNEL_DEFINITION = (
    "Cohort: business owners (role msme_owner) who signed up in the period. created_profile: "
    "of them, those "
    "who own a live business profile; verified: of those, who own a live verified profile; "
    "listed: of those, who own a listing that was ever approved (published); "
    "interest_accepted: of those, who own a listing with an accepted interest. Each stage "
    "counts users, and only users who reached every earlier stage."
)


def _users(counts: UserCounts, period: Period) -> UserFigures:
    per_day = [DayCount(date=day, count=counts.signups_per_day.get(day, 0)) for day in period.days]
    return UserFigures(
        total=sum(counts.by_role.values()),
        by_role=counts.by_role,
        by_status=counts.by_status,
        signups=sum(item.count for item in per_day),
        signups_per_day=per_day,
    )


def _profiles(counts: ProfileCounts) -> ProfileFigures:
    return ProfileFigures(
        total=counts.total,
        by_status=counts.by_status,
        by_sector=counts.by_sector,
        by_state=counts.by_state,
        verification_queue=counts.by_status.get("pending", 0),
    )


def _deal_flow(counts: ListingCounts) -> DealFlow:
    value = counts.public_asking_value
    return DealFlow(
        active_listings=counts.public,
        asking_value=value,
        asking_value_crore=round(value / CRORE, 2),
        asking_value_text=format_inr_short(value),
        by_deal_type={
            deal_type: DealTypeFigures(count=flow.count, asking_value=flow.asking_value)
            for deal_type, flow in counts.public_by_deal_type.items()
        },
    )


async def _matches(session: AsyncSession, period: Period) -> MatchFigures:
    served = await served_counts(session, period.first, period.last)
    return MatchFigures(
        requests=sum(served.requests.values()),
        matches=sum(served.matches.values()),
        requests_by_direction=served.requests,
        matches_by_direction=served.matches,
    )


async def overview(session: AsyncSession, period: Period) -> AnalyticsOverview:
    """The platform's figures for `period` (see the module docstring)."""
    users = await user_counts(session, period.start, period.end, day_offset=INDIA_UTC_OFFSET)
    profiles = await profile_counts(session)
    listings = await listing_counts(session)
    interests = await interest_counts(session, period.start, period.end)
    funnel = await seller_funnel(session, signup_cohort(period.start, period.end))
    valuations = await valuation_counts(session, period.start, period.end)
    mandates = await mandate_counts(session)
    set_queue_depth(profiles.by_status.get("pending", 0))
    return AnalyticsOverview(
        generated_at=utcnow(),
        period=PeriodRead(first=period.first, last=period.last, timezone=INDIA_TIMEZONE.key),
        users=_users(users, period),
        profiles=_profiles(profiles),
        listings=ListingFigures(
            total=listings.total,
            by_status=listings.by_status,
            by_deal_type=listings.by_deal_type,
            hidden=listings.hidden,
        ),
        deal_flow=_deal_flow(listings),
        valuations=ValuationFigures(
            total=valuations.total,
            in_period=valuations.in_period,
            profiles_valued=valuations.profiles_valued,
        ),
        mandates=MandateFigures(total=mandates.total, active=mandates.active),
        matches_served=await _matches(session, period),
        interests=InterestFigures(
            sent=interests.sent,
            accepted=interests.accepted,
            sent_total=interests.sent_total,
            accepted_total=interests.accepted_total,
        ),
        funnel=Funnel(
            signed_up=funnel.signed_up,
            created_profile=funnel.created_profile,
            verified=funnel.verified,
            listed=funnel.listed,
            interest_accepted=funnel.interest_accepted,
            definition=FUNNEL_DEFINITION,
        ),
        deals=await deal_funnel(session, period.start, period.end),
    )


async def cached_overview(
    session: AsyncSession, cache: Cache, period: Period, *, fresh: bool = False
) -> AnalyticsOverview:
    """The overview of `period`, as computed at most `CACHE_SECONDS` ago (or now if `fresh`)."""
    key = f"admin:overview:{period.first.isoformat()}:{period.last.isoformat()}"
    if not fresh:
        kept = await cache.get(key)
        if kept is not None:
            return AnalyticsOverview.model_validate_json(kept)
    result = await overview(session, period)
    await cache.set(key, result.model_dump_json(by_alias=True), CACHE_SECONDS)
    return result
