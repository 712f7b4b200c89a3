"""The assumptions behind a valuation, as catalogue texts (rendered in the caller's language)."""

from __future__ import annotations

from decimal import Decimal

from msmebazaar.valuation.data import ValuationData
from msmebazaar.valuation.engine.evidence import private_market_texts
from msmebazaar.valuation.engine.facts import Facts
from msmebazaar.valuation.engine.methods import ev_to_sales
from msmebazaar.valuation.engine.types import Text, inr, num, pct, plain, times


def _market(facts: Facts, data: ValuationData) -> list[Text]:
    resolved, p = facts.multiple, data.parameters
    texts = [
        Text(
            "a.multiples_source",
            {
                "industry": plain(resolved.industry),
                "firms": num(resolved.n_firms),
                "multiple": times(resolved.multiple),
                "cap": times(p.multiple_cap),
                "used": times(resolved.capped_multiple),
                "date": plain(_source_date(data)),
            },
        )
    ]
    if resolved.fell_back:
        texts.append(
            Text(
                "a.industry_fallback",
                {
                    "requested": plain(resolved.requested_industry),
                    "industry": plain(resolved.industry),
                    "min": num(p.min_industry_firms),
                },
            )
        )
    texts.append(
        Text(
            "a.discounts",
            {
                "size": pct(facts.size_discount),
                "revenue": inr(facts.revenue),
                "small": pct(p.size_small_discount),
                "small_at": inr(p.size_small_revenue),
                "large": pct(p.size_large_discount),
                "large_at": inr(p.size_large_revenue),
                "illiquidity": pct(p.illiquidity_discount),
            },
        )
    )
    texts.append(
        Text(
            "a.revenue_derived",
            {
                "ev_sales": times(ev_to_sales(facts)),
                "multiple": times(resolved.capped_multiple),
                "margin": pct(facts.mapping.typical_ebitda_margin),
            },
        )
    )
    return texts


def _source_date(data: ValuationData) -> str:
    return next((s["updated"] for s in data.sources if s["id"] == "damodaran_india_ev_ebitda"), "?")


def _earnings(facts: Facts, data: ValuationData) -> list[Text]:
    p = data.parameters
    if facts.normalised_ebitda is None:
        return [Text("a.no_ebitda")]
    texts = [
        Text(
            "a.normalised_ebitda",
            {"ebitda": inr(facts.normalised_ebitda), "years": num(facts.ebitda_years)},
        )
    ]
    if facts.owner_add_back > 0:
        texts.append(
            Text(
                "a.owner_salary",
                {"add_back": inr(facts.owner_add_back), "wage": inr(p.market_wage)},
            )
        )
    if facts.normalised_ebitda <= 0:
        texts.append(Text("a.ebitda_nonpositive"))
    return texts


def _discount_rate(facts: Facts, data: ValuationData) -> Text:
    p = data.parameters
    params = {
        "risk_free": pct(p.risk_free_rate),
        "as_of": plain(p.risk_free_as_of),
        "erp": pct(p.equity_risk_premium),
    }
    if facts.earnings is None:
        small = {"small": pct(p.small_company_premium), "rate": pct(p.discount_rate)}
        return Text("a.discount_rate", params | small)
    implied = {
        "premium": pct(facts.earnings.premium),
        "rate": pct(facts.earnings.rate),
        "typical": times(facts.earnings.multiples.typical),
        "long_run": pct(p.long_run_growth),
    }
    return Text("a.discount_rate_private", params | implied)


def _dcf(facts: Facts, data: ValuationData) -> list[Text]:
    p = data.parameters
    texts = [
        _discount_rate(facts, data),
        Text(
            "a.cash_flow" if facts.earnings is None else "a.cash_flow_private",
            {"tax": pct(p.tax_rate), "reinvestment": pct(p.reinvestment_rate)},
        ),
    ]
    if facts.cagr is None:
        texts.append(Text("a.growth_unknown", {"long_run": pct(p.long_run_growth)}))
    else:
        texts.append(
            Text(
                "a.growth",
                {
                    "observed": pct(facts.cagr_raw or Decimal(0)),
                    "span": num(facts.cagr_span),
                    "used": pct(facts.cagr),
                    "low": pct(p.growth_floor),
                    "high": pct(p.growth_cap),
                    "long_run": pct(p.long_run_growth),
                    "years": num(p.projection_years),
                },
            )
        )
    return texts


def assumptions(
    facts: Facts,
    data: ValuationData,
    spread: Decimal,
    floor_binds: bool,
    floor: int,
    *,
    base: int,
    reason: str,
) -> tuple[Text, ...]:
    """Every assumption in plain words, in a fixed order (on private-market data the evidence
    and how this business compares with it come first)."""
    if data.private_market is None:
        texts = _market(facts, data) + _earnings(facts, data)
    else:
        texts = private_market_texts(facts, data, base, reason, floor_binds)
    texts += _dcf(facts, data)
    if facts.debt_or_cash_missing:
        texts.append(Text("a.debt_cash_missing"))
    texts.append(Text("a.floor_rule", {"haircut": pct(data.parameters.asset_haircut)}))
    if floor_binds:
        texts.append(Text("a.floor_applied", {"floor": inr(floor)}))
    base_spread = data.parameters.range["base_spread"]
    texts.append(Text("a.range_rule", {"spread": pct(spread), "base_spread": pct(base_spread)}))
    texts.append(Text("a.data_version", {"version": plain(data.version)}))
    return tuple(texts)
