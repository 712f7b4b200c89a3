"""Public pages: the marketplace search, a listing's card (the privacy rule as in the API),
sector pages, the identifier checks and the static files."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from msmebazaar.auth.models import User
from msmebazaar.msme.models import Msme
from msmebazaar.shared.db import Database
from tests.auth.factories import make_user
from tests.msme.factories import make_financials, make_interest, make_listing, make_msme
from tests.web.helpers import visible_text, web_sign_in

GSTIN = "27AAPFU0939F1ZV"


async def _business(database: Database, **overrides: Any) -> Msme:
    owner = await make_user(database, name="Ramesh Gupta")
    return await make_msme(
        database,
        owner.id,
        legal_name="Zenith Spices Private Limited",
        trade_name="Zenith Masala",
        city="Nashik",
        pincode="422001",
        website="https://zenithmasala.in",
        **overrides,
    )


async def test_home_lists_active_listings_as_cards(
    browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _business(database)
    await make_listing(database, msme, headline="Spice blender with a national distributor")
    await make_listing(database, msme, headline="A draft nobody may see yet", status="draft")

    page = await browser.get("/")

    assert page.status_code == 200
    text = visible_text(page.text)
    assert "Spice blender with a national distributor" in text
    assert "A draft nobody may see yet" not in text
    assert "1 listing found" in text


async def test_search_filters_by_words_state_and_a_price_typed_in_lakh(
    browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _business(database)
    await make_listing(
        database, msme, headline="Cold storage near Nashik farms", asking_price=40 * 10**5
    )
    await make_listing(
        database, msme, headline="Cold storage chain, big ticket", asking_price=9 * 10**7
    )

    page = await browser.get(
        "/", params={"q": "cold storage", "state": "Maharashtra", "price_max": "50 lakh"}
    )

    text = visible_text(page.text)
    assert "Cold storage near Nashik farms" in text
    assert "big ticket" not in text
    assert "₹40 L" in text


async def test_an_unreadable_price_is_explained_and_the_search_still_runs(
    browser: httpx.AsyncClient,
) -> None:
    page = await browser.get("/", params={"price_min": "lots"})

    assert page.status_code == 200
    assert "We could not read this amount" in visible_text(page.text)


async def test_crossed_price_bounds_are_explained(browser: httpx.AsyncClient) -> None:
    page = await browser.get("/", params={"price_min": "2 crore", "price_max": "1 crore"})

    assert page.status_code == 200
    assert "price_min is above price_max" in visible_text(page.text)


async def test_the_results_alone_are_sent_to_the_pages_script(browser: httpx.AsyncClient) -> None:
    page = await browser.get("/", headers={"X-Partial": "results"})

    assert page.status_code == 200
    assert "<html" not in page.text
    assert "listings found" in page.text


async def test_an_anonymous_listing_shows_no_identity_to_the_public(
    browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _business(database)
    await make_financials(database, msme.id)
    listing = await make_listing(database, msme, revenue=8 * 10**7, ebitda=12 * 10**6)

    page = await browser.get(f"/listings/{listing.id}")

    assert page.status_code == 200
    for secret in (
        "Zenith", "Nashik", "422001", "zenithmasala", str(msme.gstin), str(msme.pan),
        str(msme.udyam_number),
        str(msme.id),
    ):  # fmt: skip
        assert secret not in page.text
    text = visible_text(page.text)
    assert "₹5–10 Cr" in text  # revenue as a band, never the figure
    assert "listed anonymously" in text


async def test_a_named_listing_shows_its_name_and_city_but_no_identifiers(
    browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _business(database)
    listing = await make_listing(database, msme, anonymous=False)

    page = await browser.get(f"/listings/{listing.id}")

    text = visible_text(page.text)
    assert "Zenith Spices Private Limited" in text
    assert "Nashik" in text
    assert str(msme.gstin) not in page.text


async def test_a_buyer_whose_interest_was_accepted_sees_who_the_business_is(
    buyer_browser: httpx.AsyncClient, database: Database
) -> None:

    msme = await _business(database)
    listing = await make_listing(database, msme)
    async with database.session() as session:
        buyer = await session.scalar(select(User).where(User.role == "buyer"))
    assert buyer is not None
    await make_interest(database, listing, buyer.id, status="accepted")

    page = await buyer_browser.get(f"/listings/{listing.id}")

    text = visible_text(page.text)
    assert "Zenith Spices Private Limited" in text
    assert str(msme.gstin) in text
    assert "Accepted" in text


async def test_a_listing_that_is_not_live_is_a_page_not_found(
    browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _business(database)
    listing = await make_listing(database, msme, status="submitted")

    page = await browser.get(f"/listings/{listing.id}")

    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "No such listing" in visible_text(page.text)


@pytest.mark.parametrize("path", ["/listings/not-a-uuid", "/sectors/no_such_sector", "/check/cin"])
async def test_pages_that_do_not_exist_answer_404_as_a_page(
    browser: httpx.AsyncClient, path: str
) -> None:
    page = await browser.get(path)

    assert page.status_code == 404
    assert "<html" in page.text


async def test_a_sector_page_lists_its_listings_and_its_multiple(
    browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _business(database)
    await make_listing(database, msme, headline="Namkeen unit with export orders")

    page = await browser.get("/sectors/food_processing")

    text = visible_text(page.text)
    assert page.status_code == 200
    assert "Food Processing" in text
    assert "Namkeen unit with export orders" in text
    assert "× EBITDA" in text


async def test_the_sector_list_links_every_sector(browser: httpx.AsyncClient) -> None:
    page = await browser.get("/sectors")

    assert page.status_code == 200
    assert 'href="/sectors/food_processing"' in page.text
    assert 'href="/sectors/textiles"' in page.text


async def test_gstin_checksum_errors_are_explained_in_plain_words(
    browser: httpx.AsyncClient,
) -> None:
    hint = await browser.get("/check/gstin", params={"value": "27AAPFU0939F1ZX"})

    assert hint.status_code == 200
    assert "check character" in hint.text
    assert "probably mistyped" in hint.text
    assert 'class="bad"' in hint.text


async def test_identifier_checks_answer_in_hindi_for_a_hindi_visitor(
    browser: httpx.AsyncClient,
) -> None:
    hint = await browser.get(
        "/check/gstin", params={"value": "27AAPFU0939F1Z"}, headers={"Accept-Language": "hi"}
    )

    assert "जीएसटीआईएन में ठीक 15 अक्षर होते हैं; इसमें 14 हैं।" in hint.text


@pytest.mark.parametrize(
    ("field", "params", "expected"),
    [
        ("gstin", {"value": GSTIN, "state": "Maharashtra"}, "registered in Maharashtra"),
        ("gstin", {"value": GSTIN, "state": "Gujarat"}, "but the business is in Gujarat"),
        ("gstin", {"value": "27AAPFU0939F1ZV", "pan": "AAPFU0939G"}, "belongs to PAN AAPFU0939F"),
        ("gstin", {"value": "00AAPFU0939F1ZV"}, "'00' is not a state code"),
        ("pan", {"value": "AAPFU0939F"}, "Valid PAN of a firm or LLP"),
        ("pan", {"value": "AAPXU0939F"}, "'X' is not one of them"),
        ("pan", {"value": "AAP"}, "this one has 3"),
        ("udyam_number", {"value": "UDYAM-MH-26-0012345"}, "Valid Udyam number"),
        ("udyam_number", {"value": "UDYAM-ZZ-26-0012345"}, "'ZZ' is not a state code"),
        ("udyam_number", {"value": "12345"}, "looks like UDYAM-MH-26-0012345"),
    ],
)  # fmt: skip
async def test_each_identifier_rule_has_its_own_explanation(
    browser: httpx.AsyncClient, field: str, params: dict[str, str], expected: str
) -> None:
    hint = await browser.get(f"/check/{field}", params=params)

    assert expected in visible_text(hint.text)


async def test_an_empty_identifier_has_no_verdict(browser: httpx.AsyncClient) -> None:
    hint = await browser.get("/check/pan", params={"value": "  "})

    assert hint.status_code == 200
    assert visible_text(hint.text) == ""


async def test_static_files_are_cached_for_a_year_by_their_versioned_url(
    browser: httpx.AsyncClient,
) -> None:
    home = await browser.get("/")
    url = home.text.split('rel="stylesheet" href="')[1].split('"')[0]

    first = await browser.get(url)
    again = await browser.get(url, headers={"If-None-Match": first.headers["etag"]})

    assert first.status_code == 200
    assert first.headers["content-type"].startswith("text/css")
    assert "immutable" in first.headers["cache-control"]
    assert again.status_code == 304
    assert (await browser.get("/static/../pyproject.toml")).status_code == 404
    assert (await browser.get("/static/nothing.css")).status_code == 404


async def test_pages_carry_a_strict_content_security_policy_and_are_not_cached(
    browser: httpx.AsyncClient,
) -> None:
    page = await browser.get("/")

    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-frame-options"] == "DENY"


async def test_the_api_keeps_its_json_envelope_beside_the_pages(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/api/v1/listings/not-a-uuid")

    assert response.status_code == 422
    assert response.json()["success"] is False


async def test_the_page_for_a_signed_in_user_names_them_and_offers_their_pages(
    browser: httpx.AsyncClient,
) -> None:
    await web_sign_in(browser, role="buyer", name="Bharat Mehta")

    page = await browser.get("/")

    text = visible_text(page.text)
    assert "Bharat Mehta" in text
    assert "My mandates" in text
    assert "My businesses" not in text
