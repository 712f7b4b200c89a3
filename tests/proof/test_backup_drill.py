"""scripts/backup_drill.py on a scratch database of the throwaway cluster: a migrated database
with real rows is dumped, wiped (or copied), restored, and every table's row count matches."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import text

from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.db import Database, upgrade_database
from tests.msme.factories import make_deals
from tests.proof.servers import ThrowawayPostgres

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "backup_drill.py"


def _drill_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("backup_drill", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("backup_drill", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture
async def scratch(throwaway_postgres: ThrowawayPostgres) -> AsyncIterator[str]:
    """A migrated scratch database with users, profiles, figures, listings and interests."""
    admin = Database.from_settings(DatabaseSettings(url=throwaway_postgres.url))
    async with admin.engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text("DROP DATABASE IF EXISTS drill_source"))
        await autocommit.execute(text("CREATE DATABASE drill_source"))
    url = throwaway_postgres.url.rsplit("/", 1)[0] + "/drill_source"
    upgrade_database(url)
    database = Database.from_settings(DatabaseSettings(url=url))
    await make_deals(database, 3)
    await database.dispose()
    yield url
    async with admin.engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text("DROP DATABASE IF EXISTS drill_source WITH (FORCE)"))
    await admin.dispose()


def _run(url: str, *extra: str) -> tuple[int, dict[str, object], str]:
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(SCRIPT), "--database-url", url, *extra],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    report_text, _, verdict = done.stdout.rpartition("\n}\n")
    return done.returncode, json.loads(report_text + "\n}"), verdict + done.stderr


@pytest.mark.parametrize("in_place", [True, False], ids=["wipe_and_restore", "into_a_copy"])
def test_the_drill_restores_every_row_of_every_table(scratch: str, in_place: bool) -> None:
    status, report, verdict = _run(scratch, *(["--in-place"] if in_place else []))

    assert status == 0, verdict
    assert "backup drill PASSED" in verdict
    before = report["counts_before"]
    assert isinstance(before, dict)
    assert before["users"] == 6
    assert before["listings"] == 3
    assert before["alembic_version"] == 1
    assert report["counts_after"] == before
    assert report["mismatches"] == {}
    drill = _drill_module()
    assert drill.row_counts(drill.libpq_url(scratch)) == before  # the source is whole after


def test_a_missing_or_short_table_is_a_mismatch() -> None:
    compare = _drill_module().compare_counts

    assert compare({"users": 6, "msmes": 3}, {"users": 6, "msmes": 3}) == {}
    assert compare({"users": 6, "msmes": 3}, {"users": 5}) == {
        "users": (6, 5),
        "msmes": (3, None),
    }
    assert compare({"users": 6}, {"users": 6, "stray": 1}) == {"stray": (0, 1)}
