"""Auth speed: p50/p99 of otp/request, otp/verify and GET /auth/me at 50 concurrent clients.

Runs a real uvicorn process on 127.0.0.1 (the embedded default: one process, the outbox worker
inside it) against SQLite and/or PostgreSQL, with the per-IP limits lifted by settings, and
drives it with concurrent httpx clients from this process.

    .venv/bin/python bench/bench_auth.py --database both
    .venv/bin/python bench/bench_auth.py --database postgres \\
        --postgres-url postgresql+asyncpg://postgres@127.0.0.1:5432/bench_auth
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.db import create_engine, upgrade_database

API = "/api/v1/auth"
DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/bench_auth"


@dataclass
class Result:
    endpoint: str
    latencies_ms: list[float]
    seconds: float
    errors: int
    error_codes: dict[str, int] = field(default_factory=dict)
    server_cpu_seconds: float = 0.0

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies_ms)
        p99_index = max(0, round(0.99 * len(ordered)) - 1)
        return {
            "endpoint": self.endpoint,
            "requests": len(ordered),
            "errors": self.errors,
            "p50_ms": round(statistics.median(ordered), 1),
            "p99_ms": round(ordered[p99_index], 1),
            "throughput_rps": round(len(ordered) / self.seconds, 1),
            # CPU the server spent per request: unlike latency, barely moved by other load.
            "server_cpu_ms": round(self.server_cpu_seconds * 1000 / len(ordered), 2),
            "error_codes": self.error_codes,
        }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _reset_postgres(url: str) -> None:
    engine = create_engine(DatabaseSettings(url=url))
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


def _server_env(database_url: str, redis_url: str) -> dict[str, str]:
    return os.environ | {
        "ENVIRONMENT": "development",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "AUTH_OTP_ECHO": "true",
        "RATE_LIMIT_PER_MINUTE": "0",
        "OTP_MAX_PER_IP_PER_HOUR": "100000000",
        "LOG_FORMAT": "json",
    }


def _start_server(
    database_url: str, redis_url: str, port: int, workers: int
) -> subprocess.Popen[bytes]:
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
    ]
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command,
        env=_server_env(database_url, redis_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def _wait_ready(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as client:
        for _ in range(100):
            try:
                if (await client.get("/health/live")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the server did not start")


class Connection:
    """A minimal HTTP/1.1 keep-alive client: httpx's pool, not the server, would be the
    bottleneck at 50 concurrent clients on two cores."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer)

    async def request(
        self, method: str, path: str, body: dict[str, str] | None = None, token: str = ""
    ) -> tuple[int, dict[str, Any]]:
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
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        data = await self.reader.readexactly(length)
        return int(status_line.split()[1]), json.loads(data) if data else {}

    async def close(self) -> None:
        self.writer.close()
        await self.writer.wait_closed()


Job = tuple[str, str, dict[str, str] | None, str]


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process and all its threads (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _drive(
    name: str, connections: Sequence[Connection], jobs: Sequence[Job], server_pid: int
) -> tuple[Result, list[tuple[int, dict[str, Any]]]]:
    """Run `jobs` over the connections, each taking the next job when done (a closed loop)."""
    latencies: list[float] = []
    answers: list[tuple[int, dict[str, Any]]] = [(0, {})] * len(jobs)
    queue = iter(enumerate(jobs))

    async def client_loop(connection: Connection) -> None:
        for index, (method, path, body, token) in queue:
            began = time.perf_counter()
            answers[index] = await connection.request(method, path, body, token)
            latencies.append((time.perf_counter() - began) * 1000)

    began, cpu_before = time.perf_counter(), _cpu_seconds(server_pid)
    await asyncio.gather(*(client_loop(connection) for connection in connections))
    failed = [
        f"{status} {body.get('error', {}).get('code')}"
        for status, body in answers
        if not 200 <= status < 300
    ]
    result = Result(name, latencies, time.perf_counter() - began, len(failed))
    result.error_codes = dict(Counter(failed))
    result.server_cpu_seconds = _cpu_seconds(server_pid) - cpu_before
    return result, answers


async def _run(
    port: int, pid: int, requests: int, me_requests: int, concurrency: int
) -> list[Result]:
    prefix = f"9{secrets.randbelow(9) + 1}"  # a valid Indian mobile prefix (9x), fresh per run
    phones = [f"+91{prefix}{n:08d}" for n in range(requests)]
    connections = [await Connection.open(port) for _ in range(concurrency)]
    try:
        warm_up = [("GET", "/health/live", None, "")] * concurrency
        await _drive("warm-up", connections, warm_up, pid)
        otp, sent = await _drive(
            "POST /auth/otp/request",
            connections,
            [("POST", f"{API}/otp/request", {"phone": phone}, "") for phone in phones],
            pid,
        )
        codes = [body.get("data", {}).get("debug_code", "") for _, body in sent]
        verify, signed = await _drive(
            "POST /auth/otp/verify",
            connections,
            [
                ("POST", f"{API}/otp/verify", {"phone": phone, "code": code}, "")
                for phone, code in zip(phones, codes, strict=True)
            ],
            pid,
        )
        tokens = [body["data"]["access_token"] for status, body in signed if status == 200]
        # Each of the clients is one signed-in user calling again and again.
        me, _ = await _drive(
            "GET /auth/me",
            connections,
            [("GET", f"{API}/me", None, tokens[n % concurrency]) for n in range(me_requests)],
            pid,
        )
    finally:
        for connection in connections:
            await connection.close()
    return [otp, verify, me]


async def bench(database: str, url: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Migrate a fresh database, serve it, measure, stop the server."""
    if database == "postgres":
        await _reset_postgres(url)
    upgrade_database(url)
    port = _free_port()
    redis_url = args.redis_url if database == "postgres" else ""
    server = _start_server(url, redis_url, port, args.workers)
    try:
        await _wait_ready(f"http://127.0.0.1:{port}")
        results = await _run(port, server.pid, args.requests, args.me_requests, args.concurrency)
    finally:
        server.terminate()
        server.wait(timeout=30)
    label = database + ("+redis" if redis_url else "")
    return [result.summary() | {"database": label} for result in results]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument(
        "--redis-url", default="", help="Redis for the PostgreSQL run (default: in-process)"
    )
    parser.add_argument("--requests", type=int, default=2000, help="sign-ins (distinct phones)")
    parser.add_argument("--me-requests", type=int, default=10000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    args = parser.parse_args()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        targets = {
            "sqlite": f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}",
            "postgres": args.postgres_url,
        }
        for database in ["sqlite", "postgres"] if args.database == "both" else [args.database]:
            rows += asyncio.run(bench(database, targets[database], args))
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    header = ("database", "endpoint", "n", "err", "p50 ms", "p99 ms", "rps", "cpu ms")
    print("{:<14} {:<24} {:>6} {:>4} {:>7} {:>7} {:>7} {:>7}".format(*header))
    for row in rows:
        print(
            f"{row['database']:<14} {row['endpoint']:<24} {row['requests']:>6} {row['errors']:>4} "
            f"{row['p50_ms']:>7} {row['p99_ms']:>7} {row['throughput_rps']:>7} "
            f"{row['server_cpu_ms']:>7} "
            f"{row['error_codes'] or ''}"
        )
    out = Path("bench/results")
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_auth.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
