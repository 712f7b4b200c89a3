"""GSTIN, PAN and Udyam checked as the owner types, each failure explained in plain words.

The rules are the shared ones (`shared/india.py`); this module only words their verdicts for a
person, in English or Hindi, naming what to look at on the certificate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from msmebazaar.shared.india import (
    PAN_HOLDER_TYPES,
    InvalidIdentifier,
    check_gstin_consistency,
    get_state,
    state_for_gst_code,
    validate_gstin,
    validate_pan,
    validate_udyam,
)
from msmebazaar.web.texts import text

CHECKED_FIELDS: Final = ("gstin", "pan", "udyam_number")
MAX_CHECKED_CHARS: Final = 40


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the page says under a field: fine or not, and why, in the page's language."""

    ok: bool
    message: str


def _gstin(value: str, pan: str | None, state: str | None, lang: str) -> Verdict:
    try:
        gstin = validate_gstin(value)
    except InvalidIdentifier as exc:
        cleaned = value.strip().upper()
        key = f"id.gstin.{exc.rule or 'invalid'}"
        return Verdict(False, text(key, lang, length=len(cleaned), prefix=cleaned[:2]))
    failures = check_gstin_consistency(
        gstin, _valid_pan(pan), state if get_state(state or "") else None
    )
    if "GSTIN_PAN_MISMATCH" in failures:
        return Verdict(False, text("id.gstin.pan_mismatch", lang, embedded=gstin[2:12]))
    if "GSTIN_STATE_MISMATCH" in failures:
        home = state_for_gst_code(gstin[:2])
        return Verdict(
            False,
            text(
                "id.gstin.state_mismatch",
                lang,
                code=gstin[:2],
                gst_state=home.name if home else gstin[:2],
                state=state or "",
            ),
        )
    home = state_for_gst_code(gstin[:2])
    return Verdict(True, text("id.gstin.ok", lang, gst_state=home.name if home else gstin[:2]))


def _valid_pan(pan: str | None) -> str | None:
    if not pan:
        return None
    try:
        return validate_pan(pan)
    except InvalidIdentifier:
        return None


def _pan(value: str, lang: str) -> Verdict:
    try:
        pan = validate_pan(value)
    except InvalidIdentifier:
        cleaned = value.strip().upper()
        if len(cleaned) != 10:
            return Verdict(False, text("id.pan.length", lang, length=len(cleaned)))
        if cleaned[3:4] and cleaned[3] not in PAN_HOLDER_TYPES:
            return Verdict(False, text("id.pan.holder", lang, letter=cleaned[3]))
        return Verdict(False, text("id.pan.pattern", lang))
    holder = text(f"pan_holder.{PAN_HOLDER_TYPES[pan[3]]}", lang)
    return Verdict(True, text("id.pan.ok", lang, holder=holder))


def _udyam(value: str, lang: str) -> Verdict:
    try:
        validate_udyam(value)
    except InvalidIdentifier as exc:
        cleaned = value.strip().upper()
        return Verdict(False, text(f"id.udyam.{exc.rule or 'format'}", lang, code=cleaned[6:8]))
    return Verdict(True, text("id.udyam.ok", lang))


def explain(
    field: str, value: str | None, *, pan: str | None, state: str | None, lang: str
) -> Verdict | None:
    """The verdict on one identifier field; None when it is empty (they are optional)."""
    if not value or not value.strip():
        return None
    value = value[:MAX_CHECKED_CHARS]
    if field == "gstin":
        return _gstin(value, pan, state, lang)
    if field == "pan":
        return _pan(value, lang)
    if field == "udyam_number":
        return _udyam(value, lang)
    return None
