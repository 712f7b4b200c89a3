"""Valuation: stored valuations with their input snapshot, outputs and data version.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 07:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from msmebazaar.shared.db import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "valuations",
        sa.Column("msme_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("sector", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("low", sa.BigInteger(), nullable=False),
        sa.Column("base", sa.BigInteger(), nullable=False),
        sa.Column("high", sa.BigInteger(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("method_mix", sa.String(length=80), nullable=False),
        sa.Column("data_version", sa.String(length=20), nullable=False),
        sa.Column("engine_version", sa.String(length=10), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_valuations")),
    )
    op.create_index(
        "ix_valuations_msme_created", "valuations", ["msme_id", "created_at"], unique=False
    )
    op.create_index(
        "ix_valuations_created_by_created",
        "valuations",
        ["created_by", "created_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_valuations_created_by_created", table_name="valuations")
    op.drop_index("ix_valuations_msme_created", table_name="valuations")
    op.drop_table("valuations")
