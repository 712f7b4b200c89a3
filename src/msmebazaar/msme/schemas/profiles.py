"""Business profile schemas: create, update, read, discovery filters, and the sector list."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from msmebazaar.msme.classification import Classification
from msmebazaar.shared.india import MAX_RUPEES


class LegalForm(StrEnum):
    PROPRIETORSHIP = "proprietorship"
    PARTNERSHIP = "partnership"
    LLP = "llp"
    PRIVATE_LIMITED = "private_limited"
    PUBLIC_LIMITED = "public_limited"
    OPC = "opc"
    OTHER = "other"


class VerificationStatus(StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
Identifier = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
City = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Website = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=255, pattern=r"^(https?://)?[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
    ),
]
Rupees = Annotated[int, Field(strict=True, ge=0, le=MAX_RUPEES)]
Year = Annotated[int, Field(strict=True, ge=1800, le=2100)]
Headcount = Annotated[int, Field(strict=True, ge=0, le=10_000_000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MsmeCreate(_Strict):
    """A new profile. GSTIN, PAN and Udyam are optional: many micro businesses have none."""

    legal_name: Name = Field(examples=["Shree Ganesh Food Products Private Limited"])
    trade_name: Name | None = Field(None, examples=["Ganesh Namkeen"])
    legal_form: LegalForm
    gstin: Identifier | None = Field(None, examples=["27AAPFU0939F1ZV"])
    pan: Identifier | None = Field(
        None, description="Taken from the GSTIN when left out.", examples=["AAPFU0939F"]
    )
    udyam_number: Identifier | None = Field(None, examples=["UDYAM-MH-26-0012345"])
    cin: Identifier | None = Field(None, examples=["U15400MH2012PTC123456"])
    sector: str = Field(
        min_length=1, max_length=40, description="A code from `GET /msmes/sectors`."
    )
    sub_sector: ShortText | None = None
    description: LongText | None = None
    products: LongText | None = None
    state: str = Field(min_length=1, max_length=60, examples=["Maharashtra"])
    city: City | None = Field(None, examples=["Pune"])
    pincode: Identifier | None = Field(None, examples=["411001"])
    year_established: Year | None = None
    employees: Headcount | None = None
    investment_in_plant_machinery: Rupees | None = Field(
        None, description="Whole rupees, at cost (written-down value is not used)."
    )
    website: Website | None = Field(None, examples=["https://ganeshnamkeen.in"])


class MsmeUpdate(_Strict):
    """Fields left out stay as they are; `null` clears an optional field."""

    legal_name: Name | None = None
    trade_name: Name | None = None
    legal_form: LegalForm | None = None
    gstin: Identifier | None = None
    pan: Identifier | None = None
    udyam_number: Identifier | None = None
    cin: Identifier | None = None
    sector: str | None = Field(None, min_length=1, max_length=40)
    sub_sector: ShortText | None = None
    description: LongText | None = None
    products: LongText | None = None
    state: str | None = Field(None, min_length=1, max_length=60)
    city: City | None = None
    pincode: Identifier | None = None
    year_established: Year | None = None
    employees: Headcount | None = None
    investment_in_plant_machinery: Rupees | None = None
    website: Website | None = None
    version: int | None = Field(
        None, strict=True, ge=1, description="The `version` you read; a stale one answers 409."
    )


class MsmeCard(BaseModel):
    """A profile as anyone may see it (`GET /msmes`, and `GET /msmes/{id}` for a visitor):
    never its owner's id, the PAN (a proprietor's personal PAN), a phone or an email."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    legal_name: str
    trade_name: str | None
    legal_form: LegalForm
    gstin: str | None
    udyam_number: str | None
    cin: str | None
    sector: str
    sub_sector: str | None
    description: str | None
    products: str | None
    state: str
    city: str | None
    pincode: str | None
    year_established: int | None
    employees: int | None
    investment_in_plant_machinery: int | None
    website: str | None
    classification: Classification
    verification_status: VerificationStatus
    created_at: datetime
    updated_at: datetime


class MsmeRead(MsmeCard):
    """Every field of a profile: for its owner, admins and buyers whose interest was accepted."""

    owner_id: uuid.UUID
    pan: str | None
    version: int


class SectorRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str = Field(examples=["food_processing"])
    name: str = Field(examples=["Food Processing"])
    name_hi: str = Field(examples=["खाद्य प्रसंस्करण"])
    valuation_sector: str = Field(
        description="The matching industry in Damodaran's India industry tables."
    )
