"""Notification pages (DESIGN.md §3 "Notifications"): a buyer's interest lights the owner's bell
on every page; the inbox lists it, unread marked, and opening it marks it read and goes to its
page; all may be marked read at once; someone else's notification is a 404 page; the channels
table saves the whole table (an unchecked box turns its channel off) and the digest; forms
without their CSRF token, and forms we cannot read, change nothing; Hindi readers get their own
words. Notifications are made the real way: a buyer sends an interest through the pages."""

from __future__ import annotations

import re
import uuid

import httpx
from sqlalchemy import select

from msmebazaar.auth.models import User
from msmebazaar.notifications.models import ChannelChoice, DigestChoice, Notification
from msmebazaar.shared.db import Database
from tests.msme.factories import make_listing, make_msme
from tests.web.conftest import BrowserFactory
from tests.web.helpers import submit, visible_text, web_sign_in

HEADLINE = "Profitable spice blender in western India"
_OPEN_ACTION = re.compile(r'action="(/notifications/[0-9a-f-]{36}/read)"')
_BELL_COUNT = re.compile(r'data-testid="bell-count"( hidden)?>([^<]*)<')
KINDS = (
    "interest_received", "interest_accepted", "interest_declined", "deal_message",
    "nda_accepted", "offer_received", "offer_decided", "profile_verified", "profile_rejected",
    "listing_approved", "listing_rejected", "new_match",
)  # fmt: skip
CHANNELS = ("sms", "whatsapp", "email")


async def _user(database: Database, role: str) -> User:
    async with database.session() as session:
        user = await session.scalar(select(User).where(User.role == role))
    assert user is not None
    return user


async def _interest_sent(
    database: Database, buyer: httpx.AsyncClient, headline: str = HEADLINE
) -> None:
    """The buyer sends an interest in a new listing of the signed-in owner's, through the pages
    (the owner's notification follows from the event, as in production)."""
    owner = await _user(database, "msme_owner")
    listing = await make_listing(database, await make_msme(database, owner.id), headline=headline)
    sent = await submit(buyer, f"/listings/{listing.id}/interest", {"message": "Keen to talk."})
    assert sent.status_code == 303, visible_text(sent.text)


async def _notifications(database: Database, user_id: uuid.UUID) -> list[Notification]:
    async with database.session() as session:
        rows = await session.scalars(
            select(Notification).where(Notification.user_id == user_id).order_by(Notification.seq)
        )
        return list(rows)


def _bell(page: str) -> str | None:
    """The number the bell shows (None when it shows none)."""
    found = _BELL_COUNT.search(page)
    assert found, "the page has no bell"
    return None if found.group(1) else found.group(2)


def _full_table(**overrides: bool) -> dict[str, str]:
    """The preferences form as a browser sends it: only the checked boxes, and the digest."""
    checked = {f"{kind}.{channel}": True for kind in KINDS for channel in CHANNELS} | overrides
    return {name: "on" for name, on in checked.items() if on} | {"digest": "off"}


async def _choices(database: Database, user_id: uuid.UUID) -> dict[str, bool]:
    async with database.session() as session:
        rows = await session.scalars(select(ChannelChoice).where(ChannelChoice.user_id == user_id))
        return {f"{row.kind}.{row.channel}": row.enabled for row in rows}


def _checked(page: str, name: str) -> bool:
    found = re.search(rf'<input type="checkbox"[^>]*name="{re.escape(name)}"[^>]*>', page)
    assert found, f"the form has no box {name}"
    return " checked" in found.group(0)


async def test_an_interest_lights_the_owners_bell_and_waits_in_the_inbox(
    owner_browser: httpx.AsyncClient, buyer_browser: httpx.AsyncClient, database: Database
) -> None:
    before = await owner_browser.get("/")
    await _interest_sent(database, buyer_browser)

    home = await owner_browser.get("/")
    inbox = await owner_browser.get("/notifications")

    assert _bell(before.text) is None
    assert "Notifications</span>" in before.text
    assert _bell(home.text) == "1"
    assert "Notifications, 1 unread" in visible_text(home.text)
    assert 'href="/notifications"' in home.text
    assert inbox.status_code == 200
    text = visible_text(inbox.text)
    assert "New interest in your listing" in text
    assert HEADLINE in text
    assert "1 notification" in text
    assert 'class="tile notification unread"' in inbox.text
    assert "Unread" in text
    assert _OPEN_ACTION.search(inbox.text)
    assert _bell(inbox.text) == "1"
    assert 'href="/notifications" class="bell"' in inbox.text
    assert "bell.js" in inbox.text
    assert _bell((await buyer_browser.get("/")).text) is None  # the buyer's own bell


async def test_opening_a_notification_marks_it_read_and_goes_to_its_page(
    owner_browser: httpx.AsyncClient, buyer_browser: httpx.AsyncClient, database: Database
) -> None:
    await _interest_sent(database, buyer_browser)
    inbox = await owner_browser.get("/notifications")
    action = _OPEN_ACTION.search(inbox.text)
    assert action

    opened = await submit(owner_browser, action.group(1))
    again = await submit(owner_browser, action.group(1))
    landed = await owner_browser.get(opened.headers["location"])

    assert opened.status_code == 303
    assert opened.headers["location"] == "/my/interests"
    assert again.status_code == 303  # opening it twice is no change
    assert landed.status_code == 200
    assert _bell(landed.text) is None
    owner = await _user(database, "msme_owner")
    (row,) = await _notifications(database, owner.id)
    assert row.read_at is not None
    page = await owner_browser.get("/notifications")
    assert 'class="tile notification"' in page.text
    assert "Mark all read" not in visible_text(page.text)


async def test_a_link_that_is_not_a_page_of_ours_is_not_followed(
    owner_browser: httpx.AsyncClient, database: Database
) -> None:
    owner = await _user(database, "msme_owner")
    async with database.session() as session:
        row = Notification(
            id=uuid.uuid4(),
            user_id=owner.id,
            kind="new_match",
            title="A match",
            body="A listing matches.",
            link="//evil.example/phish",
        )
        session.add(row)

    opened = await submit(owner_browser, f"/notifications/{row.id}/read")

    assert opened.status_code == 303
    assert opened.headers["location"] == "/notifications"


async def test_mark_all_read_empties_the_unread_list(
    owner_browser: httpx.AsyncClient,
    buyer_browser: httpx.AsyncClient,
    new_browser: BrowserFactory,
    database: Database,
) -> None:
    investor = await new_browser()
    await web_sign_in(investor, role="investor", name="Chetan Rao")
    await _interest_sent(database, buyer_browser)
    await _interest_sent(database, investor, "Cold-chain logistics firm in Gujarat")
    before = await owner_browser.get("/notifications?show=unread")

    marked = await submit(owner_browser, "/notifications/read-all")
    after = await owner_browser.get(marked.headers["location"])
    unread = await owner_browser.get("/notifications?show=unread")
    every = await owner_browser.get("/notifications")

    assert _bell(before.text) == "2"
    assert "2 unread notifications" in visible_text(before.text)
    assert marked.status_code == 303
    assert marked.headers["location"] == "/notifications"
    assert "All notifications are marked read." in visible_text(after.text)
    assert _bell(after.text) is None
    assert "Nothing unread: you are up to date." in visible_text(unread.text)
    assert 'aria-current="page">Unread' in unread.text
    assert "2 notifications" in visible_text(every.text)
    assert "Cold-chain logistics firm in Gujarat" in visible_text(every.text)
    owner = await _user(database, "msme_owner")
    assert all(row.read_at is not None for row in await _notifications(database, owner.id))


async def test_the_inbox_pages_through_many_notifications(
    owner_browser: httpx.AsyncClient, database: Database
) -> None:
    owner = await _user(database, "msme_owner")
    async with database.session() as session:
        session.add_all(
            Notification(
                id=uuid.uuid4(),
                user_id=owner.id,
                kind="new_match",
                title=f"Match number {n}",
                body="A listing matches your mandate.",
                link="/buyer/mandates",
            )
            for n in range(1, 26)
        )

    first = await owner_browser.get("/notifications")
    second = await owner_browser.get("/notifications?page=2")
    beyond = await owner_browser.get("/notifications?page=99")
    odd = await owner_browser.get("/notifications?page=abc&show=nonsense")
    huge = await owner_browser.get("/notifications", params={"page": "9" * 5000})
    far = await owner_browser.get("/notifications", params={"page": "9" * 18})

    assert first.text.count('data-testid="notification"') == 20
    assert "Match number 25" in visible_text(first.text)  # newest first
    assert 'href="/notifications?page=2" rel="next"' in first.text
    assert second.text.count('data-testid="notification"') == 5
    assert "Match number 5" in visible_text(second.text)
    assert "Match number 6" not in visible_text(second.text)
    assert 'rel="prev"' in second.text
    assert beyond.status_code == 200
    assert 'data-testid="notification"' not in beyond.text
    assert odd.status_code == 200
    assert "Match number 25" in visible_text(odd.text)  # read as the first page, all shown
    assert huge.status_code == 200
    assert far.status_code == 200
    assert _bell(first.text) == "25"


async def test_someone_elses_notification_is_a_404_page_and_stays_unread(
    owner_browser: httpx.AsyncClient, buyer_browser: httpx.AsyncClient, database: Database
) -> None:
    await _interest_sent(database, buyer_browser)
    action = _OPEN_ACTION.search((await owner_browser.get("/notifications")).text)
    assert action

    foreign = await submit(buyer_browser, action.group(1))
    unknown = await submit(buyer_browser, f"/notifications/{uuid.uuid4()}/read")
    malformed = await submit(buyer_browser, "/notifications/not-an-id/read")

    assert foreign.status_code == 404
    assert foreign.headers["content-type"].startswith("text/html")
    assert "No such notification." in visible_text(foreign.text)
    assert unknown.status_code == 404
    assert malformed.status_code == 404
    assert malformed.headers["content-type"].startswith("text/html")
    owner = await _user(database, "msme_owner")
    (row,) = await _notifications(database, owner.id)
    assert row.read_at is None


async def test_the_pages_need_a_sign_in(browser: httpx.AsyncClient) -> None:
    for path in ("/notifications", "/notifications/preferences"):
        response = await browser.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/signin?next=/notifications")
    assert 'class="bell"' not in (await browser.get("/")).text


async def test_a_new_user_sees_an_empty_inbox(owner_browser: httpx.AsyncClient) -> None:
    page = await owner_browser.get("/notifications")

    assert page.status_code == 200
    text = visible_text(page.text)
    assert "No notifications yet." in text
    assert "0 notifications" in text
    assert 'aria-current="page">All' in page.text
    assert "Mark all read" not in text


async def test_the_preferences_show_the_defaults_and_the_notes(
    owner_browser: httpx.AsyncClient,
) -> None:
    page = await owner_browser.get("/notifications/preferences")

    assert page.status_code == 200
    text = visible_text(page.text)
    assert "Someone is interested in my listing" in text
    assert "A new listing matches my mandate" in text
    assert "between 22:00 and 08:00 India time, SMS, WhatsApp and email wait until 08:00" in text
    assert "Your inbox here never waits." in text
    assert "within 24 hours of your last WhatsApp message to us" in text
    assert "Your account has no email address" in text
    assert 'href="/account"' in page.text
    assert _checked(page.text, "interest_received.sms")
    assert _checked(page.text, "interest_received.email")
    assert not _checked(page.text, "nda_accepted.sms")  # off until chosen
    assert 'id="f-digest-off" type="radio" name="digest" value="off" checked' in page.text


async def test_saving_the_table_turns_unchecked_channels_off_and_checked_ones_on(
    owner_browser: httpx.AsyncClient, database: Database
) -> None:
    owner = await _user(database, "msme_owner")
    off = {"interest_received.sms": False, "deal_message.whatsapp": False, "new_match.email": False}

    saved = await submit(
        owner_browser, "/notifications/preferences", _full_table(**off) | {"digest": "on"}
    )
    page = await owner_browser.get(saved.headers["location"])
    choices = await _choices(database, owner.id)

    assert saved.status_code == 303
    assert saved.headers["location"] == "/notifications/preferences"
    assert "Your notification choices are saved." in visible_text(page.text)
    assert not _checked(page.text, "interest_received.sms")
    assert not _checked(page.text, "deal_message.whatsapp")
    assert _checked(page.text, "interest_received.whatsapp")
    assert _checked(page.text, "nda_accepted.sms")  # checked in the table sent: on
    assert 'id="f-digest-on" type="radio" name="digest" value="on" checked' in page.text
    assert choices["interest_received.sms"] is False
    assert choices["new_match.email"] is False
    assert choices["nda_accepted.sms"] is True
    assert len(choices) == len(KINDS) * len(CHANNELS)

    restored = await submit(owner_browser, "/notifications/preferences", _full_table())
    page = await owner_browser.get("/notifications/preferences")

    assert restored.status_code == 303
    assert _checked(page.text, "interest_received.sms")
    assert (await _choices(database, owner.id))["new_match.email"] is True
    async with database.session() as session:
        digest = await session.get(DigestChoice, owner.id)
    assert digest is not None
    assert digest.enabled is False


async def test_forms_without_their_csrf_token_change_nothing(
    owner_browser: httpx.AsyncClient, buyer_browser: httpx.AsyncClient, database: Database
) -> None:
    await _interest_sent(database, buyer_browser)
    action = _OPEN_ACTION.search((await owner_browser.get("/notifications")).text)
    assert action

    answers = [
        await owner_browser.post(action.group(1)),
        await owner_browser.post("/notifications/read-all", data={"csrf_token": "forged"}),
        await owner_browser.post("/notifications/preferences", data={"digest": "on"}),
    ]

    assert [answer.status_code for answer in answers] == [403, 403, 403]
    assert all(answer.headers["content-type"].startswith("text/html") for answer in answers)
    owner = await _user(database, "msme_owner")
    (row,) = await _notifications(database, owner.id)
    assert row.read_at is None
    assert await _choices(database, owner.id) == {}


async def test_a_preferences_form_we_cannot_read_is_explained_and_nothing_is_stored(
    owner_browser: httpx.AsyncClient, database: Database
) -> None:
    owner = await _user(database, "msme_owner")

    unknown_kind = await submit(
        owner_browser, "/notifications/preferences", _full_table() | {"parcel_sent.sms": "on"}
    )
    unknown_channel = await submit(
        owner_browser, "/notifications/preferences", _full_table() | {"new_match.fax": "on"}
    )
    odd_value = await submit(
        owner_browser, "/notifications/preferences", _full_table() | {"new_match.sms": "yes"}
    )
    no_digest = await submit(
        owner_browser,
        "/notifications/preferences",
        {name: value for name, value in _full_table().items() if name != "digest"},
    )
    odd_digest = await submit(
        owner_browser, "/notifications/preferences", _full_table() | {"digest": "weekly"}
    )

    for answer in (unknown_kind, unknown_channel, odd_value):
        assert answer.status_code == 422
        assert answer.headers["content-type"].startswith("text/html")
        assert "This form has a choice we do not know." in visible_text(answer.text)
    for answer in (no_digest, odd_digest):
        assert answer.status_code == 422
        assert "Please choose one of the options." in visible_text(answer.text)
    assert await _choices(database, owner.id) == {}


async def test_the_notification_pages_read_in_hindi(
    owner_browser: httpx.AsyncClient, buyer_browser: httpx.AsyncClient, database: Database
) -> None:
    await submit(owner_browser, "/language", {"language": "hi", "next": "/notifications"})
    await _interest_sent(database, buyer_browser)

    inbox = await owner_browser.get("/notifications")
    preferences = await owner_browser.get("/notifications/preferences")
    refused = await submit(
        owner_browser, "/notifications/preferences", _full_table() | {"x.sms": "on"}
    )

    assert 'lang="hi"' in inbox.text
    text = visible_text(inbox.text)
    assert "सूचनाएँ, 1 अपठित" in text
    assert "आपकी लिस्टिंग में नई रुचि" in text  # the notification itself, in Hindi
    assert "सभी को पढ़ा हुआ मानें" in text
    assert "खोलें" in text
    text = visible_text(preferences.text)
    assert "हम आपको कैसे बताएँ" in text
    assert "मेरी लिस्टिंग में किसी ने रुचि दिखाई" in text
    assert "व्हाट्सऐप" in text
    assert "शांत समय" in text
    assert refused.status_code == 422
    assert "इस फ़ॉर्म में एक ऐसा विकल्प है" in visible_text(refused.text)


async def test_an_admin_has_no_bell(admin_browser: httpx.AsyncClient) -> None:
    page = await admin_browser.get("/admin")

    assert page.status_code == 200
    assert 'class="bell"' not in page.text
    assert "bell.js" not in page.text
