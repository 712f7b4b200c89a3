"""Test fixtures: the app on a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL) and a
real cache and rate limiter (in-process, or Redis with TEST_REDIS_URL).

The schema is built once per run from the Alembic migrations; each test runs inside a transaction
that is rolled back afterwards (sessions commit to savepoints), so tests are isolated and fast.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from redis import asyncio as aioredis
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from msmebazaar.app import create_app
from msmebazaar.shared.cache import Cache, MemoryCache, RedisCache
from msmebazaar.shared.config import (
    AppSettings,
    AuthSettings,
    DatabaseSettings,
    Environment,
    ObservabilitySettings,
    RedisSettings,
    Settings,
    StorageSettings,
    get_settings,
)
from msmebazaar.shared.db import (
    Database,
    create_engine,
    create_postgres_database,
    upgrade_database,
)
from msmebazaar.shared.ratelimit import RateLimiter, create_rate_limiter
from tests.auth.factories import Actor, signed_in
from tests.parallel import make_scheduler

# pytest-xdist (`make pytest` runs with -n) sets this in each worker process: gw0, gw1, ...
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def worker_database_url(url: str) -> str:
    """`url` on a database of the xdist worker's own (test → test_gw1); unchanged without xdist."""
    if not XDIST_WORKER:
        return url
    parsed = make_url(url)
    worker_name = f"{parsed.database}_{XDIST_WORKER}"
    return parsed.set(database=worker_name).render_as_string(hide_password=False)


def worker_redis_url(url: str) -> str:
    """`url` on a Redis db of the xdist worker's own, since tests FLUSHDB: worker i takes db n-i
    (CI's 15 gives 15, 14, ...); unchanged without xdist."""
    if not XDIST_WORKER:
        return url
    parts = urlsplit(url)
    db = int(parts.path.strip("/") or 0) - int(XDIST_WORKER.removeprefix("gw"))
    if db < 0:
        raise pytest.UsageError(f"too many xdist workers for the Redis dbs below {url}")
    return urlunsplit(parts._replace(path=f"/{db}"))


_DATABASE_FROM_ENV = os.environ.get("TEST_DATABASE_URL") or None
_REDIS_FROM_ENV = os.environ.get("TEST_REDIS_URL") or None
TEST_DATABASE_URL = worker_database_url(_DATABASE_FROM_ENV) if _DATABASE_FROM_ENV else None
TEST_REDIS_URL = worker_redis_url(_REDIS_FROM_ENV) if _REDIS_FROM_ENV else None
IN_CI = os.environ.get("CI", "").lower() == "true"
# Tests that need a Redis or PostgreSQL server whatever the run's backend use these defaults
# (LOCAL_REDIS_URL / LOCAL_POSTGRES_URL override them, e.g. to keep off a shared server's db).
LOCAL_REDIS_URL = worker_redis_url(os.environ.get("LOCAL_REDIS_URL") or "redis://127.0.0.1:6379/15")
LOCAL_POSTGRES_URL = (
    os.environ.get("LOCAL_POSTGRES_URL") or "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


def pytest_sessionstart(session: pytest.Session) -> None:
    """Under xdist, each worker's PostgreSQL database exists before any fixture uses it."""
    if XDIST_WORKER and TEST_DATABASE_URL:
        asyncio.run(create_postgres_database(TEST_DATABASE_URL))


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """`--dist loadfile` with the serial group of tests/parallel.py kept on one worker."""
    return make_scheduler(config, log)


@pytest.fixture(autouse=True)
def _clean_settings_cache() -> Iterator[None]:
    # get_settings() is cached per process; a test that changes the environment must not leak.
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


# --- database -------------------------------------------------------------------------------


async def _reset_postgres(url: str) -> None:
    engine = create_engine(DatabaseSettings(url=url))
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


@pytest.fixture(scope="session")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database migrated to head once per run."""
    if TEST_DATABASE_URL:
        await _reset_postgres(TEST_DATABASE_URL)
        url = TEST_DATABASE_URL
    else:
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    upgrade_database(url)
    await _forget_handler_cursors(url)
    return url


async def _forget_handler_cursors(url: str) -> None:
    """The migrations leave a cursor where a handler takes over at deploy time (0018's
    `notifications.inbox`); the suite starts with none: each test's app or dispatcher registers
    its own, rolled back with the test, and no cursor nobody moves holds back pruning."""
    engine = create_engine(DatabaseSettings(url=url))
    async with engine.begin() as connection:
        await connection.execute(text("DELETE FROM event_handlers"))
    await engine.dispose()


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(DatabaseSettings(url=database_url, pool_size=5))
    yield engine
    await engine.dispose()


@pytest.fixture
async def db_connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """One connection in an outer transaction, rolled back after the test."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        try:
            yield connection
        finally:
            await transaction.rollback()


@pytest.fixture
def database(engine: AsyncEngine, db_connection: AsyncConnection) -> Database:
    """The app's database, its sessions bound to the test's transaction."""
    return Database(engine, bind=db_connection)


# --- redis, cache, rate limits ---------------------------------------------------------------


async def _redis_reachable(url: str) -> bool:
    client = aioredis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        await client.ping()
    except (OSError, aioredis.RedisError):
        return False
    finally:
        await client.aclose()
    return True


@pytest.fixture
async def redis_url() -> str:
    """A real Redis (flushed) for tests that need one: TEST_REDIS_URL, else the local server;
    skipped when absent outside CI, a failure in CI."""
    url = TEST_REDIS_URL or LOCAL_REDIS_URL
    if not await _redis_reachable(url):
        if IN_CI or TEST_REDIS_URL:
            pytest.fail(f"Redis at {url} is not answering")
        pytest.skip("no Redis server here (set TEST_REDIS_URL)")
    client = aioredis.Redis.from_url(url)
    await client.flushdb()
    await client.aclose()
    return url


@pytest.fixture
async def cache() -> AsyncIterator[Cache]:
    if TEST_REDIS_URL:
        client = aioredis.Redis.from_url(TEST_REDIS_URL, decode_responses=True)
        await client.flushdb()
        redis_cache = RedisCache(client)
        yield redis_cache
        await redis_cache.close()
    else:
        yield MemoryCache()


@pytest.fixture
async def rate_limiter() -> AsyncIterator[RateLimiter]:
    limiter = create_rate_limiter(RedisSettings(url=TEST_REDIS_URL))
    await limiter.reset()
    yield limiter
    await limiter.reset()


async def clear_of_a_minute_boundary() -> None:
    """Wait out a minute's last seconds. The limiter's sliding window weighs the last minute's
    hits and rounds down, so a burst that straddles the boundary lets one request more through
    (it did when a slow first request landed at :59.6 on a loaded machine)."""
    left = 60 - time.time() % 60
    if left < 5:
        await asyncio.sleep(left + 0.05)


# --- the app --------------------------------------------------------------------------------


def make_settings(database_url: str, **app_overrides: object) -> Settings:
    """Settings for tests: testing environment, OTP echo on, the global rate limit off."""
    app_fields: dict[str, object] = {
        "environment": Environment.TESTING,
        "rate_limit_per_minute": 0,
        **app_overrides,
    }
    return Settings(
        app=AppSettings(**app_fields),  # type: ignore[arg-type]
        database=DatabaseSettings(url=database_url),
        redis=RedisSettings(url=TEST_REDIS_URL),
        auth=AuthSettings(otp_echo=True),
        observability=ObservabilitySettings(log_format="json"),
    )


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The test settings, with uploaded documents kept under the test's own tmp folder."""
    test_settings = make_settings(database_url)
    test_settings.storage = StorageSettings(url=f"file://{tmp_path / 'documents'}")
    return test_settings


@pytest.fixture
async def app(
    settings: Settings, database: Database, cache: Cache, rate_limiter: RateLimiter
) -> AsyncIterator[FastAPI]:
    application = create_app(settings, database=database, cache=cache, rate_limiter=rate_limiter)
    async with LifespanManager(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


# --- signed-in users of each role (through the real sign-in) ---------------------------------


@pytest.fixture
async def owner(client: httpx.AsyncClient, database: Database) -> Actor:
    return await signed_in(client, database, "msme_owner")


@pytest.fixture
async def other_owner(client: httpx.AsyncClient, database: Database) -> Actor:
    return await signed_in(client, database, "msme_owner")


@pytest.fixture
async def buyer(client: httpx.AsyncClient, database: Database) -> Actor:
    return await signed_in(client, database, "buyer")


@pytest.fixture
async def investor(client: httpx.AsyncClient, database: Database) -> Actor:
    return await signed_in(client, database, "investor")


@pytest.fixture
async def admin(client: httpx.AsyncClient, database: Database) -> Actor:
    return await signed_in(client, database, "admin")


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
