"""libpq URLs, psql and row counts: what both drills read from a database."""

from __future__ import annotations

import os
import shutil
import subprocess
from urllib.parse import unquote, urlsplit, urlunsplit

TABLES_SQL = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"


def libpq_url(url: str) -> str:
    """A libpq URL from an SQLAlchemy one (`postgresql+asyncpg://` → `postgresql://`)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme="postgresql"))


def with_database(url: str, name: str) -> str:
    """The same server's URL for another database."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def database_name(url: str) -> str:
    """The database a URL names."""
    return urlsplit(url).path.lstrip("/")


def tool(name: str) -> str:
    """The path of a client tool (psql, pg_dump); exits with a hint when it is missing."""
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
        [tool("psql"), url, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-f", "-"],
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
