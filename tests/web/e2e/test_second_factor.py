"""Two-step sign-in in Debian's Chromium, as issue 20 asks: the admin made by `create-admin`
signs in, is made to set up two-step sign-in, reads the key beside the QR code into an
authenticator, signs in again with the SMS code and the app's code, uses a recovery code once
(the second use fails), and ends a sign-in made elsewhere from the account page."""

from __future__ import annotations

import re

from playwright.async_api import Browser, Page, expect

from tests.web.e2e.conftest import ADMIN_PHONE, LiveServer, OpenPages
from tests.web.e2e.flows import admin_sign_in, enter_sms_code


async def _browser(server: LiveServer, chromium: Browser, pages: OpenPages, name: str) -> Page:
    context = await chromium.new_context(base_url=server.base_url)
    page = await context.new_page()
    pages.pages[name] = page
    return page


async def _second_step(page: Page, code: str) -> None:
    await enter_sms_code(page, ADMIN_PHONE)
    await expect(page.get_by_role("heading", name="Two-step sign-in")).to_be_visible()
    await expect(page.get_by_label("Code from the app, or a recovery code")).to_be_focused()
    await page.get_by_label("Code from the app, or a recovery code").fill(code)
    await page.get_by_role("button", name="Sign in", exact=True).click()


async def test_an_admin_enrols_signs_in_with_totp_and_a_recovery_code_and_ends_a_sign_in(
    live_server: LiveServer, chromium: Browser, open_pages: OpenPages
) -> None:
    desk = await _browser(live_server, chromium, open_pages, "desk")
    app = await admin_sign_in(desk, live_server)  # made to enrol: nothing else opens before
    await expect(desk).to_have_url(re.compile(r"/account#two-step$"))
    await expect(desk.get_by_test_id("two-step-status")).to_contain_text("Recovery codes left: 10")
    await desk.goto("/admin")
    await expect(desk).to_have_url(re.compile(r"/admin$"))

    laptop = await _browser(live_server, chromium, open_pages, "laptop")
    await _second_step(laptop, "000000")
    await expect(laptop.locator("#form-errors")).to_be_focused()
    await laptop.get_by_label("Code from the app, or a recovery code").fill(app.code())
    await laptop.get_by_role("button", name="Sign in", exact=True).click()
    await expect(laptop.get_by_text("You are signed in.")).to_be_visible()
    await expect(laptop).to_have_url(re.compile(r"/admin$"))

    phone = await _browser(live_server, chromium, open_pages, "phone")
    await _second_step(phone, app.recovery_codes[0])
    await expect(phone.get_by_text("You are signed in.")).to_be_visible()
    stranger = await _browser(live_server, chromium, open_pages, "stranger")
    await _second_step(stranger, app.recovery_codes[0])
    await expect(stranger.locator("#f-code-error")).to_contain_text("That code is not valid.")

    await desk.goto("/account")
    await expect(desk.get_by_test_id("two-step-status")).to_contain_text("Recovery codes left: 9")
    sign_ins = desk.locator("#sign-ins + p + ul > li")
    await expect(sign_ins).to_have_count(3)
    other = sign_ins.filter(has_not_text="this browser").first
    await other.get_by_role("button", name="Sign it out").click()
    await expect(desk.get_by_text("That sign-in is ended")).to_be_visible()
    await expect(sign_ins).to_have_count(2)
    ended = [page for page in (laptop, phone) if "/signin" in await _after_reload(page)]
    assert len(ended) == 1


async def _after_reload(page: Page) -> str:
    await page.goto("/admin")
    return page.url
