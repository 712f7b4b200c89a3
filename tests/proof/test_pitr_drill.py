"""scripts/pitr_drill.py on a throwaway cluster that archives its WAL: a base backup, more app
rows after it, the archive shipped by `archive_timeout` alone (no forced switch), then the
disaster — the server killed and its data directory wiped — and a restore from base backup +
archive that brings back every row, the ones written after the base backup included."""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.db import Database, upgrade_database
from tests.auth.factories import make_user
from tests.msme.factories import make_deals
from tests.proof.drills import SCRIPTS, drills_module
from tests.proof.servers import (
    PG_BIN,
    SERVER_USER,
    ThrowawayPostgres,
    require_binaries,
    server_folder,
)

SCRIPT = SCRIPTS / "pitr_drill.py"
# Short here so the test waits seconds; production's (Compose) is checked to be <= 60 s.
TEST_ARCHIVE_TIMEOUT = 2
archive_module = drills_module("archive")
postgres = drills_module("postgres")
restore = drills_module("restore")
source = drills_module("source")


def _run(*arguments: object, cwd: Path | None = None) -> tuple[int, dict[str, object], str]:
    """Run the script; its exit status, JSON report (if any) and the rest of its output."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(SCRIPT), *(str(argument) for argument in arguments)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=cwd,
    )
    report_text, _, verdict = done.stdout.rpartition("\n}\n")
    report = json.loads(report_text + "\n}") if report_text else {}
    return done.returncode, report, (verdict if report_text else done.stdout) + done.stderr


async def _write_deals(url: str, count: int) -> list[uuid.UUID]:
    """`count` owners with a profile, figures and a listing, each with a buyer's interest."""
    database = Database.from_settings(DatabaseSettings(url=url))
    try:
        return await make_deals(database, count)
    finally:
        await database.dispose()


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
    return list(postgres.psql(postgres.libpq_url(url), query))


@pytest.fixture
def archiving() -> Iterator[tuple[ThrowawayPostgres, Path, Path]]:
    """A migrated cluster of our own that archives WAL; its archive, a base backup folder."""
    tools = [PG_BIN / name for name in ("initdb", "pg_ctl", "pg_basebackup", "pg_verifybackup")]
    require_binaries(*tools, shutil.which("psql"), shutil.which("pgrep"))
    # A space and PostgreSQL's own %f in the archive's path: quoted and escaped, they still work.
    archive, backups = server_folder("mb-wal %f-"), server_folder("mb-base-")
    settings = archive_module.archiving_settings(str(archive), TEST_ARCHIVE_TIMEOUT)
    server = ThrowawayPostgres(settings)
    try:
        server.start()
        upgrade_database(server.url)
        yield server, archive, backups
    finally:
        server.destroy()
        shutil.rmtree(archive, ignore_errors=True)
        shutil.rmtree(backups, ignore_errors=True)


def _base_backup(server: ThrowawayPostgres, backups: Path, archive: Path) -> None:
    """A base backup, once the segment it starts in is archived (a restore needs it there)."""
    status, _, output = _run("base-backup", "--database-url", server.url, "--into", backups)
    assert status == 0, output
    archive_module.wait_archived(archive, archive_module.backup_start_segment(backups), 30)


def test_a_wiped_cluster_comes_back_with_the_rows_written_after_its_base_backup(
    archiving: tuple[ThrowawayPostgres, Path, Path],
) -> None:
    server, archive, backups = archiving
    asyncio.run(_write_deals(server.url, 2))
    _base_backup(server, backups, archive)
    late_owners = asyncio.run(_write_deals(server.url, 3))
    counts = postgres.row_counts(postgres.libpq_url(server.url))
    newest = source.newest_row_time(postgres.libpq_url(server.url))
    segment = _sql(server.url, "SELECT pg_walfile_name(pg_current_wal_lsn())")[0]

    # No pg_switch_wal(): archive_timeout alone ships the segment once the database goes quiet.
    assert _sql(server.url, "SHOW archive_timeout") == [f"{TEST_ARCHIVE_TIMEOUT}s"]
    assert archive_module.wait_archived(archive, segment, 30) <= TEST_ARCHIVE_TIMEOUT + 5
    server.stop_immediately()
    shutil.rmtree(server.data)
    # Paths relative to where the operator stands (restore_command runs in the data folder).
    status, report, output = _run(
        "restore", "--base-backup", backups.name, "--archive", archive.name,
        "--data", server.data, "--port", server.port, cwd=archive.parent,
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
    archive_module.wait_archived(archive, "00000002.history", 10)


@contextlib.contextmanager
def _scratch_restore(
    backups: Path, archive: Path, *extra: object
) -> Iterator[tuple[int, dict[str, object], str]]:
    """`restore` into a scratch folder on a free port; stopped and removed afterwards."""
    scratch = server_folder("mb-scratch-")
    port = restore.free_port()
    tools = restore.pg_bin(None, restore.base_backup_major(backups))
    try:
        yield _run(
            "restore", "--base-backup", backups, "--archive", archive,
            "--data", scratch / "data", "--port", port, "--no-archive", *extra,
        )  # fmt: skip
    finally:
        stop = [tools / "pg_ctl", "-D", scratch / "data", "-m", "immediate", "stop"]
        subprocess.run(stop, capture_output=True, check=False, user=SERVER_USER)  # noqa: S603
        shutil.rmtree(scratch, ignore_errors=True)


# A table whose count takes a second (a policy that sleeps 0.5 s a row, forced on its owner),
# standing in for a big database: the drill must not hold writers back while it counts.
SLOW_TO_COUNT = """
CREATE FUNCTION slowly() RETURNS boolean LANGUAGE plpgsql VOLATILE
    AS $$ BEGIN PERFORM pg_sleep(0.5); RETURN true; END $$;
CREATE TABLE slow_to_count (id int PRIMARY KEY);
INSERT INTO slow_to_count VALUES (1), (2);
CREATE POLICY slow ON slow_to_count USING (slowly());
ALTER TABLE slow_to_count ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
"""


def _as_if_copied_from_debian(backups: Path, server: ThrowawayPostgres) -> None:
    """Debian's postgresql.conf (from /etc) in the base backup: it names the old cluster's files,
    here the live source's, which a restore must not start or read."""
    with (backups / "postgresql.conf").open("a") as conf:
        conf.write(
            f"data_directory = '{server.data}'\nhba_file = '{server.data}/pg_hba.conf'\n"
            f"ident_file = '{server.data}/pg_ident.conf'\n"
            f"external_pid_file = '{server.data}/postmaster.pid'\n"
        )


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
    _sql(url, SLOW_TO_COUNT)
    asyncio.run(_write_deals(url, 1))
    _base_backup(server, backups, archive)
    _as_if_copied_from_debian(backups, server)
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
    # Writers waited only for the mark; the slow counting ran after they were let go.
    seconds = report["seconds"]
    assert isinstance(seconds, dict)
    assert seconds["read_source"] >= 1.0
    assert seconds["writes_held"] < 0.5
    assert counts["slow_to_count"] == 2
    assert report["revision_restored"] == report["revision_source"]
    head = _sql(url, "SELECT version_num FROM alembic_version")
    assert [report["revision_source"]] == head
    assert report["recovery_point_lag_seconds"] == 0
    assert report["newest_row_restored"] == report["newest_row_source"]
    assert str(report["newest_row_source"]) < source.newest_row_time(postgres.libpq_url(url))
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
        _base_backup(server, backups, archive)
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


def _segments_after_the_base_backup(server: ThrowawayPostgres, archive: Path) -> list[str]:
    """Three batches of rows, each shipped in a segment of its own; their names."""
    segments = []
    for _ in range(3):
        asyncio.run(_write_deals(server.url, 1))
        segments.append(_sql(server.url, "SELECT pg_walfile_name(pg_current_wal_lsn())")[0])
        _sql(server.url, "SELECT pg_switch_wal()")
        archive_module.wait_archived(archive, segments[-1], 30)
    return segments


def test_a_restore_refuses_or_fails_rather_than_bring_back_the_base_backup_alone(
    archiving: tuple[ThrowawayPostgres, Path, Path],
) -> None:
    server, archive, backups = archiving
    _base_backup(server, backups, archive)
    first, *_ = _segments_after_the_base_backup(server, archive)
    empty, holed = server_folder("mb-wal-empty-"), server_folder("mb-wal-holed-")
    try:
        with _scratch_restore(backups, backups / "no-such-archive") as missing:
            pass
        with _scratch_restore(backups, empty) as nothing_archived:
            pass
        shutil.copytree(archive, holed, dirs_exist_ok=True)
        (holed / first).unlink()  # lost in the copy to object storage, say
        with _scratch_restore(backups, holed) as hole:
            pass
        (backups / "pg_hba.conf").rename(backups / "pg_hba.conf.away")
        with _scratch_restore(backups, archive) as no_hba:
            pass
    finally:
        shutil.rmtree(empty, ignore_errors=True)
        shutil.rmtree(holed, ignore_errors=True)

    assert missing[0] == 2
    assert "no-such-archive does not exist" in missing[2]
    assert nothing_archived[0] == 2
    assert "holds no segment from the base backup's start" in nothing_archived[2]
    # Recovery stopped at the hole and promoted: reported, not passed, and the server stopped.
    assert hole[0] == 3
    assert "the archive holds segments up to" in hole[2]
    assert "pitr restore FAILED" in hole[2]
    assert "PASSED" not in hole[2]
    assert no_hba[0] == 2
    assert "has no pg_hba.conf" in no_hba[2]
