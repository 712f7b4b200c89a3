"""Fixtures for the proofs: throwaway servers, and apps built on them."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from msmebazaar.app import create_app
from msmebazaar.shared.cache import MemoryCache
from msmebazaar.shared.config import DatabaseSettings, RedisSettings
from msmebazaar.shared.db import Database, upgrade_database
from msmebazaar.shared.ratelimit import create_rate_limiter
from tests.conftest import TEST_DATABASE_URL, make_settings
from tests.proof.servers import PG_BIN, ThrowawayPostgres, ThrowawayRedis, require_binaries


@pytest.fixture(scope="session")
def throwaway_postgres() -> Iterator[ThrowawayPostgres]:
    """A PostgreSQL cluster of our own (one per run), migrated to head; tests may break it, and
    each test leaves it running again."""
    require_binaries(PG_BIN / "initdb", PG_BIN / "pg_ctl", shutil.which("pgrep"))
    server = ThrowawayPostgres()
    try:
        server.start()
        upgrade_database(server.url)
        yield server
    finally:
        server.destroy()


@pytest.fixture
async def throwaway_redis() -> AsyncIterator[ThrowawayRedis]:
    """A redis-server of our own for one test."""
    binary = shutil.which("redis-server")
    require_binaries(Path(binary) if binary else None)
    assert binary is not None
    server = ThrowawayRedis(binary)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def committed_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database of the run's backend whose writes really commit (races need two connections
    and committed rows): the throwaway cluster on a PostgreSQL run, a SQLite file otherwise."""
    if TEST_DATABASE_URL:
        server: ThrowawayPostgres = request.getfixturevalue("throwaway_postgres")
        return server.url
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('committed') / 'proof.db'}"
    upgrade_database(url)
    return url


@pytest.fixture
async def committed_db(committed_url: str) -> AsyncIterator[Database]:
    """The committed database, with the app's default pool and timeouts."""
    database = Database.from_settings(DatabaseSettings(url=committed_url))
    yield database
    await database.dispose()


@pytest.fixture
async def committed_client(
    committed_url: str, committed_db: Database
) -> AsyncIterator[httpx.AsyncClient]:
    """The whole app on the committed database (in-process cache and limits)."""
    settings = make_settings(committed_url)
    limiter = create_rate_limiter(RedisSettings(url=None))
    app = create_app(settings, database=committed_db, cache=MemoryCache(), rate_limiter=limiter)
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app, client=("198.51.100.30", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            yield http
