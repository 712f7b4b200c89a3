"""The report's chart: no two labels ever overlap, whatever the amounts (the first report printed
"low Rs. 3,14,42,045" and "high Rs. 5,34,90,545" on top of each other)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msmebazaar.shared.india import format_inr_short
from msmebazaar.valuation.report.chart import (
    NAME_COLUMN,
    Box,
    ChartRow,
    FootballField,
    place_axis_labels,
)
from msmebazaar.valuation.report.texts import report_text

WIDTH = 481.9  # 170 mm, the report's text width
CRORE = 1_00_00_000


def _field(
    low: int, base: int, high: int, methods: list[tuple[int, int]], lang: str
) -> FootballField:
    rows = [
        ChartRow(report_text(f"method.{name}", lang), lo, hi, (lo + hi) // 2)
        for name, (lo, hi) in zip(
            ("ebitda_multiple", "revenue_multiple", "dcf", "net_assets"), methods, strict=False
        )
    ]
    rows.append(ChartRow(report_text("overall_range", lang), low, high, base, emphasis=True))
    axis = [
        (report_text(f"axis_{key}", lang, amount=format_inr_short(amount, lang)), amount)
        for key, amount in (("low", low), ("base", base), ("high", high))
    ]
    return FootballField(rows, axis, WIDTH)


def _disjoint(boxes: list[Box]) -> bool:
    return not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_the_reported_case_no_longer_overlaps(lang: str) -> None:
    chart = _field(
        3_14_42_045, 4_20_00_000, 5_34_90_545, [(0, 60 * CRORE), (2 * CRORE, 9 * CRORE)], lang
    )

    assert _disjoint(chart.label_boxes())


@settings(max_examples=150, deadline=None)
@given(
    low=st.integers(0, 500 * CRORE),
    spread=st.integers(0, 200 * CRORE),
    base_at=st.floats(0, 1),
    methods=st.lists(
        st.tuples(st.integers(0, 800 * CRORE), st.integers(0, 300 * CRORE)), max_size=4
    ),
    lang=st.sampled_from(["en", "hi"]),
)
def test_chart_labels_never_overlap_and_stay_on_the_chart(
    low: int, spread: int, base_at: float, methods: list[tuple[int, int]], lang: str
) -> None:
    high = low + spread
    base = low + int(spread * base_at)
    ranges = [(start, start + width) for start, width in methods]

    chart = _field(low, base, high, ranges, lang)

    boxes = chart.label_boxes()
    assert _disjoint(boxes)
    assert all(box.left >= 0 and box.right <= WIDTH + 0.01 for box in boxes)


def test_labels_at_the_same_point_go_to_separate_lines() -> None:
    placed = place_axis_labels(
        [("Low ₹1 Cr", 200.0), ("Base ₹1 Cr", 200.0), ("High ₹1 Cr", 200.0)],
        left=0,
        right=WIDTH,
        top=0,
    )

    assert len({label.y for label in placed}) == 3
    assert _disjoint([label.box for label in placed])


def test_a_long_method_name_is_shrunk_to_fit_its_column() -> None:
    chart = _field(CRORE, 2 * CRORE, 3 * CRORE, [(CRORE, 4 * CRORE)] * 4, "hi")

    assert all(label.box.right <= NAME_COLUMN for label in chart.name_labels)
