"""Valuations: the ad hoc calculator anyone can try, a stored valuation with its range drawn as
a chart, its methods and assumptions, and its PDF report."""

from __future__ import annotations

from typing import Any, Final

import pydantic
from fastapi.responses import Response
from starlette.datastructures import FormData

from msmebazaar.msme.service import SECTORS
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.exceptions import AppError
from msmebazaar.valuation.schemas import ValuationCreate, ValuationRead
from msmebazaar.valuation.service import (
    create_valuation,
    get_valuation,
    preview_valuation,
    report_pdf,
    valued_business_name,
)
from msmebazaar.web.context import SignedInVisit, Visit, VisitDep
from msmebazaar.web.forms import (
    FormDep,
    amount_field,
    app_error_fields,
    int_field,
    schema_errors,
    text_field,
)
from msmebazaar.web.pages import in_savepoint, page_router, parse_id
from msmebazaar.web.profile_form import fiscal_years, typed_values
from msmebazaar.web.valuation_view import valuation_chart

router = page_router()

CALCULATOR_YEARS: Final = 3
YEAR_FIGURES: Final = (
    "revenue",
    "ebitda",
    "net_profit",
    "total_assets",
    "total_liabilities",
    "debt",
    "cash",
)


def calculator_years() -> list[str]:
    """The fiscal years the calculator asks for, newest first: the last complete ones. The year
    still in progress in India is left out: its figures are partial, and valuing them as a full
    year would understate the business."""
    return fiscal_years()[1 : 1 + CALCULATOR_YEARS]


def _calculator(
    visit: Visit,
    *,
    values: dict[str, str],
    errors: dict[str, str],
    valuation: ValuationRead | None = None,
    stored: bool = False,
    status: int = 200,
) -> Response:
    return visit.render(
        "public/calculator.html",
        status=status,
        values=values,
        errors=errors,
        sectors=SECTORS,
        years=calculator_years(),
        figures=YEAR_FIGURES,
        valuation=valuation,
        chart=valuation_chart(visit, valuation) if valuation else None,
        stored=stored,
    )


@router.get("/valuation")
async def calculator_page(visit: VisitDep) -> Response:
    """The valuation calculator: a sector and a few years of figures."""
    return _calculator(visit, values={}, errors={})


def _calculator_input(visit: Visit, form: FormData) -> dict[str, Any]:
    """The request the form describes; years without revenue are left out."""
    errors: dict[str, str] = {}
    years = []
    for index, year in enumerate(calculator_years()):
        figures = {
            name: amount_field(visit, form, f"y{index}_{name}", errors) for name in YEAR_FIGURES
        }
        if figures["revenue"] is not None:
            years.append({"fiscal_year": year, **figures})
    request = {
        "sector": text_field(form, "sector"),
        "financials": years,
        "year_established": int_field(visit, form, "year_established", errors),
        "employees": int_field(visit, form, "employees", errors),
    }
    if errors:
        raise _Unreadable(errors)
    return request


class _Unreadable(Exception):  # noqa: N818 - carries field messages
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


@router.post("/valuation")
async def calculate(visit: VisitDep, session: SessionDep, form: FormDep) -> Response:
    """Value the figures: kept in your history when signed in, shown only otherwise."""
    values = typed_values(form)
    try:
        body = ValuationCreate.model_validate(_calculator_input(visit, form))
        if visit.viewer is None:
            valuation = preview_valuation(body, visit.language)
        else:
            viewer = visit.viewer
            valuation = await in_savepoint(
                session, lambda: create_valuation(session, viewer, body, visit.language)
            )
    except _Unreadable as exc:
        return _calculator(visit, values=values, errors=exc.errors, status=422)
    except pydantic.ValidationError as exc:
        return _calculator(visit, values=values, errors=schema_errors(visit, exc), status=422)
    except AppError as exc:
        errors = app_error_fields(visit, exc)
        return _calculator(visit, values=values, errors=errors, status=exc.status_code)
    return _calculator(
        visit, values=values, errors={}, valuation=valuation, stored=visit.viewer is not None
    )


@router.get("/valuations/{valuation_id}")
async def valuation_page(valuation_id: str, visit: SignedInVisit, session: SessionDep) -> Response:
    """A stored valuation: the range as a chart, each method, the assumptions, the PDF."""
    valuation = await get_valuation(session, visit.user, parse_id(valuation_id), visit.language)
    return visit.render(
        "valuation/show.html",
        valuation=valuation,
        business_name=await valued_business_name(session, valuation.msme_id),
        chart=valuation_chart(visit, valuation),
    )


@router.get("/valuations/{valuation_id}/report.pdf")
async def valuation_report(
    valuation_id: str, visit: SignedInVisit, session: SessionDep
) -> Response:
    """The valuation report as a PDF."""
    identifier = parse_id(valuation_id)
    pdf = await report_pdf(session, visit.user, identifier, visit.language)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="valuation-{identifier}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )
