"""Weights, the floor, the low/base/high range and the confidence.

Rules (all figures from the data file):
- Profitable businesses (positive profit: owner's earnings or EBITDA on private-market data,
  normalised EBITDA before) are valued on the earnings blend (earnings multiple, DCF, a little
  revenue and net assets); loss-making ones on the revenue-and-assets blend. For a profitable
  business both blends are computed and the larger is used: a thin margin then leans on revenue and
  assets, and the value never drops as EBITDA rises. Asset-heavy sectors give net assets more.
- Unavailable methods drop out and the remaining weights are rescaled to sum to 1.
- Floor: the base is never below max(0, adjusted net assets) — a business is worth at least what
  its balance sheet would fetch, and owners' equity is never negative (limited liability).
- Range: base × (1 ± s), s = base spread + per missing year (of 3) + unverified + incompleteness
  + disagreement between the independent methods + industry fall-back, capped; the low end is
  never below the floor. With three complete years on a verified profile s ≤ 2/7, so
  high ÷ low ≤ 1.8 (the data loader refuses settings that would break this).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_EVEN, Decimal

from msmebazaar.valuation.data import ValuationData
from msmebazaar.valuation.engine.facts import CONTEXT, ONE, ZERO, Facts, rupees
from msmebazaar.valuation.engine.types import INDEPENDENT_METHODS, EngineInput, MethodResult, Text

CONFIDENCE_STEP = Decimal("0.01")
WEIGHT_STEP = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class Blend:
    profile: str
    value: Decimal
    weights: dict[str, Decimal]


def _blend(profile: str, methods: dict[str, MethodResult], data: ValuationData) -> Blend | None:
    """The weighted value of the available methods under one weight profile (rescaled)."""
    weights = data.parameters.weights[profile]
    usable = {name: w for name, w in weights.items() if methods[name].available and w > 0}
    total = sum(usable.values(), ZERO)
    if total == 0:
        return None
    scaled = {name: CONTEXT.divide(w, total) for name, w in usable.items()}
    value = sum((w * Decimal(methods[name].value) for name, w in scaled.items()), ZERO)
    return Blend(profile, value, scaled)


def choose_blend(
    methods: dict[str, MethodResult], facts: Facts, data: ValuationData
) -> tuple[Blend, str]:
    """The blend the base comes from, and the catalogue key saying why."""
    heavy = "_asset_heavy" if facts.mapping.asset_heavy else ""
    fallback = _blend(f"revenue_assets{heavy}", methods, data)
    profitable = facts.profit is not None and facts.profit > 0
    earnings = _blend(f"earnings{heavy}", methods, data) if profitable else None
    if earnings is not None and (fallback is None or earnings.value >= fallback.value):
        return earnings, f"w.earnings{heavy}"
    if fallback is None:
        raise ValueError("no method can be computed")
    return fallback, "w.revenue_assets_thin" if profitable else "w.revenue_assets_loss"


def disagreement(methods: dict[str, MethodResult], facts: Facts) -> Decimal:
    """1 − smallest/largest of the independent going-concern methods; 1 when fewer than two.

    On private-market data the DCF's rate is implied by the same evidence, so it is independent
    only through observed growth: with a single year it agrees by construction, and counts as
    no second method. There the methods are compared on enterprise value: the debt both carry
    says nothing about whether they agree (older data compares equity, and keeps doing so)."""
    available = [methods[name] for name in INDEPENDENT_METHODS if methods[name].available]
    if facts.earnings is None:
        values = [method.value for method in available]
    elif facts.cagr is None:
        return ONE
    else:
        values = [method.enterprise_value or 0 for method in available]
    if len(values) < 2 or min(values) <= 0:
        return ONE
    return (ONE - CONTEXT.divide(Decimal(min(values)), Decimal(max(values)))).quantize(
        Decimal("0.0001"), context=CONTEXT
    )


def spread(inputs: EngineInput, facts: Facts, dispersion: Decimal, data: ValuationData) -> Decimal:
    """Half-width of the range as a share of the base (the rule in the module docstring)."""
    r = data.parameters.range
    full_years = int(data.parameters.confidence["full_history_years"])
    missing = max(0, full_years - len(facts.years))
    s = r["base_spread"] + r["per_missing_year"] * missing
    s += ZERO if inputs.verified else r["unverified"]
    s += r["incomplete"] * (ONE - facts.completeness) + r["disagreement"] * dispersion
    s += r["industry_fallback"] if facts.multiple.fell_back else ZERO
    return min(s, r["max_spread"]).quantize(Decimal("0.0001"), context=CONTEXT)


def confidence(
    inputs: EngineInput, facts: Facts, dispersion: Decimal, data: ValuationData
) -> tuple[Decimal, dict[str, Decimal]]:
    """0–1 from completeness, history, verification, documents and method agreement (and, on
    private-market data, whether listed companies rank the sector as the evidence does)."""
    c = data.parameters.confidence
    full_years, full_docs = int(c["full_history_years"]), int(c["full_documents"])
    parts = {
        "completeness": facts.completeness,
        "history": CONTEXT.divide(Decimal(min(len(facts.years), full_years)), Decimal(full_years)),
        "verification": ONE if inputs.verified else ZERO,
        "documents": CONTEXT.divide(
            Decimal(min(inputs.financial_documents, full_docs)), Decimal(full_docs)
        ),
        "agreement": ONE - dispersion,
    }
    if "cross_check" in c:
        earnings = facts.earnings
        profitable = earnings is not None and earnings.value > 0
        parts["cross_check"] = earnings.cross_check.score if earnings and profitable else ZERO
    score = sum((c[name] * value for name, value in parts.items()), ZERO)
    if facts.multiple.fell_back:
        score *= c["industry_fallback_factor"]
    score = min(max(score, ZERO), ONE)
    return score.quantize(CONFIDENCE_STEP, rounding=ROUND_HALF_EVEN, context=CONTEXT), parts


def floor_value(methods: dict[str, MethodResult]) -> int:
    """max(0, adjusted net assets)."""
    assets = methods["net_assets"]
    return max(0, assets.value) if assets.available else 0


def weigh(
    methods: dict[str, MethodResult], blend: Blend, reason: str, floor_binds: bool
) -> dict[str, MethodResult]:
    """Methods with their weights and the reason for each (weights sum to 1)."""
    weighed = {}
    for name, method in methods.items():
        if floor_binds and methods["net_assets"].available:
            weight = ONE if name == "net_assets" else ZERO
            why = Text("w.floor") if name == "net_assets" else Text("w.below_floor")
        else:
            weight = blend.weights.get(name, ZERO)
            why = Text(reason) if weight > 0 else Text("w.reference")
        if not method.available:
            why = Text("w.unavailable")
        weighed[name] = replace(method, weight=weight.quantize(WEIGHT_STEP), weight_reason=why)
    return _exact_sum(weighed)


def _exact_sum(methods: dict[str, MethodResult]) -> dict[str, MethodResult]:
    """Give the rounding remainder to the heaviest method so the weights sum to exactly 1."""
    remainder = ONE - sum((m.weight for m in methods.values()), ZERO)
    if remainder == 0:
        return methods
    heaviest = max(methods.values(), key=lambda m: (m.weight, m.method))
    methods[heaviest.method] = replace(heaviest, weight=heaviest.weight + remainder)
    return methods


def value_range(base: int, floor: int, s: Decimal) -> tuple[int, int]:
    """(low, high) around the base; the low end never below the floor."""
    low = max(floor, rupees(Decimal(base) * (ONE - s)))
    high = max(rupees(Decimal(base) * (ONE + s)), low)
    return min(low, base), high
