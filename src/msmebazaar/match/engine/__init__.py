"""The scoring engine (pure, no I/O): tables of mandates and listings, scores, reasons."""

from __future__ import annotations

from msmebazaar.match.engine.reasons import explain, money_range
from msmebazaar.match.engine.scoring import (
    CRITERIA,
    FILTERS,
    SCORE_FLOOR,
    Scores,
    ScoringParams,
    grade,
    hard_filters,
    score_pairs,
    top,
)
from msmebazaar.match.engine.tables import ListingTable, MandateTable, MandateTerms

__all__ = [
    "CRITERIA",
    "FILTERS",
    "SCORE_FLOOR",
    "ListingTable",
    "MandateTable",
    "MandateTerms",
    "Scores",
    "ScoringParams",
    "explain",
    "grade",
    "hard_filters",
    "money_range",
    "score_pairs",
    "top",
]
