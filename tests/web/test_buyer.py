"""Buyer and investor pages: mandates, ranked and explained matches, interests sent and what an
accepted interest discloses."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import func, select

from msmebazaar.auth.models import User
from msmebazaar.match.models import Mandate
from msmebazaar.msme.interests import MAX_INTERESTS_PER_BUYER_PER_LISTING
from msmebazaar.msme.models import Interest, Listing, Msme
from msmebazaar.shared.db import Database
from tests.auth.factories import make_user
from tests.msme.factories import make_financials, make_interest, make_listing, make_msme
from tests.web.helpers import submit, visible_text


async def _live_listing(database: Database) -> tuple[Msme, Listing]:
    owner = await make_user(database, name="Ramesh Gupta")
    msme = await make_msme(database, owner.id, legal_name="Zenith Spices Private Limited")
    await make_financials(database, msme.id)
    listing = await make_listing(
        database,
        msme,
        headline="Profitable spice blender in western India",
        revenue=8 * 10**7,
        ebitda=12 * 10**6,
        asking_price=6 * 10**7,
    )
    return msme, listing


async def _buyer(database: Database) -> User:
    async with database.session() as session:
        buyer = await session.scalar(select(User).where(User.role == "buyer"))
    assert buyer is not None
    return buyer


async def test_a_mandate_is_created_from_the_form_with_amounts_in_crore(
    buyer_browser: httpx.AsyncClient, database: Database
) -> None:
    response = await submit(
        buyer_browser,
        "/buyer/mandates/new",
        {
            "title": "Food businesses in the west",
            "deal_types": ["full_sale", "stake_sale"],
            "sectors": ["food_processing"],
            "states": ["Maharashtra", "Gujarat"],
            "ticket_min": "1 crore",
            "ticket_max": "10 crore",
            "thesis": "Spices and snacks with a distributor network",
        },
    )

    assert response.status_code == 303
    async with database.session() as session:
        mandate = await session.scalar(select(Mandate))
    assert mandate is not None
    assert mandate.owner_id == (await _buyer(database)).id
    assert (mandate.ticket_min, mandate.ticket_max) == (10**7, 10**8)
    assert sorted(mandate.states) == ["Gujarat", "Maharashtra"]


async def test_a_mandate_page_ranks_matching_listings_with_score_grade_and_reasons(
    buyer_browser: httpx.AsyncClient, database: Database
) -> None:
    await _live_listing(database)
    created = await submit(
        buyer_browser,
        "/buyer/mandates/new",
        {
            "title": "Spice makers",
            "sectors": ["food_processing"],
            "states": ["Maharashtra"],
            "ticket_max": "10 crore",
        },
    )

    page = await buyer_browser.get(created.headers["location"])

    assert page.status_code == 200
    text = visible_text(page.text)
    assert "Profitable spice blender in western India" in text
    assert "/100" in text
    assert any(grade in text for grade in ("Excellent match", "Good match", "Fair match"))
    assert "Why it matches" in text
    assert "Zenith" not in text  # the card stays anonymous


async def test_a_mandate_form_with_an_unreadable_amount_keeps_what_was_typed(
    buyer_browser: httpx.AsyncClient, database: Database
) -> None:
    response = await submit(
        buyer_browser,
        "/buyer/mandates/new",
        {"title": "Anything", "ticket_min": "a lot", "sectors": ["textiles"]},
    )

    assert response.status_code == 422
    assert "We could not read this amount" in visible_text(response.text)
    assert 'value="textiles" selected' in response.text
    async with database.session() as session:
        assert await session.scalar(select(Mandate)) is None


async def test_an_owner_cannot_open_the_mandate_pages(owner_browser: httpx.AsyncClient) -> None:
    page = await owner_browser.get("/buyer/mandates")

    assert page.status_code == 403


async def test_sending_an_interest_stores_it_and_the_card_shows_its_status(
    buyer_browser: httpx.AsyncClient, database: Database
) -> None:
    _, listing = await _live_listing(database)
    listing_id = listing.id

    response = await submit(
        buyer_browser,
        f"/listings/{listing_id}/interest",
        {"message": "We run two spice brands and would like to talk."},
    )

    assert response.status_code == 303
    async with database.session() as session:
        interest = await session.scalar(select(Interest))
    assert interest is not None
    assert interest.status == "pending"
    page = await buyer_browser.get(f"/listings/{listing_id}")
    assert "Waiting for the owner" in visible_text(page.text)


async def test_a_too_short_message_is_explained(
    buyer_browser: httpx.AsyncClient, database: Database
) -> None:
    _, listing = await _live_listing(database)

    response = await submit(
        buyer_browser,
        f"/listings/{listing.id}/interest",
        {"message": "hi"},
    )

    assert response.status_code == 422
    assert "at least 10 characters" in visible_text(response.text)


async def test_the_name_appears_in_interests_sent_only_after_the_owner_accepts(
    buyer_browser: httpx.AsyncClient, database: Database
) -> None:
    _, listing = await _live_listing(database)
    await submit(
        buyer_browser,
        f"/listings/{listing.id}/interest",
        {"message": "We run two spice brands and would like to talk."},
    )
    before = await buyer_browser.get("/buyer/interests")
    assert "Zenith" not in before.text
    async with database.session() as session:
        interest = await session.scalar(select(Interest))
        assert interest is not None
        interest.status = "accepted"

    after = await buyer_browser.get("/buyer/interests")

    assert "Zenith Spices Private Limited" in visible_text(after.text)
    assert "+91" in after.text  # the owner's phone


async def test_a_mandate_can_be_edited_and_deleted(
    buyer_browser: httpx.AsyncClient, database: Database
) -> None:
    created = await submit(buyer_browser, "/buyer/mandates/new", {"title": "First idea"})
    mandate_id = uuid.UUID(created.headers["location"].rsplit("/", 1)[1])
    form = await buyer_browser.get(f"/buyer/mandates/{mandate_id}/edit")
    assert form.status_code == 200

    edited = await submit(
        buyer_browser,
        f"/buyer/mandates/{mandate_id}/edit",
        {"title": "Second idea", "active": "on", "version": "1"},
    )
    deleted = await submit(buyer_browser, f"/buyer/mandates/{mandate_id}/delete")

    assert edited.status_code == 303
    assert deleted.status_code == 303
    async with database.session() as session:
        assert await session.get(Mandate, mandate_id) is None


async def test_withdrawing_an_interest(
    buyer_browser: httpx.AsyncClient, database: Database
) -> None:
    _, listing = await _live_listing(database)
    await submit(
        buyer_browser,
        f"/listings/{listing.id}/interest",
        {"message": "We run two spice brands and would like to talk."},
    )
    async with database.session() as session:
        interest = await session.scalar(select(Interest))
    assert interest is not None

    response = await submit(buyer_browser, f"/buyer/interests/{interest.id}/withdraw")

    assert response.status_code == 303
    async with database.session() as session:
        stored = await session.get(Interest, interest.id)
    assert stored is not None
    assert stored.status == "withdrawn"


_CAP_SENTENCE = "You have sent the most interests allowed for this listing"


async def _send_then_withdraw(
    browser: httpx.AsyncClient, database: Database, listing: Listing
) -> None:
    sent = await submit(
        browser,
        f"/listings/{listing.id}/interest",
        {"message": "We run two spice brands and would like to talk."},
    )
    assert sent.status_code == 303, sent.text
    async with database.session() as session:
        live = await session.scalar(select(Interest.id).where(Interest.status == "pending"))
    withdrawn = await submit(browser, f"/buyer/interests/{live}/withdraw")
    assert withdrawn.status_code == 303, withdrawn.text


async def test_a_buyer_at_the_interest_cap_is_told_so_instead_of_offered_the_form(
    buyer_browser: httpx.AsyncClient, database: Database
) -> None:
    _, listing = await _live_listing(database)
    form = f'action="/listings/{listing.id}/interest"'

    for _ in range(MAX_INTERESTS_PER_BUYER_PER_LISTING - 1):
        await _send_then_withdraw(buyer_browser, database, listing)
        page = await buyer_browser.get(f"/listings/{listing.id}")
        # Withdrawn, with a send left: the form is back, and no word of a limit.
        assert form in page.text
        assert _CAP_SENTENCE not in visible_text(page.text)
    await _send_then_withdraw(buyer_browser, database, listing)

    page = await buyer_browser.get(f"/listings/{listing.id}")

    assert page.status_code == 200
    assert form not in page.text
    assert _CAP_SENTENCE in visible_text(page.text)


async def test_a_send_from_a_stale_form_at_the_cap_is_refused_with_the_sentence(
    buyer_browser: httpx.AsyncClient, database: Database
) -> None:
    _, listing = await _live_listing(database)
    buyer = await _buyer(database)
    for _ in range(MAX_INTERESTS_PER_BUYER_PER_LISTING):
        await make_interest(database, listing, buyer.id, status="withdrawn")

    response = await submit(
        buyer_browser,
        f"/listings/{listing.id}/interest",
        {"message": "We run two spice brands and would like to talk."},
    )

    assert response.status_code == 422
    assert _CAP_SENTENCE in visible_text(response.text)
    assert f'action="/listings/{listing.id}/interest"' not in response.text
    async with database.session() as session:
        stored = await session.scalar(select(func.count()).select_from(Interest))
    assert stored == MAX_INTERESTS_PER_BUYER_PER_LISTING
