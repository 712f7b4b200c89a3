"""The engine's inputs and outputs: plain frozen data, JSON-friendly, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# Texts are stored language-neutral as a catalogue key and tagged parameters ("inr:1200000",
# "pct:0.30", "x:20", "n:3", "s:plain text"), and rendered in the caller's language on the way out.
Params = dict[str, str]


@dataclass(frozen=True, slots=True)
class Text:
    """A sentence for people: a catalogue key and its tagged parameters."""

    key: str
    params: Params = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "params": dict(self.params)}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Text:
        return cls(key=str(raw["key"]), params={k: str(v) for k, v in raw["params"].items()})


def inr(amount: int | Decimal) -> str:
    return f"inr:{int(amount)}"


def pct(rate: Decimal) -> str:
    return f"pct:{rate}"


def times(multiple: Decimal) -> str:
    return f"x:{multiple}"


def num(value: int | Decimal) -> str:
    return f"n:{value}"


def plain(value: str) -> str:
    return f"s:{value}"


@dataclass(frozen=True, slots=True)
class YearFigures:
    """One fiscal year in whole rupees; None where not given."""

    fiscal_year: str
    revenue: int
    ebitda: int | None = None
    net_profit: int | None = None
    depreciation: int | None = None
    interest: int | None = None
    total_assets: int | None = None
    total_liabilities: int | None = None
    cash: int | None = None
    debt: int | None = None
    owner_salary: int | None = None


# The figures a year needs to count as "complete" (owner salary, depreciation and interest are
# optional: many proprietors draw no salary and EBITDA already excludes the other two).
COMPLETE_YEAR_FIELDS: tuple[str, ...] = (
    "revenue",
    "ebitda",
    "net_profit",
    "total_assets",
    "total_liabilities",
    "cash",
    "debt",
)


@dataclass(frozen=True, slots=True)
class EngineInput:
    """Everything one valuation depends on besides the data file."""

    sector: str
    years: tuple[YearFigures, ...]
    year_established: int | None = None
    employees: int | None = None
    verified: bool = False
    financial_documents: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "sector": self.sector,
            "years": [
                {name: getattr(year, name) for name in YearFigures.__slots__} for year in self.years
            ],
            "year_established": self.year_established,
            "employees": self.employees,
            "verified": self.verified,
            "financial_documents": self.financial_documents,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> EngineInput:
        return cls(
            sector=str(raw["sector"]),
            years=tuple(YearFigures(**year) for year in raw["years"]),
            year_established=raw.get("year_established"),
            employees=raw.get("employees"),
            verified=bool(raw.get("verified", False)),
            financial_documents=int(raw.get("financial_documents", 0)),
        )


METHOD_ORDER: tuple[str, ...] = ("ebitda_multiple", "revenue_multiple", "dcf", "net_assets")
# The revenue method is derived from the EBITDA multiple and an assumed margin: it is shown and
# may carry weight, but it is not independent evidence, so agreement ignores it.
INDEPENDENT_METHODS: tuple[str, ...] = ("ebitda_multiple", "dcf")


@dataclass(frozen=True, slots=True)
class MethodResult:
    """One method's equity value (whole rupees) with its own low/high and its working."""

    method: str
    available: bool
    value: int = 0
    low: int = 0
    high: int = 0
    enterprise_value: int | None = None
    inputs: dict[str, str] = field(default_factory=dict)
    explanation: Text = field(default_factory=lambda: Text("method.unavailable"))
    weight: Decimal = Decimal(0)
    weight_reason: Text | None = None


@dataclass(frozen=True, slots=True)
class EngineResult:
    """A whole valuation: methods, range, confidence and the assumptions in words."""

    low: int
    base: int
    high: int
    confidence: Decimal
    methods: tuple[MethodResult, ...]
    assumptions: tuple[Text, ...]
    size_discount: Decimal
    illiquidity_discount: Decimal
    spread: Decimal
    floor: int
    method_mix: str
    data_version: str
    confidence_parts: dict[str, str] = field(default_factory=dict)
    # What small private businesses like this one sell for, and where this one lands
    # (private-market data only; JSON-friendly, see engine/evidence.py).
    evidence: dict[str, Any] | None = None
