"""Match tables: mandates, stored embeddings and the record of who was told about a listing.

Listings belong to the msme service; their ids are stored here without a foreign key, as users'
ids are (each service owns its tables, DESIGN.md §1).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    Float,
    Index,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from msmebazaar.shared.db import Base, Timestamps, UUIDPrimaryKey, utcnow

LISTING, MANDATE = "listing", "mandate"


class Mandate(UUIDPrimaryKey, Timestamps, Base):
    """What a buyer or investor looks for; money in whole rupees, stakes in percent."""

    __tablename__ = "match_mandates"
    __table_args__ = (Index("ix_match_mandates_active", "active"),)

    owner_id: Mapped[uuid.UUID] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(120))
    deal_types: Mapped[list[str]] = mapped_column(JSON)
    sectors: Mapped[list[str]] = mapped_column(JSON)
    exclude_sectors: Mapped[list[str]] = mapped_column(JSON)
    states: Mapped[list[str]] = mapped_column(JSON)
    ticket_min: Mapped[int | None]
    ticket_max: Mapped[int | None]
    revenue_min: Mapped[int | None]
    revenue_max: Mapped[int | None]
    ebitda_positive_only: Mapped[bool] = mapped_column(default=False)
    min_years: Mapped[int | None]
    stake_min: Mapped[float | None] = mapped_column(Numeric(5, 2, asdecimal=False))
    stake_max: Mapped[float | None] = mapped_column(Numeric(5, 2, asdecimal=False))
    thesis: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    public_profile: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declarative API


class StoredVector(Base):
    """One embedding of a listing's or a mandate's text: float32 bytes, by provider.

    `text_hash` (SHA-256 of the embedded text) tells whether the text changed since, so an
    unchanged listing is never embedded twice; `provider` keeps vectors of different models
    apart, so switching `MATCH_EMBEDDER` never mixes spaces.
    """

    __tablename__ = "match_vectors"

    subject_type: Mapped[str] = mapped_column(String(8), primary_key=True)
    subject_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(80), primary_key=True)
    dimension: Mapped[int]
    text_hash: Mapped[str] = mapped_column(String(64))
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class MatchNotification(UUIDPrimaryKey, Base):
    """A mandate owner was told about a listing: at most once per owner and listing."""

    __tablename__ = "match_notifications"
    __table_args__ = (UniqueConstraint("owner_id", "listing_id"),)

    owner_id: Mapped[uuid.UUID]
    listing_id: Mapped[uuid.UUID] = mapped_column(index=True)
    mandate_id: Mapped[uuid.UUID]
    score: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MatchServed(Base):
    """How many ranked match lists, and matches in them, were served: per day and direction.

    Each request adds to one of a few `bucket` rows of its day (picked at random), so concurrent
    requests rarely wait on the same row lock; a total is the sum over the buckets.
    """

    __tablename__ = "match_served"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    direction: Mapped[str] = mapped_column(String(8), primary_key=True)  # listing | mandate
    bucket: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    requests: Mapped[int] = mapped_column(default=0)
    matches: Mapped[int] = mapped_column(default=0)
