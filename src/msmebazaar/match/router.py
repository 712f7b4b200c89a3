"""Match routes: mandates (`/mandates`) and ranked matches both ways (`/matches/...`)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query

from msmebazaar.auth.service import CallerLanguage, CurrentUser
from msmebazaar.match import service
from msmebazaar.match.dependencies import MandateHolder
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
from msmebazaar.shared.runtime import RuntimeDep

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
    body: MandateCreate, user: MandateHolder, session: SessionDep, runtime: RuntimeDep
) -> DataResponse[MandateRead]:
    """State what you look for (buyers, investors and admins)."""
    return ok(await service.create_mandate(session, runtime, user, body), "Mandate created.")


@router.get(
    "/mandates/mine",
    response_model=ListResponse[MandateRead],
    responses=error_responses(401),
)
async def list_my_mandates(
    user: CurrentUser, session: SessionDep, page: PageDep
) -> ListResponse[MandateRead]:
    """Your mandates, newest first."""
    items, total = await service.list_mine(session, user, page)
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
    return ok(await service.get_mandate(session, user, mandate_id))


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
    runtime: RuntimeDep,
) -> DataResponse[MandateRead]:
    """Change a mandate; send `version` to be told (409) if it changed since you read it."""
    updated = await service.update_mandate(session, runtime, user, mandate_id, body)
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
    await service.delete_mandate(session, user, mandate_id)
    return ok(None, "Mandate deleted.")


@router.get(
    "/matches/mandates/{mandate_id}",
    response_model=DataResponse[list[ListingMatch]],
    responses=error_responses(401, 404),
)
async def listings_for_mandate(
    *,
    mandate_id: MandateId,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    language: CallerLanguage,
    limit: Limit = 20,
) -> DataResponse[list[ListingMatch]]:
    """Active listings ranked for one of your mandates, each scored and explained."""
    found = await service.listings_for_mandate(
        session, runtime, user, mandate_id, limit=limit, language=language
    )
    return ok(found)


@router.get(
    "/matches/listings/{listing_id}",
    response_model=DataResponse[list[MandateMatch]],
    responses=error_responses(401, 403, 404),
)
async def mandates_for_listing(
    *,
    listing_id: ListingId,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    language: CallerLanguage,
    limit: Limit = 20,
) -> DataResponse[list[MandateMatch]]:
    """Buyers' mandates ranked for one of your listings (names shown only if they chose)."""
    found = await service.mandates_for_listing(
        session, runtime, user, listing_id, limit=limit, language=language
    )
    return ok(found)
