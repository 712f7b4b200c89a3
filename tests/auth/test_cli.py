"""`msmebazaar create-admin`: the only way to make an admin."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from msmebazaar.auth.models import AuthSession, RecoveryCode, TotpFactor, User
from msmebazaar.cli import app
from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.db import Database, upgrade_database, utcnow


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


def test_create_admin_says_how_to_set_up_two_step_sign_in(cli_database: Path) -> None:
    result = CliRunner().invoke(app, ["create-admin", "--phone", "9876543210", "--name", "Ops"])

    assert "two-step sign-in" in result.output
    assert "/api/v1/auth/2fa/totp/setup" in result.output


async def _user_with_a_second_factor(path: Path, phone: str) -> uuid.UUID:
    database = Database.from_settings(DatabaseSettings(url=f"sqlite+aiosqlite:///{path}"))
    user_id = uuid.uuid4()
    try:
        async with database.session() as session:
            session.add(User(id=user_id, phone=phone, role="admin", status="active", language="en"))
            await session.flush()
            session.add(TotpFactor(user_id=user_id, secret_encrypted="x", enabled_at=utcnow()))
            session.add(RecoveryCode(id=uuid.uuid4(), user_id=user_id, code_hash="h"))
            session.add(AuthSession(id=uuid.uuid4(), user_id=user_id, second_factor_at=utcnow()))
    finally:
        await database.dispose()
    return user_id


def _count(path: Path, sql: str) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute(sql).fetchone()[0])


def test_reset_second_factor_removes_it_and_ends_every_sign_in(cli_database: Path) -> None:
    asyncio.run(_user_with_a_second_factor(cli_database, "+919876543210"))

    result = CliRunner().invoke(app, ["reset-second-factor", "--phone", "98765 43210"])
    again = CliRunner().invoke(app, ["reset-second-factor", "--phone", "98765 43210"])
    nobody = CliRunner().invoke(app, ["reset-second-factor", "--phone", "9876500000"])

    assert result.exit_code == 0, result.output
    assert "Removed two-step sign-in" in result.output
    assert "9876543210" not in result.output
    assert _count(cli_database, "SELECT count(*) FROM totp_factors") == 0
    assert _count(cli_database, "SELECT count(*) FROM recovery_codes") == 0
    assert _count(cli_database, "SELECT count(*) FROM auth_sessions WHERE revoked_at IS NULL") == 0
    assert (
        _count(
            cli_database,
            "SELECT count(*) FROM domain_events WHERE name = 'auth.second_factor_changed'",
        )
        == 1
    )  # audited by admin's handler, wherever it runs
    assert "nothing to remove" in again.output
    assert nobody.exit_code == 1
