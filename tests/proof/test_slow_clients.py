"""Issue 18, findings 1 and 2 against a real server (`msmebazaar serve`, uvicorn, loopback):

- Fifty connections that send a POST's headers and one byte of its body, then nothing, no
  longer take the API down: each gets 408 `REQUEST_TIMEOUT` (or, past its address's share of
  the slots, 429 at once), its slot comes back, and other clients are served meanwhile.
- An 8 MB JSON object of 500,000 keys is refused unread (413), a smaller key bomb with a short
  422, and the process keeps answering others.

No timing is asserted: every wait is bounded generously, and only what the clients get counts.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from msmebazaar.shared.db import upgrade_database
from tests.conftest import TEST_DATABASE_URL
from tests.databases import scratch_postgres_database
from tests.proof.servers import ThrowawayPostgres, free_port, start_app_server, wait_until_serving

SLOW_CLIENTS = 50
BODY_TIMEOUT = 2  # REQUEST_BODY_TIMEOUT of the server under test
ANSWER_WAIT = 90.0  # generous: a loaded 2-core machine
OTP_REQUEST = "/api/v1/auth/otp/request"
SECTORS = "/api/v1/msmes/sectors"


@pytest.fixture
async def database_for_server(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A new, migrated database of the run's backend."""
    if not TEST_DATABASE_URL:
        url = f"sqlite+aiosqlite:///{tmp_path / 'slow.db'}"
        upgrade_database(url)
        yield url
        return
    server: ThrowawayPostgres = request.getfixturevalue("throwaway_postgres")
    async with scratch_postgres_database(server.url, "slow") as url:
        upgrade_database(url)
        yield url


@pytest.fixture
def server_port(database_for_server: str) -> Iterator[int]:
    """A real server on loopback that trusts X-Forwarded-For from loopback, so each test
    client can be a different address."""
    port = free_port()
    env = {
        "ENVIRONMENT": "testing",
        "DATABASE_URL": database_for_server,
        "REDIS_URL": "",
        "RATE_LIMIT_PER_MINUTE": "0",
        "TRUSTED_PROXIES": "127.0.0.1",
        "REQUEST_BODY_TIMEOUT": str(BODY_TIMEOUT),
        "LOG_LEVEL": "WARNING",
    }
    server = start_app_server(env, port, workers=1)
    try:
        asyncio.run(wait_until_serving(port))
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


async def _stall(port: int, address: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """Send a POST's headers and the first byte of its 100-byte body, then nothing more."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"POST {OTP_REQUEST} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: 100\r\nX-Forwarded-For: {address}\r\n\r\n{{".encode()
    )
    await writer.drain()
    return reader, writer


async def _answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """The status and everything else the server sent before closing (bounded)."""
    data = await asyncio.wait_for(reader.read(65536), timeout=ANSWER_WAIT)
    while data and b"\r\n\r\n" in data and not data.rstrip().endswith(b"}"):
        more = await asyncio.wait_for(reader.read(65536), timeout=ANSWER_WAIT)
        if not more:
            break
        data += more
    assert data.startswith(b"HTTP/1.1 "), data[:200]
    return int(data.split(b" ", 2)[1]), data


async def _served(port: int, address: str) -> int:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
        return (await http.get(SECTORS, headers={"X-Forwarded-For": address})).status_code


async def _close(writers: list[asyncio.StreamWriter]) -> None:
    for writer in writers:
        writer.close()


async def test_stalled_bodies_from_one_address_leave_everyone_else_served(
    server_port: int,
) -> None:
    stalled = [await _stall(server_port, "203.0.113.66") for _ in range(SLOW_CLIENTS)]
    try:
        others = [await _served(server_port, f"198.51.100.{n}") for n in range(1, 6)]
        answers = await asyncio.gather(*(_answer(reader) for reader, _ in stalled))
    finally:
        await _close([writer for _, writer in stalled])

    assert others == [200] * 5
    statuses = [status for status, _ in answers]
    assert set(statuses) <= {408, 429}, statuses
    assert 408 in statuses
    timed_out = next(raw for status, raw in answers if status == 408)
    assert b'"REQUEST_TIMEOUT"' in timed_out
    assert b"connection: close" in timed_out.lower()
    assert await _served(server_port, "203.0.113.66") == 200  # its slots came back


async def test_stalled_bodies_from_many_addresses_time_out_and_free_every_slot(
    server_port: int,
) -> None:
    stalled = [await _stall(server_port, f"203.0.113.{n}") for n in range(1, SLOW_CLIENTS + 1)]
    try:
        answers = await asyncio.gather(*(_answer(reader) for reader, _ in stalled))
    finally:
        await _close([writer for _, writer in stalled])

    statuses = [status for status, _ in answers]
    # 48 slots: the stalled bodies time out; any beyond the slots were shed at once.
    assert set(statuses) <= {408, 503}, statuses
    assert statuses.count(408) >= SLOW_CLIENTS - 4
    assert [await _served(server_port, "198.51.100.9") for _ in range(5)] == [200] * 5


async def test_a_key_bomb_is_refused_cheaply_and_the_server_keeps_answering(
    server_port: int,
) -> None:
    big = json.dumps({f"key{i:07d}": 0 for i in range(500_000)}).encode()
    small = json.dumps({f"key{i:06d}": 0 for i in range(60_000)}).encode()
    headers = {"Content-Type": "application/json"}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server_port}", timeout=60) as http:
        refused_unread = await http.post(OTP_REQUEST, content=big, headers=headers)
        refused_parsed = await http.post(OTP_REQUEST, content=small, headers=headers)
        ready = await http.get("/health/ready")

    assert refused_unread.status_code == 413
    assert refused_unread.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert refused_parsed.status_code == 422
    assert "keys" in refused_parsed.json()["message"]
    assert len(refused_parsed.content) < 2000
    assert ready.status_code == 200
