"""Full-text search over listings: headline, summary and the profile's description.

PostgreSQL: a `listings.search_vector` tsvector ('simple' config, so Hindi and English words are
both indexed as written) with a GIN index. SQLite: an FTS5 table `listings_fts` whose rowids
`listings_fts_keys` maps to listings. On both, the
database keeps the index in step through triggers (a listing's text changing, or its profile's
description changing), so no code path can forget to.

The profile's description is indexed for named listings only: an anonymous listing's text has
passed the anonymity scan, its profile's description has not, and a search for a business's
name or city must not single out its anonymous listing.

These objects are not in the ORM models (only `msme/search.py` uses them);
`msme.search.is_search_object` names them for the schema comparison.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 06:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _sql(template: str, **parts: str) -> str:
    # Every part is a constant of this file: no input ever reaches these statements.
    return template.format(**parts)


_PG_DOCUMENT = (
    "to_tsvector('simple', coalesce({row}.headline, '') || ' ' || coalesce({row}.summary, '')"
    " || ' ' || coalesce({description}, ''))"
)

_NEW_DOCUMENT = _PG_DOCUMENT.format(
    row="NEW",
    description="CASE WHEN NEW.anonymous THEN NULL ELSE "
    "(SELECT m.description FROM msmes m WHERE m.id = NEW.msme_id) END",
)
_CHANGED_DESCRIPTION_DOCUMENT = _PG_DOCUMENT.format(
    row="l", description="CASE WHEN l.anonymous THEN NULL ELSE NEW.description END"
)
_EXISTING_DOCUMENT = _PG_DOCUMENT.format(
    row="l",
    description="CASE WHEN l.anonymous THEN NULL ELSE "
    "(SELECT m.description FROM msmes m WHERE m.id = l.msme_id) END",
)

_PG_UPGRADE = (
    "ALTER TABLE listings ADD COLUMN search_vector tsvector",
    _sql(
        """
    CREATE FUNCTION listings_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := {document};
        RETURN NEW;
    END $$
    """,
        document=_NEW_DOCUMENT,
    ),
    """
    CREATE TRIGGER listings_search_vector
    BEFORE INSERT OR UPDATE OF headline, summary, msme_id, anonymous ON listings
    FOR EACH ROW EXECUTE FUNCTION listings_search_vector()
    """,
    _sql(
        """
    CREATE FUNCTION msmes_description_search() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE listings l SET search_vector = {document}
        WHERE l.msme_id = NEW.id;
        RETURN NULL;
    END $$
    """,
        document=_CHANGED_DESCRIPTION_DOCUMENT,
    ),
    """
    CREATE TRIGGER msmes_description_search
    AFTER UPDATE OF description ON msmes
    FOR EACH ROW WHEN (OLD.description IS DISTINCT FROM NEW.description)
    EXECUTE FUNCTION msmes_description_search()
    """,
    _sql("UPDATE listings l SET search_vector = {document}", document=_EXISTING_DOCUMENT),
    "CREATE INDEX ix_listings_search_vector ON listings USING gin (search_vector)",
    # PostgreSQL sorts NULL first in DESC order: this index serves `revenue_desc` (NULLs last)
    # without sorting every active listing. (SQLite puts NULL last already.)
    "CREATE INDEX ix_listings_revenue_desc ON listings (status, revenue DESC NULLS LAST, id DESC)",
)

_PG_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS msmes_description_search ON msmes",
    "DROP FUNCTION IF EXISTS msmes_description_search()",
    "DROP TRIGGER IF EXISTS listings_search_vector ON listings",
    "DROP FUNCTION IF EXISTS listings_search_vector()",
    "DROP INDEX IF EXISTS ix_listings_revenue_desc",
    "DROP INDEX IF EXISTS ix_listings_search_vector",
    "ALTER TABLE listings DROP COLUMN IF EXISTS search_vector",
)

_SQLITE_INSERT = """
    INSERT INTO listings_fts_keys (listing_id) VALUES (new.id);
    INSERT INTO listings_fts (rowid, headline, summary, description)
    VALUES ((SELECT k.id FROM listings_fts_keys k WHERE k.listing_id = new.id),
            new.headline, new.summary,
            CASE WHEN new.anonymous THEN NULL
                 ELSE (SELECT m.description FROM msmes m WHERE m.id = new.msme_id) END);
"""
_SQLITE_REMOVE = """
    DELETE FROM listings_fts
    WHERE rowid = (SELECT k.id FROM listings_fts_keys k WHERE k.listing_id = old.id);
    DELETE FROM listings_fts_keys WHERE listing_id = old.id;
"""

_SQLITE_UPGRADE = (
    # The FTS rowid of a listing: an INTEGER PRIMARY KEY, so VACUUM never renumbers it, and a
    # search reads only the FTS index and this narrow table, never the indexed text itself.
    """
    CREATE TABLE listings_fts_keys (
        id INTEGER PRIMARY KEY,
        listing_id CHAR(32) NOT NULL UNIQUE
    )
    """,
    # unicode61 keeps Devanagari letters and their vowel signs together as one token.
    """
    CREATE VIRTUAL TABLE listings_fts USING fts5(
        headline, summary, description, tokenize = 'unicode61 remove_diacritics 2'
    )
    """,
    _sql(
        "CREATE TRIGGER listings_fts_insert AFTER INSERT ON listings BEGIN {insert} END",
        insert=_SQLITE_INSERT,
    ),
    _sql(
        """
    CREATE TRIGGER listings_fts_update
    AFTER UPDATE OF headline, summary, msme_id, anonymous ON listings
    BEGIN {remove} {insert} END
    """,
        remove=_SQLITE_REMOVE,
        insert=_SQLITE_INSERT,
    ),
    _sql(
        "CREATE TRIGGER listings_fts_delete AFTER DELETE ON listings BEGIN {remove} END",
        remove=_SQLITE_REMOVE,
    ),
    """
    CREATE TRIGGER msmes_fts_description AFTER UPDATE OF description ON msmes
    WHEN old.description IS NOT new.description
    BEGIN
        UPDATE listings_fts SET description = new.description
        WHERE rowid IN (
            SELECT k.id FROM listings_fts_keys k JOIN listings l ON l.id = k.listing_id
            WHERE l.msme_id = new.id AND NOT l.anonymous
        );
    END
    """,
    "INSERT INTO listings_fts_keys (listing_id) SELECT id FROM listings",
    """
    INSERT INTO listings_fts (rowid, headline, summary, description)
    SELECT k.id, l.headline, l.summary, CASE WHEN l.anonymous THEN NULL ELSE m.description END
    FROM listings l
    JOIN listings_fts_keys k ON k.listing_id = l.id
    JOIN msmes m ON m.id = l.msme_id
    """,
)

_SQLITE_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS msmes_fts_description",
    "DROP TRIGGER IF EXISTS listings_fts_delete",
    "DROP TRIGGER IF EXISTS listings_fts_update",
    "DROP TRIGGER IF EXISTS listings_fts_insert",
    "DROP TABLE IF EXISTS listings_fts",
    "DROP TABLE IF EXISTS listings_fts_keys",
)


def _run(statements: Sequence[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        _run(_PG_UPGRADE)
    else:
        _run(_SQLITE_UPGRADE)


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        _run(_PG_DOWNGRADE)
    else:
        _run(_SQLITE_DOWNGRADE)
