"""Financials by fiscal year: upsert with sanity checks, read with derived growth and margins.

Every change re-derives what depends on the latest year: the profile's MSME classification and
the revenue/EBITDA copied onto its listings for search (`refresh_listing_figures`).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.msme.classification import classify_msme, india_today
from msmebazaar.msme.models import Financials, Listing, Msme
from msmebazaar.msme.schemas.financials import FinancialsInput, FinancialsRead
from msmebazaar.shared.exceptions import ValidationError

FIRST_FISCAL_YEAR = 1950
_FISCAL_YEAR_RE = re.compile(r"(?P<start>[0-9]{4})-(?P<end>[0-9]{2})")
_FIGURES = tuple(FinancialsInput.model_fields)


def current_fiscal_year_start() -> int:
    """The calendar year in which India's current fiscal year (April to March) began."""
    day = india_today()
    return day.year if day.month >= 4 else day.year - 1


def parse_fiscal_year(raw: str) -> int:
    """The start year of a `2024-25` fiscal year; 422 `FISCAL_YEAR_INVALID` naming the field."""

    def invalid(message: str) -> ValidationError:
        return ValidationError.for_field("fiscal_year", message, code="FISCAL_YEAR_INVALID")

    match = _FISCAL_YEAR_RE.fullmatch(raw)
    if match is None:
        raise invalid("Fiscal year must look like 2024-25.")
    start = int(match["start"])
    if int(match["end"]) != (start + 1) % 100:
        expected = f"{start}-{(start + 1) % 100:02d}"
        raise invalid(f"The second part must be the next year, e.g. {expected}.")
    if start < FIRST_FISCAL_YEAR:
        raise invalid(f"Fiscal years before {FIRST_FISCAL_YEAR}-51 are not accepted.")
    if start > current_fiscal_year_start():
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
    parse_fiscal_year(fiscal_year)
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
    for field in _FIGURES:
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


def _previous_year(fiscal_year: str) -> str:
    start = int(fiscal_year[:4]) - 1
    return f"{start}-{(start + 1) % 100:02d}"


def _derive(rows: list[Financials]) -> list[FinancialsRead]:
    by_year = {row.fiscal_year: row for row in rows}
    items = []
    for row in rows:
        previous = by_year.get(_previous_year(row.fiscal_year))
        growth = None
        if previous is not None and previous.revenue:
            growth = round((row.revenue - previous.revenue) / previous.revenue, 4)
        figures = {field: getattr(row, field) for field in _FIGURES}
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
