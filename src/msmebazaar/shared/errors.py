"""Render every error — ours, FastAPI's, Starlette's and unexpected ones — as the error envelope."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Receive, Scope, Send

from msmebazaar.shared.context import current_request_id
from msmebazaar.shared.exceptions import AppError, InternalError

if TYPE_CHECKING:  # the runtime's modules import this one
    from msmebazaar.shared.runtime import Runtime

logger = structlog.get_logger("msmebazaar.errors")

E = TypeVar("E", bound=Exception)
Handler = Callable[[Request, Exception], Awaitable[Response]]

# Starlette raises plain HTTP errors for unmatched paths and methods; these give them our codes.
_CODE_FOR_STATUS = {
    400: "BAD_REQUEST",
    401: "AUTHENTICATION_REQUIRED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    408: "REQUEST_TIMEOUT",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
    503: "SERVICE_UNAVAILABLE",
}
_MESSAGE_FOR_STATUS = {
    404: "Not found.",
    405: "This method is not allowed here.",
}
# A 422 lists at most this many fields: a body of thousands of unknown keys must not get an
# answer naming each (megabytes, and the time to build them).
MAX_REPORTED_ERRORS: Final = 20


@dataclass(frozen=True, slots=True)
class Refusal:
    """An error to answer: a status, a stable code, a message and headers."""

    status: int
    code: str
    message: str
    details: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)


class PageErrorRenderer(Protocol):
    """The portal's error page for a refusal; `identify=False` when the database must not be
    asked who the visitor is (refusals made before the app runs: overload, rate limits)."""

    async def __call__(self, request: Request, refusal: Refusal, *, identify: bool) -> Response:
        """The page."""
        ...


# First path segments that are never the portal's: the API, probes, metrics and the docs.
NOT_PORTAL_SEGMENTS: Final = frozenset(
    {"api", "health", "metrics", "docs", "redoc", "openapi.json"}
)


# A part of the app's runtime: the portal provides it at start-up (web/api.py).
@dataclass(frozen=True, slots=True)
class PortalPages:
    """The portal's part of the path space (the first segments of its routes: `my`, `buyer`,
    `signin`, `""` for `/`) and its error page. Errors there are pages, even for a path no
    route matches; so is an unknown path outside the API a browser asks for (it accepts HTML):
    a mistyped portal URL. Everywhere else (the API, health, docs) errors are the envelope."""

    segments: frozenset[str]
    render: PageErrorRenderer

    def owns(self, path: str, accept: str = "") -> bool:
        """Whether `path` (asked for with this `Accept` header) is answered as a page."""
        first = path.lstrip("/").split("/", 1)[0]
        if first in self.segments:
            return True
        return first not in NOT_PORTAL_SEGMENTS and "text/html" in accept


def _accept(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"accept":
            return bytes(value).decode("latin-1").lower()
    return ""


def _portal_pages(scope: Scope) -> PortalPages | None:
    # An app without a runtime (a bare test app with only the handlers) has no portal.
    runtime: Runtime | None = getattr(getattr(scope.get("app"), "state", None), "runtime", None)
    pages = runtime.find(PortalPages) if runtime is not None else None
    if pages is None or not pages.owns(str(scope.get("path", "")), _accept(scope)):
        return None
    return pages


async def refusal_response(scope: Scope, refusal: Refusal, *, identify: bool = False) -> Response:
    """The answer to a refusal: the portal's error page on its paths, else the envelope."""
    pages = _portal_pages(scope)
    if pages is not None:
        return await pages.render(Request(scope), refusal, identify=identify)
    return error_response(
        refusal.status, refusal.code, refusal.message, refusal.details, refusal.headers
    )


async def send_refusal(scope: Scope, receive: Receive, send: Send, refusal: Refusal) -> None:
    """Answer a refusal from a middleware (before the app ran: nobody is identified)."""
    response = await refusal_response(scope, refusal)
    await response(scope, receive, send)


def error_body(status: int, code: str, message: str, details: Any = None) -> dict[str, Any]:
    """The error envelope of DESIGN.md §3 as a JSON-ready dict."""
    return {
        "success": False,
        "message": message,
        "error": {"code": code, "details": details},
        "request_id": current_request_id(),
        "timestamp": datetime.now(UTC).isoformat(),
    }


def error_response(
    status: int,
    code: str,
    message: str,
    details: Any = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """An error envelope as a response."""
    return JSONResponse(
        error_body(status, code, message, details), status_code=status, headers=dict(headers or {})
    )


def app_error_response(exc: AppError) -> JSONResponse:
    """The response for one of our own errors."""
    return error_response(exc.status_code, exc.code, exc.message, exc.details, exc.headers)


def field_errors(errors: Sequence[Any]) -> list[dict[str, str]]:
    """Pydantic errors as `{field, message}` items; the input is never echoed (it may be PII)."""
    items = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        if location and location[0] == "body":
            location = location[1:]
        items.append({"field": ".".join(location) or "body", "message": _message(error)})
    return items


def _message(error: Mapping[str, Any]) -> str:
    if error.get("type") == "json_invalid":
        return "The body is not valid JSON."
    if error.get("type") == "model_attributes_type":
        return "Expected a JSON object."
    return str(error.get("msg", "Invalid value."))


def _on_request_validation(exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    details = field_errors(errors[:MAX_REPORTED_ERRORS])
    message = "Some fields are invalid: " + ", ".join(d["field"] for d in details[:5])
    if len(errors) > len(details):
        message += f" ({len(errors)} errors; the first {len(details)} are listed)"
    return error_response(422, "VALIDATION_ERROR", message, details)


def _on_http_exception(exc: StarletteHTTPException) -> JSONResponse:
    status = exc.status_code
    code = _CODE_FOR_STATUS.get(status, "HTTP_ERROR")
    detail = exc.detail if isinstance(exc.detail, str) else None
    message = _MESSAGE_FOR_STATUS.get(status) or detail or "The request could not be processed."
    return error_response(status, code, message, None, exc.headers)


def _on_database_unavailable(exc: Exception) -> JSONResponse:
    # The database refused, hung up or timed out: a dependency is down, not a bug in the request.
    logger.error("database_unavailable", error=type(exc).__name__)
    message = "The database is unavailable. Try again shortly."
    return error_response(503, "SERVICE_UNAVAILABLE", message, None, {"Retry-After": "5"})


# SQLSTATE classes that mean "the server cannot serve now", not "this request is wrong":
# 08 connection exception, 53 insufficient resources, 57 operator intervention (57014: our
# statement timeout cancelled the query; 57P01: the server is shutting down).
_UNAVAILABLE_SQLSTATE_CLASSES = ("08", "53", "57")


# A concurrent transaction won on PostgreSQL: a serialization failure or a deadlock. The
# database is fine and a retry will do: 409, not 503. SQLite never loses such a race: every unit
# of work that writes waits its turn for the one writer (`shared.db.Database.session`), so its
# "database is locked" means the wait ran out (a writer of another process held on too long):
# the database cannot serve now, 503 like any other outage.
_CONFLICT_SQLSTATES = ("40001", "40P01")


def _is_race(exc: DBAPIError) -> bool:
    sqlstate = str(getattr(exc.orig, "sqlstate", "") or "")
    return sqlstate in _CONFLICT_SQLSTATES


def _on_race(exc: DBAPIError) -> JSONResponse:
    logger.warning("write_race_lost", error=type(exc.orig).__name__)
    message = "Someone else changed this at the same moment. Reload and try again."
    return error_response(409, "CONFLICT", message, None, {"Retry-After": "1"})


def _on_unstorable_value(exc: DBAPIError) -> JSONResponse:
    # SQLSTATE class 22, a data exception: a value the schema let through that PostgreSQL cannot
    # store (a NUL character in text, a number beyond its column). The request's fault: 422.
    logger.warning("unstorable_value", sqlstate=str(getattr(exc.orig, "sqlstate", "")))
    message = "A value cannot be stored as sent (a NUL character, or a number out of range)."
    return error_response(422, "VALIDATION_ERROR", message, [{"field": "body", "message": message}])


def _on_database_error(exc: DBAPIError) -> JSONResponse:
    # asyncpg's errors outside SQLAlchemy's few mapped classes arrive as a bare DBAPIError;
    # SQLite's and PostgreSQL's "cannot serve now" ones as OperationalError.
    if _is_race(exc):
        return _on_race(exc)
    sqlstate = str(getattr(exc.orig, "sqlstate", "") or "")
    # asyncpg refuses to encode some values itself (an int beyond 64 bits): its DataError, a
    # ValueError, arrives wrapped as an InterfaceError.
    if sqlstate.startswith("22") or isinstance(getattr(exc.orig, "__cause__", None), ValueError):
        return _on_unstorable_value(exc)
    if (
        isinstance(exc, OperationalError | InterfaceError)
        or exc.connection_invalidated
        or sqlstate.startswith(_UNAVAILABLE_SQLSTATE_CLASSES)
    ):
        return _on_database_unavailable(exc)
    return unexpected_error_response(exc)


def _on_timeout(exc: TimeoutError) -> JSONResponse:
    # The drivers raise the builtin TimeoutError when a server accepts the connection and then
    # says nothing (a hung database): a dependency is down, answered like one.
    logger.error("dependency_timeout", error=type(exc).__name__)
    message = "A service we depend on did not answer in time. Try again shortly."
    return error_response(503, "SERVICE_UNAVAILABLE", message, None, {"Retry-After": "5"})


def _on_integrity_error(exc: IntegrityError) -> JSONResponse:
    # Services check their own uniqueness rules first; this is the race they cannot see.
    logger.warning("integrity_conflict", error=type(exc.orig).__name__)
    message = "This conflicts with data stored at the same moment. Reload and try again."
    return error_response(409, "CONFLICT", message)


def unexpected_error_response(exc: BaseException) -> JSONResponse:
    """Log an unexpected error with its stack trace; answer 500 without one."""
    logger.error("unhandled_exception", exc_info=exc)
    return app_error_response(InternalError())


def _handler(kind: type[E], render: Callable[[E], JSONResponse]) -> Handler:
    async def handle(request: Request, exc: Exception) -> Response:
        if not isinstance(exc, kind):  # pragma: no cover - Starlette dispatches by type
            raise exc
        envelope = render(exc)
        if _portal_pages(request.scope) is None:
            return envelope
        # A portal path no page route answered (an unknown path, a wrong method): a page.
        body = json.loads(bytes(envelope.body))
        headers = {k: v for k, v in envelope.headers.items() if k.lower() == "retry-after"}
        code, message = body["error"]["code"], body["message"]
        refusal = Refusal(envelope.status_code, code, message, None, headers)
        return await refusal_response(request.scope, refusal, identify=True)

    return handle


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn every exception into the envelope."""
    app.add_exception_handler(AppError, _handler(AppError, app_error_response))
    app.add_exception_handler(
        RequestValidationError, _handler(RequestValidationError, _on_request_validation)
    )
    app.add_exception_handler(
        StarletteHTTPException, _handler(StarletteHTTPException, _on_http_exception)
    )
    app.add_exception_handler(IntegrityError, _handler(IntegrityError, _on_integrity_error))
    for database_error in (DBAPIError, OperationalError, InterfaceError):
        app.add_exception_handler(database_error, _handler(database_error, _on_database_error))
    app.add_exception_handler(TimeoutError, _handler(TimeoutError, _on_timeout))
    for unavailable in (PoolTimeoutError, ConnectionError):
        app.add_exception_handler(unavailable, _handler(unavailable, _on_database_unavailable))
