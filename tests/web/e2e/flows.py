"""Journeys several browser tests share."""

from __future__ import annotations

import uuid

from playwright.async_api import Browser, Page, ViewportSize, expect
from sqlalchemy import select

from msmebazaar.auth.models import User
from msmebazaar.shared.db import Database
from tests.auth.factories import Authenticator
from tests.web.e2e.conftest import ADMIN_PHONE, LiveServer, OpenPages


async def enter_sms_code(page: Page, phone: str) -> None:
    """Ask for a sign-in code on /signin and enter the development code the page shows."""
    await page.goto("/signin")
    await page.get_by_label("Mobile number").fill(phone)
    await page.get_by_role("button", name="Send code").click()
    code = await page.get_by_test_id("debug-code").locator("strong").inner_text()
    await page.get_by_label("6-digit code").fill(code)
    await page.get_by_role("button", name="Sign in", exact=True).click()


async def sign_in(page: Page, phone: str, *, role: str | None = None, name: str = "") -> None:
    """Sign in on /signin with the development code the page shows; a new user then picks
    `role` (and gives `name`) on the welcome page."""
    await enter_sms_code(page, phone)
    await expect(page.get_by_text("You are signed in.")).to_be_visible()
    if not page.url.split("?")[0].endswith("/welcome"):
        return
    if role:
        await page.locator(f"#role-{role}").check()
    if name:
        await page.get_by_label("Your name").fill(name)
    await page.get_by_role("button", name="Continue").click()
    await expect(page.get_by_role("heading", name="Welcome to MSMEBazaar")).to_have_count(0)


async def admin_sign_in(page: Page, server: LiveServer) -> Authenticator:
    """Sign in as the server's admin. The first time, the portal sends the admin to set up
    two-step sign-in before anything else: the key is read off the set-up page into an
    authenticator (kept on the server for later sign-ins), and the recovery codes are shown
    once. Later sign-ins ask for the SMS code, then the app's code."""
    await enter_sms_code(page, ADMIN_PHONE)
    if server.admin_authenticator is not None:
        app = server.admin_authenticator
        await expect(page.get_by_role("heading", name="Two-step sign-in")).to_be_visible()
        await page.get_by_label("Code from the app, or a recovery code").fill(app.code())
        await page.get_by_role("button", name="Sign in", exact=True).click()
        await expect(page.get_by_text("You are signed in.")).to_be_visible()
        return app
    await expect(
        page.get_by_text("Admins need two-step sign-in: set it up here first.")
    ).to_be_visible()
    await page.get_by_role("button", name="Set up two-step sign-in").click()
    await expect(page.get_by_test_id("totp-qr")).to_be_visible()
    app = Authenticator(await page.get_by_test_id("totp-secret").inner_text())
    await page.get_by_label("Code from the app").fill(app.code())
    await page.get_by_role("button", name="Turn on").click()
    await expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    app.recovery_codes = (
        await page.get_by_test_id("recovery-codes").locator("code").all_inner_texts()
    )
    await page.get_by_role("link", name="I have saved them").click()
    server.admin_authenticator = app
    return app


async def open_person(
    server: LiveServer,
    browser: Browser,
    pages: OpenPages,
    name: str,
    *,
    viewport: ViewportSize | None = None,
) -> Page:
    """A page in a browser context of its own (one person), registered for failure screenshots;
    CSP is bypassed so that a test may inject axe-core."""
    context = await browser.new_context(
        base_url=server.base_url, viewport=viewport, bypass_csp=True
    )
    page = await context.new_page()
    pages.pages[name] = page
    return page


async def user_id(database: Database, phone: str) -> uuid.UUID:
    """The id of the user a browser signed up with `phone` (ten digits)."""
    async with database.session() as session:
        found = await session.scalar(select(User.id).where(User.phone == f"+91{phone}"))
    assert found is not None, phone
    return found
