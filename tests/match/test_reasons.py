"""Reasons in plain words, in English and Hindi, without exact private figures."""

from __future__ import annotations

from msmebazaar.match.engine import explain, money_range
from tests.match.helpers import PARAMS, facts, score_one, terms


def _reasons(language: str = "en", cosine: float = float("nan"), **changes: object) -> list[str]:
    mandate = terms(**{k: v for k, v in changes.items() if k in _MANDATE_FIELDS})
    listing = facts(**{k: v for k, v in changes.items() if k not in _MANDATE_FIELDS})
    breakdown = score_one(mandate, listing, cosine=cosine).breakdown(0)
    return explain(mandate, listing, breakdown, language, PARAMS)


_MANDATE_FIELDS = {"sectors", "states", "ticket_min", "ticket_max", "revenue_min", "thesis"}


def test_sector_reason_says_whether_it_is_listed_or_related() -> None:
    assert "Sector: Food Processing, in the mandate's list" in _reasons()
    assert "Sector: Dairy and Beverages, related to the mandate's sectors" in _reasons(
        sector="dairy_beverages"
    )


def test_ticket_reason_quotes_the_price_and_the_range() -> None:
    reasons = _reasons(asking_price=2_40_00_000, ticket_min=1_00_00_000, ticket_max=5_00_00_000)

    assert "Asking ₹2.4 Cr, inside ₹1–5 Cr" in reasons


def test_ticket_reason_names_the_tolerance_when_just_outside() -> None:
    reasons = _reasons(asking_price=5_30_00_000, ticket_min=1_00_00_000, ticket_max=5_00_00_000)

    assert "Asking ₹5.3 Cr, within 10% of ₹1–5 Cr" in reasons


def test_geography_reason_names_a_neighbouring_state() -> None:
    assert "Location: Gujarat, next to the mandate's states" in _reasons(state="Gujarat")


def test_revenue_reason_gives_the_band_not_the_figure() -> None:
    reasons = _reasons(revenue=8_30_00_000, revenue_min=5_00_00_000)

    assert "Revenue ₹5–10 Cr, inside at least ₹5 Cr" in reasons
    assert not any("8.3" in reason for reason in reasons)


def test_profit_age_verification_and_semantic_reasons() -> None:
    reasons = _reasons(thesis="snacks", cosine=0.5, ebitda=1_20_00_000, year_established=2012)

    assert "Profitable: EBITDA ₹1–2 Cr" in reasons
    assert "In business for 10–20 years" in reasons
    assert "Verified business profile" in reasons
    assert "Description closely matches the thesis" in reasons


def test_reasons_in_hindi() -> None:
    reasons = _reasons(
        "hi", asking_price=2_40_00_000, ticket_min=1_00_00_000, ticket_max=5_00_00_000
    )

    assert "क्षेत्र: खाद्य प्रसंस्करण, मैंडेट की सूची में" in reasons
    assert "मांगी गई कीमत ₹2.4 करोड़, ₹1–5 करोड़ के भीतर" in reasons


def test_neutral_criteria_give_no_reason() -> None:
    reasons = _reasons(sectors=frozenset(), states=frozenset())

    assert not any(reason.startswith(("Sector", "Location")) for reason in reasons)


def test_heaviest_criteria_come_first() -> None:
    assert _reasons()[0].startswith("Sector")


def test_money_range_one_sided() -> None:
    assert money_range(1_00_00_000, None, "en") == "at least ₹1 Cr"
    assert money_range(None, 50_00_000, "en") == "up to ₹50 L"
