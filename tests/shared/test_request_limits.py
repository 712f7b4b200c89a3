"""Issue 18, findings 1, 2 and 10 in process: a body that stalls gets 408 and frees its slot,
one client holds at most its share of the slots, a JSON key or bracket bomb is refused before
validation on every JSON endpoint, a 422 names at most 20 fields, and a refused CORS preflight
is in the envelope."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from msmebazaar.app import create_app
from msmebazaar.shared.cache import MemoryCache
from msmebazaar.shared.config import Settings
from msmebazaar.shared.db import Database
from msmebazaar.shared.errors import MAX_REPORTED_ERRORS
from msmebazaar.shared.middleware import AdmissionLimitMiddleware
from msmebazaar.shared.ratelimit import RateLimiter
from msmebazaar.shared.request_limits import JsonLimitError, JsonLimits, parse_json_within
from tests.conftest import make_settings

OTP_REQUEST = "/api/v1/auth/otp/request"
ATTACKER, NEIGHBOUR = ("203.0.113.66", 1000), ("198.51.100.5", 1000)


def _key_bomb(keys: int) -> bytes:
    return json.dumps({f"key{i:07d}": 0 for i in range(keys)}).encode()


@pytest.fixture
async def small_app(
    database_url: str, database: Database, rate_limiter: RateLimiter
) -> AsyncIterator[FastAPI]:
    """The app with a short body clock and a per-client share of 2 of 8 slots, plus a route
    that holds its slot until the test lets it go."""
    settings = make_settings(
        database_url,
        request_body_timeout_seconds=0.5,
        max_in_flight_requests=8,
        max_in_flight_per_client=2,
    )
    app = create_app(settings, database=database, cache=MemoryCache(), rate_limiter=rate_limiter)
    app.state.gate, app.state.two_held = asyncio.Event(), asyncio.Event()
    router = APIRouter()

    @router.get("/api/v1/test/held")
    async def held() -> dict[str, str]:
        if _admission(app).in_flight >= 2:
            app.state.two_held.set()
        await app.state.gate.wait()
        return {"status": "done"}

    app.include_router(router)
    async with LifespanManager(app):
        yield app


def _client(app: FastAPI, address: tuple[str, int]) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=address)
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


def _admission(app: FastAPI) -> AdmissionLimitMiddleware:
    layer: Any = app.middleware_stack
    while not isinstance(layer, AdmissionLimitMiddleware):
        layer = layer.app
    return layer


async def _stalled_body() -> AsyncIterator[bytes]:
    yield b'{"phone": "+9198'  # one piece of the body, then nothing
    await asyncio.sleep(3600)


async def test_a_stalled_body_gets_408_in_the_envelope_and_frees_its_slot(
    small_app: FastAPI,
) -> None:
    async with _client(small_app, ATTACKER) as attacker:
        headers = {"Content-Type": "application/json"}
        response = await asyncio.wait_for(
            attacker.post(OTP_REQUEST, content=_stalled_body(), headers=headers), timeout=30
        )

    assert response.status_code == 408
    assert response.json()["error"]["code"] == "REQUEST_TIMEOUT"
    assert response.headers["connection"] == "close"
    assert _admission(small_app).in_flight == 0
    assert _admission(small_app).per_client == {}


async def test_a_stalled_portal_form_gets_a_408_page(small_app: FastAPI) -> None:
    async with _client(small_app, ATTACKER) as attacker:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        response = await asyncio.wait_for(
            attacker.post("/signin", content=_stalled_body(), headers=headers), timeout=30
        )

    assert response.status_code == 408
    assert response.headers["content-type"].startswith("text/html")
    assert _admission(small_app).in_flight == 0


async def test_one_client_holds_at_most_its_share_and_others_are_served(
    small_app: FastAPI,
) -> None:
    async with _client(small_app, ATTACKER) as attacker, _client(small_app, NEIGHBOUR) as other:
        held = [asyncio.create_task(attacker.get("/api/v1/test/held")) for _ in range(2)]
        await asyncio.wait_for(small_app.state.two_held.wait(), timeout=30)
        try:
            refused = await attacker.get("/api/v1/msmes/sectors")
            served = await other.get("/api/v1/msmes/sectors")
        finally:
            small_app.state.gate.set()
        assert [r.status_code for r in await asyncio.gather(*held)] == [200, 200]

    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "RATE_LIMITED"
    assert refused.headers["Retry-After"] == "1"
    assert served.status_code == 200
    assert _admission(small_app).per_client == {}


async def test_an_8_mb_key_bomb_is_413_before_it_is_parsed(client: httpx.AsyncClient) -> None:
    body = _key_bomb(500_000)
    assert len(body) > 8_000_000

    response = await client.post(
        OTP_REQUEST, content=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert len(response.content) < 2000


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (_key_bomb(60_000), "keys"),
        (b"[" * 40 + b"]" * 40, "deeper"),
        (b"[" * 100_000 + b"]" * 100_000, "deeper"),
        (json.dumps({"phone": list(range(5000))}).encode(), "items"),
    ],
    ids=["keys", "depth", "bracket_bomb", "array"],
)
async def test_json_past_the_limits_is_a_short_422_before_validation(
    client: httpx.AsyncClient, body: bytes, said: str
) -> None:
    response = await client.post(
        OTP_REQUEST, content=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert said in response.json()["message"]
    assert len(response.content) < 2000


async def test_a_422_lists_at_most_20_fields(kernel_client: httpx.AsyncClient) -> None:
    body = {"name": "x", "financials": [{"revenue": -1}] * 500}

    response = await kernel_client.post("/test/profiles", json=body)

    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert len(details) == MAX_REPORTED_ERRORS
    assert "501 errors" in response.json()["message"]


def _json_endpoints(app: FastAPI) -> list[tuple[str, str]]:
    """Every API route that takes a body, with its path parameters filled in."""
    found = []
    for context in iter_route_contexts(app.router.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or not str(context.path).startswith("/api/"):
            continue
        methods = (route.methods or set()) & {"POST", "PUT", "PATCH", "DELETE"}
        for method in methods:
            path = re.sub(r"\{[^}]+\}", str(uuid.uuid4()), str(context.path))
            found.append((method, path.replace("{fiscal_year}", "2024-25")))
    return sorted(found)


async def test_every_json_endpoint_refuses_a_key_bomb_in_milliseconds_of_work(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    bomb = _key_bomb(60_000)
    endpoints = _json_endpoints(app)
    assert len(endpoints) >= 25

    answers = {}
    for method, path in endpoints:
        response = await client.request(
            method, path, content=bomb, headers={"Content-Type": "application/json"}
        )
        answers[f"{method} {path}"] = (response.status_code, len(response.content))

    wrong = {name: answer for name, answer in answers.items() if answer[0] != 422}
    assert wrong == {}
    assert max(size for _, size in answers.values()) < 2000


async def test_a_cors_preflight_from_a_foreign_origin_is_refused_in_the_envelope(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    headers = {
        "Origin": "https://evil.example",
        "Access-Control-Request-Method": "POST",
    }

    response = await client.options(OTP_REQUEST, headers=headers)

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == "CORS_NOT_ALLOWED"
    assert body["request_id"] == response.headers["X-Request-ID"]


async def test_a_cors_preflight_from_our_origin_still_passes(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    headers = {
        "Origin": settings.app.cors_origins[0],
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }

    response = await client.options(OTP_REQUEST, headers=headers)

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == settings.app.cors_origins[0]


def test_the_parser_refuses_each_limit_and_accepts_what_fits() -> None:
    limits = JsonLimits(max_depth=3, max_keys=3, max_array_items=3)

    assert parse_json_within(b'{"a": [1, 2, {"b": 1}]}', limits) == {"a": [1, 2, {"b": 1}]}
    for body in (b"[[[[]]]]", b'{"a":1,"b":2,"c":3,"d":4}', b"[1,2,3,4]", b"[" * 10_000):
        with pytest.raises(JsonLimitError):
            parse_json_within(body, limits)
    with pytest.raises(ValueError, match=r"EOF|expected"):
        parse_json_within(b'{"a": ', limits)
