"""The documented backup and restore (docs/operations.md) work: devops/scripts/pg-backup.sh dumps a
migrated database with data, pg-restore.sh restores it into an empty one, and every table comes
back with the same rows. Runs against scratch databases it creates and drops on the test server
(TEST_DATABASE_URL's, else the local one)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, table, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.db import Database, upgrade_database
from msmebazaar.shared.outbox import enqueue
from tests.auth.factories import make_user
from tests.conftest import IN_CI, LOCAL_POSTGRES_URL, TEST_DATABASE_URL
from tests.devops.tools import DEVOPS, clean_environment, require_tool

SCRIPTS = DEVOPS / "scripts"
SERVER_URL = TEST_DATABASE_URL or LOCAL_POSTGRES_URL


def _app_url(database: str) -> str:
    """The app's URL (postgresql+asyncpg) for `database` on the test server."""
    return make_url(SERVER_URL).set(database=database).render_as_string(hide_password=False)


def _engine(database: str) -> AsyncEngine:
    return create_async_engine(
        _app_url(database), isolation_level="AUTOCOMMIT", connect_args={"timeout": 3}
    )


async def _server() -> AsyncConnection:
    engine = _engine("postgres")
    try:
        return await engine.connect()
    except (OSError, DBAPIError) as exc:
        await engine.dispose()
        if IN_CI or TEST_DATABASE_URL:
            pytest.fail(f"PostgreSQL at {make_url(SERVER_URL).host} is not answering: {exc!r}")
        pytest.skip("no PostgreSQL server here (set TEST_DATABASE_URL)")


@pytest.fixture
async def scratch_databases() -> AsyncIterator[tuple[str, str]]:
    """Two new, empty databases (source and restore target), dropped afterwards."""
    suffix = f"{os.getpid()}_{uuid.uuid4().hex[:8]}"
    names = (f"ops_backup_source_{suffix}", f"ops_backup_target_{suffix}")
    server = await _server()
    try:
        for name in names:
            await server.execute(text(f'CREATE DATABASE "{name}"'))
        yield names
    finally:
        for name in names:
            await server.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await server.close()
        await server.engine.dispose()


async def _row_counts(database: str) -> dict[str, int]:
    """Rows in every table of `database`."""
    engine = _engine(database)
    listing = text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    async with engine.connect() as connection:
        names = (await connection.scalars(listing)).all()
        counts = {
            name: int(await connection.scalar(select(func.count()).select_from(table(name))) or 0)
            for name in names
        }
    await engine.dispose()
    return counts


async def _script(name: str, *args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    """Run one of devops/scripts with DATABASE_URL set, as an operator would."""
    for tool in ("pg_dump", "pg_restore", "psql"):
        require_tool(tool)
    return await asyncio.to_thread(
        subprocess.run,
        [str(SCRIPTS / name), *args],
        env=clean_environment(DATABASE_URL=database_url),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def _succeeds(name: str, *args: str, database_url: str) -> str:
    result = await _script(name, *args, database_url=database_url)
    assert result.returncode == 0, result.stderr
    return result.stdout


async def _fill(url: str) -> None:
    database = Database.from_settings(DatabaseSettings(url=url))
    for number in range(3):
        await make_user(database, phone=f"+91981234{number:04d}", name=f"Owner {number}")
    async with database.session() as session:
        enqueue(session, "sms", "+919812340000", "Your listing is live.")
    await database.dispose()


async def test_backup_then_restore_into_an_empty_database_keeps_every_row(
    scratch_databases: tuple[str, str], tmp_path: Path
) -> None:
    source, target = scratch_databases
    upgrade_database(_app_url(source))
    await _fill(_app_url(source))
    dump = tmp_path / "msmebazaar.dump"

    backed_up = await _succeeds("pg-backup.sh", str(dump), database_url=_app_url(source))
    restored = await _succeeds("pg-restore.sh", str(dump), database_url=_app_url(target))

    assert dump.stat().st_size > 0
    assert f"Backed up {source}" in backed_up
    assert "schema at revision" in restored
    counts = await _row_counts(target)
    assert counts == await _row_counts(source)
    assert counts["users"] == 3
    assert counts["outbox_messages"] == 1
    assert counts["alembic_version"] == 1


async def test_restore_refuses_a_database_that_is_not_empty_and_changes_nothing(
    scratch_databases: tuple[str, str], tmp_path: Path
) -> None:
    source, target = scratch_databases
    upgrade_database(_app_url(source))
    await _fill(_app_url(source))
    upgrade_database(_app_url(target))
    dump = tmp_path / "msmebazaar.dump"
    await _succeeds("pg-backup.sh", str(dump), database_url=_app_url(source))

    result = await _script("pg-restore.sh", str(dump), database_url=_app_url(target))

    assert result.returncode != 0
    assert (await _row_counts(target))["users"] == 0  # one transaction: nothing half-restored


async def test_restore_with_clean_replaces_what_the_database_held(
    scratch_databases: tuple[str, str], tmp_path: Path
) -> None:
    source, target = scratch_databases
    for database in (source, target):
        upgrade_database(_app_url(database))
    await _fill(_app_url(source))
    dump = tmp_path / "msmebazaar.dump"
    await _succeeds("pg-backup.sh", str(dump), database_url=_app_url(source))

    await _succeeds("pg-restore.sh", str(dump), "--clean", database_url=_app_url(target))

    assert await _row_counts(target) == await _row_counts(source)
