"""Migration 0009 (one live interest per buyer and listing): its downgrade keeps what the old
rule can hold, and on PostgreSQL it resumes a concurrent index build that was interrupted."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import create_async_engine

from msmebazaar.msme.models import Interest, Listing
from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.db import Database, downgrade_database, upgrade_database, utcnow
from tests.auth.factories import make_user
from tests.conftest import TEST_DATABASE_URL
from tests.msme.factories import make_listing, make_msme

LIVE_INDEX = "uq_interests_live_listing_id_buyer_id"
on_postgresql = pytest.mark.skipif(
    not TEST_DATABASE_URL, reason="PostgreSQL run only (TEST_DATABASE_URL)"
)


@pytest.fixture
async def fresh_url(tmp_path: Path) -> AsyncIterator[str]:
    """An empty database of the run's backend (on PostgreSQL, one made for this test)."""
    if not TEST_DATABASE_URL:
        yield f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
        return
    name = f"msmebazaar_0009_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield TEST_DATABASE_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@pytest.fixture
async def fresh_db(fresh_url: str) -> AsyncIterator[Database]:
    """The fresh database through the app's own engine (sessions commit)."""
    database = Database.from_settings(DatabaseSettings(url=fresh_url))
    yield database
    await database.dispose()


async def _listing_with(database: Database, interests: list[tuple[uuid.UUID, str, int]]) -> Listing:
    """A listing whose counter matches its interests: (buyer, status, minutes ago) each."""
    owner = await make_user(database)
    listing = await make_listing(
        database, await make_msme(database, owner.id), interests_count=len(interests)
    )
    async with database.session() as session:
        session.add_all(
            Interest(
                listing_id=listing.id,
                buyer_id=buyer,
                message="Interested in this.",
                status=status,
                created_at=utcnow() - timedelta(minutes=ago),
            )
            for buyer, status, ago in interests
        )
    return listing


async def test_the_downgrade_keeps_one_interest_per_buyer_and_counts_follow(
    fresh_url: str, fresh_db: Database
) -> None:
    upgrade_database(fresh_url)
    resent, twice, once = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await _listing_with(
        fresh_db,
        [(resent, "withdrawn", 9), (resent, "pending", 1), (twice, "withdrawn", 9),
         (twice, "withdrawn", 1), (once, "withdrawn", 9)],
    )  # fmt: skip

    downgrade_database(fresh_url, "0008")

    async with fresh_db.session() as session:
        kept = (await session.execute(select(Interest.buyer_id, Interest.status))).all()
        counted = await session.scalar(select(Listing.interests_count))
    assert sorted(kept) == sorted([(resent, "pending"), (twice, "withdrawn"), (once, "withdrawn")])
    assert counted == 3
    with pytest.raises(IntegrityError):  # the table-wide rule is back
        await _listing_with(fresh_db, [(once, "withdrawn", 2), (once, "withdrawn", 1)])
    upgrade_database(fresh_url)  # and up again: a withdrawn interest and a live one may coexist
    await _listing_with(fresh_db, [(once, "withdrawn", 2), (once, "pending", 1)])


@on_postgresql
async def test_an_interrupted_concurrent_build_is_dropped_and_built_again(
    fresh_url: str, fresh_db: Database
) -> None:
    upgrade_database(fresh_url, "0008")
    await _listing_with(fresh_db, [(uuid.uuid4(), "pending", 2), (uuid.uuid4(), "pending", 1)])
    # A build that failed half-way (here: duplicates for its columns) leaves an INVALID index.
    async with fresh_db.engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        with pytest.raises(IntegrityError):
            await autocommit.execute(
                text(f"CREATE UNIQUE INDEX CONCURRENTLY {LIVE_INDEX} ON interests (listing_id)")
            )
    assert await _index(fresh_db) == (False, "(listing_id)")

    upgrade_database(fresh_url)

    valid, definition = await _index(fresh_db)
    assert valid
    assert "(listing_id, buyer_id) WHERE" in definition
    assert "'withdrawn'" in definition


async def _index(database: Database) -> tuple[bool, str]:
    statement = text(
        "SELECT i.indisvalid, pg_get_indexdef(i.indexrelid) FROM pg_index AS i "
        "JOIN pg_class AS c ON c.oid = i.indexrelid WHERE c.relname = :name"
    )
    async with database.engine.connect() as connection:
        row = (await connection.execute(statement, {"name": LIVE_INDEX})).one()
    valid, definition = bool(row[0]), str(row[1])
    return valid, definition.split(" USING btree ", 1)[1]
