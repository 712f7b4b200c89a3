"""Indian identifiers and formats: mobiles, states, GSTIN, PAN, Udyam, CIN, pincodes, rupees,
India time and fiscal years.

Pure functions only (`india_today` alone reads the clock): no I/O and no business rules beyond
the identifiers' own formats.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, localcontext
from types import MappingProxyType
from typing import Final, Literal, NamedTuple
from zoneinfo import ZoneInfo

import phonenumbers
from stdnum import luhn

__all__ = [
    "CRORE",
    "GST_SPECIAL_CODES",
    "INDIA_TIMEZONE",
    "INDIA_UTC_OFFSET",
    "LAKH",
    "MAX_RUPEES",
    "PAN_HOLDER_TYPES",
    "STATES",
    "STATE_NAMES",
    "UDYAM_STATE_CODES",
    "VALID_GST_STATE_CODES",
    "InvalidIdentifier",
    "State",
    "StateKind",
    "check_gstin_consistency",
    "fiscal_year_of",
    "fiscal_year_start",
    "fiscal_years_back",
    "format_inr",
    "format_inr_short",
    "get_state",
    "gstin_pan",
    "gstin_state_code",
    "india_date",
    "india_day_start",
    "india_today",
    "mask_phone",
    "normalize_indian_mobile",
    "pan_holder_type",
    "parse_fiscal_year",
    "parse_inr_amount",
    "previous_fiscal_year",
    "state_for_gst_code",
    "state_name_in",
    "validate_cin",
    "validate_gstin",
    "validate_pan",
    "validate_pincode",
    "validate_udyam",
]

LAKH: Final = 100_000
CRORE: Final = 10_000_000
# The bound of every rupee figure: above any real one, and inside a 64-bit column.
MAX_RUPEES: Final = 10**15


class InvalidIdentifier(ValueError):  # noqa: N818 - name is part of the shared API
    """An identifier or amount failed validation; `code` is machine-readable, `message` human,
    and `rule` (when set) names the one rule that failed, for explanations in other words."""

    def __init__(self, code: str, message: str, rule: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.rule = rule


# --------------------------------------------------------------------------- mobile numbers

# phonenumbers maps letters to keypad digits ("vanity" numbers); we want letters rejected.
_PHONE_CHARS = re.compile(r"[0-9+\-().\s]+")
_INDIA_COUNTRY_CODE: Final = 91
_PHONE_KEEP_DIGITS: Final = 4


def normalize_indian_mobile(raw: str) -> str:
    """Return an Indian mobile number in E.164 (+91XXXXXXXXXX) or raise PHONE_INVALID."""
    if not _PHONE_CHARS.fullmatch(raw.strip()):
        raise InvalidIdentifier("PHONE_INVALID", "Phone number may contain only digits.")
    try:
        number = phonenumbers.parse(raw, "IN")
    except phonenumbers.NumberParseException as exc:
        raise InvalidIdentifier("PHONE_INVALID", "That is not a phone number.") from exc
    if number.country_code != _INDIA_COUNTRY_CODE or not phonenumbers.is_valid_number(number):
        raise InvalidIdentifier("PHONE_INVALID", "Enter a valid 10-digit Indian mobile number.")
    if phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
        raise InvalidIdentifier("PHONE_INVALID", "Enter a mobile number, not a landline.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(e164: str) -> str:
    """Mask a phone number for logs, keeping +91 and the last four digits."""
    prefix = "+91" if e164.startswith("+91") else ""
    body = e164[len(prefix) :]
    kept = body[-_PHONE_KEEP_DIGITS:] if len(body) > _PHONE_KEEP_DIGITS else ""
    return prefix + "*" * (len(body) - len(kept)) + kept


# --------------------------------------------------------------------------- states and UTs

StateKind = Literal["state", "ut"]


@dataclass(frozen=True, slots=True)
class State:
    """A state or union territory; the first GST code is the current one."""

    name: str
    gst_codes: tuple[str, ...]
    kind: StateKind
    name_hi: str

    @property
    def primary_gst_code(self) -> str:
        """The GST state code issued today."""
        return self.gst_codes[0]


# Ordered by GST code. Extra codes are legacy ones that still appear on live GSTINs.
STATES: Final[tuple[State, ...]] = (
    State("Jammu and Kashmir", ("01",), "ut", "जम्मू और कश्मीर"),
    State("Himachal Pradesh", ("02",), "state", "हिमाचल प्रदेश"),
    State("Punjab", ("03",), "state", "पंजाब"),
    State("Chandigarh", ("04",), "ut", "चंडीगढ़"),
    State("Uttarakhand", ("05",), "state", "उत्तराखंड"),
    State("Haryana", ("06",), "state", "हरियाणा"),
    State("Delhi", ("07",), "ut", "दिल्ली"),
    State("Rajasthan", ("08",), "state", "राजस्थान"),
    State("Uttar Pradesh", ("09",), "state", "उत्तर प्रदेश"),
    State("Bihar", ("10",), "state", "बिहार"),
    State("Sikkim", ("11",), "state", "सिक्किम"),
    State("Arunachal Pradesh", ("12",), "state", "अरुणाचल प्रदेश"),
    State("Nagaland", ("13",), "state", "नागालैंड"),
    State("Manipur", ("14",), "state", "मणिपुर"),
    State("Mizoram", ("15",), "state", "मिज़ोरम"),
    State("Tripura", ("16",), "state", "त्रिपुरा"),
    State("Meghalaya", ("17",), "state", "मेघालय"),
    State("Assam", ("18",), "state", "असम"),
    State("West Bengal", ("19",), "state", "पश्चिम बंगाल"),
    State("Jharkhand", ("20",), "state", "झारखंड"),
    State("Odisha", ("21",), "state", "ओडिशा"),
    State("Chhattisgarh", ("22",), "state", "छत्तीसगढ़"),
    State("Madhya Pradesh", ("23",), "state", "मध्य प्रदेश"),
    State("Gujarat", ("24",), "state", "गुजरात"),
    # 25 was Daman and Diu before the 2020 merger; those GSTINs remain valid.
    State(
        "Dadra and Nagar Haveli and Daman and Diu",
        ("26", "25"),
        "ut",
        "दादरा और नगर हवेली और दमन और दीव",
    ),
    State("Maharashtra", ("27",), "state", "महाराष्ट्र"),
    # 28 is undivided Andhra Pradesh; 37 was issued after Telangana split off in 2014.
    State("Andhra Pradesh", ("37", "28"), "state", "आंध्र प्रदेश"),
    State("Karnataka", ("29",), "state", "कर्नाटक"),
    State("Goa", ("30",), "state", "गोवा"),
    State("Lakshadweep", ("31",), "ut", "लक्षद्वीप"),
    State("Kerala", ("32",), "state", "केरल"),
    State("Tamil Nadu", ("33",), "state", "तमिलनाडु"),
    State("Puducherry", ("34",), "ut", "पुदुचेरी"),
    State("Andaman and Nicobar Islands", ("35",), "ut", "अंडमान और निकोबार द्वीपसमूह"),
    State("Telangana", ("36",), "state", "तेलंगाना"),
    State("Ladakh", ("38",), "ut", "लद्दाख"),
)

STATE_NAMES: Final[tuple[str, ...]] = tuple(sorted(s.name for s in STATES))

# Valid GSTIN prefixes that do not belong to any one state.
GST_SPECIAL_CODES: Final = MappingProxyType({"97": "Other Territory", "99": "Centre Jurisdiction"})

_STATE_BY_CODE: Final = MappingProxyType({c: s for s in STATES for c in s.gst_codes})
VALID_GST_STATE_CODES: Final = frozenset(_STATE_BY_CODE) | frozenset(GST_SPECIAL_CODES)


def _state_key(name: str) -> str:
    """Fold case, '&' and whitespace so lookups survive typical user spellings."""
    return " ".join(name.replace("&", " and ").casefold().split())


_STATE_ALIASES: Final = {
    "orissa": "Odisha",
    "pondicherry": "Puducherry",
    "nct of delhi": "Delhi",
    "new delhi": "Delhi",
    "national capital territory of delhi": "Delhi",
    "j and k": "Jammu and Kashmir",
    "uttaranchal": "Uttarakhand",
    "chattisgarh": "Chhattisgarh",
    "tamilnadu": "Tamil Nadu",
    "andaman and nicobar": "Andaman and Nicobar Islands",
    "dadra and nagar haveli": "Dadra and Nagar Haveli and Daman and Diu",
    "daman and diu": "Dadra and Nagar Haveli and Daman and Diu",
}
_STATE_BY_KEY: Final = MappingProxyType(
    {_state_key(s.name): s for s in STATES}
    | {alias: s for alias, name in _STATE_ALIASES.items() for s in STATES if s.name == name}
)


def get_state(name: str) -> State | None:
    """Find a state/UT by name, ignoring case and spacing and accepting common aliases."""
    return _STATE_BY_KEY.get(_state_key(name))


def state_name_in(name: str, lang: str) -> str:
    """A state's name as a reader of `lang` writes it ("महाराष्ट्र" for Hindi); a name we do not
    know (or any language but Hindi) comes back as given. Stored names stay English."""
    state = get_state(name) if lang.strip().lower()[:2] == "hi" else None
    return name if state is None else state.name_hi


def state_for_gst_code(code: str) -> State | None:
    """Return the state/UT owning a GST state code ("7" and "07" both work); None otherwise."""
    code = code.strip()
    return _STATE_BY_CODE.get(code.zfill(2) if code.isdigit() else code)


# --------------------------------------------------------------------------- PAN

_PAN_RE = re.compile(r"[A-Z]{3}[ABCFGHLJPTK][A-Z][0-9]{4}[A-Z]")

# Keyed by the 4th PAN character.
PAN_HOLDER_TYPES: Final = MappingProxyType(
    {
        "A": "association_of_persons",
        "B": "body_of_individuals",
        "C": "company",
        "F": "firm",  # partnership firms and LLPs
        "G": "government",
        "H": "hindu_undivided_family",
        "J": "artificial_juridical_person",
        "K": "krish",
        "L": "local_authority",
        "P": "individual",
        "T": "trust",
    }
)


def validate_pan(raw: str) -> str:
    """Return the upper-cased PAN or raise PAN_INVALID."""
    pan = raw.strip().upper()
    if not _PAN_RE.fullmatch(pan):
        raise InvalidIdentifier("PAN_INVALID", "PAN must look like ABCPE1234F (10 characters).")
    return pan


def pan_holder_type(pan: str) -> str:
    """Return the holder type encoded in a PAN, e.g. "individual" or "company"."""
    return PAN_HOLDER_TYPES[validate_pan(pan)[3]]


# --------------------------------------------------------------------------- GSTIN

_GSTIN_LENGTH: Final = 15
_GSTIN_ALPHABET: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_GSTIN_ENTITY_RE = re.compile(r"[1-9A-Z]")


def _gstin_error(message: str, rule: str) -> InvalidIdentifier:
    return InvalidIdentifier("GSTIN_INVALID", message, rule)


def validate_gstin(raw: str) -> str:
    """Return the upper-cased GSTIN or raise GSTIN_INVALID saying which rule failed."""
    gstin = raw.strip().upper()
    if len(gstin) != _GSTIN_LENGTH:
        raise _gstin_error(f"GSTIN must be 15 characters long, not {len(gstin)}.", "length")
    if gstin[:2] not in VALID_GST_STATE_CODES:
        raise _gstin_error(
            f"GSTIN starts with '{gstin[:2]}', which is not a GST state code.", "state_code"
        )
    if not _PAN_RE.fullmatch(gstin[2:12]):
        raise _gstin_error("GSTIN characters 3 to 12 must be the holder's PAN.", "pan")
    if not _GSTIN_ENTITY_RE.fullmatch(gstin[12]):
        raise _gstin_error("GSTIN character 13 must be a digit 1-9 or a letter.", "entity")
    if gstin[13] != "Z":
        raise _gstin_error("GSTIN character 14 must be 'Z'.", "z")
    # stdnum's gstin.validate() rejects codes 38/97/99, so only its Luhn mod 36 is reused.
    if luhn.calc_check_digit(gstin[:14], _GSTIN_ALPHABET) != gstin[14]:
        raise _gstin_error(
            "GSTIN check character does not match; please re-check the number.", "checksum"
        )
    return gstin


def gstin_state_code(gstin: str) -> str:
    """Return the two-digit state code of a valid GSTIN."""
    return validate_gstin(gstin)[:2]


def gstin_pan(gstin: str) -> str:
    """Return the PAN embedded in a valid GSTIN."""
    return validate_gstin(gstin)[2:12]


def check_gstin_consistency(gstin: str, pan: str | None, state_name: str | None) -> list[str]:
    """List failed cross-checks of a valid GSTIN against a PAN and a state name."""
    gstin = validate_gstin(gstin)
    failures: list[str] = []
    if pan is not None and gstin[2:12] != pan.strip().upper():
        failures.append("GSTIN_PAN_MISMATCH")
    if state_name is not None and gstin[:2] not in GST_SPECIAL_CODES:
        state = get_state(state_name)
        # An unknown state name cannot match any code, so it counts as a mismatch.
        if state is None or gstin[:2] not in state.gst_codes:
            failures.append("GSTIN_STATE_MISMATCH")
    return failures


# --------------------------------------------------------------------------- Udyam

# State codes as printed on Udyam certificates (inherited from Udyog Aadhaar). They differ
# from vehicle codes in places: Karnataka is KR, Telangana TS, Odisha OD, Uttarakhand UK.
UDYAM_STATE_CODES: Final = MappingProxyType(
    {
        "AN": "Andaman and Nicobar Islands",
        "AP": "Andhra Pradesh",
        "AR": "Arunachal Pradesh",
        "AS": "Assam",
        "BR": "Bihar",
        "CG": "Chhattisgarh",
        "CH": "Chandigarh",
        "DD": "Dadra and Nagar Haveli and Daman and Diu",  # Daman and Diu
        "DL": "Delhi",
        "DN": "Dadra and Nagar Haveli and Daman and Diu",  # Dadra and Nagar Haveli
        "GA": "Goa",
        "GJ": "Gujarat",
        "HP": "Himachal Pradesh",
        "HR": "Haryana",
        "JH": "Jharkhand",
        "JK": "Jammu and Kashmir",
        # The portal issues KR; KA is accepted because users type the familiar abbreviation.
        "KA": "Karnataka",
        "KL": "Kerala",
        "KR": "Karnataka",
        "LA": "Ladakh",
        "LD": "Lakshadweep",
        "MH": "Maharashtra",
        "ML": "Meghalaya",
        "MN": "Manipur",
        "MP": "Madhya Pradesh",
        "MZ": "Mizoram",
        "NL": "Nagaland",
        "OD": "Odisha",
        "PB": "Punjab",
        "PY": "Puducherry",
        "RJ": "Rajasthan",
        "SK": "Sikkim",
        "TN": "Tamil Nadu",
        "TR": "Tripura",
        "TS": "Telangana",
        "UK": "Uttarakhand",
        "UP": "Uttar Pradesh",
        "WB": "West Bengal",
    }
)

_UDYAM_RE = re.compile(r"UDYAM-(?P<state>[A-Z]{2})-[0-9]{2}-[0-9]{7}")


def validate_udyam(raw: str) -> str:
    """Return the upper-cased Udyam number (UDYAM-XX-00-0000000) or raise UDYAM_INVALID."""
    udyam = raw.strip().upper()
    match = _UDYAM_RE.fullmatch(udyam)
    if match is None:
        raise InvalidIdentifier(
            "UDYAM_INVALID", "Udyam number must look like UDYAM-MH-12-0012345.", "format"
        )
    if match["state"] not in UDYAM_STATE_CODES:
        raise InvalidIdentifier(
            "UDYAM_INVALID", f"'{match['state']}' is not a Udyam state code.", "state_code"
        )
    return udyam


# --------------------------------------------------------------------------- CIN and pincode

# python-stdnum has no CIN module, so the MCA format is checked by regex.
_CIN_RE = re.compile(r"[LU][0-9]{5}[A-Z]{2}[0-9]{4}[A-Z]{3}[0-9]{6}")
_PINCODE_RE = re.compile(r"[1-9][0-9]{5}")


def validate_cin(raw: str) -> str:
    """Return the upper-cased 21-character CIN or raise CIN_INVALID."""
    cin = raw.strip().upper()
    if not _CIN_RE.fullmatch(cin):
        raise InvalidIdentifier("CIN_INVALID", "CIN must look like U12345MH2020PTC123456.")
    return cin


def validate_pincode(raw: str) -> str:
    """Return a six-digit pincode (spaces removed, as in "400 001") or raise PINCODE_INVALID."""
    pincode = "".join(raw.split())
    if not _PINCODE_RE.fullmatch(pincode):
        raise InvalidIdentifier("PINCODE_INVALID", "Pincode must be 6 digits, not starting with 0.")
    return pincode


# --------------------------------------------------------------------------- rupees


class _ShortUnits(NamedTuple):
    lakh: str
    crore: str


_SHORT_UNITS: Final = MappingProxyType(
    {"en": _ShortUnits("L", "Cr"), "hi": _ShortUnits("लाख", "करोड़")}
)
_LAKHS_PER_CRORE: Final = CRORE // LAKH


def _group_indian(digits: str) -> str:
    """Group digits as 12,34,56,789: last three, then pairs."""
    head, tail = digits[:-3], digits[-3:]
    groups = [head[max(i - 2, 0) : i] for i in range(len(head), 0, -2)][::-1]
    return ",".join([*groups, tail])


def format_inr(amount: int) -> str:
    """Format whole rupees with Indian digit grouping, e.g. "₹12,34,56,789" or "-₹500"."""
    sign = "-" if amount < 0 else ""
    return f"{sign}₹{_group_indian(str(abs(amount)))}"


def _tenths(value: int, unit: int) -> int:
    """value/unit in tenths, rounded half up; integer maths so huge amounts stay exact."""
    return (value * 10 + unit // 2) // unit


def _short_number(tenths: int) -> str:
    """Render a count of tenths with Indian grouping, dropping a trailing ".0"."""
    whole, fraction = divmod(tenths, 10)
    grouped = _group_indian(str(whole))
    return f"{grouped}.{fraction}" if fraction else grouped


def format_inr_short(amount: int, lang: str = "en") -> str:
    """Format rupees compactly in lakh/crore ("₹2.4 Cr", "₹45 लाख"); below a lakh in full."""
    if abs(amount) < LAKH:
        return format_inr(amount)
    # Unknown languages fall back to English rather than failing a page render.
    units = _SHORT_UNITS.get(lang.strip().lower()[:2], _SHORT_UNITS["en"])
    sign = "-" if amount < 0 else ""
    lakh_tenths = _tenths(abs(amount), LAKH)
    # Compare after rounding so 99,99,999 reads "₹1 Cr", not "₹100 L".
    if lakh_tenths < _LAKHS_PER_CRORE * 10:
        return f"{sign}₹{_short_number(lakh_tenths)} {units.lakh}"
    return f"{sign}₹{_short_number(_tenths(abs(amount), CRORE))} {units.crore}"


_AMOUNT_UNITS: Final = MappingProxyType(
    {
        unicodedata.normalize("NFC", word): multiplier
        for words, multiplier in (
            (("k", "thousand", "hazaar", "hazar", "हज़ार", "हजार"), 1_000),
            (("l", "lakh", "lakhs", "lac", "lacs", "लाख"), LAKH),
            (("cr", "crs", "crore", "crores", "करोड़", "करोड"), CRORE),
        )
        for word in words
    }
)
_AMOUNT_MAX_CHARS: Final = 64
_DEVANAGARI_DIGITS: Final = str.maketrans("०१२३४५६७८९", "0123456789")
_AMOUNT_RE = re.compile(
    r"(?P<sign>-)?\s*(?:₹|rs\.?|inr)?\s*"
    r"(?P<number>[0-9]+(?:,[0-9]+)*(?:\.[0-9]+)?)\s*"
    r"(?P<unit>[^\s0-9.,]+)?"
)


def _amount_error() -> InvalidIdentifier:
    return InvalidIdentifier("AMOUNT_INVALID", "Enter an amount like 45 lakh, 2.4 crore, 1,20,000.")


def parse_inr_amount(text: str) -> int:
    """Parse "₹ 3.5 Cr", "45 lakh", "1.2cr", "1,20,000", "2 करोड़", "४५ लाख", "50k" etc. into
    whole rupees."""
    if len(text) > _AMOUNT_MAX_CHARS:
        raise _amount_error()
    # NFC so that both spellings of the nukta in करोड़ compare equal; Devanagari digits (४५ लाख)
    # are the same number as ASCII ones.
    cleaned = unicodedata.normalize("NFC", text).translate(_DEVANAGARI_DIGITS)
    cleaned = cleaned.strip().casefold().removesuffix("/-")
    match = _AMOUNT_RE.fullmatch(cleaned.strip())
    if match is None:
        raise _amount_error()
    multiplier = 1 if match["unit"] is None else _AMOUNT_UNITS.get(match["unit"])
    if multiplier is None:
        raise _amount_error()
    # Enough precision that no typed amount is silently rounded by Decimal's default 28 digits.
    with localcontext(prec=_AMOUNT_MAX_CHARS * 2):
        value = Decimal(match["number"].replace(",", "")) * multiplier
    if value != value.to_integral_value():
        raise InvalidIdentifier("AMOUNT_INVALID", "Amount must be in whole rupees.")
    return -int(value) if match["sign"] else int(value)


# --------------------------------------------------------------------------- India time

INDIA_TIMEZONE: Final = ZoneInfo("Asia/Kolkata")
# India keeps no daylight saving, so SQL may shift instants into India days by this constant.
INDIA_UTC_OFFSET: Final = timedelta(hours=5, minutes=30)


def india_date(at: datetime) -> date:
    """The date in India at the (timezone-aware) instant `at`."""
    return at.astimezone(INDIA_TIMEZONE).date()


def india_today() -> date:
    """Today's date in India (the day fiscal years and notifications turn over there)."""
    return datetime.now(INDIA_TIMEZONE).date()


def india_time_text(at: datetime) -> str:
    """The instant `at` as people in India read it: `07 Dec 2026, 14:05 IST`."""
    return at.astimezone(INDIA_TIMEZONE).strftime("%d %b %Y, %H:%M IST")


def india_day_start(day: date) -> datetime:
    """The UTC instant at which `day` begins in India."""
    return datetime.combine(day, time(), UTC) - INDIA_UTC_OFFSET


# --------------------------------------------------------------------------- fiscal years

_FISCAL_YEAR_RE = re.compile(r"(?P<start>[0-9]{4})-(?P<end>[0-9]{2})")


def _fiscal_year_name(start: int) -> str:
    return f"{start}-{(start + 1) % 100:02d}"


def fiscal_year_start(day: date) -> int:
    """The calendar year in which the Indian fiscal year (April to March) holding `day` began."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_of(day: date) -> str:
    """The Indian fiscal year (April to March) that `day` falls in, as "2025-26"."""
    return _fiscal_year_name(fiscal_year_start(day))


def fiscal_years_back(day: date, count: int) -> list[str]:
    """`count` fiscal years, newest first, starting with the one `day` falls in (still in
    progress on `day`): 2025-26, 2024-25, …"""
    start = fiscal_year_start(day)
    return [_fiscal_year_name(year) for year in range(start, start - count, -1)]


def parse_fiscal_year(raw: str) -> int:
    """The start year of a fiscal year written "2024-25", or raise FISCAL_YEAR_INVALID."""
    match = _FISCAL_YEAR_RE.fullmatch(raw)
    if match is None:
        raise InvalidIdentifier(
            "FISCAL_YEAR_INVALID", "Fiscal year must look like 2024-25.", "format"
        )
    start = int(match["start"])
    if int(match["end"]) != (start + 1) % 100:
        raise InvalidIdentifier(
            "FISCAL_YEAR_INVALID",
            f"The second part must be the next year, e.g. {_fiscal_year_name(start)}.",
            "next_year",
        )
    return start


def previous_fiscal_year(fiscal_year: str) -> str:
    """The fiscal year before a valid one: "2023-24" for "2024-25"."""
    return _fiscal_year_name(parse_fiscal_year(fiscal_year) - 1)
