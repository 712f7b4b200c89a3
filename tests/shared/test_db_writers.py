"""The one write path (`Database.session`) and read-only units (`Database.read_session`), on a
database of the run's backend whose units of work really commit.

On SQLite every writer takes this process's writer lock and then `BEGIN IMMEDIATE` (which waits
for other processes' writers): writers queue instead of failing, readers never wait. The counts
that read paths keep are written later, in batches, and kept when a write fails.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Hashable
from pathlib import Path

import pytest
import structlog
from sqlalchemy import Column, Integer, MetaData, Table, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.shared import db as db_module
from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.counts import CountKind, count_later
from msmebazaar.shared.db import Database, ReadOnlySessionError
from tests.conftest import TEST_DATABASE_URL
from tests.databases import scratch_postgres_database

metadata = MetaData()
counters = Table(
    "writer_counters",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("value", Integer, nullable=False),
)


@pytest.fixture
async def url(tmp_path: Path) -> AsyncIterator[str]:
    """A fresh database of the run's backend with one counter at 0."""
    if TEST_DATABASE_URL:
        async with scratch_postgres_database(TEST_DATABASE_URL, "writers") as scratch:
            await _create(scratch)
            yield scratch
        return
    path = f"sqlite+aiosqlite:///{tmp_path / 'writers.db'}"
    await _create(path)
    yield path


async def _create(url: str) -> None:
    database = Database.from_settings(DatabaseSettings(url=url))
    async with database.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
        await connection.execute(insert(counters).values(id=1, value=0))
    await database.dispose()


@pytest.fixture
async def databases(url: str) -> AsyncIterator[list[Database]]:
    """Two `Database`s on the same database: two app processes' worth of pools and locks."""
    pair = [Database.from_settings(DatabaseSettings(url=url)) for _ in range(2)]
    yield pair
    for database in pair:
        await database.dispose()


async def _value(database: Database) -> int:
    async with database.read_session() as session:
        return int(await session.scalar(select(counters.c.value)) or 0)


async def _increment(database: Database) -> None:
    # Read, think, then write: the pattern that lost the race on SQLite (BUSY_SNAPSHOT) when a
    # unit began DEFERRED. PostgreSQL takes the row lock (FOR UPDATE); SQLite ignores it.
    async with database.session() as session:
        read = select(counters.c.value).where(counters.c.id == 1).with_for_update()
        value = int(await session.scalar(read) or 0)
        await asyncio.sleep(0)
        await session.execute(update(counters).values(value=value + 1))


async def test_writers_that_read_then_write_queue_and_lose_nothing(
    databases: list[Database],
) -> None:
    writers = [_increment(databases[n % 2]) for n in range(40)]

    await asyncio.gather(*writers)

    assert await _value(databases[0]) == 40


async def test_readers_do_not_wait_for_a_writer(databases: list[Database]) -> None:
    database = databases[0]
    writing, done = asyncio.Event(), asyncio.Event()

    async def hold_the_writer() -> None:
        async with database.session() as session:
            await session.execute(update(counters).values(value=7))
            writing.set()
            await done.wait()

    holder = asyncio.create_task(hold_the_writer())
    await writing.wait()
    try:
        # A deadlock guard, not a speed goal: the read answers while the writer is held.
        assert await asyncio.wait_for(_value(database), timeout=10) == 0
    finally:
        done.set()
        await holder
    assert await _value(database) == 7


async def test_a_read_only_unit_refuses_to_write(databases: list[Database]) -> None:
    database = databases[0]

    with pytest.raises(ReadOnlySessionError):
        async with database.read_session() as session:
            await session.execute(update(counters).values(value=99))

    assert await _value(database) == 0


async def test_a_write_unit_inside_another_is_refused_at_once_on_sqlite_only(
    databases: list[Database],
) -> None:
    database = databases[0]

    async def nested() -> None:
        async with database.session() as outer:
            async with database.session() as inner:
                await inner.execute(update(counters).values(value=1))
            await outer.execute(update(counters).values(value=2))

    if database.engine.dialect.name == "sqlite":
        # The inner unit would wait for the writer the outer one holds: it says so at once.
        with pytest.raises(RuntimeError, match="inside another one"):
            await nested()
        assert await _value(database) == 0
    else:  # PostgreSQL has no one writer: two units on two connections, each committed
        await nested()
        assert await _value(database) == 2


async def test_a_write_unit_held_too_long_is_logged_with_its_name(
    databases: list[Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_module, "LONG_WRITE_SECONDS", 0.0)
    # A logger already used in this process is cached past `capture_logs`: take a fresh one.
    monkeypatch.setattr(db_module, "logger", structlog.get_logger("msmebazaar.db"))

    with structlog.testing.capture_logs() as logs:
        async with databases[0].session("POST /api/v1/example") as session:
            await session.execute(update(counters).values(value=1))

    long = [entry for entry in logs if entry["event"] == "long_write_transaction"]
    assert [entry["unit"] for entry in long] == ["POST /api/v1/example"]


async def test_counts_from_read_units_are_written_summed_and_kept_when_a_write_fails(
    databases: list[Database],
) -> None:
    database = databases[0]
    failures = [RuntimeError("the database is down")]

    async def add(session: AsyncSession, counts: dict[Hashable, int]) -> None:
        if failures:
            raise failures.pop()
        await session.execute(update(counters).values(value=counters.c.value + counts[1]))

    kind = CountKind("test_counter", add)
    for _ in range(3):
        async with database.read_session() as session:
            count_later(session, kind, 1)

    await database.flush_counts()  # fails: the counts are kept
    assert await _value(database) == 0
    async with database.read_session() as session:
        count_later(session, kind, 1, 2)
    await database.flush_counts()

    assert await _value(database) == 5
