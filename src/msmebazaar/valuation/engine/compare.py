"""Asking price against the valuation range: below, within or above, and by how much."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from msmebazaar.valuation.engine.facts import CONTEXT, rupees
from msmebazaar.valuation.engine.types import Text, inr, pct


@dataclass(frozen=True, slots=True)
class PriceComparison:
    asking_price: int
    implied_value: int  # for the whole business (the price scaled up when it buys a stake)
    stake_percent: Decimal | None
    position: str  # below | within | above
    difference: int  # rupees outside the range (0 within)
    difference_percent: Decimal  # of the nearest end of the range
    text: Text


def compare_price(
    asking_price: int, stake_percent: Decimal | None, low: int, high: int
) -> PriceComparison:
    """Where the asking price (scaled to 100% when it is for a stake) falls against the range."""
    implied = asking_price
    if stake_percent is not None and 0 < stake_percent < 100:
        implied = rupees(CONTEXT.divide(Decimal(asking_price) * 100, stake_percent))
    if implied < low:
        position, difference, edge = "below", low - implied, low
    elif implied > high:
        position, difference, edge = "above", implied - high, high
    else:
        position, difference, edge = "within", 0, max(low, 1)
    share = CONTEXT.divide(Decimal(difference), Decimal(max(edge, 1))).quantize(Decimal("0.0001"))
    params = {"price": inr(implied), "difference": inr(difference), "percent": pct(share)}
    return PriceComparison(
        asking_price=asking_price,
        implied_value=implied,
        stake_percent=stake_percent,
        position=position,
        difference=difference,
        difference_percent=share,
        text=Text(f"c.{position}", params),
    )
