"""Jinja2 templates and the filters every page uses: amounts in lakh/crore, bands, dates,
percentages and sector names, each in the page's language."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context

from msmebazaar.msme.schemas import MsmeRead
from msmebazaar.msme.service import Sector, get_sector
from msmebazaar.shared.india import INDIA_TIMEZONE, format_inr, format_inr_short, state_name_in
from msmebazaar.valuation.service import MarketEvidenceRead, evidence_sentence
from msmebazaar.web.static_files import static_url
from msmebazaar.web.texts import text

TEMPLATE_DIR: Final = Path(__file__).parent / "templates"
_HINDI_MONTHS: Final = (
    "जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून",
    "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर",
)  # fmt: skip
_ENGLISH_MONTHS: Final = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip
# Band labels come from msme's cards in English ("₹5–10 Cr", "Up to ₹10 L", "Loss-making").
_HINDI_BAND_WORDS: Final = ((" Cr", " करोड़"), (" L", " लाख"), ("Loss-making", "घाटे में"))


def _lang(context: Context) -> str:
    return str(context.get("lang", "en"))


@pass_context
def inr(context: Context, amount: int | None) -> str:
    """Rupees in lakh/crore ("₹2.4 Cr", "₹45 लाख"); a dash when unknown."""
    return "—" if amount is None else format_inr_short(int(amount), _lang(context))


def inr_full(amount: int | None) -> str:
    """Rupees with Indian digit grouping ("₹12,34,567")."""
    return "—" if amount is None else format_inr(int(amount))


@pass_context
def band(context: Context, label: str | None) -> str:
    """A revenue or EBITDA band in the page's language."""
    if not label:
        return "—"
    if _lang(context) != "hi":
        return label
    if label.startswith("Up to "):
        label = label.removeprefix("Up to ") + " तक"
    for english, hindi in _HINDI_BAND_WORDS:
        label = label.replace(english, hindi)
    return label


@pass_context
def day(context: Context, moment: datetime | None) -> str:
    """A date as "12 Mar 2026" (Hindi month names on Hindi pages)."""
    if moment is None:
        return "—"
    months = _HINDI_MONTHS if _lang(context) == "hi" else _ENGLISH_MONTHS
    return f"{moment.day} {months[moment.month - 1]} {moment.year}"


@pass_context
def india_moment(context: Context, moment: datetime | None) -> str:
    """An instant as India reads it: "12 Mar 2026, 14:05 IST" (Hindi month names on Hindi
    pages)."""
    if moment is None:
        return "—"
    local = moment.astimezone(INDIA_TIMEZONE)
    return f"{day(context, local)}, {local:%H:%M} IST"


@pass_context
def india_day(context: Context, moment: datetime | None) -> str:
    """The day an instant falls on in India ("12 Mar 2026")."""
    return "—" if moment is None else day(context, moment.astimezone(INDIA_TIMEZONE))


def percent(value: float | None, digits: int = 1) -> str:
    """A share as a percentage: 0.125 → "12.5%"."""
    if value is None:
        return "—"
    return f"{value * 100:.{digits}f}%"


@pass_context
def sector_name(context: Context, code: str | None) -> str:
    """A sector's name in the page's language (its code when unknown)."""
    sector = get_sector(code) if code else None
    if sector is None:
        return code or "—"
    return sector.name_hi if _lang(context) == "hi" else sector.name


@pass_context
def options(context: Context, values: Iterable[str], prefix: str) -> list[tuple[str, str]]:
    """`(value, label)` pairs for a select, each label the text `prefix.value`."""
    lang = _lang(context)
    return [(str(value), text(f"{prefix}.{value}", lang)) for value in values]


@pass_context
def sector_options(context: Context, sectors: Iterable[Sector]) -> list[tuple[str, str]]:
    """`(code, name)` pairs of sectors, named in the page's language."""
    hindi = _lang(context) == "hi"
    return [(sector.code, sector.name_hi if hindi else sector.name) for sector in sectors]


@pass_context
def state_name(context: Context, name: str | None) -> str:
    """A state's name in the page's language (stored and submitted names stay English)."""
    return state_name_in(name, _lang(context)) if name else "—"


@pass_context
def state_options(context: Context, names: Iterable[str]) -> list[tuple[str, str]]:
    """`(English name, name in the page's language)` pairs for a state select."""
    lang = _lang(context)
    return [(name, state_name_in(name, lang)) for name in names]


@pass_context
def evidence(context: Context, found: MarketEvidenceRead) -> str:
    """What set a valuation's multiple, in the page's language (the report's own wording)."""
    return evidence_sentence(found, _lang(context))


def profile_options(profiles: Iterable[MsmeRead]) -> list[tuple[str, str]]:
    """`(id, name)` pairs of an owner's business profiles."""
    return [(str(profile.id), profile.trade_name or profile.legal_name) for profile in profiles]


def pairs(values: Iterable[str]) -> list[tuple[str, str]]:
    """`(value, value)` pairs for a select whose labels are the values (state names)."""
    return [(value, value) for value in values]


@pass_context
def translate(context: Context, key: str, **params: Any) -> str:
    """`t("key")`: the text in the page's language."""
    return text(key, _lang(context), **params)


def check_outcome_class(outcome: str) -> str:
    """The CSS class of an automatic identifier check's outcome."""
    return {"pass": "ok", "fail": "bad"}.get(outcome, "muted")


def build_environment() -> Environment:
    """The portal's Jinja2 environment: autoescaped, strict about undefined names, cached."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html", "svg"], default=True),
        undefined=StrictUndefined,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        inr=inr,
        inr_full=inr_full,
        band=band,
        day=day,
        india_moment=india_moment,
        india_day=india_day,
        percent=percent,
        sector_name=sector_name,
        options=options,
        sector_options=sector_options,
        state_name=state_name,
        state_options=state_options,
        evidence=evidence,
        pairs=pairs,
        profile_options=profile_options,
        check_class=check_outcome_class,
    )
    environment.globals.update(t=translate, static_url=static_url)
    return environment


ENVIRONMENT: Final = build_environment()


def render_template(name: str, context: dict[str, Any]) -> str:
    """Render one template with `context` (which must hold `lang`)."""
    return ENVIRONMENT.get_template(name).render(context)
