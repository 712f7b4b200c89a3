"""How pages fail: every failure is a page in the visitor's language with the right status,
never the API's JSON envelope and never a stack trace."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.exc import OperationalError

from msmebazaar.web.routes import public
from tests.web.helpers import visible_text


async def test_an_unexpected_error_is_a_500_page_without_details(
    browser: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(public, "sector_multiples", broken)

    page = await browser.get("/sectors")

    assert page.status_code == 500
    assert page.headers["content-type"].startswith("text/html")
    assert "Something went wrong on our side" in visible_text(page.text)
    assert "secret internals" not in page.text


async def test_a_database_outage_is_a_503_page_asking_to_retry(
    browser: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down() -> None:
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError())

    monkeypatch.setattr(public, "sector_multiples", down)

    page = await browser.get("/sectors")

    assert page.status_code == 503
    assert page.headers["retry-after"] == "5"
    assert "Please try again shortly" in visible_text(page.text)


async def test_error_pages_follow_the_visitors_language(browser: httpx.AsyncClient) -> None:
    page = await browser.get("/listings/not-an-id", headers={"Accept-Language": "hi"})

    assert page.status_code == 404
    assert "पृष्ठ नहीं मिला" in page.text


async def test_a_signed_out_visitor_is_sent_to_sign_in_and_back(browser: httpx.AsyncClient) -> None:
    page = await browser.get("/buyer/interests?x=1")

    assert page.status_code == 303
    assert page.headers["location"] == "/signin?next=/buyer/interests%3Fx%3D1"


BROWSER_ACCEPT = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.mark.parametrize("path", ["/about-us", "/dashboard/old-link", "/my/nothing-here"])
async def test_an_unknown_portal_url_is_an_html_404_page(
    browser: httpx.AsyncClient, path: str
) -> None:
    page = await browser.get(path, headers=BROWSER_ACCEPT)

    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "पृष्ठ नहीं मिला" not in page.text
    assert '"success"' not in page.text


async def test_unknown_api_paths_stay_json_even_for_a_browser(browser: httpx.AsyncClient) -> None:
    answer = await browser.get("/api/v1/nothing-here", headers=BROWSER_ACCEPT)

    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "NOT_FOUND"
