"""The point-in-time drill's commands: base-backup, drill and restore (see pitr_drill.py)."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from drills.archive import wait_archived
from drills.errors import CANNOT_START, NOT_EQUAL, VERIFIED, DrillError
from drills.postgres import compare_counts, libpq_env, libpq_url, psql, row_counts
from drills.restore import (
    RestorePlan,
    base_backup_major,
    free_port,
    os_user,
    own,
    pg_bin,
    restore_server,
    run,
)
from drills.source import (
    alembic_revision,
    archive_timeout,
    mark_restore_point,
    newest_row_time,
    server_major,
)


@dataclass
class PitrReport:
    """What a drill or restore found; printed as JSON."""

    command: str
    started_at: str
    restore_point: str | None = None
    archive_timeout: str | None = None
    archive_wait_seconds: float | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    revision_source: str | None = None
    revision_restored: str | None = None
    counts_source: dict[str, int] = field(default_factory=dict)
    counts_restored: dict[str, int] = field(default_factory=dict)
    mismatches: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    newest_row_source: str | None = None
    newest_row_restored: str | None = None
    recovery_point_lag_seconds: float | None = None
    ok: bool = False


def _timed(report: PitrReport, step: str, started: float) -> None:
    report.seconds[step] = round(time.perf_counter() - started, 3)


def take_base_backup(
    url: str, into: Path, *, tools: Path | None = None, user: str | None = None
) -> float:
    """`pg_basebackup` of `url` into a new folder, checked by `pg_verifybackup`; seconds taken."""
    url, user = libpq_url(url), os_user(user)
    found = pg_bin(tools, server_major(url))
    if into.exists() and any(into.iterdir()):
        raise DrillError(CANNOT_START, f"{into} is not empty; a base backup needs a new folder")
    started = time.perf_counter()
    source, env = libpq_env(url)
    command = ["-d", source, "-D", into, "-Fp", "-X", "stream", "-c", "fast"]
    run(user, found / "pg_basebackup", *command, env=env)
    run(user, found / "pg_verifybackup", into)
    return round(time.perf_counter() - started, 3)


def read_restored(report: PitrReport, url: str) -> None:
    """What the restored server holds: revision, row counts, newest row."""
    report.revision_restored = alembic_revision(url)
    report.counts_restored = row_counts(url)
    report.newest_row_restored = newest_row_time(url)


def recovery_point_lag(source: str | None, restored: str | None) -> float | None:
    """Seconds of writes the restore is missing: the source's newest row minus the restored one."""
    if source is None or restored is None:
        return None
    lag = datetime.fromisoformat(source) - datetime.fromisoformat(restored)
    return round(lag.total_seconds(), 6)


def _restore_scratch(args: argparse.Namespace, url: str, report: PitrReport) -> None:
    """Restore base backup + archive up to the mark into a scratch folder, read it, remove it."""
    source = urlsplit(url)
    folder = Path(tempfile.mkdtemp(prefix="mb-pitr-", dir=args.scratch_dir))
    own(folder, os_user(args.os_user))
    plan = RestorePlan(
        base_backup=args.base_backup, archive=args.archive, data=folder / "data",
        port=free_port(), target={"recovery_target_name": report.restore_point or ""},
        scratch=True, database=source.path.lstrip("/") or "postgres",
        role=unquote(source.username or "postgres"), recovery_timeout=args.recovery_timeout,
        pg_bin=args.pg_bin, os_user=args.os_user,
    )  # fmt: skip
    try:
        started = time.perf_counter()
        server = restore_server(plan)
        _timed(report, "restore", started)
        try:
            read_restored(report, server.url)
        finally:
            server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _mark(args: argparse.Namespace, url: str, report: PitrReport) -> str:
    report.restore_point = f"drill_{datetime.now(UTC):%Y%m%dT%H%M%S%f}"
    mark = mark_restore_point(url, report.restore_point, args.lock_timeout)
    report.seconds |= mark.seconds
    report.counts_source = mark.counts
    report.newest_row_source = mark.newest_row
    report.revision_source = mark.revision
    return mark.segment


def run_drill(args: argparse.Namespace) -> PitrReport:
    """Mark the source, restore a scratch copy up to the mark, and compare the two."""
    url = libpq_url(args.database_url)
    report = PitrReport(command="drill", started_at=datetime.now(UTC).isoformat())
    report.archive_timeout = archive_timeout(url)
    base_backup_major(args.base_backup)
    segment = _mark(args, url, report)
    if args.switch_wal:
        psql(url, "SELECT pg_switch_wal()")
    wait = args.archive_wait or int(report.archive_timeout.rstrip("s") or 0) + 30
    report.archive_wait_seconds = wait_archived(args.archive, segment, wait)
    _restore_scratch(args, url, report)
    report.mismatches = compare_counts(report.counts_source, report.counts_restored)
    report.recovery_point_lag_seconds = recovery_point_lag(
        report.newest_row_source, report.newest_row_restored
    )
    report.ok = (
        bool(report.counts_source)
        and not report.mismatches
        and report.revision_restored == report.revision_source
        and report.recovery_point_lag_seconds == 0
    )
    return report


def run_restore(args: argparse.Namespace) -> PitrReport:
    """Restore base backup + archive into an empty data folder and leave the server running."""
    report = PitrReport(command="restore", started_at=datetime.now(UTC).isoformat())
    plan = RestorePlan(
        base_backup=args.base_backup, archive=args.archive, data=args.data, port=args.port,
        target={"recovery_target_time": args.target_time} if args.target_time else {},
        scratch=False, archive_after=not args.no_archive, database=args.database, role=args.role,
        recovery_timeout=args.recovery_timeout, pg_bin=args.pg_bin, os_user=args.os_user,
    )  # fmt: skip
    started = time.perf_counter()
    server = restore_server(plan)  # left running on a failed start too, for its log to be read
    _timed(report, "restore", started)
    read_restored(report, server.url)
    report.ok = report.revision_restored is not None
    return report


def _folder(value: str) -> Path:
    # Absolute, because restore_command runs in the restored server's data folder.
    return Path(value).expanduser().resolve()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Point-in-time recovery drill (pitr_drill.py)")
    parser.add_argument("--pg-bin", type=_folder, help="server tools (default: the backup's)")
    parser.add_argument("--os-user", help="run server tools as this user (root: postgres)")
    parser.add_argument(
        "--recovery-timeout", type=float, default=3600, help="seconds allowed to replay the archive"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    backup = commands.add_parser("base-backup", help="take and verify a base backup")
    backup.add_argument("--database-url", required=True)
    backup.add_argument("--into", type=_folder, required=True, help="a new, empty folder")
    drill = commands.add_parser("drill", help="restore a scratch copy up to a mark and compare")
    drill.add_argument("--database-url", required=True)
    drill.add_argument("--base-backup", type=_folder, required=True)
    drill.add_argument("--archive", type=_folder, required=True, help="the WAL archive folder")
    drill.add_argument("--switch-wal", action="store_true", help="ship the mark's segment now")
    drill.add_argument("--archive-wait", type=float, help="seconds (archive_timeout + 30)")
    drill.add_argument("--scratch-dir", type=_folder, help="where the scratch copy goes")
    drill.add_argument(
        "--lock-timeout", type=float, default=5, help="seconds to wait for writers at the mark"
    )
    restore = commands.add_parser("restore", help="disaster restore into an empty folder")
    restore.add_argument("--base-backup", type=_folder, required=True)
    restore.add_argument("--archive", type=_folder, required=True)
    restore.add_argument("--data", type=_folder, required=True, help="an empty data folder")
    restore.add_argument("--port", type=int, default=5432)
    restore.add_argument("--target-time", help="stop at this time (default: replay everything)")
    restore.add_argument("--no-archive", action="store_true", help="do not archive afterwards")
    restore.add_argument("--database", default="postgres", help="the app's database, to report")
    restore.add_argument("--role", default="postgres", help="a role that may read it")
    return parser


def _verdict(report: PitrReport) -> str:
    counts = report.counts_restored
    lag = report.recovery_point_lag_seconds
    return (
        f"pitr {report.command} {'PASSED' if report.ok else 'FAILED'}: "
        f"{len(counts)} tables, {sum(counts.values())} rows restored, revision "
        f"{report.revision_restored}, newest row {report.newest_row_restored}"
        + (f", {lag} s behind the source" if lag is not None else "")
        + (f", segment archived {report.archive_wait_seconds} s after the mark"
           if report.archive_wait_seconds is not None else "")
        + (f", writes held {report.seconds['writes_held']} s"
           if "writes_held" in report.seconds else "")
        + f", restore {report.seconds.get('restore')} s"
    )  # fmt: skip


def _base_backup(args: argparse.Namespace) -> int:
    seconds = take_base_backup(args.database_url, args.into, tools=args.pg_bin, user=args.os_user)
    print(json.dumps({"base_backup": str(args.into), "seconds": seconds}))
    print(f"pitr base-backup PASSED: {args.into} verified, {seconds} s")
    return VERIFIED


def main(argv: list[str] | None = None) -> int:
    """Run one command; print its report (JSON) and a verdict line; exit as pitr_drill.py says."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "base-backup":
            return _base_backup(args)
        report = run_drill(args) if args.command == "drill" else run_restore(args)
    except DrillError as error:
        print(f"pitr {args.command} FAILED: {error}", file=sys.stderr)
        return error.status
    except subprocess.CalledProcessError as error:
        print(f"pitr {args.command} FAILED: {error.stderr or error}", file=sys.stderr)
        return CANNOT_START
    print(json.dumps(asdict(report), indent=2))
    print(_verdict(report))
    return VERIFIED if report.ok else NOT_EQUAL
