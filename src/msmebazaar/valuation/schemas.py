"""Valuation requests and responses (DESIGN.md §3 "Valuation", resource field `valuation`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from msmebazaar.msme.schemas import FinancialsInput


class FinancialsYearInput(FinancialsInput):
    """One fiscal year's figures in whole rupees (the `financials` resource plus its year).

    The figures' bounds only stop absurd JSON; the business rules (revenue cap, EBITDA ≤
    revenue) are checked by the service so each failure gets its own code."""

    fiscal_year: str = Field(pattern=r"^[0-9]{4}-[0-9]{2}$", examples=["2024-25"])


class ValuationCreate(BaseModel):
    """Either `{msme_id}` (a profile's stored financials) or ad hoc `{sector, financials, ...}`."""

    model_config = ConfigDict(extra="forbid")

    msme_id: uuid.UUID | None = Field(None, description="Value this profile (owner or admin).")
    sector: str | None = Field(
        None, max_length=40, description="Ad hoc: a code from `GET /msmes/sectors`."
    )
    financials: list[FinancialsYearInput] | None = Field(
        None, max_length=5, description="Ad hoc: up to 5 fiscal years."
    )
    year_established: int | None = Field(None, strict=True, ge=1800, le=2100)
    employees: int | None = Field(None, strict=True, ge=0, le=10_000_000)


MethodName = Literal["ebitda_multiple", "revenue_multiple", "dcf", "net_assets"]


class MethodRead(BaseModel):
    method: MethodName
    available: bool = Field(description="False when the method was skipped (see explanation).")
    value: int = Field(description="Equity value by this method, whole rupees.")
    low: int
    high: int
    enterprise_value: int | None = None
    weight: float = Field(ge=0, le=1, description="Share of the base value; weights sum to 1.")
    weight_reason: str
    explanation: str
    inputs: dict[str, str] = Field(description="The figures this method used, formatted.")


class PriceComparisonRead(BaseModel):
    asking_price: int
    stake_percent: float | None
    implied_value: int = Field(description="The price scaled to the whole business.")
    position: Literal["below", "within", "above"]
    difference: int = Field(description="Rupees outside the range (0 within it).")
    difference_percent: float = Field(description="Of the nearest end of the range.")
    message: str


class MarketEvidenceRead(BaseModel):
    """What small private businesses like this one sell for, and where this one lands (data
    versions with a private-market calibration, from 2026.12.1; null before)."""

    sector_group: str = Field(description="manufacturing, trade, services or software.")
    basis: Literal["sde", "ebitda"] = Field(
        description="sde: owner's earnings (EBITDA + the owner's salary), for owner-operated "
        "businesses under ₹2 crore; ebitda above."
    )
    profit: int = Field(description="The profit the multiples apply to, whole rupees.")
    low_multiple: float = Field(description="Low end of the evidence at this profit.")
    typical_multiple: float
    high_multiple: float = Field(description="High end of the evidence at this profit.")
    base_multiple: float = Field(description="The base value over the profit.")
    sources: list[str] = Field(description="Ids of the sources (see GET /valuations/sectors).")
    dcf_rate: float = Field(description="The DCF's discount rate, implied by the evidence.")
    small_business_premium: float
    listed_multiple: float = Field(description="Listed industry EV/EBITDA (cross-check only).")
    listed_market_multiple: float
    cross_check: float = Field(
        ge=0, le=1, description="1 when listed companies rank the sector as the evidence does."
    )


class ValuationRead(BaseModel):
    id: uuid.UUID
    msme_id: uuid.UUID | None
    sector: str
    currency: Literal["INR"] = "INR"
    low: int
    base: int
    high: int
    confidence: float = Field(ge=0, le=1)
    confidence_breakdown: dict[str, float]
    size_discount: float
    illiquidity_discount: float
    range_spread: float = Field(description="Half-width of the range as a share of the base.")
    floor: int = Field(description="max(0, adjusted net assets): the base never goes below it.")
    methods: list[MethodRead]
    assumptions: list[str]
    asking_price_comparison: PriceComparisonRead | None = None
    market_evidence: MarketEvidenceRead | None = None
    data_version: str
    engine_version: str
    created_by: uuid.UUID
    created_at: datetime


class PrivateMultipleRead(BaseModel):
    profit: int = Field(description="Annual profit the band is quoted at, whole rupees.")
    basis: Literal["sde", "ebitda"]
    low: float
    typical: float
    high: float
    sources: list[str]


class SectorMultipleRead(BaseModel):
    code: str
    name: str
    name_hi: str
    industry: str = Field(description="The Damodaran industry our sector maps to.")
    industry_used: str = Field(description="Differs when the industry has too few firms.")
    n_firms: int
    ev_ebitda: float = Field(description="Positive-EBITDA firms, aggregate, before the cap.")
    ev_ebitda_all_firms: float | None
    ev_ebitda_used: float = Field(description="After the outlier cap.")
    ev_sales_derived: float = Field(description="ev_ebitda_used × typical_ebitda_margin.")
    typical_ebitda_margin: float
    asset_heavy: bool
    sector_group: str | None = Field(
        None, description="Its private-market group (data from 2026.12.1; null before)."
    )
    private_multiples: list[PrivateMultipleRead] = Field(
        default_factory=list,
        description="What small private businesses of the group sell for, by profit: these "
        "set the value; the listed multiples above are a cross-check only.",
    )


class SourceRead(BaseModel):
    id: str
    publisher: str
    file: str
    updated: str
    statistic: str
    url: str | None = None
    scope: str | None = Field(None, description="Where the figures come from and their use.")


class SectorMultiplesRead(BaseModel):
    data_version: str
    published: str
    statistic: str = Field(description="Which figure the multiples are.")
    private_market_statistic: str | None = Field(
        None, description="Which figure the private multiples are (null before 2026.12.1)."
    )
    multiple_cap: float
    sources: list[SourceRead]
    sectors: list[SectorMultipleRead]
