"""Loading a listing and deciding who may see or change it (DESIGN.md §3 privacy rules).

A listing the caller may not see answers 404 as if it did not exist; one they may see (an active
listing is public) but not change answers 403.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Path
from sqlalchemy import false, select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.service import Principal, UserRole
from msmebazaar.msme.dependencies import SignedIn
from msmebazaar.msme.exceptions import ListingNotFoundError
from msmebazaar.msme.models import Listing, Msme
from msmebazaar.msme.privacy import accepted_interest_exists
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.exceptions import PermissionDeniedError

ListingIdPath = Annotated[uuid.UUID, Path(description="The listing's id.")]


def is_public_listing(listing: Listing) -> bool:
    """Whether the listing is on the marketplace: active, and its owner is not suspended."""
    return listing.status == "active" and not listing.owner_suspended


def is_listing_insider(listing: Listing, viewer: Principal | None) -> bool:
    """Whether `viewer` owns the listing or is an admin."""
    return viewer is not None and (viewer.role == UserRole.ADMIN or viewer.id == listing.owner_id)


async def get_listing(session: AsyncSession, listing_id: uuid.UUID) -> Listing:
    """The listing by id, whatever its status; 404 `LISTING_NOT_FOUND` when absent."""
    listing = await session.get(Listing, listing_id)
    if listing is None:
        raise ListingNotFoundError()
    return listing


async def get_listing_for_viewer(
    session: AsyncSession, listing_id: uuid.UUID, viewer: Principal | None
) -> tuple[Listing, Msme, bool]:
    """The listing by id with its profile, and whether `viewer` has an accepted interest in
    the profile (which shows them who the business is), in one query; 404 when absent."""
    accepted = (
        accepted_interest_exists(Msme.id, viewer.id).correlate(Msme)
        if viewer is not None
        else false()
    )
    statement = select(Listing, Msme, accepted.label("accepted"))
    statement = statement.join(Msme, Msme.id == Listing.msme_id).where(Listing.id == listing_id)
    row = (await session.execute(statement)).one_or_none()
    if row is None:
        raise ListingNotFoundError()
    return row[0], row[1], bool(row[2])


def check_can_change(listing: Listing, user: Principal) -> None:
    """Pass for the owner and admins; 403 if the caller may see the listing, else 404."""
    if is_listing_insider(listing, user):
        return
    if is_public_listing(listing):
        raise PermissionDeniedError(
            "Only the listing's owner or an admin may change it.", code="LISTING_FORBIDDEN"
        )
    raise ListingNotFoundError()


async def owned_listing(listing_id: ListingIdPath, user: SignedIn, session: SessionDep) -> Listing:
    """The listing in the path if the caller owns it or is an admin (else 403 or 404)."""
    listing = await get_listing(session, listing_id)
    check_can_change(listing, user)
    return listing


OwnedListing = Annotated[Listing, Depends(owned_listing)]
