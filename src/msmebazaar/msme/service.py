"""The msme service's public face: the only module (with `schemas`) other services import.

Other services call these functions with ids and get plain data or schemas back, never models:
profiles and their figures (valuation), listing facts and public cards (match), listing
moderation (admin), and the events other services react to.
"""

from __future__ import annotations

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
from msmebazaar.msme.conflicts import CONFLICTS_PER_DAY, ConflictAllowance
from msmebazaar.msme.documents import (
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENTS_PER_PROFILE,
    MAX_PROFILE_DOCUMENT_BYTES,
    download_document,
)
from msmebazaar.msme.events import (
    IdentifierConflicted,
    InterestChanged,
    ListingChanged,
    VerificationReset,
)
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
    list_received,
    list_sent,
    send_interest,
    withdraw_interest,
)
from msmebazaar.msme.listings import create_listing, list_mine, moderate_listing, view_listing
from msmebazaar.msme.portal import (
    change_owned_profile,
    close_owned_listing,
    insider_documents,
    interest_limit_reached,
    interest_sent,
    listings_in_review,
    owned_listing,
    owned_profile,
    register_profile,
    save_financials,
    search_public_listings,
    submit_owned_listing,
    update_owned_listing,
    update_owned_profile,
    upload_owned_document,
)
from msmebazaar.msme.privacy import has_anonymous_listing, identity_visible
from msmebazaar.msme.profiles import (
    DiscoveryFilters,
    create_profile,
    discover,
    get_profile,
    list_owned,
    view_profile,
)
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

__all__ = [
    "BAND_EDGES",
    "CONFLICTS_PER_DAY",
    "LOSS_BAND",
    "MAX_DOCUMENTS_PER_PROFILE",
    "MAX_DOCUMENT_BYTES",
    "MAX_PROFILE_DOCUMENT_BYTES",
    "SECTORS",
    "YEAR_BAND_EDGES",
    "AlreadyOwnerError",
    "Classification",
    "ConflictAllowance",
    "DiscoveryFilters",
    "IdentifierConflicted",
    "IdentifierRequiredError",
    "InterestChanged",
    "ListingChanged",
    "ListingFacts",
    "ListingPage",
    "ListingStamp",
    "OfferTerms",
    "Sector",
    "VerificationNotPendingError",
    "VerificationReset",
    "active_listing_facts",
    "change_owned_profile",
    "changed_listing_facts",
    "classify_msme",
    "close_owned_listing",
    "count_documents",
    "create_listing",
    "create_profile",
    "decide_interest",
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
    "list_mine",
    "list_owned",
    "list_received",
    "list_sent",
    "listing_counts",
    "listing_facts",
    "listing_stamp",
    "listings_after",
    "listings_in_review",
    "moderate_listing",
    "money_band",
    "money_band_bounds",
    "money_band_index",
    "money_band_span",
    "open_offer",
    "owned_listing",
    "owned_profile",
    "pending_verification_count",
    "profile_counts",
    "public_listing_cards",
    "refresh_listing_figures",
    "register_profile",
    "save_financials",
    "search_public_listings",
    "seller_funnel",
    "send_interest",
    "set_owner_listings_hidden",
    "submit_owned_listing",
    "transfer_profile",
    "update_owned_listing",
    "update_owned_profile",
    "upload_owned_document",
    "verification_queue",
    "view_listing",
    "view_profile",
    "withdraw_interest",
    "years_band_bounds",
    "years_band_index",
]
