"""`make bench-notifications`: the live notification stream under load — thousands of open
Server-Sent Events streams in one process, and how soon a new notification reaches them.

Three processes, as the per-service deployment runs them, on PostgreSQL + Redis:
`notifications` (one uvicorn worker: it holds every stream), `auth,msme` (one worker: it takes
the requests) and `msmebazaar worker` (it turns the domain events into notifications and
publishes them on Redis, from where the streams' process passes them on).

1. Streams: owners sign in through the API (`--streams` / 10 of them: the 10 streams a user may
   hold), and this process opens `--streams` streams with raw sockets (an httpx client per stream
   would cost more than the server), `--batch` at a time, each batch waiting for its `unread`
   events. Reported: the time to open them all, how many got their `unread` event, the streams
   process's memory before and after (and per stream), its CPU over `--idle` seconds of holding
   them (heartbeats only, every `--heartbeat` s), and `/health/ready` on that process while
   they are open.
2. Delivery: buyers send interests in those owners' listings (one listing each, inserted
   straight into the database, its headline numbered so a notification names its request) at
   Poisson arrivals at each of `--rates` a second for `--seconds`, open loop. The owner's 10
   streams must each get the `interest_received` notification; latency = when a stream read the
   event - when the interest's POST was *scheduled* (POST response times are reported apart).
   Every (notification, stream) pair counts, so p99 covers the slowest of an owner's tabs. The
   notification's `created_at` splits it: scheduled -> stored (API, event, the worker's handler)
   and stored -> read from a stream (publication, wake-up, the stream's read, the send). Also per
   rate: the CPU per interest of each process and of PostgreSQL, and how busy the machine was.

Before the measured part, a warm-up (10 streams of one owner, a few interests) checks that the
worker is delivering, so what is measured is the running system, not its start. The bench's
own reading is in the latency: one process reads every stream on one event loop.

Each run waits (at most `--quiet-wait` s) for the machine's load to fall below `--quiet-load`,
then starts on an empty database and Redis db (BENCH_DATABASE_URL, BENCH_REDIS_URL: never data
you keep); the figures are the median of `--runs`, every run's counts are kept in
bench/results/notifications.json (one entry per stream count). The servers' own output goes to
bench/results/notifications-logs/ and its warnings and errors are counted.

    .venv/bin/python bench/bench_notifications.py --streams 2000 --runs 3 --rates 25,50,100
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

import harness
import redis
from sqlalchemy import insert

from msmebazaar.msme.models import Listing, Msme
from msmebazaar.notifications.broker import STREAMS_PER_USER
from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.db import create_engine, create_postgres_database, upgrade_database, utcnow

API = "/api/v1"
STREAM_PATH = f"{API}/notifications/stream"
DEFAULT_DB = "postgresql+asyncpg://postgres@127.0.0.1:5432/msmebazaar_notify"
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"
RESULTS = Path("bench/results")
LOGS = RESULTS / "notifications-logs"
HEADLINE = "Bench listing {index:06d}: precision parts maker"
NUMBERED = re.compile(r"Bench listing (\d{6})")
INTEREST = {"message": "We would like to talk."}
WARMUP_LISTINGS = 150  # owner 0's: tried one by one until the worker delivers, then 5 more
OPEN_TIMEOUT_S = 30.0
HEALTH_FAILED_MS = 10_000.0  # a readiness probe answered other than 200 counts as this slow
DRAIN_TIMEOUT_S = 30.0
SIGN_IN_CONNECTIONS = 8
CHUNK = 1000
# A log line at warning or above, in the console format or JSON, or a traceback.
PROBLEM = re.compile(
    r'\[(warning|error|critical)\s*\]|"level": ?"(warning|error|critical)"|Traceback|\bERROR\b'
)

# -- the processes ----------------------------------------------------------------------------


@dataclass
class Processes:
    """The three processes of a run and their log files."""

    streams: subprocess.Popen[bytes]
    api: subprocess.Popen[bytes]
    worker: subprocess.Popen[bytes]
    streams_port: int
    api_port: int
    logs: list[TextIO]


def _spawn(command: list[str], env: dict[str, str], log: TextIO) -> subprocess.Popen[bytes]:
    # harness.start_server discards the output: here it is kept, since a warning (a failed
    # publication, a lost subscription) is the evidence when a stream misses something.
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command, env=os.environ | env, stdout=log, stderr=subprocess.STDOUT
    )


def _uvicorn(port: int) -> list[str]:
    """The command harness.start_server runs, for one worker."""
    return [
        *(sys.executable, "-m", "uvicorn", "msmebazaar.app:create_app_from_env", "--factory"),
        *("--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--no-access-log"),
        *("--log-level", "warning", "--timeout-keep-alive", "60"),
    ]


def start_processes(env: dict[str, str], run: int) -> Processes:
    """The streams process, the API process and the worker, each logging to its own file."""
    LOGS.mkdir(parents=True, exist_ok=True)
    logs: list[TextIO] = [
        (LOGS / f"run{run}-{name}.log").open("w") for name in ("streams", "api", "worker")
    ]
    streams_port, api_port = harness.free_port(), harness.free_port()
    streams = _spawn(
        _uvicorn(streams_port), env | {"MSMEBAZAAR_SERVICES": "notifications"}, logs[0]
    )
    api = _spawn(_uvicorn(api_port), env | {"MSMEBAZAAR_SERVICES": "auth,msme"}, logs[1])
    worker_command = [sys.executable, "-m", "msmebazaar", "worker", "--metrics-port", "0"]
    worker = _spawn(worker_command, env, logs[2])
    return Processes(streams, api, worker, streams_port, api_port, logs)


def stop_processes(processes: Processes) -> None:
    """SIGTERM each (the ones started here only), wait, close the logs."""
    for process in (processes.streams, processes.api, processes.worker):
        if process.poll() is None:
            process.terminate()
    for process in (processes.streams, processes.api, processes.worker):
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
    for log in processes.logs:
        log.close()


def log_problems(run: int) -> dict[str, dict[str, int]]:
    """Per process, the lines of the run's log at warning or above, by event (or the line's
    start when it names none: a traceback)."""
    counts: dict[str, dict[str, int]] = {}
    for path in sorted(LOGS.glob(f"run{run}-*.log")):
        found: Counter[str] = Counter()
        for line in path.read_text(errors="replace").splitlines():
            if PROBLEM.search(line):
                event = re.search(r'"event": ?"([^"]+)"|\]\s+(\w+)', line)
                found[next((g for g in event.groups() if g), "?") if event else line[:60]] += 1
        counts[path.stem.split("-", 1)[1]] = dict(found)
    return counts


# -- users and listings -----------------------------------------------------------------------


@dataclass
class User:
    id: uuid.UUID
    token: str


_phones = itertools.count()


async def _sign_in(connection: harness.Connection, role: str) -> User:
    phone = f"+9197{next(_phones):08d}"
    _, requested = await connection.json("POST", f"{API}/auth/otp/request", {"phone": phone})
    body = {"phone": phone, "code": requested["data"]["debug_code"], "role": role, "name": "Load"}
    status, verified = await connection.json("POST", f"{API}/auth/otp/verify", body)
    assert status == 200, verified
    data = verified["data"]
    return User(uuid.UUID(data["user"]["id"]), str(data["access_token"]))


async def sign_in_many(port: int, role: str, count: int) -> list[User]:
    """`count` users of `role` signed in through the API, a few connections at once."""
    users: list[User | None] = [None] * count

    async def lane(start: int) -> None:
        connection = await harness.Connection.open(port)
        try:
            for index in range(start, count, SIGN_IN_CONNECTIONS):
                users[index] = await _sign_in(connection, role)
        finally:
            await connection.close()

    await asyncio.gather(*(lane(start) for start in range(SIGN_IN_CONNECTIONS)))
    return [user for user in users if user is not None]


async def seed_listings(url: str, owner_of: list[uuid.UUID]) -> list[uuid.UUID]:
    """One active listing per entry of `owner_of` (its owner), headline numbered by position;
    one verified profile per owner. Straight inserts: the API's submit-and-approve path is not
    what is measured."""
    now, msme_of = utcnow(), {owner: uuid.uuid4() for owner in dict.fromkeys(owner_of)}
    stamps = {"version": 1, "created_at": now, "updated_at": now}
    ids = [uuid.uuid4() for _ in owner_of]
    msmes = [
        {
            "id": msme_id, "owner_id": owner, "legal_name": f"Bench Works {number}",
            "legal_form": "private_limited", "sector": "engineering", "state": "Maharashtra",
            "classification": "micro", "verification_status": "verified", **stamps,
        }
        for number, (owner, msme_id) in enumerate(msme_of.items())
    ]  # fmt: skip
    listings = [
        {
            "id": ids[index], "msme_id": msme_of[owner], "owner_id": owner,
            "deal_type": "full_sale", "asking_price": 6_00_00_000, "anonymous": True,
            "headline": HEADLINE.format(index=index), "sector": "engineering",
            "summary": "Established plant, steady export customers.", "state": "Maharashtra",
            "status": "active", "published_at": now, "views_count": 0, "interests_count": 0,
            **stamps,
        }
        for index, owner in enumerate(owner_of)
    ]  # fmt: skip
    engine = create_engine(DatabaseSettings(url=url))
    try:
        async with engine.begin() as connection:
            for model, rows in ((Msme, msmes), (Listing, listings)):
                for start in range(0, len(rows), CHUNK):
                    await connection.execute(insert(model), rows[start : start + CHUNK])
    finally:
        await engine.dispose()
    return ids


# -- the streams ------------------------------------------------------------------------------


@dataclass
class Tally:
    """What every stream of a run read."""

    arrivals: dict[int, list[float]] = field(default_factory=dict)  # listing index -> times
    stored: dict[int, float] = field(default_factory=dict)  # listing index -> created_at
    heartbeats: int = 0
    duplicates: int = 0
    ended: int = 0  # streams the server ended (or that broke) while they should be open
    arrived: asyncio.Event = field(default_factory=asyncio.Event)  # set at each arrival


class Stream:
    """One open stream on a raw socket: the request written by hand, the chunked body and the
    Server-Sent Events parsed line by line."""

    def __init__(self, token: str, tally: Tally) -> None:
        self.token, self.tally = token, tally
        self.ready = asyncio.Event()  # its `unread` event came
        self.seen: set[int] = set()
        self.writer: asyncio.StreamWriter | None = None
        self.task: asyncio.Task[None] | None = None
        self.failure = ""
        self.opened_ms = 0.0
        self.closing = False

    async def start(self, port: int) -> None:
        """Connect and read in the background until the `unread` event (or a failure)."""
        loop = asyncio.get_running_loop()
        began = loop.time()
        try:
            reader = await asyncio.wait_for(self._connect(port), OPEN_TIMEOUT_S)
            self.task = asyncio.create_task(self._read(reader))
            await asyncio.wait_for(self.ready.wait(), OPEN_TIMEOUT_S)
            self.opened_ms = (loop.time() - began) * 1000
        except (OSError, TimeoutError, ValueError, asyncio.IncompleteReadError) as exc:
            self.failure = self.failure or type(exc).__name__

    async def _connect(self, port: int) -> asyncio.StreamReader:
        reader, self.writer = await asyncio.open_connection("127.0.0.1", port)
        self.writer.write(
            f"GET {STREAM_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
            f"Authorization: Bearer {self.token}\r\n\r\n".encode()
        )
        status = int((await reader.readline()).split()[1])
        chunked = False
        while (line := await reader.readline()) not in {b"\r\n", b""}:
            name, _, value = line.decode("latin-1").partition(":")
            chunked |= name.lower() == "transfer-encoding" and "chunked" in value.lower()
        if status != 200 or not chunked:
            self.failure = f"status {status}"
            raise ValueError(self.failure)
        return reader

    async def _read(self, reader: asyncio.StreamReader) -> None:
        buffer, event, data = b"", "message", ""
        try:
            while size := int((await reader.readline()).split(b";")[0], 16):
                buffer += (await reader.readexactly(size + 2))[:-2]
                *lines, buffer = buffer.split(b"\n")
                for raw in lines:
                    line = raw.rstrip(b"\r").decode()
                    if not line:
                        if data or event != "message":
                            self._dispatch(event, data)
                        event, data = "message", ""
                    elif line.startswith(":"):
                        self.tally.heartbeats += 1
                    elif line.startswith("event:"):
                        event = line[6:].strip()
                    elif line.startswith("data:"):
                        data += line[5:].removeprefix(" ")
        except (OSError, ValueError, KeyError, asyncio.IncompleteReadError):
            pass
        if not self.closing:
            self.tally.ended += 1

    def _dispatch(self, event: str, data: str) -> None:
        if event == "unread":
            self.ready.set()
            return
        if event != "notification":
            return
        notification = json.loads(data)["notification"]
        found = NUMBERED.search(notification["body"])
        if found is None:
            return
        index, now = int(found[1]), asyncio.get_running_loop().time()
        if index in self.seen:
            self.tally.duplicates += 1
            return
        self.seen.add(index)
        self.tally.arrivals.setdefault(index, []).append(now)
        if index not in self.tally.stored:  # the row's `created_at`, on the loop's clock
            created = datetime.fromisoformat(notification["created_at"]).timestamp()
            self.tally.stored[index] = created - time.time() + now
        self.tally.arrived.set()

    async def close(self) -> None:
        """Hang up, as a closed browser tab does."""
        self.closing = True
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task


async def open_streams(
    port: int, owners: list[User], batch: int, tally: Tally
) -> tuple[list[Stream], float]:
    """`STREAMS_PER_USER` streams per owner, `batch` at a time; and the seconds it took."""
    streams = [Stream(owner.token, tally) for owner in owners for _ in range(STREAMS_PER_USER)]
    loop = asyncio.get_running_loop()
    began = loop.time()
    for start in range(0, len(streams), batch):
        await asyncio.gather(*(stream.start(port) for stream in streams[start : start + batch]))
    return streams, loop.time() - began


async def close_streams(streams: list[Stream]) -> None:
    """Close every stream."""
    await asyncio.gather(*(stream.close() for stream in streams))


# -- requests ---------------------------------------------------------------------------------


class Pool:
    """Keep-alive connections to the API process, opened on demand (the server keeps an idle
    one 60 s: harness's `--timeout-keep-alive`)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.idle: list[harness.Connection] = []
        self.errors: Counter[str] = Counter()  # "status CODE" of each answer but a 201

    async def post(self, path: str, token: str) -> int:
        """POST an interest; its status (0 when the connection failed)."""
        connection = self.idle.pop() if self.idle else await harness.Connection.open(self.port)
        try:
            status, body = await connection.request("POST", path, INTEREST, token)
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError) as exc:
            connection.writer.close()
            self.errors[type(exc).__name__] += 1
            return 0
        self.idle.append(connection)
        if status != 201:  # the code and message say who refused: admission, the database...
            code = re.search(rb'"code": ?"(\w+)"', body)
            message = re.search(rb'"message": ?"([^"]*)"', body)
            said = [found[1].decode() for found in (code, message) if found]
            self.errors[f"{status} {': '.join(said)}"] += 1
        return status

    async def close(self) -> None:
        """Close the idle connections."""
        for connection in self.idle:
            with contextlib.suppress(OSError):
                await connection.close()


async def probe_health(port: int, stop: asyncio.Event, interval: float, count: int) -> list[float]:
    """`/health/ready` on the streams process every `interval` s, `count` times or until
    `stop`; the latencies (ms) of the 200s, a failure as `HEALTH_FAILED_MS`."""
    connection = await harness.Connection.open(port)
    latencies: list[float] = []
    try:
        while len(latencies) < count and not stop.is_set():
            began = time.perf_counter()
            status, _ = await connection.request("GET", "/health/ready")
            failed = status != 200
            latencies.append(HEALTH_FAILED_MS if failed else (time.perf_counter() - began) * 1000)
            await asyncio.sleep(interval)
    finally:
        await connection.close()
    return latencies


def poisson_schedule(rate: float, seconds: float, seed: int) -> list[float]:
    """Arrival offsets (s) of a Poisson process of `rate` over `seconds`."""
    rng, moments, moment = random.Random(seed), [], 0.0
    while (moment := moment + rng.expovariate(rate)) < seconds:
        moments.append(moment)
    return moments


@dataclass
class Sent:
    """The interests sent: per listing index, when scheduled and the status; POST times."""

    scheduled: dict[int, float] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    post_ms: list[float] = field(default_factory=list)
    lag_ms: list[float] = field(default_factory=list)  # schedule to send: the client's lag


async def send_interests(
    pool: Pool, buyers: list[User], listings: list[uuid.UUID], first: int, offsets: list[float]
) -> Sent:
    """Open loop: the interest in listing `first + n` at `offsets[n]`, each in its own task."""
    loop, sent, tasks = asyncio.get_running_loop(), Sent(), []
    start = loop.time() + 0.2

    async def one(index: int, scheduled: float) -> None:
        began = loop.time()
        sent.lag_ms.append((began - scheduled) * 1000)
        buyer = buyers[index % len(buyers)]
        sent.statuses[index] = await pool.post(
            f"{API}/listings/{listings[index]}/interests", buyer.token
        )
        sent.post_ms.append((loop.time() - began) * 1000)

    for number, offset in enumerate(offsets):
        scheduled = start + offset
        await asyncio.sleep(max(0.0, scheduled - loop.time()))
        sent.scheduled[first + number] = scheduled
        tasks.append(asyncio.create_task(one(first + number, scheduled)))
    await asyncio.gather(*tasks)
    return sent


async def wait_for_arrivals(tally: Tally, indexes: list[int], copies: int, within: float) -> None:
    """Until each listing index was read on `copies` streams, or `within` s passed."""

    async def settled() -> None:
        pending = set(indexes)
        while pending := {i for i in pending if len(tally.arrivals.get(i, ())) < copies}:
            tally.arrived.clear()
            await tally.arrived.wait()

    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(settled(), within)


# -- one run ----------------------------------------------------------------------------------


async def warm_up(processes: Processes, owner: User, buyer: User, listings: list[uuid.UUID]) -> int:
    """Owner 0's 10 streams, interests until the worker delivers one, then 5 more that must all
    arrive; the streams closed again. The number of warm-up listings used."""
    tally, pool = Tally(), Pool(processes.api_port)
    streams, _ = await open_streams(processes.streams_port, [owner], STREAMS_PER_USER, tally)
    try:
        assert all(stream.ready.is_set() for stream in streams), "warm-up streams failed"
        used = 0
        while not tally.arrivals:
            assert used < WARMUP_LISTINGS - 5, "the worker delivered nothing within a minute"
            status = await pool.post(f"{API}/listings/{listings[used]}/interests", buyer.token)
            assert status == 201, status
            used += 1
            await wait_for_arrivals(tally, [used - 1], 1, 0.4)
        for index in range(used, used + 5):
            assert (
                await pool.post(f"{API}/listings/{listings[index]}/interests", buyer.token) == 201
            )
        await wait_for_arrivals(tally, list(range(used, used + 5)), STREAMS_PER_USER, 10)
        assert all(
            len(tally.arrivals.get(i, ())) == STREAMS_PER_USER for i in range(used, used + 5)
        )
        return used + 5
    finally:
        await close_streams(streams)
        await pool.close()


def _streams_figures(streams: list[Stream], open_s: float) -> dict[str, Any]:
    opened = [stream.opened_ms for stream in streams if stream.ready.is_set()]
    failures = Counter(stream.failure for stream in streams if not stream.ready.is_set())
    open_p = harness.percentiles(opened)
    return {
        "open_s": round(open_s, 2),
        "unread_received": len(opened),
        "open_failures": dict(failures),
        "open_p50_ms": open_p["p50_ms"],
        "open_p99_ms": open_p["p99_ms"],
    }


def machine_jiffies() -> tuple[int, int]:
    """The whole machine's busy and total CPU time so far (Linux /proc/stat, all cores)."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle and iowait
    return sum(ticks) - idle, sum(ticks)


def busy_pct(before: tuple[int, int], after: tuple[int, int]) -> float:
    """How busy the machine was between two readings, in % of all its cores."""
    return round(100 * (after[0] - before[0]) / max(after[1] - before[1], 1), 1)


async def hold_idle(pid: int, tally: Tally, seconds: float) -> dict[str, Any]:
    """The streams process's CPU over `seconds` of holding the streams, the heartbeats read, and
    how busy the machine was meanwhile (others' work on it shows there)."""
    cpu, beats, machine = harness.cpu_seconds(pid), tally.heartbeats, machine_jiffies()
    await asyncio.sleep(seconds)
    spent = harness.cpu_seconds(pid) - cpu
    return {
        "idle_cpu_pct": round(100 * spent / seconds, 2),
        "idle_heartbeats": tally.heartbeats - beats,
        "idle_machine_busy_pct": busy_pct(machine, machine_jiffies()),
    }


def _delivery_figures(sent: Sent, tally: Tally, copies: int) -> dict[str, Any]:
    accepted = [index for index, status in sent.statuses.items() if status == 201]
    latencies = [
        (arrival - sent.scheduled[index]) * 1000
        for index in accepted
        for arrival in tally.arrivals.get(index, ())
    ]
    spread = harness.percentiles(latencies)
    posts = harness.percentiles(sent.post_ms)
    # Where the time went: scheduled -> row stored (the API, the event, the worker's handler),
    # and row stored -> read from a stream (publication, wake-up, the stream's read, the send).
    stored = [index for index in accepted if index in tally.stored]
    to_store = harness.percentiles([(tally.stored[i] - sent.scheduled[i]) * 1000 for i in stored])
    fan_out = harness.percentiles(
        [(arrival - tally.stored[i]) * 1000 for i in stored for arrival in tally.arrivals[i]]
    )
    return {
        "sent": len(sent.statuses),
        "accepted": len(accepted),
        "post_statuses": {str(k): v for k, v in sorted(Counter(sent.statuses.values()).items())},
        "notified_every_stream": sum(
            len(tally.arrivals.get(index, ())) == copies for index in accepted
        ),
        "stream_events": len(latencies),
        "stream_events_expected": len(accepted) * copies,
        "duplicates": tally.duplicates,
        "latency_p50_ms": spread["p50_ms"],
        "latency_p99_ms": spread["p99_ms"],
        "latency_max_ms": round(max(latencies, default=0.0), 1),
        "to_stored_p50_ms": to_store["p50_ms"],
        "to_stored_p99_ms": to_store["p99_ms"],
        "fan_out_p50_ms": fan_out["p50_ms"],
        "fan_out_p99_ms": fan_out["p99_ms"],
        "post_p50_ms": posts["p50_ms"],
        "post_p99_ms": posts["p99_ms"],
        "client_lag_p99_ms": harness.percentiles(sent.lag_ms)["p99_ms"],
    }


async def open_streams_metric(port: int) -> float:
    """`sse_connections` as the streams process's /metrics reports it."""
    connection = await harness.Connection.open(port)
    try:
        _, body = await connection.request("GET", "/metrics")
    finally:
        await connection.close()
    found = re.search(rb"^\w*sse_connections(?:\{[^}]*\})? (\S+)$", body, re.MULTILINE)
    return float(found[1]) if found else -1.0


@dataclass
class Setup:
    """Who and what a run acts with."""

    owners: list[User]
    buyers: list[User]
    listings: list[uuid.UUID]
    schedules: list[Schedule]


@dataclass
class Schedule:
    """One rate's interests: listing `first + n` at `offsets[n]` s."""

    rate: float
    first: int
    offsets: list[float]


async def set_up(processes: Processes, url: str, args: argparse.Namespace, run: int) -> Setup:
    """Sign the owners and buyers in; one listing per warm-up try and per scheduled interest."""
    await asyncio.gather(
        harness.wait_ready(processes.streams_port), harness.wait_ready(processes.api_port)
    )
    owners = await sign_in_many(processes.api_port, "msme_owner", args.streams // STREAMS_PER_USER)
    buyers = await sign_in_many(processes.api_port, "buyer", args.buyers)
    schedules, first = [], WARMUP_LISTINGS
    for number, rate in enumerate(args.rates):
        offsets = poisson_schedule(rate, args.seconds, seed=run * 100 + number)
        schedules.append(Schedule(rate, first, offsets))
        first += len(offsets)
    owner_of = [owners[0].id] * WARMUP_LISTINGS
    owner_of += [owners[number % len(owners)].id for number in range(first - WARMUP_LISTINGS)]
    return Setup(owners, buyers, await seed_listings(url, owner_of), schedules)


async def measure(
    processes: Processes, setup: Setup, args: argparse.Namespace, run: int
) -> dict[str, Any]:
    """Warm up, open the streams, hold them idle, probe health, deliver at each rate, close."""
    pid, figures = processes.streams.pid, dict[str, Any]()
    await warm_up(processes, setup.owners[0], setup.buyers[0], setup.listings)
    await asyncio.sleep(1.0)
    figures["rss_before_mb"] = round(harness.rss_mb(pid), 1)
    tally = Tally()
    streams, open_s = await open_streams(processes.streams_port, setup.owners, args.batch, tally)
    figures |= _streams_figures(streams, open_s) | {"log_after_open": log_problems(run)}
    await asyncio.sleep(1.0)
    figures["rss_open_mb"] = round(harness.rss_mb(pid), 1)
    figures["kb_per_stream"] = round(
        (figures["rss_open_mb"] - figures["rss_before_mb"]) * 1024 / len(streams), 1
    )
    figures |= await hold_idle(pid, tally, args.idle)
    figures["idle_heartbeats_expected"] = int(len(streams) * args.idle // args.heartbeat)
    idle_health = await probe_health(processes.streams_port, asyncio.Event(), 0.05, args.probes)
    figures |= {f"health_{k}": v for k, v in harness.percentiles(idle_health).items()}
    figures["health_failed"] = sum(latency >= HEALTH_FAILED_MS for latency in idle_health)
    figures["rates"] = []
    for schedule in setup.schedules:
        await asyncio.sleep(args.pause)
        row = await deliver(processes, setup, tally, schedule)
        figures["rates"].append(row | {"log_after": log_problems(run)})
    figures["rss_after_delivery_mb"] = round(harness.rss_mb(pid), 1)
    figures["streams_ended_early"] = tally.ended
    await close_streams(streams)
    await asyncio.sleep(2.0)
    figures["sse_connections_after_close"] = await open_streams_metric(processes.streams_port)
    figures["rss_closed_mb"] = round(harness.rss_mb(pid), 1)
    return figures


async def deliver(
    processes: Processes, setup: Setup, tally: Tally, schedule: Schedule
) -> dict[str, Any]:
    """Interests at the scheduled times while health is probed 5 times a second; then wait
    until every accepted one reached its owner's streams (or `DRAIN_TIMEOUT_S`)."""
    pool, stop, duplicates = Pool(processes.api_port), asyncio.Event(), tally.duplicates
    for _ in range(32):  # warm sockets: connecting is not what is measured
        pool.idle.append(await harness.Connection.open(processes.api_port))
    cpu = CpuMeter(processes)
    prober = asyncio.create_task(probe_health(processes.streams_port, stop, 0.2, 10**9))
    sent = await send_interests(
        pool, setup.buyers, setup.listings, schedule.first, schedule.offsets
    )
    accepted = [index for index, status in sent.statuses.items() if status == 201]
    await wait_for_arrivals(tally, accepted, STREAMS_PER_USER, DRAIN_TIMEOUT_S)
    stop.set()
    probes = await prober
    busy = harness.percentiles(probes)
    spent = cpu.spent()
    await pool.close()
    figures = _delivery_figures(sent, tally, STREAMS_PER_USER)
    posts, events = max(figures["sent"], 1), max(figures["stream_events"], 1)
    return (
        {"rate": schedule.rate}
        | figures
        | {
            "duplicates": tally.duplicates - duplicates,
            "post_errors": dict(pool.errors),
            "busy_health_p50_ms": busy["p50_ms"],
            "busy_health_p99_ms": busy["p99_ms"],
            "busy_health_failed": sum(latency >= HEALTH_FAILED_MS for latency in probes),
            "api_cpu_ms_per_post": round(1000 * spent["api"] / posts, 2),
            "worker_cpu_ms_per_notification": round(
                1000 * spent["worker"] / max(figures["accepted"], 1), 2
            ),
            "streams_cpu_ms_per_event": round(1000 * spent["streams"] / events, 3),
            "postgres_cpu_ms_per_post": round(1000 * spent["postgres"] / posts, 2),
            "client_cpu_s": round(spent["client"], 1),
            "machine_busy_pct": spent["machine_busy_pct"],
        }
    )


class CpuMeter:
    """CPU seconds spent since it was made: each of our processes, PostgreSQL's (its backends
    serve whoever else uses the server too), this client, and how busy the whole machine was."""

    def __init__(self, processes: Processes) -> None:
        self.pids = {
            "streams": processes.streams.pid,
            "api": processes.api.pid,
            "worker": processes.worker.pid,
        }
        self.before = self._read()
        self.machine = machine_jiffies()

    def _read(self) -> dict[str, float]:
        found = {name: harness.cpu_seconds(pid) for name, pid in self.pids.items()}
        postgres = 0.0
        for pid in _postgres_pids():
            with contextlib.suppress(OSError):
                postgres += harness.cpu_seconds(pid)
        return found | {"postgres": postgres, "client": time.process_time()}

    def spent(self) -> dict[str, float]:
        """Seconds per part since it was made, and the machine's busy % meanwhile."""
        after = self._read()
        spent = {name: after[name] - self.before[name] for name in after}
        return spent | {"machine_busy_pct": busy_pct(self.machine, machine_jiffies())}


def _postgres_pids() -> list[int]:
    found = subprocess.run(
        ["/usr/bin/pgrep", "-x", "postgres"], capture_output=True, text=True, check=False
    ).stdout.split()
    return [int(pid) for pid in found]


def prepare(url: str) -> None:
    """An empty database at head."""
    asyncio.run(create_postgres_database(url))
    asyncio.run(harness.reset_postgres(url))
    upgrade_database(url)


def wait_for_quiet(load: float, longest: float) -> float:
    """Wait (at most `longest` s) until the machine's 1-minute load is below `load`: other work
    on it would be in the figures. The load when the run starts."""
    deadline = time.monotonic() + longest
    while (now := os.getloadavg()[0]) >= load and time.monotonic() < deadline:
        time.sleep(5)
    return round(now, 2)


def one_run(args: argparse.Namespace, run: int) -> dict[str, Any]:
    """A fresh database, Redis db and processes; the figures of one run."""
    load = wait_for_quiet(args.quiet_load, args.quiet_wait)
    prepare(args.database_url)
    redis.Redis.from_url(args.redis_url).flushdb()
    with tempfile.TemporaryDirectory(prefix="mb-notify-") as storage:
        env = harness.load_env(args.database_url, args.redis_url, storage)
        env["NOTIFICATIONS_HEARTBEAT_SECONDS"] = str(args.heartbeat)
        env["PYTHONUNBUFFERED"] = "1"  # the logs are read between phases
        processes = start_processes(env, run)
        try:

            async def go() -> dict[str, Any]:
                setup = await set_up(processes, args.database_url, args, run)
                return await measure(processes, setup, args, run)

            figures: dict[str, Any] = _run(go())
        finally:
            stop_processes(processes)
    return {"load_at_start": load} | figures | {"log_problems": log_problems(run)}


def _run(coroutine: Any) -> Any:
    with contextlib.suppress(ImportError):
        import uvloop  # noqa: PLC0415 - the client's own loop: cheaper per stream

        return uvloop.run(coroutine)
    return asyncio.run(coroutine)


# -- the report -------------------------------------------------------------------------------


def median_figures(runs: list[dict[str, Any]]) -> dict[str, float]:
    """The median across runs of every numeric figure."""
    return {
        key: round(statistics.median(run[key] for run in runs), 2)
        for key, value in runs[0].items()
        if isinstance(value, int | float)
    }


def table(report: dict[str, Any]) -> str:
    """The medians as Markdown tables (streams; delivery per rate), with every run's counts."""
    m, runs, each = report["median"], report["runs"], ", ".join
    lines = [
        f"Machine: {report['machine']}; {report['streams']:,} streams of "
        f"{report['users']:,} users; medians of {len(runs)} runs.",
        "",
        "| streams | open all | `unread` received | RSS before → open | per stream | idle CPU "
        "| heartbeats | /health/ready p50/p99 | after close |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {report['streams']:,} | {m['open_s']:g} s "
        f"| {each(str(run['unread_received']) for run in runs)} "
        f"| {m['rss_before_mb']:g} → {m['rss_open_mb']:g} MB | {m['kb_per_stream']:g} KB "
        f"| {m['idle_cpu_pct']:g}% of a core | {m['idle_heartbeats']:g} of "
        f"{m['idle_heartbeats_expected']:g} | {m['health_p50_ms']:g} / {m['health_p99_ms']:g} ms "
        f"| {m['sse_connections_after_close']:g} streams, {m['rss_closed_mb']:g} MB |",
        "",
        "| rate | accepted of sent | stream events received | latency p50 / p99 / max "
        "| to stored p50 / p99 | stored to stream p50 / p99 | POST p50 / p99 | health p50 / p99 "
        "| CPU ms: api per POST, worker per notification, streams per event | machine busy |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for number, r in enumerate(report["median_by_rate"]):
        rows = [run["rates"][number] for run in runs]
        accepted = each(f"{row['accepted']}/{row['sent']}" for row in rows)
        events = each(f"{row['stream_events']}/{row['stream_events_expected']}" for row in rows)
        lines.append(
            f"| {r['rate']:g}/s × {report['seconds']:g} s | {accepted} | {events} "
            f"| {r['latency_p50_ms']:g} / {r['latency_p99_ms']:g} / {r['latency_max_ms']:g} ms "
            f"| {r['to_stored_p50_ms']:g} / {r['to_stored_p99_ms']:g} ms "
            f"| {r['fan_out_p50_ms']:g} / {r['fan_out_p99_ms']:g} ms "
            f"| {r['post_p50_ms']:g} / {r['post_p99_ms']:g} ms "
            f"| {r['busy_health_p50_ms']:g} / {r['busy_health_p99_ms']:g} ms "
            f"| {r['api_cpu_ms_per_post']:g}, {r['worker_cpu_ms_per_notification']:g}, "
            f"{r['streams_cpu_ms_per_event']:g} | {r['machine_busy_pct']:g}% |"
        )
    return "\n".join(lines)


def save(report: dict[str, Any]) -> Path:
    """bench/results/notifications.json: one entry per stream count, the others kept."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "notifications.json"
    previous = json.loads(path.read_text()) if path.exists() else []
    merged = {entry["streams"]: entry for entry in [*previous, report]}
    path.write_text(json.dumps(sorted(merged.values(), key=lambda e: e["streams"]), indent=2))
    return path


def raise_open_files(streams: int) -> None:
    """Room for every stream's socket in this process (and the servers it starts)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = streams * 2 + 1024
    if soft < wanted:
        top = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (top, hard))


def main() -> None:
    """Parse the options, run `--runs` times, print and save the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--streams", type=int, default=2000, help="a multiple of 10")
    parser.add_argument("--batch", type=int, default=200, help="streams opened at once")
    parser.add_argument("--buyers", type=int, default=50)
    parser.add_argument("--rates", default="100", help="interests a second, e.g. 25,50,100")
    parser.add_argument("--pause", type=float, default=5.0, help="seconds before each rate")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--idle", type=float, default=30.0, help="seconds holding the streams")
    parser.add_argument("--heartbeat", type=float, default=15.0, help="the app's default")
    parser.add_argument("--probes", type=int, default=200, help="/health/ready while idle")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quiet-load", type=float, default=1.0, help="wait for a load below")
    parser.add_argument("--quiet-wait", type=float, default=600.0, help="but at most (s)")
    args = parser.parse_args()
    if args.streams % STREAMS_PER_USER or args.streams < STREAMS_PER_USER:
        parser.error(f"--streams must be a multiple of {STREAMS_PER_USER}")
    args.rates = [float(rate) for rate in args.rates.split(",")]
    raise_open_files(args.streams)
    runs = []
    for run in range(args.runs):
        runs.append(one_run(args, run))
        print(f"run {run + 1}: {json.dumps(runs[-1])}", flush=True)
    report = {
        "machine": harness.machine(),
        "streams": args.streams,
        "users": args.streams // STREAMS_PER_USER,
        "buyers": args.buyers,
        "rates": args.rates,
        "seconds": args.seconds,
        "idle_s": args.idle,
        "heartbeat_s": args.heartbeat,
        "median": median_figures(runs),
        "median_by_rate": [
            median_figures([run["rates"][number] for run in runs])
            for number in range(len(args.rates))
        ],
        "runs": runs,
    }
    path = save(report)
    print(table(report))
    print(f"saved in {path}")


if __name__ == "__main__":
    main()
