"""Admin analytics speed: p50/p99 of `GET /admin/analytics/overview` with 100,000 listings.

A fresh database (SQLite file, or PostgreSQL with --postgres-url) is migrated, seeded by bulk
SQL inserts (not the API), then vacuumed and analysed as autovacuum would leave it: users
signing up over the past year (owners, buyers, investors, a few suspended), one profile per
listing, the listings (mostly active, every status and deal type, some of suspended owners),
interests, valuations, mandates and match counts. A real uvicorn process serves the auth and
admin services on 127.0.0.1; an admin (stored first, as by the CLI) signs in through the API.
The overview is then timed one request after another and `--concurrency` clients at a time:
computed on every request (`fresh=true`: the queries themselves) for the default 30 days and for
a whole year, and as served (kept up to a minute in the cache), with `GET /auth/me` as a
baseline for the machine's load. A request answered with anything but 200 counts as an error.

    .venv/bin/python bench/bench_admin.py --postgres-url \\
        postgresql+asyncpg://postgres@127.0.0.1:5432/test_admin
    .venv/bin/python bench/bench_admin.py --listings 10000          # SQLite
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
from datetime import date, timedelta
from typing import Any

import harness
import httpx
from sqlalchemy import insert, text

from msmebazaar.auth.models import User
from msmebazaar.match.models import Mandate, MatchServed
from msmebazaar.msme.models import Interest, Listing, Msme
from msmebazaar.msme.service import SECTORS
from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.db import create_engine, upgrade_database, utcnow
from msmebazaar.shared.india import STATE_NAMES
from msmebazaar.valuation.models import Valuation

API = "/api/v1"
CHUNK = 5000
ADMIN_PHONE = "+919000000001"
STATUSES = ("active", "draft", "submitted", "rejected", "closed")
DEAL_TYPES = ("full_sale", "stake_sale", "investment", "debt")


def _user(number: int, role: str, rng: random.Random) -> dict[str, Any]:
    created = utcnow() - timedelta(minutes=rng.randrange(365 * 24 * 60))
    return {
        "id": uuid.uuid4(),
        "phone": f"+9191{number:08d}",
        "name": f"Bench User {number}",
        "role": role,
        "status": "suspended" if rng.random() < 0.01 else "active",
        "language": "en",
        "created_at": created,
        "updated_at": created,
    }


def _profile(owner: dict[str, Any], number: int, rng: random.Random) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "owner_id": owner["id"],
        "legal_name": f"Bench Enterprise {number}",
        "legal_form": "private_limited",
        "sector": rng.choice([sector.code for sector in SECTORS]),
        "state": rng.choice(STATE_NAMES),
        "classification": "micro",
        "verification_status": rng.choices(("verified", "pending", "rejected"), (7, 2, 1))[0],
        "deleted_at": owner["created_at"] if rng.random() < 0.02 else None,
        "version": 1,
        "created_at": owner["created_at"],
        "updated_at": owner["created_at"],
    }


def _listing(profile: dict[str, Any], owner: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    status = rng.choices(STATUSES, (85, 5, 4, 2, 4))[0]
    published = owner["created_at"] if status in ("active", "closed") else None
    return {
        "id": uuid.uuid4(),
        "msme_id": profile["id"],
        "owner_id": owner["id"],
        "deal_type": rng.choice(DEAL_TYPES),
        "asking_price": rng.randint(20, 5000) * 100_000,
        "stake_percent": 26.0,
        "anonymous": True,
        "headline": "An established business for sale",
        "summary": "Steady customers, a trained team and its own premises.",
        "status": status,
        "sector": profile["sector"],
        "state": profile["state"],
        "revenue": rng.randint(50, 5000) * 100_000,
        "ebitda": rng.randint(-5, 25) * 100_000,
        "views_count": 0,
        "interests_count": 0,
        "published_at": published,
        "owner_suspended": owner["status"] == "suspended",
        "version": 1,
        "created_at": owner["created_at"],
        "updated_at": owner["created_at"],
    }


def _interest(listing: dict[str, Any], buyer: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    status = rng.choices(("pending", "accepted", "declined", "withdrawn"), (4, 2, 3, 1))[0]
    sent = utcnow() - timedelta(minutes=rng.randrange(300 * 24 * 60))
    return {
        "id": uuid.uuid4(),
        "listing_id": listing["id"],
        "buyer_id": buyer["id"],
        "message": "We would like to know more.",
        "status": status,
        "decided_at": sent + timedelta(hours=6) if status != "pending" else None,
        "created_at": sent,
        "updated_at": sent,
    }


def _valuation(profile: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "msme_id": profile["id"],
        "created_by": profile["owner_id"],
        "sector": profile["sector"],
        "currency": "INR",
        "low": 1,
        "base": 2,
        "high": 3,
        "confidence": 0.5,
        "method_mix": "ebitda",
        "data_version": "bench",
        "engine_version": "1",
        "inputs": {},
        "result": {},
        "created_at": utcnow() - timedelta(minutes=rng.randrange(365 * 24 * 60)),
    }


def _mandate(owner: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "owner_id": owner["id"],
        "title": "Bench mandate",
        "deal_types": ["full_sale"],
        "sectors": [],
        "exclude_sectors": [],
        "states": [],
        "ebitda_positive_only": False,
        "thesis": "",
        "active": rng.random() < 0.8,
        "public_profile": False,
        "version": 1,
        "created_at": owner["created_at"],
        "updated_at": owner["created_at"],
    }


def _served(today: date) -> list[dict[str, Any]]:
    return [
        {"day": today - timedelta(days=back), "direction": direction, "bucket": bucket,
         "requests": 50, "matches": 900}
        for back in range(365)
        for direction in ("mandate", "listing")
        for bucket in range(8)
    ]  # fmt: skip


def _rows(count: int, rng: random.Random) -> list[tuple[Any, list[dict[str, Any]]]]:
    owners = [_user(n, "msme_owner", rng) for n in range(count)]
    buyers = [_user(count + n, rng.choice(("buyer", "investor")), rng) for n in range(count // 5)]
    admin = _user(0, "admin", rng) | {"phone": ADMIN_PHONE, "status": "active"}
    profiles = [_profile(owner, n, rng) for n, owner in enumerate(owners)]
    listings = [_listing(p, o, rng) for p, o in zip(profiles, owners, strict=True)]
    open_listings = [x for x in listings if x["status"] in ("active", "closed")]
    pairs = {
        (rng.randrange(len(open_listings)), rng.randrange(len(buyers))) for _ in range(count // 2)
    }
    interests = [_interest(open_listings[i], buyers[b], rng) for i, b in pairs]
    valuations = [_valuation(rng.choice(profiles), rng) for _ in range(count // 5)]
    mandates = [_mandate(rng.choice(buyers), rng) for _ in range(count // 20)]
    return [
        (User, [*owners, *buyers, admin]),
        (Msme, profiles),
        (Listing, listings),
        (Interest, interests),
        (Valuation, valuations),
        (Mandate, mandates),
        (MatchServed, _served(utcnow().date())),
    ]  # fmt: skip


async def _prepare(url: str, count: int) -> dict[str, int]:
    """Migrate and seed; return how many rows of each table were stored."""
    if url.startswith("postgresql"):
        await harness.reset_postgres(url)
    upgrade_database(url)
    # No statement timeout: loading and vacuuming 100,000 rows takes longer than a request may.
    engine = create_engine(DatabaseSettings(url=url, statement_timeout_ms=0))
    stored: dict[str, int] = {}
    async with engine.begin() as connection:
        for model, rows in _rows(count, random.Random(count)):
            for start in range(0, len(rows), CHUNK):
                await connection.execute(insert(model), rows[start : start + CHUNK])
            stored[model.__tablename__] = len(rows)
    # A steady state, as autovacuum keeps it: planner statistics, and (PostgreSQL) the
    # visibility map that lets index-only scans skip the table.
    maintenance = "VACUUM ANALYZE" if url.startswith("postgresql") else "ANALYZE"
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text(maintenance))
    await engine.dispose()
    return stored


def _server_env(url: str) -> dict[str, str]:
    return {
        "ENVIRONMENT": "development",
        "DATABASE_URL": url,
        "REDIS_URL": "",
        "AUTH_OTP_ECHO": "true",
        "RATE_LIMIT_PER_MINUTE": "0",
        "MAX_IN_FLIGHT_PER_CLIENT": "0",  # every simulated user comes from one address
        "OUTBOX_WORKER_EMBEDDED": "false",
    }


async def _admin_headers(client: httpx.AsyncClient) -> dict[str, str]:
    code = (await client.post(f"{API}/auth/otp/request", json={"phone": ADMIN_PHONE})).json()
    verified = await client.post(
        f"{API}/auth/otp/verify",
        json={"phone": ADMIN_PHONE, "code": code["data"]["debug_code"]},
    )
    return {"Authorization": f"Bearer {verified.json()['data']['access_token']}"}


async def _timed(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> float:
    """Milliseconds to answer; negative when the answer was not a 200 (counted as an error)."""
    began = time.perf_counter()
    response = await client.get(path, headers=headers)
    elapsed = (time.perf_counter() - began) * 1000
    return elapsed if response.status_code == 200 else -elapsed


def _figures(timings: list[float]) -> dict[str, float]:
    latencies = [abs(ms) for ms in timings]
    return harness.percentiles(latencies) | {
        "requests": len(latencies),
        "errors": sum(ms < 0 for ms in timings),
        "max_ms": round(max(latencies), 1),
    }


async def _series(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], requests: int, concurrency: int
) -> dict[str, Any]:
    await _timed(client, path, headers)  # warm the pool and the planner's caches
    sequential = [await _timed(client, path, headers) for _ in range(requests)]

    async def worker() -> list[float]:
        return [await _timed(client, path, headers) for _ in range(requests // concurrency)]

    batches = await asyncio.gather(*(worker() for _ in range(concurrency)))
    return {
        "sequential": _figures(sequential),
        f"concurrent_{concurrency}": _figures([ms for batch in batches for ms in batch]),
    }


async def _measure(url: str, count: int, requests: int, concurrency: int) -> dict[str, Any]:
    began = time.perf_counter()
    stored = await _prepare(url, count)
    seed_seconds = time.perf_counter() - began
    port = harness.free_port()
    server = harness.start_server(_server_env(url), port, services="auth,admin")
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            await harness.wait_ready(port)
            headers = await _admin_headers(client)
            overview = f"{API}/admin/analytics/overview"
            year_from = (utcnow().date() - timedelta(days=364)).isoformat()
            sample = (await client.get(overview, headers=headers)).json()["data"]
            paths = {
                "overview_30_days_computed": f"{overview}?fresh=true",
                "overview_30_days_served": overview,
                "overview_365_days_computed": f"{overview}?fresh=true&from={year_from}",
                "baseline_auth_me": f"{API}/auth/me",
            }
            results = {
                name: await _series(client, path, headers, requests, concurrency)
                for name, path in paths.items()
            }
    finally:
        harness.stop_server(server)
    return {
        "rows": stored,
        "seed_seconds": round(seed_seconds, 1),
        "active_listings": sample["deal_flow"]["active_listings"],
        "deal_flow": sample["deal_flow"]["asking_value_text"],
        "funnel_30_days": {k: v for k, v in sample["funnel"].items() if k != "definition"},
        **results,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--postgres-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.postgres_url or f"sqlite+aiosqlite:///{folder}/bench.db"
        result = await _measure(url, args.listings, args.requests, args.concurrency)
    result["database"] = "postgresql" if args.postgres_url else "sqlite"
    print(json.dumps(result), flush=True)
    machine = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_average": os.getloadavg(),
    }
    print(json.dumps({"machine": machine, "note": "2 cores shared with other runs"}))


if __name__ == "__main__":
    asyncio.run(main())
