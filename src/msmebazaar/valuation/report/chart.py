"""The report's "football field": each method's low–high bar with its value marked, the overall
range shaded behind them, and the low, base and high amounts labelled under the axis.

Labels never overlap: method names sit in their own column, one row each, shrunk to fit it; the
axis labels are placed by `place_axis_labels`, which moves a label that would touch another to
the next line down. The chart is drawn straight on the canvas (not as a ReportLab `Drawing`,
whose strings are never shaped) so Hindi labels come out joined.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import shapeStr  # type: ignore[import-untyped]
from reportlab.platypus import Flowable  # type: ignore[import-untyped]

from msmebazaar.valuation.report.fonts import BOLD, REGULAR, text_width

LABEL_SIZE: Final = 7.5
NAME_SIZE: Final = 8.0
MIN_NAME_SIZE: Final = 5.5
LABEL_GAP: Final = 4.0  # points between two labels on one line
LANE_HEIGHT: Final = 11.0
ROW_HEIGHT: Final = 9 * mm
BAR_HEIGHT: Final = 5 * mm
NAME_COLUMN: Final = 50 * mm
TOP_PAD: Final = 3 * mm
BAR_FILL: Final = colors.HexColor("#4a78c2")
RANGE_FILL: Final = colors.HexColor("#e9a100")
BAND_FILL: Final = colors.HexColor("#fff3c4")


@dataclass(frozen=True, slots=True)
class Box:
    """A label's extent on the page (points, origin bottom left)."""

    left: float
    bottom: float
    right: float
    top: float

    def overlaps(self, other: Box) -> bool:
        """Whether the two boxes share any area."""
        return (
            self.left < other.right
            and other.left < self.right
            and self.bottom < other.top
            and other.bottom < self.top
        )


@dataclass(frozen=True, slots=True)
class PlacedLabel:
    """A text placed on the chart: where its baseline starts, its size and its box."""

    text: str
    x: float
    y: float
    size: float
    box: Box
    bold: bool = False


@dataclass(frozen=True, slots=True)
class ChartRow:
    """One bar: a method's range and value, or (emphasis) the overall range and base."""

    name: str
    low: int
    high: int
    value: int
    emphasis: bool = False


def _label_box(text: str, left: float, baseline: float, size: float, font: str) -> Box:
    width = text_width(text, font, size)
    # Devanagari's matras reach above the cap height and below the baseline.
    return Box(left, baseline - 0.3 * size, left + width, baseline + 1.05 * size)


def place_axis_labels(
    labels: Sequence[tuple[str, float]], *, left: float, right: float, top: float
) -> list[PlacedLabel]:
    """Each `(text, x)` centred under `x` (kept within `left`–`right`), on the first line from
    `top` down where it touches no label already placed (with `LABEL_GAP` between)."""
    lanes: list[list[Box]] = []
    placed: list[PlacedLabel] = []
    for text, anchor in sorted(labels, key=lambda label: label[1]):
        width = text_width(text, REGULAR, LABEL_SIZE)
        start = min(max(anchor - width / 2, left), max(right - width, left))
        for lane, boxes in enumerate([*lanes, []]):
            baseline = top - (lane + 1) * LANE_HEIGHT
            box = _label_box(text, start, baseline, LABEL_SIZE, REGULAR)
            padded = Box(box.left - LABEL_GAP, box.bottom, box.right + LABEL_GAP, box.top)
            if not any(padded.overlaps(other) for other in boxes):
                if lane == len(lanes):
                    lanes.append(boxes)
                boxes.append(box)
                placed.append(PlacedLabel(text, start, baseline, LABEL_SIZE, box))
                break
    return placed


def fit_name(text: str, width: float) -> float:
    """The largest size (down to a floor) at which a row's name fits its column."""
    size = NAME_SIZE
    while size > MIN_NAME_SIZE and text_width(text, BOLD, size) > width:
        size -= 0.25
    return size


class FootballField(Flowable):  # type: ignore[misc]
    """The chart as a flowable: laid out once, then drawn with shaped text."""

    def __init__(
        self, rows: Sequence[ChartRow], axis: Sequence[tuple[str, int]], width: float
    ) -> None:
        super().__init__()
        self.rows, self.chart_width = list(rows), width
        amounts = [v for row in rows for v in (row.low, row.high, row.value)] + [0]
        self.lo, hi = min(amounts), max(amounts)
        self.plot_left, self.plot_right = NAME_COLUMN, width - 2 * mm
        self.scale = (self.plot_right - self.plot_left) / ((hi - self.lo) or 1)
        self.axis_top = -len(self.rows) * ROW_HEIGHT - 2 * mm  # relative to the chart's top
        self.ticks = [self.x(amount) for _, amount in axis]
        self.axis_labels = place_axis_labels(
            [(text, self.x(amount)) for text, amount in axis],
            left=0,
            right=width,
            top=self.axis_top,
        )
        lanes = min((label.y for label in self.axis_labels), default=self.axis_top)
        self.height_needed = TOP_PAD - lanes + LANE_HEIGHT / 2
        self.name_labels = [self._name_label(index, row) for index, row in enumerate(self.rows)]

    def x(self, amount: int) -> float:
        """Where an amount falls on the axis."""
        return float(self.plot_left + (amount - self.lo) * self.scale)

    def _row_bottom(self, index: int) -> float:
        return float(-(index + 1) * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2)

    def _name_label(self, index: int, row: ChartRow) -> PlacedLabel:
        size = fit_name(row.name, NAME_COLUMN - 3 * mm)
        baseline = self._row_bottom(index) + BAR_HEIGHT / 2 - size / 3
        box = _label_box(row.name, 0, baseline, size, BOLD)
        return PlacedLabel(row.name, 0, baseline, size, box, bold=True)

    def label_boxes(self) -> list[Box]:
        """Every label's box, relative to the chart's top left (for the overlap test)."""
        return [label.box for label in (*self.name_labels, *self.axis_labels)]

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return float(self.chart_width), float(self.height_needed)

    def draw(self) -> None:
        canvas: Any = self.canv
        canvas.saveState()
        canvas.translate(0, self.height_needed - TOP_PAD)
        self._draw_bars(canvas)
        canvas.setFillColor(colors.black)
        for label in (*self.name_labels, *self.axis_labels):
            canvas.setFont(BOLD if label.bold else REGULAR, label.size)
            font = BOLD if label.bold else REGULAR
            # A shaped string carries its glyphs and positions (drawString alone shapes only
            # with the optional bidi library).
            canvas.drawString(label.x, label.y, shapeStr(label.text, font, label.size, force=True))
        canvas.restoreState()

    def _draw_bars(self, canvas: Any) -> None:
        overall = next((row for row in self.rows if row.emphasis), None)
        bottom = -len(self.rows) * ROW_HEIGHT
        if overall is not None:
            canvas.setFillColor(BAND_FILL)
            left = self.x(overall.low)
            canvas.rect(left, bottom, self.x(overall.high) - left, -bottom, stroke=0, fill=1)
        for index, row in enumerate(self.rows):
            y = self._row_bottom(index)
            left = self.x(row.low)
            canvas.setFillColor(RANGE_FILL if row.emphasis else BAR_FILL)
            canvas.rect(left, y, max(self.x(row.high) - left, 1), BAR_HEIGHT, stroke=0, fill=1)
            canvas.setStrokeColor(colors.black)
            canvas.setLineWidth(1.5)
            canvas.line(self.x(row.value), y - 1 * mm, self.x(row.value), y + BAR_HEIGHT + 1 * mm)
        canvas.setStrokeColor(colors.grey)
        canvas.setLineWidth(0.5)
        canvas.line(self.plot_left, self.axis_top + 1 * mm, self.plot_right, self.axis_top + 1 * mm)
        for tick in self.ticks:  # at the amounts themselves; a label may sit to one side
            canvas.line(tick, self.axis_top + 1 * mm, tick, self.axis_top - 0.5 * mm)
        canvas.setStrokeColor(colors.red)
        if overall is not None:
            canvas.line(self.x(overall.value), self.axis_top + 1 * mm, self.x(overall.value), 0)
