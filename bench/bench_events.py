"""Domain events through the dispatcher: throughput, and the delay from commit to handler.

Each event's handler writes one row in its unit of work (an outbox message, as an audit row or
a notification would), so the figures include the exactly-once bookkeeping (the cursor moves in
the same transaction) and on SQLite the one writer.

- throughput: `--backlog` events committed first (50 per unit of work), then the time one
  dispatcher takes to hand them all to the handler;
- delay: events committed one per unit of work at `--rate` a second, open loop (each at its
  scheduled time, whether or not the last was handled), for `--seconds`; delay = when the
  handler ran - when the event was scheduled. Two ways of running the dispatcher: `worker`
  (as `msmebazaar worker` beside per-service processes: nothing in the committing process tells
  it; on PostgreSQL the commit's NOTIFY wakes it, on SQLite it polls every
  `EVENTS_POLL_SECONDS`) and `embedded` (the committing process wakes it, the single-process
  default).

Publisher and dispatcher share one process and event loop here (the worker's own process would
not compete with the publisher for it). Median of `--runs` runs.

    .venv/bin/python bench/bench_events.py --database both
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import time
from dataclasses import dataclass
from typing import Any, ClassVar

import harness

from msmebazaar.shared.cache import MemoryCache
from msmebazaar.shared.config import DatabaseSettings, EventSettings, Settings
from msmebazaar.shared.db import Database, create_postgres_database, upgrade_database
from msmebazaar.shared.dispatch import Delivery, EventDispatcher, Subscription
from msmebazaar.shared.events import DomainEvent, publish
from msmebazaar.shared.outbox import enqueue
from msmebazaar.shared.runtime import Runtime

DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/bench_events"


@dataclass(frozen=True)
class Happened(DomainEvent):
    event_name: ClassVar[str] = "bench.happened"

    seq: int
    scheduled: float


class Handled:
    """When the handler ran for each event (committed ones only count)."""

    def __init__(self, expected: int = 0) -> None:
        self.at: dict[int, float] = {}
        self.scheduled: dict[int, float] = {}
        self.expected = expected
        self.all_in = asyncio.Event()

    async def handle(self, event: Happened, delivery: Delivery) -> None:
        async with delivery.database.session() as session:
            enqueue(session, "sms", "+919800000000", f"event {event.seq}")
        self.at[event.seq] = time.time()
        self.scheduled[event.seq] = event.scheduled
        if len(self.at) >= self.expected:
            self.all_in.set()


def _dispatcher(
    database: Database, handled: Handled, poll: float, *, replay: bool
) -> EventDispatcher:
    settings = Settings()
    runtime = Runtime.build(settings, database=database, cache=MemoryCache())
    tuning = EventSettings(poll_seconds=poll, batch_size=100)
    name = f"bench.writer.{time.monotonic_ns()}"  # a new cursor per run
    subscription = Subscription(name, (Happened,), handled.handle, replay=replay)
    return EventDispatcher(runtime, [subscription], tuning)


async def _throughput(database: Database, backlog: int) -> float:
    for start in range(0, backlog, 50):
        async with database.session() as session:
            for seq in range(start, min(backlog, start + 50)):
                publish(session, Happened(seq, time.time()))
    handled = Handled(backlog)
    dispatcher = _dispatcher(database, handled, poll=0.05, replay=True)
    started = time.perf_counter()
    while len(handled.at) < backlog:
        if await dispatcher.run_once() == 0:
            break
    elapsed = time.perf_counter() - started
    assert len(handled.at) == backlog, (len(handled.at), backlog)
    return backlog / elapsed


async def _delay(database: Database, rate: float, seconds: float, woken: bool) -> dict[str, Any]:
    count = int(rate * seconds)
    handled = Handled(count)
    poll = EventSettings().poll_seconds
    dispatcher = _dispatcher(database, handled, poll, replay=False)  # new events only
    await dispatcher.register()
    dispatcher.start()
    if not woken:
        database.after_events = None  # a separate worker: it learns of events by polling
    begin = time.time() + 0.2

    async def one(seq: int) -> None:
        scheduled = begin + seq / rate
        await asyncio.sleep(max(0.0, scheduled - time.time()))
        async with database.session() as session:
            publish(session, Happened(seq, scheduled))

    await asyncio.gather(*(one(seq) for seq in range(count)))
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(handled.all_in.wait(), timeout=30)
    await dispatcher.stop()
    delays = [(handled.at[seq] - handled.scheduled[seq]) * 1000 for seq in handled.at]
    return {"handled": len(handled.at), "of": count, **harness.percentiles(delays)}


async def _prepare(name: str, url: str) -> None:
    if name == "postgres":
        await create_postgres_database(url)
        await harness.reset_postgres(url)
    upgrade_database(url)


def _median_row(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        key: statistics.median(row[key] for row in rows)
        for key in rows[0]
        if isinstance(rows[0][key], int | float)
    }


def run(name: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    """One database's figures: the median of `args.runs` runs."""

    async def measure() -> dict[str, Any]:
        await _prepare(name, url)
        database = Database.from_settings(DatabaseSettings(url=url))
        try:
            throughputs, worker, embedded = [], [], []
            for _ in range(args.runs):
                throughputs.append(await _throughput(database, args.backlog))
                worker.append(await _delay(database, args.rate, args.seconds, woken=False))
                embedded.append(await _delay(database, args.rate, args.seconds, woken=True))
        finally:
            await database.dispose()
        return {
            "database": name,
            "backlog": args.backlog,
            "events_per_second": round(statistics.median(throughputs)),
            "rate": args.rate,
            "seconds": args.seconds,
            "worker_delay": _median_row(worker),
            "embedded_delay": _median_row(embedded),
            "runs": args.runs,
        }

    return asyncio.run(measure())


def main() -> None:
    """Parse the options, run per database, print and keep the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--backlog", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    harness.report_per_database(
        "events", args.database, args.postgres_url, lambda name, url: run(name, url, args)
    )


if __name__ == "__main__":
    main()
