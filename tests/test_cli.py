"""Tests for the `msmebazaar` command (msmebazaar.cli) and the uvicorn factory it serves."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from alembic.config import Config
from alembic.script import ScriptDirectory
from fastapi import FastAPI
from typer.testing import CliRunner

from msmebazaar.app import SERVICES_ENV, create_app_from_env
from msmebazaar.cli import _redact, app
from msmebazaar.services import available_services
from msmebazaar.shared.runtime import runtime_of

runner = CliRunner()


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No `.env`, no stray settings, and MSMEBAZAAR_SERVICES restored after `serve` sets it."""
    monkeypatch.chdir(tmp_path)
    for name in ("HOST", "PORT", "DATABASE_URL", "REDIS_URL", "ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)
    # Set, so that monkeypatch records the original state and puts it back after the test.
    monkeypatch.setenv(SERVICES_ENV, "placeholder")
    monkeypatch.delenv(SERVICES_ENV)
    return tmp_path


class UvicornRunRecorder:
    def __init__(self) -> None:
        self.calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append((args, kwargs))


@pytest.fixture
def uvicorn_run(monkeypatch: pytest.MonkeyPatch) -> UvicornRunRecorder:
    recorder = UvicornRunRecorder()
    monkeypatch.setattr(uvicorn, "run", recorder)
    return recorder


def _head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", "msmebazaar:migrations")
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


# --- help -------------------------------------------------------------------------------------


def test_help_lists_serve_and_migrate() -> None:
    result = runner.invoke(app, ["--help"])

    assert result.exit_code == 0
    assert "serve" in result.output
    assert "migrate" in result.output


def test_no_arguments_shows_help() -> None:
    result = runner.invoke(app, [])

    assert "serve" in result.output
    assert "migrate" in result.output


def test_serve_help_lists_its_options() -> None:
    result = runner.invoke(app, ["serve", "--help"])

    assert result.exit_code == 0
    for option in ("--service", "--host", "--port", "--workers", "--reload"):
        assert option in result.output


def test_migrate_help_lists_revision() -> None:
    result = runner.invoke(app, ["migrate", "--help"])

    assert result.exit_code == 0
    assert "--revision" in result.output


# --- migrate ----------------------------------------------------------------------------------


def test_migrate_creates_the_database_at_head(
    monkeypatch: pytest.MonkeyPatch, isolated_env: Path
) -> None:
    database = isolated_env / "nested" / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{database}")

    result = runner.invoke(app, ["migrate"])

    assert result.exit_code == 0, result.output
    assert database.exists()
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    assert rows == [(_head_revision(),)]
    assert "is at revision head" in result.output


def test_migrate_twice_is_harmless(monkeypatch: pytest.MonkeyPatch, isolated_env: Path) -> None:
    database = isolated_env / "twice.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{database}")

    first = runner.invoke(app, ["migrate"])
    second = runner.invoke(app, ["migrate"])

    assert (first.exit_code, second.exit_code) == (0, 0)
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    assert rows == [(_head_revision(),)]


# --- serve ------------------------------------------------------------------------------------


def test_serve_runs_the_app_factory_with_the_options(uvicorn_run: UvicornRunRecorder) -> None:
    result = runner.invoke(app, ["serve", "--host", "127.0.0.2", "--port", "8123"])

    assert result.exit_code == 0, result.output
    ((args, kwargs),) = uvicorn_run.calls
    assert args == ("msmebazaar.app:create_app_from_env",)
    assert kwargs["factory"] is True
    assert (kwargs["host"], kwargs["port"]) == ("127.0.0.2", 8123)
    assert (kwargs["workers"], kwargs["reload"]) == (1, False)
    assert kwargs["proxy_headers"] is False
    assert "http://127.0.0.2:8123" in result.output


def test_serve_binds_host_and_port_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, uvicorn_run: UvicornRunRecorder
) -> None:
    monkeypatch.setenv("HOST", "127.0.0.3")
    monkeypatch.setenv("PORT", "8456")

    result = runner.invoke(app, ["serve"])

    assert result.exit_code == 0, result.output
    ((_, kwargs),) = uvicorn_run.calls
    assert (kwargs["host"], kwargs["port"]) == ("127.0.0.3", 8456)


def test_serve_options_override_the_environment(
    monkeypatch: pytest.MonkeyPatch, uvicorn_run: UvicornRunRecorder
) -> None:
    monkeypatch.setenv("PORT", "8456")

    result = runner.invoke(app, ["serve", "--port", "8789"])

    assert result.exit_code == 0, result.output
    assert uvicorn_run.calls[0][1]["port"] == 8789


def test_serve_defaults_to_all_services(
    monkeypatch: pytest.MonkeyPatch, uvicorn_run: UvicornRunRecorder
) -> None:
    result = runner.invoke(app, ["serve"])

    assert result.exit_code == 0, result.output
    assert len(uvicorn_run.calls) == 1
    assert os.environ[SERVICES_ENV] == "all"


def test_serve_passes_chosen_services_to_the_factory(
    uvicorn_run: UvicornRunRecorder,
) -> None:
    result = runner.invoke(app, ["serve", "-s", "auth", "--service", "match", "--workers", "2"])

    assert result.exit_code == 0, result.output
    assert os.environ[SERVICES_ENV] == "auth,match"
    assert uvicorn_run.calls[0][1]["workers"] == 2


def test_serve_refuses_an_unknown_service(uvicorn_run: UvicornRunRecorder) -> None:
    result = runner.invoke(app, ["serve", "--service", "nope"])

    assert result.exit_code != 0
    assert "nope" in result.output
    assert uvicorn_run.calls == []


def test_serve_refuses_zero_workers(uvicorn_run: UvicornRunRecorder) -> None:
    result = runner.invoke(app, ["serve", "--workers", "0"])

    assert result.exit_code != 0
    assert uvicorn_run.calls == []


# --- _redact ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgresql+asyncpg://msme:s3cret@db.internal:5432/msmebazaar",
            "postgresql+asyncpg://***@db.internal:5432/msmebazaar",
        ),
        ("redis://:s3cret@cache:6379/0", "redis://***@cache:6379/0"),
        ("postgresql://user:p@ss@db/x", "postgresql://***@db/x"),
        ("sqlite+aiosqlite:///var/msmebazaar.db", "sqlite+aiosqlite:///var/msmebazaar.db"),
        ("not a url", "not a url"),
    ],
)
def test_redact_hides_credentials_in_urls(url: str, expected: str) -> None:
    redacted = _redact(url)

    assert redacted == expected
    assert "s3cret" not in redacted


def test_migrate_output_never_shows_the_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recorded: list[tuple[str, str]] = []

    def fake_upgrade(url: str, revision: str = "head") -> None:
        recorded.append((url, revision))

    monkeypatch.setattr("msmebazaar.cli.upgrade_database", fake_upgrade)
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://msme:s3cret@db:5432/mb")

    result = runner.invoke(app, ["migrate", "--revision", "0001"])

    assert result.exit_code == 0, result.output
    assert recorded == [("postgresql+asyncpg://msme:s3cret@db:5432/mb", "0001")]
    assert "s3cret" not in result.output
    assert "***@db:5432/mb" in result.output


# --- create_app_from_env ----------------------------------------------------------------------


async def test_create_app_from_env_without_services_env_builds_every_service(
    monkeypatch: pytest.MonkeyPatch, isolated_env: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{isolated_env / 'factory.db'}")

    application = create_app_from_env()
    try:
        assert isinstance(application, FastAPI)
        assert runtime_of(application).services == available_services()
        assert "/health/ready" in application.openapi()["paths"]
    finally:
        await runtime_of(application).database.dispose()
        await runtime_of(application).cache.close()


async def test_create_app_from_env_serves_the_named_services(
    monkeypatch: pytest.MonkeyPatch, isolated_env: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{isolated_env / 'factory.db'}")
    built = available_services()
    monkeypatch.setenv(SERVICES_ENV, " , ".join(built[:1]) + " , ")

    application = create_app_from_env()
    try:
        assert runtime_of(application).services == built[:1]
    finally:
        await runtime_of(application).database.dispose()
        await runtime_of(application).cache.close()
