"""Understanding free answers: yes and no, the language and role a first message shows, a GSTIN
inside a sentence, amounts with their labels ("sales 45L, profit 6L"), and a place with its year.

English, Hindi (Devanagari) and Hinglish (Hindi in Latin letters) are read alike. Amounts go
through the shared Indian rule (`shared.india.parse_inr_amount`); this module only finds them in a
sentence and says which figure each one is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final, Literal

from msmebazaar.shared.india import InvalidIdentifier, parse_inr_amount, validate_gstin
from msmebazaar.whatsapp.conversation.parsing import find_state, normalise

YesNo = Literal["yes", "no"]

_YES: Final = frozenset(
    {
        "yes", "y", "yes please", "yeah", "yep", "yup", "ya", "yess", "ok", "okay", "okk", "k",
        "ok ji", "okay ji", "ji", "ji haan", "ji ha", "haan", "haa", "han", "ha", "hanji",
        "haan ji", "haanji", "ha ji", "theek hai", "thik hai", "theek", "thik", "sahi hai",
        "sahi", "bilkul", "correct", "right", "confirm", "confirmed", "done", "sure", "go ahead",
        "all good", "looks good", "perfect", "fine", "हाँ", "हां", "हा", "जी", "जी हाँ", "जी हां",
        "हाँ जी", "हां जी", "ठीक है", "ठीक", "सही है", "सही", "बिल्कुल", "पुष्टि", "पुष्टि करें", "ओके",
    }
)  # fmt: skip
_NO: Final = frozenset(
    {
        "no", "n", "nope", "nah", "not", "nahi", "nahin", "nai", "na", "nhi", "nahi hai",
        "nahi ji", "galat", "galat hai", "wrong", "incorrect", "नहीं", "नही", "ना", "नहीं है",
        "गलत", "ग़लत", "गलत है", "none", "nil", "nothing",
    }
)  # fmt: skip


def yes_or_no(text: str | None) -> YesNo | None:
    """ "yes" or "no" for an answer such as "haan", "ok ji", "theek hai", "नहीं"; else None."""
    typed = normalise(text or "").strip(" .!,?🙏👍")
    words = [w for w in typed.split() if w not in {"ji", "जी", "sir", "bhai", "please", "bhaiya"}]
    typed = " ".join(words) or typed  # "theek hai ji", "ok sir": the courtesy is not the answer
    if typed in _YES or typed.startswith(("yes ", "haan ", "ok ", "हाँ ", "हां ", "ji haan")):
        return "yes"
    if typed in _NO or typed.startswith(("no ", "nahi ", "नहीं ")):
        return "no"
    if typed in {"👍", "👌", "✅"}:
        return "yes"
    return _misspelt_yes_or_no(typed)


def _misspelt_yes_or_no(typed: str) -> YesNo | None:
    """ "yse", "confrim", "corect": the letters of a yes or no word swapped, or (in a longer
    word) one letter missing, extra or wrong. Nothing looser: a wrong yes creates a profile."""
    choices: tuple[tuple[YesNo, frozenset[str]], ...] = (("yes", _YES), ("no", _NO))
    for answer, words in choices:
        for word in words:
            if len(word) < 3 or " " in word or not word.isascii():
                continue
            if sorted(typed) == sorted(word) or (len(word) >= 5 and _one_edit(typed, word)):
                return answer
    return None


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` becomes `b` with one letter inserted, deleted or replaced."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return a[i + 1 :] == b[i + 1 :] or a[i:] == b[i + 1 :] or a[i + 1 :] == b[i:]


# --- language and role ------------------------------------------------------------------------

_DEVANAGARI: Final = re.compile(r"[\u0900-\u097F]")
_HINGLISH: Final = frozenset(
    {
        "hai", "hain", "karna", "karni", "karne", "mujhe", "mera", "meri", "mere", "apna",
        "apni", "chahta", "chahti", "chahiye", "bechna", "bechni", "kharidna", "kya", "kaise",
        "namaste", "namaskar", "ji", "hum", "humara", "hamara", "hamari", "ka", "ki", "ke",
    }
)  # fmt: skip
_ENGLISH: Final = frozenset(
    {
        "i", "want", "to", "my", "the", "sell", "buy", "invest", "business", "company", "please",
        "would", "like", "looking", "for", "value", "valuation", "raise", "funds", "need",
    }
)  # fmt: skip
GREETINGS: Final = frozenset(
    {
        "hi", "hii", "hiii", "hello", "helo", "hey", "hai", "namaste", "namaskar", "hi there",
        "good morning", "start", "नमस्ते", "नमस्कार", "हेलो", "हाय", "menu",
    }
)  # fmt: skip


def language_of(text: str | None) -> str | None:
    """ "hi" for Devanagari, "en" for a plain English sentence, None when unsure (a bare "Hi",
    Hinglish): then the language is asked once."""
    if not text:
        return None
    if _DEVANAGARI.search(text):
        return "hi"
    words = set(re.findall(r"[a-z]+", text.casefold()))
    if words & _HINGLISH or len(words) < 3:
        return None
    return "en" if len(words & _ENGLISH) >= 2 else None


_ROLE_WORDS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("investor", ("invest", "nivesh", "निवेश", "investor", "investment", "paisa lagana")),
    (
        "buyer",
        ("buy", "kharid", "khareed", "ख़रीद", "खरीद", "acquire", "purchase", "buyer", "lena hai"),
    ),
    (
        "msme_owner",
        (
            "sell", "sale", "bech", "बेच", "raise", "fund", "owner", "malik", "मालिक", "list",
            "valuation", "value", "मूल्यांकन", "फंड", "my business", "apna business", "seller",
        ),
    ),
)  # fmt: skip


# Asking for money is an owner raising funds, not an investor: "investment chahiye", "need
# funding", "निवेश चाहिए" (while "invest karna hai" is an investor).
_NEEDS_FUNDS: Final = re.compile(
    r"(invest\w*|fund\w*|paisa|पैसा|निवेश|फंड|loan)\s*(chahiye|chaiye|chahie|needed|चाहिए)"
    r"|(need|needs|raise|raising|looking for|want|get)\s+(an?\s+|some\s+)?(invest|fund|capital)",
)


def role_of(text: str | None) -> str | None:
    """The role a sentence asks for ("sell", "बेचना है", "invest karna hai"), or None."""
    typed = normalise(text or "")
    if not typed:
        return None
    if _NEEDS_FUNDS.search(typed):
        return "msme_owner"
    for role, words in _ROLE_WORDS:
        if any(_has_word(typed, word) for word in words):
            return role
    return None


def _has_word(text: str, word: str) -> bool:
    """`word` as the start of a word of `text` ("sell" in "selling", "bech" in "bechna")."""
    if _DEVANAGARI.search(word):
        return word in text
    return re.search(rf"(?<![a-z]){re.escape(word)}", text) is not None


# --- the business's name -------------------------------------------------------------------

_NAME_INTRO: Final = re.compile(
    r"^(?:(?:my|our|the)\s+)?(?:business|company|firm|shop|store|unit)?(?:'s)?\s*"
    r"(?:name\s*(?:is|:|-)|is\s+called|called|name:)\s*"
    r"|^(?:it(?:'s| is)\s+called)\s+"
    r"|^(?:mera|meri|hamara|hamari|humara|humari)\s+(?:\w+\s+)?(?:ka|ki|ke)?\s*(?:naam|name)\s+"
    r"|^(?:मेरे|मेरी|मेरा|हमारे|हमारी|हमारा)\s+(?:\S+\s+)?(?:का|की|के)?\s*नाम\s+",
    re.IGNORECASE,
)
_NAME_OUTRO: Final = re.compile(r"\s+(?:hai|he|h|है)\s*[.!]*$", re.IGNORECASE)


def business_name(text: str | None) -> str:
    """The name in "My business name is Sharma Traders", "mera business ka naam X hai", "मेरे
    बिज़नेस का नाम X है" (or the whole message when it is just the name)."""
    typed = " ".join((text or "").split())
    intro = _NAME_INTRO.match(typed)
    if intro is None or intro.end() == 0:
        return typed
    return _NAME_OUTRO.sub("", typed[intro.end() :]).strip(" .,:-") or typed


# --- GSTIN ------------------------------------------------------------------------------------

_GSTIN_LIKE: Final = re.compile(r"\b[0-9]{2}[A-Z0-9]{13}\b")
_NO_GST: Final = re.compile(
    r"\b(no|nahi|nahin|nhi|without|dont have|don't have|not registered|na)\b.*\bgst"
    r"|\bgst\w*\b.*\b(nahi|nahin|nhi|no|nahi hai|not)\b|नहीं|नही|^skip$|^none$|^nil$|^na$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class GstinFound:
    """What a message says about the GSTIN: a valid one, a typed one that fails (`error`),
    none at all ("no gst": `absent`), and the text left once the GSTIN is taken out."""

    gstin: str | None = None
    error: InvalidIdentifier | None = None
    typed: str = ""
    absent: bool = False
    rest: str = ""


_NEGATION: Final = re.compile(
    r"\b(no|not|nahi|nahin|nhi|dont|don't|do not|without|none|nil|na|skip|haven't)\b|नहीं|नही",
    re.IGNORECASE,
)


def says_none(text: str | None) -> bool:
    """Whether an answer to "what is the GSTIN?" says there is none ("I don't have one")."""
    return bool(_NEGATION.search(normalise(text or "")))


def looks_like_gstin(text: str | None) -> bool:
    """Whether a message is a try at a GSTIN (letters and digits, about 15 of them), not words."""
    compact = "".join((text or "").split())
    return 10 <= len(compact) <= 20 and compact.isalnum() and any(c.isdigit() for c in compact)


def find_gstin(text: str | None) -> GstinFound:
    """A GSTIN anywhere in `text` ("my gst is 24aaacs…"), or that there is none."""
    raw = unicodedata.normalize("NFC", text or "").strip()
    upper = raw.upper()
    candidate = _GSTIN_LIKE.search(upper)
    compact = "".join(upper.split())
    if candidate is None and len(compact) == 15 and compact[:2].isdigit():
        candidate_text, rest = compact, ""
    elif candidate is not None:
        candidate_text = candidate.group(0)
        rest = (raw[: candidate.start()] + " " + raw[candidate.end() :]).strip(" ,.-:")
    else:
        if yes_or_no(raw) == "no" or _NO_GST.search(normalise(raw)):
            return GstinFound(absent=True, rest=_without_gst_words(raw))
        return GstinFound(rest=raw)
    rest = _without_gst_words(rest)
    try:
        return GstinFound(gstin=validate_gstin(candidate_text), typed=candidate_text, rest=rest)
    except InvalidIdentifier as exc:
        return GstinFound(error=exc, typed=candidate_text, rest=rest)


_GST_WORDS: Final = re.compile(
    r"\b(gstin|gst|no|number|hai|is|my|mera|hamara|nahi|nahin|nhi|have|dont|don't|without)\b"
    r"|जीएसटी|नहीं|है|मेरा|हमारा",
    re.IGNORECASE,
)


def _without_gst_words(text: str) -> str:
    return " ".join(_GST_WORDS.sub(" ", text).replace(":", " ").split()).strip(" ,.-")


# --- amounts ----------------------------------------------------------------------------------

_DEVANAGARI_DIGITS: Final = str.maketrans("०१२३४५६७८९", "0123456789")
_AMOUNT: Final = re.compile(
    r"(?P<sign>-\s*)?(?:₹|rs\.?|inr)?\s*(?P<number>[0-9]+(?:,[0-9]+)*(?:\.[0-9]+)?)\s*"
    r"(?P<unit>lakhs?|lacs?|lac|l|crores?|crs?|cr|k|thousand|hazaar|hazar|हज़ार|हजार|लाख|करोड़|करोड)?"
    r"(?![a-z0-9])",
    re.IGNORECASE,
)
_FISCAL_YEAR: Final = re.compile(r"\b(?:fy\s*)?20[0-9]{2}\s*[-/]\s*[0-9]{2,4}\b", re.IGNORECASE)
_LABELS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("loss", ("loss", "ghata", "ghaata", "nuksan", "nuksaan", "घाटा", "नुकसान", "नुक़सान")),
    (
        "profit",
        ("profit", "ebitda", "munafa", "munafe", "margin", "kamai", "मुनाफ़ा", "मुनाफा", "लाभ"),
    ),
    (
        "revenue",
        (
            "sales", "sale", "revenue", "turnover", "bikri", "bikree", "t/o", "बिक्री", "टर्नओवर",
            "कारोबार",
        ),
    ),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Amount:
    """An amount found in a sentence, with the figure the words before it name (or None)."""

    rupees: int
    label: str | None


_AFTER_NUMBER: Final = frozenset(
    {
        "and", "aur", "or", "se", "to", "me", "mein", "in", "rupees", "rupee", "rs", "rupaye",
        "ka", "ki", "ke", "hai", "tha", "thi", "approx", "only", "turnover", "net", "gross",
        "per", "annual", "yearly", "last", "year",
    }
)  # fmt: skip


def _foreign_word(rest: str) -> bool:
    """Whether the word after a bare number is one that makes it something other than rupees."""
    word = re.match(r"\s*([a-z]+)", rest.casefold())
    if word is None:
        return False
    return word.group(1) not in _AFTER_NUMBER and _label(word.group(1)) is None


def _label(words: str) -> str | None:
    words = words.casefold()
    return next((name for name, keys in _LABELS if any(k in words for k in keys)), None)


def find_amounts(text: str | None) -> list[Amount]:
    """Every amount in `text`, in order: "around 45 lakh", "sales 1.2cr and profit 15L",
    "2 cr sale, 15 lakh profit", "४५ लाख"; a fiscal year such as 2024-25 is not an amount.
    Labels come before the amounts or, when the first has none there, after them."""
    cleaned = unicodedata.normalize("NFC", text or "").translate(_DEVANAGARI_DIGITS)
    cleaned = _FISCAL_YEAR.sub(" ", cleaned)
    matches: list[tuple[int, re.Match[str]]] = []
    for match in _AMOUNT.finditer(cleaned):
        if not match["unit"] and _foreign_word(cleaned[match.end() :]):
            continue  # "45 dollars", "12 trucks": a number, not rupees
        try:
            rupees = parse_inr_amount(f"{match['number']} {match['unit'] or ''}".strip())
        except InvalidIdentifier:
            continue
        matches.append((rupees, match))
    bounds = [0, *(m.end() for _, m in matches)]
    ends = [m.start() for _, m in matches] + [len(cleaned)]
    before = [_label(cleaned[bounds[i] : m.start()]) for i, (_, m) in enumerate(matches)]
    after = [_label(cleaned[m.end() : ends[i + 1]]) for i, (_, m) in enumerate(matches)]
    labels = after if matches and before[0] is None and after[0] is not None else before
    found = []
    for (rupees, match), label in zip(matches, labels, strict=True):
        negative = bool(match["sign"]) or label == "loss"
        found.append(Amount(-abs(rupees) if negative else rupees, label))
    return found


def revenue_and_profit(text: str | None) -> tuple[int | None, int | None]:
    """Sales and profit from one answer: labelled ("profit 6L, sales 45L") or in that order."""
    amounts = find_amounts(text)
    revenue = next((a.rupees for a in amounts if a.label == "revenue"), None)
    profit = next((a.rupees for a in amounts if a.label in {"profit", "loss"}), None)
    unlabelled = [a.rupees for a in amounts if a.label is None]
    if revenue is None and unlabelled:
        revenue = unlabelled.pop(0)
    if profit is None and unlabelled:
        profit = unlabelled.pop(0)
    return revenue, profit


def profit_only(text: str | None) -> int | None:
    """The profit (a loss negative) from an answer to the profit question; "no profit" is 0."""
    amounts = find_amounts(text)
    if amounts:
        return amounts[0].rupees
    typed = normalise(text or "")
    if typed in {"nil", "zero", "none", "no profit", "koi profit nahi", "कुछ नहीं", "शून्य"}:
        return 0
    return None


# --- the place: city, state, year started, people ----------------------------------------------

_YEAR: Final = re.compile(r"(?<![0-9])(1[89][0-9]{2}|20[0-9]{2})(?![0-9])")
_PEOPLE: Final = re.compile(
    r"([0-9]+)\s*(?:people|persons?|staff|employees?|workers?|log|logon|karmachari|लोग|कर्मचारी"
    r"|आदमी|members?)",
    re.IGNORECASE,
)
_FILLER: Final = frozenset(
    {
        "in", "at", "from", "since", "started", "start", "began", "year", "years", "we", "are",
        "is", "the", "city", "based", "located", "our", "my", "and", "established", "estd",
        "est", "se", "me", "mein", "main", "hai", "hain", "hum", "shuru", "kiya", "hua", "hui",
        "saal", "mera", "hamara", "business", "karte", "it", "was", "of", "around", "about",
        "से", "में", "हैं", "है", "हम", "शुरू", "किया", "हुआ", "साल", "शहर", "मेरा", "हमारा",
        "बिज़नेस", "और", "था", "थी", "लगभग", "करीब", "people", "staff", "employees", "log",
        "लोग", "कर्मचारी", "workers", "team", "ji", "जी",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Place:
    """What a reply to "which city, since when?" holds; each part None when not said."""

    city: str | None
    state: str | None
    year: int | None
    employees: int | None


def read_place(text: str | None, latest_year: int) -> Place:
    """City, state, year started and people from "Surat, 2012", "Ludhiana se hain, 2009 me
    shuru kiya, 15 log", "इंदौर, मध्य प्रदेश, २०१५"."""
    cleaned = unicodedata.normalize("NFC", text or "").translate(_DEVANAGARI_DIGITS)
    employees = None
    if people := _PEOPLE.search(cleaned):
        employees = int(people.group(1))
        cleaned = cleaned[: people.start()] + " " + cleaned[people.end() :]
    year = None
    for match in _YEAR.finditer(cleaned):
        if 1800 <= int(match.group(1)) <= latest_year:
            year = int(match.group(1))
            cleaned = cleaned[: match.start()] + " " + cleaned[match.end() :]
            break
    state = None
    parts = [p.strip() for p in re.split(r"[,;\n]|\s-\s|\.(?=\s)", cleaned) if p.strip()]
    city_parts: list[str] = []
    for part in parts:
        words = [
            w for w in part.split() if w.casefold() not in _FILLER and any(c.isalpha() for c in w)
        ]
        found = find_state(" ".join(words)) if words else None
        if found is not None and state is None:
            state = found.name
            continue
        if words and state is None and len(words) > 1:  # "Surat Gujarat"
            tail = find_state(" ".join(words[1:])) or find_state(words[-1])
            if tail is not None:
                state = tail.name
                words = words[:1] if find_state(" ".join(words[1:])) else words[:-1]
        if employees is None and len(words) == 0:
            numbers = re.findall(r"[0-9]+", part)
            employees = int(numbers[0]) if numbers else None
        if words:
            city_parts.append(" ".join(words))
    city = city_parts[0].strip(" .") if city_parts else None
    if city is None and state is not None and find_state(state) is not None:
        territory = find_state(state)
        if territory is not None and territory.kind == "ut":  # "Chandigarh 2014", "Delhi"
            city = territory.name
    if city and city.islower():  # "surat" reads better as "Surat"; Devanagari has no case
        city = city.title()
    return Place(city=city or None, state=state, year=year, employees=employees)
