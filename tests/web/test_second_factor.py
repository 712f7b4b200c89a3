"""Two-step sign-in in the portal: an admin is sent to set it up before anything else, sets it
up from a QR code (or the key shown beside it), sees the recovery codes once, then signs in with
the SMS code and the app's code (or a recovery code); turning it off; Hindi pages."""

from __future__ import annotations

import re

import httpx

from msmebazaar.shared.db import Database
from msmebazaar.web.security import SESSION_COOKIE
from tests.auth.factories import make_user, new_phone
from tests.web.conftest import BrowserFactory
from tests.web.helpers import phone_step, submit, visible_text, web_enrol_totp, web_sign_in

_MFA_TOKEN = re.compile(r'name="mfa_token" value="([^"]+)"')


async def _admin_browser(
    new_browser: BrowserFactory, database: Database
) -> tuple[httpx.AsyncClient, str]:
    phone = new_phone()
    await make_user(database, phone=phone, role="admin", name="Admin")
    browser = await new_browser()
    await web_sign_in(browser, phone)
    return browser, phone


async def test_an_admin_without_it_may_only_set_it_up(
    new_browser: BrowserFactory, database: Database
) -> None:
    browser, _ = await _admin_browser(new_browser, database)

    admin_page = await browser.get("/admin")
    public_page = await browser.get("/sectors")
    account = await browser.get("/account")

    for refused in (admin_page, public_page):
        assert refused.status_code == 303
        assert refused.headers["location"] == "/account#two-step"
    assert account.status_code == 200
    text = visible_text(account.text)
    assert "Admins need two-step sign-in: set it up here first." in text
    assert "Admins must turn it on before they can use the admin pages." in text


async def test_an_admin_sets_it_up_from_the_qr_page_and_sees_the_codes_once(
    new_browser: BrowserFactory, database: Database
) -> None:
    browser, _ = await _admin_browser(new_browser, database)
    started = await submit(browser, "/account/2fa/setup")
    page = await browser.get("/account/2fa/setup")

    assert started.headers["location"] == "/account/2fa/setup"
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert 'src="data:image/svg+xml' in page.text
    wrong = await submit(browser, "/account/2fa/enable", {"code": "000000"})
    assert wrong.status_code == 400
    assert "That code is not valid." in visible_text(wrong.text)
    assert 'src="data:image/svg+xml' in wrong.text  # the QR code is shown again

    app = await web_enrol_totp(browser)

    assert len(app.recovery_codes) == 10
    assert (await browser.get("/admin")).status_code == 200
    account = visible_text((await browser.get("/account")).text)
    assert "Recovery codes left: 10." in account
    assert not any(code in account for code in app.recovery_codes)
    assert (await browser.get("/account/2fa/setup")).status_code == 303  # nothing under way


async def test_with_it_on_a_sign_in_needs_the_app_code(
    new_browser: BrowserFactory, database: Database
) -> None:
    first, phone = await _admin_browser(new_browser, database)
    app = await web_enrol_totp(first)
    second = await new_browser()

    asked = await phone_step(second, phone)

    assert asked.status_code == 200
    assert "Two-step sign-in" in visible_text(asked.text)
    assert asked.headers["Cache-Control"] == "no-store"
    assert SESSION_COOKIE not in second.cookies  # no session before the second factor
    token = _MFA_TOKEN.search(asked.text)
    assert token
    wrong = await submit(second, "/signin/2fa", {"mfa_token": token.group(1), "code": "000000"})
    assert wrong.status_code == 400
    assert "That code is not valid." in visible_text(wrong.text)
    right = await submit(second, "/signin/2fa", {"mfa_token": token.group(1), "code": app.code()})
    assert right.status_code == 303
    assert right.headers["location"] == "/admin"
    assert (await second.get("/admin")).status_code == 200


async def test_a_recovery_code_signs_in_once(
    new_browser: BrowserFactory, database: Database
) -> None:
    first, phone = await _admin_browser(new_browser, database)
    app = await web_enrol_totp(first)
    code = app.recovery_codes[0]
    second, third = await new_browser(), await new_browser()

    asked = await phone_step(second, phone)
    token = _MFA_TOKEN.search(asked.text)
    assert token
    used = await submit(second, "/signin/2fa", {"mfa_token": token.group(1), "code": code})
    asked_again = await phone_step(third, phone)
    token_again = _MFA_TOKEN.search(asked_again.text)
    assert token_again
    reused = await submit(third, "/signin/2fa", {"mfa_token": token_again.group(1), "code": code})

    assert used.status_code == 303
    assert reused.status_code == 400
    assert "Recovery codes left: 9." in visible_text((await first.get("/account")).text)


async def test_a_forged_or_spent_sign_in_goes_back_to_the_start(browser: httpx.AsyncClient) -> None:
    response = await submit(browser, "/signin/2fa", {"mfa_token": "forged", "code": "123456"})

    assert response.status_code == 303
    assert response.headers["location"] == "/signin"
    page = await browser.get("/signin")
    assert "That sign-in has expired. Sign in again." in visible_text(page.text)


async def test_an_owner_turns_it_on_and_off_on_the_account_page(
    owner_browser: httpx.AsyncClient,
) -> None:
    app = await web_enrol_totp(owner_browser)

    wrong = await submit(owner_browser, "/account/2fa/disable", {"code": "000000"})
    renewed = await submit(owner_browser, "/account/2fa/recovery-codes", {"code": app.code()})
    off = await submit(owner_browser, "/account/2fa/disable", {"code": app.recovery_codes[0]})

    assert wrong.status_code == 400
    assert "That code is not valid." in visible_text(wrong.text)
    assert renewed.status_code == 200
    assert renewed.headers["Cache-Control"] == "no-store"
    assert off.status_code == 400  # the old recovery codes were replaced
    new_code = re.findall(r"<li><code>([a-z2-9-]{11})</code></li>", renewed.text)[0]
    off = await submit(owner_browser, "/account/2fa/disable", {"code": new_code})
    assert off.status_code == 303
    page = visible_text((await owner_browser.get("/account")).text)
    assert "Two-step sign-in is off." in page
    assert "Set up two-step sign-in" in page


async def test_the_pages_speak_hindi(new_browser: BrowserFactory, database: Database) -> None:
    first, phone = await _admin_browser(new_browser, database)
    await web_enrol_totp(first)
    second = await new_browser()
    await submit(second, "/language", {"language": "hi", "next": "/"})

    asked = await phone_step(second, phone)

    assert "दो-चरण साइन-इन" in visible_text(asked.text)
    assert "रिकवरी कोड" in visible_text(asked.text)
