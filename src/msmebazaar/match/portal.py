"""Entry points for callers outside the HTTP routers (the web portal): the same functions the
routers call, with this process's embedder, listing index and settings filled in."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import State

from msmebazaar.auth.service import Principal
from msmebazaar.match import mandates, matching
from msmebazaar.match.config import get_match_settings
from msmebazaar.match.index import ListingIndex
from msmebazaar.match.runtime import get_embedder
from msmebazaar.match.schemas import (
    ListingMatch,
    MandateCreate,
    MandateMatch,
    MandateRead,
    MandateUpdate,
)


async def create_mandate(
    session: AsyncSession, user: Principal, data: MandateCreate
) -> MandateRead:
    """`POST /mandates`: store a mandate of the caller and its thesis vector."""
    return await mandates.create_mandate(session, user, data, get_embedder())


async def update_mandate(
    session: AsyncSession, user: Principal, mandate_id: uuid.UUID, changes: MandateUpdate
) -> MandateRead:
    """`PATCH /mandates/{id}`: change one of the caller's mandates."""
    return await mandates.update_mandate(session, user, mandate_id, changes, get_embedder())


async def listings_for_mandate(
    session: AsyncSession,
    state: State,
    user: Principal,
    mandate_id: uuid.UUID,
    *,
    limit: int,
    language: str,
) -> list[ListingMatch]:
    """`GET /matches/mandates/{id}` with the app's listing index (`state` is `app.state`)."""
    index: ListingIndex = state.match_index
    return await matching.rank_listings(
        session,
        state.db,
        index,
        user,
        mandate_id,
        limit=limit,
        language=language,
        settings=get_match_settings(),
    )


async def mandates_for_listing(
    session: AsyncSession,
    state: State,
    user: Principal,
    listing_id: uuid.UUID,
    *,
    limit: int,
    language: str,
) -> list[MandateMatch]:
    """`GET /matches/listings/{id}`: the seller's view of one of their listings."""
    return await matching.rank_mandates(
        session,
        state.db,
        user,
        listing_id,
        embedder=get_embedder(),
        limit=limit,
        language=language,
        settings=get_match_settings(),
    )
