"""Loading a profile or listing for a caller: the one place each access rule is applied.

Every way in — the API's dependencies, `service.py`'s operations for the portal and WhatsApp,
and other services through `service.py` — loads through these, so two callers can never disagree
on who may see or change a row (DESIGN.md §3 privacy rules; who may see an identity is decided in
`privacy.py`). A row the caller may not see answers 404 as if it did not exist; one they may see
but not change answers 403.
"""

from __future__ import annotations

import uuid

from sqlalchemy import false, select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.service import Principal, UserRole
from msmebazaar.msme.exceptions import ListingNotFoundError, MsmeNotFoundError
from msmebazaar.msme.models import Listing, Msme
from msmebazaar.msme.privacy import (
    accepted_interest_exists,
    identity_visible,
    is_insider,
    profile_visible,
)
from msmebazaar.shared.exceptions import PermissionDeniedError

# --------------------------------------------------------------------------- profiles


async def get_live_msme(session: AsyncSession, msme_id: uuid.UUID) -> Msme:
    """The profile unless it was deleted; 404 `MSME_NOT_FOUND` otherwise (no permission check:
    for code that has checked, or acts for the platform)."""
    msme = await session.get(Msme, msme_id)
    if msme is None or msme.deleted_at is not None:
        raise MsmeNotFoundError()
    return msme


async def visible_profile(
    session: AsyncSession, viewer: Principal | None, msme_id: uuid.UUID
) -> Msme:
    """The profile if `viewer` may see it at all (`profile_visible`), else 404."""
    msme = await get_live_msme(session, msme_id)
    if not await profile_visible(session, msme, viewer):
        raise MsmeNotFoundError()
    return msme


async def owned_profile(session: AsyncSession, user: Principal, msme_id: uuid.UUID) -> Msme:
    """The profile if `user` owns it or is an admin; 403 `MSME_FORBIDDEN` if they may only see
    it, else 404."""
    msme = await get_live_msme(session, msme_id)
    if is_insider(msme, user):
        return msme
    if await profile_visible(session, msme, user):
        raise PermissionDeniedError(
            "Only the profile's owner or an admin may change it.", code="MSME_FORBIDDEN"
        )
    raise MsmeNotFoundError()


async def insider_profile(session: AsyncSession, user: Principal, msme_id: uuid.UUID) -> Msme:
    """The profile if `user` may see its private data (owner, admin, accepted buyer), else 404."""
    msme = await visible_profile(session, user, msme_id)
    if not await identity_visible(session, msme, user):
        raise MsmeNotFoundError()
    return msme


# --------------------------------------------------------------------------- listings


def is_public_listing(listing: Listing) -> bool:
    """Whether the listing is on the marketplace: active, and its owner is not suspended."""
    return listing.status == "active" and not listing.owner_suspended


def is_listing_insider(listing: Listing, viewer: Principal | None) -> bool:
    """Whether `viewer` owns the listing or is an admin."""
    return viewer is not None and (viewer.role == UserRole.ADMIN or viewer.id == listing.owner_id)


async def get_listing(session: AsyncSession, listing_id: uuid.UUID) -> Listing:
    """The listing by id, whatever its status; 404 `LISTING_NOT_FOUND` when absent (no
    permission check)."""
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


async def owned_listing(session: AsyncSession, user: Principal, listing_id: uuid.UUID) -> Listing:
    """The listing if `user` owns it or is an admin; 403 `LISTING_FORBIDDEN` if they may see it
    (it is public), else 404."""
    listing = await get_listing(session, listing_id)
    if is_listing_insider(listing, user):
        return listing
    if is_public_listing(listing):
        raise PermissionDeniedError(
            "Only the listing's owner or an admin may change it.", code="LISTING_FORBIDDEN"
        )
    raise ListingNotFoundError()
