"""The valuation report: a 2–3 page PDF (ReportLab) in the reader's language, English or Hindi.

It names the business (or says the valuation was ad hoc) and its sector by display name, draws
the range as a chart whose labels never overlap (`chart.py`), and gives each method its own
explanation, with the reasons for the weights said once. Text is set in Annapurna SIL and shaped
with HarfBuzz (`fonts.py`), so Devanagari joins correctly and amounts print with "₹". Every text
is escaped before it reaches ReportLab's paragraph mark-up.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any, Final
from xml.sax.saxutils import escape

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from msmebazaar.msme.service import FIGURE_NAMES, get_sector
from msmebazaar.shared.i18n import resolve_language
from msmebazaar.shared.india import format_inr, format_inr_short
from msmebazaar.valuation.data import load_data
from msmebazaar.valuation.models import Valuation
from msmebazaar.valuation.presenter import to_read
from msmebazaar.valuation.report.chart import ChartRow, FootballField
from msmebazaar.valuation.report.fonts import BOLD, REGULAR, register_fonts
from msmebazaar.valuation.report.texts import evidence_sentence, report_text
from msmebazaar.valuation.schemas import ValuationRead

WIDTH: Final = 170 * mm
_MONTHS: Final = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "hi": (
        "जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून",
        "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर",
    ),
}  # fmt: skip


class _Styles:
    """Paragraph and table styles in the report's shaped font (built after registration)."""

    def __init__(self) -> None:
        register_fonts()
        sample = getSampleStyleSheet()

        def style(name: str, base: str, **overrides: Any) -> ParagraphStyle:
            font = BOLD if base.startswith(("Title", "Heading")) else REGULAR
            return ParagraphStyle(name, parent=sample[base], fontName=font, shaping=1, **overrides)

        self.title = style("report-title", "Title", leading=26)
        self.business = style("report-business", "Heading1", fontSize=15, leading=20)
        self.heading = style("report-heading", "Heading2", leading=18)
        self.subheading = style("report-subheading", "Heading3", fontSize=10, leading=14)
        self.body = style("report-body", "BodyText", leading=14)
        self.small = style("report-small", "BodyText", fontSize=8, leading=10.5, spaceBefore=2)
        self.cell = style("report-cell", "BodyText", fontSize=8, leading=11)
        self.amount = style("report-amount", "BodyText", fontSize=8, leading=11, alignment=TA_RIGHT)
        self.grid = TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )


class Report:
    """One report being written: the valuation's view, the reader's language and the styles."""

    def __init__(self, valuation: Valuation, language: str, business_name: str | None) -> None:
        self.valuation = valuation
        self.language = resolve_language(saved=language)
        self.view: ValuationRead = to_read(valuation, self.language)
        self.business_name = business_name
        self.styles = _Styles()

    def t(self, key: str, **params: Any) -> str:
        return report_text(key, self.language, **params)

    def para(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(escape(text), style or self.styles.body)

    def short(self, amount: int) -> str:
        return format_inr_short(amount, self.language)

    def table(self, rows: Sequence[Sequence[str]], widths: Sequence[float]) -> Table:
        """A grid: the first column and the header as text, other cells as amounts."""
        cells = [
            [
                self.para(value, self.styles.cell if r == 0 or c == 0 else self.styles.amount)
                for c, value in enumerate(row)
            ]
            for r, row in enumerate(rows)
        ]
        table = Table(cells, colWidths=list(widths), repeatRows=1)
        table.setStyle(self.styles.grid)
        return table

    def sector_name(self) -> str:
        sector = get_sector(self.view.sector)
        if sector is None:
            return self.view.sector
        return sector.name_hi if self.language == "hi" else sector.name

    def date(self) -> str:
        moment = self.view.created_at
        return f"{moment.day} {_MONTHS[self.language][moment.month - 1]} {moment.year}"

    # --- page 1 -----------------------------------------------------------------------------
    def summary(self) -> list[Any]:
        view, styles = self.view, self.styles
        subject = self.business_name or self.t("ad_hoc")
        story: list[Any] = [
            self.para(self.t("title"), styles.title),
            self.para(subject, styles.business),
            self.para(self.t("subtitle", sector=self.sector_name(), date=self.date())),
            self.para(self.t("range_heading"), styles.heading),
            self.table(
                [
                    [self.t("low"), self.t("base"), self.t("high"), self.t("confidence")],
                    [
                        format_inr(view.low),
                        format_inr(view.base),
                        format_inr(view.high),
                        f"{view.confidence:.0%}",
                    ],
                ],
                [WIDTH / 4] * 4,
            ),
            Spacer(1, 4 * mm),
        ]
        if view.asking_price_comparison is not None:
            story.append(self.para(view.asking_price_comparison.message))
        story += [
            self.para(self.how_valued()),
            self.para(self.t("chart_heading"), styles.subheading),
            self.chart(),
        ]
        return story

    def how_valued(self) -> str:
        """What set the multiple (private-market evidence), or the discounts taken (older data
        versions, which started from listed companies)."""
        view, evidence = self.view, self.view.market_evidence
        spread, floor = f"{view.range_spread:.1%}", format_inr(view.floor)
        if evidence is None:
            size, illiquidity = f"{view.size_discount:.1%}", f"{view.illiquidity_discount:.1%}"
            return self.t(
                "discounts", size=size, illiquidity=illiquidity, spread=spread, floor=floor
            )
        range_note = self.t("range_note", spread=spread, floor=floor)
        return f"{evidence_sentence(evidence, self.language)} {range_note}"

    def chart(self) -> FootballField:
        """The football field, every label in the reader's language."""
        view = self.view
        rows = [
            ChartRow(self.t(f"method.{m.method}"), m.low, m.high, m.value)
            for m in view.methods
            if m.available
        ]
        rows.append(ChartRow(self.t("overall_range"), view.low, view.high, view.base, True))
        axis = [
            (self.t("axis_low", amount=self.short(view.low)), view.low),
            (self.t("axis_base", amount=self.short(view.base)), view.base),
            (self.t("axis_high", amount=self.short(view.high)), view.high),
        ]
        return FootballField(rows, axis, WIDTH)

    # --- page 2 -----------------------------------------------------------------------------
    def methods(self) -> list[Any]:
        """The methods' table, each method's own explanation, then the weights' reasons once."""
        rows = [
            [self.t("method"), self.t("value"), self.t("low"), self.t("high"), self.t("weight")]
        ]
        for m in self.view.methods:
            if m.available:
                figures = [format_inr(m.value), format_inr(m.low), format_inr(m.high)]
            else:
                figures = [self.t("skipped"), "-", "-"]
            rows.append([self.t(f"method.{m.method}"), *figures, f"{m.weight:.0%}"])
        widths = [50 * mm, 33 * mm, 33 * mm, 33 * mm, 21 * mm]
        story: list[Any] = [self.para(self.t("methods_heading"), self.styles.heading)]
        story += [self.table(rows, widths), Spacer(1, 3 * mm)]
        for m in self.view.methods:
            name = f"<b>{escape(self.t(f'method.{m.method}'))}</b>"
            story.append(Paragraph(f"{name}: {escape(m.explanation)}", self.styles.small))
        reasons = list(dict.fromkeys(m.weight_reason for m in self.view.methods if m.weight_reason))
        if reasons:
            story.append(self.para(self.t("weights_heading"), self.styles.subheading))
            story += [self.para(reason, self.styles.small) for reason in reasons]
        return story

    def inputs(self) -> list[Any]:
        inputs = self.valuation.inputs
        years = inputs["years"]
        rows = [[self.t("figure"), *(str(year["fiscal_year"]) for year in years)]]
        rows += [
            [self.t(f"figure.{name}"), *(_amount(year.get(name)) for year in years)]
            for name in FIGURE_NAMES
        ]
        width = (WIDTH - 36 * mm) / max(len(years), 1)
        about = self.t(
            "about",
            verified=self.t("yes" if inputs.get("verified") else "no"),
            documents=inputs.get("financial_documents", 0),
            established=inputs.get("year_established") or "-",
            employees=inputs.get("employees") or "-",
        )
        return [
            self.para(self.t("inputs_heading"), self.styles.heading),
            self.table(rows, [36 * mm] + [width] * len(years)),
            Spacer(1, 2 * mm),
            self.para(about, self.styles.small),
        ]

    # --- page 3 -----------------------------------------------------------------------------
    def assumptions(self) -> list[Any]:
        view = self.view
        story: list[Any] = [self.para(self.t("assumptions_heading"), self.styles.heading)]
        story += [self.para(f"• {text}", self.styles.small) for text in view.assumptions]
        story.append(self.para(self.t("sources_heading"), self.styles.heading))
        for source in load_data(view.data_version).sources:
            story.append(self.para(self.t("source", **source), self.styles.small))
        disclaimer = self.t("disclaimer", data=view.data_version, engine=view.engine_version)
        story.append(self.para(disclaimer, self.styles.small))
        return story

    def render(self) -> bytes:
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            title=f"{self.t('title')}: {self.business_name or self.sector_name()}",
            author="MSMEBazaar",
            lang=self.language,
            invariant=1,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=18 * mm,
            bottomMargin=18 * mm,
        )
        story = [*self.summary(), PageBreak(), *self.methods(), Spacer(1, 4 * mm)]
        story += [*self.inputs(), PageBreak(), *self.assumptions()]
        document.build(story)
        return buffer.getvalue()


def _amount(amount: int | None) -> str:
    return "-" if amount is None else format_inr(amount)


def render_report(
    valuation: Valuation, language: str = "en", *, business_name: str | None = None
) -> bytes:
    """The PDF bytes of a stored valuation, in `language`, naming the business when it has a
    profile (`business_name`)."""
    return Report(valuation, language, business_name).render()
