"""Page parameters and paginated queries, the same on every list endpoint (DESIGN.md §3)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.shared.responses import ListResponse, Pagination

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
# Far past any real list (a hundred million rows at the largest page size), and low enough that
# every offset fits a 64-bit integer: SQLite cannot bind a bigger one (500, `OverflowError`)
# where PostgreSQL refuses it (422), so the bound makes both answer 422 naming `page`.
MAX_PAGE = 1_000_000

T = TypeVar("T")


@dataclass(frozen=True)
class PageParams:
    page: int
    page_size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


# `async def`, though it awaits nothing: FastAPI runs a plain `def` dependency in a worker
# thread, a hop that cost every list request more than the rest of its dependencies together.
async def page_params(
    page: Annotated[
        int, Query(ge=1, le=MAX_PAGE, description="Page number, from 1 (at most 1,000,000).")
    ] = 1,
    page_size: Annotated[
        int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page (at most 100).")
    ] = DEFAULT_PAGE_SIZE,
) -> PageParams:
    """FastAPI dependency: `page` and `page_size` from the query string; 422 for a page size
    beyond 100 or a page beyond `MAX_PAGE`."""
    return PageParams(page=page, page_size=page_size)


PageDep = Annotated[PageParams, Depends(page_params)]


async def paginate(
    session: AsyncSession, statement: Select[Any], params: PageParams
) -> tuple[list[Any], int]:
    """One page of `statement`'s rows (scalars) and the total count, in two queries."""
    total = await session.scalar(
        select(func.count()).select_from(statement.order_by(None).subquery())
    )
    rows = await session.scalars(statement.limit(params.page_size).offset(params.offset))
    return list(rows), int(total or 0)


def page_response(
    items: list[T], *, total: int, params: PageParams, message: str = "OK", exact: bool = True
) -> ListResponse[T]:
    """A list envelope with its pagination figures (a page past the end is just empty);
    `exact` false when `total` is only a lower bound."""
    pagination = Pagination.of(
        page=params.page, page_size=params.page_size, total=total, exact=exact
    )
    # Unparametrised, as in `responses.ok` (a parametrised class is rebuilt on every call).
    return ListResponse(data=items, pagination=pagination, message=message)
