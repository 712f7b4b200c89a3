"""Bands (DESIGN.md §3, "Bands hold everywhere"): the one definition of each band table.

Cards show revenue and EBITDA as money bands, and match reasons show years in business as year
bands. Every filter, sort, mandate criterion and reason on one of these figures works on its
band, never on the figure: a listing matches a range when its band overlaps the range, and a
range is quoted widened to whole bands. So no sequence of queries narrows a figure below its
band. Search (`msme/search.py`) and matching (through `msme/service.py`) both read these tables.

A band is an index: money bands `0 … len(BAND_EDGES) - 1` for amounts from zero up, plus
`LOSS_BAND` (-1) for a negative amount; year bands `0 … len(YEAR_BAND_EDGES) - 1`. Each covers
`[low, high)`, where `None` means unbounded. Migration 0010 keeps a dated copy of the money edges
in the database (`listings.revenue_band`) for sorting; a test holds the two in step.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Final

from msmebazaar.shared.india import CRORE, LAKH, format_inr_short

# Band edges in whole rupees. They follow how Indian deal makers talk about size (lakh below a
# crore, round crores above), and are fine enough that a band never spans more than ×2.5, yet
# coarse enough not to single out one business.
BAND_EDGES: Final[tuple[int, ...]] = (
    0,
    10 * LAKH,
    25 * LAKH,
    50 * LAKH,
    1 * CRORE,
    2 * CRORE,
    5 * CRORE,
    10 * CRORE,
    25 * CRORE,
    50 * CRORE,
    100 * CRORE,
    250 * CRORE,
    500 * CRORE,
)
LOSS_BAND: Final = -1
NEGATIVE_BAND: Final = "Loss-making"

# Years in business: under 3, 3–5, 5–10, 10–20, 20 and over.
YEAR_BAND_EDGES: Final[tuple[int, ...]] = (0, 3, 5, 10, 20)

Bounds = tuple[int | None, int | None]


def _unit(amount: int) -> str:
    return format_inr_short(amount).rsplit(" ", 1)[-1]


def _range_label(low: int, high: int) -> str:
    low_text, high_text = format_inr_short(low), format_inr_short(high)
    if low == 0:
        return f"Up to {high_text}"
    if _unit(low) == _unit(high):
        # "₹5 Cr" and "₹10 Cr" read as "₹5–10 Cr".
        return f"{low_text.rsplit(' ', 1)[0]}–{high_text.removeprefix('₹')}"
    return f"{low_text}–{high_text.removeprefix('₹')}"


def _band_label(index: int) -> str:
    if index == len(BAND_EDGES) - 1:
        return f"{format_inr_short(BAND_EDGES[-1])}+"
    return _range_label(BAND_EDGES[index], BAND_EDGES[index + 1])


# Rendered once: a search page shows two bands per card.
BAND_LABELS: Final[tuple[str, ...]] = tuple(_band_label(i) for i in range(len(BAND_EDGES)))


def money_band_index(amount: int | None) -> int | None:
    """The money band an amount falls in (`LOSS_BAND` below zero); `None` when unknown."""
    if amount is None:
        return None
    return bisect_right(BAND_EDGES, amount) - 1  # -1 (LOSS_BAND) for a negative amount


def money_band_bounds(index: int) -> Bounds:
    """The `[low, high)` rupees of a money band; `None` is unbounded."""
    if index == LOSS_BAND:
        return None, 0
    high = BAND_EDGES[index + 1] if index + 1 < len(BAND_EDGES) else None
    return BAND_EDGES[index], high


def money_band(amount: int | None) -> str | None:
    """The band an amount falls in, e.g. "₹5–10 Cr"; `None` when unknown."""
    index = money_band_index(amount)
    if index is None:
        return None
    return NEGATIVE_BAND if index == LOSS_BAND else BAND_LABELS[index]


def band_bounds(label: str) -> tuple[int, int | None] | None:
    """The [low, high) rupee bounds of a band label; `None` if unknown."""
    for index, low in enumerate(BAND_EDGES):
        if BAND_LABELS[index] == label:
            return low, money_band_bounds(index)[1]
    return None


def money_band_span(low: int | None, high: int | None) -> Bounds:
    """A rupee range `[low, high]` widened to whole bands, as `[low, high)`.

    An amount is inside the span exactly when its band overlaps the range, so a filter on the
    span tells apart no two amounts of one band (`None`: unbounded on that side).
    """
    span_low = None if low is None else money_band_bounds(bisect_right(BAND_EDGES, low) - 1)[0]
    span_high = None if high is None else money_band_bounds(bisect_right(BAND_EDGES, high) - 1)[1]
    return span_low, span_high


def years_band_index(years: int | None) -> int | None:
    """The year band of an age in whole years (a future founding year counts as 0)."""
    if years is None:
        return None
    return max(0, bisect_right(YEAR_BAND_EDGES, years) - 1)


def years_band_bounds(index: int) -> Bounds:
    """The `[low, high)` years of a year band; `None` is unbounded."""
    high = YEAR_BAND_EDGES[index + 1] if index + 1 < len(YEAR_BAND_EDGES) else None
    return YEAR_BAND_EDGES[index], high
