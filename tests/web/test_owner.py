"""Owner pages: profiles with identifiers checked, financials in lakh and crore, documents,
valuations with their chart and PDF, listings and the interests received."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import func, select

from msmebazaar.auth.models import User
from msmebazaar.msme.models import Document, Financials, Interest, Listing, Msme
from msmebazaar.shared.db import Database
from msmebazaar.valuation.models import Valuation
from tests.msme.factories import gstin_for, make_financials, make_interest, make_listing, new_pan
from tests.web.helpers import submit, visible_text

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _profile_form(**overrides: str) -> dict[str, str]:
    pan = new_pan()
    form = {
        "legal_name": "Shree Ganesh Food Products Private Limited",
        "trade_name": "Ganesh Namkeen",
        "legal_form": "private_limited",
        "sector": "food_processing",
        "state": "Maharashtra",
        "city": "Pune",
        "gstin": gstin_for(pan, "27"),
        "pan": pan,
        "year_established": "2012",
        "employees": "42",
        "investment_in_plant_machinery": "1.8 crore",
    }
    return form | overrides


async def _owner(database: Database) -> User:
    async with database.session() as session:
        user = await session.scalar(select(User).where(User.role == "msme_owner"))
    assert user is not None
    return user


async def _create_profile(browser: httpx.AsyncClient, database: Database) -> Msme:
    response = await submit(browser, "/my/businesses/new", _profile_form())
    assert response.status_code == 303, visible_text(response.text)
    async with database.session() as session:
        msme = await session.scalar(select(Msme).order_by(Msme.created_at.desc()))
    assert msme is not None
    return msme


async def test_a_gstin_with_a_wrong_check_character_is_explained_and_nothing_is_stored(
    owner_browser: httpx.AsyncClient, database: Database
) -> None:
    good = _profile_form()
    wrong = good["gstin"][:14] + ("A" if good["gstin"][14] != "A" else "B")

    response = await submit(owner_browser, "/my/businesses/new", good | {"gstin": wrong})

    assert response.status_code == 422
    text = visible_text(response.text)
    assert "The last character is a check character" in text
    assert wrong in response.text  # the form keeps what was typed
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Msme)) == 0


async def test_a_valid_profile_is_created_pending_with_amounts_read_from_words(
    owner_browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _create_profile(owner_browser, database)

    owner = await _owner(database)
    assert msme.owner_id == owner.id
    assert msme.verification_status == "pending"
    assert msme.investment_in_plant_machinery == 1_80_00_000
    page = await owner_browser.get(f"/my/businesses/{msme.id}")
    assert "Awaiting verification" in visible_text(page.text)


async def test_missing_required_fields_are_named_next_to_each_field(
    owner_browser: httpx.AsyncClient,
) -> None:
    response = await submit(
        owner_browser, "/my/businesses/new", _profile_form(legal_name="", sector="")
    )

    assert response.status_code == 422
    assert response.text.count('aria-invalid="true"') >= 2
    assert "Please fill this in." in visible_text(response.text)


async def test_a_gstin_from_another_state_is_refused_with_both_states_named(
    owner_browser: httpx.AsyncClient,
) -> None:
    response = await submit(owner_browser, "/my/businesses/new", _profile_form(state="Gujarat"))

    assert response.status_code == 422
    assert "issued in Maharashtra (code 27), but the business is in Gujarat" in visible_text(
        response.text
    )


async def test_editing_the_legal_name_of_a_verified_profile_sends_it_back_to_pending(
    owner_browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _create_profile(owner_browser, database)
    async with database.session() as session:
        stored = await session.get(Msme, msme.id)
        assert stored is not None
        stored.verification_status = "verified"
    form = _profile_form(gstin=msme.gstin or "", pan=msme.pan or "")

    response = await submit(
        owner_browser,
        f"/my/businesses/{msme.id}/edit",
        form | {"legal_name": "Ganesh Foods LLP", "version": "2"},
    )

    assert response.status_code == 303
    async with database.session() as session:
        stored = await session.get(Msme, msme.id)
        assert stored is not None
        assert (stored.legal_name, stored.verification_status) == ("Ganesh Foods LLP", "pending")


async def test_a_stale_version_is_refused_without_losing_the_newer_edit(
    owner_browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _create_profile(owner_browser, database)
    form = _profile_form(gstin=msme.gstin or "", pan=msme.pan or "")
    await submit(owner_browser, f"/my/businesses/{msme.id}/edit", form | {"city": "Nagpur"})

    response = await submit(
        owner_browser, f"/my/businesses/{msme.id}/edit", form | {"city": "Satara", "version": "1"}
    )

    assert response.status_code == 422
    assert "Someone changed this since you opened it" in visible_text(response.text)
    async with database.session() as session:
        stored = await session.get(Msme, msme.id)
        assert stored is not None
        assert stored.city == "Nagpur"


async def test_financials_typed_in_lakh_and_crore_are_stored_in_rupees(
    owner_browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _create_profile(owner_browser, database)

    response = await submit(
        owner_browser,
        f"/my/businesses/{msme.id}/financials",
        {
            "fiscal_year": "2024-25",
            "revenue": "8 crore",
            "ebitda": "1.2 crore",
            "cash": "40,00,000",
        },
    )

    assert response.status_code == 303
    async with database.session() as session:
        year = await session.scalar(select(Financials).where(Financials.msme_id == msme.id))
    assert year is not None
    assert (year.revenue, year.ebitda, year.cash) == (8 * 10**7, 12 * 10**6, 40 * 10**5)
    page = await owner_browser.get(f"/my/businesses/{msme.id}")
    assert "₹8 Cr" in visible_text(page.text)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"revenue": "eight crore"}, "We could not read this amount"),
        ({"revenue": "1 crore", "ebitda": "2 crore"}, "EBITDA cannot be more than revenue"),
        ({"ebitda": "1 lakh"}, "Please fill this in."),
    ],
)
async def test_bad_financials_are_explained_and_not_stored(
    owner_browser: httpx.AsyncClient, database: Database, fields: dict[str, str], message: str
) -> None:
    msme = await _create_profile(owner_browser, database)

    response = await submit(
        owner_browser, f"/my/businesses/{msme.id}/financials", {"fiscal_year": "2024-25", **fields}
    )

    assert response.status_code == 422
    assert message in visible_text(response.text)
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Financials)) == 0


async def test_a_document_is_uploaded_listed_and_downloaded_by_its_owner_only(
    owner_browser: httpx.AsyncClient, buyer_browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _create_profile(owner_browser, database)

    response = await submit(
        owner_browser,
        f"/my/businesses/{msme.id}/documents",
        {"kind": "gst_certificate"},
        files={"file": ("gst.pdf", PDF, "application/pdf")},
    )

    assert response.status_code == 303
    async with database.session() as session:
        document = await session.scalar(select(Document).where(Document.msme_id == msme.id))
    assert document is not None
    assert document.kind == "gst_certificate"
    download = await owner_browser.get(f"/documents/{document.id}")
    assert download.status_code == 200
    assert download.content == PDF
    assert (await buyer_browser.get(f"/documents/{document.id}")).status_code == 404


async def test_a_file_that_is_not_a_pdf_or_image_is_refused_in_plain_words(
    owner_browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _create_profile(owner_browser, database)

    response = await submit(
        owner_browser,
        f"/my/businesses/{msme.id}/documents",
        {"kind": "other"},
        files={"file": ("notes.txt", b"just text", "text/plain")},
    )

    # Redirect-after-post: the browser lands on the business page, never on the POST's URL.
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith(f"/my/businesses/{msme.id}?")
    assert location.endswith("#documents")
    page = await owner_browser.get(location.split("#")[0])
    assert page.status_code == 200
    assert "Only PDF, PNG and JPEG files are accepted" in visible_text(page.text)


async def test_a_valuation_shows_its_range_as_a_chart_its_methods_and_assumptions(
    owner_browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _create_profile(owner_browser, database)
    await make_financials(database, msme.id, "2024-25")
    await make_financials(database, msme.id, "2023-24", revenue=7 * 10**7)

    response = await submit(owner_browser, f"/my/businesses/{msme.id}/valuations")

    assert response.status_code == 303
    page = await owner_browser.get(response.headers["location"])
    assert page.status_code == 200
    assert '<svg class="chart"' in page.text
    assert 'role="img"' in page.text
    text = visible_text(page.text)
    assert "EBITDA multiple" in text
    assert "Assumptions" in text
    async with database.session() as session:
        valuation = await session.scalar(select(Valuation).where(Valuation.msme_id == msme.id))
    assert valuation is not None
    pdf = await owner_browser.get(f"/valuations/{valuation.id}/report.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


async def test_valuing_a_business_without_figures_says_what_is_missing(
    owner_browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _create_profile(owner_browser, database)

    response = await submit(owner_browser, f"/my/businesses/{msme.id}/valuations")

    assert response.status_code == 422
    assert "Add at least one fiscal year with revenue" in visible_text(response.text)


async def test_another_owners_business_cannot_be_opened(
    owner_browser: httpx.AsyncClient, new_browser: object, database: Database
) -> None:
    msme = await _create_profile(owner_browser, database)
    from tests.web.helpers import web_sign_in  # noqa: PLC0415

    stranger = await new_browser()  # type: ignore[operator]
    await web_sign_in(stranger, role="msme_owner")

    page = await stranger.get(f"/my/businesses/{msme.id}")

    assert page.status_code == 404


async def test_a_buyer_is_told_the_owner_pages_are_for_another_role(
    buyer_browser: httpx.AsyncClient,
) -> None:
    page = await buyer_browser.get("/my/businesses")

    assert page.status_code == 403
    assert "This page is for another role" in visible_text(page.text)


async def test_a_listing_goes_from_draft_to_review_with_its_status_shown(
    owner_browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _create_profile(owner_browser, database)
    created = await submit(
        owner_browser,
        "/my/listings/new",
        {
            "msme_id": str(msme.id),
            "deal_type": "stake_sale",
            "asking_price": "4.5 crore",
            "stake_percent": "26",
            "anonymous": "on",
            "headline": "Profitable snacks maker in western India",
            "summary": "Established brand, steady distributor network, own licensed plant.",
        },
    )
    assert created.status_code == 303
    listing_id = uuid.UUID(created.headers["location"].rsplit("/", 1)[1])

    submitted = await submit(owner_browser, f"/my/listings/{listing_id}/submit")

    assert submitted.status_code == 303
    async with database.session() as session:
        listing = await session.get(Listing, listing_id)
    assert listing is not None
    assert (listing.status, listing.asking_price, listing.stake_percent) == (
        "submitted",
        45_000_000,
        26.0,
    )
    page = await owner_browser.get("/my/listings")
    assert "In review" in visible_text(page.text)


async def test_an_anonymous_listing_that_names_the_business_is_refused_on_submit(
    owner_browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _create_profile(owner_browser, database)
    listing = await make_listing(
        database, msme, status="draft", headline="Ganesh Namkeen is for sale now"
    )

    response = await submit(owner_browser, f"/my/listings/{listing.id}/submit")

    assert response.status_code == 422
    assert "gives the business away" in visible_text(response.text)


async def test_a_rejected_listing_shows_the_admins_reason(
    owner_browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _create_profile(owner_browser, database)
    await make_listing(
        database, msme, status="rejected", rejection_reason="Add the last two years of figures."
    )

    page = await owner_browser.get("/my/listings")

    assert "Rejected because: Add the last two years of figures." in visible_text(page.text)


async def test_accepting_an_interest_shares_the_buyers_contact(
    owner_browser: httpx.AsyncClient, buyer_browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _create_profile(owner_browser, database)
    listing = await make_listing(database, msme)
    async with database.session() as session:
        buyer = await session.scalar(select(User).where(User.role == "buyer"))
    assert buyer is not None
    interest = await make_interest(database, listing, buyer.id, status="pending")
    before = await owner_browser.get("/my/interests")
    assert buyer.phone not in before.text

    response = await submit(owner_browser, f"/my/interests/{interest.id}/accept")

    assert response.status_code == 303
    async with database.session() as session:
        stored = await session.get(Interest, interest.id)
    assert stored is not None
    assert stored.status == "accepted"
    after = await owner_browser.get("/my/interests")
    assert buyer.phone in after.text


async def test_the_financials_form_starts_open_until_the_first_year_is_stored(
    owner_browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _create_profile(owner_browser, database)

    empty = await owner_browser.get(f"/my/businesses/{msme.id}")
    await make_financials(database, msme.id, "2024-25")
    filled = await owner_browser.get(f"/my/businesses/{msme.id}")

    assert '<details data-testid="add-year" open>' in empty.text
    assert '<details data-testid="add-year">' in filled.text


async def test_an_upload_without_a_file_lands_back_on_the_business_page(
    owner_browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _create_profile(owner_browser, database)

    response = await submit(owner_browser, f"/my/businesses/{msme.id}/documents", {"kind": "other"})

    assert response.status_code == 303
    assert response.headers["location"].endswith("#documents")
    page = await owner_browser.get(response.headers["location"].split("#")[0])
    assert "Choose a file to upload." in visible_text(page.text)
