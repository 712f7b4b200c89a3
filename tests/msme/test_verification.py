"""The automatic identifier checks shown in the admins' verification queue."""

from __future__ import annotations

import uuid
from typing import Any

from msmebazaar.msme.schemas import MsmeRead
from msmebazaar.msme.service import identifier_checks
from msmebazaar.shared.db import utcnow
from tests.msme.factories import gstin_for, new_pan, profile_payload


def _profile(**overrides: Any) -> MsmeRead:
    now = utcnow()
    return MsmeRead.model_validate(
        profile_payload(**overrides)
        | {
            "id": uuid.uuid4(),
            "owner_id": uuid.uuid4(),
            "classification": "micro",
            "verification_status": "pending",
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
    )


def _outcomes(profile: MsmeRead) -> dict[str, str]:
    return {check.check.value: check.outcome.value for check in identifier_checks(profile)}


def test_a_consistent_profile_passes_every_check() -> None:
    assert set(_outcomes(_profile()).values()) == {"pass"}


def test_a_gstin_holding_another_pan_fails_the_pan_match() -> None:
    profile = _profile(gstin=gstin_for(new_pan(), "27"), pan=new_pan())

    assert _outcomes(profile)["pan_match"] == "fail"
    assert _outcomes(profile)["gstin_checksum"] == "pass"


def test_a_bad_check_character_fails_every_gstin_check() -> None:
    good = gstin_for(new_pan(), "27")
    bad = good[:-1] + ("A" if good[-1] != "A" else "B")

    outcomes = _outcomes(_profile(gstin=bad))

    assert [outcomes[name] for name in ("gstin_checksum", "pan_match", "state_match")] == [
        "fail",
        "fail",
        "fail",
    ]


def test_special_gst_codes_fit_any_state_and_missing_identifiers_are_marked() -> None:
    pan = new_pan()
    profile = _profile(gstin=gstin_for(pan, "97"), pan=None, udyam_number="UDYAM-XX-26-0000001")

    outcomes = _outcomes(profile)

    assert outcomes == {
        "gstin_checksum": "pass",
        "pan_match": "missing",
        "state_match": "pass",
        "udyam_format": "fail",
    }
