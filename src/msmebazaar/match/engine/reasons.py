"""Reasons in plain words for one scored pair, in the caller's language (pure, no I/O).

Revenue, EBITDA and age are quoted as bands and judged by band (DESIGN.md §3, "Bands hold
everywhere"): a revenue range is quoted widened to whole bands, so a reason never carries an
exact figure or a range narrower than a band, whatever the mandate asked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from msmebazaar.match.engine.scoring import ScoringParams
from msmebazaar.match.engine.tables import MandateTerms
from msmebazaar.match.taxonomy import NEIGHBOURS, RELATED_SECTORS
from msmebazaar.match.texts import REASONS
from msmebazaar.msme.service import (
    LOSS_BAND,
    ListingFacts,
    get_sector,
    money_band,
    money_band_bounds,
    money_band_index,
    money_band_span,
    years_band_bounds,
    years_band_index,
)
from msmebazaar.shared.india import format_inr_short

STRONG_SEMANTIC: Final = 0.7
PARTIAL_SEMANTIC: Final = 0.4


def money_range(low: int | None, high: int | None, language: str) -> str:
    """A rupee range in lakh/crore: "₹1–5 Cr", "at least ₹1 Cr", "up to ₹5 Cr"."""
    if low is not None and high is not None:
        low_text, high_text = format_inr_short(low, language), format_inr_short(high, language)
        if low_text.rsplit(" ", 1)[-1] == high_text.rsplit(" ", 1)[-1]:
            low_text = low_text.rsplit(" ", 1)[0]  # "₹1–5 Cr" rather than "₹1 Cr–₹5 Cr"
        return REASONS.text(
            "range.between", language, low=low_text, high=high_text.removeprefix("₹")
        )
    if low is not None:
        return REASONS.text("range.at_least", language, low=format_inr_short(low, language))
    return REASONS.text("range.up_to", language, high=format_inr_short(high or 0, language))


def _sector(terms: MandateTerms, facts: ListingFacts, language: str) -> str:
    sector = get_sector(facts.sector)
    name = facts.sector if sector is None else (sector.name_hi if language == "hi" else sector.name)
    if facts.sector in terms.sectors:
        return REASONS.text("sector.listed", language, sector=name)
    related = RELATED_SECTORS.get(facts.sector, frozenset()) & terms.sectors
    key = "sector.related" if related else "sector.other"
    return REASONS.text(key, language, sector=name)


def _geography(terms: MandateTerms, facts: ListingFacts, language: str) -> str:
    if facts.state in terms.states:
        key = "state.listed"
    elif NEIGHBOURS.get(facts.state, frozenset()) & terms.states:
        key = "state.neighbour"
    else:
        key = "state.other"
    return REASONS.text(key, language, state=facts.state)


def _ticket(terms: MandateTerms, facts: ListingFacts, language: str, tolerance: float) -> str:
    price = format_inr_short(facts.asking_price, language)
    wanted = money_range(terms.ticket_min, terms.ticket_max, language)
    low_ok = terms.ticket_min is None or facts.asking_price >= terms.ticket_min
    high_ok = terms.ticket_max is None or facts.asking_price <= terms.ticket_max
    if low_ok and high_ok:
        return REASONS.text("ticket.inside", language, price=price, range=wanted)
    percent = round(tolerance * 100)
    return REASONS.text("ticket.near", language, price=price, range=wanted, tolerance=percent)


def _revenue(terms: MandateTerms, facts: ListingFacts, language: str) -> str:
    band = money_band_index(facts.revenue)
    if band is None:
        return REASONS.text("revenue.unknown", language)
    # The range widened to whole bands: "inside" means the band overlaps it (as in scoring).
    span_low, span_high = money_band_span(terms.revenue_min, terms.revenue_max)
    low, high = money_band_bounds(band)
    inside = (span_low is None or high is None or high > span_low) and (
        span_high is None or low is None or low < span_high
    )
    wanted = money_range(span_low, span_high, language)
    key = "revenue.inside" if inside else "revenue.outside"
    return REASONS.text(key, language, band=money_band(facts.revenue), range=wanted)


def _profitability(facts: ListingFacts, language: str) -> str:
    band = money_band_index(facts.ebitda)
    if band is None:
        return REASONS.text("profit.unknown", language)
    if band == LOSS_BAND:
        return REASONS.text("profit.loss", language)
    # The lowest band starts at zero: it cannot say "profitable" of a business at break-even.
    key = "profit.break_even" if money_band_bounds(band)[0] == 0 else "profit.positive"
    return REASONS.text(key, language, band=money_band(facts.ebitda))


def years_band_text(band: int, language: str) -> str:
    """A year band in words: "under 3", "3–5", "20 and over"."""
    low, high = years_band_bounds(band)
    if high is None:
        return REASONS.text("years.at_least", language, low=low)
    if not low:
        return REASONS.text("years.under", language, high=high)
    return REASONS.text("years.between", language, low=low, high=high)


def _age(facts: ListingFacts, language: str, current_year: int) -> str:
    year = facts.year_established
    band = years_band_index(None if year is None else current_year - year)
    if band is None:
        return REASONS.text("age.unknown", language)
    return REASONS.text("age.years", language, years=years_band_text(band, language))


def _semantic(value: float, language: str) -> str:
    if value >= STRONG_SEMANTIC:
        return REASONS.text("semantic.strong", language)
    if value >= PARTIAL_SEMANTIC:
        return REASONS.text("semantic.partial", language)
    return REASONS.text("semantic.weak", language)


def explain(
    terms: MandateTerms,
    facts: ListingFacts,
    breakdown: dict[str, float],
    language: str,
    params: ScoringParams,
) -> list[str]:
    """One reason per criterion that applies to the pair, the heaviest-weighted first."""
    writers: dict[str, Callable[[], str]] = {
        "sector": lambda: _sector(terms, facts, language),
        "semantic": lambda: _semantic(breakdown["semantic"], language),
        "ticket": lambda: _ticket(terms, facts, language, params.ticket_tolerance),
        "geography": lambda: _geography(terms, facts, language),
        "revenue": lambda: _revenue(terms, facts, language),
        "profitability": lambda: _profitability(facts, language),
        "verification": lambda: REASONS.text(
            "verified.yes" if facts.verified else "verified.no", language
        ),
        "age": lambda: _age(facts, language, params.current_year),
    }
    order = sorted(breakdown, key=lambda name: -params.weights.get(name, 0.0))
    return [writers[name]() for name in order if name in writers]
