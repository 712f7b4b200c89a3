"""Journeys several browser tests share."""

from __future__ import annotations

from playwright.async_api import Page, expect


async def sign_in(page: Page, phone: str, *, role: str | None = None, name: str = "") -> None:
    """Sign in on /signin with the development code the page shows; a new user then picks
    `role` (and gives `name`) on the welcome page."""
    await page.goto("/signin")
    await page.get_by_label("Mobile number").fill(phone)
    await page.get_by_role("button", name="Send code").click()
    code = await page.get_by_test_id("debug-code").locator("strong").inner_text()
    await page.get_by_label("6-digit code").fill(code)
    await page.get_by_role("button", name="Sign in", exact=True).click()
    await expect(page.get_by_text("You are signed in.")).to_be_visible()
    if not page.url.split("?")[0].endswith("/welcome"):
        return
    if role:
        await page.locator(f"#role-{role}").check()
    if name:
        await page.get_by_label("Your name").fill(name)
    await page.get_by_role("button", name="Continue").click()
    await expect(page.get_by_role("heading", name="Welcome to MSMEBazaar")).to_have_count(0)
