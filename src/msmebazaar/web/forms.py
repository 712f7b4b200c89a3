"""Forms: the CSRF check every POST passes, reading typed values from form fields, and each
failure explained in the page's language next to its field."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Final
from urllib.parse import urlsplit

import pydantic
from fastapi import Depends, Request
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import ClientDisconnect

from msmebazaar.auth.service import signer_of
from msmebazaar.shared.exceptions import AppError, BadRequestError, PermissionDeniedError
from msmebazaar.shared.india import InvalidIdentifier, parse_inr_amount
from msmebazaar.web.context import Visit, VisitDep
from msmebazaar.web.security import CSRF_FIELD, CSRF_HEADER
from msmebazaar.web.texts import has_text

MAX_FORM_FIELDS: Final = 200


class CsrfFailedError(PermissionDeniedError):
    default_code = "CSRF_FAILED"
    default_message = "This form has expired or did not come from this site. Reload and retry."


def _same_origin(request: Request, visit: Visit) -> bool:
    """A browser's `Origin` (sent with every form POST) must be this site, when present."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    ours = {f"{request.url.scheme}://{request.url.netloc}"}
    public = urlsplit(visit.settings.app.public_base_url)
    ours.add(f"{public.scheme}://{public.netloc}")
    return origin in ours


class MalformedFormError(BadRequestError):
    default_code = "MALFORMED_FORM"
    default_message = "This form could not be read. Go back, reload the page and try again."


async def read_form(request: Request) -> FormData:
    """The request's form, within the portal's limits (one file, `MAX_FORM_FIELDS` fields);
    400 `MALFORMED_FORM` for anything a form parser refuses: a multipart body without a
    boundary, too many fields, a second file, broken encoding."""
    try:
        return await request.form(max_files=1, max_fields=MAX_FORM_FIELDS)
    except (MultiPartException, StarletteHTTPException, ClientDisconnect, ValueError) as exc:
        # Starlette turns a parser's refusal into a 400 HTTPException; a body cut short (a 408
        # or 413 answered already) is a disconnect. Neither is our fault, so neither is a 500.
        raise MalformedFormError() from exc


async def checked_form(request: Request, visit: VisitDep) -> FormData:
    """The POSTed form, after the CSRF token (field or `X-CSRF-Token` header) and the origin
    are checked; 403 `CSRF_FAILED` otherwise."""
    form = await read_form(request)
    token = form.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = request.headers.get(CSRF_HEADER)
    session_id = visit.viewer.session_id if visit.viewer else None
    valid = signer_of(visit.runtime).csrf_valid(token, visit.csrf_cookie, session_id)
    if not valid or not _same_origin(request, visit):
        raise CsrfFailedError()
    return form


FormDep = Annotated[FormData, Depends(checked_form)]


class FormErrors(Exception):  # noqa: N818 - carries field messages back to the form
    """Some fields could not be read: `fields` maps a field to its message (already worded)."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        super().__init__(", ".join(fields))
        self.fields = dict(fields)


def text_field(form: FormData, name: str) -> str | None:
    """A text field, stripped; None when absent or blank."""
    value = form.get(name)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def file_field(form: FormData, name: str) -> UploadFile | None:
    """An uploaded file, or None when none was chosen."""
    value = form.get(name)
    if isinstance(value, UploadFile) and value.filename:
        return value
    return None


def amount_field(visit: Visit, form: FormData, name: str, errors: dict[str, str]) -> int | None:
    """Rupees typed as "45 lakh", "2.5 crore" or "12,50,000" (shared rules); a message in
    `errors` when unreadable."""
    raw = text_field(form, name)
    if raw is None:
        return None
    try:
        return parse_inr_amount(raw)
    except InvalidIdentifier:
        errors[name] = visit.t("form.amount_invalid")
        return None


def int_field(visit: Visit, form: FormData, name: str, errors: dict[str, str]) -> int | None:
    """A whole number, or a message in `errors`."""
    raw = text_field(form, name)
    if raw is None:
        return None
    cleaned = raw.replace(",", "")
    if not cleaned.lstrip("-").isdigit() or len(cleaned) > 18:
        errors[name] = visit.t("form.number_invalid")
        return None
    return int(cleaned)


def float_field(visit: Visit, form: FormData, name: str, errors: dict[str, str]) -> float | None:
    """A decimal number ("26", "12.5"), or a message in `errors`."""
    raw = text_field(form, name)
    if raw is None:
        return None
    try:
        value = float(raw.replace(",", "").rstrip("%"))
    except ValueError:
        errors[name] = visit.t("form.number_invalid")
        return None
    if not math.isfinite(value):
        errors[name] = visit.t("form.number_invalid")
        return None
    return value


def checked_values(form: FormData, name: str, allowed: Iterable[str]) -> list[str]:
    """The values of a multi-choice field that are among `allowed` (others are ignored)."""
    choices = set(allowed)
    return [value for value in form.getlist(name) if isinstance(value, str) and value in choices]


_PYDANTIC_TEXTS: Final = {
    "missing": "form.required",
    "string_too_short": "form.too_short",
    "string_too_long": "form.too_long",
    "greater_than": "form.too_small",
    "greater_than_equal": "form.too_small",
    "less_than": "form.too_large",
    "less_than_equal": "form.too_large",
    "enum": "form.choose",
    "literal_error": "form.choose",
    "string_pattern_mismatch": "form.pattern",
    "int_type": "form.number_invalid",
    "int_parsing": "form.number_invalid",
    "float_parsing": "form.number_invalid",
    "value_error": "form.invalid",
    "uuid_parsing": "form.choose",
    "too_long": "form.too_many",
}


def schema_errors(visit: Visit, error: pydantic.ValidationError) -> dict[str, str]:
    """A schema's validation errors as `{field: message}` in the visitor's language."""
    fields: dict[str, str] = {}
    for item in error.errors():
        location = [str(part) for part in item.get("loc", ())]
        name = location[0] if location else "form"
        key = _PYDANTIC_TEXTS.get(str(item.get("type")), "form.invalid")
        if "input" in item and item["input"] is None and item.get("type") != "value_error":
            key = "form.required"  # a blank field the schema needs
        context = item.get("ctx") or {}
        params = {
            "min": context.get("min_length", context.get("ge", context.get("gt", ""))),
            "max": context.get("max_length", context.get("le", context.get("lt", ""))),
        }
        fields.setdefault(name, visit.t(key, **params))
    return fields


def error_message(visit: Visit, error: AppError) -> str:
    """A service's error in the visitor's language: our own wording of its code when we have
    one, else the service's message."""
    key = f"error.{error.code}"
    if has_text(key):
        return visit.t(key)
    return (
        error.message if visit.language == "en" else f"{visit.t('error.generic')} {error.message}"
    )


def app_error_fields(visit: Visit, error: AppError) -> dict[str, str]:
    """A service's 4xx as `{field: message}` (from its `details`), else one general message."""
    details = error.details if isinstance(error.details, list) else []
    fields: dict[str, str] = {}
    for item in details:
        if isinstance(item, dict) and isinstance(item.get("field"), str):
            field = str(item["field"]).split(".")[0]
            fields.setdefault(field, _detail_message(visit, error, item))
    if not fields:
        fields["form"] = error_message(visit, error)
    return fields


def _detail_message(visit: Visit, error: AppError, item: Mapping[str, Any]) -> str:
    if len(error.details) == 1:
        return error_message(visit, error)
    return str(item.get("message") or error.message)
