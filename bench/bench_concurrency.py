"""Many users at once on the embedded default: req/s and p50/p99 per endpoint at 1, 4 and 16
clients, on SQLite and/or PostgreSQL, with the longest `/health/live` answer meanwhile.

The server runs as `make run` starts it (development, one process, every background worker on:
the outbox worker, the WhatsApp sweep, the match index, the count flusher) on a database seeded
with `seed-demo` businesses. Each client is a closed loop for `--seconds`; a non-2xx answer is
counted as an error (the goal: none). A probe asks `/health/live` every 100 ms throughout.

    .venv/bin/python bench/bench_concurrency.py --database both --businesses 500
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import harness

from msmebazaar.shared.db import create_postgres_database, upgrade_database

API = "/api/v1"
DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/bench_concurrency"
CLIENTS = (1, 4, 16)
_phones = itertools.count(1)

Operation = Callable[[harness.Connection, int], Awaitable[list[int]]]


def new_phone() -> str:
    """A fresh Indian mobile number for each sign-up."""
    return f"+9197{next(_phones):08d}"


@dataclass
class Actors:
    """Who the clients act as: per client slot, an owner with a valued profile, and a buyer
    with a mandate; the active listings to send interests to."""

    owners: list[tuple[str, str]]  # token, msme id
    buyers: list[tuple[str, str]]  # token, mandate id
    listings: list[str]


async def _sign_in(connection: harness.Connection, role: str) -> str:
    phone = new_phone()
    _, requested = await connection.json("POST", f"{API}/auth/otp/request", {"phone": phone})
    code = requested["data"]["debug_code"]
    body = {"phone": phone, "code": code, "role": role, "name": "Bench User"}
    _, verified = await connection.json("POST", f"{API}/auth/otp/verify", body)
    return str(verified["data"]["access_token"])


async def _owner(connection: harness.Connection, sector: dict[str, Any]) -> tuple[str, str]:
    token = await _sign_in(connection, "msme_owner")
    profile = {
        "legal_name": "Bench Foods Private Limited",
        "legal_form": "private_limited",
        "sector": "food_processing",
        "state": "Maharashtra",
        "city": "Pune",
        "year_established": 2012,
        "employees": 40,
        "description": "Traditional snacks and namkeen made in our own licensed plant.",
    } | sector
    status, created = await connection.json("POST", f"{API}/msmes", profile, token)
    assert status == 201, created
    msme_id = created["data"]["id"]
    for year in ("2022-23", "2023-24", "2024-25"):
        figures = {"revenue": 8_00_00_000, "ebitda": 1_20_00_000, "net_profit": 60_00_000}
        status, body = await connection.json(
            "PUT", f"{API}/msmes/{msme_id}/financials/{year}", figures, token
        )
        assert status in (200, 201), body
    return token, msme_id


async def _all_listings(connection: harness.Connection) -> list[str]:
    # Every active listing: a buyer may send to one listing three times in all, so the
    # interest clients spread their sends over as many as there are.
    listings: list[str] = []
    for page in itertools.count(1):
        status, body = await connection.json("GET", f"{API}/listings?page_size=100&page={page}")
        assert status == 200, body
        listings += [item["id"] for item in body["data"]]
        if page >= body["pagination"]["pages"]:
            return listings
    return listings  # pragma: no cover - the loop returns


async def _actors(port: int) -> Actors:
    connection = await harness.Connection.open(port)
    try:
        owners = [await _owner(connection, {}) for _ in range(max(CLIENTS))]
        buyers = []
        for _ in range(max(CLIENTS)):
            token = await _sign_in(connection, "buyer")
            mandate = {
                "title": "Food processor in the west",
                "deal_types": ["full_sale", "stake_sale"],
                "sectors": ["food_processing"],
                "states": ["Maharashtra", "Gujarat"],
                "ticket_min": 50_00_000,
                "ticket_max": 50_00_00_000,
                "thesis": "Packaged snacks and namkeen makers with a distributor network",
            }
            status, created = await connection.json("POST", f"{API}/mandates", mandate, token)
            assert status == 201, created
            buyers.append((token, created["data"]["id"]))
        listings = await _all_listings(connection)
    finally:
        await connection.close()
    return Actors(owners, buyers, listings)


def _operations(actors: Actors) -> dict[str, Operation]:
    sent: dict[int, itertools.count[int]] = {}

    async def matches(connection: harness.Connection, slot: int) -> list[int]:
        token, mandate_id = actors.buyers[slot]
        status, _ = await connection.request(
            "GET", f"{API}/matches/mandates/{mandate_id}", token=token
        )
        return [status]

    async def card(connection: harness.Connection, slot: int) -> list[int]:
        listing = actors.listings[
            (slot * 7 + next(sent.setdefault(-1, itertools.count()))) % len(actors.listings)
        ]
        status, _ = await connection.request(
            "GET", f"{API}/listings/{listing}", token=actors.buyers[slot][0]
        )
        return [status]

    async def valuation(connection: harness.Connection, slot: int) -> list[int]:
        token, msme_id = actors.owners[slot]
        status, _ = await connection.request(
            "POST", f"{API}/valuations", {"msme_id": msme_id}, token
        )
        return [status]

    async def profile(connection: harness.Connection, slot: int) -> list[int]:
        token, msme_id = actors.owners[slot]
        body = {"description": f"Snacks made in our own plant, edit {time.monotonic_ns()}."}
        status, _ = await connection.request("PATCH", f"{API}/msmes/{msme_id}", body, token)
        return [status]

    async def interest(connection: harness.Connection, slot: int) -> list[int]:
        # Send, then withdraw: a buyer may send to one listing three times in all.
        token = actors.buyers[slot][0]
        turn = next(sent.setdefault(slot, itertools.count()))
        listing = actors.listings[turn % len(actors.listings)]
        body = {"message": "We would like to talk about this business."}
        status, created = await connection.json(
            "POST", f"{API}/listings/{listing}/interests", body, token
        )
        if status != 201:
            return [status]
        interest_id = created["data"]["id"]
        withdrawn, _ = await connection.request(
            "POST", f"{API}/interests/{interest_id}/withdraw", token=token
        )
        return [status, withdrawn]

    async def sign_in(connection: harness.Connection, _slot: int) -> list[int]:
        phone = new_phone()
        status, requested = await connection.json(
            "POST", f"{API}/auth/otp/request", {"phone": phone}
        )
        if status != 200:
            return [status]
        body = {"phone": phone, "code": requested["data"]["debug_code"], "role": "buyer"}
        verified, _ = await connection.request("POST", f"{API}/auth/otp/verify", body)
        return [status, verified]

    return {
        "GET /matches/mandates/{id}": matches,
        "GET /listings/{id}": card,
        "POST /valuations": valuation,
        "PATCH /msmes/{id}": profile,
        "POST /listings/{id}/interests (+ withdraw)": interest,
        "POST /auth/otp/request + verify": sign_in,
    }


async def _probe_live(port: int, stop: asyncio.Event) -> list[float]:
    connection = await harness.Connection.open(port)
    latencies = []
    try:
        while not stop.is_set():
            started = time.perf_counter()
            await connection.request("GET", "/health/live")
            latencies.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.1)
    finally:
        await connection.close()
    return latencies


async def _client(
    port: int, slot: int, operation: Operation, until: float, latencies: list[float]
) -> tuple[int, int]:
    connection = await harness.Connection.open(port)
    requests = errors = 0
    try:
        while time.monotonic() < until:
            started = time.perf_counter()
            statuses = await operation(connection, slot)
            latencies.append((time.perf_counter() - started) * 1000 / len(statuses))
            requests += len(statuses)
            errors += sum(1 for status in statuses if not 200 <= status < 300)
    finally:
        await connection.close()
    return requests, errors


async def _measure(port: int, operation: Operation, clients: int, seconds: float) -> dict[str, Any]:
    stop = asyncio.Event()
    probe = asyncio.create_task(_probe_live(port, stop))
    latencies: list[float] = []
    started = time.monotonic()
    until = started + seconds
    counts = await asyncio.gather(
        *(_client(port, slot, operation, until, latencies) for slot in range(clients))
    )
    elapsed = time.monotonic() - started
    stop.set()
    live = await probe
    requests, errors = sum(c[0] for c in counts), sum(c[1] for c in counts)
    return {
        "clients": clients,
        "req_per_s": round(requests / elapsed, 1),
        **harness.percentiles(latencies),
        "errors": errors,
        "requests": requests,
        "live_max_ms": round(max(live, default=0.0), 1),
    }


def _seed(url: str, businesses: int) -> None:
    env = {"DATABASE_URL": url, "ENVIRONMENT": "development"}
    subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "msmebazaar",
            "seed-demo",
            "--count",
            str(businesses),
            "--seed",
            "7",
        ],
        env=os.environ | env,
        check=True,
        capture_output=True,
    )


def run(
    name: str, url: str, businesses: int, seconds: float, clients: tuple[int, ...] = CLIENTS
) -> dict[str, Any]:
    """One database: seed, serve, and measure every endpoint at each client count."""
    if name == "postgres":
        asyncio.run(create_postgres_database(url))
        asyncio.run(harness.reset_postgres(url))
    upgrade_database(url)
    _seed(url, businesses)
    port = harness.free_port()
    env = {
        "ENVIRONMENT": "development",
        "DATABASE_URL": url,
        "REDIS_URL": "",
        "AUTH_OTP_ECHO": "true",
        "RATE_LIMIT_PER_MINUTE": "0",
        "MAX_IN_FLIGHT_PER_CLIENT": "0",  # every simulated user comes from one address
        "OTP_MAX_PER_IP_PER_HOUR": "10000000",
    }
    server = harness.start_server(env, port)
    try:
        asyncio.run(harness.wait_ready(port))
        actors = asyncio.run(_actors(port))
        table = []
        for endpoint, operation in _operations(actors).items():
            for count in clients:
                row = asyncio.run(_measure(port, operation, count, seconds))
                table.append({"endpoint": endpoint, **row})
                print(name, endpoint, row, flush=True)
        rss = harness.rss_mb(server.pid)
    finally:
        harness.stop_server(server)
    return {
        "database": name,
        "businesses": businesses,
        "seconds": seconds,
        "rss_mb": round(rss),
        "table": table,
    }


def _kept_half(table: list[dict[str, Any]]) -> list[str]:
    """Endpoints whose 16-client throughput fell below half of their 1-client throughput."""
    by = {(row["endpoint"], row["clients"]): row["req_per_s"] for row in table}
    return [
        endpoint
        for endpoint, clients in by
        if clients == 16 and (endpoint, 1) in by and by[(endpoint, 16)] < 0.5 * by[(endpoint, 1)]
    ]


def main() -> None:
    """Parse the arguments and run the benchmark per database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--businesses", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", type=int, nargs="+", default=list(CLIENTS))
    args = parser.parse_args()

    def one(name: str, url: str) -> dict[str, Any]:
        result = run(name, url, args.businesses, args.seconds, tuple(args.clients))
        result["below_half_at_16"] = _kept_half(result["table"])
        result["live_max_ms"] = max(row["live_max_ms"] for row in result["table"])
        result["median_p99_ms"] = statistics.median(row["p99_ms"] for row in result["table"])
        return result

    harness.report_per_database("concurrency", args.database, args.postgres_url, one)


if __name__ == "__main__":
    main()
