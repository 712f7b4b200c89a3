"""The shared middleware stack: request context, access log, metrics, security headers, host
check, CORS, body size limit, the global per-IP rate limit and admission (request time limits
and JSON limits: shared/request_limits.py). All pure ASGI (no BaseHTTPMiddleware), so
streaming works and the request context covers every byte of every response."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import structlog
from fastapi.routing import iter_route_contexts
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from msmebazaar.shared.context import accept_or_new_request_id, request_id_var
from msmebazaar.shared.errors import (
    Refusal,
    error_response,
    send_refusal,
    unexpected_error_response,
)
from msmebazaar.shared.exceptions import PayloadTooLargeError
from msmebazaar.shared.metrics import (
    HTTP_IN_FLIGHT,
    HTTP_LATENCY,
    HTTP_REQUESTS,
    RATE_LIMITED,
    SHED,
)
from msmebazaar.shared.ratelimit import RateLimiter
from msmebazaar.shared.request_limits import is_json_body
from msmebazaar.shared.runtime import runtime_of
from msmebazaar.shared.security import client_ip

access_log = structlog.get_logger("msmebazaar.access")

API_PREFIX = "/api/v1"  # every service's routes are mounted under it (app.py)

BASE_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
HSTS_HEADER = {"Strict-Transport-Security": "max-age=63072000; includeSubDomains"}
# Never rate limited: probes and scrapers must see the app even when a client floods it.
RATE_LIMIT_EXEMPT_PREFIXES = ("/health", "/metrics")
# Long-lived responses (Server-Sent Events) end in this: they hold no admission slot, which is
# meant for short requests (a process holds thousands of streams; its own cap guards them).
STREAM_SUFFIX = "/stream"
# Scope key the public cache sets on a request that refills a cached page (shared/public_cache.py).
CACHE_FILL = "msmebazaar.cache_fill"


def route_template(scope: Scope) -> str:
    """The matched route's template (`/api/v1/msmes/{msme_id}`), never the raw path, so metric
    labels stay few; `unmatched` for paths no route knows."""
    path = getattr(scope.get("route"), "path", None)
    if path:
        # FastAPI keeps included routers nested: a route knows its own router's prefix but not
        # the `/api/v1` it was mounted under, which the raw path shows.
        if scope["path"].startswith(API_PREFIX + "/") and not str(path).startswith(API_PREFIX):
            return API_PREFIX + str(path)
        return str(path)
    # FastAPI's plain routes (/docs, /redoc, /openapi.json) set an endpoint but no route; they
    # take no path parameters, so their path is their template.
    return str(scope["path"]) if "endpoint" in scope else "unmatched"


class RequestContextMiddleware:
    """Outermost layer: request id, access log, metrics, security headers, last-resort 500."""

    def __init__(self, app: ASGIApp, *, security_headers: Mapping[str, str]) -> None:
        self.app = app
        self.security_headers = dict(security_headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = accept_or_new_request_id(Headers(scope=scope).get("x-request-id"))
        token = request_id_var.set(request_id)
        structlog.contextvars.bind_contextvars(request_id=request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        state: dict[str, Any] = {"status": 500, "started": False}
        began = time.perf_counter()
        HTTP_IN_FLIGHT.inc()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"], state["started"] = message["status"], True
                headers = MutableHeaders(scope=message)
                headers["X-Request-ID"] = request_id
                for name, value in self.security_headers.items():
                    headers.setdefault(name, value)
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            if state["started"]:
                raise
            await unexpected_error_response(exc)(scope, receive, send_with_headers)
        finally:
            HTTP_IN_FLIGHT.dec()
            self._record(scope, state["status"], time.perf_counter() - began)
            structlog.contextvars.unbind_contextvars("request_id", "user_id")
            request_id_var.reset(token)

    @staticmethod
    def _record(scope: Scope, status: int, seconds: float) -> None:
        route, method = route_template(scope), scope["method"]
        HTTP_REQUESTS.labels(method, route, str(status)).inc()
        HTTP_LATENCY.labels(method, route, str(status)).observe(seconds)
        user_id = scope.get("state", {}).get("user_id")
        access_log.info(
            "request",
            method=method,
            route=route,
            status=status,
            latency_ms=round(seconds * 1000, 2),
            user_id=str(user_id) if user_id else None,
        )


class TrustedHostMiddleware:
    """Production: refuse requests whose Host header is not ours (400 in the envelope).

    Probes and scrapers are exempt: kubelet and Prometheus address a pod by its IP, and these
    paths render nothing from the Host header."""

    def __init__(self, app: ASGIApp, *, allowed_hosts: Sequence[str]) -> None:
        self.app = app
        self.allowed = [host.lower() for host in allowed_hosts]

    def _allowed(self, host: str) -> bool:
        host = host.split(":", 1)[0].lower()
        return any(
            pattern in {"*", host} or (pattern.startswith("*.") and host.endswith(pattern[1:]))
            for pattern in self.allowed
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and not scope["path"].startswith(RATE_LIMIT_EXEMPT_PREFIXES)
            and not self._allowed(Headers(scope=scope).get("host", ""))
        ):
            message = "This host name is not served here."
            await send_refusal(scope, receive, send, Refusal(400, "INVALID_HOST", message))
            return
        await self.app(scope, receive, send)


class BodySizeLimitMiddleware:
    """Refuse bodies over the limit: at once by `Content-Length`, or as the bytes stream in.

    JSON bodies have a tighter limit than uploads (`max_json_bytes`): no JSON endpoint needs
    megabytes, and every JSON byte is parsed and validated, while an upload streams to a file."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, max_json_bytes: int | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_json_bytes = min(max_json_bytes or max_bytes, max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        limit = self.max_json_bytes if is_json_body(headers) else self.max_bytes
        declared = headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            await send_refusal(scope, receive, send, self._refusal(limit))
            return
        received, rejected = 0, False

        async def counting_receive() -> Message:
            # Past the limit we answer 413 ourselves and tell the app the client has gone, so it
            # stops reading; anything it still tries to send is dropped.
            nonlocal received, rejected
            message = await receive()
            if message["type"] == "http.request" and not rejected:
                received += len(message.get("body", b""))
                if received > limit:
                    rejected = True
                    await send_refusal(scope, receive, send, self._refusal(limit))
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not rejected:
                await send(message)

        await self.app(scope, counting_receive, guarded_send)

    @staticmethod
    def _refusal(limit: int) -> Refusal:
        error = PayloadTooLargeError(f"The request body is larger than {_size_text(limit)}.")
        return Refusal(error.status_code, error.code, error.message)


def _size_text(size: int) -> str:
    """`11 MB`, `256 KB`: a byte count as people read it."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB"
    return f"{size / 1024:.0f} KB"


class RateLimitMiddleware:
    """The global per-client-IP limit (`RATE_LIMIT_PER_MINUTE`); 0 turns it off."""

    def __init__(self, app: ASGIApp, *, per_minute: int, trusted_proxies: Sequence[str]) -> None:
        self.app = app
        self.limit = f"{per_minute}/minute"
        self.enabled = per_minute > 0
        self.trusted_proxies = list(trusted_proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or not self.enabled
            or scope["path"].startswith(RATE_LIMIT_EXEMPT_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        limiter: RateLimiter = runtime_of(scope["app"]).rate_limiter
        result = await limiter.hit(self.limit, "ip", client_ip(scope, self.trusted_proxies))
        if not result.allowed:
            RATE_LIMITED.inc()
            refusal = Refusal(
                429,
                "RATE_LIMITED",
                "Too many requests from your address. Try again shortly.",
                {"retry_after": result.retry_after},
                {"Retry-After": str(result.retry_after)},
            )
            await send_refusal(scope, receive, send, refusal)
            return
        await self.app(scope, receive, send)


class AdmissionLimitMiddleware:
    """Shed overload at once: past `max_in_flight` requests in this process, answer 503
    `SERVICE_UNAVAILABLE` with `Retry-After` without touching the database; 0 turns it off.

    Without it a flood queues for a database connection for `DATABASE_POOL_TIMEOUT` and then
    fails anyway, while every admitted request waits behind the queue. Probes and scrapers are
    exempt, so a busy process is not mistaken for a dead one.

    One client (by address, as the rate limit sees it) may hold at most `max_per_client` of the
    slots (0: no cap): past it, its next request gets 429 `RATE_LIMITED` at once, so a flood or
    a set of stalled uploads from one address cannot take every slot from everyone else."""

    RETRY_AFTER_SECONDS = 1
    # Slots past `max_in_flight` that only cache fills may take: one fill answers a hot public
    # page to every reader of the process, so it is the last request worth turning away. There
    # is at most one fill per page and process at a time, so the reserve stays small.
    CACHE_FILL_RESERVE = 4

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_in_flight: int,
        max_per_client: int = 0,
        trusted_proxies: Sequence[str] = (),
    ) -> None:
        self.app = app
        self.max_in_flight = max_in_flight
        self.max_per_client = max_per_client
        self.trusted_proxies = list(trusted_proxies)
        self.in_flight = 0  # one event loop per process: no lock needed
        self.per_client: dict[str, int] = {}  # only clients with a request in flight
        self._routes: list[Any] | None = None  # the app's routes, flattened at the first shed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or self.max_in_flight <= 0
            or scope["path"].startswith(RATE_LIMIT_EXEMPT_PREFIXES)
            or scope["path"].endswith(STREAM_SUFFIX)
        ):
            await self.app(scope, receive, send)
            return
        reserve = self.CACHE_FILL_RESERVE if scope.get(CACHE_FILL) else 0
        if self.in_flight >= self.max_in_flight + reserve:
            SHED.inc()
            self._label_with_route(scope)
            await send_refusal(scope, receive, send, self._shed())
            return
        client = client_ip(scope, self.trusted_proxies) if self.max_per_client > 0 else ""
        held = self.per_client.get(client, 0)
        if self.max_per_client > 0 and held >= self.max_per_client:
            SHED.inc()
            self._label_with_route(scope)
            await send_refusal(scope, receive, send, self._over_share())
            return
        self.in_flight += 1
        self.per_client[client] = held + 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
            self._release(client)

    def _release(self, client: str) -> None:
        left = self.per_client[client] - 1
        if left:
            self.per_client[client] = left
        else:
            del self.per_client[client]  # the map holds only addresses with work in flight

    def _label_with_route(self, scope: Scope) -> None:
        """Give a shed request the route it asked for, as routing would have: admission runs
        before routing, and metrics and the access log would otherwise say `unmatched`,
        charging the 503s to no service. Only done when shedding: routing does it for the rest.
        The routes are flattened once (all are mounted before the app serves): rebuilding the
        list each time doubled what labelling adds to a shed answer (~60 µs)."""
        if self._routes is None:
            self._routes = list(iter_route_contexts(scope["app"].router.routes))
        for route in self._routes:
            match, _ = route.matches(scope)
            if match == Match.FULL:
                scope["route"] = route.original_route
                return

    def _shed(self) -> Refusal:
        seconds = self.RETRY_AFTER_SECONDS
        return Refusal(
            503,
            "SERVICE_UNAVAILABLE",
            "The service is busy. Try again shortly.",
            {"retry_after": seconds},
            {"Retry-After": str(seconds)},
        )

    def _over_share(self) -> Refusal:
        seconds = self.RETRY_AFTER_SECONDS
        return Refusal(
            429,
            "RATE_LIMITED",
            "Too many requests from your address at once. Try again shortly.",
            {"retry_after": seconds},
            {"Retry-After": str(seconds)},
        )


class EnvelopeCORSMiddleware(CORSMiddleware):
    """Starlette's CORS, with a refused preflight answered in the error envelope (Starlette
    answers it 400 in plain text) and its code `CORS_NOT_ALLOWED`."""

    def preflight_response(self, request_headers: Headers) -> Response:
        """The preflight answer; a refusal keeps its status and headers, in the envelope."""
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        reason = bytes(response.body).decode("utf-8", "replace")
        refused = error_response(
            response.status_code,
            "CORS_NOT_ALLOWED",
            "This origin, method or header is not allowed to call the API.",
            {"reason": reason},
        )
        for name, value in response.headers.items():
            if name.lower() not in ("content-length", "content-type"):
                refused.headers.setdefault(name, value)
        return refused
