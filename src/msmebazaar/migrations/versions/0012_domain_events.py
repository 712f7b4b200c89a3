"""Domain events stored with their change, and each handler's progress through them.

- `domain_events`: one row per event, written in the transaction that made the change
  (`shared/events.py`); `position` is its place in commit order.
- `event_handlers`: per handler, the position of the last event it took and its lease.
- `event_failures`: the events a handler gave up after its last try (dead letters).

New tables only: nothing existing is locked or rewritten.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from msmebazaar.shared.db import UTCDateTime

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite makes a column an auto-increasing row id only as INTEGER PRIMARY KEY.
_POSITION = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "domain_events",
        sa.Column("position", _POSITION, autoincrement=True, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("aggregate_id", sa.String(64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("position", name=op.f("pk_domain_events")),
        sa.UniqueConstraint("id", name=op.f("uq_domain_events_id")),
        sqlite_autoincrement=True,  # a position is never given twice, even after pruning
    )
    op.create_index("ix_domain_events_created_at", "domain_events", ["created_at"])
    op.create_table(
        "event_handlers",
        sa.Column("handler", sa.String(100), nullable=False),
        sa.Column("position", _POSITION, nullable=False),
        sa.Column("attempts", sa.BigInteger(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("lease", sa.Uuid(), nullable=True),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("handler", name=op.f("pk_event_handlers")),
    )
    op.create_table(
        "event_failures",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("handler", sa.String(100), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_name", sa.String(64), nullable=False),
        sa.Column("aggregate_id", sa.String(64), nullable=False),
        sa.Column("position", _POSITION, nullable=False),
        sa.Column("attempts", sa.BigInteger(), nullable=False),
        sa.Column("error", sa.String(200), nullable=False),
        sa.Column("failed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_failures")),
    )
    op.create_index("ix_event_failures_failed_at", "event_failures", ["failed_at"])


def downgrade() -> None:
    op.drop_index("ix_event_failures_failed_at", table_name="event_failures")
    op.drop_table("event_failures")
    op.drop_table("event_handlers")
    op.drop_index("ix_domain_events_created_at", table_name="domain_events")
    op.drop_table("domain_events")
