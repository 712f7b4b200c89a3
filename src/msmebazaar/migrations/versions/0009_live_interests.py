"""Interests: one live interest per buyer per listing, so a buyer who withdrew may send again.

The table-wide UNIQUE (listing_id, buyer_id) becomes a unique index over the rows not withdrawn.
Online on PostgreSQL (expand, then contract): the new index is built CONCURRENTLY, which blocks
no reader or writer, and only then is the old constraint dropped, so uniqueness never lapses;
the drop takes a brief exclusive lock, bounded by env.py's `lock_timeout`. SQLite copies the
table (batch mode) inside one transaction, so no moment without the rule is ever visible.

Downgrade brings the table-wide rule back. Rows it cannot hold (a buyer's withdrawn interests
superseded by a later one in the same listing) are deleted: roll the app back first, then
downgrade. Each buyer keeps one row per listing, so `interests_count` (buyers, not interests)
stays right. On PostgreSQL every step can be re-run, so a downgrade that timed out resumes.

Both directions read the live database (an interrupted index build, an existing constraint), so
there is no offline (`--sql`) form: run them with `msmebazaar migrate` or `alembic downgrade`.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 12:00:00
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import context, op
from alembic.util import CommandError

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ["listing_id", "buyer_id"]
_TABLE_WIDE = "uq_interests_listing_id_buyer_id"
_LIVE = "uq_interests_live_listing_id_buyer_id"
_LIVE_ROWS = "status <> 'withdrawn'"
# A row the table-wide rule cannot keep: withdrawn, and its pair has a live row or a newer one.
_SUPERSEDED = """
    interests.status = 'withdrawn' AND EXISTS (
        SELECT 1 FROM interests AS later
        WHERE later.listing_id = interests.listing_id AND later.buyer_id = interests.buyer_id
          AND (later.status <> 'withdrawn' OR later.created_at > interests.created_at
               OR (later.created_at = interests.created_at AND later.id > interests.id)))
"""


def _on_postgresql() -> bool:
    if context.is_offline_mode():
        raise CommandError(
            "Migration 0009 inspects the database as it runs and has no offline (--sql) form; "
            "run it against the database (msmebazaar migrate)."
        )
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if _on_postgresql():
        _build_concurrently(_LIVE, where=_LIVE_ROWS)
        op.drop_constraint(_TABLE_WIDE, "interests", type_="unique")
        return
    # The copy keeps the other indexes (their WHERE clauses too); the new index comes after it,
    # in the same transaction, since a reflected copy must not rebuild it.
    with op.batch_alter_table("interests") as batch_op:
        batch_op.drop_constraint(_TABLE_WIDE, type_="unique")
    op.create_index(_LIVE, "interests", _COLUMNS, unique=True, sqlite_where=sa.text(_LIVE_ROWS))


def downgrade() -> None:
    on_postgresql = _on_postgresql()
    # Committed by the first autocommit block below: an abandoned downgrade has deleted them.
    op.execute(f"DELETE FROM interests WHERE {_SUPERSEDED}")  # noqa: S608 - constants only
    if on_postgresql:
        _build_concurrently(_TABLE_WIDE, where=None)
        _adopt_as_constraint(_TABLE_WIDE)
        with op.get_context().autocommit_block(), _waiting_freely():
            # Like a concurrent build, this waits for older transactions without blocking anyone.
            op.drop_index(_LIVE, "interests", postgresql_concurrently=True, if_exists=True)
        return
    op.drop_index(_LIVE, "interests")
    with op.batch_alter_table("interests") as batch_op:
        batch_op.create_unique_constraint(_TABLE_WIDE, _COLUMNS)


def _adopt_as_constraint(name: str) -> None:
    # Adopting the built index takes only a brief lock (no second scan of the table). A re-run
    # after a later step failed finds it adopted already (the index then belongs to it).
    adopted = op.get_bind().scalar(
        sa.text(
            "SELECT 1 FROM pg_constraint WHERE conname = :name AND conrelid = 'interests'::regclass"
        ),
        {"name": name},
    )
    if adopted is None:
        op.execute(f"ALTER TABLE interests ADD CONSTRAINT {name} UNIQUE USING INDEX {name}")


def _build_concurrently(name: str, where: str | None) -> None:
    """CREATE UNIQUE INDEX CONCURRENTLY, outside a transaction, resuming an interrupted build."""
    clause = sa.text(where) if where is not None else None
    with op.get_context().autocommit_block(), _waiting_freely():
        # An interrupted concurrent build leaves an INVALID index behind that enforces nothing
        # useful, and IF NOT EXISTS would keep it: drop it and build again.
        invalid = op.get_bind().scalar(
            sa.text(
                "SELECT NOT i.indisvalid FROM pg_index AS i JOIN pg_class AS c "
                "ON c.oid = i.indexrelid WHERE c.relname = :name "
                "AND c.relnamespace = current_schema()::regnamespace"
            ),
            {"name": name},
        )
        if invalid:
            op.drop_index(name, "interests", postgresql_concurrently=True)
        op.create_index(
            name,
            "interests",
            _COLUMNS,
            unique=True,
            postgresql_where=clause,
            postgresql_concurrently=True,
            if_not_exists=True,
        )


@contextmanager
def _waiting_freely() -> Iterator[None]:
    # A concurrent build waits for every older transaction to finish, holding only a lock that
    # no read or write queues behind: env.py's short lock_timeout would fail it for nothing
    # while a long report runs. The timeout comes back for the blocking steps that follow.
    bind = op.get_bind()
    before = bind.scalar(sa.text("SHOW lock_timeout"))
    bind.execute(sa.text("SET lock_timeout = 0"))
    try:
        yield
    finally:
        bind.execute(sa.text("SELECT set_config('lock_timeout', :value, false)"), {"value": before})
