"""`msmebazaar create-admin`: the only way to make an admin."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from msmebazaar.cli import app
from msmebazaar.shared.db import upgrade_database


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade_database(url)
    monkeypatch.setenv("DATABASE_URL", url)
    return path


def _users(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT phone, name, role FROM users").fetchall()


def test_create_admin_creates_an_admin_user(cli_database: Path) -> None:
    result = CliRunner().invoke(
        app, ["create-admin", "--phone", "98765 43210", "--name", "Root Admin"]
    )

    assert result.exit_code == 0, result.output
    assert _users(cli_database) == [("+919876543210", "Root Admin", "admin")]
    assert "Created admin" in result.output
    assert "9876543210" not in result.output


def test_create_admin_promotes_an_existing_user(cli_database: Path) -> None:
    CliRunner().invoke(app, ["create-admin", "--phone", "9876543210", "--name", "First"])
    with sqlite3.connect(cli_database) as connection:
        connection.execute("UPDATE users SET role = 'buyer'")

    result = CliRunner().invoke(app, ["create-admin", "--phone", "+919876543210", "--name", "Ops"])

    assert result.exit_code == 0, result.output
    assert "Promoted admin" in result.output
    assert _users(cli_database) == [("+919876543210", "Ops", "admin")]


def test_create_admin_refuses_a_malformed_phone(cli_database: Path) -> None:
    result = CliRunner().invoke(app, ["create-admin", "--phone", "12345", "--name", "X"])

    assert result.exit_code == 2
    assert _users(cli_database) == []
