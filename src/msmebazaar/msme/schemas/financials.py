"""Financials by fiscal year: what an owner sends and what a reader gets (with derived ratios)."""

from __future__ import annotations

from typing import Annotated, Final

from pydantic import BaseModel, ConfigDict, Field

from msmebazaar.shared.india import MAX_RUPEES

# The figures of one fiscal year, in the order forms, reports and the valuation engine list them.
FIGURE_NAMES: Final = (
    "revenue",
    "ebitda",
    "net_profit",
    "depreciation",
    "interest",
    "total_assets",
    "total_liabilities",
    "cash",
    "debt",
    "owner_salary",
)

# Whole rupees; signed where a business can lose money (EBITDA, net profit).
Amount = Annotated[int, Field(strict=True, ge=0, le=MAX_RUPEES)]
SignedAmount = Annotated[int, Field(strict=True, ge=-MAX_RUPEES, le=MAX_RUPEES)]


class FinancialsInput(BaseModel):
    """One fiscal year's figures in whole rupees; the year is in the path (`2024-25`)."""

    model_config = ConfigDict(extra="forbid")

    revenue: Amount = Field(description="Turnover for the year.", examples=[8_00_00_000])
    ebitda: SignedAmount | None = Field(None, examples=[1_20_00_000])
    net_profit: SignedAmount | None = Field(None, examples=[60_00_000])
    depreciation: Amount | None = None
    interest: Amount | None = None
    total_assets: Amount | None = None
    total_liabilities: Amount | None = None
    cash: Amount | None = None
    debt: Amount | None = None
    owner_salary: Amount | None = None


class FinancialsRead(BaseModel):
    """A fiscal year's figures; `growth` and the margins are derived, never stored."""

    fiscal_year: str = Field(examples=["2024-25"])
    revenue: int
    ebitda: int | None
    net_profit: int | None
    depreciation: int | None
    interest: int | None
    total_assets: int | None
    total_liabilities: int | None
    cash: int | None
    debt: int | None
    owner_salary: int | None
    growth: float | None = Field(
        description="Revenue growth over the previous fiscal year (0.12 = 12%); null without it."
    )
    ebitda_margin: float | None = Field(description="EBITDA / revenue; null without either.")
    net_margin: float | None = Field(description="Net profit / revenue; null without either.")
