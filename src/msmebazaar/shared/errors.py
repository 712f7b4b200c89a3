"""Render every error — ours, FastAPI's, Starlette's and unexpected ones — as the error envelope."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from msmebazaar.shared.context import current_request_id
from msmebazaar.shared.exceptions import AppError, InternalError

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
    details = field_errors(exc.errors())
    message = "Some fields are invalid: " + ", ".join(d["field"] for d in details[:5])
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
    async def handle(_: Request, exc: Exception) -> Response:
        if not isinstance(exc, kind):  # pragma: no cover - Starlette dispatches by type
            raise exc
        return render(exc)

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
    for unavailable in (OperationalError, InterfaceError, PoolTimeoutError, ConnectionError):
        app.add_exception_handler(unavailable, _handler(unavailable, _on_database_unavailable))
