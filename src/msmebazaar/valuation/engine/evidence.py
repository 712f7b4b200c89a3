"""The market evidence behind a valuation on private-market data, as stored and shown."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from msmebazaar.valuation.data import ValuationData
from msmebazaar.valuation.engine.facts import Facts
from msmebazaar.valuation.engine.private import Earnings, multiples_at, span
from msmebazaar.valuation.engine.types import Text, inr, num, pct, plain, times

MULTIPLE_STEP = Decimal("0.01")


def base_multiple(base: int, profit: Decimal) -> Decimal:
    """The base value over the profit valued, to two places (the "3.6×" people read)."""
    return (Decimal(base) / profit).quantize(MULTIPLE_STEP)


def market_evidence(facts: Facts, base: int) -> dict[str, Any] | None:
    """Group, basis, profit, the evidence's range and typical multiple, the base's own multiple
    and the listed cross-check; None on older data or without a positive profit."""
    earnings = facts.earnings
    if earnings is None or earnings.value <= 0:
        return None
    found, check = earnings.multiples, earnings.cross_check
    sources = dict.fromkeys(found.below.evidence + found.above.evidence)
    return {
        "sector_group": earnings.group.code,
        "basis": earnings.basis,
        "profit": int(earnings.value.to_integral_value()),
        "low_multiple": str(found.low),
        "typical_multiple": str(found.typical),
        "high_multiple": str(found.high),
        "base_multiple": str(base_multiple(base, earnings.value)),
        "band_from": found.below.earnings,
        "band_to": found.above.earnings,
        "sources": list(sources),
        "dcf_rate": str(earnings.rate),
        "small_business_premium": str(earnings.premium),
        "listed_multiple": str(check.listed),
        "listed_market_multiple": str(check.market),
        "cross_check": str(check.score),
    }


# Wording only: growth within two points of long-run growth reads "in line with" it.
GROWTH_IN_LINE = Decimal("0.02")


def _summary_key(facts: Facts, data: ValuationData, reason: str, floor_binds: bool) -> str:
    if floor_binds or not reason.startswith("w.earnings"):
        return "a.evidence_assets"
    if facts.cagr is None:
        return "a.evidence_one_year"
    gap = facts.cagr - data.parameters.long_run_growth
    if gap > GROWTH_IN_LINE:
        return "a.evidence_faster"
    if gap < -GROWTH_IN_LINE:
        return "a.evidence_slower"
    return "a.evidence_steady"


def _publishers(ids: tuple[str, ...], data: ValuationData) -> str:
    names = {source["id"]: source["publisher"] for source in data.sources}
    return "; ".join(dict.fromkeys(names[source] for source in ids))


def _size_text(earnings: Earnings, data: ValuationData) -> Text:
    found = earnings.multiples
    below, above = found.below, found.above
    params = {
        "group": f"t:group.{earnings.group.code}",
        "basis": f"t:basis.{earnings.basis}",
        "profit": inr(earnings.value),
        "range": span(found.low, found.high),
        "typical": times(found.typical),
        "from": inr(below.earnings),
        "from_range": span(below.low, below.high),
        "sources": plain(_publishers(below.evidence + above.evidence, data)),
    }
    if below is above:
        return Text("a.evidence_size_flat", params)
    return Text(
        "a.evidence_size",
        params | {"to": inr(above.earnings), "to_range": span(above.low, above.high)},
    )


def _profit_texts(earnings: Earnings, data: ValuationData, years: int) -> list[Text]:
    market = data.private_market
    assert market is not None  # noqa: S101 - earnings exist only on private-market data
    threshold = inr(market.owner_operated_below)
    if earnings.basis == "sde":
        texts = [
            Text(
                "a.sde",
                {
                    "threshold": threshold,
                    "sde": inr(earnings.sde),
                    "ebitda": inr(earnings.sde - earnings.owner_salary),
                    "salary": inr(earnings.owner_salary),
                    "years": num(years),
                },
            )
        ]
        if not earnings.salary_given:
            texts.append(Text("a.owner_salary_missing"))
        return texts
    wage = inr(data.parameters.market_wage)
    params = {"threshold": threshold, "ebitda": inr(earnings.ebitda), "wage": wage}
    texts = [Text("a.ebitda_basis", params | {"years": num(years)})]
    if earnings.held_at_threshold:
        texts.append(Text("a.threshold_hold", params))
    return texts


def _cross_check_text(earnings: Earnings, facts: Facts, data: ValuationData) -> Text:
    check = earnings.cross_check
    key = "a.cross_check_partly"
    if check.score == 1:
        key = "a.cross_check_agree"
    elif check.score == 0:
        key = "a.cross_check_disagree"
    updated = next(
        (s["updated"] for s in data.sources if s["id"] == "damodaran_india_ev_ebitda"), "?"
    )
    return Text(
        key,
        {
            "industry": plain(facts.multiple.industry),
            "listed": times(check.listed),
            "listed_relative": times(check.listed_relative),
            "market": times(check.market),
            "group": f"t:group.{earnings.group.code}",
            "private_relative": times(check.private_relative),
            "date": plain(updated),
        },
    )


def _no_profit_text(facts: Facts, data: ValuationData) -> Text:
    market = data.private_market
    assert market is not None  # noqa: S101 - the caller checked
    profit = Decimal(max(facts.revenue, 1)) * facts.mapping.typical_ebitda_margin
    group = market.group_of(facts.mapping.code)
    found = multiples_at(group, profit)
    basis = "sde" if profit < market.owner_operated_below else "ebitda"
    return Text(
        "a.evidence_no_profit",
        {
            "group": f"t:group.{group.code}",
            "basis": f"t:basis.{basis}",
            "range": span(found.low, found.high),
        },
    )


def private_market_texts(
    facts: Facts, data: ValuationData, base: int, reason: str, floor_binds: bool
) -> list[Text]:
    """Where the multiple comes from and how this business compares, first; then the profit
    valued, the revenue method, the listed cross-check and the absence of discounts."""
    earnings = facts.earnings
    texts: list[Text] = []
    if earnings is None or earnings.value <= 0:
        texts.append(_no_profit_text(facts, data))
        texts.append(Text("a.no_ebitda") if earnings is None else Text("a.ebitda_nonpositive"))
    else:
        found, p = earnings.multiples, data.parameters
        summary = {
            "group": f"t:group.{earnings.group.code}",
            "basis": f"t:basis.{earnings.basis}",
            "range": span(found.low, found.high),
            "typical": times(found.typical),
            "implied": times(base_multiple(base, earnings.value)),
            "base": inr(base),
            "profit": inr(earnings.value),
            "growth": pct(facts.cagr if facts.cagr is not None else p.long_run_growth),
            "long_run": pct(p.long_run_growth),
        }
        texts.append(Text(_summary_key(facts, data, reason, floor_binds), summary))
        texts.append(_size_text(earnings, data))
        texts += _profit_texts(earnings, data, facts.ebitda_years)
        texts.append(_cross_check_text(earnings, facts, data))
    if any(source["id"] == "bizbuysell_insight_2022" for source in data.sources):
        texts.append(Text("a.us_cross_check"))
    texts.append(
        Text(
            "a.revenue_private",
            {
                "margin": pct(facts.mapping.typical_ebitda_margin),
                "group": f"t:group.{data.private_market.group_of(facts.mapping.code).code}"
                if data.private_market
                else plain("?"),
            },
        )
    )
    texts.append(Text("a.no_discounts"))
    return texts
