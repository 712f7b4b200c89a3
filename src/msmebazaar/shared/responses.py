"""The response envelopes of DESIGN.md §3, used as `response_model` on every route."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Pagination(BaseModel):
    page: int = Field(ge=1, description="The page returned, from 1.")
    page_size: int = Field(ge=1, le=100, description="Items per page.")
    total: int = Field(ge=0, description="Items across all pages.")
    pages: int = Field(ge=0, description="Number of pages.")
    # DESIGN.md §3's four figures, as every client reads them; this flag only when it warns.
    total_exact: bool = Field(
        True,
        exclude_if=lambda exact: exact is True,
        description="Present, and false, only when `total` is a lower bound: a full-text "
        "listing search that matches more than 1,000 listings stops counting there (its pages "
        "go on past `pages`).",
    )

    @classmethod
    def of(cls, *, page: int, page_size: int, total: int, exact: bool = True) -> Pagination:
        """Pagination figures for a page of a result of `total` (or, not `exact`, at least
        `total`) items."""
        pages = math.ceil(total / page_size)
        return cls(page=page, page_size=page_size, total=total, pages=pages, total_exact=exact)


class DataResponse(BaseModel, Generic[T]):
    success: Literal[True] = True
    message: str = "OK"
    data: T


class ListResponse(BaseModel, Generic[T]):
    success: Literal[True] = True
    message: str = "OK"
    data: list[T]
    pagination: Pagination


class FieldError(BaseModel):
    field: str = Field(description="Dotted location of the field, e.g. `financials.0.revenue`.")
    message: str


class ErrorBody(BaseModel):
    code: str = Field(description="Stable UPPER_SNAKE code, e.g. `MSME_NOT_FOUND`.")
    details: Any = Field(None, description="For validation errors, a list of field errors.")


class ErrorResponse(BaseModel):
    success: Literal[False] = False
    message: str
    error: ErrorBody
    request_id: str
    timestamp: datetime


def ok(data: T, message: str = "OK") -> DataResponse[T]:
    """Wrap one result in the success envelope."""
    # Not `DataResponse[T](...)`: pydantic keeps parametrised classes only weakly, so under load
    # each call built (~1 ms) and dropped a model class, and the dropped classes are cyclic
    # garbage that fed the full collections pausing the event loop. The route's
    # `response_model` validates and serialises the answer either way.
    return DataResponse(data=data, message=message)


_ERROR_DESCRIPTIONS = {
    400: "Bad request",
    401: "Not signed in, or the token is invalid or expired",
    403: "Signed in but not allowed",
    404: "Not found, or not visible to the caller",
    409: "Conflicts with the current state",
    413: "Body too large",
    415: "Unsupported media type",
    422: "Validation error; `details` lists every field",
    429: "Rate limited; see `Retry-After`",
    503: "A dependency is unavailable",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for the given error statuses, all in the error envelope."""
    return {
        status: {"model": ErrorResponse, "description": _ERROR_DESCRIPTIONS.get(status, "Error")}
        for status in statuses
    }


# Every route can answer these (400: a body that is not even text; 413: a body over the limit);
# routers add their own specific ones.
COMMON_ERROR_RESPONSES = error_responses(400, 413, 422, 429, 503)


def errors_as_json(schema: dict[str, Any]) -> dict[str, Any]:
    """Document every error answer as the JSON envelope it is. FastAPI files an error response
    under the route's own media type (`text/plain` for the WhatsApp handshake, `application/pdf`
    for a report), though `shared/errors.py` always answers JSON; this moves it. In place and
    idempotent, so it can run on each `app.openapi()` call."""
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content") if str(status)[0] in "45" else None
                if content and "application/json" not in content:
                    response["content"] = {"application/json": next(iter(content.values()))}
    return schema
