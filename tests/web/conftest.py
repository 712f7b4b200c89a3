"""Web fixtures: separate browsers (cookie jars) on the same app, signed in as each role."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI

from msmebazaar.shared.db import Database
from tests.auth.factories import make_user, new_phone
from tests.web.helpers import web_enrol_totp, web_sign_in

BrowserFactory = Callable[[], Awaitable[httpx.AsyncClient]]


@pytest.fixture
async def new_browser(app: FastAPI) -> AsyncIterator[BrowserFactory]:
    """Make browsers: each keeps its own cookies, like a person's own phone or laptop."""
    opened: list[httpx.AsyncClient] = []

    async def make() -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 50000))
        browser = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        opened.append(browser)
        return browser

    yield make
    for browser in opened:
        await browser.aclose()


@pytest.fixture
async def browser(new_browser: BrowserFactory) -> httpx.AsyncClient:
    """A browser nobody has signed in on."""
    return await new_browser()


@pytest.fixture
async def owner_browser(new_browser: BrowserFactory) -> httpx.AsyncClient:
    """A browser signed in as a business owner."""
    browser = await new_browser()
    await web_sign_in(browser, role="msme_owner", name="Asha Patel")
    return browser


@pytest.fixture
async def buyer_browser(new_browser: BrowserFactory) -> httpx.AsyncClient:
    """A browser signed in as a buyer."""
    browser = await new_browser()
    await web_sign_in(browser, role="buyer", name="Bharat Mehta")
    return browser


@pytest.fixture
async def admin_browser(new_browser: BrowserFactory, database: Database) -> httpx.AsyncClient:
    """A browser signed in as an admin (made first, as by `msmebazaar create-admin`), who has
    set up two-step sign-in in it."""
    phone = new_phone()
    await make_user(database, phone=phone, role="admin", name="Admin")
    browser = await new_browser()
    await web_sign_in(browser, phone)
    await web_enrol_totp(browser)
    return browser
