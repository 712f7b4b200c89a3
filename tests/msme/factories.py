"""Test data for msme: valid, real-looking identifiers and profiles, financials, listings and
interests written straight to the database, and signed-in users of each role."""

from __future__ import annotations

import hashlib
import itertools
import string
import uuid
from typing import Any

from sqlalchemy import update
from stdnum import luhn

from msmebazaar.msme import nda
from msmebazaar.msme.models import (
    Deal,
    Document,
    Financials,
    Interest,
    Listing,
    Msme,
    NdaAcceptance,
)
from msmebazaar.shared.db import Database, utcnow
from tests.auth.factories import make_user

MSMES = "/api/v1/msmes"
GSTIN_ALPHABET = string.digits + string.ascii_uppercase

_serials = itertools.count(1)


def _letters(number: int, width: int) -> str:
    """`number` in base 26 as `width` capital letters."""
    out = ""
    for _ in range(width):
        number, digit = divmod(number, 26)
        out = string.ascii_uppercase[digit] + out
    return out


def new_pan(holder: str = "C") -> str:
    """A valid PAN, different on every call (`holder`: C company, F firm, P individual...)."""
    serial = next(_serials)
    return f"{_letters(serial, 3)}{holder}{_letters(serial // 17, 1)}{serial % 10_000:04d}Z"


def gstin_for(pan: str, state_code: str = "27", entity: str = "1") -> str:
    """A GSTIN with a correct check character for `pan` registered in `state_code`."""
    body = f"{state_code}{pan}{entity}Z"
    return body + luhn.calc_check_digit(body, GSTIN_ALPHABET)


def new_udyam(state: str = "MH") -> str:
    """A well-formed Udyam number, different on every call."""
    return f"UDYAM-{state}-26-{next(_serials):07d}"


def profile_payload(**overrides: Any) -> dict[str, Any]:
    """A complete, valid `POST /msmes` body for a Pune food business; override any field."""
    pan = new_pan()
    payload: dict[str, Any] = {
        "legal_name": "Shree Ganesh Food Products Private Limited",
        "trade_name": "Ganesh Namkeen",
        "legal_form": "private_limited",
        "gstin": gstin_for(pan, "27"),
        "pan": pan,
        "udyam_number": new_udyam("MH"),
        "cin": "U15400MH2012PTC123456",
        "sector": "food_processing",
        "sub_sector": "Namkeen and snacks",
        "description": "Traditional Maharashtrian snacks made in a FSSAI-licensed unit.",
        "products": "Bhakarwadi, chivda, farsan",
        "state": "Maharashtra",
        "city": "Pune",
        "pincode": "411001",
        "year_established": 2012,
        "employees": 42,
        "investment_in_plant_machinery": 1_80_00_000,
        "website": "https://ganeshnamkeen.in",
    }
    return payload | overrides


async def make_msme(
    database: Database,
    owner_id: uuid.UUID,
    *,
    verification_status: str = "verified",
    classification: str = "micro",
    **overrides: Any,
) -> Msme:
    """A profile stored directly (no API), verified by default."""
    msme = Msme(
        id=uuid.uuid4(),
        owner_id=owner_id,
        verification_status=verification_status,
        classification=classification,
        **profile_payload(**overrides),
    )
    async with database.session() as session:
        session.add(msme)
    return msme


def financials_payload(**overrides: Any) -> dict[str, Any]:
    """A valid `PUT /msmes/{id}/financials/{year}` body (₹8 Cr revenue); override any field."""
    payload: dict[str, Any] = {
        "revenue": 8_00_00_000,
        "ebitda": 1_20_00_000,
        "net_profit": 60_00_000,
        "depreciation": 20_00_000,
        "interest": 10_00_000,
        "total_assets": 5_00_00_000,
        "total_liabilities": 2_00_00_000,
        "cash": 40_00_000,
        "debt": 1_50_00_000,
        "owner_salary": 24_00_000,
    }
    return payload | overrides


async def make_financials(
    database: Database, msme_id: uuid.UUID, fiscal_year: str = "2024-25", **overrides: Any
) -> Financials:
    """One fiscal year of figures stored directly."""
    row = Financials(
        id=uuid.uuid4(),
        msme_id=msme_id,
        fiscal_year=fiscal_year,
        **financials_payload(**overrides),
    )
    async with database.session() as session:
        session.add(row)
    return row


async def make_listing(
    database: Database,
    msme: Msme,
    *,
    anonymous: bool = True,
    status: str = "active",
    **overrides: Any,
) -> Listing:
    """A listing of `msme` stored directly."""
    fields: dict[str, Any] = {
        "deal_type": "full_sale",
        "asking_price": 6_00_00_000,
        "headline": "Profitable snacks maker in western India",
        "summary": "Established brand, steady distributor network, own plant.",
        "sector": msme.sector,
        "state": msme.state,
    }
    listing = Listing(
        id=uuid.uuid4(),
        msme_id=msme.id,
        owner_id=msme.owner_id,
        anonymous=anonymous,
        status=status,
        published_at=utcnow() if status == "active" else None,
        **(fields | overrides),
    )
    async with database.session() as session:
        session.add(listing)
    return listing


async def make_interest(
    database: Database, listing: Listing, buyer_id: uuid.UUID, *, status: str = "accepted"
) -> Interest:
    """A buyer's interest in `listing`, accepted by default."""
    interest = Interest(
        id=uuid.uuid4(),
        listing_id=listing.id,
        buyer_id=buyer_id,
        message="We would like to know more.",
        status=status,
        decided_at=utcnow() if status != "pending" else None,
    )
    async with database.session() as session:
        session.add(interest)
    return interest


async def make_deal_room(
    database: Database,
    owner_id: uuid.UUID,
    buyer_id: uuid.UUID,
    *,
    nda_signed: bool = False,
    **listing_fields: Any,
) -> Deal:
    """A deal room between an owner and a buyer (their accepted interest in a new listing),
    stored directly; with `nda_signed`, both accepted the NDA."""
    listing = await make_listing(database, await make_msme(database, owner_id), **listing_fields)
    interest = await make_interest(database, listing, buyer_id, status="accepted")
    return await make_deal(database, listing, interest, nda_signed=nda_signed)


async def sign_nda(database: Database, deal: Deal) -> None:
    """Both sides of `deal` accept its NDA (stored directly)."""
    text, now = nda.current("en"), utcnow()
    async with database.session() as session:
        session.add_all(
            NdaAcceptance(
                id=uuid.uuid4(),
                deal_id=deal.id,
                user_id=user_id,
                version=text.version,
                language="en",
                text_sha256=text.sha256,
                accepted_at=now,
            )
            for user_id in (deal.owner_id, deal.buyer_id)
        )
        await session.execute(
            update(Deal)
            .where(Deal.id == deal.id)
            .values(nda_signed_at=now, stage="nda_signed", stage_changed_at=now)
        )


async def make_deal(
    database: Database, listing: Listing, interest: Interest, *, nda_signed: bool = False
) -> Deal:
    """The deal room of an accepted interest, stored directly; with `nda_signed`, both sides
    accepted the NDA."""
    now = utcnow()
    deal = Deal(
        id=uuid.uuid4(),
        listing_id=listing.id,
        interest_id=interest.id,
        owner_id=listing.owner_id,
        buyer_id=interest.buyer_id,
        stage="introduced",
        stage_changed_at=now,
    )
    async with database.session() as session:
        session.add(deal)
    if nda_signed:
        await sign_nda(database, deal)
    return deal


async def make_deals(database: Database, count: int) -> list[uuid.UUID]:
    """`count` owners, each with a profile, figures and a listing (every other one anonymous)
    that a new buyer is interested in; returns the owners' ids."""
    owners = []
    for n in range(count):
        owner = await make_user(database)
        buyer = await make_user(database, role="buyer")
        msme = await make_msme(database, owner.id)
        await make_financials(database, msme.id)
        listing = await make_listing(database, msme, anonymous=n % 2 == 0)
        await make_interest(database, listing, buyer.id)
        owners.append(owner.id)
    return owners


# --- listings and interests (engineer B) ------------------------------------------------------


def listing_payload(msme_id: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    """A valid, anonymous-safe `POST /listings` body for a full sale; override any field."""
    payload: dict[str, Any] = {
        "msme_id": str(msme_id),
        "deal_type": "full_sale",
        "asking_price": 6_00_00_000,
        "anonymous": True,
        "headline": "Profitable snacks maker in western India",
        "summary": "Established brand, steady distributor network, own FSSAI-licensed plant.",
    }
    return {key: value for key, value in (payload | overrides).items() if value is not None}


async def make_documents(database: Database, msme: Msme, count: int, size: int = 1024) -> None:
    """`count` documents already on the profile (rows only, no files), `size` bytes each."""
    async with database.session() as session:
        for index in range(count):
            session.add(
                Document(
                    id=uuid.uuid4(),
                    msme_id=msme.id,
                    kind="other",
                    filename=f"old-{index}.pdf",
                    content_type="application/pdf",
                    size=size,
                    sha256=hashlib.sha256(f"{msme.id}-{index}".encode()).hexdigest(),
                    storage_key=f"msmes/{msme.id}/old-{index}",
                    uploaded_by=msme.owner_id,
                    created_at=utcnow(),
                )
            )
