"""Admin tables: the append-only audit log of every admin action and sensitive change.

Actors and targets (users, profiles, listings) belong to other services: their ids are stored
here without foreign keys, and an audit row outlives whatever it describes. Migration 0007 adds
triggers that refuse UPDATE and DELETE on this table, so history is never rewritten.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from msmebazaar.shared.db import Base, UUIDPrimaryKey, utcnow


class AuditEntry(UUIDPrimaryKey, Base):
    """Who did what to which target, the value before and after, why, in which request, when."""

    __tablename__ = "admin_audit_log"
    __table_args__ = (
        Index("ix_admin_audit_log_created", "created_at", "id"),
        Index("ix_admin_audit_log_actor_created", "actor_id", "created_at"),
        Index("ix_admin_audit_log_target_created", "target_id", "created_at"),
        Index("ix_admin_audit_log_action_created", "action", "created_at"),
    )

    actor_id: Mapped[uuid.UUID | None]  # None: the system itself
    actor_role: Mapped[str | None] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(48))
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[uuid.UUID | None]  # None: a platform-wide action (an export)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)
    request_id: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
