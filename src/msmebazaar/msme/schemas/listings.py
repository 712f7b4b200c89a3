"""Listing schemas: create, update, the owner's view, the public card, and search filters."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from msmebazaar.shared.india import MAX_RUPEES


class DealType(StrEnum):
    FULL_SALE = "full_sale"
    STAKE_SALE = "stake_sale"
    INVESTMENT = "investment"
    DEBT = "debt"


class ListingStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACTIVE = "active"
    REJECTED = "rejected"
    CLOSED = "closed"
    # Public only: an active listing one of whose deals has an accepted offer.
    UNDER_OFFER = "under_offer"


class ListingSort(StrEnum):
    NEWEST = "newest"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    REVENUE_DESC = "revenue_desc"


class ModerationDecision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


# Deal types where the buyer takes a share of the company, so a stake % must be given.
STAKE_DEAL_TYPES = frozenset({DealType.STAKE_SALE, DealType.INVESTMENT})

Headline = Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=120)]
Summary = Annotated[str, StringConstraints(strip_whitespace=True, min_length=20, max_length=5000)]
AskingPrice = Annotated[int, Field(strict=True, gt=0, le=MAX_RUPEES, description="Whole rupees.")]
StakePercent = Annotated[
    float,
    Field(gt=0, le=100, description="Share on offer, in (0, 100]; two decimals are kept."),
]


NDA_REQUIRED = (
    "Show documents and exact financials to a buyer only after both sides accepted the deal's NDA."
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _check_stake(deal_type: DealType | None, stake_percent: float | None) -> None:
    if deal_type is None:
        return
    if deal_type in STAKE_DEAL_TYPES and stake_percent is None:
        raise ValueError(f"stake_percent is required for {deal_type.value}")
    if deal_type is DealType.FULL_SALE and stake_percent is not None:
        raise ValueError("stake_percent must be left out for full_sale (the whole business)")


class ListingCreate(_Strict):
    """A new listing of one of your profiles; it starts as a `draft`."""

    msme_id: uuid.UUID
    deal_type: DealType
    asking_price: AskingPrice = Field(examples=[45_000_000])
    stake_percent: StakePercent | None = Field(None, examples=[26])
    anonymous: bool = Field(
        True, strict=True, description="Hide the name, identifiers and city from the public."
    )
    nda_required: bool = Field(True, strict=True, description=NDA_REQUIRED)
    headline: Headline = Field(examples=["Profitable namkeen maker with a national distributor"])
    summary: Summary

    @model_validator(mode="after")
    def _stake_fits_the_deal(self) -> ListingCreate:
        _check_stake(self.deal_type, self.stake_percent)
        return self


class ListingUpdate(_Strict):
    """Fields left out stay as they are; only drafts and rejected listings can change."""

    deal_type: DealType | None = None
    asking_price: AskingPrice | None = None
    stake_percent: StakePercent | None = None
    anonymous: bool | None = Field(None, strict=True)
    nda_required: bool | None = Field(None, strict=True, description=NDA_REQUIRED)
    headline: Headline | None = None
    summary: Summary | None = None
    version: int | None = Field(
        None, strict=True, ge=1, description="The `version` you read; a stale one answers 409."
    )

    @model_validator(mode="after")
    def _no_nulls_for_required_fields(self) -> ListingUpdate:
        for name in (
            "deal_type",
            "asking_price",
            "anonymous",
            "nda_required",
            "headline",
            "summary",
        ):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        return self


class ListingRead(BaseModel):
    """A listing as its owner (and admins) see it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    msme_id: uuid.UUID
    deal_type: DealType
    asking_price: int
    stake_percent: float | None
    anonymous: bool
    nda_required: bool
    headline: str
    summary: str
    status: ListingStatus = Field(validation_alias=AliasChoices("public_status", "status"))
    rejection_reason: str | None
    sector: str
    state: str
    revenue: int | None
    ebitda: int | None
    views_count: int
    interests_count: int
    version: int
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    published_at: datetime | None
    closed_at: datetime | None


class ListingIdentity(BaseModel):
    """Who the business is: shown to the owner, admins and buyers whose interest was accepted."""

    msme_id: uuid.UUID
    legal_name: str
    trade_name: str | None
    gstin: str | None
    pan: str | None
    udyam_number: str | None
    cin: str | None
    city: str | None
    pincode: str | None
    website: str | None
    revenue: int | None = Field(
        description="Latest fiscal year, whole rupees; null for a buyer until both sides "
        "accepted the NDA of a listing that requires one."
    )
    ebitda: int | None


class ListingCard(BaseModel):
    """A listing as the public sees it (DESIGN.md §3 "Public cards").

    An anonymous listing shows no name, city or identifier; a named one adds its names and city.
    Revenue and EBITDA are bands; exact figures and identifiers come in `identity`, which is
    set only for the owner, admins and buyers whose interest was accepted.
    """

    view: Literal["card"] = "card"
    id: uuid.UUID
    deal_type: DealType
    asking_price: int
    stake_percent: float | None
    anonymous: bool
    nda_required: bool
    headline: str
    summary: str
    sector: str
    sector_name: str | None
    state: str
    revenue_band: str | None = Field(examples=["₹5–10 Cr"])
    ebitda_band: str | None = Field(examples=["₹50 L–1 Cr"])
    status: ListingStatus
    published_at: datetime | None
    legal_name: str | None = Field(None, description="Named listings only.")
    trade_name: str | None = Field(None, description="Named listings only.")
    city: str | None = Field(None, description="Named listings only.")
    identity: ListingIdentity | None = None


class ListingDetail(BaseModel):
    """`GET /listings/{id}` for the owner and admins: the listing, its card and identity."""

    view: Literal["owner"] = "owner"
    listing: ListingRead
    card: ListingCard


ListingView = Annotated[ListingCard | ListingDetail, Field(discriminator="view")]


class ListingModeration(_Strict):
    """An admin's decision on a submitted listing; a rejection needs a reason."""

    decision: ModerationDecision
    reason: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
        | None
    ) = None


class ListingSearch(BaseModel):
    """Filters of `GET /listings`, already checked."""

    sector: str | None = None
    state: str | None = None
    deal_type: DealType | None = None
    price_min: int | None = None
    price_max: int | None = None
    revenue_min: int | None = None
    revenue_max: int | None = None
    q: str | None = None
    sort: ListingSort = ListingSort.NEWEST
