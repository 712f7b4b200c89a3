"""What the drill reads from the source: its settings, newest row, revision, and the mark."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime

from drills.errors import CANNOT_START, DrillError
from drills.postgres import TABLES_SQL, count_sql, psql

TIMESTAMP_COLUMNS_SQL = (
    "SELECT table_name, column_name FROM information_schema.columns "
    "WHERE table_schema = 'public' AND column_name IN ('created_at', 'updated_at') "
    "AND data_type LIKE 'timestamp%' ORDER BY 1, 2"
)


def server_major(url: str) -> str:
    """The server's major version (`15`), to pick the matching server tools."""
    return str(int(psql(url, "SHOW server_version_num")[0]) // 10000)


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


def iso(epoch: str | None) -> str | None:
    """An ISO 8601 UTC time from epoch seconds as psql prints them."""
    return datetime.fromtimestamp(float(epoch), UTC).isoformat() if epoch else None


def newest_row_time(url: str) -> str | None:
    """The newest `created_at`/`updated_at` in `public`: the last write the database holds."""
    query = newest_row_sql(url)
    found = psql(url, query) if query else []
    return iso(found[0]) if found else None


def alembic_revision(url: str) -> str | None:
    """The Alembic revision the database is at (None before any migration)."""
    if not psql(url, "SELECT to_regclass('public.alembic_version')"):
        return None
    found = psql(url, "SELECT version_num FROM alembic_version")
    return found[0] if found else None


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


@dataclass
class Mark:
    """A named restore point and what a restore up to it must hold."""

    segment: str
    counts: dict[str, int]
    newest_row: str | None
    revision: str | None
    seconds: dict[str, float] = field(default_factory=dict)


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
    clock = "extract(epoch FROM clock_timestamp())"
    # SHARE locks hold writers back (in-flight ones finish first) only while the mark is made.
    # The REPEATABLE READ snapshot is taken by the first query after LOCK, so it sees exactly
    # what the WAL holds at the mark. Rolling back to the savepoint lets go of the locks (locks
    # taken in a subtransaction end with it) but keeps that snapshot, and the restore point is
    # in the WAL already: counting, however long, then runs with writers free.
    return (
        f"SET lock_timeout = '{int(lock_timeout * 1000)}ms';\nSELECT 'asked', {clock};\n"
        "BEGIN ISOLATION LEVEL REPEATABLE READ;\nSAVEPOINT mark;\n"
        f"LOCK TABLE {locked} IN SHARE MODE;\nSELECT 'locked', {clock};\n"
        f"SELECT 'mark', pg_walfile_name(pg_create_restore_point('{name}'));\n"
        f"ROLLBACK TO SAVEPOINT mark;\nSELECT 'released', {clock};\n"
        f"SELECT 'count', t, n FROM ({count_sql(tables)}) AS c(t, n);\n"
        f"SELECT 'newest', t FROM ({newest}) AS n(t);\n{revision}"
        f"SELECT 'read', {clock};\nCOMMIT;\n"
    )


def mark_restore_point(url: str, name: str, lock_timeout: float) -> Mark:
    """Create the named restore point while writes wait, and read (writes going on again, in
    the mark's snapshot) what a restore to it must hold: row counts, newest row, revision."""
    script = _mark_script(url, name, lock_timeout)
    try:
        rows = [row.split("|") for row in psql(url, script)]
    except subprocess.CalledProcessError as error:
        raise DrillError(
            CANNOT_START,
            f"could not mark the source (a write lock held past --lock-timeout, or a role "
            f"without EXECUTE on pg_create_restore_point): {error.stderr.strip()}",
        ) from error
    found = {row[0]: row[1] for row in rows if row[0] != "count"}
    at = {step: float(found[step]) for step in ("asked", "locked", "released", "read")}
    return Mark(
        segment=found["mark"],
        counts={row[1]: int(row[2]) for row in rows if row[0] == "count"},
        newest_row=iso(found.get("newest")),
        revision=found.get("revision"),
        seconds={
            "lock_wait": round(at["locked"] - at["asked"], 3),
            "writes_held": round(at["released"] - at["locked"], 3),
            "read_source": round(at["read"] - at["released"], 3),
        },
    )
