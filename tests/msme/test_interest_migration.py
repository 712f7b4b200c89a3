"""Migration 0009 (one live interest per buyer and listing): its downgrade keeps what the old
rule can hold and every buyer's count; on PostgreSQL both directions resume where an interrupted
run stopped; it refuses offline (`--sql`) mode with a clear message."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from msmebazaar.msme.models import Interest, Listing
from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.db import Database, downgrade_database, upgrade_database, utcnow
from tests.auth.factories import make_user
from tests.conftest import TEST_DATABASE_URL
from tests.databases import scratch_postgres_database
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
    async with scratch_postgres_database(TEST_DATABASE_URL, "msmebazaar_0009") as url:
        yield url


@pytest.fixture
async def fresh_db(fresh_url: str) -> AsyncIterator[Database]:
    """The fresh database through the app's own engine (sessions commit)."""
    database = Database.from_settings(DatabaseSettings(url=fresh_url))
    yield database
    await database.dispose()


async def _listing(database: Database, buyers: int = 0) -> Listing:
    """A listing counting `buyers` buyers, made at the head revision (the models' columns)."""
    owner = await make_user(database)
    return await make_listing(database, await make_msme(database, owner.id), interests_count=buyers)


async def _add_interests(
    database: Database, listing: Listing, interests: list[tuple[uuid.UUID, str, int]]
) -> None:
    """Interests in `listing`: (buyer, status, minutes ago) each (`interests` has kept its
    columns since 0008, so this works at either revision)."""
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


async def test_the_downgrade_keeps_one_interest_per_buyer_and_the_buyer_count(
    fresh_url: str, fresh_db: Database
) -> None:
    upgrade_database(fresh_url)
    resent, twice, once = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    listing, spare, later = (
        await _listing(fresh_db, 3),
        await _listing(fresh_db),
        await _listing(fresh_db),
    )
    await _add_interests(
        fresh_db,
        listing,
        [(resent, "withdrawn", 9), (resent, "pending", 1), (twice, "withdrawn", 9),
         (twice, "withdrawn", 1), (once, "withdrawn", 9)],
    )  # fmt: skip

    downgrade_database(fresh_url, "0008")

    async with fresh_db.session() as session:
        kept = (await session.execute(select(Interest.buyer_id, Interest.status))).all()
        counted = await session.scalar(
            select(Listing.interests_count).where(Listing.id == listing.id)
        )
    assert sorted(kept) == sorted([(resent, "pending"), (twice, "withdrawn"), (once, "withdrawn")])
    assert counted == 3  # three buyers before and after: deleting superseded rows loses none
    with pytest.raises(IntegrityError):  # the table-wide rule is back
        await _add_interests(fresh_db, spare, [(once, "withdrawn", 2), (once, "withdrawn", 1)])
    upgrade_database(fresh_url)  # and up again: a withdrawn interest and a live one may coexist
    await _add_interests(fresh_db, later, [(once, "withdrawn", 2), (once, "pending", 1)])


@on_postgresql
async def test_an_interrupted_concurrent_build_is_dropped_and_built_again(
    fresh_url: str, fresh_db: Database
) -> None:
    upgrade_database(fresh_url)
    listing = await _listing(fresh_db, 2)
    downgrade_database(fresh_url, "0008")
    await _add_interests(
        fresh_db, listing, [(uuid.uuid4(), "pending", 2), (uuid.uuid4(), "pending", 1)]
    )
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


def _offline(action: str, revisions: str) -> None:
    config = Config()
    config.set_main_option("script_location", "msmebazaar:migrations")
    config.attributes["database_url"] = "postgresql+asyncpg://nobody@127.0.0.1:1/offline"
    run = command.upgrade if action == "upgrade" else command.downgrade
    run(config, revisions, sql=True)


@pytest.mark.parametrize(
    ("action", "revisions"), [("upgrade", "0008:0009"), ("downgrade", "0009:0008")]
)
def test_offline_sql_mode_is_refused_with_a_clear_message(
    action: str, revisions: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _offline("upgrade", "0007:0008")  # the migrations before it still render as SQL
    assert "SET version_num='0008'" in capsys.readouterr().out

    with pytest.raises(CommandError, match=r"no offline \(--sql\) form.*msmebazaar migrate"):
        _offline(action, revisions)


_TABLE_WIDE = "uq_interests_listing_id_buyer_id"
_DROP_WAITS = text(
    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
    "AND query ILIKE '%DROP INDEX CONCURRENTLY%' AND datname = current_database()"
)


async def _as_an_abandoned_downgrade_left_it(database: Database) -> None:
    """The state of a downgrade whose last step (dropping the live index) failed: the table-wide
    index built and adopted as the constraint, the revision still 0009."""
    async with database.engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        for statement in (
            f"CREATE UNIQUE INDEX CONCURRENTLY {_TABLE_WIDE} ON interests (listing_id, buyer_id)",
            f"ALTER TABLE interests ADD CONSTRAINT {_TABLE_WIDE} UNIQUE USING INDEX {_TABLE_WIDE}",
        ):
            await autocommit.execute(text(statement))


async def _until_the_drop_waits(database: Database, downgrade: asyncio.Task[None]) -> None:
    # A deadline, not a count of polls: on a loaded machine Alembic alone may take seconds to
    # reach the drop.
    deadline = time.monotonic() + 60
    async with database.engine.connect() as connection:
        while time.monotonic() < deadline:
            if downgrade.done():
                await downgrade  # its error, if it failed
                raise AssertionError("the downgrade finished without waiting for the report")
            if await connection.scalar(_DROP_WAITS):
                return
            await connection.rollback()  # pg_stat_activity stays as first read in a transaction
            await asyncio.sleep(0.05)
    raise AssertionError("the downgrade never waited to drop the live index")


@on_postgresql
async def test_an_abandoned_downgrade_resumes_and_waits_out_a_long_transaction(
    fresh_url: str, fresh_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    # At 0009 itself: a later migration's downgrade would run first, and its own concurrent
    # builds would wait out the report before 0009's drop is ever reached.
    upgrade_database(fresh_url, "0009")
    await _as_an_abandoned_downgrade_left_it(fresh_db)
    async with fresh_db.engine.connect() as report:  # a long report, holding `interests` open
        await report.execute(text("SELECT count(*) FROM interests"))
        downgrade = asyncio.create_task(asyncio.to_thread(downgrade_database, fresh_url, "0008"))
        await _until_the_drop_waits(fresh_db, downgrade)
        await asyncio.sleep(4)  # past the 3 s lock_timeout: the drop waits on, it does not fail
        assert not downgrade.done()
        await report.commit()
    await downgrade

    async with fresh_db.engine.connect() as connection:
        revision = await connection.scalar(text("SELECT version_num FROM alembic_version"))
        indexes = await connection.scalar(
            text("SELECT count(*) FROM pg_indexes WHERE indexname = :name"), {"name": LIVE_INDEX}
        )
        constraints = await connection.scalar(
            text("SELECT count(*) FROM pg_constraint WHERE conname = :name"), {"name": _TABLE_WIDE}
        )
    assert (revision, indexes, constraints) == ("0008", 0, 1)
    assert not any("retry" in record.getMessage() for record in caplog.records)
