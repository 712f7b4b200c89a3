"""Migrations on PostgreSQL wait only briefly for a lock: while DDL queues behind a long
transaction, every request on that table queues behind the DDL, so the DDL gives up after
`lock_timeout` (letting them through) and tries again shortly."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from msmebazaar.shared.db import upgrade_database
from tests.conftest import TEST_DATABASE_URL
from tests.databases import scratch_postgres_database

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL, reason="PostgreSQL run only (TEST_DATABASE_URL)"
)
WAITING_DDL = text(
    "SELECT count(*) FROM pg_locks WHERE NOT granted AND mode = 'AccessExclusiveLock' "
    "AND relation = 'listings'::regclass"
)


@pytest.fixture
async def url_at_0006() -> AsyncIterator[str]:
    """A database made for this test, at revision 0006 (0007 adds a column to `listings`)."""
    assert TEST_DATABASE_URL is not None
    async with scratch_postgres_database(TEST_DATABASE_URL, "msmebazaar_locks") as url:
        upgrade_database(url, "0006")
        yield url


async def _until_ddl_waits(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        for _ in range(100):
            if await connection.scalar(WAITING_DDL):
                return
            await asyncio.sleep(0.05)
    raise AssertionError("the migration never waited for its lock")


def _head() -> str | None:
    """The latest revision of our migrations."""
    config = Config()
    config.set_main_option("script_location", "msmebazaar:migrations")
    return ScriptDirectory.from_config(config).get_current_head()


async def _read_listings(engine: AsyncEngine) -> float:
    """Seconds a plain read of `listings` took."""
    started = time.monotonic()
    async with engine.connect() as connection:
        await connection.execute(text("SELECT count(*) FROM listings"))
    return time.monotonic() - started


async def test_ddl_behind_a_long_transaction_gives_way_then_retries(
    url_at_0006: str, caplog: pytest.LogCaptureFixture
) -> None:
    engine = create_async_engine(url_at_0006)
    try:
        async with engine.connect() as report:  # a long report, holding `listings` open
            await report.execute(text("SELECT count(*) FROM listings"))
            migration = asyncio.create_task(asyncio.to_thread(upgrade_database, url_at_0006))
            await _until_ddl_waits(engine)
            # Without the timeout, this read would wait for the report, which waits for it.
            read_for = await asyncio.wait_for(_read_listings(engine), 10)
            await asyncio.sleep(0.5)
            assert not migration.done()
            await report.commit()
        await migration
        async with engine.connect() as connection:
            revision = await connection.scalar(text("SELECT version_num FROM alembic_version"))
    finally:
        await engine.dispose()

    # The lock_timeout (3 s), not the report's whole length; the margin is for a loaded machine.
    assert read_for < 4.5
    assert any("retry" in record.getMessage() for record in caplog.records)
    assert revision == _head()
