"""Issue 25's browser checks in Debian's Chromium: where focus goes on sign-in and in the
calculator, the resend countdown, the welcome step that only new users meet, and the admin
pages walked on a 360 px phone with no link an admin does not need."""

from __future__ import annotations

import re

from playwright.async_api import Browser, Page, ViewportSize, expect

from msmebazaar.shared.india import fiscal_year_of, india_today
from tests.auth.factories import new_phone
from tests.web.e2e.conftest import LiveServer, OpenPages
from tests.web.e2e.flows import admin_sign_in

PHONE: ViewportSize = {"width": 360, "height": 740}
ADMIN_PAGES = ("/admin", "/admin/verifications", "/admin/listings", "/admin/deals",
               "/admin/users", "/admin/audit-log")  # fmt: skip
# What an admin's menus may hold on a phone: the public pages, the admin pages, the account.
ADMIN_LINKS = re.compile(r"^/($|sectors$|valuation$|account$|admin(/|$)|signin)")


async def _page(server: LiveServer, chromium: Browser, pages: OpenPages, name: str) -> Page:
    context = await chromium.new_context(base_url=server.base_url, viewport=PHONE)
    page = await context.new_page()
    pages.pages[name] = page
    return page


async def test_sign_in_moves_focus_counts_down_and_welcomes_only_new_users(
    live_server: LiveServer, chromium: Browser, open_pages: OpenPages
) -> None:
    page = await _page(live_server, chromium, open_pages, "signin")
    await page.goto("/signin")
    await page.get_by_label("Mobile number").fill("12345")
    await page.get_by_role("button", name="Send code").click()
    await expect(page.locator("#form-errors")).to_be_focused()  # the error, not the top of the page

    await page.get_by_label("Mobile number").fill(new_phone())
    await page.get_by_role("button", name="Send code").click()
    await expect(page.locator("#f-code")).to_be_focused()
    code = await page.get_by_test_id("debug-code").locator("strong").inner_text()
    resend = page.get_by_role("button", name="Send a new code")
    await expect(resend).to_be_disabled()
    timer = page.get_by_role("timer")
    first = await timer.inner_text()
    await expect(timer).not_to_have_text(first, timeout=3_000)  # it counts down
    assert re.search(r"in \d+ s\.", await timer.inner_text())
    await expect(page.get_by_role("radio")).to_have_count(0)  # no "New here?" for anyone

    await page.get_by_label("6-digit code").fill("000000")
    await page.get_by_role("button", name="Sign in", exact=True).click()
    await expect(page.locator("#form-errors")).to_be_focused()
    await expect(page.get_by_role("link", name=re.compile("code"))).to_be_visible()
    await expect(page.get_by_role("timer")).to_be_visible()  # the wait survives the error

    await page.get_by_label("6-digit code").fill(code)
    await page.get_by_role("button", name="Sign in", exact=True).click()
    await expect(page).to_have_url(re.compile(r"/welcome$"))
    await page.locator("#role-buyer").check()
    await page.get_by_role("button", name="Continue").click()
    await expect(page).to_have_url(re.compile(r"/buyer/mandates$"))


async def test_the_admin_pages_fit_a_phone_and_hold_only_admin_links(
    live_server: LiveServer, chromium: Browser, open_pages: OpenPages
) -> None:
    page = await _page(live_server, chromium, open_pages, "admin")
    await admin_sign_in(page, live_server)
    await page.goto("/admin")
    await expect(page).to_have_url(re.compile(r"/admin$"))  # an existing user: no welcome step
    for path in ADMIN_PAGES:
        answer = await page.goto(path)
        assert answer is not None
        assert answer.status == 200, path
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} scrolls sideways ({width} px)"
        hrefs = await page.locator("header a, nav a").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
        foreign = [href for href in hrefs if not ADMIN_LINKS.match(href.split("?")[0])]
        assert foreign == [], f"{path}: {foreign}"
        await expect(page.get_by_role("link", name="Audit log")).to_be_visible()

    await page.goto("/admin")
    await expect(page.get_by_role("link", name="Users (CSV)")).to_be_visible()
    await expect(page.get_by_test_id("deal-flow-empty")).to_be_visible()


async def test_the_calculators_result_takes_focus_and_no_running_year_is_latest(
    live_server: LiveServer, chromium: Browser, open_pages: OpenPages
) -> None:
    page = await _page(live_server, chromium, open_pages, "calculator")
    await page.goto("/valuation")
    legends = await page.locator("fieldset.year legend").all_inner_texts()
    running = fiscal_year_of(india_today())
    assert not any(running in legend for legend in legends), legends
    assert "latest complete year" in legends[0]

    await page.get_by_label("Sector").select_option("food_processing")
    await page.locator("#f-y0_revenue").fill("2 crore")
    await page.locator("#f-y0_ebitda").fill("30 lakh")
    await page.get_by_role("button", name="Value it").click()

    await expect(page.get_by_test_id("valuation-range")).to_be_visible()
    await expect(page.locator("#valuation-result")).to_be_focused()
    await page.wait_for_load_state()
    top = await page.evaluate(
        "document.getElementById('valuation-result').getBoundingClientRect().top"
    )
    assert -2 <= top < PHONE["height"] / 2, top  # its heading and range are in view
