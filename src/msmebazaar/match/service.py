"""The match service's public face: the only module (with `schemas`) other services import."""

from __future__ import annotations

from msmebazaar.match.engine import MandateTerms, grade
from msmebazaar.match.mandates import delete_mandate, get_mandate, list_mine
from msmebazaar.match.matching import rank_listings, rank_mandates
from msmebazaar.match.notify import notify_mandate_owners, on_listing_changed
from msmebazaar.match.portal import (
    create_mandate,
    listings_for_mandate,
    mandates_for_listing,
    update_mandate,
)
from msmebazaar.match.served import MandateCounts, ServedCounts, mandate_counts, served_counts

__all__ = [
    "MandateCounts",
    "MandateTerms",
    "ServedCounts",
    "create_mandate",
    "delete_mandate",
    "get_mandate",
    "grade",
    "list_mine",
    "listings_for_mandate",
    "mandate_counts",
    "mandates_for_listing",
    "notify_mandate_owners",
    "on_listing_changed",
    "rank_listings",
    "rank_mandates",
    "served_counts",
    "update_mandate",
]
