"""What the methods share, derived once from the inputs: normalised EBITDA, growth, discounts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal
from functools import cache

from msmebazaar.shared.india import parse_fiscal_year
from msmebazaar.valuation.data import ResolvedMultiple, SectorMapping, ValuationData
from msmebazaar.valuation.engine.private import Earnings, owner_earnings
from msmebazaar.valuation.engine.types import COMPLETE_YEAR_FIELDS, EngineInput, YearFigures

# One arithmetic context for the whole engine: same digits, same rounding, in every process.
CONTEXT = Context(prec=34, rounding=ROUND_HALF_EVEN)
ZERO = Decimal(0)
ONE = Decimal(1)
RATE_STEP = Decimal("0.0001")


def rupees(amount: Decimal) -> int:
    """Whole rupees, half to even."""
    return int(amount.quantize(ONE, rounding=ROUND_HALF_EVEN, context=CONTEXT))


@dataclass(frozen=True, slots=True)
class Facts:
    years: tuple[YearFigures, ...]  # newest first
    latest: YearFigures
    revenue: int
    normalised_ebitda: Decimal | None
    ebitda_years: int
    owner_add_back: Decimal
    debt: int
    cash: int
    debt_or_cash_missing: bool
    cagr: Decimal | None
    cagr_raw: Decimal | None
    cagr_span: int
    size_discount: Decimal
    multiple: ResolvedMultiple
    mapping: SectorMapping
    completeness: Decimal
    # Set when the data file has a private-market calibration (from 2026.12.1).
    earnings: Earnings | None = None

    @property
    def profit(self) -> Decimal | None:
        """The profit the earnings methods capitalise: owner's earnings or EBITDA when the
        data is calibrated on private deals, else normalised EBITDA."""
        if self.earnings is not None:
            return self.earnings.value
        return self.normalised_ebitda


def _normalised_ebitda(
    years: tuple[YearFigures, ...], data: ValuationData
) -> tuple[Decimal | None, int, Decimal]:
    """Weighted average (newest heaviest) of EBITDA plus owner salary above a market wage."""
    weights = data.parameters.normalisation_weights
    used = [year for year in years if year.ebitda is not None][: len(weights)]
    if not used:
        return None, 0, ZERO
    wage = data.parameters.market_wage
    total = sum((Decimal(w) for w in weights[: len(used)]), ZERO)
    ebitda = add_back = ZERO
    for weight, year in zip(weights, used, strict=False):
        extra = Decimal(max(0, (year.owner_salary or 0) - wage))
        ebitda += Decimal(weight) * (Decimal(year.ebitda or 0) + extra)
        add_back += Decimal(weight) * extra
    return CONTEXT.divide(ebitda, total), len(used), CONTEXT.divide(add_back, total)


def _cagr(
    years: tuple[YearFigures, ...], data: ValuationData
) -> tuple[Decimal | None, Decimal | None, int]:
    """Revenue CAGR from the oldest to the newest year with revenue, clamped to the settings."""
    with_revenue = [year for year in years if year.revenue > 0]
    if len(with_revenue) < 2:
        return None, None, 0
    newest, oldest = with_revenue[0], with_revenue[-1]
    span = parse_fiscal_year(newest.fiscal_year) - parse_fiscal_year(oldest.fiscal_year)
    ratio = CONTEXT.divide(Decimal(newest.revenue), Decimal(oldest.revenue))
    raw = CONTEXT.power(ratio, CONTEXT.divide(ONE, Decimal(span))) - ONE
    raw = raw.quantize(RATE_STEP, context=CONTEXT)
    p = data.parameters
    return min(max(raw, p.growth_floor), p.growth_cap), raw, span


@cache
def _log10(amount: int) -> Decimal:
    return Decimal(amount).log10(CONTEXT)


def size_discount(revenue: int, data: ValuationData) -> Decimal:
    """Log-linear in revenue between the data file's two anchors, flat outside them."""
    p = data.parameters
    if revenue <= p.size_small_revenue:
        return p.size_small_discount
    if revenue >= p.size_large_revenue:
        return p.size_large_discount
    low, high = (
        Decimal(p.size_small_revenue).log10(CONTEXT),
        Decimal(p.size_large_revenue).log10(CONTEXT),
    )
    share = CONTEXT.divide(Decimal(revenue).log10(CONTEXT) - low, high - low)
    discount = p.size_small_discount + (p.size_large_discount - p.size_small_discount) * share
    return discount.quantize(RATE_STEP, context=CONTEXT)


def completeness(years: tuple[YearFigures, ...], history: int) -> Decimal:
    """Share of the figures a complete year has, over the newest `history` years."""
    recent = years[:history]
    given = sum(
        1 for year in recent for name in COMPLETE_YEAR_FIELDS if getattr(year, name) is not None
    )
    return CONTEXT.divide(Decimal(given), Decimal(len(recent) * len(COMPLETE_YEAR_FIELDS)))


def derive_facts(inputs: EngineInput, data: ValuationData) -> Facts:
    """The shared facts; the inputs must hold at least one year."""
    years = tuple(sorted(inputs.years, key=lambda year: year.fiscal_year, reverse=True))
    latest = years[0]
    ebitda, ebitda_years, add_back = _normalised_ebitda(years, data)
    cagr, cagr_raw, span = _cagr(years, data)
    history = int(data.parameters.confidence["full_history_years"])
    listed = data.resolve_multiple(inputs.sector)
    calibrated = data.private_market is not None
    return Facts(
        years=years,
        latest=latest,
        revenue=latest.revenue,
        normalised_ebitda=ebitda,
        ebitda_years=ebitda_years,
        owner_add_back=add_back,
        debt=latest.debt or 0,
        cash=latest.cash or 0,
        debt_or_cash_missing=latest.debt is None or latest.cash is None,
        cagr=cagr,
        cagr_raw=cagr_raw,
        cagr_span=span,
        # Private-market multiples are prices of small private businesses: no discount.
        size_discount=ZERO if calibrated else size_discount(latest.revenue, data),
        multiple=listed,
        mapping=data.sectors[inputs.sector],
        completeness=completeness(years, history),
        earnings=owner_earnings(inputs.sector, years, listed, data),
    )
