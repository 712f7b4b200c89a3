"""The valuation service's one table: every valuation run, with its inputs and data version."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from msmebazaar.shared.db import Base, UUIDPrimaryKey, utcnow


class Valuation(UUIDPrimaryKey, Base):
    """A stored valuation. `inputs` is the engine's input snapshot and `result` its output, so
    `data_version` + `engine_version` + `inputs` recompute every figure to the rupee.

    `msme_id` is null for an ad hoc valuation; it is not a foreign key because the msme service
    owns that table (a deleted profile keeps its valuation history).
    """

    __tablename__ = "valuations"
    __table_args__ = (
        Index("ix_valuations_msme_created", "msme_id", "created_at"),
        Index("ix_valuations_created_by_created", "created_by", "created_at"),
        # Valuations run in a period (admin analytics).
        Index("ix_valuations_created_at", "created_at"),
    )

    msme_id: Mapped[uuid.UUID | None]
    created_by: Mapped[uuid.UUID]
    sector: Mapped[str] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3), default="INR")
    low: Mapped[int]
    base: Mapped[int]
    high: Mapped[int]
    confidence: Mapped[float] = mapped_column(Float)
    method_mix: Mapped[str] = mapped_column(String(80))
    data_version: Mapped[str] = mapped_column(String(20))
    engine_version: Mapped[str] = mapped_column(String(10))
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
