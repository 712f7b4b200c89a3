"""Admin: the append-only audit log, the listing flag a suspension sets, the matches-served
counter, and the indexes the analytics overview reads.

The audit log refuses UPDATE and DELETE through triggers on both backends: history is
corrected by a later entry, never by editing an earlier one.

`listings.owner_suspended` is added in place (ALTER TABLE ADD COLUMN, never a SQLite batch copy,
which would drop migration 0004's full-text triggers on `listings`).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from msmebazaar.shared.db import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_APPEND_ONLY = "admin_audit_log is append-only"

_PG_UPGRADE = (
    f"""
    CREATE FUNCTION admin_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{_APPEND_ONLY}';
    END $$
    """,
    """
    CREATE TRIGGER admin_audit_log_append_only
    BEFORE UPDATE OR DELETE ON admin_audit_log
    FOR EACH ROW EXECUTE FUNCTION admin_audit_log_append_only()
    """,
)
_PG_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS admin_audit_log_append_only ON admin_audit_log",
    "DROP FUNCTION IF EXISTS admin_audit_log_append_only()",
)
_SQLITE_UPGRADE = (
    f"""
    CREATE TRIGGER admin_audit_log_no_update BEFORE UPDATE ON admin_audit_log
    BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END
    """,
    f"""
    CREATE TRIGGER admin_audit_log_no_delete BEFORE DELETE ON admin_audit_log
    BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END
    """,
)
_SQLITE_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS admin_audit_log_no_delete",
    "DROP TRIGGER IF EXISTS admin_audit_log_no_update",
)


def _audit_log() -> None:
    op.create_table(
        "admin_audit_log",
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("actor_role", sa.String(length=16), nullable=True),
        sa.Column("action", sa.String(length=48), nullable=False),
        sa.Column("target_type", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.Uuid(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_audit_log")),
    )
    op.create_index("ix_admin_audit_log_created", "admin_audit_log", ["created_at", "id"])
    op.create_index(
        "ix_admin_audit_log_actor_created", "admin_audit_log", ["actor_id", "created_at"]
    )
    op.create_index(
        "ix_admin_audit_log_target_created", "admin_audit_log", ["target_id", "created_at"]
    )
    op.create_index(
        "ix_admin_audit_log_action_created", "admin_audit_log", ["action", "created_at"]
    )


def _match_served() -> None:
    op.create_table(
        "match_served",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("bucket", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("requests", sa.BigInteger(), nullable=False),
        sa.Column("matches", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "direction", "bucket", name=op.f("pk_match_served")),
    )


_LIVE = "deleted_at IS NULL"
# (name, table, columns, partial condition): what the analytics overview reads index-only.
_INDEXES: tuple[tuple[str, str, list[str], str | None], ...] = (
    ("ix_users_created_at", "users", ["created_at", "role", "id"], None),
    ("ix_users_role_status", "users", ["role", "status"], None),
    ("ix_msmes_live_facets", "msmes", ["verification_status", "sector", "state"], _LIVE),
    ("ix_msmes_live_queue", "msmes", ["verification_status", "created_at", "id"], _LIVE),
    ("ix_msmes_live_owner", "msmes", ["owner_id", "verification_status"], _LIVE),
    (
        "ix_listings_status_deal_type",
        "listings",
        ["status", "deal_type", "owner_suspended", "asking_price"],
        None,
    ),
    ("ix_listings_owner_published", "listings", ["owner_id"], "published_at IS NOT NULL"),
    ("ix_listings_id_owner", "listings", ["id", "owner_id"], None),
    ("ix_interests_created_at", "interests", ["created_at"], None),
    ("ix_interests_accepted", "interests", ["listing_id"], "status = 'accepted'"),
    ("ix_valuations_created_at", "valuations", ["created_at"], None),
)


def _analytics_indexes() -> None:
    for name, table, columns, where in _INDEXES:
        clause = sa.text(where) if where is not None else None
        op.create_index(name, table, columns, sqlite_where=clause, postgresql_where=clause)


def upgrade() -> None:
    _audit_log()
    _match_served()
    op.add_column(
        "listings",
        sa.Column("owner_suspended", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    _analytics_indexes()
    for statement in _PG_UPGRADE if _is_postgresql() else _SQLITE_UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    for statement in _PG_DOWNGRADE if _is_postgresql() else _SQLITE_DOWNGRADE:
        op.execute(statement)
    for name, table, *_ in reversed(_INDEXES):
        op.drop_index(name, table_name=table)
    # SQLite >= 3.35 drops a column in place (no batch copy that would lose the FTS triggers).
    op.drop_column("listings", "owner_suspended")
    op.drop_table("match_served")
    op.drop_index("ix_admin_audit_log_action_created", table_name="admin_audit_log")
    op.drop_index("ix_admin_audit_log_target_created", table_name="admin_audit_log")
    op.drop_index("ix_admin_audit_log_actor_created", table_name="admin_audit_log")
    op.drop_index("ix_admin_audit_log_created", table_name="admin_audit_log")
    op.drop_table("admin_audit_log")


def _is_postgresql() -> bool:
    return op.get_context().dialect.name == "postgresql"
