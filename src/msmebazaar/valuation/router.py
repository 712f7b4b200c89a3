"""Valuation endpoints: thin — parse, call one service function, wrap."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import Response

from msmebazaar.auth.service import CallerLanguage, CurrentUser
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.pagination import PageDep, page_response
from msmebazaar.shared.responses import DataResponse, ListResponse, error_responses, ok
from msmebazaar.valuation import service
from msmebazaar.valuation.schemas import SectorMultiplesRead, ValuationCreate, ValuationRead

router = APIRouter(tags=["valuation"])

_PDF_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "The report as a PDF."},
    **error_responses(401, 404),
}

ValuationIdPath = Annotated[uuid.UUID, Path(description="The valuation's id.")]
MsmeIdPath = Annotated[uuid.UUID, Path(description="The business profile's id.")]


@router.get(
    "/valuations/sectors",
    response_model=DataResponse[SectorMultiplesRead],
)
async def list_sector_multiples() -> DataResponse[SectorMultiplesRead]:
    """The sector multiples in use, with their source, date and data version (public)."""
    return ok(service.sector_multiples())


@router.post(
    "/valuations",
    status_code=201,
    response_model=DataResponse[ValuationRead],
    responses=error_responses(401, 403, 404, 422),
)
async def create_valuation(
    body: ValuationCreate, session: SessionDep, user: CurrentUser, language: CallerLanguage
) -> DataResponse[ValuationRead]:
    """Value a profile (`msme_id`, owner or admin) or ad hoc figures (`sector`, `financials`)."""
    created = await service.create_valuation(session, user, body, language)
    return ok(created, "Valuation computed.")


@router.get(
    "/valuations/{valuation_id}",
    response_model=DataResponse[ValuationRead],
    responses=error_responses(401, 404),
)
async def read_valuation(
    valuation_id: ValuationIdPath, session: SessionDep, user: CurrentUser, language: CallerLanguage
) -> DataResponse[ValuationRead]:
    """One valuation (its creator, the profile's owner, admins)."""
    return ok(await service.get_valuation(session, user, valuation_id, language))


@router.get(
    "/valuations/{valuation_id}/report.pdf",
    response_class=Response,
    responses=_PDF_RESPONSES,
)
async def valuation_report(
    valuation_id: ValuationIdPath, session: SessionDep, user: CurrentUser, language: CallerLanguage
) -> Response:
    """The valuation as a 2–3 page PDF report in the caller's language (English or Hindi)."""
    pdf = await service.report_pdf(session, user, valuation_id, language)
    filename = f"valuation-{valuation_id}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/msmes/{msme_id}/valuations",
    response_model=ListResponse[ValuationRead],
    responses=error_responses(401, 404),
)
async def list_profile_valuations(
    msme_id: MsmeIdPath,
    page: PageDep,
    session: SessionDep,
    user: CurrentUser,
    language: CallerLanguage,
) -> ListResponse[ValuationRead]:
    """A profile's valuation history, newest first (its current owner or an admin)."""
    items, total = await service.list_profile_valuations(session, user, msme_id, page, language)
    return page_response(items, total=total, params=page)
