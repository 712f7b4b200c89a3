"""Listings: a stored revenue band, so `sort=revenue_desc` orders by band, not by the figure.

DESIGN.md §3, "Bands hold everywhere": ranking listings by their exact revenue would tell, within
a band, which of two earns more. `listings.revenue_band` holds the band index of
`msme/bands.py` (-1 for a loss, 0 for under ₹10 L, … 12 for ₹500 Cr and more); the database keeps
it in step through triggers, as 0004 does for full text, so no code path writing `revenue` can
forget it. The edges below are this migration's dated copy of `bands.BAND_EDGES`;
`tests/msme/test_search.py` checks that the two agree. A later change of the edges needs a
migration that replaces the trigger function and recomputes the column.

Like `search_vector`, the column and its index are outside the ORM models (only `msme/search.py`
reads them); `msme.search.is_search_object` names them for the schema comparison.

Online on PostgreSQL: the column is added without a default (no table rewrite) and the trigger
created, both committed at once so the brief exclusive lock ends; existing rows are then filled
in small committed batches, and the sort index is built CONCURRENTLY before 0004's revenue index
is dropped CONCURRENTLY. Every step can be re-run. SQLite runs it in one transaction.
The upgrade reads the database as it goes, so there is no offline (`--sql`) form.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import context, op
from alembic.util import CommandError

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Whole rupees: ₹10 L, 25 L, 50 L, 1 Cr, 2 Cr, 5 Cr, 10 Cr, 25 Cr, 50 Cr, 100 Cr, 250 Cr, 500 Cr.
_EDGES = (
    10_00_000,
    25_00_000,
    50_00_000,
    1_00_00_000,
    2_00_00_000,
    5_00_00_000,
    10_00_00_000,
    25_00_00_000,
    50_00_00_000,
    100_00_00_000,
    250_00_00_000,
    500_00_00_000,
)
_BATCH = 5_000
_INDEX = "ix_listings_revenue_band"
_OLD_INDEX = "ix_listings_revenue_desc"


def _band_of(column: str) -> str:
    # Every part is a constant of this file: no input ever reaches these statements.
    steps = " ".join(f"WHEN {column} < {edge} THEN {band}" for band, edge in enumerate(_EDGES))
    return f"CASE WHEN {column} IS NULL THEN NULL WHEN {column} < 0 THEN -1 {steps} ELSE 12 END"


_PG_FUNCTION = f"""
    CREATE OR REPLACE FUNCTION listings_revenue_band() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.revenue_band := {_band_of("NEW.revenue")};
        RETURN NEW;
    END $$
"""
_PG_TRIGGER = """
    CREATE TRIGGER listings_revenue_band
    BEFORE INSERT OR UPDATE OF revenue ON listings
    FOR EACH ROW EXECUTE FUNCTION listings_revenue_band()
"""
_PG_BACKFILL = f"""
    UPDATE listings SET revenue_band = {_band_of("revenue")}
    WHERE id IN (
        SELECT id FROM listings WHERE revenue IS NOT NULL AND revenue_band IS NULL LIMIT {_BATCH}
    )
"""  # noqa: S608 - constants only

_NEW_BAND = _band_of("new.revenue")
_SQLITE_SET = f"UPDATE listings SET revenue_band = {_NEW_BAND} WHERE rowid = new.rowid;"  # noqa: S608
_SQLITE_UPGRADE = (
    "ALTER TABLE listings ADD COLUMN revenue_band INTEGER",
    f"CREATE TRIGGER listings_revenue_band_insert AFTER INSERT ON listings BEGIN {_SQLITE_SET} END",
    "CREATE TRIGGER listings_revenue_band_update AFTER UPDATE OF revenue ON listings "
    f"BEGIN {_SQLITE_SET} END",
    f"UPDATE listings SET revenue_band = {_band_of('revenue')}",  # noqa: S608 - constants only
    # Scanned backwards for `revenue_band DESC, published_at DESC, id DESC` (NULLs come last).
    f"CREATE INDEX {_INDEX} ON listings (status, revenue_band, published_at, id)",
)
_SQLITE_DOWNGRADE = (
    f"DROP INDEX IF EXISTS {_INDEX}",
    "DROP TRIGGER IF EXISTS listings_revenue_band_update",
    "DROP TRIGGER IF EXISTS listings_revenue_band_insert",
    "ALTER TABLE listings DROP COLUMN revenue_band",
)


def _on_postgresql() -> bool:
    if context.is_offline_mode():
        raise CommandError(
            "Migration 0010 fills a column in batches as it runs and has no offline (--sql) "
            "form; run it against the database (msmebazaar migrate)."
        )
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _on_postgresql():
        for statement in _SQLITE_UPGRADE:
            op.execute(statement)
        return
    op.execute("ALTER TABLE listings ADD COLUMN IF NOT EXISTS revenue_band smallint")
    op.execute(_PG_FUNCTION)
    op.execute("DROP TRIGGER IF EXISTS listings_revenue_band ON listings")
    op.execute(_PG_TRIGGER)
    with op.get_context().autocommit_block():  # commits the lines above: the lock ends here
        while op.get_bind().execute(sa.text(_PG_BACKFILL)).rowcount:
            pass
    _build_concurrently(
        _INDEX, "(status, revenue_band DESC NULLS LAST, published_at DESC, id DESC)"
    )
    with op.get_context().autocommit_block(), _waiting_freely():
        op.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {_OLD_INDEX}")


def downgrade() -> None:
    if not _on_postgresql():
        for statement in _SQLITE_DOWNGRADE:
            op.execute(statement)
        return
    _build_concurrently(_OLD_INDEX, "(status, revenue DESC NULLS LAST, id DESC)")
    with op.get_context().autocommit_block(), _waiting_freely():
        op.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {_INDEX}")
    op.execute("DROP TRIGGER IF EXISTS listings_revenue_band ON listings")
    op.execute("DROP FUNCTION IF EXISTS listings_revenue_band()")
    op.execute("ALTER TABLE listings DROP COLUMN IF EXISTS revenue_band")


def _build_concurrently(name: str, columns: str) -> None:
    """CREATE INDEX CONCURRENTLY outside a transaction, rebuilding an interrupted one."""
    with op.get_context().autocommit_block(), _waiting_freely():
        # An interrupted concurrent build leaves an INVALID index that IF NOT EXISTS would keep.
        invalid = op.get_bind().scalar(
            sa.text(
                "SELECT NOT i.indisvalid FROM pg_index AS i JOIN pg_class AS c "
                "ON c.oid = i.indexrelid WHERE c.relname = :name "
                "AND c.relnamespace = current_schema()::regnamespace"
            ),
            {"name": name},
        )
        if invalid:
            op.execute(f"DROP INDEX CONCURRENTLY {name}")
        op.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON listings {columns}")


@contextmanager
def _waiting_freely() -> Iterator[None]:
    # A concurrent build or drop waits for older transactions without blocking anyone: env.py's
    # short lock_timeout would fail it for nothing while a long report runs (as in 0009).
    bind = op.get_bind()
    before = bind.scalar(sa.text("SHOW lock_timeout"))
    bind.execute(sa.text("SET lock_timeout = 0"))
    try:
        yield
    finally:
        bind.execute(sa.text("SELECT set_config('lock_timeout', :value, false)"), {"value": before})
