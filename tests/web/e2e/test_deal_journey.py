"""The deal journey end to end in a real browser (Debian's Chromium), each person in their own
browser: the owner accepts a buyer's interest; both accept the NDA; they exchange messages; the
buyer opens a document and the owner sees that they did; the buyer makes an offer, the owner
counters, the buyer accepts, the owner closes the deal as won; the listing leaves the
marketplace; and the admin's overview counts the deal through every step of its funnel."""

from __future__ import annotations

from playwright.async_api import Browser, Page, expect

from msmebazaar.shared.db import Database
from tests.msme.factories import make_interest, make_listing, make_msme
from tests.web.e2e.conftest import LiveServer, OpenPages
from tests.web.e2e.flows import admin_sign_in, open_person, sign_in, user_id

OWNER_PHONE = "9812300021"
BUYER_PHONE = "9812300022"
HEADLINE = "Cold-pressed oil mill with a regional brand in Rajasthan"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


async def _stage_is(page: Page, stage: str) -> None:
    current = page.get_by_test_id("stage-tracker").locator("[aria-current=step]")
    await expect(current).to_contain_text(stage)


async def _send_message(page: Page, text: str) -> None:
    await page.get_by_label("Your message").fill(text)
    await page.get_by_role("button", name="Send", exact=True).click()
    await expect(page.get_by_text("Message sent.")).to_be_visible()


async def _offer(page: Page, amount: str, terms: str, button: str = "Send the offer") -> None:
    await page.get_by_label("Amount (rupees)").fill(amount)
    await page.get_by_label("Terms").fill(terms)
    await page.get_by_role("button", name=button).click()


async def test_from_an_accepted_interest_to_a_won_deal_in_the_admin_funnel(
    live_server: LiveServer, live_database: Database, chromium: Browser, open_pages: OpenPages
) -> None:
    owner = await open_person(live_server, chromium, open_pages, "owner")
    buyer = await open_person(live_server, chromium, open_pages, "buyer")
    admin = await open_person(live_server, chromium, open_pages, "admin")
    await sign_in(owner, OWNER_PHONE, role="msme_owner", name="Kavita Rathore")
    await sign_in(buyer, BUYER_PHONE, role="buyer", name="Imran Sheikh")
    msme = await make_msme(live_database, await user_id(live_database, OWNER_PHONE))
    listing = await make_listing(live_database, msme, headline=HEADLINE)
    buyer_id = await user_id(live_database, BUYER_PHONE)
    await make_interest(live_database, listing, buyer_id, status="pending")

    # The owner puts last year's accounts on the business's profile.
    await owner.goto(f"/my/businesses/{msme.id}")
    await owner.get_by_label("Kind of document").select_option(label="Financial statement")
    await owner.get_by_label("File", exact=True).set_input_files(
        {"name": "accounts-2025.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    await owner.get_by_role("button", name="Upload").click()
    await expect(owner.get_by_role("link", name="accounts-2025.pdf")).to_be_visible()

    # The interest is accepted: a deal room opens for both.
    await owner.goto("/my/interests")
    await owner.get_by_role("button", name="Accept and share contacts").click()
    await owner.get_by_role("link", name="Open the deal room").click()
    deal_path = owner.url.removeprefix(live_server.base_url)
    await _stage_is(owner, "Introduced")
    await owner.get_by_role("button", name="Accept the NDA").click()
    await buyer.goto("/deals")
    await buyer.get_by_role("link", name=HEADLINE).click()
    await expect(buyer.get_by_test_id("documents-closed")).to_be_visible()  # not before both
    await buyer.get_by_role("button", name="Accept the NDA").click()
    await expect(buyer.get_by_text("Both sides accepted the NDA.")).to_be_visible()
    await _stage_is(buyer, "NDA accepted")

    await _send_message(buyer, "Could we see last year's accounts before we talk price?")
    await owner.goto(deal_path)
    await expect(owner.get_by_test_id("messages")).to_contain_text("last year's accounts")
    await _send_message(owner, "They are in the documents now.")

    # The buyer opens the document; the owner sees who opened what.
    await buyer.reload()
    async with buyer.expect_download() as opened:
        await buyer.get_by_role("link", name="accounts-2025.pdf").click()
    assert (await opened.value).suggested_filename == "accounts-2025.pdf"
    await buyer.reload()
    await _stage_is(buyer, "Due diligence")
    await owner.reload()
    await expect(owner.get_by_test_id("access-log")).to_contain_text("accounts-2025.pdf")

    # Offer, counter-offer, acceptance.
    await _offer(buyer, "42000000", "All cash, 60 days to close, subject to a site visit.")
    await expect(buyer.get_by_text("Offer sent.")).to_be_visible()
    await owner.reload()
    await _offer(owner, "46000000", "All cash; the brand and the plant included.")
    await expect(owner.get_by_text("Counter-offer sent.")).to_be_visible()
    await buyer.reload()
    await buyer.get_by_role("button", name="Accept this offer").click()
    await expect(buyer.get_by_text("Offer accepted.")).to_be_visible()
    await _stage_is(buyer, "Offer accepted")
    await buyer.goto(f"/listings/{listing.id}")
    await expect(buyer.get_by_test_id("under-offer")).to_be_visible()

    # The owner closes it as won: the listing leaves the marketplace.
    await owner.goto(deal_path)
    await owner.get_by_label("Deal done").check()
    await owner.get_by_label("Why").fill("Share purchase agreement signed on 5 December.")
    await owner.get_by_role("button", name="Close the deal").click()
    await expect(owner.get_by_text("Deal closed.")).to_be_visible()
    await _stage_is(owner, "Closed: deal done")
    response = await buyer.goto(f"/listings/{listing.id}")
    assert response is not None
    assert response.status == 404

    # The admin's overview follows the deal through every step of the funnel.
    await admin_sign_in(admin, live_server)
    await admin.goto("/admin")
    funnel = admin.get_by_test_id("deal-funnel")
    await expect(funnel.locator(".chart-value")).to_have_text(["1 (100%)"] * 4)
    await admin.goto("/admin/deals")
    await expect(admin.get_by_role("main")).to_contain_text(HEADLINE)
