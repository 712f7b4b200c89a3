"""Admin request and response schemas (DESIGN.md §3 "Admin")."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from msmebazaar.auth.schemas import UserRead, UserRole, UserStatus
from msmebazaar.msme.schemas import DealFunnel, ListingRead, MsmeRead, VerificationCase
from msmebazaar.shared.india import INDIA_TIMEZONE

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


class AuditAction(StrEnum):
    MSME_VERIFICATION_DECIDED = "msme.verification_decided"
    MSME_VERIFICATION_RESET = "msme.verification_reset"
    MSME_TRANSFERRED = "msme.transferred"
    MSME_IDENTIFIER_CONFLICT = "msme.identifier_conflict"
    LISTING_MODERATED = "listing.moderated"
    USER_STATUS_CHANGED = "user.status_changed"
    USER_ROLE_CHANGED = "user.role_changed"
    USER_SESSION_ENDED = "user.session_ended"
    USER_SECOND_FACTOR_ENABLED = "user.second_factor_enabled"
    USER_SECOND_FACTOR_DISABLED = "user.second_factor_disabled"
    USER_RECOVERY_CODE_USED = "user.recovery_code_used"
    USER_SECOND_FACTOR_RESET = "user.second_factor_reset"
    DATA_EXPORTED = "data.exported"


class TargetType(StrEnum):
    USER = "user"
    MSME = "msme"
    LISTING = "listing"
    DATASET = "dataset"


class ExportDataset(StrEnum):
    LISTINGS = "listings"
    USERS = "users"
    INTERESTS = "interests"


class ExportFormat(StrEnum):
    CSV = "csv"


# --- requests ---------------------------------------------------------------------------------


class VerificationDecisionCreate(_Strict):
    """An admin's decision on a pending profile; a rejection needs a reason."""

    decision: Decision
    reason: Reason | None = Field(None, examples=["The GST certificate is for another business."])


class ModerationDecisionCreate(_Strict):
    """An admin's decision on a submitted listing; a rejection needs a reason."""

    decision: Decision
    reason: Reason | None = Field(None, examples=["The summary names the company's city."])


class TransferCreate(_Strict):
    """Move a profile to its rightful owner (a wrong claim was found)."""

    owner_id: uuid.UUID = Field(description="The user the profile belongs to.")
    reason: Reason = Field(examples=["Owner showed the GST certificate in their name."])


class AdminUserUpdate(_Strict):
    """Change a user's status and/or role; at least one of them."""

    status: UserStatus | None = None
    role: UserRole | None = None
    reason: Reason | None = Field(None, description="Recorded in the audit log.")

    @model_validator(mode="after")
    def _something_to_change(self) -> AdminUserUpdate:
        if self.status is None and self.role is None:
            raise ValueError("send status, role or both")
        return self


# --- responses --------------------------------------------------------------------------------


class VerificationResult(BaseModel):
    """The decided profile and what it was before."""

    previous_status: str
    profile: MsmeRead


class TransferResult(BaseModel):
    """The profile under its new owner, and the listings that moved with it."""

    previous_owner_id: uuid.UUID
    profile: MsmeRead
    listing_ids: list[uuid.UUID]


class ModerationResult(BaseModel):
    """The moderated listing and its status before."""

    previous_status: str
    listing: ListingRead


class AdminUserChange(BaseModel):
    """The user after the change, and what it set in motion."""

    user: UserRead
    sessions_ended: int = Field(description="Sign-in sessions ended by a suspension.")
    listings_changed: int = Field(description="Listings hidden (suspension) or shown again.")


class FailedEventRead(BaseModel):
    """A domain event one handler gave up after its last try (a dead letter)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    handler: str = Field(description="The handler that gave it up, e.g. `admin.audit_role_change`.")
    event_id: uuid.UUID
    event_name: str = Field(examples=["auth.user_role_changed"])
    aggregate_id: str = Field(
        description="What the event is about (a user, profile or listing id)."
    )
    attempts: int
    error: str = Field(description="The kind of failure (the exception's type; never its data).")
    failed_at: datetime


class AuditEntryRead(BaseModel):
    """One audit row: who did what to which target, before → after, why, in which request."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    actor_id: uuid.UUID | None = Field(description="Null for the system itself.")
    actor_role: str | None
    action: AuditAction
    target_type: TargetType
    target_id: uuid.UUID | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None
    request_id: str | None
    created_at: datetime


class IdentifierConflictRead(BaseModel):
    """Someone else's refused claim of one of the profile's identifiers (a possible dispute)."""

    user_id: uuid.UUID | None = Field(description="Who claimed it.")
    field: str = Field(examples=["gstin"])
    claiming_msme_id: uuid.UUID | None = Field(
        description="Their profile that tried to take it; null when creating a new one."
    )
    request_id: str | None
    created_at: datetime


class VerificationQueueItem(VerificationCase):
    """A verification case with the claims of its identifiers that other users were refused."""

    identifier_conflict_count: int = Field(
        description="How many times others claimed one of the profile's identifiers."
    )
    identifier_conflicts: list[IdentifierConflictRead] = Field(
        description="The latest of those claims, newest first (at most 10)."
    )


class PeriodRead(BaseModel):
    """The days the period figures cover, inclusive, as calendar days in India."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True)

    first: date = Field(alias="from")
    last: date = Field(alias="to")
    timezone: str = INDIA_TIMEZONE.key


class DayCount(BaseModel):
    date: date
    count: int


class UserFigures(BaseModel):
    total: int
    by_role: dict[str, int]
    by_status: dict[str, int]
    signups: int = Field(description="Users who signed up in the period.")
    signups_per_day: list[DayCount] = Field(description="Every day of the period.")


class ProfileFigures(BaseModel):
    total: int = Field(description="Live profiles.")
    by_status: dict[str, int]
    by_sector: dict[str, int]
    by_state: dict[str, int]
    verification_queue: int = Field(description="Profiles waiting for a decision.")


class DealTypeFigures(BaseModel):
    count: int
    asking_value: int = Field(description="Whole rupees.")


class ListingFigures(BaseModel):
    total: int
    by_status: dict[str, int]
    by_deal_type: dict[str, int]
    hidden: int = Field(description="Listings of suspended owners (kept, not public).")


class DealFlow(BaseModel):
    """Public (active) listings and what their owners ask in all."""

    active_listings: int
    asking_value: int = Field(description="Whole rupees.")
    asking_value_crore: float = Field(description="The same in crore (1 Cr = ₹1,00,00,000).")
    asking_value_text: str = Field(examples=["₹1,250.5 Cr"])
    by_deal_type: dict[str, DealTypeFigures]


class ValuationFigures(BaseModel):
    total: int
    in_period: int
    profiles_valued: int


class MandateFigures(BaseModel):
    total: int
    active: int


class MatchFigures(BaseModel):
    """Ranked match lists served in the period and the matches in them, by direction
    (`mandate`: listings for a buyer's mandate; `listing`: mandates for a seller's listing)."""

    requests: int
    matches: int
    requests_by_direction: dict[str, int]
    matches_by_direction: dict[str, int]


class InterestFigures(BaseModel):
    sent: int = Field(description="Sent in the period.")
    accepted: int = Field(description="Accepted in the period.")
    sent_total: int
    accepted_total: int


class Funnel(BaseModel):
    """The period's signups (non-admin) through the seller funnel; each stage counts the users
    who also reached every earlier one (see `definition`)."""

    signed_up: int
    created_profile: int
    verified: int
    listed: int
    interest_accepted: int
    definition: str


class AnalyticsOverview(BaseModel):
    generated_at: datetime = Field(
        description="When these figures were computed (they are kept for up to a minute)."
    )
    period: PeriodRead
    users: UserFigures
    profiles: ProfileFigures
    listings: ListingFigures
    deal_flow: DealFlow
    valuations: ValuationFigures
    mandates: MandateFigures
    matches_served: MatchFigures
    interests: InterestFigures
    funnel: Funnel
    deals: DealFunnel = Field(description="The period's deals through the deal room.")
