"""The load test's Markdown report: throughput and p50/p95/p99 per endpoint group against the
targets, per-endpoint detail, and `wrk`'s connection-holding figures.

Reads what bench/locust/run.py leaves in each run's folder: `samples.csv` (every request's group,
milliseconds and failure, written by the locustfile), `locust_stats.csv` (Locust's own table)
and `meta.json`. Several runs give medians across runs.

    .venv/bin/python bench/load_report.py bench/results/load/run-1 [run-2 ...]
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

# p99 targets in milliseconds (the seed's promises; admin's from its own issue).
TARGETS_MS = {
    "auth": 200,
    "profile": 300,
    "browse": 300,
    "interest": 300,
    "match": 500,
    "valuation": 1000,
    "admin": 200,
    "health": 50,
}
REQUESTS_PER_HOUR_TARGET = 100_000


def percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted values."""
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def group_figures(run: Path, *, steady: bool = False) -> dict[str, dict[str, float]]:
    """Per group: requests, failures, requests/s, p50/p95/p99 (ms), from one run's samples;
    `steady` keeps only what was sent once the ramp-up was over (see `steady_from`)."""
    timings: dict[str, list[float]] = defaultdict(list)
    failures: dict[str, int] = defaultdict(int)
    meta = json.loads((run / "meta.json").read_text())
    since = steady_from(meta) if steady else 0.0
    with (run / "samples.csv").open() as handle:
        for row in csv.DictReader(handle):
            if float(row.get("t") or 0.0) < since:
                continue
            timings[row["group"]].append(float(row["ms"]))
            failures[row["group"]] += int(row["failed"])
    seconds = float(meta["duration_s"]) - since
    figures = {}
    for group, values in timings.items():
        values.sort()
        figures[group] = {
            "requests": len(values),
            "failures": failures[group],
            "rps": len(values) / seconds,
            "p50": percentile(values, 0.50),
            "p95": percentile(values, 0.95),
            "p99": percentile(values, 0.99),
        }
    every = sorted(v for values in timings.values() for v in values)
    figures["all"] = {
        "requests": len(every),
        "failures": sum(failures.values()),
        "rps": len(every) / seconds,
        "p50": percentile(every, 0.50),
        "p95": percentile(every, 0.95),
        "p99": percentile(every, 0.99),
    }
    return figures


def steady_from(meta: dict[str, Any]) -> float:
    """Seconds into a run from which it is in steady state: every user spawned (each signs in
    and sets up on arrival, a burst no real day has) plus 5 s for the burst to drain."""
    return float(meta.get("ramp_s", 0.0)) + 5.0


def _median_of(runs: list[dict[str, dict[str, float]]], group: str, key: str) -> float:
    values = [run[group][key] for run in runs if group in run]
    return statistics.median(values) if values else math.nan


def parse_wrk(output: str, connections: int) -> dict[str, Any]:
    """The figures of one `wrk --latency` run."""

    def number(pattern: str) -> float:
        found = re.search(pattern, output)
        return float(found.group(1)) if found else 0.0

    def millis(label: str) -> float:
        found = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        if not found:
            return math.nan
        scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]
        return float(found.group(1)) * scale

    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "connections": connections,
        "requests": int(number(r"(\d+) requests in")),
        "rps": number(r"Requests/sec:\s+([\d.]+)"),
        "p50": millis("50"),
        "p90": millis("90"),
        "p99": millis("99"),
        "socket_errors": dict(
            zip(("connect", "read", "write", "timeout"), map(int, errors.groups()), strict=True)
        )
        if errors
        else {},
        "non_2xx": int(number(r"Non-2xx or 3xx responses:\s+(\d+)")),
        "statuses": {
            status: int(count)
            for status, count in re.findall(r"^status (\d+): (\d+)$", output, re.M)
        },
    }


def _groups_table(runs: list[dict[str, dict[str, float]]]) -> list[str]:
    lines = [
        "| group | requests | failures | req/s | p50 ms | p95 ms | p99 ms | p99 target | met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    groups = [*sorted({group for run in runs for group in run} - {"all"}), "all"]
    for group in groups:
        p99 = _median_of(runs, group, "p99")
        target = TARGETS_MS.get(group)
        met = "" if target is None else ("yes" if p99 <= target else "**no**")
        lines.append(
            f"| {group} | {_median_of(runs, group, 'requests'):.0f} "
            f"| {_median_of(runs, group, 'failures'):.0f} "
            f"| {_median_of(runs, group, 'rps'):.1f} | {_median_of(runs, group, 'p50'):.0f} "
            f"| {_median_of(runs, group, 'p95'):.0f} | {p99:.0f} "
            f"| {target if target is not None else '—'} | {met} |"
        )
    return lines


def _endpoint_table(run: Path) -> list[str]:
    lines = [
        "| endpoint | requests | failures | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    with (run / "locust_stats.csv").open() as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                continue
            lines.append(
                f"| {row['Type']} {row['Name']} | {row['Request Count']} | {row['Failure Count']} "
                f"| {row['50%']} | {row['95%']} | {row['99%']} |"
            )
    return lines


def _wrk_table(metas: list[dict[str, Any]]) -> list[str]:
    by_connections: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for meta in metas:
        for result in meta.get("wrk", []):
            by_connections[int(result["connections"])].append(result)
    if not by_connections:
        return ["(not run: pass `--wrk`)"]
    lines = [
        "| connections | requests | req/s | p50 ms | p90 ms | p99 ms | socket errors | non-2xx "
        "| statuses (first run) |",
        "|---:|---:|---:|---:|---:|---:|---|---:|---|",
    ]
    for connections, results in sorted(by_connections.items()):
        med = {
            key: statistics.median(r[key] for r in results)
            for key in ("requests", "rps", "p50", "p90", "p99", "non_2xx")
        }
        errors = ", ".join(
            f"{name} {statistics.median(r['socket_errors'].get(name, 0) for r in results):.0f}"
            for name in ("connect", "read", "write", "timeout")
        )
        statuses = ", ".join(
            f"{status}: {count}" for status, count in sorted(results[0].get("statuses", {}).items())
        )
        lines.append(
            f"| {connections:,} | {med['requests']:.0f} | {med['rps']:.0f} | {med['p50']:.1f} "
            f"| {med['p90']:.1f} | {med['p99']:.1f} | {errors} | {med['non_2xx']:.0f} "
            f"| {statuses} |"
        )
    return lines


def profile_summary(run: Path, top: int = 15) -> list[str]:
    """The app's own functions where the workers spent their samples (py-spy, collapsed
    stacks): inclusive share of all samples, and the self share of the hottest leaves."""
    inclusive: dict[str, int] = defaultdict(int)
    leaves: dict[str, int] = defaultdict(int)
    total = 0
    for path in sorted(run.glob("profile-*.txt")):
        for line in path.read_text().splitlines():
            stack, _, count_text = line.rpartition(" ")
            if not stack:
                continue
            count = int(count_text)
            total += count
            frames = [frame.split(" (", 1)[0] + _where(frame) for frame in stack.split(";")]
            for frame in set(frames):
                inclusive[frame] += count
            leaves[frames[-1]] += count
    if not total:
        return ["(not profiled: pass `--profile SECONDS`)"]
    ours = sorted(((n, f) for f, n in inclusive.items() if "msmebazaar/" in f), reverse=True)[:top]
    hottest = sorted(((n, f) for f, n in leaves.items()), reverse=True)[:top]
    lines = [f"{total:,} samples. Inclusive, the app's own functions:", ""]
    lines += [f"- {100 * n / total:.1f}% `{frame}`" for n, frame in ours]
    lines += ["", "Self time, any code (where the CPU actually was):", ""]
    lines += [f"- {100 * n / total:.1f}% `{frame}`" for n, frame in hottest]
    return lines


def _where(frame: str) -> str:
    found = re.search(r"\((?:.*/site-packages/|.*/src/)?([^:)]+)", frame)
    return f" ({found.group(1)})" if found else ""


def _cpu_lines(runs: list[dict[str, dict[str, float]]], metas: list[dict[str, Any]]) -> list[str]:
    """App CPU per request and the machine's load, when the run recorded them."""
    pairs = [
        (meta["worker_cpu_s"], run["all"]["requests"], meta.get("load_average", []))
        for run, meta in zip(runs, metas, strict=True)
        if "worker_cpu_s" in meta and run["all"]["requests"]
    ]
    if not pairs:
        return []
    per_request = statistics.median(1000 * cpu / count for cpu, count, _ in pairs)
    loads = "; ".join(" → ".join(f"{value:.1f}" for value in load) for _, _, load in pairs)
    return [
        f"App CPU per request: **{per_request:.1f} ms** (all workers' CPU / requests, median). "
        f"Load average (1 min, start → end of each run): {loads} on {os.cpu_count()} cores.",
        "",
    ]


def render(run_folders: list[Path]) -> str:
    """The report for one or more runs (medians across runs)."""
    runs = [group_figures(folder) for folder in run_folders]
    steady_runs = [group_figures(folder, steady=True) for folder in run_folders]
    metas = [json.loads((folder / "meta.json").read_text()) for folder in run_folders]
    meta = metas[0]
    total_rps = _median_of(runs, "all", "rps")
    lines = [
        "# Load test",
        "",
        f"{len(runs)} run(s), medians across runs. {meta['users']} simulated users for "
        f"{meta['duration_s']} s each, against {meta['workers']} app processes on PostgreSQL "
        f"and Redis, {meta['seeded']:,} seeded businesses.",
        "",
        f"Throughput: **{total_rps:.1f} req/s** = {total_rps * 3600:,.0f} requests/hour "
        f"(target {REQUESTS_PER_HOUR_TARGET:,}/hour: "
        f"{'met' if total_rps * 3600 >= REQUESTS_PER_HOUR_TARGET else '**not met**'}).",
        "",
        *_cpu_lines(runs, metas),
        "## Per endpoint group (p99 against the target)",
        "",
        "The whole run, ramp-up included (every user signs in and sets up as it arrives):",
        "",
        *_groups_table(runs),
        "",
        f"Steady state: requests sent from {steady_from(meta):.0f} s on, once every user had "
        "arrived (sign-ins go on throughout: visitors sign up):",
        "",
        *_groups_table(steady_runs),
        "",
        "## Per endpoint (first run)",
        "",
        *_endpoint_table(run_folders[0]),
        "",
        "## Keep-alive connections held by wrk (`GET /api/v1/listings`)",
        "",
        *_wrk_table(metas),
        "",
        "## Where the app processes spent their time (first run)",
        "",
        *profile_summary(run_folders[0]),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(render([Path(arg) for arg in sys.argv[1:]]))
