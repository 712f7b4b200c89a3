"""The valuation report: a 2–3 page PDF (ReportLab, built-in Helvetica so text is extractable).

English only: Devanagari needs text shaping that PDF libraries handle poorly. Amounts read
"Rs." because the built-in fonts have no ₹ glyph. Every text is escaped before it reaches
ReportLab's paragraph mark-up.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Line, Rect, String  # type: ignore[import-untyped]
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import getSampleStyleSheet  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from msmebazaar.shared.india import format_inr
from msmebazaar.valuation.data import load_data
from msmebazaar.valuation.models import Valuation
from msmebazaar.valuation.presenter import to_read
from msmebazaar.valuation.schemas import ValuationRead

METHOD_NAMES = {
    "ebitda_multiple": "EBITDA multiple",
    "revenue_multiple": "Revenue multiple (derived)",
    "dcf": "Discounted cash flow",
    "net_assets": "Adjusted net assets",
}
_FIGURES = (
    ("revenue", "Revenue"),
    ("ebitda", "EBITDA"),
    ("net_profit", "Net profit"),
    ("depreciation", "Depreciation"),
    ("interest", "Interest"),
    ("total_assets", "Total assets"),
    ("total_liabilities", "Total liabilities"),
    ("cash", "Cash"),
    ("debt", "Debt"),
    ("owner_salary", "Owner salary"),
)
_STYLES = getSampleStyleSheet()
_BODY, _SMALL = _STYLES["BodyText"], _STYLES["BodyText"].clone("small", fontSize=8, leading=10)
_GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
        ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)


def pdf_text(text: str) -> str:
    """Plain text made safe for the built-in fonts and for paragraph mark-up."""
    plain = text.replace("₹", "Rs. ").replace("×", "x").replace("–", "-").replace("÷", "/")
    return escape(plain.encode("latin-1", "replace").decode("latin-1"))


def rs(amount: int | None) -> str:
    return "-" if amount is None else format_inr(amount).replace("₹", "Rs. ")


def _para(text: str, style: Any = _BODY) -> Paragraph:
    return Paragraph(pdf_text(text), style)


def football_field(view: ValuationRead, width: float = 170 * mm) -> Drawing:
    """Each method's low–high bar, its value marked, over the overall range band."""
    rows = [m for m in view.methods if m.available]
    label_w, height, row_h = 52 * mm, 14 * mm + len(rows) * 9 * mm, 9 * mm
    values = [v for m in rows for v in (m.low, m.high)] + [view.low, view.high, 0]
    lo, hi = min(values), max(values) or 1
    scale = (width - label_w - 6 * mm) / (hi - lo or 1)

    def x(amount: int) -> float:
        return float(label_w + (amount - lo) * scale)

    drawing = Drawing(width, height)
    band_top = height - 4 * mm
    drawing.add(
        Rect(
            x(view.low),
            8 * mm,
            x(view.high) - x(view.low),
            band_top - 8 * mm,
            fillColor=colors.HexColor("#fff3c4"),
            strokeColor=None,
        )
    )
    for index, method in enumerate(rows):
        y = band_top - (index + 1) * row_h
        drawing.add(String(2, y + 2 * mm, pdf_text(METHOD_NAMES[method.method]), fontSize=8))
        drawing.add(
            Rect(
                x(method.low),
                y,
                max(x(method.high) - x(method.low), 1),
                5 * mm,
                fillColor=colors.HexColor("#4a78c2"),
                strokeColor=None,
            )
        )
        drawing.add(
            Line(
                x(method.value),
                y - 1 * mm,
                x(method.value),
                y + 6 * mm,
                strokeColor=colors.black,
                strokeWidth=1.5,
            )
        )
    drawing.add(Line(x(view.base), 6 * mm, x(view.base), band_top, strokeColor=colors.red))
    drawing.add(String(x(view.low), 2, f"low {rs(view.low)}", fontSize=7))
    drawing.add(String(x(view.high), 2, f"high {rs(view.high)}", fontSize=7, textAnchor="end"))
    return drawing


def _summary(view: ValuationRead) -> list[Any]:
    story: list[Any] = [
        _para("MSMEBazaar valuation report", _STYLES["Title"]),
        _para(f"Valuation {view.id} - {view.created_at:%d %b %Y %H:%M} UTC - sector {view.sector}"),
        _para("Valuation range (equity value, whole rupees)", _STYLES["Heading2"]),
    ]
    table = Table(
        [
            ["Low", "Base", "High", "Confidence"],
            [rs(view.low), rs(view.base), rs(view.high), f"{view.confidence:.2f} / 1"],
        ],
        colWidths=[42 * mm] * 4,
    )
    table.setStyle(_GRID)
    story += [table, Spacer(1, 4 * mm)]
    if view.asking_price_comparison is not None:
        story.append(_para(view.asking_price_comparison.message))
    story += [
        _para(
            f"Size discount {view.size_discount:.1%}, illiquidity discount "
            f"{view.illiquidity_discount:.1%}, range half-width {view.range_spread:.1%}, "
            f"floor {rs(view.floor)}."
        ),
        _para(
            "Football field: each method's range, its value marked; shaded: the overall "
            "range; red: the base.",
            _STYLES["Heading3"],
        ),
        football_field(view),
    ]
    return story


def _methods(view: ValuationRead) -> list[Any]:
    rows: list[list[Any]] = [["Method", "Value", "Low", "High", "Weight"]]
    for m in view.methods:
        value = [rs(m.value), rs(m.low), rs(m.high)] if m.available else ["skipped", "-", "-"]
        rows.append([METHOD_NAMES[m.method], *value, f"{m.weight:.0%}"])
    table = Table(rows, colWidths=[52 * mm, 32 * mm, 32 * mm, 32 * mm, 18 * mm])
    table.setStyle(_GRID)
    story: list[Any] = [_para("Methods", _STYLES["Heading2"]), table, Spacer(1, 3 * mm)]
    for m in view.methods:
        text = f"{METHOD_NAMES[m.method]}: {m.explanation} Weight: {m.weight_reason}"
        story.append(_para(text, _SMALL))
    return story


def _inputs(valuation: Valuation) -> list[Any]:
    years = valuation.inputs["years"]
    rows: list[list[Any]] = [["Figure", *(pdf_text(str(y["fiscal_year"])) for y in years)]]
    rows += [[label, *(rs(y.get(name)) for y in years)] for name, label in _FIGURES]
    width = (170 * mm - 36 * mm) / max(len(years), 1)
    table = Table(rows, colWidths=[36 * mm] + [width] * len(years))
    table.setStyle(_GRID)
    facts = valuation.inputs
    verified = "yes" if facts.get("verified") else "no"
    about = (
        f"Verified profile: {verified}; financial documents: "
        f"{facts.get('financial_documents', 0)}; established: "
        f"{facts.get('year_established') or '-'}; employees: {facts.get('employees') or '-'}."
    )
    return [_para("Inputs", _STYLES["Heading2"]), table, Spacer(1, 2 * mm), _para(about, _SMALL)]


def _assumptions(view: ValuationRead) -> list[Any]:
    data = load_data(view.data_version)
    story: list[Any] = [_para("Assumptions", _STYLES["Heading2"])]
    story += [_para(f"- {text}", _SMALL) for text in view.assumptions]
    story.append(_para("Data sources", _STYLES["Heading2"]))
    for source in data.sources:
        line = (
            f"{source['publisher']}: {source['file']} (updated {source['updated']}). "
            f"{source['statistic']}."
        )
        story.append(_para(line, _SMALL))
    story.append(
        _para(
            f"Data version {view.data_version}, engine version {view.engine_version}. This report "
            "is an estimate from the figures given, not an audit or a fairness opinion.",
            _SMALL,
        )
    )
    return story


def render_report(valuation: Valuation) -> bytes:
    """The PDF bytes of a stored valuation."""
    view = to_read(valuation, "en")
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"Valuation {valuation.id}",
        author="MSMEBazaar",
        invariant=1,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    story = [*_summary(view), PageBreak(), *_methods(view), Spacer(1, 4 * mm)]
    story += [*_inputs(valuation), PageBreak(), *_assumptions(view)]
    document.build(story)
    return buffer.getvalue()
