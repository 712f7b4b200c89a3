"""Tests for msmebazaar.shared.india: identifiers, states, rupees, India time, fiscal years."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from msmebazaar.shared.india import (
    CRORE,
    GST_SPECIAL_CODES,
    INDIA_UTC_OFFSET,
    LAKH,
    STATE_NAMES,
    STATES,
    UDYAM_STATE_CODES,
    VALID_GST_STATE_CODES,
    InvalidIdentifier,
    check_gstin_consistency,
    fiscal_year_of,
    fiscal_year_start,
    fiscal_years_back,
    format_inr,
    format_inr_short,
    get_state,
    gstin_pan,
    gstin_state_code,
    india_date,
    india_day_start,
    mask_phone,
    normalize_indian_mobile,
    pan_holder_type,
    parse_fiscal_year,
    parse_inr_amount,
    previous_fiscal_year,
    state_for_gst_code,
    validate_cin,
    validate_gstin,
    validate_pan,
    validate_pincode,
    validate_udyam,
)

STATE_COUNT = 28
UT_COUNT = 8

# Check characters below were computed once with stdnum.luhn (Luhn mod 36) and hard-coded.
GSTIN_MH = "27AAPFU0939F1ZV"  # python-stdnum's own documented example
GSTIN_LADAKH = "38AAPFU0939F1ZS"
GSTIN_OTHER_TERRITORY = "97AAPFU0939F1ZO"
GSTIN_CENTRE = "99AAPFU0939F1ZK"
GSTIN_AP_NEW = "37ABCPE1234F1ZA"
GSTIN_AP_OLD = "28ABCPE1234F1Z9"
GSTIN_DNHDD = "26ABCPE1234F1ZD"
GSTIN_DAMAN_OLD = "25ABCPE1234F1ZF"


# --------------------------------------------------------------------------- errors


def test_invalid_identifier_is_value_error_with_code_and_message() -> None:
    err = InvalidIdentifier("PAN_INVALID", "bad PAN")
    assert isinstance(err, ValueError)
    assert err.code == "PAN_INVALID"
    assert err.message == "bad PAN"
    assert str(err) == "bad PAN"


# --------------------------------------------------------------------------- mobiles


@pytest.mark.parametrize(
    "raw",
    [
        "98765 43210",
        "+91-98765-43210",
        "098765 43210",
        "919876543210",
        "+919876543210",
        "9876543210",
        "0091 98765 43210",
        " (0) 98765-43210 ",
    ],
)
def test_normalize_indian_mobile_accepts_common_spellings(raw: str) -> None:
    assert normalize_indian_mobile(raw) == "+919876543210"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("022 2345 6789", "landline"),
        ("+91 11 2345 6789", "landline"),
        ("+1 650 253 0000", "Indian mobile"),
        ("+44 7911 123456", "Indian mobile"),
        ("12345", "Indian mobile"),
        ("98765 4321O", "only digits"),
        ("call me", "only digits"),
        ("", "only digits"),
        ("+", "not a phone number"),
    ],
)
def test_normalize_indian_mobile_rejects(raw: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier, match=reason) as exc_info:
        normalize_indian_mobile(raw)
    assert exc_info.value.code == "PHONE_INVALID"


@pytest.mark.parametrize(
    ("e164", "masked"),
    [
        ("+919876543210", "+91******3210"),
        ("+14155550100", "********0100"),
        ("123", "***"),
    ],
)
def test_mask_phone(e164: str, masked: str) -> None:
    assert mask_phone(e164) == masked


# --------------------------------------------------------------------------- states


def test_states_table_has_28_states_and_8_uts() -> None:
    kinds = [s.kind for s in STATES]
    assert kinds.count("state") == STATE_COUNT
    assert kinds.count("ut") == UT_COUNT
    assert len(set(STATE_NAMES)) == STATE_COUNT + UT_COUNT
    assert list(STATE_NAMES) == sorted(STATE_NAMES)


def test_gst_codes_are_unique_and_cover_01_to_38() -> None:
    codes = [c for s in STATES for c in s.gst_codes]
    assert len(codes) == len(set(codes))
    assert set(codes) == {f"{n:02d}" for n in range(1, 39)}
    assert set(codes) | {"97", "99"} == VALID_GST_STATE_CODES


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Maharashtra", "Maharashtra"),
        ("  tamil   NADU ", "Tamil Nadu"),
        ("Orissa", "Odisha"),
        ("Pondicherry", "Puducherry"),
        ("NCT of Delhi", "Delhi"),
        ("New Delhi", "Delhi"),
        ("J&K", "Jammu and Kashmir"),
        ("Jammu & Kashmir", "Jammu and Kashmir"),
        ("Andaman & Nicobar Islands", "Andaman and Nicobar Islands"),
        ("Daman and Diu", "Dadra and Nagar Haveli and Daman and Diu"),
        ("Uttaranchal", "Uttarakhand"),
    ],
)
def test_get_state_tolerates_case_spacing_and_aliases(name: str, expected: str) -> None:
    state = get_state(name)
    assert state is not None
    assert state.name == expected


@pytest.mark.parametrize("name", ["Atlantis", "", "California"])
def test_get_state_unknown(name: str) -> None:
    assert get_state(name) is None


@pytest.mark.parametrize(
    ("code", "name", "kind"),
    [
        ("01", "Jammu and Kashmir", "ut"),
        ("04", "Chandigarh", "ut"),
        ("07", "Delhi", "ut"),
        ("7", "Delhi", "ut"),
        ("25", "Dadra and Nagar Haveli and Daman and Diu", "ut"),
        ("26", "Dadra and Nagar Haveli and Daman and Diu", "ut"),
        ("27", "Maharashtra", "state"),
        ("28", "Andhra Pradesh", "state"),
        ("37", "Andhra Pradesh", "state"),
        ("31", "Lakshadweep", "ut"),
        ("34", "Puducherry", "ut"),
        ("35", "Andaman and Nicobar Islands", "ut"),
        ("36", "Telangana", "state"),
        (" 38 ", "Ladakh", "ut"),
    ],
)
def test_state_for_gst_code(code: str, name: str, kind: str) -> None:
    state = state_for_gst_code(code)
    assert state is not None
    assert (state.name, state.kind) == (name, kind)


@pytest.mark.parametrize("code", ["97", "99", "00", "39", "XX", ""])
def test_state_for_gst_code_without_state(code: str) -> None:
    assert state_for_gst_code(code) is None


def test_primary_gst_code_is_current_code() -> None:
    andhra = get_state("Andhra Pradesh")
    dnhdd = get_state("Dadra and Nagar Haveli and Daman and Diu")
    assert andhra is not None
    assert dnhdd is not None
    assert (andhra.primary_gst_code, dnhdd.primary_gst_code) == ("37", "26")


# --------------------------------------------------------------------------- GSTIN


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (GSTIN_MH, GSTIN_MH),
        (" 27aapfu0939f1zv ", GSTIN_MH),
        (GSTIN_LADAKH, GSTIN_LADAKH),
        (GSTIN_OTHER_TERRITORY, GSTIN_OTHER_TERRITORY),
        (GSTIN_CENTRE, GSTIN_CENTRE),
        (GSTIN_AP_NEW, GSTIN_AP_NEW),
        (GSTIN_AP_OLD, GSTIN_AP_OLD),
        (GSTIN_DNHDD, GSTIN_DNHDD),
        (GSTIN_DAMAN_OLD, GSTIN_DAMAN_OLD),
        ("29AABCT1332L1ZA", "29AABCT1332L1ZA"),
        ("36AAGCA4925HAZG", "36AAGCA4925HAZG"),  # entity code may be a letter
    ],
)
def test_validate_gstin_accepts(raw: str, expected: str) -> None:
    assert validate_gstin(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("27AAPFU0939F1Z", "15 characters"),
        ("27AAPFU0939F1ZVV", "15 characters"),
        ("", "15 characters"),
        ("00AAPFU0939F1ZB", "not a GST state code"),  # check char is right for 00
        ("39AAPFU0939F1ZQ", "not a GST state code"),
        ("40AAPFU0939F1Z7", "not a GST state code"),
        ("AB" + "AAPFU0939F1ZV", "not a GST state code"),
        ("27AAPXU0939F1ZU", "PAN"),  # X is not a PAN holder type
        ("2712345678901ZV", "PAN"),
        ("27AAPFU0939F0ZW", "character 13"),
        ("27AAPFU0939F1AA", "character 14"),
        ("27AAPFU0939F1ZO", "check character"),
        ("27AAPFU0939F1Z-", "check character"),
    ],
)
def test_validate_gstin_rejects_with_specific_message(raw: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier, match=reason) as exc_info:
        validate_gstin(raw)
    assert exc_info.value.code == "GSTIN_INVALID"


def test_gstin_parts() -> None:
    assert gstin_state_code(" 27aapfu0939f1zv") == "27"
    assert gstin_pan(GSTIN_MH) == "AAPFU0939F"
    with pytest.raises(InvalidIdentifier):
        gstin_pan("27AAPFU0939F1ZO")


@pytest.mark.parametrize(
    ("gstin", "pan", "state", "failures"),
    [
        (GSTIN_MH, "AAPFU0939F", "Maharashtra", []),
        (GSTIN_MH, " aapfu0939f ", "maharashtra", []),
        (GSTIN_MH, None, None, []),
        (GSTIN_MH, "ABCPE1234F", None, ["GSTIN_PAN_MISMATCH"]),
        ("29AABCT1332L1ZA", None, "Maharashtra", ["GSTIN_STATE_MISMATCH"]),
        (
            "29AABCT1332L1ZA",
            "AAPFU0939F",
            "Maharashtra",
            ["GSTIN_PAN_MISMATCH", "GSTIN_STATE_MISMATCH"],
        ),
        ("29AABCT1332L1ZA", None, "Atlantis", ["GSTIN_STATE_MISMATCH"]),
        (GSTIN_AP_NEW, "ABCPE1234F", "Andhra Pradesh", []),
        (GSTIN_AP_OLD, "ABCPE1234F", "Andhra Pradesh", []),
        (GSTIN_AP_OLD, None, "Telangana", ["GSTIN_STATE_MISMATCH"]),
        (GSTIN_DNHDD, None, "Dadra and Nagar Haveli and Daman and Diu", []),
        (GSTIN_DAMAN_OLD, None, "Dadra & Nagar Haveli and Daman & Diu", []),
        (GSTIN_LADAKH, None, "Ladakh", []),
        (GSTIN_LADAKH, None, "Jammu and Kashmir", ["GSTIN_STATE_MISMATCH"]),
        (GSTIN_CENTRE, None, "Kerala", []),
        (GSTIN_CENTRE, None, "Atlantis", []),
        (GSTIN_OTHER_TERRITORY, None, "Delhi", []),
    ],
)
def test_check_gstin_consistency(
    gstin: str, pan: str | None, state: str | None, failures: list[str]
) -> None:
    assert check_gstin_consistency(gstin, pan, state) == failures


def test_check_gstin_consistency_requires_valid_gstin() -> None:
    with pytest.raises(InvalidIdentifier) as exc_info:
        check_gstin_consistency("27AAPFU0939F1ZO", "AAPFU0939F", "Maharashtra")
    assert exc_info.value.code == "GSTIN_INVALID"


_PAN_TYPES = "ABCFGHLJPTK"
_ALNUM36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_pans = st.builds(
    lambda head, kind, initial, serial, last: f"{head}{kind}{initial}{serial:04d}{last}",
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3),
    st.sampled_from(_PAN_TYPES),
    st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    st.integers(min_value=0, max_value=9999),
    st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
)


@given(
    pan=_pans,
    state_code=st.sampled_from(sorted(VALID_GST_STATE_CODES)),
    entity=st.sampled_from(_ALNUM36[1:]),
)
def test_property_gstin_built_from_parts_validates(pan: str, state_code: str, entity: str) -> None:
    body = f"{state_code}{pan}{entity}Z"
    gstin = body + luhn.calc_check_digit(body, _ALNUM36)
    assert validate_gstin(gstin.lower()) == gstin
    assert gstin_pan(gstin) == pan
    assert check_gstin_consistency(gstin, pan, None) == []
    state = state_for_gst_code(state_code)
    assert (state is None) == (state_code in GST_SPECIAL_CODES)
    if state is not None:
        assert check_gstin_consistency(gstin, None, state.name) == []


# --------------------------------------------------------------------------- PAN


@pytest.mark.parametrize(
    ("raw", "pan", "holder"),
    [
        ("AAPFU0939F", "AAPFU0939F", "firm"),
        (" abcpe1234f ", "ABCPE1234F", "individual"),
        ("AABCT1332L", "AABCT1332L", "company"),
        ("AAAHK1234Q", "AAAHK1234Q", "hindu_undivided_family"),
        ("AAATR1234Q", "AAATR1234Q", "trust"),
        ("AAAGP1234Q", "AAAGP1234Q", "government"),
        ("AAALM1234Q", "AAALM1234Q", "local_authority"),
        ("AAAJM1234Q", "AAAJM1234Q", "artificial_juridical_person"),
        ("AAAAM1234Q", "AAAAM1234Q", "association_of_persons"),
        ("AAABM1234Q", "AAABM1234Q", "body_of_individuals"),
        ("AAAKM1234Q", "AAAKM1234Q", "krish"),
    ],
)
def test_validate_pan_and_holder_type(raw: str, pan: str, holder: str) -> None:
    assert validate_pan(raw) == pan
    assert pan_holder_type(raw) == holder


@pytest.mark.parametrize(
    "raw",
    ["", "ABCPE1234", "ABCPE1234FF", "ABCXE1234F", "ABCP31234F", "ABCPE12345", "1BCPE1234F"],
)
def test_validate_pan_rejects(raw: str) -> None:
    with pytest.raises(InvalidIdentifier) as exc_info:
        validate_pan(raw)
    assert exc_info.value.code == "PAN_INVALID"
    with pytest.raises(InvalidIdentifier):
        pan_holder_type(raw)


# --------------------------------------------------------------------------- Udyam


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("UDYAM-MH-26-0012345", "UDYAM-MH-26-0012345"),
        (" udyam-kr-03-0093853 ", "UDYAM-KR-03-0093853"),
        ("UDYAM-KA-03-0001234", "UDYAM-KA-03-0001234"),
        ("UDYAM-TS-20-0013532", "UDYAM-TS-20-0013532"),
        ("UDYAM-DL-08-0000001", "UDYAM-DL-08-0000001"),
        ("UDYAM-UP-00-0123456", "UDYAM-UP-00-0123456"),
        ("UDYAM-TN-02-7654321", "UDYAM-TN-02-7654321"),
        ("UDYAM-OD-19-0172402", "UDYAM-OD-19-0172402"),
        ("UDYAM-DD-01-0002992", "UDYAM-DD-01-0002992"),
    ],
)
def test_validate_udyam_accepts(raw: str, expected: str) -> None:
    assert validate_udyam(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("UDYAM-XX-01-0012345", "not a Udyam state code"),
        ("UDYAM-ZZ-01-0012345", "not a Udyam state code"),
        ("UDYAM-MH-1-0012345", "must look like"),
        ("UDYAM-MH-01-012345", "must look like"),
        ("UDYAM-MH-01-00123456", "must look like"),
        ("UDYAM-M1-01-0012345", "must look like"),
        ("UDYAMMH010012345", "must look like"),
        ("UAM-MH-01-0012345", "must look like"),
        ("", "must look like"),
    ],
)
def test_validate_udyam_rejects(raw: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier, match=reason) as exc_info:
        validate_udyam(raw)
    assert exc_info.value.code == "UDYAM_INVALID"


def test_udyam_state_codes_name_real_states() -> None:
    assert {get_state(name) is not None for name in UDYAM_STATE_CODES.values()} == {True}
    assert {s.name for s in STATES} <= set(UDYAM_STATE_CODES.values())


# --------------------------------------------------------------------------- CIN and pincode


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("U72200TG2007PTC056067", "U72200TG2007PTC056067"),
        (" l40300mh1942plc003554 ", "L40300MH1942PLC003554"),
    ],
)
def test_validate_cin_accepts(raw: str, expected: str) -> None:
    assert validate_cin(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "X72200TG2007PTC056067",
        "U72200TG2007PTC05606",
        "U72200TG2007PT1056067",
        "U7220TG2007PTC056067",
    ],
)
def test_validate_cin_rejects(raw: str) -> None:
    with pytest.raises(InvalidIdentifier) as exc_info:
        validate_cin(raw)
    assert exc_info.value.code == "CIN_INVALID"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("400001", "400001"), (" 110 001 ", "110001"), ("999999", "999999")],
)
def test_validate_pincode_accepts(raw: str, expected: str) -> None:
    assert validate_pincode(raw) == expected


@pytest.mark.parametrize("raw", ["", "012345", "40001", "4000011", "40000A", "४००००१"])
def test_validate_pincode_rejects(raw: str) -> None:
    with pytest.raises(InvalidIdentifier) as exc_info:
        validate_pincode(raw)
    assert exc_info.value.code == "PINCODE_INVALID"


# --------------------------------------------------------------------------- rupees


def test_unit_constants() -> None:
    assert (LAKH, CRORE) == (100_000, 10_000_000)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (0, "₹0"),
        (5, "₹5"),
        (999, "₹999"),
        (1_000, "₹1,000"),
        (99_999, "₹99,999"),
        (1_00_000, "₹1,00,000"),
        (12_34_56_789, "₹12,34,56,789"),
        (1_23_45_67_89_000, "₹1,23,45,67,89,000"),
        (-500, "-₹500"),
        (-12_34_567, "-₹12,34,567"),
    ],
)
def test_format_inr(amount: int, expected: str) -> None:
    assert format_inr(amount) == expected


@pytest.mark.parametrize(
    ("amount", "en", "hi"),
    [
        (0, "₹0", "₹0"),
        (9_500, "₹9,500", "₹9,500"),
        (99_999, "₹99,999", "₹99,999"),
        (1_00_000, "₹1 L", "₹1 लाख"),
        (45_00_000, "₹45 L", "₹45 लाख"),
        (45_50_000, "₹45.5 L", "₹45.5 लाख"),
        (9_99_999, "₹10 L", "₹10 लाख"),
        (99_99_999, "₹1 Cr", "₹1 करोड़"),
        (1_00_00_000, "₹1 Cr", "₹1 करोड़"),
        (2_40_00_000, "₹2.4 Cr", "₹2.4 करोड़"),
        (2_45_00_000, "₹2.5 Cr", "₹2.5 करोड़"),
        (1_23_456_80_00_000, "₹1,23,456.8 Cr", "₹1,23,456.8 करोड़"),
        (-2_40_00_000, "-₹2.4 Cr", "-₹2.4 करोड़"),
        (-5_000, "-₹5,000", "-₹5,000"),
    ],
)
def test_format_inr_short(amount: int, en: str, hi: str) -> None:
    assert format_inr_short(amount) == en
    assert format_inr_short(amount, "en") == en
    assert format_inr_short(amount, "hi") == hi


def test_format_inr_short_is_exact_for_huge_amounts() -> None:
    assert format_inr_short(10**40) == "₹" + format_inr(10**33)[1:] + " Cr"


def test_format_inr_short_language_fallbacks() -> None:
    assert format_inr_short(45_00_000, "hi-IN") == "₹45 लाख"
    assert format_inr_short(45_00_000, "ta") == "₹45 L"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45 lakh", 45_00_000),
        ("45 lakhs", 45_00_000),
        ("45L", 45_00_000),
        ("5 lac", 5_00_000),
        ("2.4 cr", 2_40_00_000),
        ("2.4 crore", 2_40_00_000),
        ("3 Crores", 3_00_00_000),
        ("1,20,000", 1_20_000),
        ("120,000", 1_20_000),
        ("₹ 3.5 Cr", 3_50_00_000),
        ("₹2.4 Cr", 2_40_00_000),
        ("120000", 1_20_000),
        ("45 लाख", 45_00_000),
        ("2 करोड़", 2_00_00_000),
        ("2 \u0915\u0930\u094b\u095c", 2_00_00_000),  # precomposed ड़ (U+095C)
        ("2 करोड", 2_00_00_000),
        ("Rs. 1,20,000/-", 1_20_000),
        ("INR 45 lakh", 45_00_000),
        ("1.2345 lakh", 1_23_450),
        ("-₹1,000", -1_000),
        ("0", 0),
        ("1.2cr", 1_20_00_000),
        ("४५ लाख", 45_00_000),
        ("१.२ करोड़", 1_20_00_000),
        ("50k", 50_000),
        ("75 हज़ार", 75_000),
    ],
)
def test_parse_inr_amount(text: str, expected: int) -> None:
    assert parse_inr_amount(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "Enter an amount"),
        ("abc", "Enter an amount"),
        ("45 kg", "Enter an amount"),
        ("lakh", "Enter an amount"),
        ("1,,000", "Enter an amount"),
        ("45 lakh 20", "Enter an amount"),
        ("1" * 65, "Enter an amount"),
        ("99.99", "whole rupees"),
        ("1.2345678 lakh", "whole rupees"),
    ],
)
def test_parse_inr_amount_rejects(text: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier, match=reason) as exc_info:
        parse_inr_amount(text)
    assert exc_info.value.code == "AMOUNT_INVALID"


def test_parse_inr_amount_keeps_every_digit_of_long_amounts() -> None:
    digits = "9" * 40
    assert parse_inr_amount(digits + " crore") == int(digits) * CRORE


@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_property_format_inr_round_trips(amount: int) -> None:
    assert parse_inr_amount(format_inr(amount)) == amount


# --------------------------------------------------------------------------- India time


def test_an_instant_late_in_the_utc_evening_is_the_next_day_in_india() -> None:
    assert india_date(datetime(2026, 3, 31, 18, 29, tzinfo=UTC)) == date(2026, 3, 31)
    assert india_date(datetime(2026, 3, 31, 18, 30, tzinfo=UTC)) == date(2026, 4, 1)


def test_an_india_day_starts_at_half_past_six_the_evening_before_in_utc() -> None:
    assert india_day_start(date(2026, 4, 1)) == datetime(2026, 3, 31, 18, 30, tzinfo=UTC)
    assert india_day_start(date(2026, 4, 1)) + INDIA_UTC_OFFSET == datetime(2026, 4, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2025, 3, 31), "2024-25"), (date(2025, 4, 1), "2025-26"), (date(2099, 12, 1), "2099-00")],
)
def test_fiscal_year_of_turns_over_on_the_first_of_april(day: date, expected: str) -> None:
    assert fiscal_year_of(day) == expected
    assert fiscal_year_start(day) == int(expected[:4])


def test_fiscal_years_back_starts_with_the_running_year() -> None:
    assert fiscal_years_back(date(2025, 4, 1), 3) == ["2025-26", "2024-25", "2023-24"]


@pytest.mark.parametrize(("raw", "start"), [("2024-25", 2024), ("1999-00", 1999)])
def test_parse_fiscal_year_gives_the_start_year(raw: str, start: int) -> None:
    assert parse_fiscal_year(raw) == start


@pytest.mark.parametrize(
    ("raw", "rule", "reason"),
    [
        ("2024", "format", "must look like 2024-25"),
        ("2024-2025", "format", "must look like 2024-25"),
        ("FY24-25", "format", "must look like 2024-25"),
        ("2024-26", "next_year", "e.g. 2024-25"),
    ],
)
def test_parse_fiscal_year_rejects(raw: str, rule: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier, match=reason) as exc_info:
        parse_fiscal_year(raw)
    assert (exc_info.value.code, exc_info.value.rule) == ("FISCAL_YEAR_INVALID", rule)


def test_previous_fiscal_year_crosses_the_century() -> None:
    assert previous_fiscal_year("2000-01") == "1999-00"
    assert previous_fiscal_year("2024-25") == "2023-24"
