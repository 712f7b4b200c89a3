"""Id-based entry points for callers outside the HTTP routers (the web portal), and for the
routes whose unit of work must commit even when they answer an error.

The routers load a profile or listing through chained dependencies (`dependencies.py`,
`listing_access.py`); these functions do the same checks from plain ids, then call the same
domain functions, so a page and an API call can never disagree on who may do what.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.service import Principal
from msmebazaar.msme import documents, financials, listings, profiles, search
from msmebazaar.msme.cards import build_detail
from msmebazaar.msme.conflicts import ConflictAllowance, keeping_conflicts
from msmebazaar.msme.exceptions import MsmeNotFoundError
from msmebazaar.msme.interests import MAX_INTERESTS_PER_BUYER_PER_LISTING, live_interest
from msmebazaar.msme.listing_access import check_can_change, get_listing
from msmebazaar.msme.models import Interest, Listing, Msme
from msmebazaar.msme.privacy import identity_visible, is_insider, profile_visible
from msmebazaar.msme.repository import get_live_msme
from msmebazaar.msme.schemas.documents import DocumentKind, DocumentRead
from msmebazaar.msme.schemas.financials import FinancialsInput, FinancialsRead
from msmebazaar.msme.schemas.interests import InterestRead
from msmebazaar.msme.schemas.listings import (
    ListingDetail,
    ListingRead,
    ListingSearch,
    ListingUpdate,
)
from msmebazaar.msme.schemas.profiles import MsmeCreate, MsmeRead, MsmeUpdate
from msmebazaar.shared.db import Database
from msmebazaar.shared.exceptions import AppError, PermissionDeniedError
from msmebazaar.shared.pagination import PageParams, paginate
from msmebazaar.shared.storage import Storage


async def _owned(session: AsyncSession, user: Principal, msme_id: uuid.UUID) -> Msme:
    """The live profile if `user` owns it or is an admin; 403 if they may only see it, else 404."""
    msme = await get_live_msme(session, msme_id)
    if is_insider(msme, user):
        return msme
    if await profile_visible(session, msme, user):
        raise PermissionDeniedError(
            "Only the profile's owner or an admin may change it.", code="MSME_FORBIDDEN"
        )
    raise MsmeNotFoundError()


async def owned_profile(session: AsyncSession, user: Principal, msme_id: uuid.UUID) -> MsmeRead:
    """A profile the caller owns (or any, for admins); 403 or 404 otherwise."""
    return MsmeRead.model_validate(await _owned(session, user, msme_id))


async def update_owned_profile(
    session: AsyncSession,
    user: Principal,
    msme_id: uuid.UUID,
    data: MsmeUpdate,
    *,
    allowance: ConflictAllowance | None = None,
) -> MsmeRead:
    """`PATCH /msmes/{id}` by id within the caller's unit of work (the portal's form, which
    commits its savepoint-refused changes' events itself): change a profile the caller owns."""
    msme = await _owned(session, user, msme_id)
    return await profiles.update_profile(session, msme, user, data, allowance=allowance)


async def register_profile(
    database: Database, allowance: ConflictAllowance, owner: Principal, data: MsmeCreate
) -> MsmeRead:
    """`POST /msmes` in a unit of work of its own: a claim of another profile's identifier is
    refused (409, or 429 past the daily allowance), yet its audit event is still committed,
    which a request's unit (rolled back with the error) would lose."""
    async with database.session("POST /msmes") as session:
        outcome = await keeping_conflicts(
            session, lambda: profiles.create_profile(session, owner, data, allowance=allowance)
        )
    if isinstance(outcome, AppError):
        raise outcome
    return outcome


async def change_owned_profile(
    database: Database,
    allowance: ConflictAllowance,
    user: Principal,
    msme_id: uuid.UUID,
    data: MsmeUpdate,
) -> MsmeRead:
    """`PATCH /msmes/{id}` in a unit of work of its own, for the same reason as
    `register_profile`: 404/403 as the dependencies answer, then the change."""
    async with database.session("PATCH /msmes/{msme_id}") as session:

        async def change() -> MsmeRead:
            msme = await _owned(session, user, msme_id)
            return await profiles.update_profile(session, msme, user, data, allowance=allowance)

        outcome = await keeping_conflicts(session, change)
    if isinstance(outcome, AppError):
        raise outcome
    return outcome


async def save_financials(
    session: AsyncSession,
    user: Principal,
    msme_id: uuid.UUID,
    fiscal_year: str,
    data: FinancialsInput,
) -> tuple[FinancialsRead, bool]:
    """`PUT /msmes/{id}/financials/{year}` by id; True when the year was new."""
    msme = await _owned(session, user, msme_id)
    return await financials.upsert_financials(session, msme, fiscal_year, data)


async def upload_owned_document(
    session: AsyncSession,
    storage: Storage,
    user: Principal,
    msme_id: uuid.UUID,
    *,
    kind: DocumentKind,
    filename: str | None,
    data: bytes,
) -> documents.Uploaded:
    """`POST /msmes/{id}/documents` by id: the same size, file-type and quota checks."""
    msme = await _owned(session, user, msme_id)
    upload = documents.Upload(kind=kind, filename=filename, data=data)
    return await documents.upload_document(session, storage, msme, user, upload)


async def store_owned_document(
    database: Database,
    storage: Storage,
    user: Principal,
    msme_id: uuid.UUID,
    upload: documents.Upload,
) -> documents.Uploaded:
    """`POST /msmes/{id}/documents` in a unit of work of its own, so that a file stored for a
    row whose commit then fails is deleted again: no refused upload stays in storage."""
    stored: documents.Uploaded | None = None
    try:
        async with database.session("POST /msmes/{msme_id}/documents") as session:
            msme = await _owned(session, user, msme_id)
            stored = await documents.upload_document(session, storage, msme, user, upload)
    except BaseException:
        if stored is not None and stored.created:
            await storage.delete(documents.storage_key(msme_id, stored.document.id))
        raise
    return stored


async def insider_documents(
    session: AsyncSession, user: Principal, msme_id: uuid.UUID, params: PageParams
) -> tuple[list[DocumentRead], int]:
    """A profile's documents for its owner, admins and accepted buyers; 404 for anyone else."""
    msme = await get_live_msme(session, msme_id)
    visible = await profile_visible(session, msme, user)
    if not visible or not await identity_visible(session, msme, user):
        raise MsmeNotFoundError()
    return await documents.list_documents(session, msme.id, params)


async def owned_listing(
    session: AsyncSession, user: Principal, listing_id: uuid.UUID
) -> ListingRead:
    """A listing the caller owns (or any, for admins), every field; 403 or 404 otherwise."""
    listing = await get_listing(session, listing_id)
    check_can_change(listing, user)
    return ListingRead.model_validate(listing)


async def update_owned_listing(
    session: AsyncSession, user: Principal, listing_id: uuid.UUID, changes: ListingUpdate
) -> ListingRead:
    """`PATCH /listings/{id}` by id."""
    listing = await get_listing(session, listing_id)
    check_can_change(listing, user)
    return await listings.update_listing(session, listing, changes)


async def submit_owned_listing(
    session: AsyncSession, user: Principal, listing_id: uuid.UUID
) -> ListingRead:
    """`POST /listings/{id}/submit` by id."""
    listing = await get_listing(session, listing_id)
    check_can_change(listing, user)
    return await listings.submit_listing(session, listing)


async def close_owned_listing(
    session: AsyncSession, user: Principal, listing_id: uuid.UUID
) -> ListingRead:
    """`POST /listings/{id}/close` by id."""
    listing = await get_listing(session, listing_id)
    check_can_change(listing, user)
    return await listings.close_listing(session, listing)


async def search_public_listings(
    session: AsyncSession, filters: ListingSearch, params: PageParams
) -> search.ListingPage:
    """`GET /listings`: the filters checked (422 naming each bad one), then one page of cards."""
    return await search.search_listings(session, search.checked_search(filters), params)


async def listings_in_review(
    session: AsyncSession, params: PageParams
) -> tuple[list[ListingDetail], int]:
    """Submitted listings waiting for an admin, oldest first, each with its full card (admins
    see the identity) for the moderation queue."""
    statement = (
        select(Listing)
        .where(Listing.status == "submitted")
        .order_by(Listing.submitted_at.asc(), Listing.id)
    )
    rows, total = await paginate(session, statement, params)
    profiles = {
        row.id: row
        for row in await session.scalars(
            select(Msme).where(Msme.id.in_([listing.msme_id for listing in rows]))
        )
    }
    return [build_detail(listing, profiles[listing.msme_id]) for listing in rows], total


async def interest_sent(
    session: AsyncSession, buyer_id: uuid.UUID, listing_id: uuid.UUID
) -> InterestRead | None:
    """The buyer's live interest in a listing, if any: after a withdrawal they may send again."""
    interest = await live_interest(session, buyer_id, listing_id)
    return None if interest is None else InterestRead.model_validate(interest)


async def interest_limit_reached(
    session: AsyncSession, buyer_id: uuid.UUID, listing_id: uuid.UUID
) -> bool:
    """Whether the buyer has sent as many interests in the listing as one buyer may."""
    # The same count `send_interest` refuses at: withdrawn interests are counted too.
    sent = await session.scalar(
        select(func.count())
        .select_from(Interest)
        .where(Interest.listing_id == listing_id, Interest.buyer_id == buyer_id)
    )
    return (sent or 0) >= MAX_INTERESTS_PER_BUYER_PER_LISTING
