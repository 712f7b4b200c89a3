"""Alembic environment: runs migrations on SQLite or PostgreSQL through the async engine."""

from __future__ import annotations

import asyncio
import logging

from alembic import context
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

import msmebazaar.shared.dispatch
import msmebazaar.shared.outbox  # noqa: F401 - registers `outbox_messages` on the metadata
from msmebazaar.msme.search import is_search_object
from msmebazaar.services import import_all_models
from msmebazaar.shared.config import get_settings
from msmebazaar.shared.db import Base

config = context.config
import_all_models()
target_metadata = Base.metadata
log = logging.getLogger("alembic.env")

# On PostgreSQL, DDL that needs a table's exclusive lock queues behind any open transaction on
# the table, and every later request on that table queues behind the DDL: one slow report would
# stall the app for as long as it runs. Waiting at most a few seconds, then failing and trying
# again shortly, bounds that stall (docs/operations.md, "Migrations without downtime").
LOCK_TIMEOUT = "3s"
LOCK_ATTEMPTS = 3
_LOCK_NOT_AVAILABLE = "55P03"


def _database_url() -> str:
    return str(
        config.attributes.get("database_url")
        or config.get_main_option("sqlalchemy.url")
        or get_settings().database.url
    )


def _modelled(_: object, name: str | None, type_: str, *__: object) -> bool:
    # Full-text search objects (FTS5 tables, the tsvector column) are made by migration 0004,
    # not by models: autogenerate must not propose dropping them.
    return not is_search_object(name, type_)


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite can't ALTER most things in place; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=_modelled,
        # Each migration commits on its own, so its locks are held no longer than it runs, and
        # an autocommit block (CREATE INDEX CONCURRENTLY) never commits half of another one.
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _lock_timed_out(exc: DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) == _LOCK_NOT_AVAILABLE


async def _run_online() -> None:
    url = _database_url()
    on_postgresql = make_url(url).get_backend_name() == "postgresql"
    connect_args = {"server_settings": {"lock_timeout": LOCK_TIMEOUT}} if on_postgresql else {}
    engine = create_async_engine(url, poolclass=NullPool, connect_args=connect_args)
    try:
        for attempt in range(1, LOCK_ATTEMPTS + 1):
            try:
                async with engine.connect() as connection:
                    await connection.run_sync(_configure)
                return
            except DBAPIError as exc:
                # Committed migrations stay done; the retry resumes at the one that timed out.
                if attempt == LOCK_ATTEMPTS or not _lock_timed_out(exc):
                    raise
                log.warning("lock not granted within %s; retry %d", LOCK_TIMEOUT, attempt)
                await asyncio.sleep(attempt)
    finally:
        await engine.dispose()


def _run_offline() -> None:
    context.configure(
        url=_database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=_database_url().startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    _run_offline()
else:
    asyncio.run(_run_online())
