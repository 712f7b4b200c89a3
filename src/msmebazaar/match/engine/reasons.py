"""Reasons in plain words for one scored pair, in the caller's language (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from msmebazaar.match.engine.scoring import ScoringParams
from msmebazaar.match.engine.tables import MandateTerms
from msmebazaar.match.taxonomy import NEIGHBOURS, RELATED_SECTORS
from msmebazaar.match.texts import REASONS
from msmebazaar.msme.service import ListingFacts, get_sector, money_band
from msmebazaar.shared.india import format_inr_short

STRONG_SEMANTIC: Final = 0.7
PARTIAL_SEMANTIC: Final = 0.4
_YEAR_BANDS: Final = (
    (3, "years.under_3"),
    (5, "years.3_5"),
    (10, "years.5_10"),
    (20, "years.10_20"),
)


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
    if facts.revenue is None:
        return REASONS.text("revenue.unknown", language)
    wanted = money_range(terms.revenue_min, terms.revenue_max, language)
    inside = (terms.revenue_min is None or facts.revenue >= terms.revenue_min) and (
        terms.revenue_max is None or facts.revenue <= terms.revenue_max
    )
    key = "revenue.inside" if inside else "revenue.outside"
    return REASONS.text(key, language, band=money_band(facts.revenue), range=wanted)


def _profitability(facts: ListingFacts, language: str) -> str:
    if facts.ebitda is None:
        return REASONS.text("profit.unknown", language)
    if facts.ebitda <= 0:
        return REASONS.text("profit.loss", language)
    return REASONS.text("profit.positive", language, band=money_band(facts.ebitda))


def _age(facts: ListingFacts, language: str, current_year: int) -> str:
    if facts.year_established is None:
        return REASONS.text("age.unknown", language)
    years = current_year - facts.year_established
    band = next((key for limit, key in _YEAR_BANDS if years < limit), "years.over_20")
    return REASONS.text("age.years", language, years=REASONS.text(band, language))


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
