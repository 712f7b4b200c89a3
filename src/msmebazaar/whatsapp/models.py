"""WhatsApp tables: conversations (one per phone), messages received and messages sent.

Users, profiles and mandates made from a conversation are stored by their own services; their
ids are kept here without foreign keys (each service owns its tables, DESIGN.md §1).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from msmebazaar.shared.db import Base, Timestamps, UUIDPrimaryKey, utcnow

# Inbound message states; an inbound row is `pending` until its reply is queued.
PENDING, PROCESSED, FAILED = "pending", "processed", "failed"
# Outbound message states: queued in the outbox, then as the provider reports; `not_sent` when
# WhatsApp's 24-hour window had closed and no template is configured; `simulated` for /simulate.
QUEUED, SENT, DELIVERED, READ, NOT_SENT, SIMULATED = (
    "queued",
    "sent",
    "delivered",
    "read",
    "not_sent",
    "simulated",
)


class Conversation(UUIDPrimaryKey, Timestamps, Base):
    """The onboarding state of one phone. Handlers lock the row (and bump `version`), so two
    processes never advance the same conversation at once."""

    __tablename__ = "whatsapp_conversations"

    phone: Mapped[str] = mapped_column(String(20), unique=True)
    language: Mapped[str | None] = mapped_column(String(2))
    step: Mapped[str | None] = mapped_column(String(32))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    history: Mapped[list[str]] = mapped_column(JSON, default=list)
    last_inbound_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declarative API


class InboundMessage(UUIDPrimaryKey, Base):
    """A message received, stored before the webhook answers; unique per provider message id,
    so a provider's retry is recorded (and handled) once."""

    __tablename__ = "whatsapp_inbound_messages"
    __table_args__ = (
        UniqueConstraint("provider", "provider_message_id"),
        Index("ix_whatsapp_inbound_messages_pending", "status", "received_at"),
        Index("ix_whatsapp_inbound_messages_phone", "phone", "status"),
    )

    provider: Mapped[str] = mapped_column(String(16))
    provider_message_id: Mapped[str] = mapped_column(String(128))
    phone: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(Text)
    reply_id: Mapped[str | None] = mapped_column(String(256))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    processed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(200))


class OutboundMessage(UUIDPrimaryKey, Timestamps, Base):
    """A reply: what was said, through which provider, and its delivery as the provider's
    status callbacks report it (sent, delivered, read, failed)."""

    __tablename__ = "whatsapp_outbound_messages"

    inbound_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    outbox_id: Mapped[uuid.UUID | None] = mapped_column(unique=True)
    phone: Mapped[str] = mapped_column(String(20))
    provider: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    provider_message_id: Mapped[str | None] = mapped_column(String(128), index=True)
    error: Mapped[str | None] = mapped_column(String(300))
    status_at: Mapped[datetime | None]
