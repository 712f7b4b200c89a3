"""Pure test data for the engine: listing facts and mandate terms without a database."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import numpy as np

from msmebazaar.match.engine import (
    ListingTable,
    MandateTable,
    MandateTerms,
    Scores,
    ScoringParams,
    score_pairs,
)
from msmebazaar.msme.service import ListingFacts

WEIGHTS = {
    "sector": 25.0,
    "semantic": 30.0,
    "ticket": 15.0,
    "geography": 10.0,
    "revenue": 10.0,
    "profitability": 8.0,
    "verification": 7.0,
    "age": 5.0,
}
PARAMS = ScoringParams(weights=WEIGHTS, ticket_tolerance=0.10, current_year=2026)


def facts(**overrides: Any) -> ListingFacts:
    """An active, verified food business in Maharashtra asking ₹4 Cr, ₹8 Cr revenue."""
    fields: dict[str, Any] = {
        "id": uuid.uuid4(),
        "owner_id": uuid.uuid4(),
        "status": "active",
        "sector": "food_processing",
        "state": "Maharashtra",
        "deal_type": "full_sale",
        "asking_price": 4_00_00_000,
        "stake_percent": None,
        "revenue": 8_00_00_000,
        "ebitda": 1_20_00_000,
        "year_established": 2012,
        "verified": True,
        "headline": "Profitable snacks maker",
        "summary": "Namkeen with a distributor network.",
        "description": "",
        "updated_at": datetime(2026, 1, 1, tzinfo=UTC),
    }
    return ListingFacts(**(fields | overrides))


def terms(**overrides: Any) -> MandateTerms:
    """A mandate for food processing in Maharashtra, ₹1–10 Cr, full or stake sale."""
    fields: dict[str, Any] = {
        "id": uuid.uuid4(),
        "deal_types": frozenset({"full_sale", "stake_sale"}),
        "sectors": frozenset({"food_processing"}),
        "exclude_sectors": frozenset(),
        "states": frozenset({"Maharashtra"}),
        "ticket_min": 1_00_00_000,
        "ticket_max": 10_00_00_000,
    }
    return MandateTerms(**(fields | overrides))


def score_one(mandate: MandateTerms, listing: ListingFacts, cosine: float = float("nan")) -> Scores:
    """Score one pair (one mandate against a one-listing table)."""
    return score_pairs(
        MandateTable.of([mandate]),
        0,
        ListingTable.of([listing]),
        slice(None),
        cosine=np.array([cosine]),
        params=PARAMS,
    )


def criterion(mandate: MandateTerms, listing: ListingFacts, name: str) -> float:
    """One criterion's value for one pair (NaN when neutral)."""
    return float(score_one(mandate, listing).criteria[name][0])


def passes(mandate: MandateTerms, listing: ListingFacts) -> bool:
    """Whether the pair passes every hard filter."""
    return bool(score_one(mandate, listing).passed[0])
