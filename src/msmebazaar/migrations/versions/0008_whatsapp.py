"""WhatsApp: conversations (one per phone), messages received (unique per provider message id)
and messages sent (with their delivery status).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from msmebazaar.shared.db import UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "whatsapp_conversations",
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column("step", sa.String(length=32), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("last_inbound_at", UTCDateTime(), nullable=True),
        sa.Column("completed_at", UTCDateTime(), nullable=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_whatsapp_conversations")),
        sa.UniqueConstraint("phone", name=op.f("uq_whatsapp_conversations_phone")),
    )
    op.create_table(
        "whatsapp_inbound_messages",
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("provider_message_id", sa.String(length=128), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("reply_id", sa.String(length=256), nullable=True),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.BigInteger(), nullable=False),
        sa.Column("processed_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_whatsapp_inbound_messages")),
        sa.UniqueConstraint(
            "provider",
            "provider_message_id",
            name=op.f("uq_whatsapp_inbound_messages_provider_provider_message_id"),
        ),
    )
    op.create_index(
        "ix_whatsapp_inbound_messages_pending",
        "whatsapp_inbound_messages",
        ["status", "received_at"],
        unique=False,
    )
    op.create_index(
        "ix_whatsapp_inbound_messages_phone",
        "whatsapp_inbound_messages",
        ["phone", "status"],
        unique=False,
    )
    op.create_table(
        "whatsapp_outbound_messages",
        sa.Column("inbound_id", sa.Uuid(), nullable=True),
        sa.Column("outbox_id", sa.Uuid(), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("provider_message_id", sa.String(length=128), nullable=True),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.Column("status_at", UTCDateTime(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_whatsapp_outbound_messages")),
        sa.UniqueConstraint("outbox_id", name=op.f("uq_whatsapp_outbound_messages_outbox_id")),
    )
    op.create_index(
        op.f("ix_whatsapp_outbound_messages_inbound_id"),
        "whatsapp_outbound_messages",
        ["inbound_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_whatsapp_outbound_messages_provider_message_id"),
        "whatsapp_outbound_messages",
        ["provider_message_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_whatsapp_outbound_messages_provider_message_id"),
        table_name="whatsapp_outbound_messages",
    )
    op.drop_index(
        op.f("ix_whatsapp_outbound_messages_inbound_id"), table_name="whatsapp_outbound_messages"
    )
    op.drop_table("whatsapp_outbound_messages")
    op.drop_index("ix_whatsapp_inbound_messages_phone", table_name="whatsapp_inbound_messages")
    op.drop_index("ix_whatsapp_inbound_messages_pending", table_name="whatsapp_inbound_messages")
    op.drop_table("whatsapp_inbound_messages")
    op.drop_table("whatsapp_conversations")
