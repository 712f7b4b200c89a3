"""Loading a profile or listing for a caller: the one place each access rule is applied.

Every way in — the API's dependencies, `service.py`'s operations for the portal and WhatsApp,
and other services through `service.py` — loads through these, so two callers can never disagree
on who may see or change a row (DESIGN.md §3 privacy rules; who may see an identity is decided in
`privacy.py`). A row the caller may not see answers 404 as if it did not exist; one they may see
but not change answers 403.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.service import Principal, UserRole
from msmebazaar.msme.exceptions import ListingNotFoundError, MsmeNotFoundError, NdaNotSignedError
from msmebazaar.msme.models import Listing, Msme
from msmebazaar.msme.privacy import (
    accepted_interest_exists,
    cleared_deal_exists,
    identity_visible,
    is_insider,
    private_data_visible,
    profile_visible,
)
from msmebazaar.shared.exceptions import PermissionDeniedError

PRIVATE_DATA_AFTER_NDA = (
    "This listing shares its documents and exact figures once both sides accepted the deal's NDA."
)

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
    """The profile if `user` may see its private data (owner, admin, buyer with a cleared deal);
    409 `NDA_NOT_SIGNED` for an accepted buyer whose deal's NDA is not yet signed by both; else
    404."""
    msme = await visible_profile(session, user, msme_id)
    if await private_data_visible(session, msme, user):
        return msme
    if await identity_visible(session, msme, user):
        raise NdaNotSignedError(PRIVATE_DATA_AFTER_NDA)
    raise MsmeNotFoundError()


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


@dataclass(frozen=True, slots=True)
class ListingForViewer:
    """A listing with its profile, and what the viewer (a buyer) may see of the business."""

    listing: Listing
    msme: Msme
    identity_visible: bool  # an accepted interest in the profile shows who the business is
    private_data_visible: bool  # a cleared deal adds the exact figures


async def get_listing_for_viewer(
    session: AsyncSession, listing_id: uuid.UUID, viewer: Principal | None
) -> ListingForViewer:
    """The listing by id with its profile and the viewer's disclosure, in one query; 404 when
    absent."""
    accepted: ColumnElement[bool] = false()
    cleared: ColumnElement[bool] = false()
    if viewer is not None:
        accepted = accepted_interest_exists(Msme.id, viewer.id).correlate(Msme)
        cleared = cleared_deal_exists(Msme.id, viewer.id).correlate(Msme)
    statement = select(Listing, Msme, accepted.label("accepted"), cleared.label("cleared"))
    statement = statement.join(Msme, Msme.id == Listing.msme_id).where(Listing.id == listing_id)
    row = (await session.execute(statement)).one_or_none()
    if row is None:
        raise ListingNotFoundError()
    return ListingForViewer(row[0], row[1], bool(row[2]), bool(row[3]))


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
