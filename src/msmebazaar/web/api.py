"""The web portal as the app mounts it: pages at the root, beside the API under /api/v1.

`msmebazaar serve --service web` serves only the pages (with health, metrics and static files);
the services whose functions the pages call run their start-up hooks there too (`uses`).
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.routing import APIRouter, iter_route_contexts

from msmebazaar.services import ServiceSpec
from msmebazaar.shared.errors import PortalPages
from msmebazaar.shared.runtime import runtime_of
from msmebazaar.web.pages import refusal_page
from msmebazaar.web.routes import build_router

ROUTER = build_router()


def first_segments(router: APIRouter) -> frozenset[str]:
    """The first path segments of a router's routes (`my`, `signin`, `""` for `/`)."""
    paths = (str(route.path) for route in iter_route_contexts(router.routes))
    return frozenset(path.lstrip("/").split("/", 1)[0] for path in paths)


async def answer_errors_as_pages(app: FastAPI) -> None:
    """Every error under the portal's paths is a page, even those answered outside the page
    routes (an unknown path, a rate limit, overload, a stalled or oversized body)."""
    runtime_of(app).provide(PortalPages(first_segments(ROUTER), refusal_page))


SERVICE = ServiceSpec(
    name="web",
    routers=[ROUTER],
    prefix="",
    on_startup=[answer_errors_as_pages],
    uses=("auth", "msme", "valuation", "match", "admin", "notifications"),
)
