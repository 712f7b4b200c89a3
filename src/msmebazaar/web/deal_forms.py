"""The deal page's forms read into msme's schemas: a message, an offer (amounts in lakh and
crore, its last day as a date), closing; each failure worded in the page's language."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, Final

import pydantic
from starlette.datastructures import FormData

from msmebazaar.msme.schemas import MESSAGE_MAX_CHARS, OFFER_MAX_DAYS, DealClose
from msmebazaar.shared.db import utcnow
from msmebazaar.shared.exceptions import AppError
from msmebazaar.shared.india import INDIA_TIMEZONE, india_today
from msmebazaar.web.context import Visit
from msmebazaar.web.forms import (
    amount_field,
    app_error_fields,
    float_field,
    schema_errors,
    text_field,
)

# `MessageCreate` decides; the page checks first only to say it in the visitor's language.
MESSAGE_MAX: Final = MESSAGE_MAX_CHARS
OFFER_DAYS_DEFAULT: Final = 30
# A service's refusal of an offer's field, in our words (its own message is English only).
_OFFER_FIELD_TEXTS: Final = {
    "valid_until": "offer_form.valid_until_range",
    "stake_percent": "offer_form.stake_range",
    "amount": "offer_form.amount_positive",
}


def default_values() -> dict[str, str]:
    """What the deal page's forms start with: an offer valid for 30 days."""
    return {"valid_until": (india_today() + timedelta(days=OFFER_DAYS_DEFAULT)).isoformat()}


def message_body(visit: Visit, form: FormData) -> tuple[str, str, dict[str, str]]:
    """The message as typed, as sent (stripped), and why it cannot be sent, if it cannot."""
    raw = form.get("body")
    typed = raw if isinstance(raw, str) else ""
    body = typed.strip()
    if not body:
        return typed, body, {"body": visit.t("form.required")}
    if len(body) > MESSAGE_MAX:
        return typed, body, {"body": visit.t("form.too_long", max=MESSAGE_MAX)}
    return typed, body, {}


def _valid_until(visit: Visit, form: FormData, errors: dict[str, str]) -> datetime | None:
    """The offer's last day (a date field) as the end of that day in India; on the last day
    allowed, the moment the allowance ends (the end of that day would be past it)."""
    raw = text_field(form, "valid_until")
    if raw is None:
        return None
    try:
        day = date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        day = None
    if day is None:
        errors["valid_until"] = visit.t("offer_form.date_invalid")
        return None
    end_of_day = datetime.combine(day, time(23, 59, 59), tzinfo=INDIA_TIMEZONE)
    limit = utcnow() + timedelta(days=OFFER_MAX_DAYS)
    if day == limit.astimezone(INDIA_TIMEZONE).date():
        return min(end_of_day, limit)
    return end_of_day  # a later day is the service's to refuse


def offer_fields(
    visit: Visit, form: FormData, *, stake_needed: bool
) -> tuple[dict[str, Any], dict[str, str]]:
    """The offer as typed (`OfferCreate`'s fields), and what is missing or unreadable in it;
    a stake is read only when the listing's deal type needs one."""
    errors: dict[str, str] = {}
    fields: dict[str, Any] = {
        "amount": amount_field(visit, form, "amount", errors),
        "stake_percent": float_field(visit, form, "stake_percent", errors)
        if stake_needed
        else None,
        "terms": text_field(form, "terms"),
        "valid_until": _valid_until(visit, form, errors),
    }
    if fields["amount"] is not None and fields["amount"] <= 0:
        errors["amount"] = visit.t("offer_form.amount_positive")
    stake = fields["stake_percent"]
    if stake is not None and not 0 < stake <= 100:
        errors["stake_percent"] = visit.t("offer_form.stake_range")
    if stake_needed and stake is None:
        errors.setdefault("stake_percent", visit.t("error.STAKE_PERCENT_REQUIRED"))
    for name in ("amount", "terms", "valid_until"):
        if fields[name] is None:
            errors.setdefault(name, visit.t("form.required"))
    return fields, errors


def offer_refusal(visit: Visit, exc: AppError) -> dict[str, str]:
    """A service's refusal of an offer, each field's in our words."""
    fields = app_error_fields(visit, exc)
    if exc.code != "VALIDATION_ERROR":
        return fields
    return {
        name: visit.t(_OFFER_FIELD_TEXTS[name]) if name in _OFFER_FIELD_TEXTS else message
        for name, message in fields.items()
    }


def closing(visit: Visit, form: FormData) -> tuple[DealClose | None, dict[str, str]]:
    """How the deal ended and why, or what is missing."""
    outcome = text_field(form, "outcome")
    try:
        data = DealClose.model_validate({"outcome": outcome, "reason": text_field(form, "reason")})
    except pydantic.ValidationError as exc:
        errors = schema_errors(visit, exc)
        if outcome is None:  # a choice of two, not a field to fill in
            errors["outcome"] = visit.t("form.choose")
        return None, errors
    return data, {}
