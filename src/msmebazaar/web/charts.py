"""Charts drawn on the server as SVG: the valuation range ("football field") and the admin
analytics bars. No script is needed to see them, and each names what it shows for screen readers
(`role="img"` with a title and a description)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from markupsafe import Markup, escape

WIDTH: Final = 640
LABEL_WIDTH: Final = 170
ROW_HEIGHT: Final = 34
_ids = itertools.count(1)


@dataclass(frozen=True, slots=True)
class RangeRow:
    """One row of a range chart: a label, a low–high bar and a marked value."""

    label: str
    low: int
    high: int
    value: int
    emphasis: bool = False


def _nice_step(span: float, ticks: int = 4) -> float:
    raw = span / ticks
    magnitude = float(10 ** max(0, len(str(int(raw))) - 1))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def _svg(body: str, height: int, title: str, description: str, *, width: int = WIDTH) -> Markup:
    number = next(_ids)
    # Every text that reaches the SVG went through escape(); the rest are our own numbers.
    return Markup(  # noqa: S704
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-{number}-title chart-{number}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-{number}-title">{escape(title)}</title>'
        f'<desc id="chart-{number}-desc">{escape(description)}</desc>{body}</svg>'
    )


RANGE_WIDTH: Final = 420
RANGE_ROW: Final = 46
_RANGE_MARGIN: Final = 12


def range_chart(
    rows: Sequence[RangeRow], *, title: str, description: str, money: Callable[[int], str]
) -> Markup:
    """Low–high bars on one rupee axis, each row's value marked and its label above the bar
    (narrow, so the text stays readable on a 360 px phone)."""
    top = max([row.high for row in rows] + [1])
    bottom = min([row.low for row in rows] + [0])
    step = _nice_step(top - bottom)
    axis_max = step * (int(top // step) + 1)
    axis_min = min(0.0, step * (bottom // step))
    plot = RANGE_WIDTH - 2 * _RANGE_MARGIN

    def x(amount: float) -> float:
        return _RANGE_MARGIN + (amount - axis_min) / (axis_max - axis_min) * plot

    parts = []
    for index, row in enumerate(rows):
        y = 4 + index * RANGE_ROW
        kind = "bar-range" if row.emphasis else "bar-method"
        width = max(2.0, x(row.high) - x(row.low))
        parts.append(
            f'<text class="chart-label" x="{_RANGE_MARGIN}" y="{y + 14}">{escape(row.label)}</text>'
            f'<rect class="{kind}" x="{x(row.low):.1f}" y="{y + 20}" width="{width:.1f}" '
            f'height="16" rx="3"/>'
            f'<line class="marker" x1="{x(row.value):.1f}" x2="{x(row.value):.1f}" '
            f'y1="{y + 17}" y2="{y + 39}"/>'
        )
    axis_y = 4 + len(rows) * RANGE_ROW + 2
    parts.append(
        f'<line class="axis" x1="{_RANGE_MARGIN}" x2="{RANGE_WIDTH - _RANGE_MARGIN}" '
        f'y1="{axis_y}" y2="{axis_y}"/>'
    )
    ticks = []
    tick = axis_min
    while tick <= axis_max + step / 2:
        ticks.append(tick)
        tick += step
    for number, tick in enumerate(ticks):
        anchor = "start" if number == 0 else "end" if number == len(ticks) - 1 else "middle"
        parts.append(
            f'<text class="chart-tick" x="{x(tick):.1f}" y="{axis_y + 17}" text-anchor="{anchor}">'
            f"{escape(money(int(tick)))}</text>"
        )
    return _svg("".join(parts), axis_y + 24, title, description, width=RANGE_WIDTH)


def bar_chart(rows: Sequence[tuple[str, float, str]], *, title: str, description: str) -> Markup:
    """Horizontal bars, one per `(label, value, value_text)` row (funnels, amounts by stage)."""
    top = max([value for _, value, _ in rows] + [1.0])
    plot = WIDTH - LABEL_WIDTH - 110
    parts = []
    for index, (label, value, value_text) in enumerate(rows):
        y = 6 + index * ROW_HEIGHT
        width = max(2.0, value / top * plot) if value > 0 else 0.0
        parts.append(
            f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect class="bar" x="{LABEL_WIDTH}" y="{y + 4}" width="{width:.1f}" height="18" '
            f'rx="3"/>'
            f'<text class="chart-value" x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 17}">'
            f"{escape(value_text)}</text>"
        )
    return _svg("".join(parts), 12 + len(rows) * ROW_HEIGHT, title, description)


def column_chart(
    columns: Sequence[tuple[str, int]], *, title: str, description: str, label_every: int = 5
) -> Markup:
    """Vertical columns over time (signups per day); every `label_every`-th day is labelled."""
    height, base = 180, 150
    top = max([value for _, value in columns] + [1])
    slot = (WIDTH - 40) / max(1, len(columns))
    parts = [f'<line class="axis" x1="30" x2="{WIDTH - 10}" y1="{base}" y2="{base}"/>']
    parts.append(f'<text class="chart-tick" x="26" y="18" text-anchor="end">{top}</text>')
    for index, (label, value) in enumerate(columns):
        bar = value / top * (base - 20)
        x = 34 + index * slot
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{base - bar:.1f}" '
            f'width="{max(1.0, slot - 2):.1f}" height="{bar:.1f}"><title>{escape(label)}: '
            f"{value}</title></rect>"
        )
        if index % label_every == 0 or index == len(columns) - 1:
            parts.append(
                f'<text class="chart-tick" x="{x + slot / 2:.1f}" y="{base + 16}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    return _svg("".join(parts), height, title, description)
