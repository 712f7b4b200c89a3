"""Web portal speed: p50/p99 of the home page and a listing's page at 20 concurrent users.

Seeds businesses through the seed-demo code path, starts the portal alone (`--service web`) under
uvicorn on 127.0.0.1 (global rate limit off), and drives each page with keep-alive clients for a
fixed time: the home page with a realistic mix of filters, and listing pages of random active
listings (each view is counted, so that page writes too). Each page is measured twice: 20 users
who read a page for about a second before the next (`*_users`), and 20 clients back to back
(`*_closed_loop`: the server's saturation). SQLite and/or PostgreSQL.

    .venv/bin/python bench/bench_web.py --database both
    .venv/bin/python bench/bench_web.py --database postgres --businesses 5000 \\
        --postgres-url postgresql+asyncpg://postgres@127.0.0.1:5432/test_web
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import harness
from sqlalchemy import text

from msmebazaar.msme.cli import seed_demo
from msmebazaar.msme.sectors import SECTORS
from msmebazaar.shared.config import DatabaseSettings, Settings
from msmebazaar.shared.db import Database, upgrade_database

DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test_web"
STATES = ("Maharashtra", "Gujarat", "Tamil Nadu", "Karnataka", "Uttar Pradesh", "Delhi")
WORDS = ("export", "packaging", "brand", "namkeen", "textiles")
TARGET_P99_MS = 100.0


def home_path(rng: random.Random) -> str:
    """The home page as people open it: mostly plain, sometimes filtered or searched."""
    params: dict[str, str] = {}
    if rng.random() < 0.3:
        params["sector"] = rng.choice(SECTORS).code
    if rng.random() < 0.3:
        params["state"] = rng.choice(STATES)
    if rng.random() < 0.2:
        params["q"] = rng.choice(WORDS)
    if rng.random() < 0.15:
        params["price_max"] = rng.choice(("50 lakh", "2 crore", "10 crore"))
    if rng.random() < 0.1:
        params["page"] = str(rng.choice((2, 3)))
    return "/" + (f"?{urlencode(params)}" if params else "")


async def seed(url: str, businesses: int) -> list[str]:
    """Migrate, seed, and return the ids of the active listings."""
    upgrade_database(url)
    settings = Settings(database=DatabaseSettings(url=url))
    database = Database.from_settings(settings.database)
    try:
        await seed_demo(database, settings, businesses, seed=2026)
        async with database.engine.connect() as connection:
            if url.startswith("sqlite"):
                await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            rows = await connection.execute(text("SELECT id FROM listings WHERE status = 'active'"))
            ids = [str(row[0]) for row in rows]
    finally:
        await database.dispose()
    return ids


def _server_env(url: str) -> dict[str, str]:
    return {
        "ENVIRONMENT": "development",
        "DATABASE_URL": url,
        "REDIS_URL": "",
        "RATE_LIMIT_PER_MINUTE": "0",
        "MAX_IN_FLIGHT_PER_CLIENT": "0",  # every simulated user comes from one address
        "OUTBOX_WORKER_EMBEDDED": "false",
    }


async def drive(
    port: int,
    clients: int,
    seconds: float,
    path_of: Callable[[random.Random], str],
    think_ms: float = 0.0,
) -> dict[str, Any]:
    """`clients` keep-alive clients for `seconds`, each reading a page for about `think_ms`
    (0: back to back, a closed loop) before the next; latency figures."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    connections = [await harness.Connection.open(port) for _ in range(clients)]
    for number, connection in enumerate(connections):  # warm-up: one page each
        await connection.request("GET", path_of(random.Random(-number - 1)))
    deadline = time.perf_counter() + seconds

    async def client_loop(number: int) -> None:
        rng, connection = random.Random(number), connections[number]
        if think_ms:  # people arrive at different moments, not all in the same millisecond
            await asyncio.sleep(think_ms * rng.random() / 1000)
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            status, _ = await connection.request("GET", path_of(rng))
            latencies.append((time.perf_counter() - began) * 1000)
            statuses[status] += 1
            if think_ms:
                await asyncio.sleep(think_ms * rng.uniform(0.5, 1.5) / 1000)

    began = time.perf_counter()
    await asyncio.gather(*(client_loop(number) for number in range(clients)))
    elapsed = time.perf_counter() - began
    for connection in connections:
        await connection.close()
    figures = harness.percentiles(latencies)
    return {
        "requests": len(latencies),
        "statuses": {str(key): value for key, value in statuses.items()},
        **figures,
        "throughput_rps": round(len(latencies) / elapsed, 1),
        "meets_target": figures["p99_ms"] < TARGET_P99_MS,
    }


async def bench(database: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    """Seed a fresh database, serve the portal, measure both pages, stop the server."""
    if database == "postgres":
        await harness.reset_postgres(url)
    listing_ids = await seed(url, args.businesses)
    port = harness.free_port()
    server = harness.start_server(_server_env(url), port, args.workers, services="web")
    try:
        await harness.wait_ready(port)
        cpu_before = harness.cpu_seconds(server.pid)
        pages: dict[str, Callable[[random.Random], str]] = {
            "home": home_path,
            "listing": lambda rng: f"/listings/{rng.choice(listing_ids)}",
        }
        # Warm-up (discarded): start-up work (the match index embeds every listing) and caches.
        for path_of in pages.values():
            await drive(port, args.concurrency, args.warmup_seconds, path_of)
        figures: dict[str, Any] = {}
        for name, path_of in pages.items():
            figures[f"{name}_users"] = await drive(
                port, args.concurrency, args.seconds, path_of, think_ms=args.think_ms
            )
            figures[f"{name}_closed_loop"] = await drive(
                port, args.concurrency, args.seconds / 2, path_of
            )
        cpu = harness.cpu_seconds(server.pid) - cpu_before
        memory = harness.rss_mb(server.pid)
    finally:
        harness.stop_server(server)
    return {
        "database": database,
        "businesses": args.businesses,
        "active_listings": len(listing_ids),
        "concurrency": args.concurrency,
        "workers": args.workers,
        "think_ms": args.think_ms,
        **figures,
        "server_cpu_seconds": round(cpu, 1),
        "server_rss_mb": round(memory, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--businesses", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--warmup-seconds", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument(
        "--think-ms", type=float, default=1000.0, help="a user's pause between pages (±50%%)"
    )
    args = parser.parse_args()
    harness.report_per_database(
        "bench_web",
        args.database,
        args.postgres_url,
        lambda name, url: asyncio.run(bench(name, url, args)),
    )


if __name__ == "__main__":
    main()
