"""End-to-end fixtures: the real app under uvicorn on a free port, its own database, and
Debian's Chromium driven by Playwright (never a downloaded browser).

SQLite runs use a temporary database file. PostgreSQL runs (TEST_DATABASE_URL) use a database
of their own on that server, named after it with `_e2e` (made fresh, dropped afterwards): the
server commits for real, and the rest of the suite expects its database empty between tests.
Redis comes from TEST_REDIS_URL when set. Each failed test leaves a screenshot of every page it
opened in var/e2e-screenshots/ (git-ignored).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, Page, async_playwright
from sqlalchemy import text
from sqlalchemy.engine import make_url

from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.db import Database, create_engine, upgrade_database
from tests.auth.factories import Authenticator
from tests.conftest import IN_CI, TEST_DATABASE_URL, TEST_REDIS_URL

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
REPO = Path(__file__).resolve().parents[3]
SCREENSHOTS = REPO / "var" / "e2e-screenshots"
AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe.min.js"
ADMIN_PHONE = "+919812300001"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    """Keep each phase's report on the test item, so fixtures can tell a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)  # type: ignore[attr-defined]
    return report


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if IN_CI:
        pytest.fail("Debian's chromium is missing at /usr/bin/chromium (.ci/run installs it)")
    pytest.skip("Debian's chromium is not installed here (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _fresh_postgres(url: str) -> str:
    """A new, empty database `<name>_e2e` on the server of `url`; its URL."""
    parsed = make_url(url)
    name = f"{parsed.database}_e2e"
    admin = create_engine(DatabaseSettings(url=url))
    async with admin.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await autocommit.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


async def _drop_postgres(url: str, e2e_url: str) -> None:
    name = make_url(e2e_url).database
    admin = create_engine(DatabaseSettings(url=url))
    async with admin.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await admin.dispose()


@dataclass
class LiveServer:
    """The app served on 127.0.0.1 for the browser."""

    base_url: str
    database_url: str
    env: dict[str, str] = field(default_factory=dict)
    # The admin's authenticator app, once the admin has set up two-step sign-in in this server.
    admin_authenticator: Authenticator | None = None


def _server_env(database_url: str, storage: Path) -> dict[str, str]:
    env = {
        "ENVIRONMENT": "testing",
        "DATABASE_URL": database_url,
        "AUTH_OTP_ECHO": "true",
        "RATE_LIMIT_PER_MINUTE": "0",
        "MAX_IN_FLIGHT_PER_CLIENT": "0",  # every simulated user comes from one address
        # The admin's one phone signs in many times a run (each module's server, each browser)
        # and the hourly counters live in the run's shared Redis: the limit is proved elsewhere.
        "OTP_MAX_PER_PHONE_PER_HOUR": "1000",
        "STORAGE_URL": f"file://{storage}",
        "LOG_LEVEL": "WARNING",
        "MSMEBAZAAR_SERVICES": "all",
        "REDIS_URL": TEST_REDIS_URL or "",
    }
    return os.environ | env


def _command(port: int) -> list[str]:
    return [
        sys.executable, "-m", "uvicorn", "msmebazaar.app:create_app_from_env", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip


async def _wait_ready(base_url: str, server: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient(base_url=base_url) as client:
        for _ in range(300):
            if server.poll() is not None:
                raise RuntimeError("the app server exited during start-up")
            try:
                if (await client.get("/health/live")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the app server did not start")


def _create_admin(env: dict[str, str]) -> None:
    command = [sys.executable, "-m", "msmebazaar", "create-admin", "--phone", ADMIN_PHONE,
               "--name", "Admin Anil"]  # fmt: skip
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=60)  # noqa: S603


def _start_server(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        _command(port), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


@pytest.fixture(scope="module")
async def live_server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LiveServer]:
    """The whole app (pages and API) on a free port, on a database of its own, with an admin."""
    _require_chromium()
    folder = tmp_path_factory.mktemp("e2e")
    if TEST_DATABASE_URL:
        database_url = await _fresh_postgres(TEST_DATABASE_URL)
    else:
        database_url = f"sqlite+aiosqlite:///{folder / 'e2e.db'}"
    upgrade_database(database_url)
    env = _server_env(database_url, folder / "documents")
    await asyncio.to_thread(_create_admin, env)
    port = _free_port()
    server = await asyncio.to_thread(_start_server, port, env)
    base_url = f"http://127.0.0.1:{port}"
    try:
        await _wait_ready(base_url, server)
        yield LiveServer(base_url, database_url, env)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        if TEST_DATABASE_URL:
            await _drop_postgres(TEST_DATABASE_URL, database_url)


@pytest.fixture
async def live_database(live_server: LiveServer) -> AsyncIterator[Database]:
    """The live server's own database, to lay out what a story starts from."""
    engine = create_engine(DatabaseSettings(url=live_server.database_url))
    yield Database(engine)
    await engine.dispose()


@pytest.fixture(scope="module")
async def chromium() -> AsyncIterator[Browser]:
    """Debian's Chromium, headless."""
    _require_chromium()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        await browser.close()


@dataclass
class OpenPages:
    """Pages a test opened, photographed if it fails."""

    pages: dict[str, Page] = field(default_factory=dict)


@pytest.fixture
async def open_pages(request: pytest.FixtureRequest) -> AsyncIterator[OpenPages]:
    """Register pages here; on failure each one is saved as a PNG in var/e2e-screenshots/."""
    opened = OpenPages()
    yield opened
    report = getattr(request.node, "report_call", None)
    if report is None or not report.failed:
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, page in opened.pages.items():
        path = SCREENSHOTS / f"{request.node.name}-{name}.png"
        try:
            await page.screenshot(path=str(path), full_page=True)
        except Exception as exc:
            print(f"could not save {path}: {exc}")


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core (vendored from npm, see tests/web/vendor/README.md)."""
    return AXE.read_text(encoding="utf-8")
