"""The scoring engine: hard filters, weighted criteria (each 0–1), a 0–100 score and a grade.

Pure: NumPy over the tables of `tables.py`, no I/O. One call scores one mandate against many
listings (`mandate=row, listing=slice(None)`) or one listing against many mandates (the other
way round): every formula is written once, element-wise, and broadcasting does the rest.

Criteria, each in [0, 1] (NaN = neutral: the mandate leaves it open, and its weight drops out):
- sector: 1 listed, 0.5 in a related group, 0 otherwise; neutral with no sectors listed.
- geography: 1 a listed state, 0.6 a neighbour, 0.15 elsewhere; neutral with no states listed.
- ticket: 1 at the centre of the range, falling to 0.5 at its edges; 0.25 inside the tolerance
  band outside the range; 1 inside a one-sided range; neutral with no range.
- revenue: 1 when the revenue band overlaps the range, else the ratio of the band's midpoint to
  the nearer bound; 0.3 unknown; neutral without a range.
- profitability: the margin of the EBITDA band's midpoint to the revenue band's, 0.4 for
  break-even rising to 1 at 20%; 0 for the loss-making band; 0.3 unknown.
- age: the year band's midpoint over 15 years, capped at 1; 0.3 unknown.
- verification: 1 for a verified profile, 0 otherwise.
- semantic: cosine similarity of thesis and description, rescaled by the embedder's typical
  range; neutral without a thesis or a stored vector.

Hard filters (a pair failing one never appears): deal type, ticket size (asking price within the
range widened by the tolerance, ±10% by default), excluded sectors, `ebitda_positive_only`
(the loss-making band and unknown EBITDA fail), `min_years` (passes when the year band reaches
it; unknown age fails) and the stake range (a full sale is 100%; a debt deal has no stake and
passes). Inactive listings never enter the tables.

Bands hold everywhere (DESIGN.md §3): revenue, EBITDA and age enter filters and criteria only
through their bands (`msme.service`'s band tables), so every listing of one band gets the same
values and no mandate, however narrow, ranks or filters inside a band.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import numpy as np

from msmebazaar.match.engine.tables import Bools, Floats, ListingTable, MandateTable
from msmebazaar.msme.service import (
    BAND_EDGES,
    LOSS_BAND,
    YEAR_BAND_EDGES,
    money_band_bounds,
    years_band_bounds,
)

CRITERIA: Final = (
    "sector",
    "semantic",
    "ticket",
    "geography",
    "revenue",
    "profitability",
    "verification",
    "age",
)
FILTERS: Final = ("deal_type", "ticket", "excluded_sector", "ebitda_positive", "min_years", "stake")
SCORE_FLOOR: Final = 40.0
GRADES: Final = ((80.0, "excellent"), (60.0, "good"), (40.0, "fair"))

UNKNOWN_SCORE: Final = 0.3
NEAR_TICKET_SCORE: Final = 0.25
FULL_MARGIN: Final = 0.20
FULL_AGE_YEARS: Final = 15.0

Index = int | slice


def _band_table(bounds: list[tuple[int | None, int | None]]) -> tuple[Floats, Floats, Floats]:
    """Low, high and midpoint of each band (an open top band's midpoint is its low edge)."""
    low = np.array([-np.inf if lo is None else lo for lo, _ in bounds], np.float64)
    high = np.array([np.inf if hi is None else hi for _, hi in bounds], np.float64)
    middle = np.where(np.isinf(high), low, np.where(np.isinf(low), 0.0, (low + high) / 2))
    return low, high, middle


# Money bands by `band - LOSS_BAND` (row 0 is the loss-making band); year bands by band.
_MONEY_LOW, _MONEY_HIGH, _MONEY_MIDDLE = _band_table(
    [money_band_bounds(band) for band in range(LOSS_BAND, len(BAND_EDGES))]
)
_, _YEARS_HIGH, _YEARS_MIDDLE = _band_table(
    [years_band_bounds(band) for band in range(len(YEAR_BAND_EDGES))]
)


def _money_band(band: Floats, column: Floats) -> Floats:
    """`column` (one of the money band tables) at each band; NaN for an unknown band."""
    rows = np.nan_to_num(band, nan=0.0).astype(np.int64) - LOSS_BAND
    return np.where(np.isnan(band), np.nan, column[rows])


def _years_band(years: Floats, column: Floats) -> Floats:
    """`column` (one of the year band tables) at the band of each age; NaN when unknown."""
    known = np.nan_to_num(years, nan=0.0)
    rows = np.clip(np.searchsorted(YEAR_BAND_EDGES, known, side="right") - 1, 0, None)
    return np.where(np.isnan(years), np.nan, column[rows])


@dataclass(frozen=True)
class ScoringParams:
    """Settings the engine needs: weights, the ticket tolerance, the year, the cosine range."""

    weights: dict[str, float]
    ticket_tolerance: float = 0.10
    current_year: int = 2026
    semantic_range: tuple[float, float] = (0.0, 0.6)


@dataclass(frozen=True)
class Scores:
    """Scores of a set of pairs: filters passed, total 0–100, and each criterion (NaN neutral)."""

    passed: Bools
    total: Floats
    criteria: dict[str, Floats]
    filters: dict[str, Bools] = field(default_factory=dict)

    def breakdown(self, position: int) -> dict[str, float]:
        """The criteria of one pair that apply to it, rounded to two decimals."""
        values = {name: float(self.criteria[name][position]) for name in CRITERIA}
        return {name: round(value, 2) for name, value in values.items() if not np.isnan(value)}


def grade(score: float) -> str | None:
    """`excellent` ≥ 80, `good` ≥ 60, `fair` ≥ 40; `None` below the floor (not shown)."""
    for floor, name in GRADES:
        if score >= floor:
            return name
    return None


def _isnan(values: Floats | float) -> Bools:
    return np.isnan(np.asarray(values, np.float64))


def _filters(
    m: MandateTable, mi: Index, t: ListingTable, li: Index, params: ScoringParams
) -> dict[str, Bools]:
    price, tol = t.price[li], params.ticket_tolerance
    low, high = m.ticket_min[mi], m.ticket_max[mi]
    years = params.current_year - t.year[li]
    stake, stake_min, stake_max = t.stake[li], m.stake_min[mi], m.stake_max[mi]
    return {
        "deal_type": m.deal_ok[mi, t.deal[li]],
        "ticket": (_isnan(low) | (price >= low * (1 - tol)))
        & (_isnan(high) | (price <= high * (1 + tol))),
        "excluded_sector": ~m.excluded[mi, t.sector[li]],
        # Bands overlapping the asked range pass: EBITDA above zero, age from `min_years` up.
        "ebitda_positive": ~m.ebitda_positive_only[mi] | (t.ebitda_band[li] > LOSS_BAND),
        "min_years": _isnan(m.min_years[mi]) | (_years_band(years, _YEARS_HIGH) > m.min_years[mi]),
        "stake": _isnan(stake)
        | ((_isnan(stake_min) | (stake >= stake_min)) & (_isnan(stake_max) | (stake <= stake_max))),
    }


def hard_filters(
    mandates: MandateTable,
    mandate: Index,
    listings: ListingTable,
    listing: Index,
    params: ScoringParams,
) -> Bools:
    """Which pairs pass every hard filter (cheap: lets a caller skip work on the others)."""
    checks = _filters(mandates, mandate, listings, listing, params)
    return np.asarray(np.logical_and.reduce([checks[name] for name in FILTERS]), np.bool_)


def _ticket(price: Floats, low: Floats, high: Floats) -> Floats:
    both = ~_isnan(low) & ~_isnan(high)
    inside = (_isnan(low) | (price >= low)) & (_isnan(high) | (price <= high))
    half = (high - low) / 2
    central = np.where(half > 0, 1 - 0.5 * np.abs(price - (low + high) / 2) / half, 1.0)
    value = np.where(inside, np.where(both, central, 1.0), NEAR_TICKET_SCORE)
    return np.where(_isnan(low) & _isnan(high), np.nan, value)


def _revenue(band: Floats, low: Floats, high: Floats) -> Floats:
    middle = _money_band(band, _MONEY_MIDDLE)
    below = ~_isnan(low) & (_money_band(band, _MONEY_HIGH) <= low)
    above = ~_isnan(high) & (_money_band(band, _MONEY_LOW) > high)
    under = np.where(low > 0, middle / low, 0.0)
    ratio = np.where(below, under, np.where(above, high / middle, 1.0))
    value = np.where(_isnan(band), UNKNOWN_SCORE, np.clip(ratio, 0.0, 1.0))
    return np.where(_isnan(low) & _isnan(high), np.nan, value)


def _profitability(ebitda_band: Floats, revenue_band: Floats) -> Floats:
    revenue = _money_band(revenue_band, _MONEY_MIDDLE)
    margin = np.clip(_money_band(ebitda_band, _MONEY_MIDDLE) / revenue / FULL_MARGIN, 0.0, 1.0)
    positive = np.where(revenue > 0, 0.4 + 0.6 * margin, 0.6)
    loss = ebitda_band == LOSS_BAND
    return np.where(_isnan(ebitda_band), UNKNOWN_SCORE, np.where(loss, 0.0, positive))


def _age(years: Floats) -> Floats:
    middle = _years_band(years, _YEARS_MIDDLE)
    return np.where(_isnan(years), UNKNOWN_SCORE, np.clip(middle / FULL_AGE_YEARS, 0.0, 1.0))


def _criteria(
    m: MandateTable, mi: Index, t: ListingTable, li: Index, *, cosine: Floats, params: ScoringParams
) -> dict[str, Floats]:
    years = params.current_year - t.year[li]
    low, high = params.semantic_range
    semantic = np.clip((cosine - low) / (high - low), 0.0, 1.0)
    return {
        "sector": m.sector_score[mi, t.sector[li]],
        "semantic": np.where(m.has_thesis[mi], semantic, np.nan),
        "ticket": _ticket(t.price[li], m.ticket_min[mi], m.ticket_max[mi]),
        "geography": m.state_score[mi, t.state[li]],
        "revenue": _revenue(t.revenue_band[li], m.revenue_min[mi], m.revenue_max[mi]),
        "profitability": _profitability(t.ebitda_band[li], t.revenue_band[li]),
        "verification": np.where(t.verified[li], 1.0, 0.0),
        "age": _age(years),
    }


def score_pairs(
    mandates: MandateTable,
    mandate: Index,
    listings: ListingTable,
    listing: Index,
    *,
    cosine: Floats,
    params: ScoringParams,
) -> Scores:
    """Score mandate row(s) `mandate` against listing row(s) `listing`; one side must be a row.

    `cosine` holds the raw cosine similarity of each pair's texts (NaN when unknown).
    """
    shape = np.broadcast_shapes(
        np.shape(listings.price[listing]), np.shape(mandates.ticket_min[mandate]), np.shape(cosine)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        checks = _filters(mandates, mandate, listings, listing, params)
        filters = {name: np.broadcast_to(value, shape) for name, value in checks.items()}
        values_by_name = _criteria(
            mandates, mandate, listings, listing, cosine=cosine, params=params
        )
        criteria = {
            name: np.broadcast_to(np.asarray(value, np.float64), shape)
            for name, value in values_by_name.items()
        }
        values = np.stack([criteria[name] for name in CRITERIA])
        weights = np.array([params.weights.get(name, 0.0) for name in CRITERIA])[:, None]
        applies = ~np.isnan(values)
        earned = (weights * np.where(applies, values, 0.0)).sum(axis=0)
        possible = (weights * applies).sum(axis=0)
        total = np.where(possible > 0, 100.0 * earned / possible, 0.0)
    passed = np.logical_and.reduce([filters[name] for name in FILTERS])
    return Scores(
        passed=passed,
        total=np.round(total, 1).astype(np.float64),
        criteria=criteria,
        filters=filters,
    )


def top(scores: Scores, limit: int) -> list[int]:
    """Positions of the best pairs that pass every filter and the score floor, best first."""
    eligible = np.flatnonzero(scores.passed & (scores.total >= SCORE_FLOOR))
    if eligible.size > limit:
        best = np.argpartition(-scores.total[eligible], limit - 1)[:limit]
        eligible = eligible[best]
    # Ties break on position, so the same data always gives the same order.
    order = np.lexsort((eligible, -scores.total[eligible]))
    return [int(position) for position in eligible[order]]
