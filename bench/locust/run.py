"""`make bench`: the load test end to end, on PostgreSQL + Redis with two app processes.

1. Resets the bench database, migrates it, seeds demo businesses (`seed-demo`) and an admin.
2. Starts the app under uvicorn with `--workers 2`, configured for a load test: the per-IP
   limits lifted (all traffic comes from 127.0.0.1), codes echoed so simulated users can sign
   in, no SMS worker.
3. Runs the Locust scenario (bench/locust/locustfile.py) headless for a fixed time.
4. Optionally holds 2,000 and 10,000 keep-alive connections with `wrk` on a read endpoint.
5. Writes the Markdown report (bench/load_report.py) to `--out` and prints it.

    .venv/bin/python bench/locust/run.py --users 200 --duration 60 [--wrk] [--runs 3]

BENCH_DATABASE_URL (default postgresql+asyncpg://postgres@127.0.0.1:5432/msmebazaar_bench, which
is reset: never point it at data you keep) and BENCH_REDIS_URL (default db 13) choose the servers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

from msmebazaar.shared.db import create_postgres_database

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH))

import harness  # noqa: E402 - bench/ is where the shared harness lives
import load_report  # noqa: E402

ADMIN_PHONE = "+919000000001"
DEFAULT_DB = "postgresql+asyncpg://postgres@127.0.0.1:5432/msmebazaar_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"
WRK_PATH = "/api/v1/listings?sort=newest&page_size=20"


def _cli(env: dict[str, str], *arguments: str) -> None:
    command = [sys.executable, "-m", "msmebazaar", *arguments]
    subprocess.run(command, env=os.environ | env, check=True, capture_output=True)  # noqa: S603


def prepare(database_url: str, redis_url: str, env: dict[str, str], count: int) -> None:
    """Fresh schema, demo businesses, an admin; an empty Redis database."""
    asyncio.run(create_postgres_database(database_url))
    asyncio.run(harness.reset_postgres(database_url))
    redis.Redis.from_url(redis_url).flushdb()
    _cli(env, "migrate")
    _cli(env, "seed-demo", "--count", str(count), "--seed", "7")
    _cli(env, "create-admin", "--phone", ADMIN_PHONE, "--name", "Bench Admin")


def run_locust(port: int, users: int, duration: int, out: Path) -> None:
    """The scenario, headless, its CSV and raw samples under `out`."""
    command = [
        sys.executable, "-m", "locust",
        "-f", str(BENCH / "locust" / "locustfile.py"),
        "--headless", "--only-summary", "--loglevel", "WARNING",
        "--users", str(users), "--spawn-rate", str(spawn_rate(users)),
        "--run-time", f"{duration}s", "--stop-timeout", "10",
        "--host", f"http://127.0.0.1:{port}",
        "--csv", str(out / "locust"),
    ]  # fmt: skip
    env = os.environ | {
        "BENCH_ADMIN_PHONE": ADMIN_PHONE,
        "BENCH_SAMPLES": str(out / "samples.csv"),
    }
    subprocess.run(command, env=env, check=False, stdout=subprocess.DEVNULL)  # noqa: S603


def spawn_rate(users: int) -> int:
    """Users started per second: all of them within about 10 s."""
    return max(1, users // 10)


def _raise_open_files() -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def run_wrk(port: int, connections: int, duration: int) -> dict[str, object]:
    """`wrk` holding `connections` keep-alive connections on a read endpoint."""
    command = [
        "wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--latency",
        "--timeout", "10s", "-s", str(BENCH / "locust" / "wrk_statuses.lua"),
        f"http://127.0.0.1:{port}{WRK_PATH}",
    ]  # fmt: skip
    done = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, check=False, preexec_fn=_raise_open_files
    )
    return load_report.parse_wrk(done.stdout + done.stderr, connections)


def worker_pids(server_pid: int) -> list[str]:
    """The uvicorn worker processes under the supervisor."""
    return subprocess.run(  # noqa: S603
        ["/usr/bin/pgrep", "-P", str(server_pid)], capture_output=True, text=True, check=False
    ).stdout.split()


def workers_cpu(pids: list[str]) -> float:
    """CPU seconds the workers have used so far (gone workers count 0)."""
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            total += harness.cpu_seconds(int(pid))
    return total


def start_profiles(server_pid: int, seconds: int, out: Path) -> list[subprocess.Popen[bytes]]:
    """py-spy on every app worker for `seconds`, collapsed stacks into `out`."""
    workers = worker_pids(server_pid)
    spy = str(Path(sys.executable).with_name("py-spy"))
    profiles = []
    for pid in workers:
        command = [
            spy, "record", "--pid", pid, "--duration", str(seconds), "--rate", "67",
            "--format", "raw", "--nonblocking", "--output", str(out / f"profile-{pid}.txt"),
        ]  # fmt: skip
        profiles.append(
            subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        )
    return profiles


def one_run(args: argparse.Namespace, out: Path) -> None:
    """Prepare, serve, load, measure, stop; the results land in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mb-bench-") as storage:
        env = harness.load_env(args.database_url, args.redis_url, Path(storage))
        prepare(args.database_url, args.redis_url, env, args.seed_count)
        port = harness.free_port()
        _raise_open_files()
        server = harness.start_server(env, port, workers=args.workers)
        try:
            asyncio.run(harness.wait_ready(port))
            started, pids = time.monotonic(), worker_pids(server.pid)
            cpu_before, load_before = workers_cpu(pids), os.getloadavg()[0]
            profiles = start_profiles(server.pid, args.profile, out) if args.profile else []
            run_locust(port, args.users, args.duration, out)
            for profile in profiles:
                profile.wait(timeout=60)
            meta = {
                "users": args.users,
                "duration_s": round(time.monotonic() - started, 1),
                "workers": args.workers,
                "seeded": args.seed_count,
                "ramp_s": args.users / spawn_rate(args.users),
                # CPU per request is steadier than p99 on a shared machine; the load average
                # (1 min, before and after) says how shared it was.
                "worker_cpu_s": round(workers_cpu(pids) - cpu_before, 2),
                "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            }
            if args.wrk:
                meta["wrk"] = [run_wrk(port, c, args.wrk_duration) for c in (2_000, 10_000)]
            (out / "meta.json").write_text(json.dumps(meta, indent=2))
        finally:
            harness.stop_server(server)


def main() -> None:
    """Run the load test `--runs` times and write one report (medians across runs)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load per run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed-count", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--wrk", action="store_true", help="also hold 2,000 and 10,000 connections")
    parser.add_argument("--wrk-duration", type=int, default=20)
    parser.add_argument(
        "--profile", type=int, default=0, help="py-spy each worker for this many seconds"
    )
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "load")
    args = parser.parse_args()
    runs = [args.out / f"run-{n + 1}" for n in range(args.runs)]
    for folder in runs:
        one_run(args, folder)
    report = load_report.render(runs)
    (args.out / "load-report.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
