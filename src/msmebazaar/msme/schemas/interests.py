"""Interest schemas: a buyer's message, and what each side sees of the other."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from msmebazaar.msme.schemas.listings import ListingCard
from msmebazaar.msme.schemas.profiles import MsmeRead


class InterestStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class InterestCreate(BaseModel):
    """A buyer's or investor's note to the owner."""

    model_config = ConfigDict(extra="forbid")

    message: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=10, max_length=2000)
    ] = Field(examples=["We run two snack brands in Gujarat and would like to talk."])


class Contact(BaseModel):
    """How to reach the other side: shared only once the owner accepts the interest."""

    user_id: uuid.UUID
    name: str | None
    phone: str = Field(examples=["+919876543210"])
    email: str | None


class InterestRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    listing_id: uuid.UUID
    buyer_id: uuid.UUID
    message: str
    status: InterestStatus
    created_at: datetime
    decided_at: datetime | None


class InterestSent(InterestRead):
    """`GET /interests/mine`: the listing's card; once accepted, the owner's contact and the
    full profile too."""

    listing: ListingCard
    owner_contact: Contact | None = None
    profile: MsmeRead | None = None


class InterestReceived(InterestRead):
    """`GET /interests/received`: who is interested; their contact once you accept."""

    listing_headline: str
    buyer_name: str | None
    buyer_role: str
    buyer_contact: Contact | None = None
