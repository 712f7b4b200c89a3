"""A rolling restart of the app's processes under steady traffic fails no request: `msmebazaar
serve` (uvicorn, on SIGHUP) starts each new worker and waits until it serves before retiring an
old one, which finishes what it has in hand. Every request here opens its own connection; the
server is real, on the run's database.

The one gap left is uvicorn's: a connection an old worker accepted just as it began to stop,
before reading its request, is closed unanswered. The client here does what the proxy in front
does for an idempotent request that got no answer (nginx's `proxy_next_upstream error`): sends
it once more. Every request must then succeed, and such retries stay rare."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
from collections import Counter

import httpx

from msmebazaar.shared.db import Database
from tests.proof.servers import free_port, start_app_server, wait_until_serving, worker_pids

CLIENTS = 6


async def _traffic(port: int, stop: asyncio.Event, outcomes: Counter[str]) -> None:
    limits = httpx.Limits(max_keepalive_connections=0)  # a new connection per request
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=10
    ) as client:
        while not stop.is_set():
            for attempt in ("first", "retry"):
                try:
                    response = await client.get("/api/v1/listings", params={"page_size": 5})
                except httpx.TransportError as exc:
                    outcomes[f"{attempt} {type(exc).__name__}"] += 1
                    continue
                outcomes[str(response.status_code)] += 1
                break


async def _replaced(server: subprocess.Popen[bytes], before: set[int]) -> bool:
    """Whether every worker of `before` was replaced by a new one within a minute."""
    for _ in range(300):
        now = worker_pids(server)
        if len(now) == len(before) and not now & before:
            return True
        await asyncio.sleep(0.2)
    return False


async def test_a_rolling_restart_under_traffic_fails_no_request(
    committed_url: str, committed_db: Database
) -> None:
    port = free_port()
    env = {
        "ENVIRONMENT": "testing",
        "DATABASE_URL": committed_url,
        "REDIS_URL": "",
        "RATE_LIMIT_PER_MINUTE": "0",
        "MAX_IN_FLIGHT_PER_CLIENT": "0",  # every simulated user comes from one address
        "LOG_LEVEL": "WARNING",
    }
    server = start_app_server(env, port, workers=2)
    try:
        await wait_until_serving(port)
        before = worker_pids(server)
        outcomes: Counter[str] = Counter()
        stop = asyncio.Event()
        clients = [asyncio.create_task(_traffic(port, stop, outcomes)) for _ in range(CLIENTS)]
        await asyncio.sleep(1)
        os.kill(server.pid, signal.SIGHUP)
        replaced = await _replaced(server, before)
        await asyncio.sleep(1)  # and some traffic on the new workers alone
        stop.set()
        await asyncio.gather(*clients)
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert replaced
    answered = {key for key in outcomes if not key.startswith("first ")}
    assert answered == {"200"}, outcomes  # nothing failed twice, nothing answered 5xx
    assert outcomes["200"] > 50
    assert sum(outcomes.values()) - outcomes["200"] <= 5, outcomes  # retries stay rare
