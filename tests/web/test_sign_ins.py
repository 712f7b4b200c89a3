"""The account page lists where the account is signed in and ends any of those sign-ins: the
other browser is signed out at once; ending this browser's signs out here."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select

from msmebazaar.shared.db import Database
from msmebazaar.shared.outbox import OutboxMessage
from tests.web.conftest import BrowserFactory
from tests.web.helpers import submit, visible_text, web_sign_in

_END_FORM = re.compile(r'action="/account/sessions/([0-9a-f-]{36})/end"')
LAPTOP = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"
PHONE = "Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile"


async def _browser_on(new_browser: BrowserFactory, device: str) -> httpx.AsyncClient:
    browser = await new_browser()
    browser.headers["User-Agent"] = device
    return browser


async def test_the_account_page_lists_my_sign_ins_and_ends_another_at_once(
    new_browser: BrowserFactory,
) -> None:
    laptop, phone = (
        await _browser_on(new_browser, LAPTOP),
        await _browser_on(new_browser, PHONE),
    )
    number = await web_sign_in(laptop, role="buyer", name="Meera")
    await web_sign_in(phone, number)

    page = await laptop.get("/account")

    text = visible_text(page.text)
    assert "Sign-ins" in text
    assert LAPTOP in text
    assert PHONE in text
    assert text.count("this browser") == 1
    assert "203.0.113.0/24" in text
    ids = _END_FORM.findall(page.text)
    assert len(ids) == 2
    phones_id = next(
        session_id for session_id in ids if PHONE in page.text.split(session_id)[0][-600:]
    )

    ended = await submit(laptop, f"/account/sessions/{phones_id}/end")

    assert ended.status_code == 303
    assert ended.headers["location"] == "/account#sign-ins"
    signed_out = await phone.get("/account")
    assert signed_out.status_code == 303
    assert signed_out.headers["location"].startswith("/signin")
    assert (await laptop.get("/account")).status_code == 200
    assert len(_END_FORM.findall((await laptop.get("/account")).text)) == 1


async def test_ending_this_browsers_sign_in_signs_out_here(
    buyer_browser: httpx.AsyncClient,
) -> None:
    (this_one,) = _END_FORM.findall((await buyer_browser.get("/account")).text)

    ended = await submit(buyer_browser, f"/account/sessions/{this_one}/end")

    assert (ended.status_code, ended.headers["location"]) == (303, "/")
    again = await buyer_browser.get("/account")
    assert again.status_code == 303
    assert again.headers["location"].startswith("/signin")


async def test_a_sign_in_that_is_not_mine_is_never_ended(
    new_browser: BrowserFactory, buyer_browser: httpx.AsyncClient
) -> None:
    other = await new_browser()
    await web_sign_in(other, role="investor", name="Ravi")
    (theirs,) = _END_FORM.findall((await other.get("/account")).text)

    refused = await submit(buyer_browser, f"/account/sessions/{theirs}/end")

    assert refused.headers["location"] == "/account#sign-ins"
    assert (await other.get("/account")).status_code == 200


async def test_a_browser_is_known_by_its_own_cookie_not_by_looking_alike(
    new_browser: BrowserFactory, database: Database
) -> None:
    laptop = await _browser_on(new_browser, LAPTOP)
    number = await web_sign_in(laptop, role="buyer", name="Meera")
    await submit(laptop, "/signout")
    await web_sign_in(laptop, number)  # the same browser again: its device cookie is known
    assert await _notices(database, number) == []

    lookalike = await _browser_on(new_browser, LAPTOP)  # the same browser build, elsewhere
    await web_sign_in(lookalike, number)

    assert len(await _notices(database, number)) == 1


async def _notices(database: Database, phone: str) -> list[str]:
    async with database.read_session() as session:
        rows = await session.scalars(
            select(OutboxMessage.body).where(
                OutboxMessage.recipient == phone, OutboxMessage.template == "auth_new_device"
            )
        )
        return list(rows)
