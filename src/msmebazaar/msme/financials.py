"""Financials by fiscal year: upsert with sanity checks, read with derived growth and margins.

Every change re-derives what depends on the latest year: the profile's MSME classification and
the revenue/EBITDA copied onto its listings for search (`refresh_listing_figures`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.msme.classification import classify_msme
from msmebazaar.msme.models import Financials, Listing, Msme
from msmebazaar.msme.schemas.financials import FIGURE_NAMES, FinancialsInput, FinancialsRead
from msmebazaar.shared.exceptions import ValidationError
from msmebazaar.shared.india import (
    InvalidIdentifier,
    fiscal_year_start,
    india_today,
    parse_fiscal_year,
    previous_fiscal_year,
)

FIRST_FISCAL_YEAR = 1950


def check_fiscal_year(raw: str) -> int:
    """Start year of an accepted `2024-25` fiscal year; else 422 `FISCAL_YEAR_INVALID`."""

    def invalid(message: str) -> ValidationError:
        return ValidationError.for_field("fiscal_year", message, code="FISCAL_YEAR_INVALID")

    try:
        start = parse_fiscal_year(raw)
    except InvalidIdentifier as exc:
        raise invalid(exc.message) from exc
    if start < FIRST_FISCAL_YEAR:
        raise invalid(f"Fiscal years before {FIRST_FISCAL_YEAR}-51 are not accepted.")
    if start > fiscal_year_start(india_today()):
        raise invalid("That fiscal year has not started yet.")
    return start


async def latest_turnover(session: AsyncSession, msme_id: uuid.UUID) -> int | None:
    """Revenue of the profile's latest fiscal year, or None without financials."""
    statement = (
        select(Financials.revenue)
        .where(Financials.msme_id == msme_id)
        .order_by(Financials.fiscal_year.desc())
        .limit(1)
    )
    return await session.scalar(statement)


async def refresh_classification(session: AsyncSession, msme: Msme) -> None:
    """Recompute the profile's classification from its investment and latest turnover."""
    turnover = await latest_turnover(session, msme.id)
    classification = classify_msme(msme.investment_in_plant_machinery, turnover, india_today())
    msme.classification = classification.value


def _check_figures(data: FinancialsInput) -> None:
    """Cross-field sanity: profits cannot exceed revenue. Each failure names its field."""
    failures = []
    if data.ebitda is not None and data.ebitda > data.revenue:
        failures.append(("ebitda", "EBITDA_ABOVE_REVENUE", "EBITDA cannot exceed revenue."))
    if data.net_profit is not None and data.net_profit > data.revenue:
        failures.append(
            ("net_profit", "NET_PROFIT_ABOVE_REVENUE", "Net profit cannot exceed revenue.")
        )
    if not failures:
        return
    details = [{"field": field, "message": message} for field, _, message in failures]
    code = failures[0][1] if len(failures) == 1 else "VALIDATION_ERROR"
    raise ValidationError(
        details[0]["message"] if len(failures) == 1 else None, code=code, details=details
    )


async def refresh_listing_figures(session: AsyncSession, msme_id: uuid.UUID) -> None:
    """Copy the latest fiscal year's revenue and EBITDA onto every listing of the profile."""
    latest = await session.scalar(
        select(Financials)
        .where(Financials.msme_id == msme_id)
        .order_by(Financials.fiscal_year.desc())
        .limit(1)
    )
    revenue = latest.revenue if latest else None
    ebitda = latest.ebitda if latest else None
    await session.execute(
        update(Listing)
        .where(Listing.msme_id == msme_id)
        .values(revenue=revenue, ebitda=ebitda)
        .execution_options(synchronize_session="fetch")
    )


async def upsert_financials(
    session: AsyncSession, msme: Msme, fiscal_year: str, data: FinancialsInput
) -> tuple[FinancialsRead, bool]:
    """Store one fiscal year (insert or replace); True when it was new."""
    check_fiscal_year(fiscal_year)
    _check_figures(data)
    row = await session.scalar(
        select(Financials).where(
            Financials.msme_id == msme.id, Financials.fiscal_year == fiscal_year
        )
    )
    created = row is None
    if row is None:
        row = Financials(id=uuid.uuid4(), msme_id=msme.id, fiscal_year=fiscal_year)
        session.add(row)
    for field in FIGURE_NAMES:
        setattr(row, field, getattr(data, field))
    await session.flush()
    await refresh_classification(session, msme)
    await refresh_listing_figures(session, msme.id)
    await session.flush()
    years = await _years(session, msme.id)
    return next(item for item in years if item.fiscal_year == fiscal_year), created


def _ratio(numerator: int | None, denominator: int | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 4)


def _derive(rows: list[Financials]) -> list[FinancialsRead]:
    by_year = {row.fiscal_year: row for row in rows}
    items = []
    for row in rows:
        previous = by_year.get(previous_fiscal_year(row.fiscal_year))
        growth = None
        if previous is not None and previous.revenue:
            growth = round((row.revenue - previous.revenue) / previous.revenue, 4)
        figures = {field: getattr(row, field) for field in FIGURE_NAMES}
        items.append(
            FinancialsRead(
                fiscal_year=row.fiscal_year,
                **figures,
                growth=growth,
                ebitda_margin=_ratio(row.ebitda, row.revenue),
                net_margin=_ratio(row.net_profit, row.revenue),
            )
        )
    return items


async def _years(session: AsyncSession, msme_id: uuid.UUID) -> list[FinancialsRead]:
    rows = await session.scalars(
        select(Financials)
        .where(Financials.msme_id == msme_id)
        .order_by(Financials.fiscal_year.desc())
    )
    return _derive(list(rows))


async def get_financials(session: AsyncSession, msme_id: uuid.UUID) -> list[FinancialsRead]:
    """Every fiscal year of a profile, newest first, with derived growth and margins."""
    return await _years(session, msme_id)


@dataclass(frozen=True, slots=True)
class FinancialsPage:
    items: list[FinancialsRead]
    total: int


async def list_financials(
    session: AsyncSession, msme_id: uuid.UUID, offset: int, limit: int
) -> FinancialsPage:
    """A profile's fiscal years, newest first, with growth against each previous year.

    All years are read (a business has at most a few dozen) so that growth on a page's last row
    can use the year on the next page.
    """
    years = await _years(session, msme_id)
    return FinancialsPage(items=years[offset : offset + limit], total=len(years))
