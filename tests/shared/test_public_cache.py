"""The shared cache of public answers: what it serves, for how long, and what it never keeps."""

from __future__ import annotations

import asyncio
import json
import tracemalloc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import SimpleNamespace
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
from msmebazaar.shared.public_cache import MAX_LOCAL_BYTES, PublicCacheMiddleware, cache_key
from msmebazaar.shared.ratelimit import RateLimiter
from tests.auth.factories import Actor, signed_in
from tests.conftest import make_settings
from tests.msme.factories import make_listing, make_msme

LISTINGS = "/api/v1/listings"
TTL = 2  # seconds: PUBLIC_CACHE_SECONDS for these tests (a copy is renewed after half of it)
MIB = 1024 * 1024


@asynccontextmanager
async def _cached_app(
    ttl: int, database_url: str, database: Database, cache: Cache, rate_limiter: RateLimiter
) -> AsyncIterator[httpx.AsyncClient]:
    settings = make_settings(database_url, public_cache_seconds=ttl)
    app = create_app(settings, database=database, cache=cache, rate_limiter=rate_limiter)
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 1234))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            yield http


@pytest.fixture
async def cached_client(
    database_url: str, database: Database, cache: Cache, rate_limiter: RateLimiter
) -> AsyncIterator[httpx.AsyncClient]:
    """The app with the public cache on (it is off by default in the testing environment)."""
    async with _cached_app(TTL, database_url, database, cache, rate_limiter) as http:
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


async def test_readers_waiting_for_a_page_are_answered_before_it_is_stored(
    cached_client: httpx.AsyncClient,
    cache: Cache,
    clock: list[float],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await _search_ids(cached_client)
    clock[0] += TTL + 0.1
    storing, stored = asyncio.Event(), asyncio.Event()
    store = cache.set

    async def slow_store(key: str, value: str, ttl_seconds: float) -> None:
        storing.set()
        await stored.wait()  # Redis slow to acknowledge the write
        await store(key, value, ttl_seconds)

    monkeypatch.setattr(cache, "set", slow_store)
    readers = [asyncio.create_task(_search_ids(cached_client)) for _ in range(3)]
    try:
        await asyncio.wait_for(storing.wait(), timeout=10)
        arrivals = asyncio.as_completed(readers, timeout=10)
        early = [await next(arrivals) for _ in range(2)]  # all but the one storing the page
    finally:
        stored.set()
        await asyncio.gather(*readers)

    assert [response.headers["X-Cache"] for _, response in early] == ["hit", "hit"]


async def test_a_copy_expires_ttl_seconds_after_computing_began_however_slow_that_was(
    cached_client: httpx.AsyncClient, engine: AsyncEngine, clock: list[float]
) -> None:
    slow: list[float] = [1.5]  # the search's first query takes 1.5 of the 2 seconds

    def take_time(*_: Any) -> None:
        if slow:
            clock[0] += slow.pop()

    event.listen(engine.sync_engine, "before_cursor_execute", take_time)
    try:
        await _search_ids(cached_client)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", take_time)
    clock[0] += 0.7  # 2.2 s after the search began, 0.7 s after it was answered

    _, later = await _search_ids(cached_client)

    assert "X-Cache" not in later.headers  # computed afresh: the copy had expired


async def test_a_cached_page_says_how_old_it_is(
    database_url: str,
    database: Database,
    cache: Cache,
    rate_limiter: RateLimiter,
    clock: list[float],
) -> None:
    async with _cached_app(10, database_url, database, cache, rate_limiter) as client:
        _, fresh = await _search_ids(client)
        clock[0] += 3.7
        _, hit = await _search_ids(client)

    assert "Age" not in fresh.headers
    assert hit.headers["X-Cache"] == "hit"
    assert hit.headers["Age"] == "3"  # a browser keeps it 7 s more, not another 10
    assert hit.headers["Cache-Control"] == "public, max-age=10"


async def test_the_same_search_asked_in_another_parameter_order_is_a_hit(
    cached_client: httpx.AsyncClient, listed: tuple[Actor, Listing]
) -> None:
    first = await cached_client.get(f"{LISTINGS}?sort=newest&page_size=5")
    again = await cached_client.get(f"{LISTINGS}?page_size=5&sort=newest")

    assert first.status_code == again.status_code == 200
    assert again.headers["X-Cache"] == "hit"
    assert again.json() == first.json()


def test_repeated_parameters_keep_their_order_in_the_key() -> None:
    def key(query: bytes) -> str:
        return cache_key({"type": "http", "path": LISTINGS, "query_string": query, "headers": []})

    assert key(b"b=2&a=1&c=") == key(b"a=1&c=&b=2")
    assert key(b"a=1&a=2") != key(b"a=2&a=1")
    assert key(b"a=1&b=2&a=3") == key(b"b=2&a=1&a=3")


# --- the middleware alone, in front of a plain ASGI app ----------------------------------------

PUBLIC_JSON = [(b"content-type", b"application/json"), (b"cache-control", b"public, max-age=2")]


class _Forgetful:
    """A shared cache that keeps nothing, so memory measured is the middleware's own."""

    async def get(self, key: str) -> str | None:
        return None

    async def set(self, key: str, value: str, ttl_seconds: float) -> None:
        return None


def _get(path: str, query: bytes = b"") -> dict[str, Any]:
    app = SimpleNamespace(state=SimpleNamespace(runtime=SimpleNamespace(cache=_Forgetful())))
    return {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": query,
        "headers": [],
        "app": app,
    }


async def _no_request_body() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


def _answering(headers: list[tuple[bytes, bytes]], chunks: int, chunk_bytes: int) -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for n in range(chunks):
            body = b"x" * chunk_bytes  # a fresh chunk each time, as a file read would give
            await send({"type": "http.response.body", "body": body, "more_body": n < chunks - 1})

    return app


@pytest.mark.parametrize(
    "headers",
    [[(b"content-type", b"text/csv")], PUBLIC_JSON],
    ids=["csv_export", "public_json_too_big_to_store"],
)
async def test_a_20_mb_download_streams_through_without_being_held(
    headers: list[tuple[bytes, bytes]],
) -> None:
    middleware = PublicCacheMiddleware(_answering(headers, 20, MIB), route_of=lambda _: "/x")
    received = 0

    async def client(message: Any) -> None:
        nonlocal received
        received += len(message.get("body", b""))

    tracemalloc.start()
    try:
        await middleware(_get("/export"), _no_request_body, client)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert received == 20 * MIB
    assert peak < 4 * MIB  # a chunk or two in flight, never the whole download
    assert middleware.kept_bytes == 0


async def test_copies_kept_in_memory_stay_within_their_byte_budget() -> None:
    middleware = PublicCacheMiddleware(
        _answering(PUBLIC_JSON, 1, 100 * 1024), route_of=lambda _: "/search"
    )

    async def client(message: Any) -> None:
        return None

    tracemalloc.start()
    try:
        for page in range(400):  # 40 MB of distinct 100 KB pages
            await middleware(_get("/search", b"page=%d" % page), _no_request_body, client)
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert MAX_LOCAL_BYTES - MIB < middleware.kept_bytes <= MAX_LOCAL_BYTES
    assert held < MAX_LOCAL_BYTES + 2 * MIB


async def test_expired_copies_are_dropped_as_new_ones_are_kept(clock: list[float]) -> None:
    middleware = PublicCacheMiddleware(
        _answering(PUBLIC_JSON, 1, 10 * 1024), route_of=lambda _: "/search"
    )

    async def client(message: Any) -> None:
        return None

    await middleware(_get("/search", b"page=1"), _no_request_body, client)
    one_copy = middleware.kept_bytes
    clock[0] += 3  # past max-age=2
    await middleware(_get("/search", b"page=2"), _no_request_body, client)

    assert one_copy > 10 * 1024
    assert middleware.kept_bytes == one_copy  # page 2 only


def test_the_public_cache_is_on_for_two_seconds_except_in_tests() -> None:
    assert AppSettings(environment=Environment.DEVELOPMENT).public_cache_ttl == 2
    assert AppSettings(environment=Environment.TESTING).public_cache_ttl == 0
    assert AppSettings(public_cache_seconds=5).public_cache_ttl == 5


async def test_served_apps_renew_an_old_copy_behind_the_readers(clock: list[float]) -> None:
    # Past half its life a copy's successor is computed in the background: the reader who found
    # it old is served the copy at once, as is every reader while the renewal is slow, and the
    # renewal runs once; then its answer is served.
    generation = [0]
    computing, release = asyncio.Event(), asyncio.Event()
    renewal_headers: list[list[tuple[bytes, bytes]]] = []

    async def search(scope: Any, receive: Any, send: Any) -> None:
        generation[0] += 1
        if generation[0] > 1:
            renewal_headers.append(scope["headers"])
            computing.set()
            await release.wait()  # a slow database
        body = json.dumps({"generation": generation[0]}).encode()
        await send({"type": "http.response.start", "status": 200, "headers": PUBLIC_JSON})
        await send({"type": "http.response.body", "body": body})

    middleware = PublicCacheMiddleware(
        search, route_of=lambda _: "/search", renew_in_background=True
    )

    async def ask() -> tuple[dict[str, Any], bytes]:
        sent: list[dict[str, Any]] = []

        async def collect(message: Any) -> None:
            sent.append(message)

        request = _get("/search") | {"headers": [(b"authorization", b"Bearer a-reader")]}
        await asyncio.wait_for(middleware(request, _no_request_body, collect), 1)
        headers = dict(sent[0]["headers"])
        return json.loads(sent[1]["body"]), headers.get(b"x-cache", b"")

    assert await ask() == ({"generation": 1}, b"")
    clock[0] += 1.5  # past half of max-age=2
    old = [await ask() for _ in range(3)]  # none waits for the slow renewal
    await asyncio.wait_for(computing.wait(), 1)
    release.set()
    await asyncio.gather(*middleware._renewals)
    renewed = await ask()

    assert old == [({"generation": 1}, b"hit")] * 3
    assert generation[0] == 2  # one renewal for all three readers
    assert renewed == ({"generation": 2}, b"hit")
    assert renewal_headers == [[]]  # renewed as an anonymous caller


def test_the_cache_key_follows_the_language_asked_for_not_the_header_spelling() -> None:
    def scope(language: str | None) -> Any:
        headers = [(b"accept-language", language.encode())] if language else []
        return {"type": "http", "path": "/listings", "query_string": b"", "headers": headers}

    assert cache_key(scope("hi-IN,hi;q=0.9,en;q=0.5")) == cache_key(scope("hi"))
    assert cache_key(scope("en-GB")) == cache_key(scope(None)) == cache_key(scope("ta"))
    assert cache_key(scope("hi")) != cache_key(scope("en"))
