"""The match service's public face: the id-based operations the API, the web portal and the
WhatsApp bot all call (each takes the session, the app's runtime where it needs match's
embedder or index, the acting principal and ids, and checks permission inside), and the names
other services may use. The work is done in `mandates`, `matching`, `notify` and `served`."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.service import Principal
from msmebazaar.match import mandates, matching
from msmebazaar.match.engine import MandateTerms, grade
from msmebazaar.match.events import ListingMatched, MandateMatched
from msmebazaar.match.mandates import delete_mandate, get_mandate, list_mine
from msmebazaar.match.runtime import match_part
from msmebazaar.match.schemas import (
    ListingMatch,
    MandateCreate,
    MandateMatch,
    MandateRead,
    MandateUpdate,
)
from msmebazaar.match.served import MandateCounts, ServedCounts, mandate_counts, served_counts
from msmebazaar.shared.runtime import Runtime

__all__ = [
    "ListingMatched",
    "MandateCounts",
    "MandateMatched",
    "MandateTerms",
    "ServedCounts",
    "create_mandate",
    "delete_mandate",
    "get_mandate",
    "grade",
    "list_mine",
    "listings_for_mandate",
    "mandate_counts",
    "mandates_for_listing",
    "served_counts",
    "update_mandate",
]


async def create_mandate(
    session: AsyncSession, runtime: Runtime, user: Principal, data: MandateCreate
) -> MandateRead:
    """Store a mandate of `user` (a buyer, investor or admin) and its thesis vector."""
    return await mandates.create_mandate(session, user, data, match_part(runtime).embedder)


async def update_mandate(
    session: AsyncSession,
    runtime: Runtime,
    user: Principal,
    mandate_id: uuid.UUID,
    changes: MandateUpdate,
) -> MandateRead:
    """Change one of `user`'s mandates (409 on a stale `version`)."""
    embedder = match_part(runtime).embedder
    return await mandates.update_mandate(session, user, mandate_id, changes, embedder)


async def listings_for_mandate(
    session: AsyncSession,
    runtime: Runtime,
    user: Principal,
    mandate_id: uuid.UUID,
    *,
    limit: int,
    language: str,
) -> list[ListingMatch]:
    """Active listings ranked for one of `user`'s mandates, each scored and explained."""
    match = match_part(runtime)
    return await matching.rank_listings(
        session,
        runtime.database,
        match.index,
        user,
        mandate_id,
        limit=limit,
        language=language,
        settings=match.settings,
    )


async def mandates_for_listing(
    session: AsyncSession,
    runtime: Runtime,
    user: Principal,
    listing_id: uuid.UUID,
    *,
    limit: int,
    language: str,
) -> list[MandateMatch]:
    """Buyers' mandates ranked for one of `user`'s listings (the seller's view)."""
    match = match_part(runtime)
    return await matching.rank_mandates(
        session,
        runtime.database,
        user,
        listing_id,
        embedder=match.embedder,
        limit=limit,
        language=language,
        settings=match.settings,
    )
