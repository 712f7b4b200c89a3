"""Properties of the engine over generated businesses (hypothesis), on the shipped data file."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from msmebazaar.valuation.data import load_data
from msmebazaar.valuation.engine import EngineInput, EngineResult, YearFigures, value_business
from msmebazaar.valuation.engine.private import multiples_at

DATA = load_data()
SECTORS = sorted(DATA.sectors)
LAKH = 100_000


@st.composite
def businesses(
    draw: st.DrawFn, *, salary: bool = True, years: int | None = None, debt_share: int = 100
) -> EngineInput:
    """1–5 consecutive fiscal years of a business between ₹10 lakh and ₹400 crore revenue."""
    count = years or draw(st.integers(1, 5))
    revenue = draw(st.integers(10 * LAKH, 40_000 * LAKH))
    margin = draw(st.integers(-20, 40))
    rows = []
    for back in range(count):
        start = 2024 - back
        growth = draw(st.integers(-10, 40))
        year_revenue = max(1, revenue * 100 // (100 + growth) ** 1 if back else revenue)
        assets = draw(st.integers(0, 2 * year_revenue))
        cash = draw(st.integers(0, assets))
        rows.append(
            YearFigures(
                fiscal_year=f"{start}-{(start + 1) % 100:02d}",
                revenue=year_revenue,
                ebitda=year_revenue * margin // 100,
                net_profit=year_revenue * margin // 200,
                total_assets=assets,
                total_liabilities=draw(st.integers(0, assets)),
                cash=cash,
                debt=draw(st.integers(0, year_revenue * debt_share // 100)),
                owner_salary=draw(st.integers(0, 50 * LAKH)) if salary else None,
            )
        )
        revenue = year_revenue
    return EngineInput(
        sector=draw(st.sampled_from(SECTORS)),
        years=tuple(rows),
        verified=draw(st.booleans()),
        financial_documents=draw(st.integers(0, 3)),
    )


def _value(inputs: EngineInput) -> EngineResult:
    return value_business(inputs, DATA)


def _latest_changed(inputs: EngineInput, **changes: Any) -> EngineInput:
    latest = max(inputs.years, key=lambda year: year.fiscal_year)
    years = tuple(dataclasses.replace(y, **changes) if y is latest else y for y in inputs.years)
    return dataclasses.replace(inputs, years=years)


def _every_year(inputs: EngineInput, change: object) -> EngineInput:
    return dataclasses.replace(inputs, years=tuple(change(y) for y in inputs.years))  # type: ignore[operator]


@settings(deadline=None)  # the machine is shared: timing is not the property
@given(businesses())
def test_low_base_high_are_ordered_and_confidence_is_a_share(inputs: EngineInput) -> None:
    result = _value(inputs)

    assert 0 <= result.low <= result.base <= result.high
    assert Decimal(0) <= result.confidence <= Decimal(1)
    assert sum(m.weight for m in result.methods) == 1


@settings(deadline=None)  # the machine is shared: timing is not the property
@given(businesses())
def test_base_never_falls_below_the_floor_of_net_assets_or_zero(inputs: EngineInput) -> None:
    result = _value(inputs)

    assert result.floor >= 0
    assert result.low >= result.floor
    assert result.base >= result.floor


@settings(deadline=None)  # the machine is shared: timing is not the property
@given(businesses(), st.integers(1, 100 * LAKH))
def test_value_rises_with_ebitda(inputs: EngineInput, extra: int) -> None:
    def richer(year: YearFigures) -> YearFigures:
        ebitda = min((year.ebitda or 0) + extra, year.revenue)
        return dataclasses.replace(year, ebitda=ebitda)

    assert _value(_every_year(inputs, richer)).base >= _value(inputs).base


@settings(deadline=None)  # the machine is shared: timing is not the property
@given(businesses(), st.integers(101, 300))
def test_value_rises_with_revenue(inputs: EngineInput, percent: int) -> None:
    def bigger(year: YearFigures) -> YearFigures:
        return dataclasses.replace(year, revenue=year.revenue * percent // 100)

    assert _value(_every_year(inputs, bigger)).base >= _value(inputs).base


@settings(deadline=None)  # the machine is shared: timing is not the property
@given(businesses(), st.integers(1, 100 * LAKH))
def test_value_rises_with_cash(inputs: EngineInput, extra: int) -> None:
    latest = max(inputs.years, key=lambda year: year.fiscal_year)
    richer = _latest_changed(
        inputs, cash=(latest.cash or 0) + extra, total_assets=(latest.total_assets or 0) + extra
    )

    assert _value(richer).base >= _value(inputs).base


# From ₹2: every method loses the added debt in full, so the blend falls by at least ₹2 and
# survives rounding to whole rupees (₹1 can vanish in half-to-even rounding).
@settings(deadline=None)  # the machine is shared: timing is not the property
@given(businesses(), st.integers(2, 100 * LAKH))
def test_value_falls_with_debt(inputs: EngineInput, extra: int) -> None:
    latest = max(inputs.years, key=lambda year: year.fiscal_year)
    indebted = _latest_changed(
        inputs,
        debt=(latest.debt or 0) + extra,
        total_liabilities=(latest.total_liabilities or 0) + extra,
    )
    before, after = _value(inputs), _value(indebted)

    assert after.base <= before.base
    if after.base > after.floor:  # above the floor, debt comes off rupee for rupee or more
        assert after.base < before.base


def _largest_size_step() -> Decimal:
    """The most the typical private-market multiple rises when profit doubles (sampled finely
    across every group's bands): the evidence says bigger businesses sell for more per rupee
    of profit (₹10 lakh at 2–3×, ₹1 crore at 3.5–5×), so doubling may more than double."""
    market = DATA.private_market
    assert market is not None
    steps = [
        multiples_at(group, profit * 2).typical / multiples_at(group, profit).typical
        for group in market.groups.values()
        for profit in (Decimal(LAKH) * Decimal("1.05") ** k for k in range(160))
    ]
    return max(steps)


SIZE_STEP = _largest_size_step()


# Owner salary is left out here: the market wage is a fixed setting, so doubling a salary just
# above it more than doubles the add-back (correctly) and the ratio says nothing about scale.
# Debt is kept under 2% of revenue: with heavy debt equity is a thin residual that magnifies
# the size effect on purpose, and small private businesses sell for about 0.2–0.6× revenue,
# so 2% of revenue is already up to a tenth of their enterprise value.
@given(businesses(salary=False, debt_share=2))
@settings(max_examples=200, deadline=None)
def test_doubling_every_figure_gives_about_double_the_value(inputs: EngineInput) -> None:
    figures = (
        "revenue",
        "ebitda",
        "net_profit",
        "total_assets",
        "total_liabilities",
        "cash",
        "debt",
    )

    def doubled(year: YearFigures) -> YearFigures:
        changes: dict[str, Any] = {
            name: None if getattr(year, name) is None else 2 * getattr(year, name)
            for name in figures
        }
        return dataclasses.replace(year, **changes)

    before, after = _value(inputs).base, _value(_every_year(inputs, doubled)).base
    if before >= LAKH:  # below a lakh, rupee rounding dominates the ratio
        # Each value is rounded to the rupee: half a rupee either way moves the ratio this much.
        slack = Decimal(2) / Decimal(before)
        ratio = Decimal(after) / Decimal(before)
        assert Decimal("1.7") - slack <= ratio <= Decimal("2.1") * SIZE_STEP + slack


@settings(deadline=None)  # the machine is shared: timing is not the property
@given(businesses(years=3))
def test_three_complete_years_on_a_verified_profile_keep_high_within_1_8_times_low(
    inputs: EngineInput,
) -> None:
    result = _value(dataclasses.replace(inputs, verified=True))

    assert result.spread <= Decimal(2) / Decimal(7)
    if result.low > 0:
        assert Decimal(result.high) / Decimal(result.low) <= Decimal("1.8")


@settings(deadline=None)  # the machine is shared: timing is not the property
@given(businesses(years=3))
def test_the_range_widens_as_history_thins_out(inputs: EngineInput) -> None:
    ordered = sorted(inputs.years, key=lambda year: year.fiscal_year, reverse=True)
    spreads = [
        _value(dataclasses.replace(inputs, years=tuple(ordered[:count]))).spread
        for count in (3, 2, 1)
    ]

    assert spreads[0] < spreads[1] < spreads[2] or spreads[2] == DATA.parameters.range["max_spread"]


@settings(deadline=None)  # the machine is shared: timing is not the property
@given(businesses())
def test_same_inputs_give_the_same_answer(inputs: EngineInput) -> None:
    assert _value(inputs) == _value(inputs)


def test_same_inputs_give_the_same_answer_in_another_process() -> None:
    inputs = EngineInput(
        sector="engineering",
        years=(
            YearFigures(
                "2024-25",
                12_34_56_789,
                1_23_45_678,
                61_72_839,
                None,
                None,
                9_87_65_432,
                4_32_10_987,
                55_55_555,
                1_11_11_111,
                18_00_000,
            ),
            YearFigures("2023-24", 10_01_01_010, 99_99_999),
        ),
        verified=True,
    )
    script = (
        "import json,sys;from msmebazaar.valuation.engine import *;"
        "from msmebazaar.valuation.engine.types import EngineInput as E;"
        "from msmebazaar.valuation.data import load_data;"
        "r=value_business(E.from_json(json.loads(sys.argv[1])),load_data());"
        "print(json.dumps([r.low,r.base,r.high,str(r.confidence),[m.value for m in r.methods]]))"
    )
    env = os.environ | {"PYTHONHASHSEED": "12345"}
    output = subprocess.run(  # noqa: S603 - our own interpreter and a constant script
        [sys.executable, "-c", script, json.dumps(inputs.to_json())],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    here = _value(inputs)

    assert json.loads(output) == [
        here.low,
        here.base,
        here.high,
        str(here.confidence),
        [m.value for m in here.methods],
    ]
