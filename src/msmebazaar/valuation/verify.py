"""Recompute stored valuations from their input snapshot and the data file their
`data_version` names, and compare every figure to the rupee."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.valuation.data import DataFileError, load_data
from msmebazaar.valuation.engine import ENGINE_VERSION, EngineInput, value_business
from msmebazaar.valuation.models import Valuation

_METHOD_FIGURES = ("value", "low", "high", "enterprise_value", "weight")


@dataclass
class VerifyReport:
    checked: int = 0
    matched: int = 0
    mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def differences(valuation: Valuation) -> list[str]:
    """What differs between the stored valuation and a fresh computation (empty when equal)."""
    if valuation.engine_version != ENGINE_VERSION:
        return [f"engine version {valuation.engine_version} is not this build's {ENGINE_VERSION}"]
    try:
        data = load_data(valuation.data_version)
    except DataFileError as exc:
        return [str(exc)]
    fresh = value_business(EngineInput.from_json(valuation.inputs), data)
    found = [
        f"{name}: stored {stored} != recomputed {new}"
        for name, stored, new in (
            ("low", valuation.low, fresh.low),
            ("base", valuation.base, fresh.base),
            ("high", valuation.high, fresh.high),
        )
        if stored != new
    ]
    stored_methods: dict[str, dict[str, Any]] = {
        m["method"]: m for m in valuation.result["methods"]
    }
    for method in fresh.methods:
        stored_method = stored_methods.get(method.method, {})
        for figure in _METHOD_FIGURES:
            new = getattr(method, figure)
            new = str(new) if figure == "weight" else new
            if stored_method.get(figure) != new:
                found.append(
                    f"{method.method}.{figure}: stored {stored_method.get(figure)} != "
                    f"recomputed {new}"
                )
    return found


async def verify_valuations(
    session: AsyncSession, limit: int | None = None, valuation_ids: list[uuid.UUID] | None = None
) -> VerifyReport:
    """Check the newest `limit` stored valuations (all by default), or the given ids."""
    statement = select(Valuation).order_by(Valuation.created_at.desc(), Valuation.id)
    if valuation_ids:
        statement = statement.where(Valuation.id.in_(valuation_ids))
    if limit is not None:
        statement = statement.limit(limit)
    report = VerifyReport()
    for valuation in await session.scalars(statement):
        report.checked += 1
        found = differences(valuation)
        if found:
            report.mismatches += [f"{valuation.id} {line}" for line in found]
        else:
            report.matched += 1
    return report
