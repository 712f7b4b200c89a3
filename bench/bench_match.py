"""Match speed: p50/p99 of `GET /matches/mandates/{id}` with 10,000 and 100,000 active listings.

For each size: a fresh database (SQLite file, or PostgreSQL with --postgres-url) is migrated and
seeded with profiles and active listings by bulk SQL inserts (not the API); a real uvicorn
process serves the app on 127.0.0.1; a buyer signs in and creates a mandate through the API.
The server starts building its index at start-up (embedding every listing with the default
embedder and storing the vectors); the first ranking waits for it and is timed on its own; then
`--requests` rankings are timed one after another and `--concurrency` clients at a time, with
`GET /auth/me` as a baseline for the machine's load, and the server's CPU per ranking.
Memory: the bytes the stored vectors take in the index (rows × dimension × 4) and the server's
resident size before and after.

    .venv/bin/python bench/bench_match.py                      # 10,000 and 100,000, SQLite
    .venv/bin/python bench/bench_match.py --sizes 10000 --postgres-url \\
        postgresql+asyncpg://postgres@127.0.0.1:5432/bench_match
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import tempfile
import time
import uuid
from typing import Any

import harness
import httpx
from sqlalchemy import insert, text

from msmebazaar.match.embedders import WordLlamaEmbedder
from msmebazaar.msme.models import Listing, Msme
from msmebazaar.msme.service import SECTORS
from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.db import create_engine, upgrade_database, utcnow
from msmebazaar.shared.india import STATE_NAMES

API = "/api/v1"
CHUNK = 5000
WORDS = (
    "namkeen snacks maker",
    "cold storage for farm produce",
    "auto components forging unit",
    "cotton yarn spinning mill",
    "rooftop solar installer",
    "payroll software for small firms",
    "multi-specialty hospital",
    "corrugated box manufacturer",
    "spice grinding and packing",
    "dairy plant making paneer and ghee",
    "IT services for export clients",
    "boutique heritage hotel",
    "trucking fleet for highway freight",
    "generic tablets formulation unit",
    "knitted garments exporter",
)


def _rows(count: int, rng: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    now = utcnow()
    sectors = [sector.code for sector in SECTORS]
    msmes, listings = [], []
    for number in range(count):
        msme_id, owner = uuid.uuid4(), uuid.uuid4()
        sector, state = rng.choice(sectors), rng.choice(STATE_NAMES)
        words = f"{rng.choice(WORDS)} with {rng.choice(WORDS)}"
        msmes.append(
            {
                "id": msme_id,
                "owner_id": owner,
                "legal_name": f"Bench Enterprise {number}",
                "legal_form": "private_limited",
                "sector": sector,
                "state": state,
                "description": f"A business: {words}.",
                "year_established": rng.randint(1980, 2024),
                "classification": "micro",
                "verification_status": rng.choice(("verified", "pending")),
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
        revenue = rng.randint(50, 5000) * 100_000
        listings.append(
            {
                "id": uuid.uuid4(),
                "msme_id": msme_id,
                "owner_id": owner,
                "deal_type": rng.choice(("full_sale", "stake_sale", "investment")),
                "asking_price": rng.randint(20, 5000) * 100_000,
                "stake_percent": 26.0,
                "anonymous": True,
                "headline": f"Established {words}"[:120],
                "summary": f"Listing {number}: {words}; steady customers and a trained team.",
                "status": "active",
                "sector": sector,
                "state": state,
                "revenue": revenue,
                "ebitda": int(revenue * rng.uniform(-0.05, 0.25)),
                "views_count": 0,
                "interests_count": 0,
                "published_at": now,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    return msmes, listings


async def _prepare(url: str, count: int) -> float:
    """Migrate and seed; return the seconds the inserts took."""
    if url.startswith("postgresql"):
        engine = create_engine(DatabaseSettings(url=url))
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await engine.dispose()
    upgrade_database(url)
    msmes, listings = _rows(count, random.Random(count))
    engine = create_engine(DatabaseSettings(url=url))
    began = time.perf_counter()
    async with engine.begin() as connection:
        for model, rows in ((Msme, msmes), (Listing, listings)):
            for start in range(0, len(rows), CHUNK):
                await connection.execute(insert(model), rows[start : start + CHUNK])
    await engine.dispose()
    return time.perf_counter() - began


def _server_env(url: str) -> dict[str, str]:
    return {
        "ENVIRONMENT": "development",
        "DATABASE_URL": url,
        "REDIS_URL": "",
        "AUTH_OTP_ECHO": "true",
        "RATE_LIMIT_PER_MINUTE": "0",
        "MAX_IN_FLIGHT_PER_CLIENT": "0",  # every simulated user comes from one address
        "OTP_MAX_PER_IP_PER_HOUR": "100000000",
        "OUTBOX_WORKER_EMBEDDED": "false",
    }


async def _buyer_mandate(client: httpx.AsyncClient) -> tuple[dict[str, str], str]:
    phone = f"+9198{random.randint(10_000_000, 99_999_999)}"
    code = (await client.post(f"{API}/auth/otp/request", json={"phone": phone})).json()
    verified = await client.post(
        f"{API}/auth/otp/verify",
        json={"phone": phone, "code": code["data"]["debug_code"], "role": "investor"},
    )
    headers = {"Authorization": f"Bearer {verified.json()['data']['access_token']}"}
    mandate = await client.post(
        f"{API}/mandates",
        json={
            "title": "Food and cold chain in the west",
            "deal_types": ["full_sale", "stake_sale"],
            "sectors": ["food_processing", "logistics", "agriculture"],
            "states": ["Maharashtra", "Gujarat"],
            "ticket_min": 1_00_00_000,
            "ticket_max": 20_00_00_000,
            "thesis": "Cold storage and food processing close to farm clusters",
        },
        headers=headers,
    )
    return headers, mandate.json()["data"]["id"]


def _percentiles(latencies: list[float]) -> dict[str, float]:
    return harness.percentiles(latencies) | {
        "requests": len(latencies),
        "max_ms": round(max(latencies), 1),
    }


async def _timed(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> float:
    began = time.perf_counter()
    response = await client.get(path, headers=headers)
    elapsed = (time.perf_counter() - began) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}: {response.text[:200]}")
    return elapsed


async def _measure(url: str, count: int, requests: int, concurrency: int) -> dict[str, Any]:
    seed_seconds = await _prepare(url, count)
    port = harness.free_port()
    server = harness.start_server(_server_env(url), port)
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=900) as client:
            await harness.wait_ready(port)
            headers, mandate_id = await _buyer_mandate(client)
            path = f"{API}/matches/mandates/{mandate_id}?limit=20"
            rss_before = round(harness.rss_mb(server.pid), 1)
            cold_ms = await _timed(client, path, headers)
            matches = (await client.get(path, headers=headers)).json()["data"]
            cpu_before = harness.cpu_seconds(server.pid)
            sequential = [await _timed(client, path, headers) for _ in range(requests)]
            cpu_ms = (harness.cpu_seconds(server.pid) - cpu_before) * 1000 / requests
            rss_after = round(harness.rss_mb(server.pid), 1)
            me = [await _timed(client, f"{API}/auth/me", headers) for _ in range(requests)]

            async def worker() -> list[float]:
                return [await _timed(client, path, headers) for _ in range(requests // concurrency)]

            parallel = [
                ms
                for batch in await asyncio.gather(*(worker() for _ in range(concurrency)))
                for ms in batch
            ]
    finally:
        server.terminate()
        server.wait(timeout=30)
    dimension = WordLlamaEmbedder.dimension
    return {
        "active_listings": count,
        "seed_seconds": round(seed_seconds, 1),
        "first_request_waits_for_index_ms": round(cold_ms, 1),
        "matches_returned": len(matches),
        "top_score": matches[0]["score"] if matches else None,
        "sequential": _percentiles(sequential),
        "server_cpu_ms_per_request": round(cpu_ms, 1),
        "baseline_auth_me": _percentiles(me),
        f"concurrent_{concurrency}": _percentiles(parallel),
        "vector_bytes_mb": round(count * dimension * 4 / 2**20, 1),
        "server_rss_mb_before_index": rss_before,
        "server_rss_mb_after": rss_after,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--postgres-url", default=None)
    args = parser.parse_args()
    results = []
    for count in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            url = args.postgres_url or f"sqlite+aiosqlite:///{folder}/bench.db"
            result = await _measure(url, count, args.requests, args.concurrency)
        result["database"] = "postgresql" if args.postgres_url else "sqlite"
        results.append(result)
        print(json.dumps(result), flush=True)
    machine = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_average": os.getloadavg(),
    }
    print(json.dumps({"machine": machine, "note": "2 cores shared with other test runs"}))


if __name__ == "__main__":
    asyncio.run(main())
