"""Deal-room schemas (DESIGN.md §3 "Deals"): the deal and its stage, the NDA, messages, offers,
closing."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from msmebazaar.msme.schemas.listings import DealType
from msmebazaar.shared.india import MAX_RUPEES


class DealStage(StrEnum):
    INTRODUCED = "introduced"
    NDA_SIGNED = "nda_signed"
    DILIGENCE = "diligence"
    OFFER = "offer"
    CLOSED_WON = "closed_won"
    CLOSED_LOST = "closed_lost"


CLOSED_STAGES = frozenset({DealStage.CLOSED_WON, DealStage.CLOSED_LOST})


class NdaStatus(BaseModel):
    """Who accepted the deal's NDA, and when."""

    owner_accepted_at: datetime | None
    buyer_accepted_at: datetime | None
    signed: bool = Field(description="Both sides accepted: documents and exact figures may flow.")


class DealRead(BaseModel):
    """A deal room between a listing's owner and a buyer whose interest was accepted."""

    id: uuid.UUID
    listing_id: uuid.UUID
    interest_id: uuid.UUID
    owner_id: uuid.UUID
    buyer_id: uuid.UUID
    stage: DealStage
    nda: NdaStatus
    headline: str = Field(description="The listing's headline.")
    deal_type: DealType = Field(
        description="The listing's deal type (a stake sale's or an "
        "investment's offers name a stake)."
    )
    asking_price: int = Field(description="The listing's asking price, whole rupees.")
    nda_required: bool = Field(
        description="The listing shares documents and exact figures only after both NDAs."
    )
    documents_open: bool = Field(
        description="Whether the buyer may open the business's documents and exact figures now."
    )
    closed_reason: str | None = None
    stage_changed_at: datetime
    created_at: datetime
    updated_at: datetime


class NdaRead(BaseModel):
    """The NDA's text in the caller's language, and who accepted it."""

    version: str
    language: Literal["en", "hi"]
    text: str
    sha256: str = Field(description="SHA-256 of `text`, recorded with each acceptance.")
    status: NdaStatus


class NdaAcceptanceRead(BaseModel):
    """What was recorded when the caller accepted: the text's version and hash, when, from where."""

    model_config = ConfigDict(from_attributes=True)

    deal_id: uuid.UUID
    user_id: uuid.UUID
    version: str
    language: str
    text_sha256: str
    accepted_at: datetime


MESSAGE_MAX_CHARS = 4000
OFFER_MAX_DAYS = 180  # an offer lapses at most this long after it is made
MessageBody = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MESSAGE_MAX_CHARS)
]


class MessageCreate(BaseModel):
    """A message to the deal's other side: plain text, 1 to 4,000 characters once trimmed."""

    model_config = ConfigDict(extra="forbid")

    body: MessageBody = Field(examples=["Could we see the last three years' ITRs?"])


class MessageRead(BaseModel):
    """A message, oldest first. Before both sides accepted the NDA, phone numbers, email
    addresses and links in it are masked for both sides."""

    id: uuid.UUID
    position: int = Field(description="Its place in the deal's conversation: page with `after`.")
    sender_id: uuid.UUID
    mine: bool
    body: str
    masked: bool = Field(description="Whether contact details in it were masked.")
    created_at: datetime


class DealClose(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["won", "lost"]
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000)]


class OfferStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    COUNTERED = "countered"
    EXPIRED = "expired"


class OfferCreate(BaseModel):
    """An offer: the buyer's, or the owner's counter to the buyer's pending one."""

    model_config = ConfigDict(extra="forbid")

    amount: Annotated[int, Field(strict=True, gt=0, le=MAX_RUPEES, description="Whole rupees.")]
    stake_percent: float | None = Field(
        None, gt=0, le=100, description="For stake sales and investments: the share, in (0, 100]."
    )
    terms: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
    valid_until: AwareDatetime = Field(description="When it lapses (within 180 days).")


class OfferRead(BaseModel):
    """An offer in a deal, and what became of it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    deal_id: uuid.UUID
    author_id: uuid.UUID
    side: Literal["buyer", "owner"]
    amount: int
    stake_percent: float | None
    terms: str
    valid_until: datetime
    status: OfferStatus
    counters_id: uuid.UUID | None = Field(description="The offer this one answered, if any.")
    created_at: datetime
    decided_at: datetime | None


class DealFunnel(BaseModel):
    """Deals opened in a period and how far they got (each stage counts the deals that reached
    it: see `definition`), with the median days each step took."""

    opened: int
    nda_signed: int
    offer_accepted: int
    won: int
    lost: int
    median_days_to_nda: float | None = Field(description="From opening to both NDAs.")
    median_days_to_offer: float | None = Field(description="From both NDAs to an accepted offer.")
    median_days_to_close: float | None = Field(description="From opening to won or lost.")
    definition: str


class DocumentAccessRead(BaseModel):
    """A document the deal's buyer opened: which, who, when."""

    id: uuid.UUID
    document_id: uuid.UUID
    filename: str
    kind: str
    user_id: uuid.UUID
    accessed_at: datetime
