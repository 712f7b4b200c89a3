"""The private-market calibration: what small private businesses of this size and sector sell
for (data files with `private_market`, from 2026.12.1).

- The profit valued: below the owner-operated threshold, owner's earnings (SDE = EBITDA + the
  owner's whole salary: a buyer who runs the business takes both); from the threshold on,
  normalised EBITDA (salary above a market wage added back: the business is bought to be run by
  a manager), never below the threshold itself, so the value cannot drop where the basis changes.
- The multiples at that profit: the sector group's bands interpolated log-linearly in profit
  (flat outside the first and last band). Typical multiples never fall as profit rises, so the
  value rises with profit.
- The DCF's rate is the one at which a business growing at long-run growth is worth exactly the
  typical multiple; the DCF then departs from the evidence only through growth.
- Listed multiples set no value: the listed industry's standing against the listed market is
  compared with the group's standing against all small businesses, for the confidence.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal

from msmebazaar.valuation.data import (
    Basis,
    MultipleBand,
    PrivateMarket,
    ResolvedMultiple,
    SectorGroup,
    ValuationData,
)
from msmebazaar.valuation.engine.types import YearFigures, plain

ZERO, ONE = Decimal(0), Decimal(1)
MULTIPLE_STEP = Decimal("0.0001")
RATE_STEP = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class Multiples:
    """The range and typical multiple at one profit, with the bands it lies between."""

    low: Decimal
    typical: Decimal
    high: Decimal
    below: MultipleBand
    above: MultipleBand


@dataclass(frozen=True, slots=True)
class CrossCheck:
    listed: Decimal  # the industry's capped listed EV/EBITDA
    market: Decimal  # the listed market's
    listed_relative: Decimal
    private_relative: Decimal
    score: Decimal  # 1 agree … 0 disagree


@dataclass(frozen=True, slots=True)
class Earnings:
    """The profit the private-market multiple applies to, and everything said about it."""

    basis: Basis
    value: Decimal
    sde: Decimal
    owner_salary: Decimal  # weighted like the profit
    salary_given: bool
    ebitda: Decimal  # normalised, owner's salary above the market wage added back
    held_at_threshold: bool
    group: SectorGroup
    multiples: Multiples
    rate: Decimal  # the DCF's implied discount rate
    premium: Decimal  # its small-business premium
    cross_check: CrossCheck


def span(low: Decimal, high: Decimal) -> str:
    """A range of multiples as people read it ("3.0–4.1×"), as a text parameter."""
    return plain(f"{low:.1f}–{high:.1f}×")


def _log(amount: Decimal) -> Decimal:
    return amount.ln()


def multiples_at(group: SectorGroup, profit: Decimal) -> Multiples:
    """The group's multiples at `profit`, log-linear between bands and flat outside them."""
    bands = group.bands
    if profit <= bands[0].earnings:
        return _flat(bands[0])
    if profit >= bands[-1].earnings:
        return _flat(bands[-1])
    below, above = next(
        (a, b) for a, b in itertools.pairwise(bands) if a.earnings <= profit < b.earnings
    )
    lo, hi = _log(Decimal(below.earnings)), _log(Decimal(above.earnings))
    share = (_log(profit) - lo) / (hi - lo)

    def between(start: Decimal, end: Decimal) -> Decimal:
        return (start + (end - start) * share).quantize(MULTIPLE_STEP)

    return Multiples(
        low=between(below.low, above.low),
        typical=between(below.typical, above.typical),
        high=between(below.high, above.high),
        below=below,
        above=above,
    )


def _flat(band: MultipleBand) -> Multiples:
    return Multiples(band.low, band.typical, band.high, band, band)


def _weighted(
    years: tuple[YearFigures, ...], data: ValuationData
) -> tuple[Decimal, Decimal, Decimal, bool]:
    """(EBITDA, owner's salary, salary above the market wage) weighted newest heaviest, and
    whether any salary was given; the caller has checked that some year has EBITDA."""
    weights = data.parameters.normalisation_weights
    used = [year for year in years if year.ebitda is not None][: len(weights)]
    total = sum((Decimal(w) for w in weights[: len(used)]), ZERO)
    ebitda = salary = excess = ZERO
    for weight, year in zip(weights, used, strict=False):
        pay = year.owner_salary or 0
        ebitda += Decimal(weight) * Decimal(year.ebitda or 0)
        salary += Decimal(weight) * Decimal(pay)
        excess += Decimal(weight) * Decimal(max(0, pay - data.parameters.market_wage))
    given = any(year.owner_salary is not None for year in used)
    return ebitda / total, salary / total, excess / total, given


def implied_rate(typical: Decimal, data: ValuationData) -> Decimal:
    """The discount rate at which steady long-run growth is worth exactly `typical` × profit
    (Gordon: value / profit = cash share × (1 + g) / (rate − g))."""
    p = data.parameters
    cash_share = (ONE - p.tax_rate) * (ONE - p.reinvestment_rate)
    rate = p.long_run_growth + cash_share * (ONE + p.long_run_growth) / typical
    return rate.quantize(RATE_STEP)


def cross_check(
    market: PrivateMarket,
    group: SectorGroup,
    profit: Decimal,
    listed: ResolvedMultiple,
    data: ValuationData,
) -> CrossCheck:
    """Do listed companies rank this sector as the private evidence does? 1 within the
    agreement factor either way, falling linearly in log to 0 at the disagreement factor."""
    cap = data.parameters.multiple_cap
    whole = data.industries[data.market_industry].ev_ebitda_positive or ONE
    market_multiple = min(whole, cap)
    listed_relative = (listed.capped_multiple / market_multiple).quantize(MULTIPLE_STEP)
    general = multiples_at(market.groups[market.general_group], profit)
    private_relative = (multiples_at(group, profit).typical / general.typical).quantize(
        MULTIPLE_STEP
    )
    gap = abs(_log(listed_relative / private_relative))
    agree, disagree = _log(market.agree_within), _log(market.disagree_at)
    score = min(ONE, max(ZERO, (disagree - gap) / (disagree - agree))).quantize(RATE_STEP)
    return CrossCheck(
        listed.capped_multiple, market_multiple, listed_relative, private_relative, score
    )


def owner_earnings(
    sector: str, years: tuple[YearFigures, ...], listed: ResolvedMultiple, data: ValuationData
) -> Earnings | None:
    """The profit to value and its multiples; None without private-market data or EBITDA."""
    market = data.private_market
    if market is None or all(year.ebitda is None for year in years):
        return None
    ebitda, salary, excess, given = _weighted(years, data)
    sde, managed = ebitda + salary, ebitda + excess
    threshold = Decimal(market.owner_operated_below)
    basis: Basis = "sde" if sde < threshold else "ebitda"
    value = sde if basis == "sde" else max(managed, threshold)
    group = market.group_of(sector)
    multiples = multiples_at(group, value)
    rate = implied_rate(multiples.typical, data)
    p = data.parameters
    return Earnings(
        basis=basis,
        value=value,
        sde=sde,
        owner_salary=salary,
        salary_given=given,
        ebitda=managed,
        held_at_threshold=basis == "ebitda" and managed < threshold,
        group=group,
        multiples=multiples,
        rate=rate,
        premium=rate - p.risk_free_rate - p.equity_risk_premium,
        cross_check=cross_check(market, group, max(value, ONE), listed, data),
    )
