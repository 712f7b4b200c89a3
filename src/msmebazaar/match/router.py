"""Match routes: mandates (`/mandates`) and ranked matches both ways (`/matches/...`)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from msmebazaar.auth.service import CurrentUser
from msmebazaar.match import mandates, matching
from msmebazaar.match.dependencies import (
    CallerLanguage,
    EmbedderDep,
    IndexDep,
    MandateHolder,
    MatchSettingsDep,
)
from msmebazaar.match.schemas import (
    ListingMatch,
    MandateCreate,
    MandateMatch,
    MandateRead,
    MandateUpdate,
)
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.pagination import PageDep, page_response
from msmebazaar.shared.responses import DataResponse, ListResponse, error_responses, ok

router = APIRouter(tags=["match"])

MandateId = Annotated[uuid.UUID, Path(description="The mandate's id.")]
ListingId = Annotated[uuid.UUID, Path(description="The listing's id.")]
Limit = Annotated[int, Query(ge=1, le=100, description="How many matches, at most 100.")]


@router.post(
    "/mandates",
    status_code=201,
    response_model=DataResponse[MandateRead],
    responses=error_responses(401, 403),
)
async def create_mandate(
    body: MandateCreate, user: MandateHolder, session: SessionDep, embedder: EmbedderDep
) -> DataResponse[MandateRead]:
    """State what you look for (buyers, investors and admins)."""
    return ok(await mandates.create_mandate(session, user, body, embedder), "Mandate created.")


@router.get(
    "/mandates/mine",
    response_model=ListResponse[MandateRead],
    responses=error_responses(401),
)
async def list_my_mandates(
    user: CurrentUser, session: SessionDep, page: PageDep
) -> ListResponse[MandateRead]:
    """Your mandates, newest first."""
    items, total = await mandates.list_mine(session, user, page)
    return page_response(items, total=total, params=page)


@router.get(
    "/mandates/{mandate_id}",
    response_model=DataResponse[MandateRead],
    responses=error_responses(401, 404),
)
async def get_mandate(
    mandate_id: MandateId, user: CurrentUser, session: SessionDep
) -> DataResponse[MandateRead]:
    """One of your mandates."""
    return ok(await mandates.get_mandate(session, user, mandate_id))


@router.patch(
    "/mandates/{mandate_id}",
    response_model=DataResponse[MandateRead],
    responses=error_responses(401, 404, 409),
)
async def update_mandate(
    mandate_id: MandateId,
    body: MandateUpdate,
    user: CurrentUser,
    session: SessionDep,
    embedder: EmbedderDep,
) -> DataResponse[MandateRead]:
    """Change a mandate; send `version` to be told (409) if it changed since you read it."""
    updated = await mandates.update_mandate(session, user, mandate_id, body, embedder)
    return ok(updated, "Mandate updated.")


@router.delete(
    "/mandates/{mandate_id}",
    response_model=DataResponse[None],
    responses=error_responses(401, 404),
)
async def delete_mandate(
    mandate_id: MandateId, user: CurrentUser, session: SessionDep
) -> DataResponse[None]:
    """Delete one of your mandates."""
    await mandates.delete_mandate(session, user, mandate_id)
    return ok(None, "Mandate deleted.")


@router.get(
    "/matches/mandates/{mandate_id}",
    response_model=DataResponse[list[ListingMatch]],
    responses=error_responses(401, 404),
)
async def listings_for_mandate(
    *,
    request: Request,
    mandate_id: MandateId,
    user: CurrentUser,
    session: SessionDep,
    index: IndexDep,
    language: CallerLanguage,
    settings: MatchSettingsDep,
    limit: Limit = 20,
) -> DataResponse[list[ListingMatch]]:
    """Active listings ranked for one of your mandates, each scored and explained."""
    found = await matching.rank_listings(
        session,
        request.app.state.db,
        index,
        user,
        mandate_id,
        limit=limit,
        language=language,
        settings=settings,
    )
    return ok(found)


@router.get(
    "/matches/listings/{listing_id}",
    response_model=DataResponse[list[MandateMatch]],
    responses=error_responses(401, 403, 404),
)
async def mandates_for_listing(
    *,
    request: Request,
    listing_id: ListingId,
    user: CurrentUser,
    session: SessionDep,
    embedder: EmbedderDep,
    language: CallerLanguage,
    settings: MatchSettingsDep,
    limit: Limit = 20,
) -> DataResponse[list[MandateMatch]]:
    """Buyers' mandates ranked for one of your listings (names shown only if they chose)."""
    found = await matching.rank_mandates(
        session,
        request.app.state.db,
        user,
        listing_id,
        embedder=embedder,
        limit=limit,
        language=language,
        settings=settings,
    )
    return ok(found)
