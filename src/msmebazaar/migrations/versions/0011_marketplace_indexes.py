"""Listings: indexes over only what the marketplace shows (active, owner not suspended).

At 100,000 businesses a sector page counted its listings by visiting every matching row (19 ms
on PostgreSQL) and a full-text count visited every row the word matched, including closed and
hidden listings. Two partial indexes hold only listings on the marketplace:
- `ix_listings_market_sector (sector, published_at DESC, id DESC)`: a sector page's count is an
  index-only scan and its newest-first page the first rows of the index;
- PostgreSQL: `ix_listings_market_text`, a GIN index of `search_vector` over the same rows,
  replacing 0004's `ix_listings_search_vector` over every listing (nothing searches the text of
  listings off the marketplace). SQLite's FTS5 table (0004) stays as it is.

Card views are counted on `listings` rows (a batch a second), and every updated row clears its
page's all-visible bit, which index-only scans need: PostgreSQL's autovacuum is told to visit
`listings` after 2% of its rows changed (20% by default), so the bits are set again within a
minute or so under steady traffic.

The predicate is written as `msme/search.py` filters (`status = 'active' AND owner_suspended
IS false`), so both planners can prove a search may use the index.

Online on PostgreSQL: built CONCURRENTLY (an interrupted build is dropped and rebuilt), then the
old index dropped CONCURRENTLY; every step can be re-run. SQLite runs it in one transaction.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 05:00:00
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import context, op
from alembic.util import CommandError

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SECTOR = "ix_listings_market_sector"
_TEXT = "ix_listings_market_text"
_OLD_TEXT = "ix_listings_search_vector"
_SECTOR_COLUMNS = "(sector, published_at DESC, id DESC)"
_AUTOVACUUM = "autovacuum_vacuum_scale_factor = 0.02"


def _on_market(false: str) -> str:
    return f"WHERE status = 'active' AND owner_suspended IS {false}"


def _on_postgresql() -> bool:
    if context.is_offline_mode():
        raise CommandError(
            "Migration 0011 builds its indexes concurrently and has no offline (--sql) form; "
            "run it against the database (msmebazaar migrate)."
        )
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _on_postgresql():
        op.execute(f"CREATE INDEX {_SECTOR} ON listings {_SECTOR_COLUMNS} {_on_market('0')}")
        return
    op.execute(f"ALTER TABLE listings SET ({_AUTOVACUUM})")
    _build_concurrently(_SECTOR, f"{_SECTOR_COLUMNS} {_on_market('false')}")
    _build_concurrently(_TEXT, f"USING gin (search_vector) {_on_market('false')}")
    with op.get_context().autocommit_block(), _waiting_freely():
        op.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {_OLD_TEXT}")


def downgrade() -> None:
    if not _on_postgresql():
        op.execute(f"DROP INDEX IF EXISTS {_SECTOR}")
        return
    _build_concurrently(_OLD_TEXT, "USING gin (search_vector)")
    op.execute("ALTER TABLE listings RESET (autovacuum_vacuum_scale_factor)")
    with op.get_context().autocommit_block(), _waiting_freely():
        op.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {_TEXT}")
        op.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {_SECTOR}")


def _build_concurrently(name: str, definition: str) -> None:
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
        op.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON listings {definition}")


@contextmanager
def _waiting_freely() -> Iterator[None]:
    # A concurrent build or drop waits for older transactions without blocking anyone: env.py's
    # short lock_timeout would fail it for nothing while a long report runs (as in 0010).
    bind = op.get_bind()
    before = bind.scalar(sa.text("SHOW lock_timeout"))
    bind.execute(sa.text("SET lock_timeout = 0"))
    try:
        yield
    finally:
        bind.execute(sa.text("SELECT set_config('lock_timeout', :value, false)"), {"value": before})
