"""Units of work for the sign-in writes (OTP request, verify, refresh).

SQLite allows one writer at a time and makes a waiting writer poll (its busy handler sleeps up
to 100 ms a try), which under 50 concurrent sign-ins turned into multi-second tails and
"database is locked" errors. In the embedded default (one process) these transactions queue on
an asyncio lock instead; PostgreSQL takes row locks and needs none.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from weakref import WeakKeyDictionary

from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.shared.db import Database

_sqlite_write_locks: WeakKeyDictionary[Database, asyncio.Lock] = WeakKeyDictionary()


@asynccontextmanager
async def write_session(database: Database) -> AsyncIterator[AsyncSession]:
    """`database.session()`, serialised within this process when the database is SQLite."""
    if database.engine.dialect.name != "sqlite":
        async with database.session() as session:
            yield session
        return
    lock = _sqlite_write_locks.setdefault(database, asyncio.Lock())
    async with lock, database.session() as session:
        yield session
