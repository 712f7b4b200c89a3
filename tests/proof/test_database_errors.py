"""How database and dependency failures are answered (shared/errors.py): a lost race on
PostgreSQL is 409, a value the database cannot store is 422, a dependency that is down or silent
(SQLite's writer wait run out included) is 503, and only a real bug is 500. The fault and race
tests reach these through real servers; these pin each mapping on its own."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from msmebazaar.shared.errors import install_error_handlers


class _DriverError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"driver error {sqlstate}")
        self.sqlstate = sqlstate


def _sqlite_busy(name: str) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError("database is locked")
    error.sqlite_errorname = name
    return error


def _refused_by_the_driver() -> InterfaceError:
    # asyncpg's DataError (a ValueError) for an int beyond 64 bits, as SQLAlchemy wraps it.
    wrapped = _DriverError("")
    wrapped.__cause__ = ValueError("invalid input for query argument $1 (value out of int64 range)")
    return InterfaceError("INSERT", {}, wrapped)


FAILURES: dict[str, Exception] = {
    "serialization": DBAPIError("UPDATE", {}, _DriverError("40001")),
    "deadlock": DBAPIError("UPDATE", {}, _DriverError("40P01")),
    "sqlite_busy": OperationalError("UPDATE", {}, _sqlite_busy("SQLITE_BUSY")),
    "sqlite_snapshot": OperationalError("UPDATE", {}, _sqlite_busy("SQLITE_BUSY_SNAPSHOT")),
    "nul_character": DBAPIError("INSERT", {}, _DriverError("22021")),
    "out_of_range": DBAPIError("INSERT", {}, _DriverError("22003")),
    "statement_timeout": DBAPIError("SELECT", {}, _DriverError("57014")),
    "shutting_down": DBAPIError("SELECT", {}, _DriverError("57P01")),
    "connection_lost": DBAPIError("SELECT", {}, _DriverError("08006")),
    "too_many_connections": DBAPIError("SELECT", {}, _DriverError("53300")),
    "refused": OperationalError("SELECT", {}, ConnectionRefusedError()),
    "silent_server": TimeoutError(),
    "bug_in_our_sql": DBAPIError("SELEC", {}, _DriverError("42601")),
    "value_the_driver_refused": _refused_by_the_driver(),
    "connection_closed": InterfaceError("SELECT", {}, _DriverError("")),
}
EXPECTED = {
    "serialization": (409, "CONFLICT"),
    "deadlock": (409, "CONFLICT"),
    # SQLite's writers queue for their turn; "locked" means the wait for it ran out: an outage.
    "sqlite_busy": (503, "SERVICE_UNAVAILABLE"),
    "sqlite_snapshot": (503, "SERVICE_UNAVAILABLE"),
    "nul_character": (422, "VALIDATION_ERROR"),
    "out_of_range": (422, "VALIDATION_ERROR"),
    "statement_timeout": (503, "SERVICE_UNAVAILABLE"),
    "shutting_down": (503, "SERVICE_UNAVAILABLE"),
    "connection_lost": (503, "SERVICE_UNAVAILABLE"),
    "too_many_connections": (503, "SERVICE_UNAVAILABLE"),
    "refused": (503, "SERVICE_UNAVAILABLE"),
    "silent_server": (503, "SERVICE_UNAVAILABLE"),
    "bug_in_our_sql": (500, "INTERNAL_ERROR"),
    "value_the_driver_refused": (422, "VALIDATION_ERROR"),
    "connection_closed": (503, "SERVICE_UNAVAILABLE"),
}


@pytest.fixture
async def failing() -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    install_error_handlers(app)
    router = APIRouter()

    @router.get("/fail/{kind}")
    async def fail(kind: str) -> None:
        raise FAILURES[kind]

    app.include_router(router)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        yield http


@pytest.mark.parametrize("kind", sorted(FAILURES))
async def test_each_database_failure_gets_its_status(failing: httpx.AsyncClient, kind: str) -> None:
    response = await failing.get(f"/fail/{kind}")

    assert (response.status_code, response.json()["error"]["code"]) == EXPECTED[kind]
    assert response.json()["success"] is False
    assert "driver error" not in response.text  # the driver's words stay in our logs
    if response.status_code in (409, 503):
        assert response.headers["Retry-After"]
