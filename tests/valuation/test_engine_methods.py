"""Each method pinned on worked examples computed by hand (round data: see helpers.round_raw).

Shared figures of the ₹1 crore example business (one fiscal year, 2024-25):
  revenue 1,00,00,000; EBITDA 20,00,000; owner salary 10,00,000; market wage 6,00,000
  debt 5,00,000; cash 2,00,000; total assets 60,00,000; total liabilities 30,00,000
  normalised EBITDA = 20,00,000 + (10,00,000 − 6,00,000) = 24,00,000
  size discount 40% (revenue ≤ ₹1 crore), illiquidity 25% → market factor 0.60 × 0.75 = 0.45
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from msmebazaar.valuation.engine import MethodResult, value_business
from tests.valuation.helpers import CRORE, LAKH, engine_input, round_data, year


def _method(name: str, *years: object, **fields: object) -> MethodResult:
    result = value_business(engine_input(*years, **fields), round_data())  # type: ignore[arg-type]
    return next(m for m in result.methods if m.method == name)


def _rupees(amount: Fraction) -> int:
    return round(amount)  # Python rounds half to even, as the engine does


def test_ebitda_multiple_on_normalised_ebitda_with_owner_salary_added_back() -> None:
    method = _method("ebitda_multiple", year())

    # EV = 24,00,000 × 10 × 0.45 = 1,08,00,000; equity = EV − 5,00,000 + 2,00,000
    assert method.enterprise_value == 1_08_00_000
    assert method.value == 1_05_00_000
    # ±20% on the multiple: EV 86,40,000 and 1,29,60,000, less 3,00,000 net debt
    assert (method.low, method.high) == (83_40_000, 1_26_60_000)


def test_normalised_ebitda_weights_the_latest_three_years_three_two_one() -> None:
    years = (
        year("2024-25", ebitda=30 * LAKH, owner_salary=None),
        year("2023-24", ebitda=18 * LAKH, owner_salary=None),
        year("2022-23", ebitda=12 * LAKH, owner_salary=None),
    )
    method = _method("ebitda_multiple", *years)

    # (3 × 30 + 2 × 18 + 1 × 12) / 6 = 138 / 6 = 23 lakh; EV = 23,00,000 × 10 × 0.45
    assert method.enterprise_value == 1_03_50_000


def test_revenue_method_uses_ev_sales_derived_from_the_multiple_and_typical_margin() -> None:
    method = _method("revenue_multiple", year())

    # EV/Sales = 10 × 10% = 1.0; EV = 1,00,00,000 × 1.0 × 0.45 = 45,00,000; equity − 3,00,000
    assert method.enterprise_value == 45_00_000
    assert method.value == 42_00_000
    assert method.inputs["ev_sales"] == "x:1.0000"


def test_dcf_with_steady_growth_equals_the_gordon_formula() -> None:
    method = _method("dcf", year())

    # One year of history: growth is the long-run 5% every year, so the five projected years
    # plus the terminal value collapse to Gordon from today:
    # FCF0 = 24,00,000 × (1 − 25%) × (1 − 20%) = 14,40,000
    # EV = FCF0 × 1.05 / (0.15 − 0.05) = 15,12,000 / 0.10 = 1,51,20,000
    assert method.enterprise_value == 1_51_20_000
    assert method.value == 1_48_20_000


def test_dcf_growth_fades_from_the_observed_cagr_to_long_run() -> None:
    years = (
        year("2024-25"),
        year("2023-24", revenue=80 * LAKH, ebitda=None),
        year("2022-23", revenue=64 * LAKH, ebitda=None),
    )
    method = _method("dcf", *years)

    # CAGR = (1,00,00,000 / 64,00,000)^(1/2) − 1 = 1.25 − 1 = 25% (the cap, kept)
    # growth path 25%, 20%, 15%, 10%, 5%; FCF0 = 14,40,000 (EBITDA only in the latest year)
    fcf, present = Fraction(14_40_000), Fraction(0)
    for t, g in enumerate(
        (
            Fraction(25, 100),
            Fraction(20, 100),
            Fraction(15, 100),
            Fraction(10, 100),
            Fraction(5, 100),
        ),
        start=1,
    ):
        fcf *= 1 + g  # 18,00,000; 21,60,000; 24,84,000; 27,32,400; 28,69,020
        present += fcf / Fraction(115, 100) ** t
    terminal = fcf * Fraction(105, 100) / Fraction(10, 100)  # 3,01,24,710
    ev = present + terminal / Fraction(115, 100) ** 5
    assert method.enterprise_value == _rupees(ev) == 2_27_97_732  # 12,06,00,00,000 / 529
    assert method.inputs["growth_start"] == "pct:0.2500"


def test_net_assets_counts_cash_in_full_and_haircuts_other_assets() -> None:
    method = _method("net_assets", year())

    # 2,00,000 + (60,00,000 − 2,00,000) × 0.85 − 30,00,000 = 21,30,000
    assert method.value == 21_30_000
    # haircut 30% (low) and 0% (high)
    assert (method.low, method.high) == (2_00_000 + 40_60_000 - 30_00_000, 30_00_000)


def test_base_is_the_earnings_blend_for_a_profitable_business() -> None:
    result = value_business(engine_input(year()), round_data())

    # 0.45 × 1,05,00,000 + 0.35 × 1,48,20,000 + 0.05 × 42,00,000 + 0.15 × 21,30,000
    # = 47,25,000 + 51,87,000 + 2,10,000 + 3,19,500 = 1,04,41,500
    assert result.base == 1_04_41_500
    weights = {m.method: m.weight for m in result.methods}
    assert weights == {
        "ebitda_multiple": Decimal("0.45"),
        "revenue_multiple": Decimal("0.05"),
        "dcf": Decimal("0.35"),
        "net_assets": Decimal("0.15"),
    }


def test_range_and_confidence_of_the_one_year_unverified_example() -> None:
    result = value_business(engine_input(year()), round_data())

    # disagreement = 1 − 1,05,00,000 / 1,48,20,000 = 0.2915 (4 places)
    # spread = 20% + 2 missing years × 6% + 4% unverified + 0 incomplete + 6% × 0.2915
    #        = 0.20 + 0.12 + 0.04 + 0.01749 = 0.3775 (4 places)
    assert result.spread == Decimal("0.3775")
    # low = 1,04,41,500 × 0.6225 = 64,99,833.75; high = × 1.3775 = 1,43,83,166.25
    assert (result.low, result.high) == (64_99_834, 1_43_83_166)
    # confidence = 0.30 × 1 + 0.25 × 1/3 + 0 verified + 0 documents + 0.20 × (1 − 0.2915)
    #            = 0.30 + 0.08333 + 0.1417 = 0.5250 → 0.53 (two places, half even: 0.52503)
    assert result.confidence == Decimal("0.53")


def test_loss_making_business_skips_ebitda_and_dcf_and_leans_on_revenue_and_assets() -> None:
    result = value_business(engine_input(year(ebitda=-5 * LAKH)), round_data())

    methods = {m.method: m for m in result.methods}
    # normalised EBITDA = −5,00,000 + 4,00,000 add-back = −1,00,000 ≤ 0
    assert not methods["ebitda_multiple"].available
    assert not methods["dcf"].available
    assert methods["dcf"].explanation.key == "m.skipped_ebitda_nonpositive"
    # 0.5 × 42,00,000 + 0.5 × 21,30,000 = 31,65,000
    assert result.base == 31_65_000
    assert result.method_mix == "net_assets+revenue_multiple"


def test_thin_margin_uses_revenue_and_assets_when_they_support_more() -> None:
    result = value_business(engine_input(year(ebitda=1 * LAKH, owner_salary=None)), round_data())

    # earnings blend: EBITDA 1,00,000 → 4,50,000 EV (1,50,000 equity), DCF 6,30,000 EV
    # (3,30,000 equity): 0.45 × 1,50,000 + 0.35 × 3,30,000 + 0.05 × 42,00,000
    # + 0.15 × 21,30,000 = 67,500 + 1,15,500 + 2,10,000 + 3,19,500 = 7,12,500
    # revenue-and-assets blend: 31,65,000, larger, so it is used
    assert result.base == 31_65_000
    assert {m.method: m.weight_reason.key for m in result.methods if m.weight_reason}[
        "revenue_multiple"
    ] == "w.revenue_assets_thin"


def test_floor_applies_when_net_assets_exceed_the_blend() -> None:
    rich = year(total_assets=5 * CRORE, total_liabilities=50 * LAKH)
    result = value_business(engine_input(rich), round_data())

    # floor = 2,00,000 + 4,98,00,000 × 0.85 − 50,00,000 = 3,75,30,000
    # earnings blend = 47,25,000 + 51,87,000 + 2,10,000 + 0.15 × 3,75,30,000 = 1,57,51,500
    assert result.floor == 3_75_30_000
    assert result.base == 3_75_30_000
    assert result.low == 3_75_30_000  # the low end never goes below the floor
    assert {m.method: m.weight for m in result.methods}["net_assets"] == 1


def test_equity_is_never_negative_when_debt_swamps_the_business() -> None:
    result = value_business(
        engine_input(year(debt=50 * CRORE, total_liabilities=51 * CRORE)), round_data()
    )

    assert result.floor == 0
    assert (result.low, result.base) == (0, 0)
    assert result.high >= 0


def test_thin_industry_falls_back_and_lowers_confidence() -> None:
    data = round_data()
    thin = value_business(engine_input(year(), sector="dairy_beverages"), data)

    # Beverage (Soft) has 5 firms (< 10): Food Processing is used instead, and says so
    assert "a.industry_fallback" in [text.key for text in thin.assumptions]
    resolved = data.resolve_multiple("dairy_beverages")
    assert (resolved.requested_industry, resolved.industry) == (
        "Beverage (Soft)",
        "Food Processing",
    )


def test_outlier_multiples_are_capped() -> None:
    resolved = round_data().resolve_multiple("restaurants")

    # Restaurant/Dining: 104.11× for positive-EBITDA firms, capped at 20×
    assert resolved.multiple == Decimal("104.11")
    assert resolved.capped_multiple == Decimal("20.00")
