"""Reading what people type: commands, option picks, amounts in lakh and crore, years, counts,
states (in English or Hindi) and sectors. Amounts and states use the shared Indian rules
(`shared.india`); this module only adds what chat needs on top (Devanagari digits, "rupees",
ranges, Hindi names)."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from msmebazaar.msme.service import SECTORS, Sector
from msmebazaar.shared.india import InvalidIdentifier, State, get_state, parse_inr_amount
from msmebazaar.whatsapp.messages import Option

_DEVANAGARI_DIGITS: Final = str.maketrans("०१२३४५६७८९", "0123456789")
_RUPEE_WORDS: Final = re.compile(r"\s*\b(rupees?|rupaye|rs\.?)$|\s*(रुपये|रुपए|रुपया)$", re.IGNORECASE)


def normalise(text: str) -> str:
    """NFC, Devanagari digits as ASCII, case folded, inner spaces collapsed."""
    text = unicodedata.normalize("NFC", text).translate(_DEVANAGARI_DIGITS)
    return " ".join(text.casefold().split())


def _key(text: str) -> str:
    """`normalise` without spaces, hyphens, dots or '&' words: for name lookups."""
    folded = normalise(text).replace("&", " and ").replace("-", " ").replace(".", " ")
    return "".join(folded.split())


# --- commands -----------------------------------------------------------------------------

COMMANDS: Final[dict[str, str]] = {
    word: command
    for command, words in {
        "help": ("help", "menu", "?", "मदद", "सहायता"),
        "restart": ("restart", "start over", "reset", "फिर से शुरू", "फिर से शुरू करें", "रीस्टार्ट"),
        "back": ("back", "previous", "पीछे", "वापस"),
        "status": ("status", "स्थिति"),
        "language": ("language", "lang", "भाषा", "language / भाषा"),
    }.items()
    for word in words
}


def command_of(text: str | None) -> str | None:
    """The command a message is (the whole message, in English or Hindi), or None."""
    if not text:
        return None
    return COMMANDS.get(normalise(text).strip(" !.*"))


# --- option picks -------------------------------------------------------------------------


def pick(options: Sequence[Option], reply_id: str | None, text: str | None) -> Option | None:
    """The option a reply chose: its id (a tapped button), its number, or its title."""
    if reply_id:
        for option in options:
            if option.id == reply_id:
                return option
    if not text:
        return None
    typed = normalise(text).strip(" .)")
    if typed.isdigit() and 1 <= int(typed) <= len(options):
        return options[int(typed) - 1]
    names: dict[str, Option] = {}
    for option in options:
        if typed in {normalise(option.title), option.id.casefold()}:
            return option
        for part in [option.title, *option.title.split("/")]:
            names.setdefault(normalise(part).strip(" ›‹"), option)
    # A close spelling of a title ("conferm", "hindee"): difflib's ratio, strict enough that
    # two different options never read alike.
    close = difflib.get_close_matches(typed, list(names), n=1, cutoff=0.75)
    return names[close[0]] if close else None


# --- numbers and amounts --------------------------------------------------------------------


def parse_amount(text: str) -> int:
    """Whole rupees from "45 lakh", "1.2 crore", "4500000", "₹45,00,000", "45 लाख रुपये";
    `InvalidIdentifier` (AMOUNT_INVALID) otherwise."""
    cleaned = unicodedata.normalize("NFC", text).translate(_DEVANAGARI_DIGITS).strip()
    cleaned = _RUPEE_WORDS.sub("", cleaned).strip()
    return parse_inr_amount(cleaned)


_RANGE_SPLIT: Final = re.compile(r"\s+(?:to|se|से|and)\s+|\s*[-–—]\s*(?=[₹0-9])", re.IGNORECASE)
_UPTO: Final = re.compile(
    r"^(?:up\s*to|upto|max(?:imum)?|under|below)\s+|\s+(?:तक)$", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Range:
    low: int | None
    high: int | None


def parse_range(text: str) -> Range:
    """A budget: "50 lakh to 2 crore", "50 लाख से 2 करोड़", "up to 5 crore" or one amount (a
    ceiling); `InvalidIdentifier` when a part is not an amount."""
    cleaned = unicodedata.normalize("NFC", text).translate(_DEVANAGARI_DIGITS).strip()
    ceiling = _UPTO.sub("", cleaned).strip()
    if ceiling != cleaned:  # "up to 5 crore", "5 करोड़ तक"
        return Range(None, parse_amount(ceiling))
    parts = [part for part in _RANGE_SPLIT.split(cleaned, maxsplit=1) if part.strip()]
    if len(parts) == 2 and not cleaned.startswith("-"):
        return Range(parse_amount(parts[0]), parse_amount(parts[1]))
    return Range(None, parse_amount(cleaned))


_WHOLE_NUMBER: Final = re.compile(r"[0-9][0-9,]*")


def parse_count(text: str) -> int | None:
    """A whole number such as "12" or "1,200" (Devanagari digits too), else None."""
    typed = normalise(text)
    if not _WHOLE_NUMBER.fullmatch(typed):
        return None
    return int(typed.replace(",", ""))


# --- states ---------------------------------------------------------------------------------

_HINDI_STATE_NAMES: Final[dict[str, str]] = {
    "Jammu and Kashmir": "जम्मू और कश्मीर",
    "Himachal Pradesh": "हिमाचल प्रदेश",
    "Punjab": "पंजाब",
    "Chandigarh": "चंडीगढ़",
    "Uttarakhand": "उत्तराखंड",
    "Haryana": "हरियाणा",
    "Delhi": "दिल्ली",
    "Rajasthan": "राजस्थान",
    "Uttar Pradesh": "उत्तर प्रदेश",
    "Bihar": "बिहार",
    "Sikkim": "सिक्किम",
    "Arunachal Pradesh": "अरुणाचल प्रदेश",
    "Nagaland": "नागालैंड",
    "Manipur": "मणिपुर",
    "Mizoram": "मिज़ोरम",
    "Tripura": "त्रिपुरा",
    "Meghalaya": "मेघालय",
    "Assam": "असम",
    "West Bengal": "पश्चिम बंगाल",
    "Jharkhand": "झारखंड",
    "Odisha": "ओडिशा",
    "Chhattisgarh": "छत्तीसगढ़",
    "Madhya Pradesh": "मध्य प्रदेश",
    "Gujarat": "गुजरात",
    "Dadra and Nagar Haveli and Daman and Diu": "दादरा और नगर हवेली और दमन और दीव",
    "Maharashtra": "महाराष्ट्र",
    "Andhra Pradesh": "आंध्र प्रदेश",
    "Karnataka": "कर्नाटक",
    "Goa": "गोवा",
    "Lakshadweep": "लक्षद्वीप",
    "Kerala": "केरल",
    "Tamil Nadu": "तमिलनाडु",
    "Puducherry": "पुडुचेरी",
    "Andaman and Nicobar Islands": "अंडमान और निकोबार द्वीपसमूह",
    "Telangana": "तेलंगाना",
    "Ladakh": "लद्दाख",
}
_EXTRA_HINDI_SPELLINGS: Final[dict[str, str]] = {
    "जम्मू कश्मीर": "Jammu and Kashmir",
    "उत्तराखण्ड": "Uttarakhand",
    "झारखण्ड": "Jharkhand",
    "मिजोरम": "Mizoram",
    "उड़ीसा": "Odisha",
    "ओड़िशा": "Odisha",
    "तमिल नाडु": "Tamil Nadu",
    "नई दिल्ली": "Delhi",
    "गुजरात राज्य": "Gujarat",
}
_STATE_BY_HINDI_KEY: Final[dict[str, str]] = {
    _key(hindi): english for english, hindi in _HINDI_STATE_NAMES.items()
} | {_key(hindi): english for hindi, english in _EXTRA_HINDI_SPELLINGS.items()}


# The short forms people type in chat ("Lucknow, UP"); only the unambiguous ones.
_SHORT_STATE_NAMES: Final[dict[str, str]] = {
    "up": "Uttar Pradesh",
    "mp": "Madhya Pradesh",
    "hp": "Himachal Pradesh",
    "ap": "Andhra Pradesh",
    "tn": "Tamil Nadu",
    "wb": "West Bengal",
    "mh": "Maharashtra",
    "maha": "Maharashtra",
    "gj": "Gujarat",
    "guj": "Gujarat",
    "rj": "Rajasthan",
    "raj": "Rajasthan",
    "ka": "Karnataka",
    "jk": "Jammu and Kashmir",
    "cg": "Chhattisgarh",
    "bengal": "West Bengal",
    "delhi ncr": "Delhi",
    "ncr": "Delhi",
    "यूपी": "Uttar Pradesh",
    "एमपी": "Madhya Pradesh",
}


def find_state(text: str) -> State | None:
    """A state or UT by its English name (or common alias, or short form such as UP) or its
    Hindi name."""
    state = get_state(text)
    if state is not None:
        return state
    english = _STATE_BY_HINDI_KEY.get(_key(text)) or _SHORT_STATE_NAMES.get(normalise(text))
    return get_state(english) if english else None


def state_name(name: str, language: str | None) -> str:
    """A state's name in the user's language."""
    return _HINDI_STATE_NAMES.get(name, name) if language == "hi" else name


# --- sectors --------------------------------------------------------------------------------


def sector_name(sector: Sector, language: str | None) -> str:
    """A sector's name in the user's language."""
    return sector.name_hi if language == "hi" else sector.name


def find_sectors(text: str) -> list[Sector]:
    """Sectors a typed name means: an exact code or name (English or Hindi), else every sector
    whose name contains the words typed."""
    typed = _key(text)
    if not typed:
        return []
    exact = [
        s
        for s in SECTORS
        if typed in {_key(s.code.replace("_", " ")), _key(s.name), _key(s.name_hi)}
    ]
    if exact:
        return exact
    return [s for s in SECTORS if typed in _key(s.name) or typed in _key(s.name_hi)]


__all__ = [
    "COMMANDS",
    "InvalidIdentifier",
    "Range",
    "command_of",
    "find_sectors",
    "find_state",
    "normalise",
    "parse_amount",
    "parse_count",
    "parse_range",
    "pick",
    "sector_name",
    "state_name",
]
