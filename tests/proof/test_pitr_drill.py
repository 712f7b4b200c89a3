"""scripts/pitr_drill.py on a throwaway cluster that archives its WAL: a base backup, more app
rows after it, the archive shipped by `archive_timeout` alone (no forced switch), then the
disaster — the server killed and its data directory wiped — and a restore from base backup +
archive that brings back every row, the ones written after the base backup included."""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import json
import shutil
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import pytest

from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.db import Database, upgrade_database
from tests.auth.factories import make_user
from tests.devops.tools import DEVOPS, load_yaml
from tests.msme.factories import make_financials, make_interest, make_listing, make_msme
from tests.proof.servers import (
    PG_BIN,
    SERVER_USER,
    ThrowawayPostgres,
    require_binaries,
    server_folder,
)

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "pitr_drill.py"
# Short here so the test waits seconds; production's (Compose) is checked to be <= 60 s below.
TEST_ARCHIVE_TIMEOUT = 2


def _pitr() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pitr_drill", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("pitr_drill", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


pitr = _pitr()


def _run(*arguments: object) -> tuple[int, dict[str, object], str]:
    """Run the script; its exit status, JSON report (if any) and the rest of its output."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(SCRIPT), *(str(argument) for argument in arguments)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    report_text, _, verdict = done.stdout.rpartition("\n}\n")
    report = json.loads(report_text + "\n}") if report_text else {}
    return done.returncode, report, (verdict if report_text else done.stdout) + done.stderr


async def _write_deals(url: str, count: int) -> list[uuid.UUID]:
    """`count` owners with a profile, figures and a listing, each with a buyer's interest."""
    database = Database.from_settings(DatabaseSettings(url=url))
    owners = []
    try:
        for n in range(count):
            owner = await make_user(database)
            buyer = await make_user(database, role="buyer")
            msme = await make_msme(database, owner.id)
            await make_financials(database, msme.id)
            listing = await make_listing(database, msme, anonymous=n % 2 == 0)
            await make_interest(database, listing, buyer.id)
            owners.append(owner.id)
    finally:
        await database.dispose()
    return owners


async def _keep_signing_up(url: str, stop: threading.Event) -> None:
    """New users, one after another, until `stop`: a source that is being written to."""
    database = Database.from_settings(DatabaseSettings(url=url))
    try:
        while not stop.is_set():
            await make_user(database)
            await asyncio.sleep(0.05)
    finally:
        await database.dispose()


def _sql(url: str, query: str) -> list[str]:
    return list(pitr.psql(pitr.libpq_url(url), query))


@pytest.fixture
def archiving() -> Iterator[tuple[ThrowawayPostgres, Path, Path]]:
    """A migrated cluster of our own that archives WAL; its archive, a base backup folder."""
    tools = [PG_BIN / name for name in ("initdb", "pg_ctl", "pg_basebackup", "pg_verifybackup")]
    require_binaries(*tools, shutil.which("psql"), shutil.which("pgrep"))
    archive, backups = server_folder("mb-wal-"), server_folder("mb-base-")
    server = ThrowawayPostgres(pitr.archiving_settings(str(archive), TEST_ARCHIVE_TIMEOUT))
    try:
        server.start()
        upgrade_database(server.url)
        yield server, archive, backups
    finally:
        server.destroy()
        shutil.rmtree(archive, ignore_errors=True)
        shutil.rmtree(backups, ignore_errors=True)


def test_a_wiped_cluster_comes_back_with_the_rows_written_after_its_base_backup(
    archiving: tuple[ThrowawayPostgres, Path, Path],
) -> None:
    server, archive, backups = archiving
    asyncio.run(_write_deals(server.url, 2))
    status, _, output = _run("base-backup", "--database-url", server.url, "--into", backups)
    assert status == 0, output
    late_owners = asyncio.run(_write_deals(server.url, 3))
    counts = pitr.row_counts(pitr.libpq_url(server.url))
    newest = pitr.newest_row_time(pitr.libpq_url(server.url))
    segment = _sql(server.url, "SELECT pg_walfile_name(pg_current_wal_lsn())")[0]

    # No pg_switch_wal(): archive_timeout alone ships the segment once the database goes quiet.
    assert _sql(server.url, "SHOW archive_timeout") == [f"{TEST_ARCHIVE_TIMEOUT}s"]
    assert pitr.wait_archived(archive, segment, 30) <= TEST_ARCHIVE_TIMEOUT + 5
    server.stop_immediately()
    shutil.rmtree(server.data)
    assert _base_backup_alone(backups)["users"] == 4  # the late rows live only in the archive
    status, report, output = _run(
        "restore", "--base-backup", backups, "--archive", archive,
        "--data", server.data, "--port", server.port,
    )  # fmt: skip

    assert status == 0, output
    assert "pitr restore PASSED" in output
    assert counts["users"] == 10
    assert counts["listings"] == 5
    assert report["counts_restored"] == counts
    assert report["newest_row_restored"] == newest
    ids = ",".join(f"'{owner}'" for owner in late_owners)
    assert _sql(server.url, f"SELECT count(*) FROM users WHERE id IN ({ids})") == ["3"]  # noqa: S608
    assert _sql(server.url, "SELECT pg_is_in_recovery()") == ["f"]  # a primary again
    # ... that goes on archiving, on a timeline of its own (raises if that never arrives).
    pitr.wait_archived(archive, "00000002.history", 10)


@contextlib.contextmanager
def _scratch_restore(
    backups: Path, archive: Path, *extra: object
) -> Iterator[tuple[int, dict[str, object], str]]:
    """`restore` into a scratch folder on a free port; stopped and removed afterwards."""
    scratch = server_folder("mb-scratch-")
    port = pitr.free_port()
    tools = pitr._pg_bin(None, pitr.base_backup_major(backups))
    try:
        yield _run(
            "restore", "--base-backup", backups, "--archive", archive,
            "--data", scratch / "data", "--port", port, "--no-archive", *extra,
        )  # fmt: skip
    finally:
        stop = [tools / "pg_ctl", "-D", scratch / "data", "-m", "immediate", "stop"]
        subprocess.run(stop, capture_output=True, check=False, user=SERVER_USER)  # noqa: S603
        shutil.rmtree(scratch, ignore_errors=True)


def _base_backup_alone(backups: Path) -> dict[str, int]:
    """Row counts of the base backup restored with an empty archive (a control)."""
    with _scratch_restore(backups, backups / "no-archive") as (status, report, output):
        assert status == 0, output
    counts = report["counts_restored"]
    assert isinstance(counts, dict)
    return counts


def test_the_drill_restores_a_scratch_copy_to_a_mark_equal_to_the_source(
    archiving: tuple[ThrowawayPostgres, Path, Path],
) -> None:
    server, archive, backups = archiving
    # As in production: the app's own database and role, the password in the URL.
    _sql(server.url, "CREATE ROLE app LOGIN PASSWORD 'p@ss word'")
    _sql(server.url, "CREATE DATABASE shop OWNER app")
    # Not a superuser: the drill needs only this grant (in the app's database) besides its own.
    grant = "GRANT EXECUTE ON FUNCTION pg_create_restore_point(text) TO app"
    _sql(server.url.rsplit("/", 1)[0] + "/shop", grant)
    url = server.url.replace("//postgres@", "//app:p%40ss%20word@").rsplit("/", 1)[0] + "/shop"
    upgrade_database(url)
    asyncio.run(_write_deals(url, 1))
    assert _run("base-backup", "--database-url", server.url, "--into", backups)[0] == 0
    asyncio.run(_write_deals(url, 2))
    stop = threading.Event()
    writer = threading.Thread(target=asyncio.run, args=(_keep_signing_up(url, stop),))
    writer.start()
    try:
        status, report, output = _run(
            "drill", "--database-url", url, "--base-backup", backups, "--archive", archive
        )
    finally:
        stop.set()
        writer.join()

    assert status == 0, output
    assert "pitr drill PASSED" in output
    counts = report["counts_restored"]
    assert isinstance(counts, dict)
    assert counts == report["counts_source"]
    # Users kept signing up before, during (held back at the mark) and after the drill.
    assert counts["users"] > 6
    assert int(_sql(url, "SELECT count(*) FROM users")[0]) > counts["users"]
    assert counts["interests"] == 3
    assert isinstance(report["seconds"], dict)
    assert report["seconds"]["writes_held"] < 5
    assert report["revision_restored"] == report["revision_source"]
    head = _sql(url, "SELECT version_num FROM alembic_version")
    assert [report["revision_source"]] == head
    assert report["recovery_point_lag_seconds"] == 0
    assert report["newest_row_restored"] == report["newest_row_source"]
    assert str(report["newest_row_source"]) < pitr.newest_row_time(pitr.libpq_url(url))
    # Shipped by archive_timeout (no --switch-wal): the mark waited at most about that long.
    assert isinstance(report["archive_wait_seconds"], float)
    assert report["archive_wait_seconds"] <= TEST_ARCHIVE_TIMEOUT + 5
    assert not list(archive.glob("*.history"))  # the scratch copy never wrote to the archive


def test_the_drill_says_why_it_cannot_restore(
    archiving: tuple[ThrowawayPostgres, Path, Path],
) -> None:
    server, archive, backups = archiving
    empty = server_folder("mb-wal-empty-")
    try:
        assert _run("base-backup", "--database-url", server.url, "--into", backups)[0] == 0
        not_a_backup = _run(
            "drill", "--database-url", server.url, "--base-backup", archive, "--archive", archive
        )
        lost_archive = _run(
            "drill", "--database-url", server.url, "--base-backup", backups,
            "--archive", empty, "--switch-wal", "--archive-wait", "1",
        )  # fmt: skip
        tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
        with _scratch_restore(backups, archive, "--target-time", tomorrow) as beyond_archive:
            pass
    finally:
        shutil.rmtree(empty, ignore_errors=True)

    assert not_a_backup[0] == 2
    assert "is not a base backup" in not_a_backup[2]
    assert lost_archive[0] == 3
    assert "did not reach" in lost_archive[2]
    assert "pitr drill FAILED" in lost_archive[2]
    assert beyond_archive[0] == 3
    assert "recovery ended before configured recovery target was reached" in beyond_archive[2]


def test_a_password_reaches_libpq_by_environment_never_on_a_command_line() -> None:
    url, env = pitr.libpq_env("postgresql://app:p%40ss%20word@db.internal:5432/shop")

    assert url == "postgresql://app@db.internal:5432/shop"
    assert env["PGPASSWORD"] == "p@ss word"


def _archive(command: str, segment: Path) -> int:
    """Run an archive_command as PostgreSQL would for `segment`."""
    line = command.replace("%p", str(segment)).replace("%f", segment.name)
    return subprocess.run(["/bin/sh", "-c", line], check=False).returncode  # noqa: S603


def test_the_archive_command_never_overwrites_a_segment(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    segment = tmp_path / "000000010000000000000003"
    segment.write_bytes(b"first")
    command = pitr.archive_command(str(archive))

    assert _archive(command, segment) == 0
    assert _archive(command, segment) == 0  # the same segment again (after a crash) is fine
    segment.write_bytes(b"other server")
    assert _archive(command, segment) != 0  # another server's segment of that name is refused
    assert (archive / segment.name).read_bytes() == b"first"
    assert [path.name for path in archive.iterdir()] == [segment.name]  # no temporary left


def test_compose_archives_with_the_same_command_at_least_every_minute() -> None:
    postgres = load_yaml(DEVOPS / "docker-compose.yml")["services"]["postgres"]
    settings = dict(
        option.split("=", 1)
        for flag, option in zip(postgres["command"], postgres["command"][1:], strict=False)
        if flag == "-c"
    )

    assert settings["archive_mode"] == "on"
    assert settings["archive_command"] == pitr.archive_command("/var/lib/postgresql/archive/wal")
    assert 0 < int(settings["archive_timeout"].removesuffix("s")) <= 60
    assert "postgres-archive:/var/lib/postgresql/archive" in postgres["volumes"]
