"""Deal-room pages (DESIGN.md §3 "Deals"): both sides walk a deal from the accepted interest to
a deal done — NDA, messages (masked before it, fetched as they arrive), a document opened and
shown in the access log, an offer, a counter-offer, its acceptance, closing; strangers get 404,
bad input a 4xx page that writes nothing, admins a list of every deal and a read-only room, and
Hindi readers their own words."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import httpx
from sqlalchemy import func, select

from msmebazaar.auth.models import User
from msmebazaar.msme.models import (
    Deal,
    DealMessage,
    DocumentAccess,
    Listing,
    Msme,
    NdaAcceptance,
    Offer,
)
from msmebazaar.shared.db import Database, utcnow
from msmebazaar.shared.india import india_today
from tests.auth.factories import make_user
from tests.msme.factories import make_deal_room, make_interest, make_listing, make_msme
from tests.web.conftest import BrowserFactory
from tests.web.helpers import submit, visible_text, web_sign_in

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
HEADLINE = "Profitable spice blender in western India"
_DEAL_LINK = re.compile(r'href="/deals/([0-9a-f-]{36})"')
_DOCUMENT_LINK = re.compile(r'href="(/deals/[0-9a-f-]{36}/documents/[0-9a-f-]{36})"')


def _offer_action(page: str, action: str) -> str:
    found = re.search(rf'action="(/deals/[0-9a-f-]{{36}}/offers/[0-9a-f-]{{36}}/{action})"', page)
    assert found, f"the page offers no {action} button"
    return found.group(1)


async def _user(database: Database, role: str) -> User:
    async with database.session() as session:
        user = await session.scalar(select(User).where(User.role == role))
    assert user is not None
    return user


async def _count(database: Database, model: type[object]) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _stage(database: Database, deal_id: str) -> str:
    async with database.session() as session:
        deal = await session.get(Deal, uuid.UUID(deal_id))
    assert deal is not None
    return deal.stage


def _in_days(days: int) -> str:
    return (india_today() + timedelta(days=days)).isoformat()


async def _room(database: Database, *, nda_signed: bool = False, **listing: object) -> str:
    """A deal room between the signed-in owner and buyer (their browsers' users)."""
    owner, buyer = await _user(database, "msme_owner"), await _user(database, "buyer")
    deal = await make_deal_room(
        database, owner.id, buyer.id, nda_signed=nda_signed, headline=HEADLINE, **listing
    )
    return str(deal.id)


async def test_both_sides_walk_a_deal_from_the_nda_to_a_deal_done(
    owner_browser: httpx.AsyncClient, buyer_browser: httpx.AsyncClient, database: Database
) -> None:
    owner, buyer = await _user(database, "msme_owner"), await _user(database, "buyer")
    msme = await make_msme(database, owner.id, legal_name="Zenith Spices Private Limited")
    listing = await make_listing(
        database, msme, headline=HEADLINE, deal_type="stake_sale", stake_percent=26
    )
    interest = await make_interest(database, listing, buyer.id, status="pending")
    assert (await submit(owner_browser, f"/my/interests/{interest.id}/accept")).status_code == 303

    # Each side finds the deal room from its interests page and its list of deals.
    received = await owner_browser.get("/my/interests")
    found = _DEAL_LINK.search(received.text)
    assert found, "the accepted interest links to no deal room"
    deal_id = found.group(1)
    assert f'href="/deals/{deal_id}"' in (await buyer_browser.get("/buyer/interests")).text
    mine = await buyer_browser.get("/deals")
    text = visible_text(mine.text)
    assert HEADLINE in text
    assert "You are the buyer" in text
    assert "Introduced" in text
    assert "0 days at this stage" in text
    room = f"/deals/{deal_id}"

    # Before the NDA: documents wait, contact details in messages are masked.
    uploaded = await submit(
        owner_browser,
        f"/my/businesses/{msme.id}/documents",
        {"kind": "financial_statement"},
        files={"file": ("accounts-2025.pdf", PDF, "application/pdf")},
    )
    assert uploaded.status_code == 303
    page = await buyer_browser.get(room)
    text = visible_text(page.text)
    assert "Accept the NDA" in text
    assert "MUTUAL NON-DISCLOSURE AGREEMENT" in text
    assert "The business's documents open once both sides have accepted the NDA." in text
    assert "Offers open once both sides have accepted the NDA." in text
    assert "accounts-2025.pdf" not in text
    sent = await submit(
        buyer_browser, f"{room}/messages", {"body": "Keen to talk. Call me on 98765 43210."}
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == f"{room}#message-form"
    seen_by_owner = visible_text((await owner_browser.get(room)).text)
    assert "Keen to talk." in seen_by_owner
    assert "98765 43210" not in seen_by_owner
    assert "Contact details in this message are hidden" in seen_by_owner

    # Both accept the NDA: the stage moves, documents open.
    for browser in (owner_browser, buyer_browser):
        accepted = await submit(browser, f"{room}/nda")
        assert accepted.status_code == 303
    assert await _count(database, NdaAcceptance) == 2
    assert await _stage(database, deal_id) == "nda_signed"
    page = await buyer_browser.get(room)
    assert "You accepted the NDA." in visible_text(page.text)
    assert "Both sides accepted the NDA." in visible_text(page.text)
    assert 'aria-current="step">NDA accepted' in page.text

    # A message the owner writes reaches the open page through the fragment it polls.
    last = max(int(p) for p in re.findall(r'data-position="(\d+)"', page.text))
    nothing_new = await buyer_browser.get(
        f"{room}/messages?after={last}", headers={"X-Partial": "messages"}
    )
    assert nothing_new.status_code == 204
    await submit(owner_browser, f"{room}/messages", {"body": "Welcome. Ask for anything."})
    fresh = await buyer_browser.get(
        f"{room}/messages?after={last}", headers={"X-Partial": "messages"}
    )
    assert fresh.status_code == 200
    assert "Welcome. Ask for anything." in visible_text(fresh.text)
    assert "The owner" in visible_text(fresh.text)
    assert "Keen to talk" not in fresh.text  # only what is new

    # The buyer opens the document from the deal room: logged, shown to the owner.
    page = await buyer_browser.get(room)
    link = _DOCUMENT_LINK.search(page.text)
    assert link, "the cleared buyer sees no document link"
    download = await buyer_browser.get(link.group(1))
    assert download.status_code == 200
    assert download.content == PDF
    assert download.headers["content-disposition"].startswith("attachment")
    assert await _count(database, DocumentAccess) == 1
    assert await _stage(database, deal_id) == "diligence"
    log = await owner_browser.get(room)
    assert 'data-testid="access-log"' in log.text
    assert "accounts-2025.pdf" in visible_text(log.text.split('data-testid="access-log"')[1])

    # The buyer offers, the owner counters, the buyer accepts the counter.
    offered = await submit(
        buyer_browser,
        f"{room}/offers",
        {
            "amount": "5 crore",
            "stake_percent": "26",
            "terms": "All cash, 60 days to close.",
            "valid_until": _in_days(30),
        },
    )
    assert offered.status_code == 303
    page = await owner_browser.get(room)
    assert "Offer sent" not in visible_text(page.text)  # the flash went to the buyer
    assert "₹5,00,00,000" in visible_text(page.text)
    assert "Make a counter-offer" in visible_text(page.text)
    countered = await submit(
        owner_browser,
        f"{room}/offers",
        {
            "amount": "5.5 crore",
            "stake_percent": "26",
            "terms": "Half now, half on transfer of the plant.",
            "valid_until": _in_days(14),
        },
    )
    assert countered.status_code == 303
    page = await buyer_browser.get(room)
    assert "Counter-offer sent" not in visible_text(page.text)
    assert "Countered" in visible_text(page.text)
    assert (await submit(buyer_browser, _offer_action(page.text, "accept"))).status_code == 303
    async with database.session() as session:
        offers = list(await session.scalars(select(Offer).order_by(Offer.created_at)))
    assert [(o.side, o.amount, o.status) for o in offers] == [
        ("buyer", 5 * 10**7, "countered"),
        ("owner", 55 * 10**6, "accepted"),
    ]
    assert await _stage(database, deal_id) == "offer"

    # The owner closes it as done: the listing closes, the room is read-only for both.
    closed = await submit(
        owner_browser,
        f"{room}/close",
        {"outcome": "won", "reason": "Share purchase agreement signed."},
    )
    assert closed.status_code == 303
    assert await _stage(database, deal_id) == "closed_won"
    async with database.session() as session:
        assert (await session.get(Listing, listing.id)).status == "closed"  # type: ignore[union-attr]
    for browser in (owner_browser, buyer_browser):
        page = await browser.get(room)
        text = visible_text(page.text)
        assert "Closed: deal done" in text
        assert "Share purchase agreement signed." in text
        assert f'action="{room}/messages"' not in page.text
        assert f'action="{room}/close"' not in page.text


async def test_a_stranger_gets_404_on_every_deal_page_and_changes_nothing(
    owner_browser: httpx.AsyncClient,
    buyer_browser: httpx.AsyncClient,
    new_browser: BrowserFactory,
    database: Database,
) -> None:
    deal_id = await _room(database, nda_signed=True)
    room = f"/deals/{deal_id}"
    await submit(buyer_browser, f"{room}/messages", {"body": "Hello from the buyer."})
    stranger = await new_browser()
    await web_sign_in(stranger, role="investor", name="Chetan Rao")
    before = (await _count(database, DealMessage), await _count(database, NdaAcceptance))

    answers = {
        path: (await stranger.get(path)).status_code
        for path in (room, f"{room}/documents/{uuid.uuid4()}")
    }
    polled = await stranger.get(f"{room}/messages?after=0", headers={"X-Partial": "messages"})
    answers[f"{room}/messages (poll)"] = polled.status_code
    for path, data in (
        (f"{room}/nda", {}),
        (f"{room}/messages", {"body": "Let us talk elsewhere."}),
        (f"{room}/offers", {"amount": "1 crore", "terms": "cash", "valid_until": _in_days(9)}),
        (f"{room}/offers/{uuid.uuid4()}/accept", {}),
        (f"{room}/close", {"outcome": "lost", "reason": "Not mine to close."}),
    ):
        answers[path] = (await submit(stranger, path, data)).status_code

    assert set(answers.values()) == {404}, answers
    assert (await _count(database, DealMessage), await _count(database, NdaAcceptance)) == before
    assert await _stage(database, deal_id) == "nda_signed"
    assert HEADLINE not in (await stranger.get("/deals")).text


async def test_an_empty_or_huge_message_is_explained_and_nothing_is_stored(
    buyer_browser: httpx.AsyncClient, owner_browser: httpx.AsyncClient, database: Database
) -> None:
    room = f"/deals/{await _room(database)}"

    empty = await submit(buyer_browser, f"{room}/messages", {"body": "   "})
    huge = await submit(buyer_browser, f"{room}/messages", {"body": "x" * 4001})

    assert empty.status_code == 422
    assert "Please fill this in." in visible_text(empty.text)
    assert huge.status_code == 422
    assert "Please keep this to 4000 characters or fewer." in visible_text(huge.text)
    assert 'aria-invalid="true"' in huge.text
    assert await _count(database, DealMessage) == 0


async def test_an_unreadable_offer_is_explained_field_by_field_and_nothing_is_stored(
    buyer_browser: httpx.AsyncClient, owner_browser: httpx.AsyncClient, database: Database
) -> None:
    deal_id = await _room(database, nda_signed=True, deal_type="investment", stake_percent=20)
    room = f"/deals/{deal_id}"

    response = await submit(
        buyer_browser,
        f"{room}/offers",
        {"amount": "a lot", "terms": "", "valid_until": "next week"},
    )
    too_late = await submit(
        buyer_browser,
        f"{room}/offers",
        {"amount": "2 crore", "stake_percent": "20", "terms": "cash", "valid_until": _in_days(400)},
    )

    assert response.status_code == 422
    text = visible_text(response.text)
    assert "We could not read this amount" in text
    assert "Say what share of the business is on offer" in text
    assert "Please fill this in." in text
    assert "Give a date like" in text
    assert 'value="a lot"' in response.text  # what was typed stays
    assert too_late.status_code == 422
    assert "no more than 180 days ahead" in visible_text(too_late.text)
    assert await _count(database, Offer) == 0


async def test_a_refused_action_is_shown_on_the_deal_page_not_as_a_failure(
    buyer_browser: httpx.AsyncClient, owner_browser: httpx.AsyncClient, database: Database
) -> None:
    room = f"/deals/{await _room(database, nda_signed=True)}"
    offer = {"amount": "4 crore", "terms": "cash", "valid_until": _in_days(10)}

    early_counter = await submit(owner_browser, f"{room}/offers", offer)
    assert (await submit(buyer_browser, f"{room}/offers", offer)).status_code == 303
    second = await submit(buyer_browser, f"{room}/offers", offer)
    page = await buyer_browser.get(room)
    own_accept = await submit(
        buyer_browser, _offer_action(page.text, "withdraw").replace("withdraw", "accept")
    )

    assert early_counter.status_code == 403
    assert "an owner counters only a buyer's pending offer" in visible_text(early_counter.text)
    assert second.status_code == 409
    assert "Your last offer is still waiting for an answer" in visible_text(second.text)
    assert own_accept.status_code == 403
    for answer in (early_counter, second, own_accept):
        assert answer.headers["content-type"].startswith("text/html")
        assert HEADLINE in answer.text  # the deal page again, with the reason
    assert await _count(database, Offer) == 1


async def test_a_closed_deal_refuses_messages_and_an_incomplete_close_is_explained(
    buyer_browser: httpx.AsyncClient, owner_browser: httpx.AsyncClient, database: Database
) -> None:
    room = f"/deals/{await _room(database)}"

    no_reason = await submit(owner_browser, f"{room}/close", {"outcome": "lost", "reason": ""})
    no_outcome = await submit(owner_browser, f"{room}/close", {"reason": "Price too far apart."})
    closed = await submit(
        owner_browser, f"{room}/close", {"outcome": "lost", "reason": "Price too far apart."}
    )
    late = await submit(buyer_browser, f"{room}/messages", {"body": "One more thing."})

    assert no_reason.status_code == 422
    assert "Please fill this in." in visible_text(no_reason.text)
    assert no_outcome.status_code == 422
    assert "Please choose one of the options." in visible_text(no_outcome.text)
    assert closed.status_code == 303
    assert late.status_code == 409
    assert "This deal is closed" in visible_text(late.text)
    assert await _count(database, DealMessage) == 0
    assert "Closed: no deal" in visible_text((await buyer_browser.get(room)).text)


async def test_the_admin_lists_every_deal_and_reads_one_without_acting(
    admin_browser: httpx.AsyncClient, database: Database
) -> None:
    owner = await make_user(database, name="Ramesh Gupta")
    buyer = await make_user(database, role="buyer", name="Bharat Mehta")
    deal = await make_deal_room(database, owner.id, buyer.id, headline=HEADLINE)
    other = await make_deal_room(database, owner.id, buyer.id, nda_signed=True)

    listed = await admin_browser.get("/admin/deals")
    filtered = await admin_browser.get("/admin/deals?stage=introduced")
    room = await admin_browser.get(f"/deals/{deal.id}")
    refused = await submit(admin_browser, f"/deals/{deal.id}/messages", {"body": "Admin here."})

    assert listed.status_code == 200
    text = visible_text(listed.text)
    assert HEADLINE in text
    assert "2 deals" in text
    assert f'href="/deals/{deal.id}"' in listed.text
    assert "0 days at this stage" in text
    assert 'href="/admin/deals" aria-current="page"' in listed.text
    assert f'href="/deals/{deal.id}"' in filtered.text
    assert f'href="/deals/{other.id}"' not in filtered.text
    assert room.status_code == 200
    assert "You are reading this deal as an admin" in visible_text(room.text)
    assert f'action="/deals/{deal.id}/messages"' not in room.text
    assert refused.status_code == 403
    assert await _count(database, DealMessage) == 0


async def test_the_deal_pages_read_in_hindi(
    buyer_browser: httpx.AsyncClient, owner_browser: httpx.AsyncClient, database: Database
) -> None:
    room = f"/deals/{await _room(database, nda_signed=True)}"
    await submit(buyer_browser, "/language", {"language": "hi", "next": room})

    page = await buyer_browser.get(room)
    deals = await buyer_browser.get("/deals")
    refused = await submit(buyer_browser, f"{room}/messages", {"body": ""})

    assert page.status_code == 200
    text = visible_text(page.text)
    assert 'lang="hi"' in page.text
    assert "गोपनीयता समझौता (एनडीए)" in text
    assert "पारस्परिक गोपनीयता समझौता" in text  # the NDA itself, in Hindi
    assert "प्रस्ताव दें" in text
    assert "एनडीए स्वीकार" in text
    assert "सौदे" in visible_text(deals.text)
    assert "आप ख़रीदार हैं" in visible_text(deals.text)
    assert refused.status_code == 422
    assert "कृपया इसे भरें।" in visible_text(refused.text)


async def test_signed_in_people_find_deals_in_the_menu(
    owner_browser: httpx.AsyncClient, buyer_browser: httpx.AsyncClient, database: Database
) -> None:
    for browser in (owner_browser, buyer_browser):
        page = await browser.get("/deals")
        assert page.status_code == 200
        assert '<a href="/deals" aria-current="page">Deals</a>' in page.text
        assert "No deals yet." in visible_text(page.text)


async def test_a_long_conversation_shows_its_latest_messages_oldest_first(
    buyer_browser: httpx.AsyncClient, owner_browser: httpx.AsyncClient, database: Database
) -> None:
    deal_id = uuid.UUID(await _room(database))
    buyer = await _user(database, "buyer")
    async with database.session() as session:
        session.add_all(
            DealMessage(
                id=uuid.uuid4(),
                deal_id=deal_id,
                position=position,
                sender_id=buyer.id,
                body=f"Question number {position}.",
                created_at=utcnow(),
            )
            for position in range(1, 106)
        )

    page = await owner_browser.get(f"/deals/{deal_id}")

    text = visible_text(page.text)
    assert "The latest 100 of 105 messages are shown." in text
    positions = [int(p) for p in re.findall(r'data-position="(\d+)"', page.text)]
    assert positions == list(range(6, 106))
    assert "Question number 105." in text
    assert "Question number 5." not in text
    assert 'data-after="105"' in page.text


async def test_a_second_buyers_offer_on_a_listing_under_offer_is_refused_in_words(
    owner_browser: httpx.AsyncClient,
    buyer_browser: httpx.AsyncClient,
    new_browser: BrowserFactory,
    database: Database,
) -> None:
    second = await new_browser()
    await web_sign_in(second, role="investor", name="Chetan Rao")
    owner = await _user(database, "msme_owner")
    listing = await make_listing(database, await make_msme(database, owner.id), headline=HEADLINE)
    rooms = []
    for buyer, browser in ((await _user(database, "buyer"), buyer_browser),
                           (await _user(database, "investor"), second)):  # fmt: skip
        interest = await make_interest(database, listing, buyer.id, status="pending")
        await submit(owner_browser, f"/my/interests/{interest.id}/accept")
        found = _DEAL_LINK.search((await browser.get("/deals")).text)
        assert found
        room = f"/deals/{found.group(1)}"
        for side in (owner_browser, browser):
            assert (await submit(side, f"{room}/nda")).status_code == 303
        offer = {"amount": "5 crore", "terms": "cash", "valid_until": _in_days(20)}
        assert (await submit(browser, f"{room}/offers", offer)).status_code == 303
        rooms.append(room)

    first, other = [(await owner_browser.get(room)).text for room in rooms]
    accepted = await submit(owner_browser, _offer_action(first, "accept"))
    refused = await submit(owner_browser, _offer_action(other, "accept"))

    assert accepted.status_code == 303
    assert refused.status_code == 409
    assert "Another deal for this listing has an accepted offer already" in visible_text(
        refused.text
    )
    async with database.session() as session:
        statuses = sorted(o.status for o in await session.scalars(select(Offer)))
    assert statuses == ["accepted", "pending"]


async def test_a_poll_with_a_strange_position_reads_from_the_start(
    owner_browser: httpx.AsyncClient, buyer_browser: httpx.AsyncClient, database: Database
) -> None:
    room = f"/deals/{await _room(database, nda_signed=True)}"

    for after in ("²", "-1", "9" * 40, "1e3"):
        response = await buyer_browser.get(
            f"{room}/messages", params={"after": after}, headers={"X-Partial": "messages"}
        )
        assert response.status_code in (200, 204), (after, response.status_code)


async def test_the_room_stays_open_when_the_profile_returns_to_review_or_is_deleted(
    owner_browser: httpx.AsyncClient, buyer_browser: httpx.AsyncClient, database: Database
) -> None:
    deal_id = await _room(database, nda_signed=True)
    async with database.session() as session:
        deal = await session.get_one(Deal, uuid.UUID(deal_id))
        listing = await session.get_one(Listing, deal.listing_id)
        msme = await session.get_one(Msme, listing.msme_id)
        msme.verification_status = "pending"
    in_review = await buyer_browser.get(f"/deals/{deal_id}")
    async with database.session() as session:
        msme = await session.get_one(Msme, listing.msme_id)
        msme.deleted_at = utcnow()
    deleted = [await browser.get(f"/deals/{deal_id}") for browser in (owner_browser, buyer_browser)]

    assert in_review.status_code == 200
    assert [page.status_code for page in deleted] == [200, 200]
    assert 'action="/deals/' in deleted[0].text  # the owner can still close it


async def test_an_offer_may_run_to_the_last_day_allowed(
    owner_browser: httpx.AsyncClient, buyer_browser: httpx.AsyncClient, database: Database
) -> None:
    deal_id = await _room(database, nda_signed=True)

    response = await submit(
        buyer_browser,
        f"/deals/{deal_id}/offers",
        {"amount": "4,50,00,000", "terms": "All cash.", "valid_until": _in_days(180)},
    )

    assert response.status_code == 303, visible_text(response.text)
    assert await _count(database, Offer) == 1


async def test_a_long_conversation_shows_its_latest_hundred_messages(
    owner_browser: httpx.AsyncClient, buyer_browser: httpx.AsyncClient, database: Database
) -> None:
    deal_id = await _room(database, nda_signed=True)
    owner = await _user(database, "msme_owner")
    async with database.session() as session:
        session.add_all(
            DealMessage(
                id=uuid.uuid4(),
                deal_id=uuid.UUID(deal_id),
                position=n,
                sender_id=owner.id,
                body=f"note-{n:03d}",
                created_at=utcnow(),
            )
            for n in range(1, 106)
        )

    text = visible_text((await buyer_browser.get(f"/deals/{deal_id}")).text)

    shown = re.findall(r"note-(\d{3})", text)
    assert shown == [f"{n:03d}" for n in range(6, 106)]
