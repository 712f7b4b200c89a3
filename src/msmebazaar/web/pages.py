"""How a page answers when something goes wrong: a sign-in redirect, or an error page in the
visitor's language with the right status, never the API's JSON envelope."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import structlog
from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.shared.exceptions import (
    AppError,
    AuthenticationError,
    ConflictError,
    ExternalServiceError,
    InternalError,
    NotFoundError,
    ValidationError,
)
from msmebazaar.web.context import SignInRequired, Visit, current_visit, sign_in_url
from msmebazaar.web.forms import error_message

logger = structlog.get_logger("msmebazaar.web")
T = TypeVar("T")
_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeoutError, ConnectionError)


def _next_after_sign_in(request: Request) -> str:
    if request.method != "GET":
        return "/"
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


async def error_page(request: Request, error: AppError) -> Response:
    """The error page for one of our errors, with its status and headers."""
    visit: Visit = await current_visit(request)
    response = visit.render(
        "error.html",
        status=error.status_code,
        status_code=error.status_code,
        message=error_message(visit, error),
        code=error.code,
    )
    for name, value in error.headers.items():
        if name.lower() != "www-authenticate":
            response.headers[name] = value
    return response


async def _answer_failure(request: Request, exc: Exception) -> Response:
    if isinstance(exc, SignInRequired | AuthenticationError):
        visit = await current_visit(request)
        return visit.finish(
            RedirectResponse(sign_in_url(_next_after_sign_in(request)), status_code=303)
        )
    if isinstance(exc, AppError):
        return await error_page(request, exc)
    if isinstance(exc, RequestValidationError):
        return await error_page(request, ValidationError())
    if isinstance(exc, IntegrityError):
        return await error_page(request, ConflictError())
    if isinstance(exc, _UNAVAILABLE):
        logger.error("database_unavailable", error=type(exc).__name__)
        return await error_page(request, ExternalServiceError(headers={"Retry-After": "5"}))
    logger.error("unhandled_exception", exc_info=exc)
    return await error_page(request, InternalError())


class PageRoute(APIRoute):
    """A route that answers failures as pages (see `_answer_failure`)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except Exception as exc:  # every failure becomes a page
                return await _answer_failure(request, exc)

        return page_handler


def page_router(**kwargs: Any) -> APIRouter:
    """A router of pages: failures answered as pages, nothing in the OpenAPI document."""
    return APIRouter(route_class=PageRoute, include_in_schema=False, **kwargs)


def parse_id(raw: str) -> uuid.UUID:
    """An id from a page's path; a malformed one is simply a page that does not exist."""
    try:
        return uuid.UUID(raw)
    except ValueError as exc:
        raise NotFoundError() from exc


async def in_savepoint(session: AsyncSession, action: Callable[[], Awaitable[T]]) -> T:
    """Run a service call so that, if it fails, nothing it flushed is kept: the form is shown
    again with its errors and the request's unit of work still commits cleanly."""
    async with session.begin_nested():
        return await action()
