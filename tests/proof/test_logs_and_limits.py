"""Secrets and PII stay out of the logs through a whole session of use, and the limits that
protect SMS and webhooks hold."""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from asgi_lifespan import LifespanManager

from msmebazaar.app import create_app
from msmebazaar.shared.cache import Cache
from msmebazaar.shared.config import Settings
from msmebazaar.shared.db import Database
from msmebazaar.shared.ratelimit import RateLimiter
from tests.auth.factories import (
    LOGOUT,
    ME,
    OTP_REQUEST,
    OTP_VERIFY,
    REFRESH,
    new_phone,
    request_code,
)
from tests.msme.factories import MSMES, listing_payload, make_msme, profile_payload

WEBHOOK = "/api/v1/whatsapp/webhook"


@pytest.fixture
def captured_logs(client: httpx.AsyncClient) -> Iterator[io.StringIO]:
    """Every log line the app writes during the test, rendered (and masked) as in production."""
    root = logging.getLogger()
    ours = next(handler for handler in root.handlers if handler.get_name() == "msmebazaar")
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    handler.setFormatter(ours.formatter)
    root.addHandler(handler)
    try:
        yield captured
    finally:
        root.removeHandler(handler)


async def test_a_whole_session_leaves_no_phone_code_or_token_in_the_logs(
    client: httpx.AsyncClient, database: Database, captured_logs: io.StringIO
) -> None:
    phone = new_phone()
    code = await request_code(client, phone)
    await client.post(OTP_VERIFY, json={"phone": phone, "code": "000000"})  # a wrong guess
    verified = await client.post(
        OTP_VERIFY, json={"phone": phone, "code": code, "role": "msme_owner", "name": "Asha"}
    )
    tokens = verified.json()["data"]
    refreshed = (await client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})).json()
    reused = await client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})
    headers = {"Authorization": f"Bearer {refreshed['data']['access_token']}"}
    await client.get(ME, headers=headers)
    await client.post(OTP_REQUEST, json={"phone": "98765 4321x"})  # invalid: echoed nowhere
    contact = f"Call {phone[3:8]} {phone[8:]} for details"
    created = await client.post(MSMES, json=profile_payload(description=contact), headers=headers)
    msme = await make_msme(database, uuid.UUID(verified.json()["data"]["user"]["id"]))
    await client.post(
        "/api/v1/listings",
        json=listing_payload(msme.id, summary=f"Owner reachable at {phone}"),
        headers=headers,
    )
    await client.get(ME, headers={"Authorization": f"Bearer {tokens['access_token']}x"})
    await client.post(
        LOGOUT, json={"refresh_token": refreshed["data"]["refresh_token"]}, headers=headers
    )

    logged = captured_logs.getvalue()
    assert reused.status_code == 200  # a retry inside the grace window gets the same pair
    assert created.status_code == 201
    assert "auth/otp/verify" in logged
    secrets = {
        "phone": phone[3:],
        "code": code,
        "access token": tokens["access_token"],
        "refresh token": tokens["refresh_token"],
        "new access token": refreshed["data"]["access_token"],
        "new refresh token": refreshed["data"]["refresh_token"],
    }
    leaked = [name for name, secret in secrets.items() if secret in logged]
    assert not leaked, f"found in the logs: {leaked}"
    assert phone[3:8] not in logged.replace(phone[3:8] + "*", "")  # not even half the number


async def test_request_ids_in_the_logs_are_never_mangled_by_masking(
    client: httpx.AsyncClient, captured_logs: io.StringIO
) -> None:
    request_id = "0f9876543210ab"  # ten digits that look like a mobile, inside a token
    response = await client.get("/health/live", headers={"X-Request-ID": request_id})

    assert response.headers["X-Request-ID"] == request_id
    assert f'"request_id": "{request_id}"' in captured_logs.getvalue()


async def test_otp_limits_per_phone_and_per_address_hold(
    client: httpx.AsyncClient,
) -> None:
    phone = new_phone()
    assert (await client.post(OTP_REQUEST, json={"phone": phone})).status_code == 200
    again = await client.post(OTP_REQUEST, json={"phone": phone})
    assert again.status_code == 429
    assert again.json()["error"]["code"] == "OTP_RESEND_COOLDOWN"
    assert int(again.headers["Retry-After"]) > 0

    answers = [
        (await client.post(OTP_REQUEST, json={"phone": new_phone()})).status_code
        for _ in range(100)
    ]
    assert answers.count(200) == 98  # OTP_MAX_PER_IP_PER_HOUR=100: every request counts
    assert answers[-1] == 429


@pytest.fixture
async def client_for_limit(
    settings: Settings, database: Database, cache: Cache, rate_limiter: RateLimiter
) -> AsyncIterator[httpx.AsyncClient]:
    """The app with `RATE_LIMIT_PER_MINUTE=3`."""
    limited = settings.model_copy(deep=True)
    limited.app = limited.app.model_copy(update={"rate_limit_per_minute": 3})
    app = create_app(limited, database=database, cache=cache, rate_limiter=rate_limiter)
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app, client=("192.0.2.44", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            yield http


async def test_the_global_per_address_limit_covers_webhooks(
    client_for_limit: httpx.AsyncClient,
) -> None:
    answers = [(await client_for_limit.post(WEBHOOK, content=b"{}")).status_code for _ in range(5)]

    assert answers[:3] == [403, 403, 403]  # unsigned: refused, and counted
    assert answers[3:] == [429, 429]
