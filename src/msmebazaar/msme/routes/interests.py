"""Interest endpoints (DESIGN.md §3 "MSME"): send, list sent and received, accept, decline,
withdraw."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path

from msmebazaar.auth.service import Principal, UserRole, require_role
from msmebazaar.msme import interests
from msmebazaar.msme.dependencies import ListingIdPath, SignedIn
from msmebazaar.msme.schemas.interests import (
    InterestCreate,
    InterestRead,
    InterestReceived,
    InterestSent,
)
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.pagination import PageDep, page_response
from msmebazaar.shared.responses import (
    DataResponse,
    ErrorResponse,
    ListResponse,
    error_responses,
    ok,
)

router = APIRouter(tags=["interests"])

BuyerDep = Annotated[Principal, Depends(require_role(UserRole.BUYER, UserRole.INVESTOR))]
InterestIdPath = Annotated[uuid.UUID, Path(description="The interest's id.")]
_CHANGE_ERRORS = error_responses(401, 403, 404, 409)
_SEND_ERRORS = _CHANGE_ERRORS | {
    409: {
        "model": ErrorResponse,
        "description": "`INTEREST_ALREADY_SENT`: your last interest here is not withdrawn; "
        f"`INTEREST_LIMIT_REACHED`: you sent {interests.MAX_INTERESTS_PER_BUYER_PER_LISTING} "
        "in this listing already, the most one buyer may",
    }
}


@router.post(
    "/listings/{listing_id}/interests",
    status_code=201,
    response_model=DataResponse[InterestRead],
    responses=_SEND_ERRORS,
)
async def send_interest(
    listing_id: ListingIdPath, body: InterestCreate, session: SessionDep, buyer: BuyerDep
) -> DataResponse[InterestRead]:
    """Tell an active listing's owner you are interested; after withdrawing, again (capped)."""
    interest = await interests.send_interest(session, buyer, listing_id, body)
    return ok(interest, "Interest sent; the owner has been notified.")


@router.get(
    "/interests/mine", response_model=ListResponse[InterestSent], responses=error_responses(401)
)
async def list_sent_interests(
    session: SessionDep, user: SignedIn, page: PageDep
) -> ListResponse[InterestSent]:
    """Interests you sent, newest first; accepted ones carry the owner's contact and profile."""
    items, total = await interests.list_sent(session, user, page)
    return page_response(items, total=total, params=page)


@router.get(
    "/interests/received",
    response_model=ListResponse[InterestReceived],
    responses=error_responses(401),
)
async def list_received_interests(
    session: SessionDep, user: SignedIn, page: PageDep
) -> ListResponse[InterestReceived]:
    """Interests in your listings, newest first; accepted ones carry the buyer's contact."""
    items, total = await interests.list_received(session, user, page)
    return page_response(items, total=total, params=page)


@router.post(
    "/interests/{interest_id}/accept",
    response_model=DataResponse[InterestRead],
    responses=_CHANGE_ERRORS,
)
async def accept_interest(
    interest_id: InterestIdPath, session: SessionDep, user: SignedIn
) -> DataResponse[InterestRead]:
    """Accept a pending interest: you and the buyer see each other's contact details."""
    interest = await interests.decide_interest(session, user, interest_id, accept=True)
    return ok(interest, "Interest accepted.")


@router.post(
    "/interests/{interest_id}/decline",
    response_model=DataResponse[InterestRead],
    responses=_CHANGE_ERRORS,
)
async def decline_interest(
    interest_id: InterestIdPath, session: SessionDep, user: SignedIn
) -> DataResponse[InterestRead]:
    """Decline a pending interest; the buyer is told."""
    interest = await interests.decide_interest(session, user, interest_id, accept=False)
    return ok(interest, "Interest declined.")


@router.post(
    "/interests/{interest_id}/withdraw",
    response_model=DataResponse[InterestRead],
    responses=_CHANGE_ERRORS,
)
async def withdraw_interest(
    interest_id: InterestIdPath, session: SessionDep, user: SignedIn
) -> DataResponse[InterestRead]:
    """Withdraw an interest you sent (pending or accepted)."""
    interest = await interests.withdraw_interest(session, user, interest_id)
    return ok(interest, "Interest withdrawn.")
