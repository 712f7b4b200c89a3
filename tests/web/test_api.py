"""How the portal is mounted: `--service web` serves the pages alone (with health, metrics and
static files) and runs the hooks of the services it calls; the default serves pages and API."""

from __future__ import annotations

import httpx
from asgi_lifespan import LifespanManager

from msmebazaar.app import create_app
from msmebazaar.match.runtime import MatchRuntime
from msmebazaar.services import load_service, with_used_services
from msmebazaar.shared.cache import Cache
from msmebazaar.shared.config import Settings
from msmebazaar.shared.db import Database
from msmebazaar.shared.ratelimit import RateLimiter
from msmebazaar.shared.runtime import runtime_of


async def test_the_web_service_alone_serves_pages_health_and_metrics_but_no_api(
    settings: Settings, database: Database, cache: Cache, rate_limiter: RateLimiter
) -> None:
    application = create_app(
        settings, ["web"], database=database, cache=cache, rate_limiter=rate_limiter
    )
    async with LifespanManager(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            home = await http.get("/")
            api = await http.get("/api/v1/listings")
            health = await http.get("/health/live")
            metrics = await http.get("/metrics")
        assert runtime_of(application).find(MatchRuntime)  # match's start-up hook ran

    assert home.status_code == 200
    assert home.headers["content-type"].startswith("text/html")
    assert api.status_code == 404
    assert health.status_code == 200
    assert metrics.status_code == 200
    assert runtime_of(application).services == ["web"]


async def test_the_default_app_serves_the_pages_and_the_api_together(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.get("/")).status_code == 200
    assert (await client.get("/api/v1/listings")).status_code == 200


def test_the_pages_stay_out_of_the_api_document(client: httpx.AsyncClient) -> None:
    app = client._transport.app  # type: ignore[attr-defined]
    paths = app.openapi()["paths"]

    assert "/" not in paths
    assert not any(path.startswith(("/my/", "/buyer/", "/signin")) for path in paths)


def test_the_web_service_runs_the_hooks_of_the_services_it_uses_once() -> None:
    web = load_service("web")

    names = [spec.name for spec in with_used_services([web])]

    assert names[-1] == "web"
    assert {"auth", "msme", "valuation", "match"} <= set(names)
    assert len(names) == len(set(names))
    assert [spec.name for spec in with_used_services([load_service("match"), web])].count(
        "match"
    ) == 1
