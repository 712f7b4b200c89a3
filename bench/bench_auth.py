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
import secrets
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import harness

from msmebazaar.shared.db import upgrade_database

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


def _server_env(database_url: str, redis_url: str) -> dict[str, str]:
    return {
        "ENVIRONMENT": "development",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "AUTH_OTP_ECHO": "true",
        "RATE_LIMIT_PER_MINUTE": "0",
        "MAX_IN_FLIGHT_PER_CLIENT": "0",  # every simulated user comes from one address
        # 50 clients are more than one process admits at once (48): here every request is
        # served and queues, so the figures are the service's, not the shedding's.
        "MAX_IN_FLIGHT_REQUESTS": "0",
        "OTP_MAX_PER_IP_PER_HOUR": "100000000",
        "LOG_FORMAT": "json",
    }


Job = tuple[str, str, dict[str, str] | None, str]


async def _drive(
    name: str, connections: Sequence[harness.Connection], jobs: Sequence[Job], server_pid: int
) -> tuple[Result, list[tuple[int, dict[str, Any]]]]:
    """Run `jobs` over the connections, each taking the next job when done (a closed loop)."""
    latencies: list[float] = []
    answers: list[tuple[int, dict[str, Any]]] = [(0, {})] * len(jobs)
    queue = iter(enumerate(jobs))

    async def client_loop(connection: harness.Connection) -> None:
        for index, (method, path, body, token) in queue:
            began = time.perf_counter()
            answers[index] = await connection.json(method, path, body, token)
            latencies.append((time.perf_counter() - began) * 1000)

    began, cpu_before = time.perf_counter(), harness.cpu_seconds(server_pid)
    await asyncio.gather(*(client_loop(connection) for connection in connections))
    failed = [
        f"{status} {body.get('error', {}).get('code')}"
        for status, body in answers
        if not 200 <= status < 300
    ]
    result = Result(name, latencies, time.perf_counter() - began, len(failed))
    result.error_codes = dict(Counter(failed))
    result.server_cpu_seconds = harness.cpu_seconds(server_pid) - cpu_before
    return result, answers


async def _run(
    port: int, pid: int, requests: int, me_requests: int, concurrency: int
) -> list[Result]:
    prefix = f"9{secrets.randbelow(9) + 1}"  # a valid Indian mobile prefix (9x), fresh per run
    phones = [f"+91{prefix}{n:08d}" for n in range(requests)]
    connections = [await harness.Connection.open(port) for _ in range(concurrency)]
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
        await harness.reset_postgres(url)
    upgrade_database(url)
    port = harness.free_port()
    redis_url = args.redis_url if database == "postgres" else ""
    server = harness.start_server(_server_env(url, redis_url), port, args.workers)
    try:
        await harness.wait_ready(port)
        results = await _run(port, server.pid, args.requests, args.me_requests, args.concurrency)
    finally:
        harness.stop_server(server)
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
    runs = harness.for_each_database(
        args.database, args.postgres_url, lambda name, url: asyncio.run(bench(name, url, args))
    )
    rows = [row for run in runs for row in run]
    print(f"machine: {harness.machine()}")
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
