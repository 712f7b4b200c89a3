"""The match service's public face: the only module (with `schemas`) other services import."""

from __future__ import annotations

from msmebazaar.match.engine import MandateTerms, grade
from msmebazaar.match.mandates import get_mandate, list_mine
from msmebazaar.match.matching import rank_listings, rank_mandates
from msmebazaar.match.notify import notify_mandate_owners, on_listing_changed

__all__ = [
    "MandateTerms",
    "get_mandate",
    "grade",
    "list_mine",
    "notify_mandate_owners",
    "on_listing_changed",
    "rank_listings",
    "rank_mandates",
]
