"""Throwaway PostgreSQL and Redis servers that a fault test starts, breaks and mends itself.

Never the machine's shared servers: each is its own process on a free port, in its own folder,
removed afterwards. PostgreSQL refuses to run as root, so as root the cluster runs as the
`postgres` system user (the Debian package creates it).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx
import pytest

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
IN_CI = os.environ.get("CI", "").lower() == "true"


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def require_binaries(*paths: Path | str | None) -> None:
    """Skip when a server binary is missing on a developer's machine; fail in CI."""
    missing = [str(path) for path in paths if not path or not Path(path).exists()]
    if missing:
        message = f"server binaries missing: {', '.join(missing)}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


def _wait_for(check: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not happen within {timeout} s")


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


SERVER_USER = "postgres" if os.geteuid() == 0 else None


def server_folder(prefix: str) -> Path:
    """A new folder in /tmp that the PostgreSQL server's user may write (data, WAL archive)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    if SERVER_USER:
        account = pwd.getpwnam(SERVER_USER)
        os.chown(folder, account.pw_uid, account.pw_gid)
    return folder


class ThrowawayPostgres:
    """A PostgreSQL cluster of our own: `initdb` once, then stop, start, freeze and thaw it."""

    def __init__(self, settings: Mapping[str, str] | None = None) -> None:
        self.port = free_port()
        self.folder = server_folder("mb-pg-")
        self.data = self.folder / "data"
        self._user = SERVER_USER
        self._run(
            PG_BIN / "initdb",
            "-D",
            self.data,
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale",
            "C",
        )
        if settings:
            # Appended to postgresql.conf rather than passed to pg_ctl -o, whose shell would
            # have to re-quote values such as an archive_command.
            with (self.data / "postgresql.conf").open("a") as conf:
                conf.writelines(
                    f"{key} = '{value.replace(chr(39), chr(39) * 2)}'\n"
                    for key, value in settings.items()
                )

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: object) -> None:
        subprocess.run(  # noqa: S603 - our own binaries and arguments
            [str(part) for part in command],
            check=True,
            capture_output=True,
            user=self._user,
            cwd=self.folder,
        )

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            PG_BIN / "pg_ctl",
            "-D",
            self.data,
            "-l",
            self.folder / "log",
            "-o",
            options,
            "-w",
            "-t",
            "30",
            "start",
        )

    def stop_immediately(self) -> None:
        """`pg_ctl stop -m immediate`: every connection drops, new ones are refused."""
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")

    def _pids(self) -> list[int]:
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = subprocess.run(  # noqa: S603
            ["/usr/bin/pgrep", "-P", str(postmaster)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split()
        return [postmaster, *(int(pid) for pid in children)]

    def freeze(self) -> None:
        """SIGSTOP the postmaster and every backend: connections hang, nothing answers."""
        for pid in self._pids():
            os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        """SIGCONT everything `freeze` stopped."""
        for pid in self._pids():
            os.kill(pid, signal.SIGCONT)

    def destroy(self) -> None:
        """Thaw, stop and remove the cluster."""
        with contextlib.suppress(Exception):
            self.thaw()
        with contextlib.suppress(Exception):
            self.stop_immediately()
        shutil.rmtree(self.folder, ignore_errors=True)


class ThrowawayRedis:
    """A `redis-server` of our own, with nothing saved to disk."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.port = free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start the server and wait until it listens."""
        self._process = subprocess.Popen(  # noqa: S603
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for(lambda: _port_open(self.port), 10, "redis-server listening")

    @property
    def pid(self) -> int:
        assert self._process is not None, "not running"
        return self._process.pid

    def stop(self) -> None:
        """Kill the server (SIGKILL: an outage, not a shutdown)."""
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=10)
            self._process = None


async def wait_until_serving(port: int) -> None:
    """Poll `/health/ready` on 127.0.0.1:`port` until it answers 200 (a minute at most)."""
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get("/health/ready")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise AssertionError(f"the server on port {port} did not start within a minute")


def development_env(url: str, **overrides: str) -> dict[str, str]:
    """The environment of a server run as `make run` runs it (development: every background
    worker on, the sign-in code echoed) on `url`, with no limit a test's clients would meet."""
    return {
        "ENVIRONMENT": "development",
        "DATABASE_URL": url,
        "REDIS_URL": "",
        "RATE_LIMIT_PER_MINUTE": "0",
        "OTP_MAX_PER_IP_PER_HOUR": "100000",
        "AUTH_OTP_ECHO": "true",
        "LOG_LEVEL": "WARNING",
        **overrides,
    }


def start_app_server(
    env: dict[str, str], port: int, workers: int, services: Sequence[str] = ()
) -> subprocess.Popen[bytes]:
    """`msmebazaar serve` (the production entry point) on 127.0.0.1:`port`: every service, or
    only `services` (one process per service, as the per-service deployment runs them)."""
    command = [
        sys.executable, "-m", "msmebazaar", "serve",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        *(option for name in services for option in ("--service", name)),
    ]  # fmt: skip
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command, env=os.environ | env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """`msmebazaar worker` (outbox and domain events), without its metrics port."""
    command = [sys.executable, "-m", "msmebazaar", "worker", "--metrics-port", "0"]
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command, env=os.environ | env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def worker_pids(server: subprocess.Popen[bytes]) -> set[int]:
    """The uvicorn supervisor's worker processes now (not multiprocessing's resource tracker)."""
    found = subprocess.run(  # noqa: S603
        ["/usr/bin/pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=False
    )
    workers = set()
    for pid in found.stdout.split():
        with contextlib.suppress(OSError):
            if b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                workers.add(int(pid))
    return workers
