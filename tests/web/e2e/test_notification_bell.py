"""The notification bell in a real browser (Debian's Chromium) on a 360 px phone: an owner's page
stays open while a buyer, in a browser of their own, sends an interest; the owner's bell shows 1
within two seconds, without a reload, and the new notification's title is read out. The owner
opens the inbox from the bell, opens the notification, lands on its page, and the bell is back
to none. The inbox and the channels page fit the phone and pass axe-core in English and
Hindi. A stream the server refuses (429, 503), which EventSource does not retry, is opened
again after a wait."""

from __future__ import annotations

import re
import time

from playwright.async_api import Browser, ConsoleMessage, Page, Route, ViewportSize, expect

from msmebazaar.shared.db import Database
from tests.msme.factories import make_listing, make_msme
from tests.web.e2e.conftest import LiveServer, OpenPages
from tests.web.e2e.flows import open_person, sign_in, user_id
from tests.web.e2e.test_story import AXE_RUN

OWNER_PHONE = "9812300041"
BUYER_PHONE = "9812300042"
OTHER_OWNER_PHONE = "9812300043"
STREAM = "**/api/v1/notifications/stream"
HEADLINE = "Solar panel installer with government contracts in Rajasthan"
TITLE = "New interest in your listing"
PHONE: ViewportSize = {"width": 360, "height": 740}
LIVE_WITHIN_MS = 2_000


async def _fits_and_passes_axe(page: Page, axe: str) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways ({width} px)"
    await page.add_script_tag(content=axe)
    violations = await page.evaluate(AXE_RUN)
    assert violations == [], f"{page.url}: {violations}"


async def test_the_bell_rings_without_a_reload_and_clears_once_the_notification_is_opened(
    live_server: LiveServer,
    live_database: Database,
    chromium: Browser,
    open_pages: OpenPages,
    axe_source: str,
) -> None:
    # The owner's browser keeps the pages' Content-Security-Policy (the stream must pass it);
    # axe-core, which needs it bypassed, runs in a second browser of the owner's.
    context = await chromium.new_context(base_url=live_server.base_url, viewport=PHONE)
    owner = await context.new_page()
    open_pages.pages["owner"] = owner
    refused: list[str] = []

    def note_refusal(message: ConsoleMessage) -> None:
        if "Refused" in message.text:
            refused.append(message.text)

    owner.on("console", note_refusal)
    buyer = await open_person(live_server, chromium, open_pages, "buyer", viewport=PHONE)
    await sign_in(owner, OWNER_PHONE, role="msme_owner", name="Asha Patel")
    await sign_in(buyer, BUYER_PHONE, role="buyer", name="Bharat Mehta")
    msme = await make_msme(live_database, await user_id(live_database, OWNER_PHONE))
    listing = await make_listing(live_database, msme, headline=HEADLINE)

    await owner.goto("/my/interests")
    bell = owner.locator("a[data-bell]")
    count = owner.get_by_test_id("bell-count")
    await expect(count).to_be_hidden()
    await expect(owner.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    await expect(bell).to_have_attribute("data-stream", "open")  # the live stream is open
    await owner.evaluate("window.stillTheSamePage = true")

    await buyer.goto(f"/listings/{listing.id}")
    await buyer.get_by_label("Your message to the owner").fill("We run two plants nearby.")
    await buyer.get_by_role("button", name="Send interest").click()
    await expect(buyer.get_by_text("Interest sent.")).to_be_visible()

    await expect(count).to_have_text("1", timeout=LIVE_WITHIN_MS)
    await expect(count).to_be_visible()
    await expect(owner.get_by_role("link", name="Notifications, 1 unread")).to_be_visible()
    await expect(owner.locator("[data-bell-announce]")).to_have_text(f"New notification: {TITLE}")
    assert await owner.evaluate("window.stillTheSamePage === true"), "the page was reloaded"

    await bell.click()
    await expect(owner.get_by_role("heading", level=1)).to_have_text("Notifications")
    item = owner.get_by_test_id("notification")
    await expect(item).to_have_count(1)
    await expect(item).to_contain_text(HEADLINE)
    await expect(item).to_contain_text("Unread")
    checker = await open_person(live_server, chromium, open_pages, "checker", viewport=PHONE)
    await sign_in(checker, OWNER_PHONE)
    await checker.goto("/notifications")
    await expect(checker.get_by_test_id("notification")).to_contain_text("Unread")
    await _fits_and_passes_axe(checker, axe_source)

    await item.get_by_role("button", name=re.compile(rf"^Open\s*:\s*{TITLE}$")).click()
    await expect(owner).to_have_url(re.compile(r"/my/interests$"))
    await expect(owner.get_by_role("heading", level=1)).to_have_text("Interests received")
    await expect(count).to_be_hidden()
    await expect(owner.get_by_role("link", name="Notifications", exact=True)).to_be_visible()

    assert refused == [], refused

    await checker.goto("/notifications")
    await expect(checker.get_by_test_id("notification")).not_to_contain_text("Unread")
    await _fits_and_passes_axe(checker, axe_source)
    await checker.get_by_role("link", name="Choose how you hear of each kind").click()
    await expect(checker.get_by_role("heading", level=1)).to_have_text("How we tell you")
    sms = checker.get_by_role("checkbox", name="Someone is interested in my listing SMS")
    await expect(sms).to_be_checked()
    await _fits_and_passes_axe(checker, axe_source)

    await checker.get_by_role("button", name="हिन्दी").click()
    await expect(checker.locator("html")).to_have_attribute("lang", "hi")
    await expect(checker.get_by_role("heading", level=1)).to_have_text("हम आपको कैसे बताएँ")
    await _fits_and_passes_axe(checker, axe_source)
    await checker.get_by_role("link", name="सभी सूचनाएँ").click()
    await expect(checker.get_by_role("heading", level=1)).to_have_text("सूचनाएँ")
    await _fits_and_passes_axe(checker, axe_source)


async def test_a_refused_stream_is_opened_again_after_a_wait(
    live_server: LiveServer, chromium: Browser, open_pages: OpenPages
) -> None:
    page = await open_person(live_server, chromium, open_pages, "owner", viewport=PHONE)
    await sign_in(page, OTHER_OWNER_PHONE, role="msme_owner", name="Farhan Ali")
    refusals: list[float] = []

    async def refuse(route: Route) -> None:
        refusals.append(time.monotonic())
        await route.fulfill(status=503, body="busy", headers={"Retry-After": "5"})

    await page.route(STREAM, refuse)
    await page.goto("/notifications")
    bell = page.locator("a[data-bell]")
    await expect(bell).to_have_attribute("data-stream", "closed")  # EventSource gave up
    await page.unroute(STREAM)

    await expect(bell).to_have_attribute("data-stream", "open", timeout=10_000)
    reopened = time.monotonic()
    assert len(refusals) == 1  # nothing in between: no hammering
    assert reopened - refusals[0] >= 4.5  # it waited (5 s at first)
