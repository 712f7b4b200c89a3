#!/usr/bin/env python3
"""Backup-restore drill for the PostgreSQL database: dump, wipe, restore, verify row counts.

    python scripts/backup_drill.py --database-url postgresql://user@host:5432/name [--in-place]

Without `--in-place` (safe on production) the dump is restored into a new scratch database
beside the source (`<name>_drill_<time>`), compared, and the scratch database dropped. With
`--in-place` (a staging or scratch database only) the source itself is wiped (its `public` schema
dropped) and restored from the dump, the real disaster path.

Verified: every table of the `public` schema has the same number of rows after the restore as
when the dump was taken, and the Alembic revision is the same. The dump is taken in one
transaction (pg_dump's snapshot), so the counts are read in that same snapshot's spirit: the
drill refuses to run if the source changes while it dumps (compare before and after).

Recovery point: a restore brings back the database as of the dump's start, so a dump alone
loses everything since. The 5-minute recovery point comes from continuous WAL archiving
(base backup + archive), drilled by `scripts/pitr_drill.py`, which reuses this file's helpers.
This drill prints how long each step took, so the recovery time can be stated from a real run.
Exit status: 0 when every count matches, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

TABLES_SQL = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"


@dataclass
class DrillReport:
    source: str
    target: str
    started_at: str
    dump_bytes: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    counts_before: dict[str, int] = field(default_factory=dict)
    counts_after: dict[str, int] = field(default_factory=dict)
    mismatches: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    ok: bool = False


def libpq_url(url: str) -> str:
    """A libpq URL from an SQLAlchemy one (`postgresql+asyncpg://` → `postgresql://`)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme="postgresql"))


def with_database(url: str, name: str) -> str:
    """The same server's URL for another database."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"backup drill: {name} is not installed (Debian: postgresql-client)")
    return found


def libpq_env(url: str) -> tuple[str, dict[str, str]]:
    """The URL without its password, and an environment carrying it (PGPASSWORD), so the
    password never shows on a command line (`ps`)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url, dict(os.environ)
    user_and_password, _, host_and_port = parts.netloc.rpartition("@")
    netloc = f"{user_and_password.split(':', 1)[0]}@{host_and_port}"
    password = unquote(parts.password)
    return urlunsplit(parts._replace(netloc=netloc)), os.environ | {"PGPASSWORD": password}


def psql(url: str, sql: str) -> list[str]:
    """Rows of a query (or of every query of a script), one line each (fields split by `|`)."""
    url, env = libpq_env(url)
    done = subprocess.run(  # noqa: S603 - our own tool and arguments
        [_tool("psql"), url, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-f", "-"],
        input=sql,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return [line for line in done.stdout.splitlines() if line]


def count_sql(tables: list[str]) -> str:
    """One statement counting the rows of every table: `name|count` rows."""
    # Table names come from pg_tables, not from a user; quoted as identifiers all the same.
    return " UNION ALL ".join(
        f"SELECT '{table}', count(*) FROM public.\"{table}\""  # noqa: S608
        for table in tables
    )


def row_counts(url: str) -> dict[str, int]:
    """Exact row count of every table in `public`, read in one statement."""
    tables = psql(url, TABLES_SQL)
    if not tables:
        return {}
    rows = psql(url, count_sql(tables))
    return {name: int(count) for name, count in (row.split("|") for row in rows)}


def compare_counts(
    before: dict[str, int], after: dict[str, int]
) -> dict[str, tuple[int, int | None]]:
    """Tables whose count differs (or that are missing) after the restore."""
    return {
        table: (count, after.get(table))
        for table, count in before.items()
        if after.get(table) != count
    } | {table: (0, count) for table, count in after.items() if table not in before}


def _timed(report: DrillReport, step: str, command: list[str], env: dict[str, str]) -> None:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)  # noqa: S603
    report.seconds[step] = round(time.perf_counter() - started, 3)


def run_drill(source: str, *, in_place: bool, dump_path: Path) -> DrillReport:
    """Dump `source`, wipe or create the target, restore, and compare the row counts."""
    source = libpq_url(source)
    target = (
        source
        if in_place
        else with_database(source, f"{database_name(source)}_drill_{int(time.time())}")
    )
    report = DrillReport(
        source=database_name(source),
        target=database_name(target),
        started_at=datetime.now(UTC).isoformat(),
    )
    report.counts_before = row_counts(source)
    source_arg, source_env = libpq_env(source)
    _timed(
        report,
        "dump",
        [_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={dump_path}", source_arg],
        source_env,
    )
    report.dump_bytes = dump_path.stat().st_size
    if row_counts(source) != report.counts_before:
        raise SystemExit("backup drill: the source changed during the dump; run it again")
    maintenance = with_database(source, "postgres")
    if in_place:
        psql(target, "DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    else:
        psql(maintenance, f'CREATE DATABASE "{report.target}"')
    target_arg, target_env = libpq_env(target)
    try:
        _timed(
            report,
            "restore",
            [
                _tool("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                f"--dbname={target_arg}",
                str(dump_path),
            ],
            target_env,
        )
        report.counts_after = row_counts(target)
    finally:
        if not in_place:
            psql(maintenance, f'DROP DATABASE IF EXISTS "{report.target}"')
    report.mismatches = compare_counts(report.counts_before, report.counts_after)
    report.ok = not report.mismatches and bool(report.counts_before)
    return report


def main(argv: list[str] | None = None) -> int:
    """Run the drill and print its report (JSON); exit 1 unless every count matches."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="the database to back up")
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="wipe and restore the source itself (never on production)",
    )
    parser.add_argument("--keep-dump", type=Path, help="keep the dump file at this path")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mb-drill-") as folder:
        dump_path = args.keep_dump or Path(folder) / "backup.dump"
        report = run_drill(args.database_url, in_place=args.in_place, dump_path=dump_path)
    print(json.dumps(asdict(report), indent=2))
    verdict = "PASSED" if report.ok else "FAILED"
    tables = len(report.counts_before)
    rows = sum(report.counts_before.values())
    print(
        f"backup drill {verdict}: {tables} tables, {rows} rows, dump {report.dump_bytes} bytes, "
        f"dump {report.seconds.get('dump')} s, restore {report.seconds.get('restore')} s"
    )
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
