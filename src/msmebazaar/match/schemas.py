"""Match schemas: mandates (create, update, read, card) and ranked, explained matches."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from msmebazaar.msme.schemas import DealType, ListingCard
from msmebazaar.shared.india import MAX_RUPEES

Rupees = Annotated[int, Field(strict=True, ge=0, le=MAX_RUPEES, description="Whole rupees.")]
Percent = Annotated[float, Field(gt=0, le=100, description="A stake in percent, (0, 100].")]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=120)]
Thesis = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
Codes = Annotated[list[Code], Field(max_length=40)]


class Grade(StrEnum):
    EXCELLENT = "excellent"
    GOOD = "good"
    FAIR = "fair"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MandateCreate(_Strict):
    """What a buyer or investor looks for. Empty lists mean "any"; ranges may be one-sided."""

    title: Title = Field(examples=["Profitable food processor in the west"])
    deal_types: list[DealType] = Field(default_factory=list, max_length=4)
    sectors: Codes = Field(default_factory=list, description="Sector codes (GET /msmes/sectors).")
    exclude_sectors: Codes = Field(default_factory=list, description="Never show these sectors.")
    states: Codes = Field(default_factory=list, description="States or UTs, full names.")
    ticket_min: Rupees | None = Field(None, examples=[1_00_00_000])
    ticket_max: Rupees | None = Field(None, examples=[5_00_00_000])
    revenue_min: Rupees | None = None
    revenue_max: Rupees | None = None
    ebitda_positive_only: bool = Field(False, strict=True)
    min_years: int | None = Field(None, strict=True, ge=0, le=200)
    stake_min: Percent | None = None
    stake_max: Percent | None = None
    thesis: Thesis = Field("", examples=["Cold storage and food processing near farm clusters"])
    active: bool = Field(True, strict=True)
    public_profile: bool = Field(
        False, strict=True, description="Show your name on this mandate's card to sellers."
    )


class MandateUpdate(_Strict):
    """Fields left out stay as they are; send `version` to guard against lost updates."""

    title: Title | None = None
    deal_types: list[DealType] | None = Field(None, max_length=4)
    sectors: Codes | None = None
    exclude_sectors: Codes | None = None
    states: Codes | None = None
    ticket_min: Rupees | None = None
    ticket_max: Rupees | None = None
    revenue_min: Rupees | None = None
    revenue_max: Rupees | None = None
    ebitda_positive_only: bool | None = Field(None, strict=True)
    min_years: int | None = Field(None, strict=True, ge=0, le=200)
    stake_min: Percent | None = None
    stake_max: Percent | None = None
    thesis: Thesis | None = None
    active: bool | None = Field(None, strict=True)
    public_profile: bool | None = Field(None, strict=True)
    version: int | None = Field(
        None, strict=True, ge=1, description="The `version` you read; a stale one answers 409."
    )


class MandateRead(BaseModel):
    """A mandate as its owner (and admins) see it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    owner_id: uuid.UUID
    title: str
    deal_types: list[DealType]
    sectors: list[str]
    exclude_sectors: list[str]
    states: list[str]
    ticket_min: int | None
    ticket_max: int | None
    revenue_min: int | None
    revenue_max: int | None
    ebitda_positive_only: bool
    min_years: int | None
    stake_min: float | None
    stake_max: float | None
    thesis: str
    active: bool
    public_profile: bool
    version: int
    created_at: datetime
    updated_at: datetime


class BuyerCard(BaseModel):
    """Who stands behind a mandate, shown only when they chose `public_profile`."""

    id: uuid.UUID
    name: str | None
    role: str


class MandateCard(BaseModel):
    """A mandate as a seller sees it: what the buyer wants; who, only if they chose to say."""

    id: uuid.UUID
    title: str
    deal_types: list[DealType]
    sectors: list[str]
    states: list[str]
    ticket_min: int | None
    ticket_max: int | None
    revenue_min: int | None
    revenue_max: int | None
    stake_min: float | None
    stake_max: float | None
    thesis: str | None = Field(None, description="Public mandates only.")
    buyer: BuyerCard | None = Field(None, description="Public mandates only.")


class _Match(BaseModel):
    score: float = Field(ge=0, le=100, examples=[82.5])
    grade: Grade
    breakdown: dict[str, float] = Field(
        description="Each criterion that applies, 0–1 (criteria the mandate leaves open are left "
        "out).",
        examples=[{"sector": 1.0, "ticket": 0.9, "semantic": 0.74}],
    )
    reasons: list[str] = Field(examples=[["Sector: Food Processing, in the mandate's list"]])


class ListingMatch(_Match):
    """A listing ranked for a mandate, with the listing's public card."""

    listing: ListingCard


class MandateMatch(_Match):
    """A mandate ranked for a listing, with the mandate's card."""

    mandate: MandateCard
