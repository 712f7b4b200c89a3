"""MSME tables: business profiles, financials by fiscal year, documents, listings, interests and
the deal rooms an accepted interest opens (NDA acceptances, messages).

Owners and buyers are users of the auth service: their ids are stored here without a foreign key,
because each service owns its own tables (DESIGN.md §1).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from msmebazaar.shared.db import Base, Timestamps, UUIDPrimaryKey

LEGAL_FORMS = (
    "proprietorship",
    "partnership",
    "llp",
    "private_limited",
    "public_limited",
    "opc",
    "other",
)
CLASSIFICATIONS = ("micro", "small", "medium", "not_msme", "unknown")
VERIFICATION_STATUSES = ("pending", "verified", "rejected")
DOCUMENT_KINDS = (
    "gst_certificate",
    "udyam_certificate",
    "pan_card",
    "financial_statement",
    "itr",
    "other",
)
DEAL_TYPES = ("full_sale", "stake_sale", "investment", "debt")
LISTING_STATUSES = ("draft", "submitted", "active", "rejected", "closed")
INTEREST_STATUSES = ("pending", "accepted", "declined", "withdrawn")
# A deal's stages, in the order a deal moves through them (`msme/deals.py` moves it).
DEAL_STAGES = ("introduced", "nda_signed", "diligence", "offer", "closed_won", "closed_lost")
OFFER_STATUSES = ("pending", "accepted", "rejected", "withdrawn", "countered", "expired")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


# Identifiers are unique among live profiles only: a soft-deleted profile frees its GSTIN.
_LIVE = "deleted_at IS NULL"


class Msme(UUIDPrimaryKey, Timestamps, Base):
    """A business profile; identifiers checked on entry, classification computed, never typed."""

    __tablename__ = "msmes"
    __table_args__ = (
        CheckConstraint(_one_of("legal_form", LEGAL_FORMS), name="legal_form"),
        CheckConstraint(_one_of("classification", CLASSIFICATIONS), name="classification"),
        CheckConstraint(
            _one_of("verification_status", VERIFICATION_STATUSES), name="verification_status"
        ),
        Index(
            "uq_msmes_gstin_live",
            "gstin",
            unique=True,
            sqlite_where=text(f"gstin IS NOT NULL AND {_LIVE}"),
            postgresql_where=text(f"gstin IS NOT NULL AND {_LIVE}"),
        ),
        Index(
            "uq_msmes_udyam_live",
            "udyam_number",
            unique=True,
            sqlite_where=text(f"udyam_number IS NOT NULL AND {_LIVE}"),
            postgresql_where=text(f"udyam_number IS NOT NULL AND {_LIVE}"),
        ),
        Index("ix_msmes_discovery", "verification_status", "sector", "state"),
        # Admin: live profiles by status, sector and state (index-only), the verification queue
        # oldest first, and owners' live profiles for the signup funnel.
        Index(
            "ix_msmes_live_facets",
            "verification_status",
            "sector",
            "state",
            sqlite_where=text(_LIVE),
            postgresql_where=text(_LIVE),
        ),
        Index(
            "ix_msmes_live_queue",
            "verification_status",
            "created_at",
            "id",
            sqlite_where=text(_LIVE),
            postgresql_where=text(_LIVE),
        ),
        Index(
            "ix_msmes_live_owner",
            "owner_id",
            "verification_status",
            sqlite_where=text(_LIVE),
            postgresql_where=text(_LIVE),
        ),
        # max(updated_at) is the change stamp other processes poll (match's index refresh).
        Index("ix_msmes_updated_at", "updated_at"),
    )

    owner_id: Mapped[uuid.UUID] = mapped_column(index=True)
    legal_name: Mapped[str] = mapped_column(String(200))
    trade_name: Mapped[str | None] = mapped_column(String(200))
    legal_form: Mapped[str] = mapped_column(String(20))
    gstin: Mapped[str | None] = mapped_column(String(15))
    pan: Mapped[str | None] = mapped_column(String(10), index=True)
    udyam_number: Mapped[str | None] = mapped_column(String(19))
    cin: Mapped[str | None] = mapped_column(String(21))
    sector: Mapped[str] = mapped_column(String(40))
    sub_sector: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    products: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(60))
    city: Mapped[str | None] = mapped_column(String(100))
    pincode: Mapped[str | None] = mapped_column(String(6))
    year_established: Mapped[int | None]
    employees: Mapped[int | None]
    investment_in_plant_machinery: Mapped[int | None]  # whole rupees
    website: Mapped[str | None] = mapped_column(String(255))
    classification: Mapped[str] = mapped_column(String(10), default="unknown")
    verification_status: Mapped[str] = mapped_column(String(10), default="pending")
    verification_reason: Mapped[str | None] = mapped_column(Text)
    verified_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declarative API


class Financials(UUIDPrimaryKey, Timestamps, Base):
    """One fiscal year (`2024-25`) of a profile's figures, in whole rupees."""

    __tablename__ = "msme_financials"
    __table_args__ = (UniqueConstraint("msme_id", "fiscal_year"),)

    msme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("msmes.id", ondelete="CASCADE"))
    fiscal_year: Mapped[str] = mapped_column(String(7))
    revenue: Mapped[int]
    ebitda: Mapped[int | None]
    net_profit: Mapped[int | None]
    depreciation: Mapped[int | None]
    interest: Mapped[int | None]
    total_assets: Mapped[int | None]
    total_liabilities: Mapped[int | None]
    cash: Mapped[int | None]
    debt: Mapped[int | None]
    owner_salary: Mapped[int | None]


class Document(UUIDPrimaryKey, Base):
    """An uploaded file of a profile; the bytes live in storage under `storage_key`."""

    __tablename__ = "msme_documents"
    __table_args__ = (CheckConstraint(_one_of("kind", DOCUMENT_KINDS), name="kind"),)

    msme_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("msmes.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(24))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(255), unique=True)
    uploaded_by: Mapped[uuid.UUID]
    created_at: Mapped[datetime]


class Listing(UUIDPrimaryKey, Timestamps, Base):
    """A profile's offer to buyers or investors.

    `sector`, `state`, `revenue` and `ebitda` are copied from the profile and its latest fiscal
    year whenever those change, so public search filters and sorts one table with indexes.
    """

    __tablename__ = "listings"
    __table_args__ = (
        CheckConstraint(_one_of("deal_type", DEAL_TYPES), name="deal_type"),
        CheckConstraint(_one_of("status", LISTING_STATUSES), name="status"),
        CheckConstraint("asking_price > 0", name="asking_price_positive"),
        # Price and revenue ride along so that counting a filtered search is an index-only scan.
        Index(
            "ix_listings_search",
            "status",
            "sector",
            "state",
            "deal_type",
            "asking_price",
            "revenue",
        ),
        # Each sort's order ends with `id` (the tie-break), so a page is read straight off the
        # index instead of sorting every active listing.
        Index("ix_listings_status_published", "status", "published_at", "id"),
        Index("ix_listings_status_price", "status", "asking_price", "id"),
        Index("ix_listings_status_revenue", "status", "revenue", "id"),
        Index("ix_listings_updated_at", "updated_at"),
        # Admin analytics: listings by status and deal type with the deal flow (index-only),
        # and the owners whose listing was ever approved (the signup funnel).
        Index(
            "ix_listings_status_deal_type",
            "status",
            "deal_type",
            "owner_suspended",
            "asking_price",
        ),
        Index(
            "ix_listings_owner_published",
            "owner_id",
            sqlite_where=text("published_at IS NOT NULL"),
            postgresql_where=text("published_at IS NOT NULL"),
        ),
        # The owners of listings with an accepted interest, read off the index (the funnel).
        Index("ix_listings_id_owner", "id", "owner_id"),
    )

    msme_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("msmes.id", ondelete="CASCADE"), index=True
    )
    owner_id: Mapped[uuid.UUID] = mapped_column(index=True)
    deal_type: Mapped[str] = mapped_column(String(16))
    asking_price: Mapped[int]
    stake_percent: Mapped[float | None] = mapped_column(Numeric(5, 2, asdecimal=False))
    anonymous: Mapped[bool] = mapped_column(default=True)
    headline: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    sector: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(60))
    revenue: Mapped[int | None]
    ebitda: Mapped[int | None]
    views_count: Mapped[int] = mapped_column(default=0)
    interests_count: Mapped[int] = mapped_column(default=0)
    submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # Set while the owner's account is suspended (admin): the listing keeps its status but
    # leaves search, cards, interests and matching until the owner is reactivated.
    owner_suspended: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Documents and exact figures reach a deal's buyer only once both sides accepted the NDA.
    # New listings promise it; those from before migration 0017 did not (server default).
    nda_required: Mapped[bool] = mapped_column(default=True, server_default=false())
    # Set while one of its deals has an accepted offer: the public status reads `under_offer`.
    under_offer: Mapped[bool] = mapped_column(default=False, server_default=false())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declarative API

    @property
    def public_status(self) -> str:
        """The status the API shows: `under_offer` for an active listing with an accepted
        offer (stored as `active`, so everything that serves active listings still does)."""
        return "under_offer" if self.status == "active" and self.under_offer else self.status


class Interest(UUIDPrimaryKey, Timestamps, Base):
    """A buyer's or investor's interest in a listing: one live (not withdrawn) per buyer."""

    __tablename__ = "interests"
    __table_args__ = (
        # A buyer who withdrew may send again; migration 0009 builds this index online.
        Index(
            "uq_interests_live_listing_id_buyer_id",
            "listing_id",
            "buyer_id",
            unique=True,
            sqlite_where=text("status <> 'withdrawn'"),
            postgresql_where=text("status <> 'withdrawn'"),
        ),
        CheckConstraint(_one_of("status", INTEREST_STATUSES), name="status"),
        # Admin analytics: interests sent in a period; accepted ones (the signup funnel).
        Index("ix_interests_created_at", "created_at"),
        Index(
            "ix_interests_accepted",
            "listing_id",
            sqlite_where=text("status = 'accepted'"),
            postgresql_where=text("status = 'accepted'"),
        ),
    )

    listing_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    buyer_id: Mapped[uuid.UUID] = mapped_column(index=True)
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    decided_at: Mapped[datetime | None]


class Deal(UUIDPrimaryKey, Timestamps, Base):
    """The deal room an accepted interest opens between a listing's owner and the buyer."""

    __tablename__ = "deals"
    __table_args__ = (
        CheckConstraint(_one_of("stage", DEAL_STAGES), name="stage"),
        Index("ix_deals_owner_id_updated_at", "owner_id", "updated_at"),
        Index("ix_deals_buyer_id_updated_at", "buyer_id", "updated_at"),
    )

    listing_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    interest_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("interests.id", ondelete="CASCADE"), unique=True
    )
    owner_id: Mapped[uuid.UUID]
    buyer_id: Mapped[uuid.UUID]
    stage: Mapped[str] = mapped_column(String(16), default="introduced")
    stage_changed_at: Mapped[datetime]
    closed_by: Mapped[uuid.UUID | None]
    closed_reason: Mapped[str | None] = mapped_column(Text)
    # When the second side accepted the NDA (null until both did).
    nda_signed_at: Mapped[datetime | None]


class NdaAcceptance(UUIDPrimaryKey, Base):
    """One party's acceptance of a deal's NDA: who, when, which text (version and SHA-256),
    from where. Written once, never changed."""

    __tablename__ = "nda_acceptances"
    __table_args__ = (UniqueConstraint("deal_id", "user_id"),)

    deal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID]
    version: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(2))
    text_sha256: Mapped[str] = mapped_column(String(64))
    ip_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(255))
    accepted_at: Mapped[datetime]


class DealMessage(UUIDPrimaryKey, Base):
    """A message between a deal's two parties (plain text), oldest first."""

    __tablename__ = "deal_messages"
    __table_args__ = (
        Index("ix_deal_messages_deal_id_position", "deal_id", "position", unique=True),
    )

    deal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    # Order within the deal, given under the deal's row lock: `after` pages by it, so a message
    # sent at the same instant as another is never skipped.
    position: Mapped[int]
    sender_id: Mapped[uuid.UUID]
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class Offer(UUIDPrimaryKey, Base):
    """A price put in a deal: the buyer's, or the owner's counter to it. At most one is pending
    per deal; a new one from the other side counters it."""

    __tablename__ = "offers"
    __table_args__ = (
        CheckConstraint(_one_of("status", OFFER_STATUSES), name="status"),
        CheckConstraint(_one_of("side", ("buyer", "owner")), name="side"),
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("ix_offers_deal_id_created_at", "deal_id", "created_at"),
    )

    deal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    author_id: Mapped[uuid.UUID]
    side: Mapped[str] = mapped_column(String(5))
    amount: Mapped[int]
    stake_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    terms: Mapped[str] = mapped_column(Text)
    valid_until: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(10), default="pending")
    counters_id: Mapped[uuid.UUID | None]  # the offer this one answered
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]


class DocumentAccess(UUIDPrimaryKey, Base):
    """A document a deal's buyer opened: who, which, when (the owner sees the log)."""

    __tablename__ = "document_accesses"
    __table_args__ = (Index("ix_document_accesses_deal_id_accessed_at", "deal_id", "accessed_at"),)

    deal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("msme_documents.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[uuid.UUID]
    accessed_at: Mapped[datetime]
