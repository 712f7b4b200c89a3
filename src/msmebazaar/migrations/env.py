"""Alembic environment: runs migrations on SQLite or PostgreSQL through the async engine."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

import msmebazaar.shared.outbox  # noqa: F401 - registers `outbox_messages` on the metadata
from msmebazaar.msme.search import is_search_object
from msmebazaar.services import import_all_models
from msmebazaar.shared.config import get_settings
from msmebazaar.shared.db import Base

config = context.config
import_all_models()
target_metadata = Base.metadata


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
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    engine = create_async_engine(_database_url(), poolclass=NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_configure)
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
