#!/usr/bin/env python3
"""Point-in-time recovery drill: base backup + WAL archive, restored and verified.

    python scripts/pitr_drill.py base-backup --database-url URL --into DIR
    python scripts/pitr_drill.py drill --database-url URL --base-backup DIR --archive DIR
    python scripts/pitr_drill.py restore --base-backup DIR --archive DIR --data DIR --port N

The source must archive WAL (`archive_mode = on`, `archive_command` from `archive_command()`
below, `archive_timeout` <= 60 s): every finished 16 MB segment, and at least one segment a
minute while anything is written, lands in the archive folder. A restore is a base backup plus
every archived segment since, so at most the last `archive_timeout` of commits can be lost.

`base-backup` runs `pg_basebackup` (plain format, its own WAL streamed in, so the backup is
consistent by itself) and checks it with `pg_verifybackup`.

`drill` (safe on production: it writes nothing into the source but a restore point) holds
writers back for a moment with SHARE locks on the `public` tables, reads every row count, the
newest `created_at`/`updated_at` and the Alembic revision, and marks a named restore point; waits
until the WAL segment holding the mark is in the archive (`--switch-wal` forces it out instead of
waiting for `archive_timeout`); restores base backup + archive up to the mark into a scratch data
directory (its Unix socket only, archiving off so it never writes into the real archive); and
compares. The role needs EXECUTE on `pg_create_restore_point` (a superuser has it).

`restore` is the disaster path: base backup + the whole archive (or up to `--target-time`) into
an empty data directory, started on `--port` and left running, promoted to a primary that goes on
archiving on a new timeline (`--no-archive` for a copy only to look at).

Exit status: 0 verified; 1 restored but not equal to the source; 2 could not start (arguments,
archiving off, no base backup, an unreachable source, locks not granted in time); 3 a step failed
(the base backup, a segment that never reached the archive, a recovery that did not finish).
The report is JSON on stdout, then one verdict line; errors go to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

# The sibling dump drill owns the shared pieces (URLs, psql, row counts); found beside this file
# both when run as a script and when loaded by the tests.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from backup_drill import (
    TABLES_SQL,
    compare_counts,
    count_sql,
    libpq_env,
    libpq_url,
    psql,
    row_counts,
)

VERIFIED, NOT_EQUAL, CANNOT_START, STEP_FAILED = 0, 1, 2, 3
TIMESTAMP_COLUMNS_SQL = (
    "SELECT table_name, column_name FROM information_schema.columns "
    "WHERE table_schema = 'public' AND column_name IN ('created_at', 'updated_at') "
    "AND data_type LIKE 'timestamp%' ORDER BY 1, 2"
)


class DrillError(Exception):
    """A drill step failed; `status` is the exit status to report."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


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


def archive_command(archive: str) -> str:
    """The `archive_command` for a folder: copy under a temporary name, flush, then rename, so a
    half-written segment is never visible; refuse to overwrite a segment unless it is the same
    file again (PostgreSQL may re-archive one after a crash)."""
    final = shlex.quote(archive) + "/%f"
    return (
        f"if [ -f {final} ]; then cmp -s %p {final}; "
        f"else cp %p {final}.part && sync {final}.part && mv {final}.part {final}; fi"
    )


def restore_command(archive: str) -> str:
    """The `restore_command` that reads segments back from the archive folder."""
    return f"cp {shlex.quote(archive)}/%f %p"


def archiving_settings(archive: str, timeout_seconds: int = 60) -> dict[str, str]:
    """Server settings that archive every segment, and one at least every `timeout_seconds`."""
    return {
        "wal_level": "replica",
        "archive_mode": "on",
        "archive_command": archive_command(archive),
        "archive_timeout": f"{timeout_seconds}s",
    }


def conf_lines(settings: dict[str, str]) -> str:
    """`postgresql.conf` lines for settings (values quoted, quotes doubled)."""
    return "".join(
        f"{key} = '{value.replace(chr(39), chr(39) * 2)}'\n" for key, value in settings.items()
    )


def _os_user(requested: str | None) -> str | None:
    # PostgreSQL refuses to run as root; as root, the server tools run as the database's user.
    if requested:
        return requested
    return "postgres" if os.geteuid() == 0 else None


def _pg_bin(requested: Path | None, major: str) -> Path:
    found = requested or Path(os.environ.get("PG_BIN", f"/usr/lib/postgresql/{major}/bin"))
    if not (found / "pg_ctl").exists():
        raise DrillError(
            CANNOT_START, f"PostgreSQL {major} server tools not found in {found} (--pg-bin)"
        )
    return found


def _run(
    user: str | None, *command: object, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(  # noqa: S603 - our own tools and arguments
        [str(part) for part in command],
        capture_output=True, text=True, check=False, user=user, env=env,
    )  # fmt: skip
    if done.returncode != 0:
        raise DrillError(STEP_FAILED, f"{Path(str(command[0])).name} failed: {done.stderr.strip()}")
    return done


def _timed(report: PitrReport, step: str, started: float) -> None:
    report.seconds[step] = round(time.perf_counter() - started, 3)


def _own(path: Path, user: str | None) -> None:
    if user:
        account = pwd.getpwnam(user)
        os.chown(path, account.pw_uid, account.pw_gid)


def server_major(url: str) -> str:
    """The server's major version (`15`), to pick the matching server tools."""
    return str(int(psql(url, "SHOW server_version_num")[0]) // 10000)


def take_base_backup(
    url: str, into: Path, *, pg_bin: Path | None = None, os_user: str | None = None
) -> float:
    """`pg_basebackup` of `url` into a new folder, checked by `pg_verifybackup`; seconds taken."""
    url, user = libpq_url(url), _os_user(os_user)
    tools = _pg_bin(pg_bin, server_major(url))
    if into.exists() and any(into.iterdir()):
        raise DrillError(CANNOT_START, f"{into} is not empty; a base backup needs a new folder")
    started = time.perf_counter()
    source, env = libpq_env(url)
    command = ["-d", source, "-D", into, "-Fp", "-X", "stream", "-c", "fast"]
    _run(user, tools / "pg_basebackup", *command, env=env)
    _run(user, tools / "pg_verifybackup", into)
    return round(time.perf_counter() - started, 3)


def newest_row_sql(url: str) -> str | None:
    """A query for the newest `created_at`/`updated_at` in `public` (epoch seconds)."""
    columns = [row.split("|") for row in psql(url, TIMESTAMP_COLUMNS_SQL)]
    if not columns:
        return None
    # Names come from information_schema, not from a user; quoted as identifiers all the same.
    # Epoch seconds read the same for timestamptz and for naive UTC columns.
    newest = " UNION ALL ".join(
        f'SELECT max(extract(epoch FROM "{column}")) AS t FROM public."{table}"'  # noqa: S608
        for table, column in columns
    )
    return f"SELECT max(t) FROM ({newest}) AS newest"  # noqa: S608


def _iso(epoch: str | None) -> str | None:
    return datetime.fromtimestamp(float(epoch), UTC).isoformat() if epoch else None


def newest_row_time(url: str) -> str | None:
    """The newest `created_at`/`updated_at` in `public`: the last write the database holds."""
    query = newest_row_sql(url)
    found = psql(url, query) if query else []
    return _iso(found[0]) if found else None


def alembic_revision(url: str) -> str | None:
    """The Alembic revision the database is at (None before any migration)."""
    if not psql(url, "SELECT to_regclass('public.alembic_version')"):
        return None
    found = psql(url, "SELECT version_num FROM alembic_version")
    return found[0] if found else None


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class RestorePlan:
    """What to restore where: base backup + archive into an empty data folder."""

    base_backup: Path
    archive: Path
    data: Path
    port: int
    target: dict[str, str]
    # A scratch copy (the drill): no TCP, local trust only, archiving off.
    scratch: bool
    # A restored primary goes on archiving (a new timeline) unless told not to.
    archive_after: bool = True
    database: str = "postgres"
    role: str = "postgres"
    recovery_timeout: float = 3600
    pg_bin: Path | None = None
    os_user: str | None = None


@dataclass
class RestoredServer:
    """A cluster being restored from a base backup: its folder, port and tools."""

    plan: RestorePlan
    pg_bin: Path
    user: str | None

    @property
    def data(self) -> Path:
        return self.plan.data

    @property
    def url(self) -> str:
        """Over the server's Unix socket (in its data folder), as the plan's role."""
        plan = self.plan
        socket_dir = quote(str(plan.data), safe="")
        return f"postgresql:///{plan.database}?host={socket_dir}&port={plan.port}&user={plan.role}"

    @property
    def log(self) -> Path:
        return self.data / "restore.log"

    def log_tail(self, lines: int = 15) -> str:
        """The end of the server's log, to say why a restore failed."""
        if not self.log.exists():
            return "(no server log)"
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def start(self) -> None:
        """Start the server; it replays the archive before it accepts writes."""
        options = f"-p {self.plan.port} -k {shlex.quote(str(self.data))}"
        if self.plan.scratch:
            options += " -c listen_addresses=''"
        done = subprocess.run(  # noqa: S603 - our own tools and arguments
            [str(self.pg_bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
             "-o", options, "-w", "-t", "120", "start"],
            capture_output=True, text=True, check=False, user=self.user,
        )  # fmt: skip
        # A long replay with hot_standby off outlasts pg_ctl's wait; only a dead server failed.
        if done.returncode != 0 and not (self.data / "postmaster.pid").exists():
            raise DrillError(STEP_FAILED, f"the restored server did not start:\n{self.log_tail()}")

    def wait_promoted(self) -> None:
        """Wait until recovery has ended and the server is a primary."""
        deadline = time.monotonic() + self.plan.recovery_timeout
        while time.monotonic() < deadline:
            try:
                if psql(self.url, "SELECT pg_is_in_recovery()") == ["f"]:
                    return
            except subprocess.CalledProcessError:
                if not (self.data / "postmaster.pid").exists():
                    break  # the server gave up (a recovery target it never reached, say)
            time.sleep(0.2)
        raise DrillError(STEP_FAILED, f"recovery did not finish:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the server (fast: a scratch copy has nothing to wait for)."""
        subprocess.run(  # noqa: S603
            [str(self.pg_bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"],
            capture_output=True, check=False, user=self.user,
        )  # fmt: skip


def base_backup_major(base_backup: Path) -> str:
    """The major version a base backup was taken from; refuses a folder that is not one."""
    if not (base_backup / "backup_label").exists() or not (base_backup / "PG_VERSION").exists():
        raise DrillError(CANNOT_START, f"{base_backup} is not a base backup (no backup_label)")
    return (base_backup / "PG_VERSION").read_text().strip()


def _write(path: Path, text: str, user: str | None, mode: str = "w") -> None:
    with path.open(mode) as file:
        file.write(text)
    _own(path, user)


def prepare_restore(plan: RestorePlan, user: str | None) -> None:
    """Copy the base backup into the empty data folder and configure recovery from the archive."""
    data = plan.data
    if (data / "PG_VERSION").exists():
        raise DrillError(CANNOT_START, f"{data} holds a cluster; restore only into an empty folder")
    if not plan.scratch and not (plan.base_backup / "postgresql.conf").exists():
        raise DrillError(
            CANNOT_START,
            f"{plan.base_backup} has no postgresql.conf (Debian keeps it in /etc/postgresql): "
            "copy the server's configuration files into the base backup and run again",
        )
    data.mkdir(mode=0o700, parents=True, exist_ok=True)
    _own(data, user)
    _run(user, "cp", "-a", f"{plan.base_backup}/.", data)
    settings = {
        "restore_command": restore_command(str(plan.archive)),
        "recovery_target_action": "promote",
        **plan.target,
    }
    if plan.scratch or not plan.archive_after:
        settings["archive_mode"] = "off"  # its new timeline must not go into the real archive
    if plan.scratch:
        _write(data / "pg_hba.conf", "local all all trust\n", user)
        for name in ("postgresql.conf", "pg_ident.conf"):  # Debian keeps them in /etc
            _write(data / name, "", user, mode="a")
    _write(data / "postgresql.auto.conf", "# pitr_drill.py\n" + conf_lines(settings), user, "a")
    _write(data / "recovery.signal", "", user)


def restore_server(plan: RestorePlan) -> RestoredServer:
    """Restore as planned, start the server and wait until it has replayed and been promoted."""
    user = _os_user(plan.os_user)
    tools = _pg_bin(plan.pg_bin, base_backup_major(plan.base_backup))
    server = RestoredServer(plan=plan, pg_bin=tools, user=user)
    prepare_restore(plan, user)
    server.start()
    try:
        server.wait_promoted()
    except DrillError:
        if plan.scratch:
            server.stop()
        raise
    return server


def archive_timeout(url: str) -> str:
    """The source's `archive_timeout`; refuses a source that does not archive WAL at all."""
    if psql(url, "SHOW archive_mode") == ["off"]:
        raise DrillError(CANNOT_START, "the source does not archive WAL (archive_mode = off)")
    seconds = int(psql(url, "SELECT setting FROM pg_settings WHERE name = 'archive_timeout'")[0])
    if not 0 < seconds <= 300:
        print(
            f"warning: archive_timeout is {seconds} s: a quiet minute's commits may wait in "
            "pg_wal for a whole segment, so the recovery point is not bounded by 5 minutes",
            file=sys.stderr,
        )
    return f"{seconds}s"


def _mark_script(url: str, name: str, lock_timeout: float) -> str:
    tables = psql(url, TABLES_SQL)
    if not tables:
        raise DrillError(CANNOT_START, "the source has no tables in public: nothing to compare")
    newest = newest_row_sql(url) or "SELECT NULL"
    revision = (
        "SELECT 'revision', version_num FROM alembic_version;\n"
        if "alembic_version" in tables
        else ""
    )
    locked = ", ".join(f'public."{table}"' for table in tables)
    # SHARE locks let readers on and hold writers back (in-flight ones finish first), so the
    # counts read under them are exactly what the WAL holds at the restore point.
    return (
        f"BEGIN;\nSET LOCAL lock_timeout = '{int(lock_timeout * 1000)}ms';\n"
        f"LOCK TABLE {locked} IN SHARE MODE;\n"
        f"SELECT 'count', t, n FROM ({count_sql(tables)}) AS c(t, n);\n"
        f"SELECT 'newest', t FROM ({newest}) AS n(t);\n{revision}"
        f"SELECT 'mark', pg_walfile_name(pg_create_restore_point('{name}'));\nCOMMIT;\n"
    )


def mark_restore_point(url: str, name: str, report: PitrReport, lock_timeout: float) -> str:
    """Create the named restore point while writes wait, reading what a restore to it must
    hold (row counts, newest row, revision); the WAL segment the mark is in."""
    script = _mark_script(url, name, lock_timeout)
    started = time.perf_counter()
    try:
        rows = [row.split("|") for row in psql(url, script)]
    except subprocess.CalledProcessError as error:
        raise DrillError(
            CANNOT_START,
            f"could not mark the source (a write lock held past --lock-timeout, or a role "
            f"without EXECUTE on pg_create_restore_point): {error.stderr.strip()}",
        ) from error
    _timed(report, "writes_held", started)
    report.restore_point = name
    report.counts_source = {row[1]: int(row[2]) for row in rows if row[0] == "count"}
    found = {row[0]: row[1] for row in rows if row[0] != "count"}
    report.newest_row_source = _iso(found.get("newest"))
    report.revision_source = found.get("revision")
    return found["mark"]


def wait_archived(archive: Path, segment: str, timeout: float) -> float:
    """Seconds until `segment` is in the archive folder (at most `timeout`)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if (archive / segment).exists():
            return round(time.monotonic() - started, 3)
        time.sleep(0.2)
    raise DrillError(
        STEP_FAILED,
        f"WAL segment {segment} did not reach {archive} within {timeout:.0f} s: check "
        "archive_command in the source's log (pg_stat_archiver.last_failed_wal)",
    )


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
    _own(folder, _os_user(args.os_user))
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


def run_drill(args: argparse.Namespace) -> PitrReport:
    """Mark the source, restore a scratch copy up to the mark, and compare the two."""
    url = libpq_url(args.database_url)
    report = PitrReport(command="drill", started_at=datetime.now(UTC).isoformat())
    report.archive_timeout = archive_timeout(url)
    base_backup_major(args.base_backup)
    name = f"drill_{datetime.now(UTC):%Y%m%dT%H%M%S%f}"
    segment = mark_restore_point(url, name, report, args.lock_timeout)
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
    server = restore_server(plan)  # left running on failure too, for its log to be read
    _timed(report, "restore", started)
    read_restored(report, server.url)
    report.ok = report.revision_restored is not None
    return report


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--pg-bin", type=Path, help="server tools (default: the backup's version)")
    parser.add_argument("--os-user", help="run server tools as this user (root: postgres)")
    parser.add_argument(
        "--recovery-timeout", type=float, default=3600, help="seconds allowed to replay the archive"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    backup = commands.add_parser("base-backup", help="take and verify a base backup")
    backup.add_argument("--database-url", required=True)
    backup.add_argument("--into", type=Path, required=True, help="a new, empty folder")
    drill = commands.add_parser("drill", help="restore a scratch copy up to a mark and compare")
    drill.add_argument("--database-url", required=True)
    drill.add_argument("--base-backup", type=Path, required=True)
    drill.add_argument("--archive", type=Path, required=True, help="the WAL archive folder")
    drill.add_argument("--switch-wal", action="store_true", help="ship the mark's segment now")
    drill.add_argument("--archive-wait", type=float, help="seconds (archive_timeout + 30)")
    drill.add_argument("--scratch-dir", default=None, help="where the scratch copy goes")
    drill.add_argument(
        "--lock-timeout", type=float, default=5, help="seconds to wait for writers at the mark"
    )
    restore = commands.add_parser("restore", help="disaster restore into an empty folder")
    restore.add_argument("--base-backup", type=Path, required=True)
    restore.add_argument("--archive", type=Path, required=True)
    restore.add_argument("--data", type=Path, required=True, help="an empty data folder")
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
        + f", restore {report.seconds.get('restore')} s"
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Run one command; print its report (JSON) and a verdict line; exit as the docstring says."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "base-backup":
            seconds = take_base_backup(
                args.database_url, args.into, pg_bin=args.pg_bin, os_user=args.os_user
            )
            print(json.dumps({"base_backup": str(args.into), "seconds": seconds}))
            print(f"pitr base-backup PASSED: {args.into} verified, {seconds} s")
            return VERIFIED
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


if __name__ == "__main__":
    sys.exit(main())
