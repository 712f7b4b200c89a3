"""From a request (ad hoc) or a stored profile to the engine's input, with every check that
gets its own 422 code: unknown sector, no financials, duplicate years, absurd figures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from msmebazaar.msme.service import FIGURE_NAMES
from msmebazaar.shared.exceptions import ValidationError
from msmebazaar.shared.india import CRORE, InvalidIdentifier, parse_fiscal_year
from msmebazaar.valuation.data import ValuationData
from msmebazaar.valuation.engine import EngineInput, YearFigures
from msmebazaar.valuation.schemas import FinancialsYearInput

MAX_YEARS = 5


class YearLike(Protocol):
    """A year's figures as a request or a stored profile holds them; besides the ones checked
    here by name, every one of `FIGURE_NAMES` is read."""

    fiscal_year: str
    revenue: int
    ebitda: int | None


def check_sector(sector: str | None, data: ValuationData, field: str = "sector") -> str:
    """The sector code when the data file maps it; 422 `SECTOR_UNKNOWN` otherwise."""
    if not sector:
        raise ValidationError.for_field(field, "Give a sector code.", code="SECTOR_REQUIRED")
    if sector not in data.sectors:
        raise ValidationError.for_field(
            field, f"Unknown sector {sector!r}; see GET /msmes/sectors.", code="SECTOR_UNKNOWN"
        )
    return sector


def _check_year(index: int, year: YearLike, data: ValuationData) -> None:
    where = f"financials.{index}"
    cap = data.parameters.max_revenue
    if year.revenue > cap:
        raise ValidationError.for_field(
            f"{where}.revenue",
            f"Revenue above ₹{cap // CRORE:,} crore is not an MSME; check the figure.",
            code="REVENUE_TOO_LARGE",
        )
    if year.ebitda is not None and year.ebitda > year.revenue:
        raise ValidationError.for_field(
            f"{where}.ebitda", "EBITDA cannot exceed revenue.", code="EBITDA_ABOVE_REVENUE"
        )
    try:
        parse_fiscal_year(year.fiscal_year)
    except InvalidIdentifier as exc:
        raise ValidationError.for_field(
            f"{where}.fiscal_year", "Fiscal year must look like 2024-25.", code=exc.code
        ) from exc


def to_years(rows: Sequence[YearLike], data: ValuationData) -> tuple[YearFigures, ...]:
    """Checked engine years, newest first (at most five are used)."""
    if not rows:
        raise ValidationError.for_field(
            "financials",
            "At least one fiscal year with revenue is needed to value a business.",
            code="FINANCIALS_REQUIRED",
        )
    seen: set[str] = set()
    for index, row in enumerate(rows):
        _check_year(index, row, data)
        if row.fiscal_year in seen:
            raise ValidationError.for_field(
                f"financials.{index}.fiscal_year",
                f"Fiscal year {row.fiscal_year} is given twice.",
                code="FISCAL_YEAR_DUPLICATE",
            )
        seen.add(row.fiscal_year)
    ordered = sorted(rows, key=lambda row: row.fiscal_year, reverse=True)[:MAX_YEARS]
    return tuple(
        YearFigures(row.fiscal_year, **{name: getattr(row, name) for name in FIGURE_NAMES})
        for row in ordered
    )


def check_usable(inputs: EngineInput) -> None:
    """422 naming what is needed when no method could produce a value."""
    latest = max(inputs.years, key=lambda year: year.fiscal_year)
    has_assets = any(
        y.total_assets is not None and y.total_liabilities is not None for y in inputs.years
    )
    if latest.revenue <= 0 and not has_assets:
        raise ValidationError.for_field(
            "financials",
            "Nothing to value: give revenue above zero, or total assets and total liabilities.",
            code="FINANCIALS_INSUFFICIENT",
        )


def ad_hoc_input(
    sector: str | None,
    financials: Sequence[FinancialsYearInput] | None,
    year_established: int | None,
    employees: int | None,
    data: ValuationData,
) -> EngineInput:
    """The engine input of an ad hoc request (unverified, no documents)."""
    code = check_sector(sector, data)
    inputs = EngineInput(
        sector=code,
        years=to_years(financials or [], data),
        year_established=year_established,
        employees=employees,
    )
    check_usable(inputs)
    return inputs
