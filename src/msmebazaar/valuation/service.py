"""The valuation service's public face: the one way in to valuations for the API's routes, the
portal, the WhatsApp bot and the admin dashboard.

Each operation takes the acting principal and checks permission inside (a profile through msme's
one rule, `owned_profile`; a stored valuation through `valuations.valuation_for_report`), then
calls the module that does the work: `valuations.py` (compute, store, read), `multiples.py`,
`stats.py`, `report/`.
"""

from __future__ import annotations

import functools
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from msmebazaar.auth.service import Principal, UserRole
from msmebazaar.msme.service import MsmeNotFoundError, owned_profile
from msmebazaar.shared.exceptions import ValidationError
from msmebazaar.shared.pagination import PageParams, paginate
from msmebazaar.valuation.data import load_data
from msmebazaar.valuation.engine.compare import PriceComparison, compare_price
from msmebazaar.valuation.inputs import ad_hoc_input
from msmebazaar.valuation.models import Valuation
from msmebazaar.valuation.multiples import sector_multiples
from msmebazaar.valuation.presenter import to_read
from msmebazaar.valuation.report import render_report
from msmebazaar.valuation.report.texts import evidence_sentence
from msmebazaar.valuation.schemas import MarketEvidenceRead, ValuationCreate, ValuationRead
from msmebazaar.valuation.stats import ValuationCounts, valuation_counts
from msmebazaar.valuation.valuations import (
    PREVIEW_CREATOR,
    acts_as_owner,
    asking_price,
    new_valuation,
    profile_input,
    run_engine,
    valuation_for_report,
    valued_business_name,
)

__all__ = [
    "MarketEvidenceRead",
    "ValuationCounts",
    "create_valuation",
    "evidence_sentence",
    "get_valuation",
    "list_profile_valuations",
    "preview_valuation",
    "report_pdf",
    "sector_multiples",
    "valuation_counts",
    "valuation_for_report",
    "valued_business_name",
]


async def create_valuation(
    session: AsyncSession, user: Principal, body: ValuationCreate, language: str
) -> ValuationRead:
    """Value a profile (owner or admin) or ad hoc figures (anyone signed in), and store it."""
    data = load_data()
    comparison: PriceComparison | None = None
    if body.msme_id is not None:
        if body.sector is not None or body.financials is not None:
            raise ValidationError.for_field(
                "msme_id",
                "Give either msme_id, or sector and financials, not both.",
                code="VALUATION_INPUT_AMBIGUOUS",
            )
        profile = await owned_profile(session, user, body.msme_id)
        inputs = await profile_input(session, profile, data)
        result = run_engine(inputs, data)
        if asking := await asking_price(session, profile.id):
            comparison = compare_price(asking[0], asking[1], result.low, result.high)
    else:
        if body.sector is None and body.financials is None:
            raise ValidationError.for_field(
                "msme_id",
                "Give msme_id to value a profile, or sector and financials for an ad hoc one.",
                code="VALUATION_INPUT_REQUIRED",
            )
        inputs = ad_hoc_input(
            body.sector, body.financials, body.year_established, body.employees, data
        )
        result = run_engine(inputs, data)
    valuation = new_valuation(body.msme_id, user.id, inputs, result, comparison)
    read = to_read(valuation, language)  # before the write: SQLite holds its lock from here on
    session.add(valuation)
    await session.flush()
    return read


def preview_valuation(body: ValuationCreate, language: str) -> ValuationRead:
    """An ad hoc valuation for a visitor who is not signed in: computed the same way, not
    stored (its `id` leads nowhere and `created_by` is `PREVIEW_CREATOR`)."""
    if body.msme_id is not None:
        raise ValidationError.for_field(
            "msme_id", "Sign in to value a business profile.", code="VALUATION_INPUT_AMBIGUOUS"
        )
    data = load_data()
    inputs = ad_hoc_input(body.sector, body.financials, body.year_established, body.employees, data)
    result = run_engine(inputs, data)
    return to_read(new_valuation(None, PREVIEW_CREATOR, inputs, result, None), language)


async def report_pdf(
    session: AsyncSession, user: Principal, valuation_id: uuid.UUID, language: str
) -> bytes:
    """The PDF report of a valuation the caller may read, in `language`, naming the business
    it values (rendered off the event loop: CPU-bound)."""
    valuation = await valuation_for_report(session, user, valuation_id)
    name = await valued_business_name(session, valuation.msme_id)
    return await run_in_threadpool(
        functools.partial(render_report, valuation, language, business_name=name)
    )


async def get_valuation(
    session: AsyncSession, user: Principal, valuation_id: uuid.UUID, language: str
) -> ValuationRead:
    """One valuation, in the caller's language."""
    return to_read(await valuation_for_report(session, user, valuation_id), language)


async def list_profile_valuations(
    session: AsyncSession, user: Principal, msme_id: uuid.UUID, params: PageParams, language: str
) -> tuple[list[ValuationRead], int]:
    """A profile's valuations, newest first, for its current owner or an admin; 404 for
    anyone else (a previous owner included), as for each one of them."""
    if user.role != UserRole.ADMIN and not await acts_as_owner(session, user, msme_id):
        raise MsmeNotFoundError()
    statement = (
        select(Valuation)
        .where(Valuation.msme_id == msme_id)
        .order_by(Valuation.created_at.desc(), Valuation.id.desc())
    )
    rows, total = await paginate(session, statement, params)
    return [to_read(row, language) for row in rows], total
