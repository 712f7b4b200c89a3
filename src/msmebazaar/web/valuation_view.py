"""A valuation drawn for a page: each method's range and the overall low–base–high range."""

from __future__ import annotations

from markupsafe import Markup

from msmebazaar.shared.india import format_inr_short
from msmebazaar.valuation.schemas import ValuationRead
from msmebazaar.web.charts import RangeRow, range_chart
from msmebazaar.web.context import Visit


def valuation_chart(visit: Visit, valuation: ValuationRead) -> Markup:
    """The "football field": one bar per method that produced a value, then the range."""

    def money(amount: int) -> str:
        return format_inr_short(amount, visit.language)

    rows = [
        RangeRow(visit.t(f"method.{method.method}"), method.low, method.high, method.value)
        for method in valuation.methods
        if method.available
    ]
    rows.append(
        RangeRow(
            visit.t("valuation.range"), valuation.low, valuation.high, valuation.base, emphasis=True
        )
    )
    description = visit.t(
        "valuation.chart_description",
        low=money(valuation.low),
        base=money(valuation.base),
        high=money(valuation.high),
    )
    return range_chart(
        rows, title=visit.t("valuation.chart_title"), description=description, money=money
    )
