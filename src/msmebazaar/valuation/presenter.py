"""A stored valuation as the API shows it, in the caller's language."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from msmebazaar.valuation.engine import EngineResult, MethodResult, Text
from msmebazaar.valuation.engine.compare import PriceComparison
from msmebazaar.valuation.models import Valuation
from msmebazaar.valuation.schemas import (
    MarketEvidenceRead,
    MethodRead,
    PriceComparisonRead,
    ValuationRead,
)
from msmebazaar.valuation.texts import render, render_param


def _method_json(method: MethodResult) -> dict[str, Any]:
    return {
        "method": method.method,
        "available": method.available,
        "value": method.value,
        "low": method.low,
        "high": method.high,
        "enterprise_value": method.enterprise_value,
        "weight": str(method.weight),
        "weight_reason": method.weight_reason.to_json() if method.weight_reason else None,
        "explanation": method.explanation.to_json(),
        "inputs": dict(method.inputs),
    }


def comparison_json(comparison: PriceComparison | None) -> dict[str, Any] | None:
    if comparison is None:
        return None
    return {
        "asking_price": comparison.asking_price,
        "stake_percent": None
        if comparison.stake_percent is None
        else str(comparison.stake_percent),
        "implied_value": comparison.implied_value,
        "position": comparison.position,
        "difference": comparison.difference,
        "difference_percent": str(comparison.difference_percent),
        "text": comparison.text.to_json(),
    }


def result_json(result: EngineResult, comparison: PriceComparison | None) -> dict[str, Any]:
    """What is stored besides the headline columns (texts stay language-neutral)."""
    return {
        "methods": [_method_json(method) for method in result.methods],
        "assumptions": [text.to_json() for text in result.assumptions],
        "size_discount": str(result.size_discount),
        "illiquidity_discount": str(result.illiquidity_discount),
        "spread": str(result.spread),
        "floor": result.floor,
        "confidence": str(result.confidence),
        "confidence_parts": dict(result.confidence_parts),
        "asking_price_comparison": comparison_json(comparison),
        "market_evidence": result.evidence,
    }


def _method_read(raw: dict[str, Any], language: str) -> MethodRead:
    reason = raw.get("weight_reason")
    return MethodRead(
        method=raw["method"],
        available=raw["available"],
        value=raw["value"],
        low=raw["low"],
        high=raw["high"],
        enterprise_value=raw.get("enterprise_value"),
        weight=float(Decimal(raw["weight"])),
        weight_reason=render(Text.from_json(reason), language) if reason else "",
        explanation=render(Text.from_json(raw["explanation"]), language),
        inputs={name: render_param(value, language) for name, value in raw["inputs"].items()},
    )


def _comparison_read(raw: dict[str, Any] | None, language: str) -> PriceComparisonRead | None:
    if raw is None:
        return None
    stake = raw.get("stake_percent")
    return PriceComparisonRead(
        asking_price=raw["asking_price"],
        stake_percent=None if stake is None else float(Decimal(stake)),
        implied_value=raw["implied_value"],
        position=raw["position"],
        difference=raw["difference"],
        difference_percent=float(Decimal(raw["difference_percent"])),
        message=render(Text.from_json(raw["text"]), language),
    )


def _evidence_read(raw: dict[str, Any] | None) -> MarketEvidenceRead | None:
    if raw is None:  # valuations on data before 2026.12.1, and those without a profit
        return None
    figures = {
        name: float(Decimal(raw[name]))
        for name in MarketEvidenceRead.model_fields
        if name.endswith(("_multiple", "_rate", "_premium", "cross_check"))
    }
    return MarketEvidenceRead(
        sector_group=raw["sector_group"],
        basis=raw["basis"],
        profit=raw["profit"],
        sources=list(raw["sources"]),
        **figures,
    )


def to_read(valuation: Valuation, language: str) -> ValuationRead:
    """The API view of a stored valuation."""
    result = valuation.result
    return ValuationRead(
        id=valuation.id,
        msme_id=valuation.msme_id,
        sector=valuation.sector,
        low=valuation.low,
        base=valuation.base,
        high=valuation.high,
        confidence=valuation.confidence,
        confidence_breakdown={k: float(Decimal(v)) for k, v in result["confidence_parts"].items()},
        size_discount=float(Decimal(result["size_discount"])),
        illiquidity_discount=float(Decimal(result["illiquidity_discount"])),
        range_spread=float(Decimal(result["spread"])),
        floor=result["floor"],
        methods=[_method_read(raw, language) for raw in result["methods"]],
        assumptions=[render(Text.from_json(raw), language) for raw in result["assumptions"]],
        asking_price_comparison=_comparison_read(result.get("asking_price_comparison"), language),
        market_evidence=_evidence_read(result.get("market_evidence")),
        data_version=valuation.data_version,
        engine_version=valuation.engine_version,
        created_by=valuation.created_by,
        created_at=valuation.created_at,
    )
