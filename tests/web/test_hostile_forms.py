"""Issue 18, findings 7 and 10 on the portal: every form answers a body its parser refuses
(multipart without a boundary, too many fields, a second file) with a 400 page, never a 500;
and every error under the portal's paths is a page, 404 and 429 included, while the API's
stay in the envelope."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from msmebazaar.app import create_app
from msmebazaar.shared.cache import MemoryCache
from msmebazaar.shared.db import Database
from msmebazaar.shared.ratelimit import RateLimiter
from msmebazaar.web.forms import MAX_FORM_FIELDS
from msmebazaar.web.routes import build_router
from tests.conftest import clear_of_a_minute_boundary, make_settings
from tests.web.helpers import token_for, visible_text


def _form_paths() -> list[str]:
    """Every form the portal accepts (POST pages), path parameters filled in."""
    paths = set()
    for route in iter_route_contexts(build_router().routes):
        if "POST" in (route.methods or set()):
            path = re.sub(r"\{decision\}", "accept", str(route.path))
            paths.add(re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path))
    return sorted(paths)


FORMS = _form_paths()


def _hostile_bodies(token: str) -> dict[str, tuple[bytes, str]]:
    boundary = "b0undary"
    many = "&".join(f"f{i}=x" for i in range(MAX_FORM_FIELDS + 50))
    two_files = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.4\r\n"
        for name in ("a.pdf", "b.pdf")
    )
    return {
        "no_boundary": (b"--x\r\n\r\n", "multipart/form-data"),
        "too_many_fields": (
            f"csrf_token={token}&{many}".encode(),
            "application/x-www-form-urlencoded",
        ),
        "two_files": (
            f"{two_files}--{boundary}--\r\n".encode(),
            f"multipart/form-data; boundary={boundary}",
        ),
    }


@pytest.mark.parametrize("kind", ["no_boundary", "too_many_fields", "two_files"])
async def test_every_form_answers_a_body_its_parser_refuses_with_a_400_page(
    admin_browser: httpx.AsyncClient, kind: str
) -> None:
    # The admin passes every role gate, so each form gets as far as reading its body.
    assert {"/signin", "/my/businesses/new", "/buyer/mandates/new"} <= set(FORMS)
    assert any(path.endswith("/documents") for path in FORMS)
    body, content_type = _hostile_bodies(await token_for(admin_browser))[kind]

    answers = {}
    for path in FORMS:
        response = await admin_browser.post(
            path, content=body, headers={"Content-Type": content_type}
        )
        answers[path] = (response.status_code, response.headers["content-type"][:9])

    wrong = {path: answer for path, answer in answers.items() if answer != (400, "text/html")}
    assert wrong == {}


async def test_a_refused_form_page_says_what_to_do(admin_browser: httpx.AsyncClient) -> None:
    response = await admin_browser.post(
        "/my/businesses/new", content=b"x", headers={"Content-Type": "multipart/form-data"}
    )

    assert response.status_code == 400
    assert "could not be read" in visible_text(response.text)
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    "path", ["/my/businesses/nothing/here", "/buyer/nowhere", "/signin/extra", "/static/x/y"]
)
async def test_an_unknown_portal_path_is_a_404_page(browser: httpx.AsyncClient, path: str) -> None:
    response = await browser.get(path)

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Page not found" in response.text


async def test_unknown_api_paths_stay_in_the_envelope(browser: httpx.AsyncClient) -> None:
    response = await browser.get("/api/v1/nothing-here")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


@pytest.fixture
async def limited_browser(
    database_url: str, database: Database, rate_limiter: RateLimiter
) -> AsyncIterator[httpx.AsyncClient]:
    """A browser on an app whose global rate limit is 2 requests a minute."""
    await clear_of_a_minute_boundary()
    settings = make_settings(database_url, rate_limit_per_minute=2)
    app: FastAPI = create_app(
        settings, database=database, cache=MemoryCache(), rate_limiter=rate_limiter
    )
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app, client=("203.0.113.77", 1))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


async def test_a_rate_limited_portal_page_is_a_429_page_and_the_api_an_envelope(
    limited_browser: httpx.AsyncClient,
) -> None:
    for _ in range(2):
        await limited_browser.get("/sectors")

    page = await limited_browser.get("/sectors")
    api = await limited_browser.get("/api/v1/msmes/sectors")

    assert page.status_code == 429
    assert page.headers["content-type"].startswith("text/html")
    assert int(page.headers["Retry-After"]) >= 1
    assert "Too many tries" in page.text
    assert api.status_code == 429
    assert api.json()["error"]["code"] == "RATE_LIMITED"


@pytest.mark.parametrize("page", ["9" * 5000, "²", "-1", "0", "abc"])
async def test_a_page_number_no_integer_reads_is_page_one_never_a_500(
    browser: httpx.AsyncClient, admin_browser: httpx.AsyncClient, page: str
) -> None:
    for client, path in [(browser, "/"), (admin_browser, "/admin/audit-log")]:
        response = await client.get(path, params={"page": page})
        assert response.status_code == 200, (path, response.status_code)
