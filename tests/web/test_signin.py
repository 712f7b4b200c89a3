"""Signing in on the portal: the same codes, limits and session table as the API; the cookie,
CSRF, logout, suspension and the language switch."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from msmebazaar.auth.models import AuthSession, RefreshToken, User
from msmebazaar.auth.service import UserStatus, set_user_status
from msmebazaar.shared.cache import Cache
from msmebazaar.shared.db import Database
from msmebazaar.web.security import SESSION_COOKIE
from tests.auth.factories import new_phone, sign_in
from tests.web.helpers import csrf_token, submit, visible_text, web_sign_in


async def _user(database: Database, phone: str) -> User:
    async with database.session() as session:
        user = await session.scalar(select(User).where(User.phone == phone))
    assert user is not None
    return user


async def _sessions(database: Database, user: User) -> list[AuthSession]:
    async with database.session() as session:
        rows = await session.scalars(select(AuthSession).where(AuthSession.user_id == user.id))
        return list(rows)


async def test_sign_in_creates_the_user_and_a_session_row_behind_an_httponly_cookie(
    browser: httpx.AsyncClient, database: Database
) -> None:
    phone = new_phone()
    sent = await submit(browser, "/signin", {"phone": phone, "next": "/my/businesses"})
    assert sent.status_code == 200
    code = sent.text.split('data-testid="debug-code">')[1].split("<strong>")[1][:6]

    verified = await submit(
        browser,
        "/signin/verify",
        {"phone": phone, "code": code, "role": "buyer", "name": "Meera", "next": "/my/businesses"},
    )

    assert verified.status_code == 303
    assert verified.headers["location"] == "/my/businesses"
    cookie = next(
        header for header in verified.headers.get_list("set-cookie") if SESSION_COOKIE in header
    )
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie  # only in production
    user = await _user(database, phone)
    assert (user.role, user.name) == ("buyer", "Meera")
    sessions = await _sessions(database, user)
    assert len(sessions) == 1
    assert sessions[0].revoked_at is None


async def test_a_wrong_code_is_refused_with_the_apis_rule_and_no_cookie(
    browser: httpx.AsyncClient, database: Database
) -> None:
    phone = new_phone()
    await submit(browser, "/signin", {"phone": phone})

    response = await submit(browser, "/signin/verify", {"phone": phone, "code": "000000"})

    assert response.status_code == 400
    assert "That code is not valid" in visible_text(response.text)
    assert SESSION_COOKIE not in browser.cookies
    async with database.session() as session:
        assert await session.scalar(select(User).where(User.phone == phone)) is None


async def test_a_bad_phone_number_is_explained_next_to_the_field(
    browser: httpx.AsyncClient,
) -> None:
    response = await submit(browser, "/signin", {"phone": "12345"})

    assert response.status_code == 422
    assert "Enter a 10-digit Indian mobile number" in visible_text(response.text)
    assert 'aria-invalid="true"' in response.text


async def test_asking_again_too_soon_hits_the_same_resend_limit_as_the_api(
    browser: httpx.AsyncClient,
) -> None:
    phone = new_phone()
    first = await submit(browser, "/signin", {"phone": phone})
    second = await submit(browser, "/signin", {"phone": phone})

    assert first.status_code == 200
    assert second.status_code == 429
    assert "A code was sent a moment ago" in visible_text(second.text)


async def test_signing_out_revokes_the_session_row_like_the_apis_logout(
    owner_browser: httpx.AsyncClient, database: Database
) -> None:
    assert (await owner_browser.get("/my/businesses")).status_code == 200

    response = await submit(owner_browser, "/signout")

    assert response.status_code == 303
    async with database.session() as session:
        revoked = list(await session.scalars(select(AuthSession.revoked_at)))
    assert revoked
    assert all(moment is not None for moment in revoked)
    again = await owner_browser.get("/my/businesses")
    assert again.status_code == 303
    assert again.headers["location"].startswith("/signin")


async def test_a_stolen_cookie_stops_working_once_the_session_is_revoked(
    owner_browser: httpx.AsyncClient, new_browser: object, database: Database
) -> None:
    cookie = owner_browser.cookies[SESSION_COOKIE]
    await submit(owner_browser, "/signout")
    thief = await new_browser()  # type: ignore[operator]
    thief.cookies.set(SESSION_COOKIE, cookie)

    response = await thief.get("/my/businesses")

    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


async def test_a_suspended_user_is_signed_out_at_once(
    owner_browser: httpx.AsyncClient, database: Database, cache: Cache
) -> None:
    assert (await owner_browser.get("/my/businesses")).status_code == 200
    async with database.session() as session:
        user = await session.scalar(select(User).where(User.role == "msme_owner"))
        assert user is not None
        await set_user_status(session, cache, user.id, UserStatus.SUSPENDED)

    response = await owner_browser.get("/my/businesses")

    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")
    assert SESSION_COOKIE not in owner_browser.cookies
    landing = await owner_browser.get(response.headers["location"])
    assert "This account is suspended" in visible_text(landing.text)


async def test_a_forged_cookie_is_ignored(browser: httpx.AsyncClient) -> None:
    browser.cookies.set(SESSION_COOKIE, "00.00.9999999999.forged")

    response = await browser.get("/my/businesses")

    assert response.status_code == 303


async def test_a_form_without_its_csrf_token_is_refused(owner_browser: httpx.AsyncClient) -> None:
    response = await owner_browser.post("/signout", data={})

    assert response.status_code == 403
    assert "This form has expired" in visible_text(response.text)


async def test_a_token_from_another_browser_is_refused(
    owner_browser: httpx.AsyncClient, browser: httpx.AsyncClient
) -> None:
    others = csrf_token((await browser.get("/sectors")).text)

    response = await owner_browser.post("/signout", data={"csrf_token": others})

    assert response.status_code == 403


async def test_a_post_from_another_origin_is_refused_even_with_a_token(
    owner_browser: httpx.AsyncClient,
) -> None:
    token = csrf_token((await owner_browser.get("/sectors")).text)

    response = await owner_browser.post(
        "/signout", data={"csrf_token": token}, headers={"Origin": "https://evil.example"}
    )

    assert response.status_code == 403


async def test_the_token_is_also_accepted_in_a_header_for_scripts(
    owner_browser: httpx.AsyncClient,
) -> None:
    token = csrf_token((await owner_browser.get("/sectors")).text)

    response = await owner_browser.post("/signout", headers={"X-CSRF-Token": token})

    assert response.status_code == 303


async def test_an_anonymous_visitors_language_is_kept_in_a_cookie(
    browser: httpx.AsyncClient,
) -> None:
    response = await submit(browser, "/language", {"language": "hi", "next": "/sectors"})

    assert response.status_code == 303
    assert response.headers["location"] == "/sectors"
    page = await browser.get("/sectors")
    assert '<html lang="hi">' in page.text
    assert "क्षेत्र" in page.text


async def test_a_signed_in_users_language_is_saved_on_the_user(
    owner_browser: httpx.AsyncClient, new_browser: object, database: Database
) -> None:
    await submit(owner_browser, "/language", {"language": "hi", "next": "/"})

    async with database.session() as session:
        user = await session.scalar(select(User).where(User.role == "msme_owner"))
    assert user is not None
    assert user.language == "hi"
    page = await owner_browser.get("/my/businesses")
    assert "मेरे व्यवसाय" in page.text


async def test_accept_language_picks_hindi_for_a_new_visitor(browser: httpx.AsyncClient) -> None:
    page = await browser.get("/", headers={"Accept-Language": "hi-IN,hi;q=0.9,en;q=0.5"})

    assert '<html lang="hi">' in page.text


async def test_sign_in_never_redirects_off_site(browser: httpx.AsyncClient) -> None:
    phone = new_phone()
    sent = await submit(browser, "/signin", {"phone": phone})
    code = sent.text.split('data-testid="debug-code">')[1].split("<strong>")[1][:6]

    verified = await submit(
        browser,
        "/signin/verify",
        {"phone": phone, "code": code, "role": "msme_owner", "next": "//evil.example/steal"},
    )

    assert verified.headers["location"] == "/my/businesses"


async def test_an_api_sign_in_and_a_web_sign_in_are_both_sessions_of_one_user(
    client: httpx.AsyncClient, browser: httpx.AsyncClient, database: Database
) -> None:
    phone = new_phone()
    await sign_in(client, phone, role="msme_owner")
    await web_sign_in(browser, phone)

    user = await _user(database, phone)
    assert len(await _sessions(database, user)) == 2


async def test_a_web_sign_in_leaves_no_unused_refresh_token(
    browser: httpx.AsyncClient, database: Database
) -> None:
    phone = await web_sign_in(browser)

    user = await _user(database, phone)
    sessions = await _sessions(database, user)
    async with database.session() as session:
        refresh_rows = await session.scalar(
            select(func.count(RefreshToken.id)).where(
                RefreshToken.session_id.in_([row.id for row in sessions])
            )
        )
    assert len(sessions) == 1
    assert refresh_rows == 0
    assert (await browser.get("/account")).status_code == 200


async def test_the_account_page_changes_the_role(
    owner_browser: httpx.AsyncClient, database: Database
) -> None:
    response = await submit(
        owner_browser, "/account", {"name": "Asha P", "email": "", "role": "investor"}
    )

    assert response.status_code == 303
    async with database.session() as session:
        user = await session.scalar(select(User).where(User.name == "Asha P"))
    assert user is not None
    assert user.role == "investor"
    assert (await owner_browser.get("/buyer/mandates")).status_code == 200
