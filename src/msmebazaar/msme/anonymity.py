"""The anonymity scan: does an anonymous listing's text give the business away?

Hiding fields on the public card is not enough when the owner writes "Sharma Textiles, call
98765 43210" in the headline. On submit, the headline and summary of an anonymous listing are
scanned for the business's own names and identifiers and for any contact detail; each finding
blocks the submission (422 `ANONYMITY_VIOLATION`).

Pure functions only: the caller passes the business's facts, so the rules are unit-tested
without a database.

Names are matched on their distinctive words: legal-form suffixes and generic business words
("Pvt Ltd", "Private Limited", "LLP", "Enterprises", "Industries", "Traders", "& Co", "M/s")
are dropped first. Matching the full legal name only would miss "Sharma Textiles" written
without "Pvt Ltd" (the common case); matching every word would flag any summary that says
"enterprises" or "industries". A name that is nothing but generic words is not scanned.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Final, Literal

ScannedField = Literal["headline", "summary"]

# Words that describe a legal form or the kind of business rather than this business.
GENERIC_NAME_WORDS: Final = frozenset(
    {
        "m/s",
        "ms",
        "messrs",
        "the",
        "and",
        "&",
        "of",
        "pvt",
        "pvt.",
        "private",
        "ltd",
        "ltd.",
        "limited",
        "llp",
        "opc",
        "co",
        "co.",
        "company",
        "corp",
        "corporation",
        "inc",
        "enterprise",
        "enterprises",
        "industries",
        "industry",
        "traders",
        "trading",
        "group",
        "india",
        "indian",
        "international",
        "firm",
        "sons",
        "brothers",
        "bros",
    }
)
_MIN_NAME_CHARS: Final = 3

# Domains ending in one of these are treated as web addresses even without "www." or a scheme.
_TLDS: Final = (
    "com|in|co\\.in|net|org|org\\.in|net\\.in|firm\\.in|gen\\.in|ind\\.in|biz|info|io|co|"
    "shop|store|online|site|tech|app|xyz|me|us|uk|ai"
)
_URL_RE: Final = re.compile(
    rf"(?:https?://|www\.)\S+|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:{_TLDS})\b(?!\.\w)",
    re.IGNORECASE,
)
_EMAIL_RE: Final = re.compile(
    r"[a-z0-9._%+-]+\s*(?:@|\(\s*at\s*\)|\[\s*at\s*\])\s*[a-z0-9-]+"
    r"(?:\s*(?:\.|\(\s*dot\s*\)|\[\s*dot\s*\])\s*[a-z0-9-]+)+",
    re.IGNORECASE,
)
# A run of digits (or digit words) with the separators people put inside phone numbers.
_DIGIT_WORDS: Final = {
    "zero": "0",
    "oh": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
_NUMBER_RUN_RE: Final = re.compile(
    r"(?:\+|\b)[0-9](?:[0-9]|[\s\-.()/]{1,3}(?=[0-9]))+",
)
_WORD_RUN_RE: Final = re.compile(
    r"\b(?:(?:double\W+)?(?:" + "|".join(_DIGIT_WORDS) + r")\b[\s\-,]*){9,}",
    re.IGNORECASE,
)
_MOBILE_DIGITS = 10


@dataclass(frozen=True)
class BusinessFacts:
    """What would identify one business: its names, identifiers, contacts and city."""

    legal_name: str
    trade_name: str | None = None
    gstin: str | None = None
    pan: str | None = None
    udyam_number: str | None = None
    cin: str | None = None
    city: str | None = None
    state: str | None = None
    website: str | None = None
    phones: tuple[str, ...] = field(default_factory=tuple)
    emails: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Finding:
    """One giveaway in one field, worded for the owner."""

    field: ScannedField
    message: str

    def as_detail(self) -> dict[str, str]:
        """The `{field, message}` item of the error's `details`."""
        return {"field": self.field, "message": self.message}


def _fold(text: str) -> str:
    """Case- and width-insensitive text, Devanagari digits read as ASCII digits."""
    normalised = unicodedata.normalize("NFKC", text).casefold()
    return "".join(
        str(unicodedata.digit(char)) if char.isdigit() and not char.isascii() else char
        for char in normalised
    )


def _compact(text: str) -> str:
    """Only letters and digits: "27 AAPFU-0939F 1ZV" and "27aapfu0939f1zv" compare equal."""
    return "".join(char for char in _fold(text) if char.isalnum())


def distinctive_name_words(name: str) -> list[str]:
    """The words of a business name that identify it, generic and legal-form words dropped."""
    # "M/s" (messrs) prefixes many Indian firm names; it would otherwise split into "m" and "s".
    folded = re.sub(r"(?<![^\W_])m/s(?![^\W_])", " ", _fold(name))
    words = re.findall(r"[^\W_]+(?:[&'.][^\W_]+)*|&", folded)
    return [word for word in words if word not in GENERIC_NAME_WORDS and word.strip(".")]


def _name_pattern(name: str) -> re.Pattern[str] | None:
    words = distinctive_name_words(name)
    if not words or len("".join(words)) < _MIN_NAME_CHARS:
        return None
    # Words may be joined by spaces, punctuation or nothing ("SharmaTextiles", "sharma-textiles").
    body = r"[\W_]*".join(re.escape(word) for word in words)
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])")


def _mentions_name(text: str, facts: BusinessFacts) -> bool:
    folded = _fold(text)
    for name in (facts.legal_name, facts.trade_name):
        pattern = _name_pattern(name) if name else None
        if pattern is not None and pattern.search(folded):
            return True
    return False


def _contains_identifier(text: str, identifier: str | None) -> bool:
    return bool(identifier) and _compact(identifier or "") in _compact(text)


def _mentions_city(text: str, facts: BusinessFacts) -> bool:
    if not facts.city:
        return False
    city_words = re.findall(r"[^\W_]+", _fold(facts.city))
    # A city that is also the state (Delhi, Chandigarh, Puducherry) is on the card anyway.
    if not city_words or (facts.state and _fold(facts.city).strip() == _fold(facts.state).strip()):
        return False
    body = r"[\W_]*".join(re.escape(word) for word in city_words)
    return re.search(rf"(?<![^\W_]){body}(?![^\W_])", _fold(text)) is not None


def _is_indian_mobile(digits: str) -> bool:
    if digits.startswith("0091"):
        digits = digits[4:]
    elif len(digits) == _MOBILE_DIGITS + 2 and digits.startswith("91"):
        digits = digits[2:]
    elif len(digits) == _MOBILE_DIGITS + 1 and digits.startswith("0"):
        digits = digits[1:]
    return len(digits) == _MOBILE_DIGITS and digits[0] in "6789"


def _spelled_digits(run: str) -> str:
    # "double five" is "55": repeat the digit word that follows each "double".
    words = re.sub(r"double\W+(\w+)", r"\1 \1", " ".join(re.findall(r"[a-z]+", run)))
    return "".join(_DIGIT_WORDS.get(word, "") for word in words.split())


def contains_phone_number(text: str) -> bool:
    """Whether the text holds an Indian mobile number in any usual spelling."""
    folded = _fold(text)
    for match in _NUMBER_RUN_RE.finditer(folded):
        digits = re.sub(r"\D", "", match.group())
        # A long run may hold a number among other figures; check every 10-digit window too.
        if _is_indian_mobile(digits) or any(
            _is_indian_mobile(digits[i : i + _MOBILE_DIGITS])
            for i in range(max(0, len(digits) - _MOBILE_DIGITS) + 1)
            if len(digits) > _MOBILE_DIGITS + 2
        ):
            return True
    for match in _WORD_RUN_RE.finditer(folded):
        if _is_indian_mobile(_spelled_digits(match.group())):
            return True
    return False


def contains_email(text: str) -> bool:
    """Whether the text holds an e-mail address, also as "name (at) firm (dot) in"."""
    return _EMAIL_RE.search(_fold(text)) is not None


def contains_web_address(text: str, website: str | None = None) -> bool:
    """Whether the text holds a URL or a domain name, or the business website's own name."""
    # An e-mail address is reported as such, not also as the domain inside it.
    folded = _EMAIL_RE.sub(" ", _fold(text))
    if _URL_RE.search(folded):
        return True
    if not website:
        return False
    host = re.sub(r"^(?:[a-z]+://)?(?:www\.)?", "", _fold(website)).split("/", 1)[0]
    label = host.split(".", 1)[0]
    return len(label) >= _MIN_NAME_CHARS + 1 and _compact(label) in _compact(folded)


def _field_findings(name: ScannedField, text: str, facts: BusinessFacts) -> list[Finding]:
    named = _mentions_name(text, facts)
    # A website named after the business ("ganeshnamkeen.in") is already the name finding.
    website = None if named else facts.website
    checks: list[tuple[bool, str]] = [
        (named, "mentions the business's name"),
        (_contains_identifier(text, facts.gstin), "mentions the business's GSTIN"),
        (
            _contains_identifier(text, facts.pan) and not _contains_identifier(text, facts.gstin),
            "mentions the business's PAN",
        ),
        (_contains_identifier(text, facts.udyam_number), "mentions the business's Udyam number"),
        (_contains_identifier(text, facts.cin), "mentions the business's CIN"),
        (
            contains_phone_number(text)
            or any(_contains_identifier(text, phone[-10:]) for phone in facts.phones),
            "contains a phone number",
        ),
        (
            contains_email(text)
            or any(_contains_identifier(text, email) for email in facts.emails),
            "contains an e-mail address",
        ),
        (contains_web_address(text, website), "contains a web address"),
        (_mentions_city(text, facts), "mentions the business's city"),
    ]
    return [Finding(name, message) for found, message in checks if found]


def scan_listing_text(headline: str, summary: str, facts: BusinessFacts) -> list[Finding]:
    """Every giveaway in an anonymous listing's headline and summary (empty when clean)."""
    return _field_findings("headline", headline, facts) + _field_findings("summary", summary, facts)
