"""Every page loads only from its own origin, as on a machine without internet: the browser's
every request to another origin is refused (and recorded), and the API docs still render.

The pages are every GET page of the portal without a path parameter, seen by an admin (who
passes every role gate), plus a business page, the public sector pages, and /docs and /redoc."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi.routing import iter_route_contexts
from playwright.async_api import Browser, BrowserContext, Page, Route, expect

from msmebazaar.web.api import ROUTER
from tests.web.e2e.conftest import LiveServer, OpenPages
from tests.web.e2e.flows import admin_sign_in

# Same-document resources a page may make itself (ReDoc's search worker, inline images).
_LOCAL_SCHEMES = ("data", "blob", "about")


def portal_pages() -> list[str]:
    """The portal's GET pages that take no path parameter (static files excepted)."""
    return sorted(
        str(route.path)
        for route in iter_route_contexts(ROUTER.routes)
        if "GET" in (route.methods or set())
        and "{" not in str(route.path)
        and not str(route.path).startswith("/static")
    )


class Offline:
    """A browser context that refuses every request to another origin, recording each."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.foreign: list[str] = []

    async def install(self, context: BrowserContext) -> None:
        await context.route("**/*", self._route)

    async def _route(self, route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in _LOCAL_SCHEMES or f"{parts.scheme}://{parts.netloc}" == self.origin:
            await route.continue_()
            return
        self.foreign.append(url)
        await route.abort("internetdisconnected")


async def _offline_page(
    server: LiveServer, chromium: Browser, pages: OpenPages, name: str
) -> tuple[Page, Offline]:
    context = await chromium.new_context(base_url=server.base_url)
    offline = Offline(server.base_url)
    await offline.install(context)
    page = await context.new_page()
    pages.pages[name] = page
    return page, offline


async def test_swagger_ui_renders_without_internet(
    live_server: LiveServer, chromium: Browser, open_pages: OpenPages
) -> None:
    page, offline = await _offline_page(live_server, chromium, open_pages, "swagger")

    await page.goto("/docs")

    await expect(page.locator(".opblock-summary-path").first).to_be_visible(timeout=20_000)
    await expect(page.get_by_text("/api/v1/auth/otp/request", exact=True)).to_be_visible()
    await page.wait_for_load_state("networkidle")
    assert offline.foreign == []


async def test_redoc_renders_without_internet(
    live_server: LiveServer, chromium: Browser, open_pages: OpenPages
) -> None:
    page, offline = await _offline_page(live_server, chromium, open_pages, "redoc")

    await page.goto("/redoc")

    await expect(page.locator("h1").first).to_contain_text("MSMEBazaar API", timeout=20_000)
    await page.wait_for_load_state("networkidle")
    assert offline.foreign == []


async def test_every_portal_page_loads_only_from_its_own_origin(
    live_server: LiveServer, chromium: Browser, open_pages: OpenPages
) -> None:
    page, offline = await _offline_page(live_server, chromium, open_pages, "admin")
    visited = []
    for path in ["/", "/sectors", "/valuation", "/signin"]:
        await page.goto(path)
        await page.wait_for_load_state("networkidle")
        visited.append(path)
    await admin_sign_in(page, live_server)
    for path in portal_pages():
        answer = await page.goto(path)
        assert answer is not None
        assert answer.status == 200, path
        await page.wait_for_load_state("networkidle")
        visited.append(path)

    assert "/admin/users" in visited
    assert offline.foreign == []
