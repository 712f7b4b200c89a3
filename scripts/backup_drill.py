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
(base backup + archive), drilled by `scripts/pitr_drill.py`; both share `scripts/drills/`.
This drill prints how long each step took, so the recovery time can be stated from a real run.
Exit status: 0 when every count matches, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

# The helpers shared with pitr_drill.py live in the `drills` package beside this file; found there
# both when run as a script and when loaded by the tests.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from drills.postgres import (
    compare_counts,
    database_name,
    libpq_env,
    libpq_url,
    psql,
    row_counts,
    tool,
    with_database,
)


@dataclass
class DrillReport:
    """What the drill found; printed as JSON."""

    source: str
    target: str
    started_at: str
    dump_bytes: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    counts_before: dict[str, int] = field(default_factory=dict)
    counts_after: dict[str, int] = field(default_factory=dict)
    mismatches: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    ok: bool = False


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
        [tool("pg_dump"), "--format=custom", "--no-owner", f"--file={dump_path}", source_arg],
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
                tool("pg_restore"),
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
