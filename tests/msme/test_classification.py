"""MSME classification: the composite limits of 2025 (S.O. 1364(E)) and 2020 (S.O. 2119(E))."""

from __future__ import annotations

from datetime import date

import pytest

from msmebazaar.msme.classification import Classification, classify_msme, rule_in_force
from msmebazaar.shared.india import CRORE

ON_2025 = date(2025, 4, 1)
ON_2024 = date(2025, 3, 31)
CR = CRORE

MICRO = Classification.MICRO
SMALL = Classification.SMALL
MEDIUM = Classification.MEDIUM
NOT_MSME = Classification.NOT_MSME
UNKNOWN = Classification.UNKNOWN


@pytest.mark.parametrize(
    ("investment", "turnover", "expected"),
    [
        (0, 0, MICRO),
        (25 * CR // 10, 10 * CR, MICRO),  # exactly ₹2.5 Cr and ₹10 Cr
        (25 * CR // 10 + 1, 10 * CR, SMALL),  # one rupee more investment
        (25 * CR // 10, 10 * CR + 1, SMALL),  # one rupee more turnover
        (25 * CR, 100 * CR, SMALL),
        (25 * CR + 1, 100 * CR, MEDIUM),
        (25 * CR, 100 * CR + 1, MEDIUM),
        (125 * CR, 500 * CR, MEDIUM),
        (125 * CR + 1, 500 * CR, NOT_MSME),
        (125 * CR, 500 * CR + 1, NOT_MSME),
        (1 * CR, 400 * CR, MEDIUM),  # composite: turnover alone decides
        (100 * CR, 1 * CR, MEDIUM),  # composite: investment alone decides
    ],
)
def test_2025_limits_at_their_boundaries(
    investment: int, turnover: int, expected: Classification
) -> None:
    assert classify_msme(investment, turnover, ON_2025) is expected


@pytest.mark.parametrize(
    ("investment", "turnover", "expected"),
    [
        (1 * CR, 5 * CR, MICRO),
        (1 * CR + 1, 5 * CR, SMALL),
        (1 * CR, 5 * CR + 1, SMALL),
        (10 * CR, 50 * CR, SMALL),
        (10 * CR + 1, 50 * CR, MEDIUM),
        (50 * CR, 250 * CR, MEDIUM),
        (50 * CR + 1, 250 * CR, NOT_MSME),
        (50 * CR, 250 * CR + 1, NOT_MSME),
    ],
)
def test_2020_limits_apply_until_31_march_2025(
    investment: int, turnover: int, expected: Classification
) -> None:
    assert classify_msme(investment, turnover, ON_2024) is expected


def test_the_same_business_moves_class_when_the_2025_limits_begin() -> None:
    # ₹2 Cr investment, ₹8 Cr turnover: small under 2020 limits, micro under 2025 ones.
    assert classify_msme(2 * CR, 8 * CR, ON_2024) is SMALL
    assert classify_msme(2 * CR, 8 * CR, ON_2025) is MICRO


@pytest.mark.parametrize(
    ("investment", "turnover", "expected"),
    [
        (None, 5 * CR, UNKNOWN),
        (1 * CR, None, UNKNOWN),
        (None, None, UNKNOWN),
        (None, 500 * CR + 1, NOT_MSME),  # no investment could make it an MSME
        (125 * CR + 1, None, NOT_MSME),
    ],
)
def test_a_missing_figure_is_unknown_unless_the_other_already_exceeds_medium(
    investment: int | None, turnover: int | None, expected: Classification
) -> None:
    assert classify_msme(investment, turnover, ON_2025) is expected


def test_the_rule_in_force_is_named_by_its_notification() -> None:
    assert rule_in_force(date(2020, 7, 1)).notification == "S.O. 2119(E)"
    assert rule_in_force(date(2026, 1, 1)).notification == "S.O. 1364(E)"


def test_no_composite_rule_before_july_2020() -> None:
    with pytest.raises(ValueError, match="no composite"):
        classify_msme(1, 1, date(2020, 6, 30))
