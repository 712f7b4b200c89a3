"""Asking price against the range."""

from __future__ import annotations

from decimal import Decimal

from msmebazaar.valuation.engine.compare import compare_price
from msmebazaar.valuation.texts import render


def test_price_above_the_range_says_by_how_much() -> None:
    comparison = compare_price(1_50_00_000, None, 80_00_000, 1_20_00_000)

    # 1,50,00,000 − 1,20,00,000 = 30,00,000 above; 30,00,000 / 1,20,00,000 = 25%
    assert (comparison.position, comparison.difference) == ("above", 30_00_000)
    assert comparison.difference_percent == Decimal("0.2500")
    assert render(comparison.text, "en") == (
        "The asking price ₹1.5 Cr is ₹30 L (25%) above the range."
    )


def test_price_below_the_range() -> None:
    comparison = compare_price(60_00_000, None, 80_00_000, 1_20_00_000)

    assert (comparison.position, comparison.difference) == ("below", 20_00_000)
    assert comparison.difference_percent == Decimal("0.2500")


def test_price_within_the_range() -> None:
    comparison = compare_price(1_00_00_000, None, 80_00_000, 1_20_00_000)

    assert (comparison.position, comparison.difference) == ("within", 0)


def test_a_price_for_a_stake_is_scaled_to_the_whole_business() -> None:
    # ₹30 lakh for 25% implies ₹1.2 crore for 100%: the top of the range, so within
    comparison = compare_price(30_00_000, Decimal(25), 80_00_000, 1_20_00_000)

    assert comparison.implied_value == 1_20_00_000
    assert comparison.position == "within"
