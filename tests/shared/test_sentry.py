"""Error tracking: nothing starts without SENTRY_DSN; with it, an unexpected error reaches Sentry
with the request id and the service as tags, its texts masked, and no request body."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import sentry_sdk
from asgi_lifespan import LifespanManager
from pydantic import SecretStr
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from msmebazaar.app import create_app
from msmebazaar.shared.cache import Cache
from msmebazaar.shared.config import ObservabilitySettings, Settings
from msmebazaar.shared.db import Database
from msmebazaar.shared.ratelimit import RateLimiter
from msmebazaar.shared.runtime import runtime_of
from msmebazaar.shared.sentry import init_sentry, scrub_event, service_tag
from tests.shared.routes import router as kernel_router

DSN = "https://public@sentry.example.invalid/42"


class RecordingTransport(Transport):
    """Keeps events instead of sending them anywhere."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[dict[str, Any]] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        for item in envelope.items:
            event = item.get_event()
            if event is not None:
                self.events.append(dict(event))


@pytest.fixture(autouse=True)
def _sentry_off_afterwards() -> Iterator[None]:
    yield
    client = sentry_sdk.get_client()
    if client.is_active():
        client.close()
    sentry_sdk.get_global_scope().set_client(None)


def _with_dsn(settings: Settings) -> Settings:
    settings.observability = ObservabilitySettings(sentry_dsn=SecretStr(DSN), log_format="json")
    return settings


def test_nothing_starts_without_a_dsn(settings: Settings) -> None:
    assert init_sentry(settings, ["auth"], transport=RecordingTransport()) is False

    assert not sentry_sdk.is_initialized()


async def _client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    app.include_router(kernel_router)
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


async def test_an_unexpected_error_reaches_sentry_tagged_and_masked(
    settings: Settings, database: Database, cache: Cache, rate_limiter: RateLimiter
) -> None:
    transport = RecordingTransport()
    app = create_app(
        _with_dsn(settings), ["auth"], database=database, cache=cache, rate_limiter=rate_limiter
    )
    assert init_sentry(runtime_of(app).settings, ["auth"], transport=transport)

    async for http in _client(app):
        response = await http.post(
            "/test/boom", json={"phone": "+919876543210"}, headers={"X-Request-ID": "req-77"}
        )

    assert response.status_code == 500
    sentry_sdk.flush()
    (event,) = transport.events
    assert event["tags"]["request_id"] == "req-77"
    assert event["tags"]["service"] == "auth"
    (exception,) = event["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert "9876543210" not in exception["value"]
    assert "3210" in exception["value"]  # masked, not dropped
    assert "request" not in event or "data" not in event["request"]


async def test_an_error_the_app_answers_itself_is_not_reported(
    settings: Settings, database: Database, cache: Cache, rate_limiter: RateLimiter
) -> None:
    transport = RecordingTransport()
    app = create_app(
        _with_dsn(settings), ["auth"], database=database, cache=cache, rate_limiter=rate_limiter
    )
    init_sentry(runtime_of(app).settings, ["auth"], transport=transport)

    async for http in _client(app):
        response = await http.get("/test/errors/not_found")

    assert response.status_code == 404
    sentry_sdk.flush()
    assert transport.events == []


def test_service_tag_names_the_process_services() -> None:
    assert service_tag(["auth"]) == "auth"
    assert service_tag(["auth", "msme"]) == "auth,msme"
    assert service_tag([]) == "none"


def test_scrub_masks_messages_and_extras_and_skips_a_missing_request_id() -> None:
    event: Any = {
        "logentry": {"message": "sms to +919876543210 failed"},
        "extra": {"otp": "123456", "note": "call 9876543210"},
    }

    scrubbed: Any = scrub_event(event, service="worker", request_id="-")

    assert scrubbed["tags"] == {"service": "worker"}
    assert "9876543210" not in scrubbed["logentry"]["message"]
    assert scrubbed["extra"]["otp"] == "***"
    assert "9876543210" not in scrubbed["extra"]["note"]
