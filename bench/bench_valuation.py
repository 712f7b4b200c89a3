"""Valuation speed: valuations/second in-process, and POST /valuations p50/p99 at 20 concurrent
clients against a real uvicorn on 127.0.0.1 (global rate limit off); the PDF report separately.

    .venv/bin/python bench/bench_valuation.py                      # SQLite (embedded default)
    .venv/bin/python bench/bench_valuation.py --postgres-url postgresql+asyncpg://postgres@127.0.0.1:5432/bench_valuation

Targets (issue 5): p99 < 1000 ms (seed), aim < 50 ms without the PDF and < 300 ms for the PDF.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import harness

from msmebazaar.shared.db import upgrade_database
from msmebazaar.valuation.data import load_data
from msmebazaar.valuation.engine import EngineInput, YearFigures, value_business
from msmebazaar.valuation.presenter import result_json
from msmebazaar.valuation.report import render_report
from msmebazaar.valuation.valuations import new_valuation

CLIENTS = 20
SECTORS = sorted(load_data().sectors)


def _year(start: int, revenue: int, margin: int) -> dict[str, Any]:
    return {
        "fiscal_year": f"{start}-{(start + 1) % 100:02d}",
        "revenue": revenue,
        "ebitda": revenue * margin // 100,
        "net_profit": revenue * margin // 200,
        "total_assets": revenue // 2,
        "total_liabilities": revenue // 4,
        "cash": revenue // 20,
        "debt": revenue // 6,
        "owner_salary": 18_00_000,
    }


def body(index: int) -> dict[str, Any]:
    """A varied ad hoc request: sector, size, margin and history change with `index`."""
    revenue = 50_00_000 + (index * 7_919_113) % 400_00_00_000
    margin = (index % 30) - 5
    years = 1 + index % 5
    return {
        "sector": SECTORS[index % len(SECTORS)],
        "financials": [
            _year(2024 - back, revenue * (10 - back) // 10, margin) for back in range(years)
        ],
    }


def in_process(seconds: float = 3.0) -> dict[str, float]:
    """Engine throughput (and with the storage snapshot) in this process, one core."""
    data = load_data()
    inputs = [
        EngineInput(
            sector=b["sector"],
            years=tuple(YearFigures(**year) for year in b["financials"]),
        )
        for b in (body(i) for i in range(500))
    ]
    count, began = 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        result_json(value_business(inputs[count % len(inputs)], data), None)
        count += 1
    elapsed = time.perf_counter() - began
    return {
        "valuations": count,
        "seconds": round(elapsed, 2),
        "per_second": round(count / elapsed, 1),
        "pdf_render_ms_median": _pdf_render_ms(inputs[:20]),
    }


def _pdf_render_ms(inputs: list[EngineInput]) -> float:
    """Median time to render the PDF report of a stored valuation, in this process."""
    data, timings = load_data(), []
    for one in inputs:
        result = value_business(one, data)
        valuation = new_valuation(None, uuid.uuid4(), one, result, None)
        began = time.perf_counter()
        render_report(valuation, "en", business_name="Bench Foods")
        timings.append((time.perf_counter() - began) * 1000)
    return round(statistics.median(timings), 1)


async def _ok_json(
    connection: harness.Connection, method: str, path: str, payload: Any = None, token: str = ""
) -> Any:
    status, raw = await connection.request(method, path, payload, token)
    if not 200 <= status < 300:
        raise RuntimeError(f"{method} {path}: {status} {raw[:300]!r}")
    return json.loads(raw)


async def _sign_in(connection: harness.Connection, index: int) -> str:
    phone = f"+9197{index:08d}"
    sent = await _ok_json(connection, "POST", "/api/v1/auth/otp/request", {"phone": phone})
    code = sent["data"]["debug_code"]
    verified = await _ok_json(
        connection,
        "POST",
        "/api/v1/auth/otp/verify",
        {"phone": phone, "code": code, "role": "buyer"},
    )
    return str(verified["data"]["access_token"])


def _summary(name: str, latencies: list[float], seconds: float, errors: int) -> dict[str, Any]:
    return {
        "endpoint": name,
        "requests": len(latencies),
        "errors": errors,
        **harness.percentiles(latencies),
        "throughput_rps": round(len(latencies) / seconds, 1),
    }


async def _drive(
    name: str, pairs: list[tuple[harness.Connection, str]], jobs: list[tuple[str, str, Any]]
) -> dict[str, Any]:
    latencies: list[float] = []
    failures: list[str] = []
    queue = iter(jobs)

    async def loop(connection: harness.Connection, token: str) -> None:
        for method, path, payload in queue:
            began = time.perf_counter()
            status, raw = await connection.request(method, path, payload, token)
            latencies.append((time.perf_counter() - began) * 1000)
            if not 200 <= status < 300:
                code = json.loads(raw).get("error", {}).get("code") if raw else None
                failures.append(f"{status} {code}")

    began = time.perf_counter()
    await asyncio.gather(*(loop(connection, token) for connection, token in pairs))
    summary = _summary(name, latencies, time.perf_counter() - began, len(failures))
    summary["error_codes"] = {code: failures.count(code) for code in sorted(set(failures))}
    return summary


async def over_http(database_url: str, requests: int, reports: int) -> list[dict[str, Any]]:
    port = harness.free_port()
    env = {
        "ENVIRONMENT": "development",
        "REDIS_URL": "",
        "DATABASE_URL": database_url,
        "AUTH_OTP_ECHO": "true",
        "RATE_LIMIT_PER_MINUTE": "0",
        "MAX_IN_FLIGHT_PER_CLIENT": "0",  # every simulated user comes from one address
        "OTP_MAX_PER_IP_PER_HOUR": "100000000",
    }
    server = harness.start_server(env, port)
    try:
        await harness.wait_ready(port)
        connections = [await harness.Connection.open(port) for _ in range(CLIENTS)]
        tokens = [await _sign_in(c, i) for i, c in enumerate(connections)]
        pairs = list(zip(connections, tokens, strict=True))
        warm = [("POST", "/api/v1/valuations", body(i)) for i in range(CLIENTS * 2)]
        await _drive("warm-up", pairs, warm)
        jobs = [("POST", "/api/v1/valuations", body(i)) for i in range(requests)]
        posted = await _drive("POST /valuations", pairs, jobs)
        ids = []
        for index, (connection, token) in enumerate(pairs):
            created = await _ok_json(connection, "POST", "/api/v1/valuations", body(index), token)
            ids.append(created["data"]["id"])
        pdf = await _drive_own(pairs, ids, reports)
        single = await _drive_own(pairs[:1], ids[:1], 30)
        single["endpoint"] += " (one client at a time)"
        for connection in connections:
            await connection.close()
        return [posted, pdf, single]
    finally:
        harness.stop_server(server)


async def _drive_own(
    pairs: list[tuple[harness.Connection, str]], ids: list[str], total: int
) -> dict[str, Any]:
    """Each client fetches the PDF of a valuation it created (reports are private)."""
    latencies: list[float] = []
    errors = 0
    per_client = max(1, total // len(pairs))

    async def loop(connection: harness.Connection, token: str, valuation_id: str) -> None:
        nonlocal errors
        for _ in range(per_client):
            began = time.perf_counter()
            status, _ = await connection.request(
                "GET", f"/api/v1/valuations/{valuation_id}/report.pdf", None, token
            )
            latencies.append((time.perf_counter() - began) * 1000)
            errors += status != 200

    began = time.perf_counter()
    await asyncio.gather(*(loop(c, t, i) for (c, t), i in zip(pairs, ids, strict=True)))
    return _summary(
        "GET /valuations/{id}/report.pdf", latencies, time.perf_counter() - began, errors
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres-url", help="Benchmark on this PostgreSQL (schema dropped!).")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--out", default="bench/results/bench_valuation.json")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "clients": CLIENTS,
        "in_process": in_process(),
    }
    with tempfile.TemporaryDirectory() as folder:
        url = args.postgres_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        if args.postgres_url:
            asyncio.run(harness.reset_postgres(url))
        upgrade_database(url)
        results["database"] = "postgresql" if args.postgres_url else "sqlite"
        results["http"] = asyncio.run(over_http(url, args.requests, args.reports))
    print(json.dumps(results, indent=2))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
