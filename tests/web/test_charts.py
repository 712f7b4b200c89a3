"""Charts drawn as SVG on the server."""

from __future__ import annotations

from msmebazaar.web.charts import RangeRow, bar_chart, column_chart, range_chart


def _money(amount: int) -> str:
    return f"₹{amount // 10**5} L"


def test_a_range_chart_draws_one_bar_per_row_and_names_itself() -> None:
    rows = [
        RangeRow("EBITDA multiple", 4 * 10**7, 6 * 10**7, 5 * 10**7),
        RangeRow("Range", 45 * 10**6, 55 * 10**6, 5 * 10**7, emphasis=True),
    ]

    svg = range_chart(rows, title="Valuation", description="between", money=_money)

    assert svg.count("<rect") == 2
    assert 'class="bar-range"' in svg
    assert 'role="img"' in svg
    assert "<title" in svg
    assert "<desc" in svg
    assert "₹0 L" in svg  # the axis starts at zero


def test_chart_texts_are_escaped() -> None:
    svg = bar_chart([("<b>x</b>", 3.0, "3")], title="<t>", description="d")

    assert "<b>" not in svg
    assert "&lt;b&gt;" in svg


def test_a_column_chart_labels_some_days_and_copes_with_no_data() -> None:
    svg = column_chart(
        [(f"{day} Mar", 0) for day in range(1, 31)], title="Signups", description="d"
    )

    assert svg.count("<rect") == 30
    assert "1 Mar" in svg
    assert "30 Mar" in svg
