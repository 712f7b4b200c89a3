"""The shared cache of public answers: what it serves, for how long, and what it never keeps."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from msmebazaar.app import create_app
from msmebazaar.msme.models import Listing, Msme
from msmebazaar.shared import public_cache
from msmebazaar.shared.cache import Cache
from msmebazaar.shared.config import AppSettings, Environment
from msmebazaar.shared.db import Database
from msmebazaar.shared.ratelimit import RateLimiter
from tests.auth.factories import Actor, signed_in
from tests.conftest import make_settings
from tests.msme.factories import make_listing, make_msme

LISTINGS = "/api/v1/listings"
TTL = 2  # seconds: PUBLIC_CACHE_SECONDS for these tests (a copy is renewed after half of it)


@pytest.fixture
async def cached_client(
    database_url: str, database: Database, cache: Cache, rate_limiter: RateLimiter
) -> AsyncIterator[httpx.AsyncClient]:
    """The app with the public cache on (it is off by default in the testing environment)."""
    settings = make_settings(database_url, public_cache_seconds=TTL)
    app = create_app(settings, database=database, cache=cache, rate_limiter=rate_limiter)
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 1234))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            yield http


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The cache's clock, standing still until a test moves it: however slow a request is on a
    loaded machine, a copy is neither renewed early nor found expired late."""
    now = [public_cache.now_seconds()]
    monkeypatch.setattr(public_cache, "now_seconds", lambda: now[0])
    return now


@pytest.fixture
async def listed(cached_client: httpx.AsyncClient, database: Database) -> tuple[Actor, Listing]:
    owner = await signed_in(cached_client, database, "msme_owner")
    msme: Msme = await make_msme(database, owner.id)
    return owner, await make_listing(database, msme)


async def _search_ids(client: httpx.AsyncClient) -> tuple[list[str], httpx.Response]:
    response = await client.get(LISTINGS, params={"sort": "newest"})
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["data"]], response


async def test_a_suspended_owners_listing_leaves_cached_search_within_the_ttl(
    cached_client: httpx.AsyncClient,
    database: Database,
    listed: tuple[Actor, Listing],
    clock: list[float],
) -> None:
    owner, listing = listed
    admin = await signed_in(cached_client, database, "admin")
    ids, first = await _search_ids(cached_client)
    assert ids == [str(listing.id)]
    assert first.headers["Cache-Control"] == f"public, max-age={TTL}"
    assert "X-Cache" not in first.headers
    suspended = await cached_client.patch(
        f"/api/v1/admin/users/{owner.id}", json={"status": "suspended"}, headers=admin.headers
    )
    assert suspended.status_code == 200, suspended.text

    ids, again = await _search_ids(cached_client)  # within the TTL: the stored page, unchanged
    assert ids == [str(listing.id)]
    assert again.headers["X-Cache"] == "hit"
    assert again.headers["X-Request-ID"] != first.headers["X-Request-ID"]
    clock[0] += TTL + 0.1  # the stored copy may outlive this in the store; it is not served

    ids, later = await _search_ids(cached_client)
    assert ids == []
    assert "X-Cache" not in later.headers


async def test_a_cached_search_page_asks_the_database_nothing(
    cached_client: httpx.AsyncClient, engine: AsyncEngine, listed: tuple[Actor, Listing]
) -> None:
    await _search_ids(cached_client)
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        ids, hit = await _search_ids(cached_client)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)

    assert hit.headers["X-Cache"] == "hit"
    assert ids == [str(listed[1].id)]
    assert statements == []


async def test_a_signed_in_caller_gets_the_same_search_page_as_anyone(
    cached_client: httpx.AsyncClient, database: Database, listed: tuple[Actor, Listing]
) -> None:
    owner, _ = listed
    _, anonymous = await _search_ids(cached_client)
    mine = await cached_client.get(LISTINGS, params={"sort": "newest"}, headers=owner.headers)

    assert mine.headers["X-Cache"] == "hit"  # search shows public cards to everyone
    assert mine.json() == anonymous.json()
    assert "msme_id" not in mine.json()["data"][0]


async def test_a_listing_page_whose_view_depends_on_the_caller_is_never_cached(
    cached_client: httpx.AsyncClient, listed: tuple[Actor, Listing]
) -> None:
    owner, listing = listed
    for _ in range(2):
        public = await cached_client.get(f"{LISTINGS}/{listing.id}")
        own = await cached_client.get(f"{LISTINGS}/{listing.id}", headers=owner.headers)
        assert public.status_code == own.status_code == 200
        assert "msme_id" not in public.json()["data"]
        assert own.json()["data"]["view"] == "owner"  # the owner's full view
        assert own.json()["data"]["listing"]["msme_id"] == str(listing.msme_id)
        for response in (public, own):
            assert "X-Cache" not in response.headers
            assert "public" not in response.headers.get("Cache-Control", "")


async def test_an_invalid_search_is_answered_422_each_time_and_never_stored(
    cached_client: httpx.AsyncClient,
) -> None:
    for _ in range(2):
        response = await cached_client.get(LISTINGS, params={"sector": "no_such_sector"})
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "VALIDATION_ERROR"
        assert "X-Cache" not in response.headers


async def test_a_public_page_is_stored_once_for_concurrent_readers(
    cached_client: httpx.AsyncClient, listed: tuple[Actor, Listing], clock: list[float]
) -> None:
    await _search_ids(cached_client)  # the process learns that search answers publicly
    clock[0] += TTL + 0.1  # and the stored page expires

    answers = await asyncio.gather(*(_search_ids(cached_client) for _ in range(5)))

    assert all(ids == answers[0][0] for ids, _ in answers)
    assert sum("X-Cache" not in response.headers for _, response in answers) == 1


def test_the_public_cache_is_on_for_two_seconds_except_in_tests() -> None:
    assert AppSettings(environment=Environment.DEVELOPMENT).public_cache_ttl == 2
    assert AppSettings(environment=Environment.TESTING).public_cache_ttl == 0
    assert AppSettings(public_cache_seconds=5).public_cache_ttl == 5
