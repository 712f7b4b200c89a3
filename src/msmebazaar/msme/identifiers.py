"""Checks of a profile's identifiers, state and sector, each failure with its own code and field.

Runs on the profile as it would be stored (for an update: stored values merged with the change),
so cross-checks such as the GSTIN's state against the business's state always see both sides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from msmebazaar.msme.sectors import get_sector
from msmebazaar.shared.exceptions import ValidationError
from msmebazaar.shared.india import (
    InvalidIdentifier,
    check_gstin_consistency,
    get_state,
    validate_cin,
    validate_gstin,
    validate_pan,
    validate_pincode,
    validate_udyam,
)

_VALIDATORS = {
    "gstin": validate_gstin,
    "pan": validate_pan,
    "udyam_number": validate_udyam,
    "cin": validate_cin,
    "pincode": validate_pincode,
}
_MISMATCH_MESSAGES = {
    "GSTIN_PAN_MISMATCH": "The PAN inside this GSTIN (characters 3 to 12) is not the PAN given.",
    "GSTIN_STATE_MISMATCH": "This GSTIN's state code (its first two digits) is not the state "
    "given for the business.",
}


@dataclass(frozen=True, slots=True)
class FieldFailure:
    field: str
    code: str
    message: str


def _normalise_identifiers(values: dict[str, Any], failures: list[FieldFailure]) -> None:
    for field, validate in _VALIDATORS.items():
        raw = values.get(field)
        if raw is None:
            continue
        try:
            values[field] = validate(raw)
        except InvalidIdentifier as exc:
            failures.append(FieldFailure(field, exc.code, exc.message))


def _normalise_state_and_sector(values: dict[str, Any], failures: list[FieldFailure]) -> None:
    state = get_state(values["state"])
    if state is None:
        message = "Unknown state or union territory; use its full name, e.g. Maharashtra."
        failures.append(FieldFailure("state", "STATE_UNKNOWN", message))
    else:
        values["state"] = state.name
    if get_sector(values["sector"]) is None:
        message = "Unknown sector; use a code from GET /api/v1/msmes/sectors."
        failures.append(FieldFailure("sector", "SECTOR_UNKNOWN", message))


def _cross_check_gstin(values: dict[str, Any], failures: list[FieldFailure]) -> None:
    gstin = values.get("gstin")
    if gstin is None or any(f.field in {"gstin", "pan", "state"} for f in failures):
        return
    if values.get("pan") is None:
        values["pan"] = gstin[2:12]  # a GSTIN carries its holder's PAN
    for code in check_gstin_consistency(gstin, values["pan"], values["state"]):
        failures.append(FieldFailure("gstin", code, _MISMATCH_MESSAGES[code]))


def check_profile_fields(values: dict[str, Any]) -> dict[str, Any]:
    """Normalise and check a profile's fields; raise 422 naming every field that fails.

    One failure answers with its own code (e.g. `GSTIN_PAN_MISMATCH`); several with
    `VALIDATION_ERROR` listing each. Returns the values with canonical spellings.
    """
    values = dict(values)
    failures: list[FieldFailure] = []
    _normalise_identifiers(values, failures)
    _normalise_state_and_sector(values, failures)
    _cross_check_gstin(values, failures)
    if not failures:
        return values
    details = [{"field": f.field, "message": f.message} for f in failures]
    if len(failures) == 1:
        raise ValidationError(failures[0].message, code=failures[0].code, details=details)
    message = "Some fields are invalid: " + ", ".join(f.field for f in failures)
    raise ValidationError(message, details=details)
