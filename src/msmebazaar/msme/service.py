"""The msme service's public face: the only module (with `schemas`) other services import.

Other services call these functions with ids and get plain data or schemas back, never models:
profiles and their figures (valuation), listing facts and public cards (match), listing
moderation (admin), and the events other services react to.
"""

from __future__ import annotations

from msmebazaar.msme.cards import money_band
from msmebazaar.msme.classification import Classification, classify_msme
from msmebazaar.msme.events import InterestChanged, ListingChanged
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
from msmebazaar.msme.listings import moderate_listing
from msmebazaar.msme.privacy import has_anonymous_listing, identity_visible
from msmebazaar.msme.profiles import get_profile
from msmebazaar.msme.sectors import SECTORS, Sector, get_sector

__all__ = [
    "SECTORS",
    "Classification",
    "InterestChanged",
    "ListingChanged",
    "ListingFacts",
    "ListingStamp",
    "OfferTerms",
    "Sector",
    "active_listing_facts",
    "changed_listing_facts",
    "classify_msme",
    "count_documents",
    "get_financials",
    "get_profile",
    "get_sector",
    "has_anonymous_listing",
    "identity_visible",
    "listing_facts",
    "listing_stamp",
    "moderate_listing",
    "money_band",
    "open_offer",
    "public_listing_cards",
    "refresh_listing_figures",
]
