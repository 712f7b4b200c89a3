"""Listing search speed: p50/p99 and throughput of GET /listings with 100,000 listings seeded.

Seeds through the seed-demo code path, starts a real uvicorn process on 127.0.0.1 (global rate
limit off), and drives it with 50 concurrent httpx clients doing varied searches (filters, full
text, sorts, pages) for a fixed time, on SQLite and/or PostgreSQL.

    .venv/bin/python bench/bench_listing_search.py --database both
    .venv/bin/python bench/bench_listing_search.py --database postgres --listings 100000 \\
        --postgres-url postgresql+asyncpg://postgres@127.0.0.1:5432/test_b
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from collections import Counter
from typing import Any

import harness
import httpx
from sqlalchemy import text

from msmebazaar.msme.cli import seed_demo
from msmebazaar.msme.sectors import SECTORS
from msmebazaar.shared.config import DatabaseSettings, Settings
from msmebazaar.shared.db import Database, upgrade_database

DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test_b"
STATES = ("Maharashtra", "Gujarat", "Tamil Nadu", "Karnataka", "Uttar Pradesh", "Punjab", "Delhi")
WORDS = ("export", "packaging", "textiles", "ISO", "retiring", "brand", "namkeen", "लाभदायक")
SORTS = ("newest", "price_asc", "price_desc", "revenue_desc")
DEAL_TYPES = ("full_sale", "stake_sale", "investment", "debt")


def search_query(rng: random.Random) -> dict[str, str]:
    """One realistic search: a few filters, sometimes words, a sort and an early page."""
    params: dict[str, str] = {"sort": rng.choice(SORTS), "page": str(rng.choice((1, 1, 1, 2, 5)))}
    if rng.random() < 0.5:
        params["sector"] = rng.choice(SECTORS).code
    if rng.random() < 0.4:
        params["state"] = rng.choice(STATES)
    if rng.random() < 0.3:
        params["deal_type"] = rng.choice(DEAL_TYPES)
    if rng.random() < 0.3:
        low = rng.choice((10**6, 10**7, 5 * 10**7))
        params |= {"price_min": str(low), "price_max": str(low * 20)}
    if rng.random() < 0.2:
        params["revenue_min"] = str(rng.choice((10**7, 5 * 10**7)))
    if rng.random() < 0.3:
        params["q"] = " ".join(rng.sample(WORDS, rng.choice((1, 1, 2))))
    return params


async def seed(url: str, listings: int) -> float:
    """Migrate and seed `listings` businesses; the seconds it took."""
    upgrade_database(url)
    settings = Settings(database=DatabaseSettings(url=url))
    database = Database.from_settings(settings.database)
    began = time.perf_counter()
    try:
        await seed_demo(database, settings, listings, seed=2026)
        if url.startswith("sqlite"):
            # Fold the load's write-ahead log into the database file, as a quiet production
            # database would have by the time anyone searches it.
            async with database.engine.connect() as connection:
                await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        if url.startswith("postgresql"):
            # seed-demo has analysed; VACUUM also sets the visibility map (index-only scans),
            # as autovacuum would after a while.
            autocommit = database.engine.execution_options(isolation_level="AUTOCOMMIT")
            async with autocommit.connect() as connection:
                await connection.execute(text("VACUUM ANALYZE"))
    finally:
        await database.dispose()
    return time.perf_counter() - began


def _server_env(url: str) -> dict[str, str]:
    return {
        "ENVIRONMENT": "development",
        "DATABASE_URL": url,
        "REDIS_URL": "",
        "RATE_LIMIT_PER_MINUTE": "0",
        "MAX_IN_FLIGHT_PER_CLIENT": "0",  # every simulated user comes from one address
        "OUTBOX_WORKER_EMBEDDED": "false",
    }


async def drive(base: str, clients: int, seconds: float) -> dict[str, Any]:
    """`clients` closed-loop clients searching for `seconds`; latency figures."""
    latencies: list[float] = []
    statuses: Counter[int | str] = Counter()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as http:
        for index in range(clients):  # warm-up: one request per connection
            await http.get("/api/v1/listings", params=search_query(random.Random(index)))
        deadline = time.perf_counter() + seconds

        async def client_loop(number: int) -> None:
            rng = random.Random(number)
            while time.perf_counter() < deadline:
                began = time.perf_counter()
                try:
                    response = await http.get("/api/v1/listings", params=search_query(rng))
                except httpx.TransportError:
                    statuses["transport_error"] += 1
                    continue
                latencies.append((time.perf_counter() - began) * 1000)
                statuses[response.status_code] += 1

        began = time.perf_counter()
        await asyncio.gather(*(client_loop(number) for number in range(clients)))
        elapsed = time.perf_counter() - began
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "statuses": dict(statuses),
        **harness.percentiles(ordered),
        "throughput_rps": round(len(ordered) / elapsed, 1),
    }


async def bench(database: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    """Seed a fresh database, serve it, measure, stop the server."""
    if database == "postgres":
        await harness.reset_postgres(url)
    seeded = await seed(url, args.listings)
    port = harness.free_port()
    server = harness.start_server(_server_env(url), port, args.workers)
    try:
        base = f"http://127.0.0.1:{port}"
        await harness.wait_ready(port)
        # One client first: the latency of a search itself, without queueing behind others.
        single = await drive(base, 1, args.single_seconds)
        result = await drive(base, args.concurrency, args.seconds)
        result["one_client"] = single
    finally:
        harness.stop_server(server)
    return {"database": database, "listings": args.listings, "seed_seconds": round(seeded, 1)} | (
        result | {"workers": args.workers, "concurrency": args.concurrency}
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--single-seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    args = parser.parse_args()
    harness.report_per_database(
        "bench_listing_search",
        args.database,
        args.postgres_url,
        lambda name, url: asyncio.run(bench(name, url, args)),
    )


if __name__ == "__main__":
    main()
