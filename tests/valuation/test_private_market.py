"""The private-market calibration (data from 2026.12.1): values land where small private
businesses of that size and sector actually sell, and the explanation says so."""

from __future__ import annotations

import copy
import dataclasses
import itertools
from decimal import Decimal

import pytest

from msmebazaar.valuation.data import (
    PrivateMarket,
    ValuationData,
    load_data,
    parse_data,
    raw_data,
)
from msmebazaar.valuation.engine import EngineInput, EngineResult, YearFigures, value_business
from msmebazaar.valuation.engine.private import multiples_at
from msmebazaar.valuation.texts import render
from tests.valuation.helpers import CRORE, LAKH, LISTED_VERSION


def _market(data: ValuationData) -> PrivateMarket:
    assert data.private_market is not None
    return data.private_market


DATA = load_data()
MARKET = _market(DATA)

# Profit sizes × sectors: manufacturing, trade, services and software, two codes each.
SIZES = (10 * LAKH, 25 * LAKH, 50 * LAKH, 1 * CRORE, 2 * CRORE, 5 * CRORE, 10 * CRORE)
GRID_SECTORS = {
    "manufacturing": ("engineering", "food_processing"),
    "trade": ("retail", "wholesale_distribution"),
    "services": ("business_services", "restaurants"),
    "software": ("software", "it_services"),
}


def steady_business(
    sector: str, profit: int, growth: Decimal | None = None, owner_salary: int | None = None
) -> EngineInput:
    """Three verified, documented years with the same profit, revenue at the sector's typical
    margin growing at `growth` (default: long-run growth, what a typical multiple assumes),
    no debt or cash (so equity equals enterprise value) and net assets of about a year's
    profit (so the grid pins the earnings evidence, not the asset floor); an owner's salary,
    if any, in the latest year only."""
    rate = DATA.parameters.long_run_growth if growth is None else growth
    margin = DATA.sectors[sector].typical_ebitda_margin
    years = []
    for back in range(3):
        revenue = int(Decimal(profit) / margin / (1 + rate) ** back)
        start = 2024 - back
        years.append(
            YearFigures(
                fiscal_year=f"{start}-{(start + 1) % 100:02d}",
                revenue=revenue,
                ebitda=profit,
                net_profit=profit // 2,
                total_assets=2 * profit,
                total_liabilities=profit,
                cash=0,
                debt=0,
            )
        )
    years[0] = dataclasses.replace(years[0], owner_salary=owner_salary)
    return EngineInput(sector=sector, years=tuple(years), verified=True, financial_documents=2)


def _value(inputs: EngineInput) -> EngineResult:
    return value_business(inputs, DATA)


def _multiple(result: EngineResult, profit: int) -> Decimal:
    return Decimal(result.base) / Decimal(profit)


GRID = [
    (group, sector, profit)
    for group, sectors in GRID_SECTORS.items()
    for sector in sectors
    for profit in SIZES
]


@pytest.mark.parametrize(("group", "sector", "profit"), GRID)
def test_the_base_multiple_lies_within_the_cited_range_for_its_size_and_sector(
    group: str, sector: str, profit: int
) -> None:
    result = _value(steady_business(sector, profit))

    found = multiples_at(MARKET.group_of(sector), Decimal(profit))
    assert MARKET.sector_groups[sector] == group
    assert found.low <= _multiple(result, profit) <= found.high
    # The range's middle half covers what such a business typically sells for.
    typical_value = found.typical * profit
    quarter = (result.high - result.low) / Decimal(4)
    assert result.low + quarter <= typical_value <= result.high - quarter


def test_the_grid_of_base_multiples_rises_with_size_in_every_sector() -> None:
    for sectors in GRID_SECTORS.values():
        for sector in sectors:
            multiples = [_multiple(_value(steady_business(sector, p)), p) for p in SIZES]
            # Flat bands may give way by rounding only (a millionth of a multiple).
            assert all(b >= a - Decimal("0.001") for a, b in itertools.pairwise(multiples))


@pytest.mark.parametrize(
    ("sector", "revenue", "ebitda"),
    [
        ("food_processing", 4_50_00_000, 55_00_000),
        ("textiles", 10_00_00_000, 90_00_000),
        ("software", 3_00_00_000, 60_00_000),
        ("retail", 60_00_000, 10_00_000),
        ("engineering", 50_00_00_000, 6_00_00_000),
    ],
)
def test_the_businesses_of_the_issue_are_valued_at_two_to_five_times_profit(
    sector: str, revenue: int, ebitda: int
) -> None:
    # Three years, no debt, no cash, as a new owner would try it (previously 7.4–12.0×).
    years = tuple(
        YearFigures(f"{2024 - back}-{(25 - back) % 100:02d}", revenue, ebitda) for back in range(3)
    )
    result = _value(EngineInput(sector=sector, years=years))

    assert Decimal(2) <= _multiple(result, ebitda) <= Decimal(5)


def test_owner_operated_business_is_valued_on_owners_earnings_with_the_whole_salary() -> None:
    inputs = steady_business("engineering", 40 * LAKH, owner_salary=12 * LAKH)

    result = _value(inputs)

    assert result.evidence is not None
    # SDE weighted 3:2:1 = 40 lakh + 3/6 × 12 lakh (salary only in the latest year)
    assert result.evidence["basis"] == "sde"
    assert result.evidence["profit"] == 46 * LAKH
    assert _value(inputs).base > _value(steady_business("engineering", 40 * LAKH)).base


def test_a_missing_owner_salary_is_taken_as_nil_and_the_assumption_says_so() -> None:
    result = _value(steady_business("retail", 20 * LAKH))

    keys = [text.key for text in result.assumptions]
    assert "a.owner_salary_missing" in keys
    assert result.evidence is not None
    assert result.evidence["profit"] == 20 * LAKH


def test_larger_business_is_valued_on_ebitda_with_salary_above_a_market_wage() -> None:
    wage = DATA.parameters.market_wage
    inputs = steady_business("engineering", 3 * CRORE)
    salaried = steady_business("engineering", 3 * CRORE, owner_salary=wage + 30 * LAKH)

    plain, paid = _value(inputs), _value(salaried)

    assert plain.evidence is not None
    assert paid.evidence is not None
    assert plain.evidence["basis"] == paid.evidence["basis"] == "ebitda"
    # Only the salary above the market wage is added back, in the latest year (weight 3 of 6).
    assert paid.evidence["profit"] - plain.evidence["profit"] == 15 * LAKH


def test_value_never_drops_where_owners_earnings_cross_the_threshold() -> None:
    threshold = MARKET.owner_operated_below
    salary = 20 * LAKH
    values = [
        _value(steady_business("business_services", ebitda, owner_salary=salary)).base
        for ebitda in range(threshold - salary - 5 * LAKH, threshold + 5 * LAKH, LAKH)
    ]

    assert values == sorted(values)


def test_the_dcf_of_a_business_growing_at_long_run_equals_the_typical_multiple() -> None:
    profit = 60 * LAKH
    result = _value(steady_business("software", profit))

    dcf = next(m for m in result.methods if m.method == "dcf")
    typical = multiples_at(MARKET.group_of("software"), Decimal(profit)).typical
    assert dcf.enterprise_value is not None
    # The implied rate is rounded to 0.01%, and revenue growth to 0.01%.
    assert abs(Decimal(dcf.enterprise_value) / (typical * profit) - 1) < Decimal("0.01")


def test_faster_growth_raises_the_value_through_the_dcf_and_the_text_says_why() -> None:
    steady = _value(steady_business("software", 60 * LAKH))
    fast = _value(steady_business("software", 60 * LAKH, growth=Decimal("0.20")))

    assert fast.base > steady.base
    assert fast.assumptions[0].key == "a.evidence_faster"
    assert steady.assumptions[0].key == "a.evidence_steady"


def test_listed_multiples_move_the_confidence_but_never_the_base() -> None:
    raw = copy.deepcopy(raw_data())
    raw["industries"]["Machinery"]["ev_ebitda_positive"] = "4.00"  # far below its market
    cheap = parse_data(raw)
    inputs = steady_business("engineering", 80 * LAKH)

    usual, disagreeing = _value(inputs), value_business(inputs, cheap)

    assert disagreeing.base == usual.base
    assert (disagreeing.low, disagreeing.high) == (usual.low, usual.high)
    assert disagreeing.confidence < usual.confidence
    assert disagreeing.confidence_parts["cross_check"] == "0.0000"
    assert any(text.key == "a.cross_check_disagree" for text in disagreeing.assumptions)


def test_no_size_or_illiquidity_discount_is_taken_off_private_market_multiples() -> None:
    result = _value(steady_business("retail", 30 * LAKH))

    assert result.size_discount == result.illiquidity_discount == 0


@pytest.mark.parametrize("language", ["en", "hi"])
def test_the_explanation_names_the_evidence_and_how_this_business_compares(
    language: str,
) -> None:
    result = _value(steady_business("engineering", 1 * CRORE))

    summary, size = (render(text, language) for text in result.assumptions[:2])
    assert result.evidence is not None
    implied = Decimal(result.evidence["base_multiple"])
    assert f"{implied}×" in summary
    if language == "en":
        assert "usually sell for 3.5–5.0×" in summary
        assert "manufacturing" in summary
        assert "Buy a Business India" in size
    else:
        assert "आमतौर पर" in summary
        assert "विनिर्माण" in summary
        assert "स्रोत" in size


def test_the_listed_data_version_still_values_on_listed_multiples_less_discounts() -> None:
    listed = load_data(LISTED_VERSION)
    inputs = steady_business("engineering", 1 * CRORE)

    result = value_business(inputs, listed)

    assert listed.private_market is None
    assert result.evidence is None
    assert result.illiquidity_discount == listed.parameters.illiquidity_discount
    assert result.assumptions[0].key == "a.multiples_source"
    assert result.data_version == LISTED_VERSION
    assert result.base > _value(inputs).base  # the over-valuation this calibration fixes
