"""Who may see a business's identity (DESIGN.md §3 "Public cards"); used by profiles and listings.

The identity of a business — names, identifiers, contacts — is shown to its owner, to admins, and
to buyers or investors whose interest in one of its listings was accepted. Its private data —
documents and exact figures — reaches such a buyer once their deal is cleared: both sides
accepted the deal's NDA, or the listing does not require one. Everyone else sees a profile only
while it is verified and has no anonymous listing: an anonymous listing's card must not be
linked back to the business through `GET /msmes/{id}`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import ColumnElement, Exists, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.service import Principal, UserRole
from msmebazaar.msme.models import Deal, Interest, Listing, Msme

# Listing statuses in which an anonymous listing still hides its business (a closed one no longer
# advertises anything, so the profile may be discovered again).
HIDING_STATUSES: tuple[str, ...] = ("draft", "submitted", "active", "rejected")


def is_insider(msme: Msme, viewer: Principal | None) -> bool:
    """Whether `viewer` is the profile's owner or an admin (no query needed)."""
    return viewer is not None and (viewer.role == UserRole.ADMIN or viewer.id == msme.owner_id)


def accepted_interest_exists(msme_id: object, buyer_id: uuid.UUID) -> Exists:
    """SQL `EXISTS` clause: `buyer_id` has an accepted interest in a listing of the profile."""
    return exists().where(
        Interest.listing_id == Listing.id,
        Listing.msme_id == msme_id,
        Interest.buyer_id == buyer_id,
        Interest.status == "accepted",
    )


async def has_accepted_interest(
    session: AsyncSession, msme_id: uuid.UUID, buyer_id: uuid.UUID
) -> bool:
    """Whether `buyer_id` has an accepted interest in any listing of the profile."""
    return bool(await session.scalar(select(accepted_interest_exists(msme_id, buyer_id))))


async def identity_visible(session: AsyncSession, msme: Msme, viewer: Principal | None) -> bool:
    """Whether `viewer` may see who the business is: owner, admins, accepted buyers."""
    if viewer is None:
        return False
    if is_insider(msme, viewer):
        return True
    return await has_accepted_interest(session, msme.id, viewer.id)


# A deal is cleared — its buyer may see the business's documents and exact figures — while its
# interest is still accepted, it was not closed as lost, and both sides accepted its NDA (or its
# listing does not require one). SQL conditions over `deals`, `listings` and `interests`.
CLEARED_DEAL: tuple[ColumnElement[bool], ...] = (
    Listing.id == Deal.listing_id,
    Interest.id == Deal.interest_id,
    Interest.status == "accepted",
    Deal.stage != "closed_lost",
    or_(Listing.nda_required.is_(False), Deal.nda_signed_at.is_not(None)),
)


def cleared_deal_exists(msme_id: object, buyer_id: uuid.UUID) -> Exists:
    """SQL `EXISTS` clause: `buyer_id` has a cleared deal on a listing of the profile."""
    return exists().where(*CLEARED_DEAL, Listing.msme_id == msme_id, Deal.buyer_id == buyer_id)


async def deal_is_cleared(session: AsyncSession, deal_id: uuid.UUID) -> bool:
    """Whether this deal's buyer may see the business's documents and exact figures now."""
    return bool(await session.scalar(select(exists().where(*CLEARED_DEAL, Deal.id == deal_id))))


async def private_data_visible(session: AsyncSession, msme: Msme, viewer: Principal | None) -> bool:
    """Whether `viewer` may see the profile's documents and exact figures: owner, admins, and
    buyers with a cleared deal."""
    if viewer is None:
        return False
    if is_insider(msme, viewer):
        return True
    return bool(await session.scalar(select(cleared_deal_exists(msme.id, viewer.id))))


async def cleared_profiles(
    session: AsyncSession, buyer_id: uuid.UUID, msme_ids: Iterable[uuid.UUID]
) -> set[uuid.UUID]:
    """Those of `msme_ids` whose private data `buyer_id` may see through a cleared deal."""
    wanted = set(msme_ids)
    if not wanted:
        return set()
    rows = await session.scalars(
        select(Msme.id).where(Msme.id.in_(wanted), cleared_deal_exists(Msme.id, buyer_id))
    )
    return set(rows)


def anonymous_listing_exists(msme_id: object) -> Exists:
    """SQL `EXISTS` clause: the profile has a listing that hides its identity."""
    return exists().where(
        Listing.msme_id == msme_id,
        Listing.anonymous.is_(True),
        Listing.status.in_(HIDING_STATUSES),
    )


async def has_anonymous_listing(session: AsyncSession, msme_id: uuid.UUID) -> bool:
    """Whether the profile has a non-closed anonymous listing (draft/submitted/active/rejected)."""
    return bool(await session.scalar(select(anonymous_listing_exists(msme_id))))


async def profile_visible(session: AsyncSession, msme: Msme, viewer: Principal | None) -> bool:
    """Whether `viewer` may see the profile at all (`GET /msmes/{id}`); else it answers 404.

    Owners and admins always; anyone else only a verified profile that has no anonymous listing,
    unless they are an accepted buyer (who has seen the identity already).
    """
    if is_insider(msme, viewer):
        return True
    if msme.verification_status != "verified":
        return False
    if await identity_visible(session, msme, viewer):
        return True
    return not await has_anonymous_listing(session, msme.id)
