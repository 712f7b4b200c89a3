"""The database layer: aware UTC times, one transaction per request, migrations both ways."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Column, MetaData, Table, insert, inspect, select, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.db import (
    Base,
    Database,
    UTCDateTime,
    create_engine,
    downgrade_database,
    upgrade_database,
)
from tests.conftest import TEST_DATABASE_URL
from tests.databases import scratch_postgres_database
from tests.shared.routes import notes

IST = timezone(timedelta(hours=5, minutes=30))


async def _note_bodies(connection: AsyncConnection) -> list[str]:
    return list((await connection.scalars(select(notes.c.body))).all())


async def test_request_transaction_commits_when_the_endpoint_succeeds(
    kernel_client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    response = await kernel_client.post("/test/notes/kept")

    assert response.status_code == 200
    assert await _note_bodies(db_connection) == ["kept"]


async def test_request_transaction_rolls_back_when_the_endpoint_fails(
    kernel_client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    response = await kernel_client.post("/test/notes/dropped?fail=true")

    assert response.status_code == 409
    assert await _note_bodies(db_connection) == []


async def test_duplicate_write_is_409_and_keeps_what_was_stored(
    kernel_client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    await kernel_client.post("/test/notes/once")

    response = await kernel_client.post("/test/notes/once")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "CONFLICT"
    assert await _note_bodies(db_connection) == ["once"]


async def test_times_come_back_timezone_aware_utc(db_connection: AsyncConnection) -> None:
    table = Table("test_times", MetaData(), Column("at", UTCDateTime(), primary_key=True))
    await db_connection.run_sync(table.metadata.create_all)
    await db_connection.execute(insert(table).values(at=datetime(2026, 4, 1, 10, 0, tzinfo=IST)))

    stored = await db_connection.scalar(select(table.c.at))

    assert stored == datetime(2026, 4, 1, 4, 30, tzinfo=UTC)
    assert stored is not None
    assert stored.tzinfo is not None


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(datetime(2026, 1, 1), sqlite.dialect())


def test_constraint_names_follow_the_naming_convention() -> None:
    assert Base.metadata.naming_convention["fk"] == (
        "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"
    )


async def _tables(url: str) -> set[str]:
    engine = create_engine(DatabaseSettings(url=url))
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    await engine.dispose()
    return names


async def _assert_migrates_both_ways(url: str) -> None:
    upgrade_database(url)
    tables = await _tables(url)
    assert "alembic_version" in tables
    assert set(Base.metadata.tables) <= tables
    downgrade_database(url, "base")
    assert await _tables(url) <= {"alembic_version"}
    upgrade_database(url)
    assert set(Base.metadata.tables) <= await _tables(url)


async def test_migrations_run_both_ways_on_sqlite(tmp_path: Path) -> None:
    await _assert_migrates_both_ways(f"sqlite+aiosqlite:///{tmp_path / 'fresh' / 'm.db'}")


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="PostgreSQL run only (TEST_DATABASE_URL)")
async def test_migrations_run_both_ways_on_postgresql() -> None:
    assert TEST_DATABASE_URL is not None
    async with scratch_postgres_database(TEST_DATABASE_URL, "msmebazaar_migrations") as url:
        await _assert_migrates_both_ways(url)


async def test_migrated_schema_matches_the_models(db_connection: AsyncConnection) -> None:
    from alembic.autogenerate import compare_metadata  # noqa: PLC0415
    from alembic.migration import MigrationContext  # noqa: PLC0415

    from msmebazaar.services import import_all_models  # noqa: PLC0415

    import_all_models()

    from msmebazaar.msme.search import is_search_object  # noqa: PLC0415

    def modelled(_: object, name: str | None, type_: str, *__: object) -> bool:
        # Full-text search objects (FTS5 tables, a tsvector column) live outside the models.
        return not is_search_object(name, type_)

    def diff(sync_connection: object) -> list[object]:
        context = MigrationContext.configure(
            sync_connection,  # type: ignore[arg-type]
            opts={"include_object": modelled},
        )
        return list(compare_metadata(context, Base.metadata))

    assert await db_connection.run_sync(diff) == []


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="PostgreSQL run only (TEST_DATABASE_URL)")
async def test_postgresql_reads_run_in_autocommit_and_writes_in_one_transaction(
    database_url: str,
) -> None:
    # READ COMMITTED takes a snapshot per statement, so a read unit needs no BEGIN/ROLLBACK:
    # each of its statements is its own transaction (now() moves), a write unit is one.
    database = Database.from_settings(DatabaseSettings(url=database_url))
    started = text("SELECT transaction_timestamp()")
    try:
        async with database.read_session() as session:
            first = await session.scalar(started)
            await asyncio.sleep(0.01)
            second = await session.scalar(started)
        async with database.session() as session:
            first_write = await session.scalar(started)
            await asyncio.sleep(0.01)
            assert await session.scalar(started) == first_write
    finally:
        await database.dispose()
    assert second > first
