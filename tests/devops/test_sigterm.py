"""Graceful shutdown of the real processes the image runs: `msmebazaar serve` finishes the request
in flight when SIGTERM arrives and exits 0; `msmebazaar worker` finishes or releases its message
and exits 0. Each test starts the process itself on a free loopback port and a fresh SQLite file.
"""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import httpx
import pytest
from sqlalchemy import func, select

from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.db import Database, upgrade_database
from msmebazaar.shared.outbox import OutboxMessage, enqueue
from tests.devops.tools import clean_environment, free_port, msmebazaar_command

STARTUP_SECONDS = 60.0
SHUTDOWN_SECONDS = 30.0


def _tail(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[-3000:]


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"
    upgrade_database(url)
    return url


class Process:
    """A child process with its output in a file (a full pipe would block it)."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path) -> None:
        self.log = cwd / f"process-{uuid.uuid4().hex[:8]}.log"
        self._out: IO[bytes] = self.log.open("wb")
        self.popen = subprocess.Popen(  # noqa: S603 - our own console script
            args, env=env, cwd=cwd, stdout=self._out, stderr=subprocess.STDOUT
        )

    def wait_for_http(self, url: str) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                pytest.fail(f"exited {self.popen.returncode} while starting:\n{_tail(self.log)}")
            try:
                if httpx.get(url, timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        pytest.fail(f"{url} did not answer in {STARTUP_SECONDS} s:\n{_tail(self.log)}")

    def exit_code(self) -> int:
        try:
            return self.popen.wait(timeout=SHUTDOWN_SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running {SHUTDOWN_SECONDS} s after SIGTERM:\n{_tail(self.log)}")

    def close(self) -> None:
        if self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait(timeout=10)
        self._out.close()


@pytest.fixture
def processes() -> Iterator[list[Process]]:
    started: list[Process] = []
    yield started
    for process in started:
        process.close()


def _read_response(connection: socket.socket) -> bytes:
    chunks = []
    while chunk := connection.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_serve_finishes_the_request_in_flight_on_sigterm_and_exits_0(
    sqlite_url: str, tmp_path: Path, processes: list[Process]
) -> None:
    port = free_port()
    env = clean_environment(
        ENVIRONMENT="testing",
        DATABASE_URL=sqlite_url,
        AUTH_OTP_ECHO="true",
        RATE_LIMIT_PER_MINUTE="0",
        STORAGE_URL=f"file://{tmp_path / 'documents'}",
    )
    args = [*msmebazaar_command(), "serve", "--service", "auth", "--port", str(port)]
    server = Process([*args, "--host", "127.0.0.1"], env, tmp_path)
    processes.append(server)
    server.wait_for_http(f"http://127.0.0.1:{port}/health/live")

    body = json.dumps({"phone": "+919812345678"}).encode()
    head = (
        "POST /api/v1/auth/otp/request HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        # A slow client: the request has begun (headers and half the body) when SIGTERM comes.
        connection.sendall(head + body[:10])
        time.sleep(0.5)
        server.popen.send_signal(signal.SIGTERM)
        time.sleep(1.0)
        assert server.popen.poll() is None, "the server quit with a request in flight"
        with (
            pytest.raises(ConnectionRefusedError),
            socket.create_connection(("127.0.0.1", port), timeout=2),
        ):
            pass  # it accepts no new connection while it drains
        connection.sendall(body[10:])
        response = _read_response(connection)

    status_line, _, rest = response.partition(b"\r\n")
    assert status_line == b"HTTP/1.1 200 OK", _tail(server.log)
    envelope = json.loads(rest.split(b"\r\n\r\n", 1)[1])
    assert envelope["success"] is True
    assert envelope["data"]["expires_in"] > 0
    assert server.exit_code() == 0, _tail(server.log)


async def _queue_messages(url: str, count: int) -> None:
    database = Database.from_settings(DatabaseSettings(url=url))
    async with database.session() as session:
        for number in range(count):
            enqueue(session, "sms", f"+9198{number:08d}", f"Message {number}")
    await database.dispose()


async def _count_by_status(url: str) -> dict[str, int]:
    database = Database.from_settings(DatabaseSettings(url=url))
    statement = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    async with database.session() as session:
        rows = (await session.execute(statement)).all()
    await database.dispose()
    return {status: int(count) for status, count in rows}


async def test_worker_finishes_or_releases_its_messages_on_sigterm_and_exits_0(
    sqlite_url: str, tmp_path: Path, processes: list[Process]
) -> None:
    await _queue_messages(sqlite_url, 300)
    metrics_port = free_port()
    env = clean_environment(
        ENVIRONMENT="testing",
        DATABASE_URL=sqlite_url,
        HOST="127.0.0.1",
        SMS_PROVIDER="console",
        OUTBOX_BATCH_SIZE="1",  # many small batches: SIGTERM lands between or inside one
        OUTBOX_POLL_INTERVAL_SECONDS="0.05",
    )
    args = [*msmebazaar_command(), "worker", "--metrics-port", str(metrics_port)]
    worker = Process(args, env, tmp_path)
    processes.append(worker)
    metrics_url = f"http://127.0.0.1:{metrics_port}/metrics"
    worker.wait_for_http(metrics_url)
    deadline = time.monotonic() + STARTUP_SECONDS
    async with httpx.AsyncClient() as http:  # wait until it is delivering
        while 'channel="sms",status="sent"' not in (await http.get(metrics_url)).text:
            assert time.monotonic() < deadline, _tail(worker.log)
            await asyncio.sleep(0.1)

    worker.popen.send_signal(signal.SIGTERM)

    assert worker.exit_code() == 0, _tail(worker.log)
    counts = await _count_by_status(sqlite_url)
    assert counts.get("sending", 0) == 0, f"a message was left claimed: {counts}"
    assert counts.get("sent", 0) >= 1
    assert counts.get("sent", 0) + counts.get("pending", 0) == 300
