"""What admins see of profiles and listings: the verification case, figures and export rows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from msmebazaar.msme.schemas.documents import DocumentRead
from msmebazaar.msme.schemas.profiles import MsmeRead, VerificationStatus


class CheckOutcome(StrEnum):
    PASS = "pass"  # noqa: S105 - an outcome, not a password
    FAIL = "fail"
    MISSING = "missing"


class IdentifierCheckName(StrEnum):
    GSTIN_CHECKSUM = "gstin_checksum"
    PAN_MATCH = "pan_match"
    STATE_MATCH = "state_match"
    UDYAM_FORMAT = "udyam_format"


class IdentifierCheck(BaseModel):
    """One automatic check of the profile's identifiers."""

    check: IdentifierCheckName
    outcome: CheckOutcome
    message: str


class DuplicateProfile(BaseModel):
    """Another owner's live profile that carries the same PAN, GSTIN or Udyam number."""

    msme_id: uuid.UUID
    owner_id: uuid.UUID
    legal_name: str
    verification_status: VerificationStatus
    matched_on: list[str] = Field(examples=[["pan"]])


class VerificationCase(BaseModel):
    """Everything an admin needs to decide on a profile, on one screen."""

    profile: MsmeRead
    verification_reason: str | None = Field(description="The last decision's reason.")
    has_identifier: bool = Field(description="GSTIN, PAN or Udyam given: needed to approve.")
    checks: list[IdentifierCheck]
    documents: list[DocumentRead]
    fiscal_years: list[str] = Field(examples=[["2023-24", "2024-25"]])
    duplicates: list[DuplicateProfile]


@dataclass(frozen=True, slots=True)
class VerificationOutcome:
    """A decided profile: its status before, and the profile after."""

    previous_status: str
    profile: MsmeRead
    reason: str | None


@dataclass(frozen=True, slots=True)
class TransferOutcome:
    """A profile moved to another owner, with the listings that moved with it."""

    previous_owner_id: uuid.UUID
    profile: MsmeRead
    listing_ids: list[uuid.UUID]


@dataclass(frozen=True, slots=True)
class ProfileCounts:
    """Live profiles: in all, and by verification status, sector and state."""

    total: int
    by_status: dict[str, int]
    by_sector: dict[str, int]
    by_state: dict[str, int]


@dataclass(frozen=True, slots=True)
class DealTypeFlow:
    count: int
    asking_value: int


@dataclass(frozen=True, slots=True)
class ListingCounts:
    """Listings by status and deal type; the deal flow is the public (active, owner not
    suspended) listings: how many, their total asking price, and by deal type."""

    total: int
    by_status: dict[str, int]
    by_deal_type: dict[str, int]
    hidden: int
    public: int
    public_asking_value: int
    public_by_deal_type: dict[str, DealTypeFlow] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class InterestCounts:
    """Interests sent and accepted in a period, and in all."""

    sent: int
    accepted: int
    sent_total: int
    accepted_total: int


@dataclass(frozen=True, slots=True)
class FunnelCounts:
    """A signup cohort through the seller funnel; each stage also meets every earlier one."""

    signed_up: int
    created_profile: int
    verified: int
    listed: int
    interest_accepted: int


class ListingExport(BaseModel):
    """One listing as the admin export writes it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    msme_id: uuid.UUID
    owner_id: uuid.UUID
    status: str
    owner_suspended: bool
    deal_type: str
    asking_price: int
    stake_percent: float | None
    anonymous: bool
    sector: str
    state: str
    revenue: int | None
    ebitda: int | None
    views_count: int
    interests_count: int
    created_at: datetime
    published_at: datetime | None
    closed_at: datetime | None


class InterestExport(BaseModel):
    """One interest as the admin export writes it (not the buyer's message)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    listing_id: uuid.UUID
    buyer_id: uuid.UUID
    status: str
    created_at: datetime
    decided_at: datetime | None
