"""Financials endpoints: one fiscal year at a time, read by the profile's insiders only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from msmebazaar.msme import financials
from msmebazaar.msme.dependencies import InsiderMsme, OwnedMsme
from msmebazaar.msme.schemas.financials import FinancialsInput, FinancialsRead
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.pagination import PageDep, page_response
from msmebazaar.shared.responses import DataResponse, ListResponse, error_responses, ok

router = APIRouter(prefix="/msmes/{msme_id}/financials", tags=["msme"])

FiscalYearPath = Annotated[
    str, Path(max_length=16, description="Indian fiscal year, April to March, e.g. `2024-25`.")
]


@router.put(
    "/{fiscal_year}",
    response_model=DataResponse[FinancialsRead],
    status_code=200,
    responses={201: {"description": "The year was new"}, **error_responses(401, 403, 404)},
)
async def put_financials(
    fiscal_year: FiscalYearPath,
    body: FinancialsInput,
    msme: OwnedMsme,
    session: SessionDep,
    response: Response,
) -> DataResponse[FinancialsRead]:
    """Store a fiscal year's figures (201 when new, 200 when replaced); reclassifies the profile."""
    item, created = await financials.upsert_financials(session, msme, fiscal_year, body)
    if created:
        response.status_code = 201
    return ok(item, "Financials saved.")


@router.get("", response_model=ListResponse[FinancialsRead], responses=error_responses(401, 404))
async def list_financials(
    msme: InsiderMsme, session: SessionDep, page: PageDep
) -> ListResponse[FinancialsRead]:
    """A profile's financials, newest year first (owner, admins and accepted buyers only)."""
    result = await financials.list_financials(session, msme.id, page.offset, page.page_size)
    return page_response(result.items, total=result.total, params=page)
