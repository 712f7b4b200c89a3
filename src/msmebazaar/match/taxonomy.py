"""Which sectors are related and which states are neighbours: the partial-credit tables.

Sector groups gather sectors a buyer of one would plausibly consider (same customers, same
plant, same know-how); a sector may sit in several groups. Neighbours are states and union
territories sharing a land border (Lakshadweep with Kerala, its port of call); the table is
written one way and closed under symmetry here.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from msmebazaar.msme.service import SECTORS
from msmebazaar.shared.india import STATE_NAMES

SECTOR_CODES: Final[tuple[str, ...]] = tuple(sector.code for sector in SECTORS)

SECTOR_GROUPS: Final[dict[str, frozenset[str]]] = {
    "food_and_agri": frozenset(
        {"food_processing", "dairy_beverages", "agriculture", "restaurants"}
    ),
    "textiles_and_fashion": frozenset(
        {"textiles", "apparel", "leather_footwear", "handicrafts", "gems_jewellery"}
    ),
    "engineering": frozenset(
        {
            "auto_components",
            "engineering",
            "metal_products",
            "electrical_equipment",
            "electronics",
            "rubber_products",
        }
    ),
    "process_industry": frozenset(
        {"chemicals", "pharma", "plastics_packaging", "rubber_products", "paper_printing"}
    ),
    "health": frozenset({"pharma", "medical_devices", "healthcare"}),
    "built_environment": frozenset(
        {"building_materials", "construction", "furniture", "metal_products"}
    ),
    "technology": frozenset(
        {"it_services", "software", "internet_ecommerce", "electronics", "media_advertising"}
    ),
    "services": frozenset({"business_services", "education", "media_advertising", "it_services"}),
    "trade_and_logistics": frozenset(
        {"retail", "wholesale_distribution", "internet_ecommerce", "logistics"}
    ),
    "hospitality": frozenset({"restaurants", "hospitality_tourism"}),
    "energy_and_environment": frozenset(
        {"renewable_energy", "waste_recycling", "electrical_equipment"}
    ),
}


def _related() -> MappingProxyType[str, frozenset[str]]:
    related: dict[str, set[str]] = {code: set() for code in SECTOR_CODES}
    for members in SECTOR_GROUPS.values():
        for code in members:
            related[code] |= members - {code}
    return MappingProxyType({code: frozenset(others) for code, others in related.items()})


RELATED_SECTORS: Final = _related()

_BORDERS: Final[dict[str, tuple[str, ...]]] = {
    "Jammu and Kashmir": ("Ladakh", "Himachal Pradesh", "Punjab"),
    "Ladakh": ("Himachal Pradesh",),
    "Himachal Pradesh": ("Punjab", "Haryana", "Uttarakhand", "Uttar Pradesh"),
    "Punjab": ("Haryana", "Rajasthan", "Chandigarh"),
    "Chandigarh": ("Haryana",),
    "Haryana": ("Delhi", "Uttar Pradesh", "Uttarakhand", "Rajasthan"),
    "Delhi": ("Uttar Pradesh",),
    "Uttarakhand": ("Uttar Pradesh",),
    "Uttar Pradesh": (
        "Rajasthan",
        "Madhya Pradesh",
        "Chhattisgarh",
        "Jharkhand",
        "Bihar",
    ),
    "Rajasthan": ("Madhya Pradesh", "Gujarat"),
    "Gujarat": ("Madhya Pradesh", "Maharashtra", "Dadra and Nagar Haveli and Daman and Diu"),
    "Dadra and Nagar Haveli and Daman and Diu": ("Maharashtra",),
    "Maharashtra": ("Madhya Pradesh", "Chhattisgarh", "Telangana", "Karnataka", "Goa"),
    "Goa": ("Karnataka",),
    "Karnataka": ("Telangana", "Andhra Pradesh", "Tamil Nadu", "Kerala"),
    "Kerala": ("Tamil Nadu", "Puducherry", "Lakshadweep"),
    "Tamil Nadu": ("Andhra Pradesh", "Puducherry"),
    "Puducherry": ("Andhra Pradesh",),
    "Andhra Pradesh": ("Telangana", "Odisha", "Chhattisgarh"),
    "Telangana": ("Chhattisgarh",),
    "Chhattisgarh": ("Madhya Pradesh", "Jharkhand", "Odisha"),
    "Odisha": ("Jharkhand", "West Bengal"),
    "Jharkhand": ("Bihar", "West Bengal"),
    "Bihar": ("West Bengal",),
    "West Bengal": ("Sikkim", "Assam"),
    "Assam": (
        "Arunachal Pradesh",
        "Nagaland",
        "Manipur",
        "Mizoram",
        "Tripura",
        "Meghalaya",
    ),
    "Arunachal Pradesh": ("Nagaland",),
    "Nagaland": ("Manipur",),
    "Manipur": ("Mizoram",),
    "Mizoram": ("Tripura",),
}


def _neighbours() -> MappingProxyType[str, frozenset[str]]:
    table: dict[str, set[str]] = {name: set() for name in STATE_NAMES}
    for state, others in _BORDERS.items():
        for other in others:
            table[state].add(other)
            table[other].add(state)
    return MappingProxyType({name: frozenset(others) for name, others in table.items()})


NEIGHBOURS: Final = _neighbours()
