"""How a page answers when something goes wrong: a sign-in redirect, or an error page in the
visitor's language with the right status, never the API's JSON envelope."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any, Protocol, TypeVar
from urllib.parse import quote

import structlog
from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from msmebazaar.shared.errors import Refusal
from msmebazaar.shared.exceptions import (
    AppError,
    AuthenticationError,
    ConflictError,
    ExternalServiceError,
    InternalError,
    NotFoundError,
    ValidationError,
)
from msmebazaar.web.context import (
    SecondFactorRequired,
    SignInRequired,
    Visit,
    anonymous_visit,
    sign_in_url,
    visit_of,
)
from msmebazaar.web.forms import MalformedFormError, error_message

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
    visit: Visit = await visit_of(request)
    message = error_message(visit, error)
    return _render_error(visit, error.status_code, error.code, message, error.headers)


def _render_error(
    visit: Visit, status: int, code: str, message: str, headers: Mapping[str, str]
) -> Response:
    response = visit.render(
        "error.html", status=status, status_code=status, message=message, code=code
    )
    for name, value in headers.items():
        if name.lower() != "www-authenticate":
            response.headers[name] = value
    return response


async def refusal_page(request: Request, refusal: Refusal, *, identify: bool) -> Response:
    """The page for an error answered outside the page routes (an unknown path, a rate limit,
    overload, a stalled or oversized body): registered as the app's page error renderer, so
    every portal path answers errors as pages. `identify=False` keeps the database out of it."""
    visit = await visit_of(request) if identify else anonymous_visit(request)
    error = AppError(refusal.message, code=refusal.code)
    message = error_message(visit, error)
    return _render_error(visit, refusal.status, refusal.code, message, refusal.headers)


async def _answer_failure(request: Request, exc: Exception) -> Response:
    if isinstance(exc, SecondFactorRequired):
        visit = await visit_of(request)
        return visit.redirect("/account#two-step", flash="flash.two_step_required")
    if isinstance(exc, SignInRequired | AuthenticationError):
        visit = await visit_of(request)
        return visit.finish(
            RedirectResponse(sign_in_url(_next_after_sign_in(request)), status_code=303)
        )
    if isinstance(exc, ClientDisconnect):
        return Response(status_code=400)  # nobody is listening (or a 408 has gone out)
    if isinstance(exc, StarletteHTTPException) and exc.status_code != 400:
        refusal = Refusal(exc.status_code, "HTTP_ERROR", "", None, exc.headers or {})
        return await refusal_page(request, refusal, identify=True)
    return await error_page(request, _as_app_error(exc))


def _as_app_error(exc: Exception) -> AppError:
    """The error a failure is shown as; unexpected ones are logged with their stack."""
    if isinstance(exc, AppError):
        return exc
    # FastAPI's refusal of a body it could not read, or a parser that recursed too deep: the
    # request's fault, shown as a form that could not be read.
    if isinstance(exc, StarletteHTTPException | RecursionError):
        return MalformedFormError()
    if isinstance(exc, RequestValidationError):
        return ValidationError()
    if isinstance(exc, IntegrityError):
        return ConflictError()
    if isinstance(exc, _UNAVAILABLE):
        logger.error("database_unavailable", error=type(exc).__name__)
        return ExternalServiceError(headers={"Retry-After": "5"})
    logger.error("unhandled_exception", exc_info=exc)
    return InternalError()


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


class DownloadedFile(Protocol):
    """A file read from storage (msme's `Download`)."""

    @property
    def filename(self) -> str: ...
    @property
    def content_type(self) -> str: ...
    @property
    def data(self) -> bytes: ...


def file_download(download: DownloadedFile) -> Response:
    """A stored file as a download no cache keeps (its name percent-encoded whole)."""
    disposition = f"attachment; filename*=UTF-8''{quote(download.filename, safe='')}"
    return Response(
        download.data,
        media_type=download.content_type,
        headers={"Content-Disposition": disposition, "Cache-Control": "private, no-store"},
    )


def page_number(raw: str | None, highest: int) -> int:
    """A page's `?page=`: from 1 to `highest`; anything else (a word, "²", 5,000 digits, which
    `int` refuses) is page 1."""
    if not raw or not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        return 1
    return min(max(int(raw), 1), highest)


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
