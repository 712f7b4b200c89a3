"""Listing endpoints (DESIGN.md §3 "MSME"): create, read, change, submit, close, mine, search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from msmebazaar.auth.service import OptionalUser, Principal, UserRole, require_role
from msmebazaar.msme import listings, search
from msmebazaar.msme.dependencies import ListingIdPath, OwnedListing, SignedIn
from msmebazaar.msme.schemas.listings import (
    DealType,
    ListingCard,
    ListingCreate,
    ListingRead,
    ListingSearch,
    ListingSort,
    ListingUpdate,
    ListingView,
)
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.india import MAX_RUPEES
from msmebazaar.shared.pagination import PageDep, page_response
from msmebazaar.shared.public_cache import PublicCacheDep
from msmebazaar.shared.responses import DataResponse, ListResponse, error_responses, ok

router = APIRouter(prefix="/listings", tags=["listings"])

OwnerDep = Annotated[Principal, Depends(require_role(UserRole.MSME_OWNER))]
Rupees = Annotated[int | None, Query(ge=0, le=MAX_RUPEES, description="Whole rupees.")]


@router.get("/mine", response_model=ListResponse[ListingRead], responses=error_responses(401))
async def list_my_listings(
    session: SessionDep, user: SignedIn, page: PageDep
) -> ListResponse[ListingRead]:
    """Your listings in every status, newest first, with views, interests and rejection reason."""
    items, total = await listings.list_mine(session, user, page)
    return page_response(items, total=total, params=page)


@router.get("", response_model=ListResponse[ListingCard], dependencies=[PublicCacheDep])
async def search_listings(
    session: SessionDep,
    page: PageDep,
    *,
    sector: Annotated[str | None, Query(max_length=40, description="A sector code.")] = None,
    state: Annotated[str | None, Query(max_length=60, description="State, full name.")] = None,
    deal_type: DealType | None = None,
    price_min: Rupees = None,
    price_max: Rupees = None,
    revenue_min: Rupees = None,
    revenue_max: Rupees = None,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Words in the headline, summary or description."),
    ] = None,
    sort: ListingSort = ListingSort.NEWEST,
) -> ListResponse[ListingCard]:
    """Search active listings; public cards only (anonymous ones show no name or city)."""
    filters = search.checked_search(
        ListingSearch(
            sector=sector,
            state=state,
            deal_type=deal_type,
            price_min=price_min,
            price_max=price_max,
            revenue_min=revenue_min,
            revenue_max=revenue_max,
            q=q,
            sort=sort,
        )
    )
    found = await search.search_listings(session, filters, page)
    return page_response(found.cards, total=found.total, params=page, exact=found.total_exact)


@router.post(
    "",
    status_code=201,
    response_model=DataResponse[ListingRead],
    responses=error_responses(401, 403, 404),
)
async def create_listing(
    body: ListingCreate, session: SessionDep, owner: OwnerDep
) -> DataResponse[ListingRead]:
    """Create a draft listing of one of your business profiles."""
    return ok(await listings.create_listing(session, owner, body), "Listing created as a draft.")


@router.get(
    "/{listing_id}",
    response_model=DataResponse[ListingView],
    responses=error_responses(401, 404),  # 401: a bad token is refused, not ignored
)
async def get_listing(
    listing_id: ListingIdPath, session: SessionDep, viewer: OptionalUser
) -> DataResponse[ListingView]:
    """The public card of an active listing; its owner and admins get every field."""
    return ok(await listings.view_listing(session, listing_id, viewer))


@router.patch(
    "/{listing_id}",
    response_model=DataResponse[ListingRead],
    responses=error_responses(401, 403, 404, 409),
)
async def update_listing(
    body: ListingUpdate, session: SessionDep, listing: OwnedListing
) -> DataResponse[ListingRead]:
    """Change a draft or rejected listing; send `version` to refuse a stale update."""
    return ok(await listings.update_listing(session, listing, body), "Listing updated.")


@router.post(
    "/{listing_id}/submit",
    response_model=DataResponse[ListingRead],
    responses=error_responses(401, 403, 404, 409),
)
async def submit_listing(session: SessionDep, listing: OwnedListing) -> DataResponse[ListingRead]:
    """Send a listing to the admins for review; anonymous ones must not give the business away."""
    return ok(await listings.submit_listing(session, listing), "Listing submitted for review.")


@router.post(
    "/{listing_id}/close",
    response_model=DataResponse[ListingRead],
    responses=error_responses(401, 403, 404, 409),
)
async def close_listing(session: SessionDep, listing: OwnedListing) -> DataResponse[ListingRead]:
    """Close a listing: it leaves search and takes no more interests."""
    return ok(await listings.close_listing(session, listing), "Listing closed.")
