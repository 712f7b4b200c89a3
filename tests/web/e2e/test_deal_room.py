"""A deal room in a real browser (Debian's Chromium) on a 360 px phone: the owner accepts an
interest and follows the link into the deal room; both sides accept the NDA with the keyboard;
a message the buyer sends appears on the owner's open page without a reload (the page polls);
the room fits the phone and passes axe-core in English and Hindi."""

from __future__ import annotations

import re

from playwright.async_api import Browser, Page, ViewportSize, expect

from msmebazaar.shared.db import Database
from tests.msme.factories import make_interest, make_listing, make_msme
from tests.web.e2e.conftest import LiveServer, OpenPages
from tests.web.e2e.flows import open_person, sign_in, user_id
from tests.web.e2e.test_story import AXE_RUN

OWNER_PHONE = "9812300012"
BUYER_PHONE = "9812300013"
HEADLINE = "Family-run dal mill with its own brand in Madhya Pradesh"
PHONE: ViewportSize = {"width": 360, "height": 740}


async def _fits_and_passes_axe(page: Page, axe: str) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways ({width} px)"
    await page.add_script_tag(content=axe)
    violations = await page.evaluate(AXE_RUN)
    assert violations == [], f"{page.url}: {violations}"


async def test_a_deal_room_on_a_phone_with_the_keyboard_and_live_messages(
    live_server: LiveServer,
    live_database: Database,
    chromium: Browser,
    open_pages: OpenPages,
    axe_source: str,
) -> None:
    owner = await open_person(live_server, chromium, open_pages, "owner", viewport=PHONE)
    buyer = await open_person(live_server, chromium, open_pages, "buyer", viewport=PHONE)
    await sign_in(owner, OWNER_PHONE, role="msme_owner", name="Asha Patel")
    await sign_in(buyer, BUYER_PHONE, role="buyer", name="Bharat Mehta")
    msme = await make_msme(live_database, await user_id(live_database, OWNER_PHONE))
    listing = await make_listing(live_database, msme, headline=HEADLINE)
    buyer_id = await user_id(live_database, BUYER_PHONE)
    await make_interest(live_database, listing, buyer_id, status="pending")

    await owner.goto("/my/interests")
    await owner.get_by_role("button", name="Accept and share contacts").click()
    await owner.get_by_role("link", name="Open the deal room").click()
    await expect(owner.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    await expect(owner.get_by_test_id("stage-tracker").locator("[aria-current=step]")).to_have_text(
        re.compile("Introduced")
    )
    await _fits_and_passes_axe(owner, axe_source)
    accept = owner.get_by_role("button", name="Accept the NDA")
    await accept.focus()
    await owner.keyboard.press("Enter")
    await expect(owner.get_by_text("You accepted the NDA.")).to_be_visible()

    await buyer.goto("/deals")
    await buyer.get_by_role("link", name=HEADLINE).click()
    await buyer.get_by_role("button", name="Accept the NDA").focus()
    await buyer.keyboard.press("Enter")
    await expect(buyer.get_by_text("Both sides accepted the NDA.")).to_be_visible()
    await _fits_and_passes_axe(buyer, axe_source)

    await owner.reload()
    await expect(owner.get_by_test_id("messages").locator("li")).to_have_count(0)
    message = buyer.get_by_label("Your message")
    await message.focus()
    await buyer.keyboard.type("Could we see last year's audited accounts?")
    await buyer.keyboard.press("Tab")
    await buyer.keyboard.press("Enter")
    await expect(buyer.get_by_text("Message sent.")).to_be_visible()
    # The owner's page, left open, shows it within a poll or two: no reload.
    await expect(owner.get_by_test_id("deal-message")).to_contain_text(
        "audited accounts", timeout=25_000
    )
    await expect(owner.get_by_text("No messages yet.")).to_have_count(0)

    await buyer.get_by_role("button", name="हिन्दी").click()
    await expect(buyer.locator("html")).to_have_attribute("lang", "hi")
    await expect(buyer.get_by_role("heading", name="गोपनीयता समझौता (एनडीए)")).to_be_visible()
    await _fits_and_passes_axe(buyer, axe_source)
