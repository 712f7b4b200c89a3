"""Auth fixtures: apps with adjusted auth settings, the token codec, and database reads."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from msmebazaar.app import create_app
from msmebazaar.auth.tokens import TokenCodec
from msmebazaar.shared.cache import Cache
from msmebazaar.shared.config import Settings
from msmebazaar.shared.db import Database
from msmebazaar.shared.ratelimit import RateLimiter

ClientFactory = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def codec(settings: Settings) -> TokenCodec:
    return TokenCodec(settings.auth)


@pytest.fixture
def client_with(
    settings: Settings, database: Database, cache: Cache, rate_limiter: RateLimiter
) -> ClientFactory:
    """A client on an app whose auth (or app) settings are changed, e.g. `otp_echo=False`."""

    @asynccontextmanager
    async def factory(
        peer: str = "203.0.113.7", app_fields: dict[str, Any] | None = None, **auth_fields: Any
    ) -> AsyncIterator[httpx.AsyncClient]:
        changed = settings.model_copy(deep=True)
        changed.auth = changed.auth.model_copy(update=auth_fields)
        changed.app = changed.app.model_copy(update=app_fields or {})
        app = create_app(changed, database=database, cache=cache, rate_limiter=rate_limiter)
        async with LifespanManager(app):
            transport = httpx.ASGITransport(app=app, client=(peer, 50000))
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
                yield http

    return factory
