"""The whole story in a real browser (Debian's Chromium): an owner signs in, meets the GSTIN
checksum error as they type, fixes it, adds financials, sees the valuation chart and lists the
business; an admin approves the profile and the listing; a buyer finds it by search, sees no
identity, sends an interest; the owner accepts; the buyer now sees the name. Main pages are
checked with axe-core on the way: no serious or critical violations."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.msme.factories import gstin_for, new_pan
from tests.web.e2e.conftest import LiveServer, OpenPages
from tests.web.e2e.flows import admin_sign_in, sign_in

OWNER_PHONE = "9812300002"
BUYER_PHONE = "9812300003"
LEGAL_NAME = "Kesari Snacks Private Limited"
HEADLINE = "Profitable snacks maker with a western India distributor"
MOBILE = {"width": 360, "height": 740}
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.id} (${v.impact}): ${v.help} — ` +
      v.nodes.map(n => n.target.join(" ")).join(", "));
}"""


class Story:
    """The three people of the story, each in their own browser context."""

    def __init__(self, server: LiveServer, browser: Browser, pages: OpenPages, axe: str) -> None:
        self.server, self.browser, self.pages, self.axe = server, browser, pages, axe
        self.checked: list[str] = []

    async def person(self, name: str, **options: Any) -> Page:
        # CSP forbids inline scripts; the test's own axe injection is let through.
        context: BrowserContext = await self.browser.new_context(
            base_url=self.server.base_url, bypass_csp=True, **options
        )
        page = await context.new_page()
        self.pages.pages[name] = page
        return page

    async def accessible(self, page: Page) -> None:
        """axe-core finds no serious or critical violation on the page as it is now."""
        await page.add_script_tag(content=self.axe)
        violations = await page.evaluate(AXE_RUN)
        assert violations == [], f"{page.url}: {violations}"
        self.checked.append(page.url)


async def _sign_in(page: Page, phone: str, *, role: str | None = None, name: str = "") -> None:
    await sign_in(page, phone, role=role, name=name)


async def _owner_creates_profile(story: Story, owner: Page) -> None:
    await owner.get_by_role("link", name="Add a business").click()
    await story.accessible(owner)
    await owner.get_by_label("Legal name").fill(LEGAL_NAME)
    await owner.get_by_label("Legal form").select_option("private_limited")
    await owner.get_by_label("Sector").select_option("food_processing")
    await owner.get_by_label("State").select_option("Maharashtra")
    await owner.get_by_label("City").fill("Pune")
    gstin = gstin_for(new_pan(), "27")
    wrong = gstin[:14] + ("A" if gstin[14] != "A" else "B")
    field = owner.locator("#f-gstin")
    await field.press_sequentially(wrong)
    hint = owner.locator("#f-gstin-error")
    await expect(hint).to_contain_text("check character")  # explained as they type
    await expect(field).to_have_attribute("aria-invalid", "true")
    await field.fill(gstin)
    await field.blur()
    await expect(hint).to_contain_text("Valid GSTIN, registered in Maharashtra")
    await owner.get_by_label("Investment in plant and machinery").fill("1.5 crore")
    await owner.get_by_role("button", name="Save").click()
    await expect(owner.get_by_text("Business profile created")).to_be_visible()


async def _owner_adds_financials_and_values(story: Story, owner: Page) -> None:
    for year, revenue, ebitda in (
        ("2024-25", "8 crore", "1.2 crore"),
        ("2023-24", "7 crore", "1 crore"),
    ):
        # The form starts open while the profile has no year; later it is opened by its title.
        if await owner.get_by_test_id("add-year").get_attribute("open") is None:
            await owner.get_by_text("Add or correct a year").click()
        await owner.get_by_label("Fiscal year").select_option(year)
        await owner.get_by_label("Revenue (turnover)").fill(revenue)
        await owner.get_by_label("EBITDA").fill(ebitda)
        await owner.get_by_label("Total assets").fill("5 crore")
        await owner.get_by_label("Total liabilities").fill("2 crore")
        await owner.get_by_role("button", name="Save the year").click()
        await expect(owner.get_by_text("Financials saved.")).to_be_visible()
    await expect(owner.locator("#financials table")).to_contain_text("₹8 Cr")
    await story.accessible(owner)
    await owner.get_by_role("button", name="Value the business now").click()
    chart = owner.get_by_test_id("valuation-chart").locator("svg")
    await expect(chart).to_be_visible()
    await expect(chart.locator("rect.bar-range")).to_have_count(1)
    await expect(owner.get_by_test_id("valuation-range")).to_contain_text("Worth ₹")
    await story.accessible(owner)
    await owner.get_by_role("link", name="Back to the business").click()


async def _owner_lists(story: Story, owner: Page) -> None:
    await owner.get_by_role("link", name="List this business").click()
    await owner.get_by_label("Deal").select_option("full_sale")
    await owner.get_by_label("Asking price").fill("6 crore")
    await owner.get_by_label("Headline").fill(HEADLINE)
    await owner.get_by_label("About the business").fill(
        "Traditional namkeen made in a licensed plant, sold through 40 distributors."
    )
    await expect(owner.get_by_label("List anonymously")).to_be_checked()
    await story.accessible(owner)
    await owner.get_by_role("button", name="Save").click()
    await owner.get_by_role("button", name="Submit for review").click()
    await expect(owner.get_by_text("Listing sent to the admins for review.")).to_be_visible()
    await expect(owner.locator("main")).to_contain_text("In review")


async def _admin_approves(story: Story, admin: Page) -> None:
    await admin_sign_in(admin, story.server)
    await admin.goto("/admin/verifications")
    case = admin.get_by_test_id("verification-case").filter(has_text=LEGAL_NAME)
    await expect(case).to_contain_text("GSTIN check character")
    await story.accessible(admin)
    await case.get_by_role("button", name="Approve").click()
    await expect(admin.get_by_text("Decision saved")).to_be_visible()
    await admin.goto("/admin/listings")
    item = admin.get_by_test_id("moderation-item").filter(has_text=HEADLINE)
    await item.get_by_role("button", name="Approve").click()
    await expect(admin.get_by_text("Decision saved")).to_be_visible()
    await admin.goto("/admin")
    await expect(admin.locator("svg.chart")).to_have_count(4)
    await story.accessible(admin)


async def _buyer_finds_and_asks(story: Story, buyer: Page) -> None:
    await _sign_in(buyer, BUYER_PHONE, role="buyer", name="Bharat Mehta")
    await buyer.goto("/")
    await story.accessible(buyer)
    await buyer.get_by_label("Words").fill("snacks distributor")
    await buyer.get_by_role("button", name="Search").click()
    await buyer.get_by_role("link", name=HEADLINE).click()
    main = buyer.locator("main")
    await expect(main).to_contain_text("listed anonymously")
    assert "Kesari" not in await main.inner_text()
    await story.accessible(buyer)
    await buyer.get_by_label("Your message to the owner").fill(
        "We run two snack brands in Gujarat and would like to talk."
    )
    await buyer.get_by_role("button", name="Send interest").click()
    await expect(buyer.get_by_text("Interest sent.")).to_be_visible()


async def _owner_accepts(owner: Page) -> None:
    await owner.goto("/my/interests")
    interest = owner.get_by_test_id("interest-received").filter(has_text="Bharat Mehta")
    await interest.get_by_role("button", name="Accept and share contacts").click()
    await expect(owner.get_by_text("Interest accepted")).to_be_visible()
    await expect(owner.locator("main")).to_contain_text("+919812300003")


async def test_an_owner_lists_an_admin_approves_and_a_buyer_gets_the_name(
    live_server: LiveServer, chromium: Browser, open_pages: OpenPages, axe_source: str
) -> None:
    story = Story(live_server, chromium, open_pages, axe_source)
    owner = await story.person("owner", viewport=MOBILE)
    await owner.goto("/")
    await owner.keyboard.press("Tab")
    await expect(owner.locator(":focus")).to_have_text("Skip to the main content")
    await story.accessible(owner)
    await _sign_in(owner, OWNER_PHONE, name="Asha Patel")
    await expect(owner).to_have_url(re.compile(r"/my/businesses$"))
    await _owner_creates_profile(story, owner)
    await _owner_adds_financials_and_values(story, owner)
    await _owner_lists(story, owner)

    await _admin_approves(story, await story.person("admin"))
    buyer = await story.person("buyer")
    await _buyer_finds_and_asks(story, buyer)
    await _owner_accepts(owner)

    await buyer.goto("/buyer/interests")
    await expect(buyer.get_by_test_id("disclosed-name")).to_contain_text(LEGAL_NAME)
    await buyer.get_by_role("link", name=HEADLINE).first.click()
    await expect(buyer.get_by_test_id("business-name")).to_contain_text(LEGAL_NAME)
    assert len(story.checked) >= 8


async def test_the_main_pages_pass_axe_in_hindi_too(
    live_server: LiveServer, chromium: Browser, open_pages: OpenPages, axe_source: str
) -> None:
    story = Story(live_server, chromium, open_pages, axe_source)
    page = await story.person(
        "visitor", viewport=MOBILE, locale="hi-IN", extra_http_headers={"Accept-Language": "hi"}
    )
    for path in ("/", "/sectors", "/sectors/food_processing", "/valuation", "/signin"):
        await page.goto(path)
        await expect(page.locator("html")).to_have_attribute("lang", "hi")
        await story.accessible(page)
    await page.goto("/valuation")
    await page.get_by_label("क्षेत्र").select_option("food_processing")
    await page.locator("#f-y0_revenue").fill("2 करोड़")
    await page.locator("#f-y0_ebitda").fill("30 लाख")
    await page.get_by_role("button", name="मूल्यांकन करें").click()
    await expect(page.get_by_test_id("valuation-chart").locator("svg")).to_be_visible()
    await expect(page.get_by_test_id("valuation-range")).to_contain_text("करोड़")
    await story.accessible(page)
