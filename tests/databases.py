"""Scratch PostgreSQL databases for tests that need a database of their own (migrations run
both ways, a migration under load, backups): made on a server, dropped afterwards; and a
recorder of the statements an engine sends."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from sqlalchemy import event, make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


@asynccontextmanager
async def scratch_postgres_database(server_url: str, prefix: str) -> AsyncIterator[str]:
    """A new, empty database named `prefix_<random>` beside `server_url`'s; yields its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        finally:
            async with admin.connect() as connection:
                await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


@contextmanager
def counted_queries(engine: AsyncEngine) -> Iterator[list[str]]:
    """Collect the SQL statements sent through `engine` inside the block."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        # The test's transaction wraps each request in a savepoint; those are not the app's.
        if not args[2].lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(args[2])

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
