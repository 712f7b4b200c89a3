"""A labelled evaluation set for matching: 33 mandates × 300 listings, graded by written rules.

Listings come from 15 business themes (20 each), two themes sharing a sector where that is
realistic (cold storage and trucking are both logistics; namkeen and spices both food
processing; HR SaaS and billing apps both software), so the sector alone cannot tell them apart
and the thesis has to. Listing texts and mandate theses are written with different words.
Everything else (state, price, deal type, figures, age, verification) is drawn from a seeded
random generator, so the set is the same on every run.

Relevance of a listing to a mandate (the rules, independent of the engine's formula):
- 0 when it breaks a hard requirement of the mandate: deal type, asking price outside the
  ticket range by more than 10%, an excluded sector, a loss with `ebitda_positive_only`, or
  younger than `min_years`;
- 3 the mandate's own theme and in one of its states (or it names none);
- 2 the mandate's own theme, elsewhere;
- 1 a theme the mandate's buyer would also look at (same sector or a listed related theme);
- 0 otherwise.
"""

from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from msmebazaar.match.engine import MandateTerms
from msmebazaar.msme.service import ListingFacts

CRORE = 10_000_000
STATES = (
    "Maharashtra",
    "Gujarat",
    "Karnataka",
    "Tamil Nadu",
    "Uttar Pradesh",
    "Delhi",
    "Haryana",
    "Punjab",
    "West Bengal",
    "Telangana",
    "Rajasthan",
    "Kerala",
)


@dataclass(frozen=True)
class Theme:
    sector: str
    listing_texts: tuple[str, ...]
    theses: tuple[str, ...]
    related: tuple[str, ...] = ()


THEMES: dict[str, Theme] = {
    "cold_chain": Theme(
        "logistics",
        (
            "Refrigerated warehouse for fruits and vegetables near the mandi",
            "Temperature-controlled storage chambers for farm produce",
            "Cold rooms storing potatoes, onions and apples for traders",
            "Chilled depot and reefer vans moving perishables to retailers",
            "Frozen storage and banana ripening chambers for growers",
        ),
        (
            "Cold storage for vegetables and other perishables",
            "Cold chain capacity for agricultural produce close to farms",
        ),
        ("dairy", "trucking"),
    ),
    "trucking": Theme(
        "logistics",
        (
            "Fleet of forty trucks carrying full truckload freight across highways",
            "Road transport company hauling containers between ports and factories",
            "Goods carrier operator with long-haul lorries and drivers",
        ),
        ("Road freight fleet operator", "Highway cargo haulage business with its own lorries"),
        ("cold_chain",),
    ),
    "namkeen": Theme(
        "food_processing",
        (
            "Traditional namkeen, bhujia and chivda maker",
            "Savoury fried snacks brand sold through kirana distributors",
            "Packaged farsan and mixture sold in western India",
        ),
        ("Branded Indian savoury snacks", "Packaged snack foods with a distribution network"),
        ("spices", "dairy"),
    ),
    "spices": Theme(
        "food_processing",
        (
            "Masala grinding unit producing turmeric, chilli and garam masala",
            "Spice blending and packing plant with steam sterilisation",
            "Whole and ground spices exporter sourcing pepper and cardamom",
        ),
        ("Spice processing and masala brands", "Condiments and seasoning manufacturer"),
        ("namkeen",),
    ),
    "dairy": Theme(
        "dairy_beverages",
        (
            "Milk chilling and processing plant making paneer and ghee",
            "Dairy unit producing curd, buttermilk and butter",
            "Milk collection network with pasteurisation and pouch packing",
        ),
        ("Dairy processing with farmer milk procurement", "Milk products manufacturer"),
        ("cold_chain", "namkeen"),
    ),
    "saas_hr": Theme(
        "software",
        (
            "Cloud payroll and attendance software for small firms",
            "HR management platform sold by monthly subscription",
            "Employee onboarding and leave tracking app for companies",
        ),
        ("B2B subscription software for human resources", "Workforce management SaaS"),
        ("accounting_app", "it_consulting"),
    ),
    "accounting_app": Theme(
        "software",
        (
            "GST billing and invoicing app for shopkeepers",
            "Bookkeeping and inventory software for retailers on subscription",
            "Accounting platform that files GST returns for small traders",
        ),
        ("Invoicing and accounting software for merchants", "Tax filing and billing SaaS"),
        ("saas_hr",),
    ),
    "it_consulting": Theme(
        "it_services",
        (
            "IT consultancy implementing ERP systems for manufacturers",
            "Software development services company with export clients",
            "Technology outsourcing firm providing testing and support",
        ),
        ("IT services company with offshore customers", "Custom software development shop"),
        ("saas_hr", "accounting_app"),
    ),
    "auto_forging": Theme(
        "auto_components",
        (
            "Forged crankshafts and gears for two-wheeler makers",
            "Precision machined brake parts for tier-one suppliers",
            "Sheet metal pressings and chassis brackets for carmakers",
        ),
        ("Auto parts manufacturer supplying vehicle OEMs", "Automotive component maker"),
    ),
    "spinning": Theme(
        "textiles",
        (
            "Cotton yarn spinning mill with ring frames",
            "Open-end spinning unit producing denim yarn",
            "Polyester blended yarn manufacturer for weavers",
        ),
        ("Yarn manufacturing", "Spinning mill for cotton and blends"),
        ("garments",),
    ),
    "garments": Theme(
        "apparel",
        (
            "Knitted T-shirt exporter with stitching units",
            "Women's ethnic wear manufacturer supplying retail chains",
            "Denim jeans and casual wear factory",
        ),
        ("Clothing manufacturer for export markets", "Apparel brand with its own production"),
        ("spinning",),
    ),
    "pharma": Theme(
        "pharma",
        (
            "Bulk drug intermediates manufacturer with a WHO-GMP plant",
            "Generic tablets and capsules formulation unit",
            "Ayurvedic medicines and syrups maker with a licensed facility",
        ),
        ("Pharmaceutical manufacturing", "Medicine formulation company"),
        ("hospital",),
    ),
    "hospital": Theme(
        "healthcare",
        (
            "Multi-specialty hospital with eighty beds and ICU",
            "Diagnostic centre with pathology lab and MRI",
            "Maternity and child care nursing home",
        ),
        ("Healthcare delivery: clinics and hospitals", "Medical care provider"),
        ("pharma",),
    ),
    "solar": Theme(
        "renewable_energy",
        (
            "Rooftop solar installation company for homes and factories",
            "Solar EPC contractor for commercial buildings",
            "Solar panel mounting and inverter servicing business",
        ),
        ("Solar power projects", "Clean energy installer"),
    ),
    "hotel": Theme(
        "hospitality_tourism",
        (
            "Boutique heritage hotel with thirty rooms",
            "Resort near a hill station with banquet lawns",
            "Budget business hotel next to the railway station",
        ),
        ("Hospitality property: hotels and resorts", "Lodging business for tourists"),
    ),
}


@dataclass(frozen=True)
class LabelledMandate:
    terms: MandateTerms
    theme: str


def _listing(rng: random.Random, theme_name: str, number: int) -> tuple[ListingFacts, str]:
    theme = THEMES[theme_name]
    price = int(math.exp(rng.uniform(math.log(0.3 * CRORE), math.log(30 * CRORE))))
    deal = rng.choices(("full_sale", "stake_sale", "investment", "debt"), (5, 3, 1.5, 0.5))[0]
    revenue = int(price * rng.uniform(0.6, 3.0))
    text = theme.listing_texts[number % len(theme.listing_texts)]
    facts = ListingFacts(
        id=uuid.UUID(int=rng.getrandbits(128)),
        owner_id=uuid.UUID(int=rng.getrandbits(128)),
        status="active",
        sector=theme.sector,
        state=rng.choice(STATES),
        deal_type=deal,
        asking_price=price,
        stake_percent=round(rng.uniform(10, 60), 2)
        if deal in ("stake_sale", "investment")
        else None,
        revenue=revenue,
        ebitda=int(revenue * rng.uniform(-0.08, 0.25)),
        year_established=rng.randint(1985, 2024),
        verified=rng.random() < 0.7,
        headline=text,
        summary=f"{text}. Established customers and a trained team; owner retiring.",
        description="",
        updated_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    return facts, theme_name


def build_listings(seed: int = 7) -> list[tuple[ListingFacts, str]]:
    """300 listings: 20 of each theme, in a shuffled order."""
    rng = random.Random(seed)
    listings = [_listing(rng, name, n) for name in THEMES for n in range(20)]
    rng.shuffle(listings)
    return listings


def _mandate(rng: random.Random, theme_name: str, variant: int) -> LabelledMandate:
    theme = THEMES[theme_name]
    low = int(math.exp(rng.uniform(math.log(0.3 * CRORE), math.log(8 * CRORE))))
    sectors = frozenset() if variant == 1 else frozenset({theme.sector})
    terms = MandateTerms(
        id=uuid.UUID(int=rng.getrandbits(128)),
        deal_types=frozenset(rng.sample(("full_sale", "stake_sale", "investment"), 2)),
        sectors=sectors,
        exclude_sectors=frozenset({"software"})
        if theme.sector != "software" and variant
        else frozenset(),
        states=frozenset(rng.sample(STATES, 3)) if variant != 2 else frozenset(),
        ticket_min=low,
        ticket_max=low * rng.choice((4, 8, 15)),
        ebitda_positive_only=variant == 2,
        min_years=5 if variant == 1 else None,
        thesis=theme.theses[variant % len(theme.theses)],
    )
    return LabelledMandate(terms, theme_name)


def build_mandates(seed: int = 11) -> list[LabelledMandate]:
    """33 mandates: two per theme (one naming its sector, one leaving sectors open for the
    thesis to carry) and a third, EBITDA-positive-only variant for three themes."""
    rng = random.Random(seed)
    mandates = [_mandate(rng, name, variant) for name in THEMES for variant in (0, 1)]
    mandates += [_mandate(rng, name, 2) for name in ("cold_chain", "saas_hr", "namkeen")]
    return mandates


def _breaks_a_requirement(terms: MandateTerms, facts: ListingFacts) -> bool:
    price = facts.asking_price
    stake = 100.0 if facts.deal_type == "full_sale" else facts.stake_percent
    return (
        (bool(terms.deal_types) and facts.deal_type not in terms.deal_types)
        or (terms.ticket_min is not None and price < terms.ticket_min * 0.9)
        or (terms.ticket_max is not None and price > terms.ticket_max * 1.1)
        or facts.sector in terms.exclude_sectors
        or (terms.ebitda_positive_only and (facts.ebitda or 0) <= 0)
        or (
            terms.min_years is not None
            and (facts.year_established is None or 2026 - facts.year_established < terms.min_years)
        )
        or (terms.stake_min is not None and stake is not None and stake < terms.stake_min)
    )


def relevance(mandate: LabelledMandate, facts: ListingFacts, listing_theme: str) -> int:
    """The graded relevance (0–3) of a listing to a mandate, by the module's rules."""
    if _breaks_a_requirement(mandate.terms, facts):
        return 0
    theme = THEMES[mandate.theme]
    if listing_theme == mandate.theme:
        in_states = not mandate.terms.states or facts.state in mandate.terms.states
        return 3 if in_states else 2
    if listing_theme in theme.related or THEMES[listing_theme].sector == theme.sector:
        return 1
    return 0


def dcg(gains: list[int]) -> float:
    """Discounted cumulative gain with 2^rel − 1 gains."""
    return float(
        sum((2.0**gain - 1) / math.log2(position + 2) for position, gain in enumerate(gains))
    )


def ndcg_at(ranked: list[int], all_gains: list[int], k: int) -> float:
    """nDCG@k of a ranking (`ranked`: relevances in ranked order) against the ideal one."""
    ideal = dcg(sorted(all_gains, reverse=True)[:k])
    return dcg(ranked[:k]) / ideal if ideal > 0 else 1.0
