"""The application factory: any subset of the services on the shared kernel."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from msmebazaar import __version__
from msmebazaar.services import (
    ServiceSpec,
    resolve_services,
    subscriptions_of,
    with_used_services,
)
from msmebazaar.shared import api_docs, health
from msmebazaar.shared.cache import Cache
from msmebazaar.shared.config import Environment, Settings, get_settings
from msmebazaar.shared.db import Database
from msmebazaar.shared.dispatch import hosted_dispatcher
from msmebazaar.shared.errors import install_error_handlers
from msmebazaar.shared.idempotency import IdempotencyMiddleware
from msmebazaar.shared.logging import configure_logging
from msmebazaar.shared.middleware import (
    BASE_SECURITY_HEADERS,
    HSTS_HEADER,
    AdmissionLimitMiddleware,
    BodySizeLimitMiddleware,
    EnvelopeCORSMiddleware,
    RateLimitMiddleware,
    RequestContextMiddleware,
    TrustedHostMiddleware,
    route_template,
)
from msmebazaar.shared.outbox import embedded_worker_enabled, start_embedded_worker
from msmebazaar.shared.public_cache import PublicCacheMiddleware
from msmebazaar.shared.ratelimit import RateLimiter
from msmebazaar.shared.request_limits import (
    BodyTimeoutMiddleware,
    JsonBodyLimitMiddleware,
    JsonLimits,
)
from msmebazaar.shared.responses import COMMON_ERROR_RESPONSES, errors_as_json
from msmebazaar.shared.runtime import RUNTIME_STATE, Runtime
from msmebazaar.shared.sentry import init_sentry
from msmebazaar.shared.storage import Storage

SERVICES_ENV = "MSMEBAZAAR_SERVICES"

DESCRIPTION = """
MSMEBazaar: verified business profiles, explained valuations and matched deals for Indian MSMEs.

Every response carries `X-Request-ID`. Successes are `{success, message, data}` (lists add
`pagination`); errors are `{success: false, message, error: {code, details}, request_id,
timestamp}`.
"""


REGISTER_SECONDS = 2.0  # the test app's handlers register at start-up, within this


def create_app(
    settings: Settings | None = None,
    services: Sequence[str] | None = None,
    *,
    database: Database | None = None,
    cache: Cache | None = None,
    rate_limiter: RateLimiter | None = None,
    storage: Storage | None = None,
) -> FastAPI:
    """Build the app with the named services (default: every built one) on the shared kernel.

    `database`, `cache`, `rate_limiter` and `storage` may be injected (tests bind them to a test
    transaction); whatever the factory creates itself, it also closes at shutdown. All of it,
    and what each service adds at start-up, is the app's `Runtime` (`shared/runtime.py`).
    """
    settings = settings or get_settings()
    configure_logging(settings.observability)
    specs = resolve_services(services)
    hooked = with_used_services(specs)
    owned_db, owned_cache = database is None, cache is None
    runtime = Runtime.build(
        settings,
        database=database,
        cache=cache,
        rate_limiter=rate_limiter,
        storage=storage,
        services=[spec.name for spec in specs],
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        for spec in hooked:
            for hook in spec.on_startup:
                await hook(app)
        outbox_worker = start_embedded_worker(runtime.database, settings)
        # Tests deliver events in the committing task (one task: their sessions share one
        # connection); the single-process default delivers in the background, like the outbox.
        dispatcher = hosted_dispatcher(
            runtime,
            subscriptions_of(hooked),
            embedded=embedded_worker_enabled(settings),
            inline=settings.environment is Environment.TESTING,
        )
        if dispatcher is not None and settings.environment is Environment.TESTING:
            # Handlers exist from the start: one that takes only new events (`replay=False`)
            # must not count the test's first commit as "before it existed". A database that is
            # down now is registered with later, at the first delivery.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(dispatcher.register(), REGISTER_SECONDS)
        if settings.environment is not Environment.TESTING:
            # Tests keep to one task (their sessions share one connection): they flush the
            # counts themselves (`Database.flush_counts`).
            runtime.database.start_flushing_counts()
            freeze_startup_heap()
        try:
            yield
        finally:
            if dispatcher is not None:
                await dispatcher.stop()
            if outbox_worker is not None:
                await outbox_worker.stop()
            await runtime.database.stop_flushing_counts()
            for spec in reversed(hooked):
                for hook in spec.on_shutdown:
                    await hook(app)
            if owned_cache:
                await runtime.cache.close()
            if owned_db:
                await runtime.database.dispose()

    app = FastAPI(
        title="MSMEBazaar API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        # /docs and /redoc come from the package's own assets (shared/api_docs), never a CDN.
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        responses=COMMON_ERROR_RESPONSES,
        openapi_tags=[tag for spec in specs for tag in spec.tags],
        # Prometheus (shared/metrics.py) and structlog are our telemetry; FastAPI's built-in
        # OpenTelemetry hooks would only add per-request work.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    setattr(app.state, RUNTIME_STATE, runtime)
    init_sentry(settings, runtime.services)

    install_error_handlers(app)
    _document_errors_as_json(app)
    _add_middleware(app, settings)
    app.include_router(health.router)
    app.include_router(api_docs.router)
    _mount_services(app, specs)
    return app


def freeze_startup_heap() -> None:
    """Exempt what start-up built (modules, routes, schemas, models) from garbage collection.

    Under load the collector's full passes walked these 200,000-odd objects on the event loop,
    pausing every request of the process for 0.1-1.5 s at a time (bench, issue 11); frozen,
    they are never walked again. Tests skip it: they build many apps in one process, and a
    frozen app that is later dropped is only freed by reference counting, never as a cycle."""
    gc.collect()
    gc.freeze()


def _document_errors_as_json(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        return errors_as_json(generate())

    app.openapi = openapi  # type: ignore[method-assign]


def _mount_services(app: FastAPI, specs: Sequence[ServiceSpec]) -> None:
    for spec in specs:
        for router in spec.routers:
            app.include_router(router, prefix=spec.prefix)


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    # Starlette runs the last-added middleware first; this list reads innermost to outermost.
    app.add_middleware(IdempotencyMiddleware, trusted_proxies=settings.app.trusted_proxies)
    # Inside admission, so a body refused or timed out frees its slot at once; the JSON check
    # reads through the body clock.
    limits = JsonLimits(
        max_depth=settings.app.json_max_depth,
        max_keys=settings.app.json_max_keys,
        max_array_items=settings.app.json_max_array_items,
    )
    app.add_middleware(JsonBodyLimitMiddleware, limits=limits)
    app.add_middleware(
        BodyTimeoutMiddleware,
        timeout=settings.app.request_body_timeout_seconds,
        min_rate=settings.app.request_body_min_rate,
    )
    # The admission limit counts the requests that reach the app (database work); answers from
    # the public cache, and readers waiting for one being computed, cost next to nothing and are
    # not turned away; the request refilling a cached page may use a small reserve past the limit.
    # The cache sits inside the rate limit: a flood of cached reads is still a flood from one
    # address.
    app.add_middleware(
        AdmissionLimitMiddleware,
        max_in_flight=settings.app.max_in_flight_requests,
        max_per_client=settings.app.max_in_flight_per_client,
        trusted_proxies=settings.app.trusted_proxies,
    )
    # Tests share one database connection between tasks: there, the reader renews the copy.
    renew_in_background = settings.environment is not Environment.TESTING
    app.add_middleware(
        PublicCacheMiddleware, route_of=route_template, renew_in_background=renew_in_background
    )
    app.add_middleware(
        RateLimitMiddleware,
        per_minute=settings.app.rate_limit_per_minute,
        trusted_proxies=settings.app.trusted_proxies,
    )
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.app.max_body_bytes,
        max_json_bytes=settings.app.max_json_body_bytes,
    )
    app.add_middleware(
        EnvelopeCORSMiddleware,
        allow_origins=settings.app.cors_origins,
        allow_credentials="*" not in settings.app.cors_origins,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID"],
        expose_headers=["X-Request-ID", "Retry-After"],
        max_age=600,
    )
    headers = dict(BASE_SECURITY_HEADERS)
    if settings.is_production:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.app.allowed_hosts)
        headers |= HSTS_HEADER
    app.add_middleware(RequestContextMiddleware, security_headers=headers)


def create_app_from_env() -> FastAPI:
    """Factory for uvicorn: the services named in `MSMEBAZAAR_SERVICES` (comma-separated)."""
    names = [name.strip() for name in os.environ.get(SERVICES_ENV, "").split(",") if name.strip()]
    return create_app(services=names or ["all"])
