"""The four methods. Each returns an equity value (whole rupees) with its own low/high band.

With a private-market calibration (data from 2026.12.1) the market methods apply what small
private businesses of this size and sector sell for (engine/private.py), with no further
discount, and the DCF's rate carries the small-business premium implied by the same evidence.
Without one (older data) they start from listed Indian multiples and take the size and
illiquidity discounts, and the DCF's rate carries the data file's small-company premium.
Adjusted net assets is what the balance sheet would fetch, the floor of the valuation.
"""

from __future__ import annotations

from decimal import Decimal

from msmebazaar.valuation.data import ValuationData
from msmebazaar.valuation.engine.facts import CONTEXT, ONE, ZERO, Facts, rupees
from msmebazaar.valuation.engine.private import Earnings, multiples_at, span
from msmebazaar.valuation.engine.types import (
    MethodResult,
    Params,
    Text,
    inr,
    num,
    pct,
    plain,
    times,
)


def _equity(enterprise_value: Decimal, facts: Facts) -> int:
    return rupees(enterprise_value - Decimal(facts.debt) + Decimal(facts.cash))


def market_factor(facts: Facts, data: ValuationData) -> Decimal:
    """What is left of a listed multiple after the size and illiquidity discounts."""
    return (ONE - facts.size_discount) * (ONE - data.parameters.illiquidity_discount)


def _skipped(method: str, key: str, **params: str) -> MethodResult:
    return MethodResult(method=method, available=False, explanation=Text(key, params))


def _ebitda_skip(method: str, facts: Facts) -> MethodResult | None:
    if facts.profit is None:
        return _skipped(method, "m.skipped_no_ebitda")
    if facts.profit <= 0:
        return _skipped(method, "m.skipped_ebitda_nonpositive", ebitda=inr(facts.profit))
    return None


def _private_multiple(earnings: Earnings, facts: Facts) -> MethodResult:
    """Profit × the typical multiple of its size and sector; low/high at the evidence's ends."""
    found = earnings.multiples
    ev = earnings.value * found.typical
    params = {
        "basis": f"t:basis.{earnings.basis}",
        "profit": inr(earnings.value),
        "multiple": times(found.typical),
        "group": f"t:group.{earnings.group.code}",
        "range": span(found.low, found.high),
        "ev": inr(ev),
        "debt": inr(facts.debt),
        "cash": inr(facts.cash),
    }
    return MethodResult(
        method="ebitda_multiple",
        available=True,
        value=_equity(ev, facts),
        low=_equity(earnings.value * found.low, facts),
        high=_equity(earnings.value * found.high, facts),
        enterprise_value=rupees(ev),
        inputs=params,
        explanation=Text("m.private_multiple", params),
    )


def ebitda_multiple(facts: Facts, data: ValuationData) -> MethodResult:
    """Profit × the private-market multiple; or (older data) normalised EBITDA × the sector's
    capped listed EV/EBITDA × the discounts."""
    if skipped := _ebitda_skip("ebitda_multiple", facts):
        return skipped
    if facts.earnings is not None:
        return _private_multiple(facts.earnings, facts)
    ebitda = facts.normalised_ebitda or ZERO
    multiple = facts.multiple.capped_multiple
    band = data.parameters.multiple_band
    factor = market_factor(facts, data)
    ev = ebitda * multiple * factor
    params = {
        "ebitda": inr(ebitda),
        "multiple": times(multiple),
        "industry": plain(facts.multiple.industry),
        "size": pct(facts.size_discount),
        "illiquidity": pct(data.parameters.illiquidity_discount),
        "ev": inr(ev),
        "debt": inr(facts.debt),
        "cash": inr(facts.cash),
    }
    return _market_method("ebitda_multiple", ev, band, params, facts)


def _market_method(
    method: str, ev: Decimal, band: Decimal, params: Params, facts: Facts
) -> MethodResult:
    # Both multiple methods: equity from EV, a symmetric band around it, the same explanation.
    return MethodResult(
        method=method,
        available=True,
        value=_equity(ev, facts),
        low=_equity(ev * (ONE - band), facts),
        high=_equity(ev * (ONE + band), facts),
        enterprise_value=rupees(ev),
        inputs=params | {"band": pct(band)},
        explanation=Text(f"m.{method}", params),
    )


def ev_to_sales(facts: Facts) -> Decimal:
    """Derived EV/Sales: the sector's capped EV/EBITDA × its assumed typical EBITDA margin."""
    return facts.multiple.capped_multiple * facts.mapping.typical_ebitda_margin


def _private_revenue(facts: Facts, data: ValuationData) -> MethodResult:
    """Revenue × the sector's typical margin = a typical profit, × the typical multiple for it."""
    market = data.private_market
    assert market is not None  # noqa: S101 - the caller checked
    margin = facts.mapping.typical_ebitda_margin
    profit = Decimal(facts.revenue) * margin
    group = market.group_of(facts.mapping.code)
    multiple = multiples_at(group, profit).typical
    ev = profit * multiple
    band = data.parameters.revenue_band
    params = {
        "revenue": inr(facts.revenue),
        "margin": pct(margin),
        "profit": inr(profit),
        "multiple": times(multiple),
        "ev_sales": times(margin * multiple),
        "ev": inr(ev),
        "debt": inr(facts.debt),
        "cash": inr(facts.cash),
    }
    return MethodResult(
        method="revenue_multiple",
        available=True,
        value=_equity(ev, facts),
        low=_equity(ev * (ONE - band), facts),
        high=_equity(ev * (ONE + band), facts),
        enterprise_value=rupees(ev),
        inputs=params | {"band": pct(band)},
        explanation=Text("m.private_revenue", params),
    )


def revenue_multiple(facts: Facts, data: ValuationData) -> MethodResult:
    """Revenue × EV/Sales derived from the sector's typical margin (no India EV/Sales dataset
    was available): at the private-market multiple, or (older data) at the listed one less
    the discounts."""
    if facts.revenue <= 0:
        return _skipped("revenue_multiple", "m.skipped_no_revenue")
    if data.private_market is not None:
        return _private_revenue(facts, data)
    multiple = ev_to_sales(facts)
    band = data.parameters.revenue_band
    ev = Decimal(facts.revenue) * multiple * market_factor(facts, data)
    params = {
        "revenue": inr(facts.revenue),
        "ev_sales": times(multiple),
        "multiple": times(facts.multiple.capped_multiple),
        "margin": pct(facts.mapping.typical_ebitda_margin),
        "size": pct(facts.size_discount),
        "illiquidity": pct(data.parameters.illiquidity_discount),
        "ev": inr(ev),
        "debt": inr(facts.debt),
        "cash": inr(facts.cash),
    }
    return _market_method("revenue_multiple", ev, band, params, facts)


def growth_path(facts: Facts, data: ValuationData) -> list[Decimal]:
    """Year-by-year growth: the observed CAGR in year 1 fading linearly to long-run growth."""
    p = data.parameters
    start = p.long_run_growth if facts.cagr is None else facts.cagr
    steps = p.projection_years - 1
    return [
        start + (p.long_run_growth - start) * CONTEXT.divide(Decimal(t), Decimal(steps))
        for t in range(p.projection_years)
    ]


def dcf_enterprise_value(
    fcf0: Decimal, growth: list[Decimal], rate: Decimal, long_run: Decimal
) -> tuple[Decimal, Decimal, Decimal]:
    """(EV, present value of the projected years, present value of the Gordon terminal value)."""
    fcf, present = fcf0, ZERO
    for year, g in enumerate(growth, start=1):
        fcf = fcf * (ONE + g)
        present += CONTEXT.divide(fcf, (ONE + rate) ** year)
    terminal = CONTEXT.divide(fcf * (ONE + long_run), rate - long_run)
    terminal_pv = CONTEXT.divide(terminal, (ONE + rate) ** len(growth))
    return present + terminal_pv, present, terminal_pv


def dcf(facts: Facts, data: ValuationData) -> MethodResult:
    """Five years of free cash flow, growth fading to long-run, plus a Gordon terminal value."""
    if skipped := _ebitda_skip("dcf", facts):
        return skipped
    p = data.parameters
    fcf0 = (facts.profit or ZERO) * (ONE - p.tax_rate) * (ONE - p.reinvestment_rate)
    growth = growth_path(facts, data)
    rate = p.discount_rate if facts.earnings is None else facts.earnings.rate
    points = p.discount_rate_points
    ev, present, terminal = dcf_enterprise_value(fcf0, growth, rate, p.long_run_growth)
    low, _, _ = dcf_enterprise_value(fcf0, growth, rate + points, p.long_run_growth)
    high, _, _ = dcf_enterprise_value(fcf0, growth, rate - points, p.long_run_growth)
    params = {
        "fcf": inr(fcf0),
        "growth_start": pct(growth[0]),
        "long_run": pct(p.long_run_growth),
        "years": num(p.projection_years),
        "rate": pct(rate),
        "present": inr(present),
        "terminal": inr(terminal),
        "ev": inr(ev),
        "debt": inr(facts.debt),
        "cash": inr(facts.cash),
    }
    return MethodResult(
        method="dcf",
        available=True,
        value=_equity(ev, facts),
        low=_equity(low, facts),
        high=_equity(high, facts),
        enterprise_value=rupees(ev),
        inputs=params | {"rate_points": pct(points)},
        explanation=Text("m.dcf", params),
    )


def adjusted_net_assets(facts: Facts, haircut: Decimal) -> Decimal | None:
    """Cash at face value + other assets less a haircut − all liabilities (debt included)."""
    year = next(
        (y for y in facts.years if y.total_assets is not None and y.total_liabilities is not None),
        None,
    )
    if year is None or year.total_assets is None or year.total_liabilities is None:
        return None
    cash = Decimal(min(year.cash or 0, year.total_assets))
    others = Decimal(year.total_assets) - cash
    return cash + others * (ONE - haircut) - Decimal(year.total_liabilities)


def net_assets(facts: Facts, data: ValuationData) -> MethodResult:
    """Adjusted net assets: an equity value directly (debt is among the liabilities)."""
    p = data.parameters
    value = adjusted_net_assets(facts, p.asset_haircut)
    low = adjusted_net_assets(facts, p.asset_haircut_low)
    high = adjusted_net_assets(facts, p.asset_haircut_high)
    if value is None or low is None or high is None:
        return _skipped("net_assets", "m.skipped_no_assets")
    params = {"value": inr(value), "haircut": pct(p.asset_haircut)}
    return MethodResult(
        method="net_assets",
        available=True,
        value=rupees(value),
        low=rupees(low),
        high=rupees(high),
        inputs=params | {"haircut_low": pct(p.asset_haircut_low)},
        explanation=Text("m.net_assets", params),
    )
