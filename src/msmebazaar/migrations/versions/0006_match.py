"""Match: mandates, stored embeddings (float32 bytes by provider) and notifications sent.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from msmebazaar.shared.db import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "match_mandates",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("deal_types", sa.JSON(), nullable=False),
        sa.Column("sectors", sa.JSON(), nullable=False),
        sa.Column("exclude_sectors", sa.JSON(), nullable=False),
        sa.Column("states", sa.JSON(), nullable=False),
        sa.Column("ticket_min", sa.BigInteger(), nullable=True),
        sa.Column("ticket_max", sa.BigInteger(), nullable=True),
        sa.Column("revenue_min", sa.BigInteger(), nullable=True),
        sa.Column("revenue_max", sa.BigInteger(), nullable=True),
        sa.Column("ebitda_positive_only", sa.Boolean(), nullable=False),
        sa.Column("min_years", sa.BigInteger(), nullable=True),
        sa.Column("stake_min", sa.Numeric(precision=5, scale=2, asdecimal=False), nullable=True),
        sa.Column("stake_max", sa.Numeric(precision=5, scale=2, asdecimal=False), nullable=True),
        sa.Column("thesis", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("public_profile", sa.Boolean(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_mandates")),
    )
    op.create_index("ix_match_mandates_active", "match_mandates", ["active"], unique=False)
    op.create_index(
        op.f("ix_match_mandates_owner_id"), "match_mandates", ["owner_id"], unique=False
    )
    op.create_table(
        "match_vectors",
        sa.Column("subject_type", sa.String(length=8), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("provider", sa.String(length=80), nullable=False),
        sa.Column("dimension", sa.BigInteger(), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint(
            "subject_type", "subject_id", "provider", name=op.f("pk_match_vectors")
        ),
    )
    op.create_table(
        "match_notifications",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("listing_id", sa.Uuid(), nullable=False),
        sa.Column("mandate_id", sa.Uuid(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_notifications")),
        sa.UniqueConstraint(
            "owner_id", "listing_id", name=op.f("uq_match_notifications_owner_id_listing_id")
        ),
    )
    op.create_index(
        op.f("ix_match_notifications_listing_id"),
        "match_notifications",
        ["listing_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_match_notifications_listing_id"), table_name="match_notifications")
    op.drop_table("match_notifications")
    op.drop_table("match_vectors")
    op.drop_index(op.f("ix_match_mandates_owner_id"), table_name="match_mandates")
    op.drop_index("ix_match_mandates_active", table_name="match_mandates")
    op.drop_table("match_mandates")
