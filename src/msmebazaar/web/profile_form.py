"""The business profile form: reading it into the msme schemas, and its choices."""

from __future__ import annotations

from typing import Any, Final

from starlette.datastructures import FormData

from msmebazaar.msme.schemas import LegalForm, MsmeRead
from msmebazaar.msme.service import FIGURE_NAMES
from msmebazaar.shared.india import fiscal_years_back, format_inr, india_today
from msmebazaar.web.context import Visit
from msmebazaar.web.forms import amount_field, int_field, text_field
from msmebazaar.web.identifiers import CHECKED_FIELDS, explain

TEXT_FIELDS: Final = (
    "legal_name",
    "trade_name",
    "legal_form",
    "gstin",
    "pan",
    "udyam_number",
    "cin",
    "sector",
    "sub_sector",
    "description",
    "products",
    "state",
    "city",
    "pincode",
    "website",
)
FISCAL_YEARS_OFFERED: Final = 6


def profile_values(visit: Visit, form: FormData) -> tuple[dict[str, Any], dict[str, str]]:
    """The profile fields as typed (blank ones as None) and the errors of unreadable numbers."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {name: text_field(form, name) for name in TEXT_FIELDS}
    for name in ("gstin", "pan", "udyam_number", "cin"):
        if values[name]:
            values[name] = values[name].upper()
    values["year_established"] = int_field(visit, form, "year_established", errors)
    values["employees"] = int_field(visit, form, "employees", errors)
    values["investment_in_plant_machinery"] = amount_field(
        visit, form, "investment_in_plant_machinery", errors
    )
    return values, errors


def identifier_errors(visit: Visit, values: dict[str, Any]) -> dict[str, str]:
    """Plain-words explanations of the identifiers that fail the shared rules."""
    errors: dict[str, str] = {}
    for field in CHECKED_FIELDS:
        verdict = explain(
            field,
            values.get(field),
            pan=values.get("pan"),
            state=values.get("state"),
            lang=visit.language,
        )
        if verdict is not None and not verdict.ok:
            errors[field] = verdict.message
    return errors


def form_values(profile: MsmeRead | None) -> dict[str, str]:
    """What the form shows: a stored profile's fields as text, or blanks for a new one."""
    if profile is None:
        return {"legal_form": LegalForm.PROPRIETORSHIP.value}
    stored = profile.model_dump(mode="json")
    shown = {name: str(value) for name, value in stored.items() if value is not None}
    if profile.investment_in_plant_machinery is not None:
        shown["investment_in_plant_machinery"] = amount_text(profile.investment_in_plant_machinery)
    return shown


def typed_values(form: FormData) -> dict[str, str]:
    """The form's fields exactly as typed, to show it again with its errors."""
    return {name: value for name, value in form.items() if isinstance(value, str)}


def amount_text(amount: int) -> str:
    """Rupees as an owner would type them back: "1,80,00,000"."""
    return format_inr(amount).replace("₹", "")


def financial_values(visit: Visit, form: FormData) -> tuple[dict[str, int | None], dict[str, str]]:
    """A fiscal year's figures typed as "45 lakh" or "1,20,000"."""
    errors: dict[str, str] = {}
    return {name: amount_field(visit, form, name, errors) for name in FIGURE_NAMES}, errors


def fiscal_years() -> list[str]:
    """The fiscal years an owner may enter, newest first ("2025-26", "2024-25", …); the first
    is the one still in progress in India."""
    return fiscal_years_back(india_today(), FISCAL_YEARS_OFFERED)
