"""What every benchmark needs: a real uvicorn server on 127.0.0.1, a fresh database, a lean
keep-alive HTTP client, and the figures (percentiles, server CPU, memory).

Benchmarks import this module by name (`import harness`): they run as scripts from `bench/`.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import httpx
from sqlalchemy import text

from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.db import create_engine


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def reset_postgres(url: str) -> None:
    """Drop and recreate the public schema of a benchmark's own PostgreSQL database."""
    engine = create_engine(DatabaseSettings(url=url))
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


def load_env(database_url: str, redis_url: str, storage: str | Path) -> dict[str, str]:
    """The app's configuration for a load test on PostgreSQL + Redis: served behaviour
    (development: background tasks run), the per-IP limits lifted (every simulated user comes
    from 127.0.0.1), codes echoed so users can sign in (production refuses that), no SMS worker."""
    return {
        "ENVIRONMENT": "development",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "AUTH_OTP_ECHO": "true",
        "RATE_LIMIT_PER_MINUTE": "0",
        "MAX_IN_FLIGHT_PER_CLIENT": "0",
        "OTP_MAX_PER_IP_PER_HOUR": "100000000",
        "OTP_MAX_PER_PHONE_PER_HOUR": "1000",
        "OTP_RESEND_COOLDOWN_SECONDS": "0",
        "OUTBOX_WORKER_EMBEDDED": "false",
        "STORAGE_URL": f"file://{storage}",
        "LOG_LEVEL": "WARNING",
    }


def start_server(
    env: Mapping[str, str], port: int, workers: int = 1, services: str = "all"
) -> subprocess.Popen[bytes]:
    """`msmebazaar.app` under uvicorn on 127.0.0.1:`port`, configured by `env` (over ours)."""
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "msmebazaar.app:create_app_from_env",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
        "--timeout-keep-alive",
        "60",
    ]
    environment = os.environ | {"MSMEBAZAAR_SERVICES": services, "LOG_LEVEL": "WARNING"}
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command,
        env=environment | dict(env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then wait for in-flight requests to finish."""
    server.terminate()
    server.wait(timeout=30)


async def wait_ready(port: int, attempts: int = 600) -> None:
    """Poll /health/live until the server answers (a minute at most)."""
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        for _ in range(attempts):
            try:
                if (await client.get("/health/live")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the server did not start")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process and all its threads (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentiles(latencies_ms: list[float]) -> dict[str, float]:
    """p50 and p99 (nearest rank) of latencies in milliseconds."""
    if not latencies_ms:
        return {"p50_ms": 0.0, "p99_ms": 0.0}
    ordered = sorted(latencies_ms)
    p99 = ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]
    return {"p50_ms": round(statistics.median(ordered), 1), "p99_ms": round(p99, 1)}


class Connection:
    """A minimal HTTP/1.1 keep-alive client: at 20-50 concurrent clients on two cores httpx's
    pool, not the server, would be the bottleneck."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        """Connect to the benchmark server."""
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer)

    async def request(
        self, method: str, path: str, body: Any = None, token: str = ""
    ) -> tuple[int, bytes]:
        """Send one request; return the status and the raw body."""
        payload = json.dumps(body).encode() if body is not None else b""
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(payload)}\r\n"
        if body is not None:
            head += "Content-Type: application/json\r\n"
        if token:
            head += f"Authorization: Bearer {token}\r\n"
        self.writer.write(head.encode() + b"\r\n" + payload)
        status_line = await self.reader.readline()
        length = 0
        while (line := await self.reader.readline()) not in {b"\r\n", b""}:
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return int(status_line.split()[1]), await self.reader.readexactly(length)

    async def json(
        self, method: str, path: str, body: Any = None, token: str = ""
    ) -> tuple[int, dict[str, Any]]:
        """Send one request; return the status and the decoded JSON body."""
        status, data = await self.request(method, path, body, token)
        return status, json.loads(data) if data else {}

    async def close(self) -> None:
        """Close the connection."""
        self.writer.close()
        await self.writer.wait_closed()


T = TypeVar("T")


def for_each_database(choice: str, postgres_url: str, run: Callable[[str, str], T]) -> list[T]:
    """`run(name, url)` on SQLite (a temporary file) and/or PostgreSQL, as `choice` says
    (`sqlite`, `postgres` or `both`)."""
    with tempfile.TemporaryDirectory() as folder:
        targets = {
            "sqlite": f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}",
            "postgres": postgres_url,
        }
        names = ["sqlite", "postgres"] if choice == "both" else [choice]
        return [run(name, targets[name]) for name in names]


def machine() -> str:
    """What the figures were measured on."""
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def save_by_database(name: str, rows: list[dict[str, Any]]) -> Path:
    """Write `rows` to bench/results/<name>.json, keeping the other database's last figures when
    only one was run this time."""
    out = Path("bench/results")
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.json"
    previous = json.loads(path.read_text()) if path.exists() else []
    merged = {row["database"]: row for row in [*previous, *rows]}
    path.write_text(json.dumps(list(merged.values()), indent=2, ensure_ascii=False))
    return path


def report_per_database(
    name: str, choice: str, postgres_url: str, run: Callable[[str, str], dict[str, Any]]
) -> None:
    """Run a benchmark per database (`for_each_database`), print its rows with the machine, and
    keep them in bench/results/<name>.json (`save_by_database`)."""
    rows = for_each_database(choice, postgres_url, run)
    print(f"machine: {machine()}")
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))
    save_by_database(name, rows)
