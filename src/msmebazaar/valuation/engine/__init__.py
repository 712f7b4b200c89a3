"""The valuation engine: pure functions of the inputs and the data file (no I/O, no clocks, no
randomness), so the same inputs give the same answer in every process."""

from __future__ import annotations

from decimal import localcontext

from msmebazaar.valuation.data import ValuationData
from msmebazaar.valuation.engine import combine, methods
from msmebazaar.valuation.engine.assumptions import assumptions
from msmebazaar.valuation.engine.evidence import market_evidence
from msmebazaar.valuation.engine.facts import CONTEXT, ZERO, Facts, derive_facts
from msmebazaar.valuation.engine.types import (
    METHOD_ORDER,
    EngineInput,
    EngineResult,
    MethodResult,
    Text,
    YearFigures,
)

ENGINE_VERSION = "1"

__all__ = [
    "ENGINE_VERSION",
    "METHOD_ORDER",
    "EngineInput",
    "EngineResult",
    "MethodResult",
    "Text",
    "YearFigures",
    "value_business",
]


def _methods(facts: Facts, data: ValuationData) -> dict[str, MethodResult]:
    return {
        "ebitda_multiple": methods.ebitda_multiple(facts, data),
        "revenue_multiple": methods.revenue_multiple(facts, data),
        "dcf": methods.dcf(facts, data),
        "net_assets": methods.net_assets(facts, data),
    }


def value_business(inputs: EngineInput, data: ValuationData) -> EngineResult:
    """Value a business; ValueError when the inputs hold nothing any method can use."""
    if not inputs.years:
        raise ValueError("at least one fiscal year is needed")
    if inputs.sector not in data.sectors:
        raise ValueError(f"unknown sector {inputs.sector!r}")
    with localcontext(CONTEXT):
        facts = derive_facts(inputs, data)
        found = _methods(facts, data)
        blend, reason = combine.choose_blend(found, facts, data)
        floor = combine.floor_value(found)
        blended = blend.value.to_integral_value()
        floor_binds = floor > blended
        base = max(int(blended), floor)
        dispersion = combine.disagreement(found, facts)
        spread = combine.spread(inputs, facts, dispersion, data)
        low, high = combine.value_range(base, floor, spread)
        score, parts = combine.confidence(inputs, facts, dispersion, data)
        weighed = combine.weigh(found, blend, reason, floor_binds)
        mix = "+".join(sorted(name for name, m in weighed.items() if m.weight > 0))
        return EngineResult(
            low=low,
            base=base,
            high=high,
            confidence=score,
            methods=tuple(weighed[name] for name in METHOD_ORDER),
            assumptions=assumptions(
                facts, data, spread, floor_binds, floor, base=base, reason=reason
            ),
            size_discount=facts.size_discount,
            # Private-market multiples are prices of illiquid small businesses already.
            illiquidity_discount=ZERO
            if data.private_market is not None
            else data.parameters.illiquidity_discount,
            spread=spread,
            floor=floor,
            method_mix=mix,
            data_version=data.version,
            confidence_parts={name: str(value) for name, value in parts.items()}
            | {"disagreement": str(dispersion)},
            evidence=market_evidence(facts, base),
        )
