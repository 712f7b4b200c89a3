"""Database: SQLAlchemy 2.0 async engine, sessions, the declarative base and migrations.

One transaction per request or job: services only `flush()`; `Database.session()` (and the
`SessionDep` dependency built on it) commits when the unit of work succeeds and rolls back when
it raises.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import structlog
from fastapi import Depends, Request
from sqlalchemy import BigInteger, DateTime, MetaData, Uuid, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, ORMExecuteState, Session, mapped_column
from sqlalchemy.types import TypeDecorator

from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.counts import FLUSH_SECONDS, PendingCounts, take_counted

logger = structlog.get_logger("msmebazaar.db")

# The connection option that marks a unit of work that may write (SQLite: `BEGIN IMMEDIATE`).
_WRITES = "msmebazaar_writes"
# The session flag of a read-only unit of work.
_READ_ONLY = "msmebazaar_read_only"
# A unit of work that holds the writer longer than this is a bug: it is logged (issue 16).
LONG_WRITE_SECONDS = 1.0
# The session flag `shared.events` sets when a commit stored domain events.
EVENTS_COMMITTED = "msmebazaar_events_committed"


class ReadOnlySessionError(RuntimeError):
    """A read-only unit of work tried to write (a programming error, never the caller's)."""


@event.listens_for(Session, "before_flush")
def _refuse_flush_when_read_only(session: Session, *_: Any) -> None:
    if session.info.get(_READ_ONLY) and (session.new or session.dirty or session.deleted):
        raise ReadOnlySessionError("a read-only unit of work tried to write (flush)")


@event.listens_for(Session, "do_orm_execute")
def _refuse_dml_when_read_only(state: ORMExecuteState) -> None:
    if state.session.info.get(_READ_ONLY) and (
        state.is_insert or state.is_update or state.is_delete
    ):
        raise ReadOnlySessionError("a read-only unit of work tried to write (DML)")


def _warn_if_long(unit: str | None, seconds: float) -> None:
    if seconds > LONG_WRITE_SECONDS:
        logger.warning("long_write_transaction", unit=unit or "-", seconds=round(seconds, 3))


# Deterministic constraint names, so migrations can drop and alter them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite stores no zone: we restore it)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base for every service's models: money as 64-bit ints, times as aware UTC."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {  # noqa: RUF012 - SQLAlchemy reads it as a class attribute
        int: BigInteger(),
        datetime: UTCDateTime(),
        uuid.UUID: Uuid(),
    }


class UUIDPrimaryKey:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def _configure_sqlite(engine: AsyncEngine, write_wait_seconds: float) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT; SQLAlchemy's documented recipe takes
    # it over. WAL lets readers run beside the writer; busy_timeout makes a writer of another
    # process (the CLI, a second worker) wait for its turn instead of failing.
    busy_timeout_ms = int(write_wait_seconds * 1000)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "foreign_keys=ON",
            f"busy_timeout={busy_timeout_ms}",
            "synchronous=NORMAL",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A unit of work that may write takes SQLite's write lock when it begins (IMMEDIATE),
        # before it reads anything: a DEFERRED transaction that has read and then writes fails
        # at once with SQLITE_BUSY whenever another writer committed in between (its snapshot
        # is stale), which no wait can cure. Readers stay DEFERRED and never wait.
        mode = "IMMEDIATE" if connection.get_execution_options().get(_WRITES) else "DEFERRED"
        connection.exec_driver_sql(f"BEGIN {mode}")


def _ensure_sqlite_folder(url: str) -> None:
    path = url.split(":///", 1)[-1].split("?", 1)[0]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def create_engine(settings: DatabaseSettings) -> AsyncEngine:
    """A pooled async engine for SQLite (aiosqlite) or PostgreSQL (asyncpg)."""
    if settings.is_sqlite:
        _ensure_sqlite_folder(settings.url)
        # No cap on connections (max_overflow=-1): a SQLite connection is a local file handle,
        # admission bounds the requests in flight, and a capped pool deadlocked when every
        # request held a connection while a unit it opened waited for one more.
        engine = create_async_engine(
            settings.url,
            echo=settings.echo,
            pool_size=settings.pool_size,
            max_overflow=-1,
            connect_args={"timeout": settings.sqlite_write_wait_seconds},
        )
        _configure_sqlite(engine, settings.sqlite_write_wait_seconds)
        return engine
    # Bounded waits, so a dead or hung server answers 503 fast and a restarted one is used again
    # without restarting us: `timeout` bounds connecting (a frozen server accepts TCP and then
    # says nothing), `command_timeout` bounds every statement on our side (a hung server never
    # cancels anything itself), and the server's `statement_timeout` cancels a runaway query.
    statement_seconds = settings.statement_timeout_ms / 1000 or None
    engine = create_async_engine(
        settings.url,
        echo=settings.echo,
        pool_size=settings.pool_size,
        max_overflow=settings.max_overflow,
        pool_timeout=settings.pool_timeout_seconds,
        pool_recycle=1800,
        connect_args={
            "timeout": settings.connect_timeout_seconds,
            "command_timeout": statement_seconds,
            "server_settings": {
                "statement_timeout": str(settings.statement_timeout_ms),
                "application_name": "msmebazaar",
            },
        },
    )
    _ping_on_checkout(engine, settings.ping_timeout_seconds)
    return engine


def _ping_on_checkout(engine: AsyncEngine, timeout_seconds: float) -> None:
    # SQLAlchemy's own `pool_pre_ping` waits as long as any statement may run; ours gives a pooled
    # connection the ping timeout to answer. A silent or closed one raises DisconnectionError,
    # which makes the pool drop it and connect afresh (a restarted server is used at once; a
    # dead one fails that connect within the connect timeout).
    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        try:
            dbapi_connection.run_async(
                lambda raw: raw.fetchrow("SELECT 1", timeout=timeout_seconds)
            )
        except Exception as exc:
            # Cut it here: the pool's own close would first wait 2 s for a polite goodbye.
            dbapi_connection.driver_connection.terminate()
            raise DisconnectionError(f"pooled connection failed its ping: {exc!r}") from exc


class Database:
    """An engine and its session factory; the app keeps one in its runtime (`shared/runtime.py`).

    Two kinds of unit of work: `session()` may write, `read_session()` may not. On SQLite,
    which has one writer, every writer goes through this process's writer lock and then
    `BEGIN IMMEDIATE` (which waits, up to `write_wait_seconds`, for other processes' writers):
    writers queue instead of failing, and readers, on their WAL snapshot, never wait for them.
    PostgreSQL keeps its own concurrency (row locks, SKIP LOCKED): no lock is taken there.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        bind: AsyncEngine | AsyncConnection | None = None,
        *,
        write_wait_seconds: float = 30.0,
    ):
        self.engine = engine
        # Tests bind sessions to one connection inside an outer transaction: a session's commit
        # then releases a savepoint, and the test's rollback undoes everything.
        self.sessionmaker = async_sessionmaker(
            bind=bind or engine,
            expire_on_commit=False,
            autoflush=False,
            join_transaction_mode="create_savepoint",
        )
        # Sessions ride on a connection the caller owns (tests), not on the engine's pool.
        self.bound = bind is not None
        self.read_sessionmaker = self.sessionmaker
        if not self.bound and engine.dialect.name == "postgresql":
            # PostgreSQL reads in READ COMMITTED take a snapshot per statement anyway, so a
            # read-only unit gains nothing from BEGIN ... ROLLBACK but two round trips: its
            # statements run in autocommit (the same snapshots, half the messages).
            self.read_sessionmaker = async_sessionmaker(
                bind=engine.execution_options(isolation_level="AUTOCOMMIT"),
                expire_on_commit=False,
                autoflush=False,
            )
        self.write_wait_seconds = write_wait_seconds
        self.counts = PendingCounts()  # counted on read paths, written by `flush_counts`
        self._count_flusher: asyncio.Task[None] | None = None
        self._one_writer = engine.dialect.name == "sqlite"
        self._writer = asyncio.Lock()
        self._writer_task: asyncio.Task[Any] | None = None
        # Called after a unit of work committed domain events: the app's event dispatcher,
        # when it runs in this process (`shared/dispatch.py`), delivers them or wakes up.
        self.after_events: Callable[[], Awaitable[None]] | None = None

    @classmethod
    def from_settings(cls, settings: DatabaseSettings) -> Database:
        """A database for the configured URL."""
        return cls(create_engine(settings), write_wait_seconds=settings.sqlite_write_wait_seconds)

    @asynccontextmanager
    async def session(self, unit: str | None = None) -> AsyncIterator[AsyncSession]:
        """One unit of work that may write: commit if the block succeeds, roll back if it
        raises. The domain events it published are stored with the commit (`shared.events`);
        the dispatcher of this process, if any, is told afterwards. `unit` names it (a route or
        a job) in the log when it holds the writer too long."""
        async with self._write_turn():
            started = time.monotonic()
            async with self.sessionmaker() as session:
                if self._one_writer:
                    await session.connection(execution_options={_WRITES: True})
                try:
                    yield session
                    await session.commit()
                except BaseException:
                    await session.rollback()
                    raise
                stored_events = session.info.pop(EVENTS_COMMITTED, False)
                self.counts.add(take_counted(session))
            _warn_if_long(unit, time.monotonic() - started)
        if stored_events and self.after_events is not None:
            await self.after_events()

    @asynccontextmanager
    async def read_session(self) -> AsyncIterator[AsyncSession]:
        """A unit of work that only reads (on SQLite one consistent snapshot; on PostgreSQL each
        statement its own, as READ COMMITTED gives); it never waits for a writer and refuses
        to write (`ReadOnlySessionError`): a read path that writes would queue every
        reader behind the writers."""
        # Closing ends the transaction without expiring what was loaded (a rollback would):
        # the caller may use the objects after the block, as after a commit.
        async with self.read_sessionmaker(info={_READ_ONLY: True}) as session:
            yield session
            self.counts.add(take_counted(session))

    async def flush_counts(self) -> None:
        """Write the counts that read paths kept (`shared.counts`), one short unit each."""
        await self.counts.flush(self)

    def start_flushing_counts(self, every_seconds: float = FLUSH_SECONDS) -> None:
        """Flush the kept counts every `every_seconds`, in a task of this process."""
        if self._count_flusher is None:
            self._count_flusher = asyncio.create_task(
                self._flush_counts_forever(every_seconds), name="flush-counts"
            )

    async def stop_flushing_counts(self) -> None:
        """Stop the flushing task and write what is left."""
        if self._count_flusher is not None:
            self._count_flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._count_flusher
            self._count_flusher = None
        await self.flush_counts()

    async def _flush_counts_forever(self, every_seconds: float) -> None:
        while True:
            await asyncio.sleep(every_seconds)
            await self.flush_counts()

    @asynccontextmanager
    async def _write_turn(self) -> AsyncIterator[None]:
        if not self._one_writer:
            yield
            return
        task = asyncio.current_task()
        if task is not None and task is self._writer_task:
            # The inner unit would wait for the outer one, which waits for it: say so at once.
            raise RuntimeError("a unit of work that writes was opened inside another one")
        try:
            async with asyncio.timeout(self.write_wait_seconds):
                await self._writer.acquire()
        except TimeoutError:
            logger.error("sqlite_writer_wait_exceeded", seconds=self.write_wait_seconds)
            raise
        self._writer_task = task
        try:
            yield
        finally:
            self._writer_task = None
            self._writer.release()

    async def ping(self) -> float:
        """Run `SELECT 1`; return the round trip in milliseconds."""
        started = time.perf_counter()
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return (time.perf_counter() - started) * 1000

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


async def relax_durability(session: AsyncSession) -> None:
    """For a unit of work that only bumps counters (listing views, matches served): on
    PostgreSQL its commit does not wait for the WAL to reach the disk (`synchronous_commit`
    off for this transaction only), which was a disk flush on every public read. A server crash
    may lose the last fraction of a second of such counts; it never corrupts them or touches
    any other transaction. No effect on SQLite."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SET LOCAL synchronous_commit = off"))


# Both constructs carry `on_conflict_do_nothing` / `on_conflict_do_update` and `excluded`.
DialectInsert = postgresql.Insert | sqlite.Insert


def dialect_insert(bind: AsyncSession | str, table: Any) -> DialectInsert:
    """`INSERT` into `table` in the dialect of `bind` (a session or a dialect name), for upserts."""
    # The one place that picks an insert by dialect (tests/test_architecture.py holds it there):
    # the two ON CONFLICT clauses are spelt alike but are different classes in SQLAlchemy.
    name = bind if isinstance(bind, str) else bind.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


_READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """FastAPI dependency: the request's session; committed after the endpoint returns. A GET
    reads only (it never queues behind writers); any other method is a unit of work that may
    write."""
    database: Database = request.app.state.runtime.database  # `shared.runtime`, which imports us
    if request.method in _READING_METHODS:
        async with database.read_session() as session:
            yield session
        return
    route = request.scope.get("route")
    unit = f"{request.method} {getattr(route, 'path', request.url.path)}"
    async with database.session(unit) as session:
        yield session


# scope="function": the commit runs when the endpoint returns, before the response is sent, so a
# failed commit answers an error instead of a 2xx for data that was never stored.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


async def create_postgres_database(url: str) -> None:
    """Create the PostgreSQL database `url` names if its server lacks it (tests, benchmarks)."""
    name = make_url(url).database
    maintenance = make_url(url).set(database="postgres").render_as_string(hide_password=False)
    engine = create_engine(DatabaseSettings(url=maintenance))
    try:
        async with engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            exists = await autocommit.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                await autocommit.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await engine.dispose()


def upgrade_database(url: str, revision: str = "head") -> None:
    """Apply Alembic migrations to `url` up to `revision` (the latest by default)."""
    _run_alembic(url, "upgrade", revision)


def downgrade_database(url: str, revision: str) -> None:
    """Undo Alembic migrations on `url` down to `revision` (`base` undoes them all)."""
    _run_alembic(url, "downgrade", revision)


def _run_alembic(url: str, action: str, revision: str) -> None:
    from alembic import command  # noqa: PLC0415 - alembic is only needed to migrate
    from alembic.config import Config  # noqa: PLC0415

    if url.startswith("sqlite"):
        _ensure_sqlite_folder(url)
    config = Config()
    config.set_main_option("script_location", "msmebazaar:migrations")
    config.attributes["database_url"] = url
    run = command.upgrade if action == "upgrade" else command.downgrade
    _outside_event_loop(lambda: run(config, revision))


def _outside_event_loop(function: Callable[[], None]) -> None:
    # Alembic's env.py drives the async engine with asyncio.run(), which cannot nest inside a
    # running loop (tests, an async CLI): then it runs in a thread of its own.
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        function()
        return
    errors: list[BaseException] = []

    def target() -> None:
        try:
            function()
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=target)
    worker.start()
    worker.join()
    if errors:
        raise errors[0]
