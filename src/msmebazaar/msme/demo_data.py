"""Deterministic, realistic synthetic businesses for `msmebazaar seed-demo` (pure functions).

`demo_business(rng, index, owner_id)` returns the rows of one business: its profile, three fiscal
years of figures and one listing. The same seed and index always give the same rows, so demo
data and benchmarks are repeatable. Identifiers are valid (GSTIN check character, PAN shape,
Udyam state code) and unique by construction: they encode `index`.
"""

from __future__ import annotations

import random
import string
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final

from stdnum import luhn

from msmebazaar.msme.classification import classify_msme
from msmebazaar.msme.sectors import SECTORS, Sector
from msmebazaar.shared.db import utcnow
from msmebazaar.shared.india import (
    CRORE,
    LAKH,
    STATES,
    UDYAM_STATE_CODES,
    State,
    parse_fiscal_year,
)

_GSTIN_ALPHABET: Final = string.digits + string.ascii_uppercase
FISCAL_YEARS: Final = ("2022-23", "2023-24", "2024-25")
CLASSIFIED_ON: Final = date(2025, 4, 1)

# (city, pincode prefix) for the states most MSMEs are in; the others use their capital.
_CITIES: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "Maharashtra": (("Pune", "411"), ("Mumbai", "400"), ("Nagpur", "440"), ("Nashik", "422")),
    "Gujarat": (("Surat", "395"), ("Ahmedabad", "380"), ("Rajkot", "360"), ("Vadodara", "390")),
    "Tamil Nadu": (("Coimbatore", "641"), ("Chennai", "600"), ("Tiruppur", "641")),
    "Karnataka": (("Bengaluru", "560"), ("Mysuru", "570"), ("Hubballi", "580")),
    "Uttar Pradesh": (("Kanpur", "208"), ("Noida", "201"), ("Agra", "282"), ("Moradabad", "244")),
    "Punjab": (("Ludhiana", "141"), ("Jalandhar", "144"), ("Amritsar", "143")),
    "Haryana": (("Gurugram", "122"), ("Faridabad", "121"), ("Panipat", "132")),
    "Rajasthan": (("Jaipur", "302"), ("Jodhpur", "342"), ("Bhilwara", "311")),
    "West Bengal": (("Kolkata", "700"), ("Howrah", "711"), ("Durgapur", "713")),
    "Telangana": (("Hyderabad", "500"), ("Warangal", "506")),
    "Delhi": (("Delhi", "110"),),
    "Madhya Pradesh": (("Indore", "452"), ("Bhopal", "462")),
    "Kerala": (("Kochi", "682"), ("Thrissur", "680")),
}
_BUSY_STATES: Final = tuple(_CITIES)
# Elsewhere the capital (or main town): a city never shares a word with its state's name, so an
# anonymous headline that names the state cannot name the city by accident.
_CAPITALS: Final = {
    "Jammu and Kashmir": "Srinagar", "Himachal Pradesh": "Shimla", "Chandigarh": "Chandigarh",
    "Uttarakhand": "Dehradun", "Bihar": "Patna", "Sikkim": "Gangtok",
    "Arunachal Pradesh": "Itanagar", "Nagaland": "Kohima", "Manipur": "Imphal",
    "Mizoram": "Aizawl", "Tripura": "Agartala", "Meghalaya": "Shillong", "Assam": "Guwahati",
    "Jharkhand": "Ranchi", "Odisha": "Bhubaneswar", "Chhattisgarh": "Raipur",
    "Dadra and Nagar Haveli and Daman and Diu": "Silvassa", "Andhra Pradesh": "Visakhapatnam",
    "Goa": "Margao", "Lakshadweep": "Kavaratti", "Puducherry": "Puducherry",
    "Andaman and Nicobar Islands": "Port Blair", "Ladakh": "Leh",
}  # fmt: skip
_UDYAM_CODE: Final = {name: code for code, name in sorted(UDYAM_STATE_CODES.items())}

_FIRST_WORDS: Final = (
    "Shree Balaji", "Sai", "Om", "Laxmi", "Ganesh", "Krishna", "Maruti", "Annapurna", "Jai Ambe",
    "Mahalaxmi", "Sunrise", "Bharat", "Navkar", "Shakti", "Kaveri", "Narmada", "Himalaya",
    "Deccan", "Vijay", "Anand", "Patel", "Sharma", "Reddy", "Iyer", "Kapoor", "Agarwal", "Mehta",
    "Nair", "Singh", "Gupta", "Desai", "Joshi", "Pillai", "Bansal", "Chopra", "Rao",
)  # fmt: skip
_FORMS: Final = (
    ("private_limited", "Private Limited", "C"),
    ("proprietorship", "", "P"),
    ("partnership", "& Co", "F"),
    ("llp", "LLP", "F"),
    ("opc", "(OPC) Private Limited", "C"),
)
_WHAT: Final[dict[str, tuple[str, str]]] = {
    # sector code: (trade-name noun, what the business makes or does)
    "food_processing": ("Foods", "namkeen, pickles and ready-to-eat snacks"),
    "textiles": ("Textiles", "cotton yarn and grey fabric"),
    "apparel": ("Garments", "knitted garments for export buyers"),
    "auto_components": ("Auto Parts", "precision-machined auto components"),
    "engineering": ("Engineering Works", "fabricated structures and machine parts"),
    "chemicals": ("Chemicals", "specialty dyes and intermediates"),
    "pharma": ("Pharma", "generic tablets and capsules under contract"),
    "plastics_packaging": ("Packaging", "flexible and corrugated packaging"),
}
_STRENGTHS: Final = (
    "steady repeat customers",
    "a long-serving, trained workforce",
    "own plant and machinery in good condition",
    "a distributor network across three states",
    "export orders from West Asia and Africa",
    "ISO 9001 certified processes",
    "low debt and clean books",
    "a well-known regional brand",
)
_REASONS: Final = (
    "The founder is retiring",
    "The promoters want a partner to grow",
    "The owners are moving to a new venture",
    "Capital is needed for a second line",
)
_HINDI_LINES: Final = (
    "लाभदायक व्यवसाय, अनुभवी कर्मचारी और पक्के ग्राहक।",
    "अपनी फैक्ट्री और मशीनें, कम कर्ज।",
    "निर्यात ऑर्डर और स्थिर मुनाफा।",
)


@dataclass(frozen=True)
class DemoBusiness:
    """The rows of one synthetic business, ready for bulk inserts."""

    msme: dict[str, Any]
    financials: list[dict[str, Any]]
    listing: dict[str, Any] | None


def _letters(number: int, width: int) -> str:
    out = ""
    for _ in range(width):
        number, digit = divmod(number, 26)
        out = string.ascii_uppercase[digit] + out
    return out


def demo_pan(index: int, holder: str) -> str:
    """A PAN unique to `index` (up to 26⁴ × 10⁴ businesses), of the given holder type."""
    high, serial = divmod(index, 10_000)
    letters = _letters(high, 4)
    return f"{letters[:3]}{holder}{letters[3]}{serial:04d}{_letters(index % 26, 1)}"


def demo_gstin(pan: str, state: State) -> str:
    """The GSTIN of `pan` in `state`, with its correct check character."""
    body = f"{state.primary_gst_code}{pan}1Z"
    return body + luhn.calc_check_digit(body, _GSTIN_ALPHABET)


def _state_and_city(rng: random.Random) -> tuple[State, str, str]:
    name = rng.choice(_BUSY_STATES) if rng.random() < 0.85 else rng.choice(STATES).name
    state = next(item for item in STATES if item.name == name)
    city, prefix = rng.choice(_CITIES.get(name, ((_CAPITALS.get(name, "Township"), "1"),)))
    return state, city, prefix.ljust(3, "1") + f"{rng.randrange(1000):03d}"


def _figures(rng: random.Random, year_established: int) -> list[dict[str, Any]]:
    revenue = int(rng.lognormvariate(17.8, 1.1))  # median ≈ ₹5.4 Cr, long tail both ways
    revenue = max(12 * LAKH, min(revenue, 450 * CRORE))
    margin = rng.choice((-0.04, 0.06, 0.09, 0.12, 0.15, 0.18, 0.22))
    rows = []
    for offset, year in enumerate(FISCAL_YEARS):
        if parse_fiscal_year(year) < year_established:
            continue
        scaled = int(revenue * (1 + rng.uniform(-0.05, 0.18)) ** (offset - 2))
        ebitda = int(scaled * (margin + rng.uniform(-0.02, 0.02)))
        depreciation = int(scaled * 0.03)
        interest = int(scaled * 0.015)
        assets = int(scaled * rng.uniform(0.5, 1.2))
        rows.append(
            {
                "fiscal_year": year,
                "revenue": scaled,
                "ebitda": ebitda,
                "net_profit": int((ebitda - depreciation - interest) * 0.75),
                "depreciation": depreciation,
                "interest": interest,
                "total_assets": assets,
                "total_liabilities": int(assets * rng.uniform(0.2, 0.7)),
                "cash": int(scaled * rng.uniform(0.02, 0.1)),
                "debt": int(scaled * rng.uniform(0.0, 0.3)),
                "owner_salary": int(min(scaled * 0.03, 60 * LAKH)),
            }
        )
    return rows


def _names(rng: random.Random, sector: Sector) -> tuple[str, str, str, str]:
    first = rng.choice(_FIRST_WORDS)
    noun = _WHAT.get(sector.code, (sector.name.split(" and ")[0], ""))[0]
    form, suffix, holder = rng.choice(_FORMS)
    legal = " ".join(part for part in (first, noun, suffix) if part)
    return legal, f"{first} {noun}", form, holder


def _listing(
    rng: random.Random, index: int, msme: dict[str, Any], latest: dict[str, Any], now: datetime
) -> dict[str, Any]:
    sector = next(item for item in SECTORS if item.code == msme["sector"])
    what = _WHAT.get(sector.code, ("", sector.name.lower()))[1] or sector.name.lower()
    deal_type = rng.choices(("full_sale", "stake_sale", "investment", "debt"), (4, 3, 2, 1))[0]
    stake = None if deal_type in ("full_sale", "debt") else float(rng.choice((10, 20, 26, 49, 51)))
    base = max(latest["ebitda"], latest["revenue"] // 20) * rng.uniform(3, 8)
    price = int(base * (stake / 100 if stake else 1) if deal_type != "debt" else base / 3)
    status = rng.choices(("active", "draft", "submitted", "closed"), (85, 6, 5, 4))[0]
    published = now - timedelta(minutes=index) if status in ("active", "closed") else None
    summary = (
        f"{msme['sub_sector'] or sector.name} business making {what}, "
        f"{msme['year_established'] and 2025 - msme['year_established']} years old, with "
        f"{rng.choice(_STRENGTHS)} and {rng.choice(_STRENGTHS)}. {rng.choice(_REASONS)}."
    )
    if rng.random() < 0.15:
        summary += " " + rng.choice(_HINDI_LINES)
    return {
        "id": uuid.UUID(int=rng.getrandbits(128), version=4),
        "msme_id": msme["id"],
        "owner_id": msme["owner_id"],
        "deal_type": deal_type,
        "asking_price": max(LAKH, price),
        "stake_percent": stake,
        "anonymous": rng.random() < 0.4,
        "headline": f"{sector.name}: {what} in {msme['state']}"[:120],
        "summary": summary,
        "status": status,
        "sector": msme["sector"],
        "state": msme["state"],
        "revenue": latest["revenue"],
        "ebitda": latest["ebitda"],
        "views_count": rng.randrange(0, 400) if status == "active" else 0,
        "interests_count": 0,
        "submitted_at": published,
        "published_at": published,
        "closed_at": now if status == "closed" else None,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }


def _profile(rng: random.Random, index: int, owner_id: uuid.UUID, now: datetime) -> dict[str, Any]:
    sector = rng.choice(SECTORS)
    state, city, pincode = _state_and_city(rng)
    legal, trade, form, holder = _names(rng, sector)
    pan = demo_pan(index, holder)
    what = _WHAT.get(sector.code, (None, None))[1]
    return {
        "id": uuid.UUID(int=rng.getrandbits(128), version=4),
        "owner_id": owner_id,
        "legal_name": legal,
        "trade_name": trade,
        "legal_form": form,
        "gstin": demo_gstin(pan, state) if rng.random() < 0.9 else None,
        "pan": pan,
        "udyam_number": f"UDYAM-{_UDYAM_CODE[state.name]}-{index % 100:02d}-{index:07d}",
        "cin": None,
        "sector": sector.code,
        "sub_sector": what,
        "description": f"{trade} ({sector.name}), {city}, {state.name}: {rng.choice(_STRENGTHS)}.",
        "products": what or sector.name,
        "state": state.name,
        "city": city,
        "pincode": pincode,
        "year_established": rng.randrange(1985, 2022),
        "employees": rng.randrange(4, 400),
        "investment_in_plant_machinery": int(rng.lognormvariate(16.3, 1.2)),
        "website": None,
        "verification_status": "verified" if rng.random() < 0.9 else "pending",
        "verification_reason": None,
        "verified_at": now,
        "deleted_at": None,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }


def demo_business(rng: random.Random, index: int, owner_id: uuid.UUID) -> DemoBusiness:
    """One business with up to three fiscal years and a listing; deterministic per rng."""
    now = utcnow()
    msme = _profile(rng, index, owner_id, now)
    financials = _figures(rng, msme["year_established"])
    latest = financials[-1]
    msme["classification"] = classify_msme(
        msme["investment_in_plant_machinery"], latest["revenue"], CLASSIFIED_ON
    ).value
    for row in financials:
        row.update(id=uuid.UUID(int=rng.getrandbits(128), version=4), msme_id=msme["id"])
        row.update(created_at=now, updated_at=now)
    listing = _listing(rng, index, msme, latest, now)
    if msme["verification_status"] != "verified" and listing["status"] == "active":
        listing["status"] = "submitted"
    return DemoBusiness(msme=msme, financials=financials, listing=listing)
