"""The msme service's public face: the one way in to profiles and listings for the API's
routes, the portal, the WhatsApp bot and other services (the only module, with `schemas`, that
another package imports).

Its operations take ids and the acting principal and check permission inside, through
`access.py` (where each rule lives), then call the module that does the work; the rest are the
names other services use (facts, figures, stats, events), re-exported and listed in `__all__`.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.service import Principal
from msmebazaar.msme import access, documents, financials, listings, profiles, search
from msmebazaar.msme.bands import (
    BAND_EDGES,
    LOSS_BAND,
    YEAR_BAND_EDGES,
    money_band,
    money_band_bounds,
    money_band_index,
    money_band_span,
    years_band_bounds,
    years_band_index,
)
from msmebazaar.msme.classification import Classification, classify_msme
from msmebazaar.msme.conflicts import CONFLICTS_PER_DAY, ConflictAllowance, keeping_conflicts
from msmebazaar.msme.deals import (
    accept_nda,
    all_deals,
    close_deal,
    deal_funnel,
    deals_of_interests,
    list_deals,
    list_messages,
    nda_of,
    read_deal,
    send_message,
)
from msmebazaar.msme.diligence import (
    access_log,
    deal_documents,
    download_document,
    open_deal_document,
)
from msmebazaar.msme.documents import (
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENTS_PER_PROFILE,
    MAX_PROFILE_DOCUMENT_BYTES,
)
from msmebazaar.msme.events import (
    DealNoticeDue,
    IdentifierConflicted,
    InterestChanged,
    ListingChanged,
    VerificationReset,
)
from msmebazaar.msme.exceptions import MsmeNotFoundError
from msmebazaar.msme.facts import (
    ListingFacts,
    ListingStamp,
    OfferTerms,
    active_listing_facts,
    changed_listing_facts,
    count_documents,
    listing_facts,
    listing_stamp,
    open_offer,
    public_listing_cards,
)
from msmebazaar.msme.financials import get_financials, refresh_listing_figures
from msmebazaar.msme.interests import (
    decide_interest,
    interest_limit_reached,
    list_received,
    list_sent,
    live_interest,
    send_interest,
    withdraw_interest,
)
from msmebazaar.msme.listings import (
    create_listing,
    list_mine,
    listings_in_review,
    moderate_listing,
    view_listing,
)
from msmebazaar.msme.offers import decide_offer, list_offers, make_offer, withdraw_offer
from msmebazaar.msme.privacy import has_anonymous_listing, identity_visible
from msmebazaar.msme.profiles import (
    DiscoveryFilters,
    create_profile,
    discover,
    get_profile,
    list_owned,
    view_profile,
)
from msmebazaar.msme.schemas.documents import DocumentKind, DocumentRead
from msmebazaar.msme.schemas.financials import FIGURE_NAMES, FinancialsInput, FinancialsRead
from msmebazaar.msme.schemas.interests import InterestRead
from msmebazaar.msme.schemas.listings import ListingRead, ListingSearch, ListingUpdate
from msmebazaar.msme.schemas.profiles import MsmeCreate, MsmeRead, MsmeUpdate
from msmebazaar.msme.search import ListingPage
from msmebazaar.msme.sectors import SECTORS, Sector, get_sector
from msmebazaar.msme.stats import (
    interest_counts,
    interests_after,
    listing_counts,
    listings_after,
    profile_counts,
    seller_funnel,
)
from msmebazaar.msme.verification import (
    AlreadyOwnerError,
    IdentifierRequiredError,
    VerificationNotPendingError,
    decide_verification,
    identifier_checks,
    pending_verification_count,
    set_owner_listings_hidden,
    transfer_profile,
    verification_queue,
)
from msmebazaar.shared.db import Database
from msmebazaar.shared.exceptions import AppError
from msmebazaar.shared.pagination import PageParams
from msmebazaar.shared.storage import Storage

# --------------------------------------------------------------------------- profiles


async def owned_profile(session: AsyncSession, user: Principal, msme_id: uuid.UUID) -> MsmeRead:
    """A profile the caller owns (or any, for admins); 403 or 404 otherwise."""
    return MsmeRead.model_validate(await access.owned_profile(session, user, msme_id))


async def update_owned_profile(
    session: AsyncSession,
    user: Principal,
    msme_id: uuid.UUID,
    data: MsmeUpdate,
    *,
    allowance: ConflictAllowance | None = None,
) -> MsmeRead:
    """Change a profile the caller owns within the caller's unit of work (the portal's form,
    which commits a refused change's audit events itself)."""
    msme = await access.owned_profile(session, user, msme_id)
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
    `register_profile`."""
    async with database.session("PATCH /msmes/{msme_id}") as session:
        outcome = await keeping_conflicts(
            session,
            lambda: update_owned_profile(session, user, msme_id, data, allowance=allowance),
        )
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
    """Store a fiscal year's figures of a profile the caller owns; True when the year was new."""
    msme = await access.owned_profile(session, user, msme_id)
    return await financials.upsert_financials(session, msme, fiscal_year, data)


# --------------------------------------------------------------------------- documents


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
    """Add a document to a profile the caller owns, within the caller's unit of work: the same
    size, file-type and quota checks as `store_owned_document`."""
    msme = await access.owned_profile(session, user, msme_id)
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
            msme = await access.owned_profile(session, user, msme_id)
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
    msme = await access.insider_profile(session, user, msme_id)
    return await documents.list_documents(session, msme.id, params)


# --------------------------------------------------------------------------- listings


async def owned_listing(
    session: AsyncSession, user: Principal, listing_id: uuid.UUID
) -> ListingRead:
    """A listing the caller owns (or any, for admins), every field; 403 or 404 otherwise."""
    return ListingRead.model_validate(await access.owned_listing(session, user, listing_id))


async def update_owned_listing(
    session: AsyncSession, user: Principal, listing_id: uuid.UUID, changes: ListingUpdate
) -> ListingRead:
    """Change a draft or rejected listing the caller owns."""
    listing = await access.owned_listing(session, user, listing_id)
    return await listings.update_listing(session, listing, changes)


async def submit_owned_listing(
    session: AsyncSession, user: Principal, listing_id: uuid.UUID
) -> ListingRead:
    """Send a listing the caller owns to the admins for review."""
    listing = await access.owned_listing(session, user, listing_id)
    return await listings.submit_listing(session, listing)


async def close_owned_listing(
    session: AsyncSession, user: Principal, listing_id: uuid.UUID
) -> ListingRead:
    """Close a listing the caller owns."""
    listing = await access.owned_listing(session, user, listing_id)
    return await listings.close_listing(session, listing)


async def search_public_listings(
    session: AsyncSession, filters: ListingSearch, params: PageParams
) -> search.ListingPage:
    """`GET /listings`: the filters checked (422 naming each bad one), then one page of cards."""
    return await search.search_listings(session, search.checked_search(filters), params)


async def interest_sent(
    session: AsyncSession, buyer_id: uuid.UUID, listing_id: uuid.UUID
) -> InterestRead | None:
    """The buyer's live interest in a listing, if any: after a withdrawal they may send again."""
    interest = await live_interest(session, buyer_id, listing_id)
    return None if interest is None else InterestRead.model_validate(interest)


__all__ = [
    "BAND_EDGES",
    "CONFLICTS_PER_DAY",
    "FIGURE_NAMES",
    "LOSS_BAND",
    "MAX_DOCUMENTS_PER_PROFILE",
    "MAX_DOCUMENT_BYTES",
    "MAX_PROFILE_DOCUMENT_BYTES",
    "SECTORS",
    "YEAR_BAND_EDGES",
    "AlreadyOwnerError",
    "Classification",
    "ConflictAllowance",
    "DealNoticeDue",
    "DiscoveryFilters",
    "IdentifierConflicted",
    "IdentifierRequiredError",
    "InterestChanged",
    "ListingChanged",
    "ListingFacts",
    "ListingPage",
    "ListingStamp",
    "MsmeNotFoundError",
    "OfferTerms",
    "Sector",
    "VerificationNotPendingError",
    "VerificationReset",
    "accept_nda",
    "access_log",
    "active_listing_facts",
    "all_deals",
    "change_owned_profile",
    "changed_listing_facts",
    "classify_msme",
    "close_deal",
    "close_owned_listing",
    "count_documents",
    "create_listing",
    "create_profile",
    "deal_documents",
    "deal_funnel",
    "deals_of_interests",
    "decide_interest",
    "decide_offer",
    "decide_verification",
    "discover",
    "download_document",
    "get_financials",
    "get_profile",
    "get_sector",
    "has_anonymous_listing",
    "identifier_checks",
    "identity_visible",
    "insider_documents",
    "interest_counts",
    "interest_limit_reached",
    "interest_sent",
    "interests_after",
    "list_deals",
    "list_messages",
    "list_mine",
    "list_offers",
    "list_owned",
    "list_received",
    "list_sent",
    "listing_counts",
    "listing_facts",
    "listing_stamp",
    "listings_after",
    "listings_in_review",
    "make_offer",
    "moderate_listing",
    "money_band",
    "money_band_bounds",
    "money_band_index",
    "money_band_span",
    "nda_of",
    "open_deal_document",
    "open_offer",
    "owned_listing",
    "owned_profile",
    "pending_verification_count",
    "profile_counts",
    "public_listing_cards",
    "read_deal",
    "refresh_listing_figures",
    "register_profile",
    "save_financials",
    "search_public_listings",
    "seller_funnel",
    "send_interest",
    "send_message",
    "set_owner_listings_hidden",
    "store_owned_document",
    "submit_owned_listing",
    "transfer_profile",
    "update_owned_listing",
    "update_owned_profile",
    "upload_owned_document",
    "verification_queue",
    "view_listing",
    "view_profile",
    "withdraw_interest",
    "withdraw_offer",
    "years_band_bounds",
    "years_band_index",
]
