"""The report's typeface: Annapurna SIL (SIL International, SIL Open Font License 1.1, shipped
unmodified in `fonts/` with its licence), shaped by HarfBuzz through ReportLab.

One face covers both languages — Latin, Devanagari and the rupee sign — so a Hindi report reads
"₹3.1 करोड़" and an English one "₹3.1 Cr" with no font switching inside a line. ReportLab
shapes text only for TrueType fonts when `uharfbuzz` is importable (conjuncts, the vowel sign
"ि" drawn before its consonant, reph); without shaping Devanagari would come out as unjoined
letters in logical order, so the module refuses to start without it. The fonts are read from
the package: nothing is downloaded at run time.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Final

from reportlab.lib.abag import ABag  # type: ignore[import-untyped]
from reportlab.lib.fonts import addMapping  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont, shapeFragWord  # type: ignore[import-untyped]

FONT_DIR: Final = Path(__file__).parent / "fonts"
REGULAR: Final = "AnnapurnaSIL"
BOLD: Final = "AnnapurnaSIL-Bold"
_FILES: Final = {REGULAR: "AnnapurnaSIL-Regular.ttf", BOLD: "AnnapurnaSIL-Bold.ttf"}


class ShapingUnavailableError(RuntimeError):
    """ReportLab cannot shape text (uharfbuzz is missing): Hindi would print garbled."""


@cache
def register_fonts() -> None:
    """Register the report's fonts with ReportLab, once per process."""
    for name, filename in _FILES.items():
        font = TTFont(name, str(FONT_DIR / filename), shapable=True)
        if not font.shapable:
            raise ShapingUnavailableError("install uharfbuzz: the report shapes Devanagari")
        pdfmetrics.registerFont(font)
    # <b> in paragraphs picks the bold face.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)


def text_width(text: str, font: str, size: float) -> float:
    """How wide `text` prints once shaped (a conjunct is narrower than its letters)."""
    register_fonts()
    shaped = shapeFragWord([0, (ABag(fontName=font, fontSize=size), text)], force=True)
    width = shaped[0]
    return float(width) if width else float(pdfmetrics.stringWidth(text, font, size))
