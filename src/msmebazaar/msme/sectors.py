"""The fixed sector taxonomy: what Indian MSMEs actually do, each mapped to a valuation sector.

`valuation_sector` is the industry's name, spelt exactly as in Damodaran's India / emerging-markets
industry tables (January 2026), so the valuation service finds its multiples without a second map.
Codes are stable API values: rename a name, never a code.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final


@dataclass(frozen=True, slots=True)
class Sector:
    """One sector of the taxonomy."""

    code: str
    name: str
    name_hi: str
    valuation_sector: str


SECTORS: Final[tuple[Sector, ...]] = (
    Sector("food_processing", "Food Processing", "खाद्य प्रसंस्करण", "Food Processing"),
    Sector("dairy_beverages", "Dairy and Beverages", "डेयरी और पेय पदार्थ", "Beverage (Soft)"),
    Sector("agriculture", "Agriculture and Allied", "कृषि और संबद्ध", "Farming/Agriculture"),
    Sector("textiles", "Textiles and Yarn", "वस्त्र और धागा", "Apparel"),
    Sector("apparel", "Apparel and Garments", "परिधान और वस्त्र निर्माण", "Apparel"),
    Sector("leather_footwear", "Leather and Footwear", "चमड़ा और जूते", "Shoe"),
    Sector("handicrafts", "Handicrafts and Handloom", "हस्तशिल्प और हथकरघा", "Household Products"),
    Sector("gems_jewellery", "Gems and Jewellery", "रत्न और आभूषण", "Precious Metals"),
    Sector(
        "furniture", "Furniture and Wood Products", "फर्नीचर और लकड़ी उत्पाद", "Furn/Home Furnishings"
    ),
    Sector(
        "paper_printing",
        "Printing and Paper Products",
        "छपाई और कागज़ उत्पाद",
        "Paper/Forest Products",
    ),
    Sector("auto_components", "Auto Components", "ऑटो पुर्ज़े", "Auto Parts"),
    Sector("engineering", "Engineering and Fabrication", "इंजीनियरिंग और फैब्रिकेशन", "Machinery"),
    Sector("metal_products", "Metal Products and Castings", "धातु उत्पाद और ढलाई", "Steel"),
    Sector("electrical_equipment", "Electrical Equipment", "विद्युत उपकरण", "Electrical Equipment"),
    Sector(
        "electronics", "Electronics Manufacturing", "इलेक्ट्रॉनिक्स विनिर्माण", "Electronics (General)"
    ),
    Sector("chemicals", "Chemicals and Dyes", "रसायन और रंग", "Chemical (Specialty)"),
    Sector("pharma", "Pharmaceuticals", "दवा निर्माण", "Drugs (Pharmaceutical)"),
    Sector(
        "medical_devices",
        "Medical Devices and Supplies",
        "चिकित्सा उपकरण और सामग्री",
        "Healthcare Products",
    ),
    Sector(
        "plastics_packaging", "Plastics and Packaging", "प्लास्टिक और पैकेजिंग", "Packaging & Container"
    ),
    Sector("rubber_products", "Rubber Products", "रबर उत्पाद", "Rubber& Tires"),
    Sector("building_materials", "Building Materials", "भवन निर्माण सामग्री", "Building Materials"),
    Sector(
        "construction",
        "Construction and Contracting",
        "निर्माण और ठेकेदारी",
        "Engineering/Construction",
    ),
    Sector(
        "renewable_energy",
        "Renewable Energy and Solar",
        "नवीकरणीय ऊर्जा और सौर",
        "Green & Renewable Energy",
    ),
    Sector("it_services", "IT Services", "आईटी सेवाएँ", "Computer Services"),
    Sector(
        "software",
        "Software Products and SaaS",
        "सॉफ़्टवेयर उत्पाद और सास",
        "Software (System & Application)",
    ),
    Sector(
        "internet_ecommerce", "Internet and E-commerce", "इंटरनेट और ई-कॉमर्स", "Software (Internet)"
    ),
    Sector(
        "business_services",
        "Business and Professional Services",
        "व्यावसायिक और पेशेवर सेवाएँ",
        "Business & Consumer Services",
    ),
    Sector("media_advertising", "Media and Advertising", "मीडिया और विज्ञापन", "Advertising"),
    Sector("education", "Education and Training", "शिक्षा और प्रशिक्षण", "Education"),
    Sector("healthcare", "Healthcare Services", "स्वास्थ्य सेवाएँ", "Hospitals/Healthcare Facilities"),
    Sector("logistics", "Logistics and Transport", "लॉजिस्टिक्स और परिवहन", "Trucking"),
    Sector("retail", "Retail", "खुदरा व्यापार", "Retail (General)"),
    Sector(
        "wholesale_distribution",
        "Wholesale and Distribution",
        "थोक व्यापार और वितरण",
        "Retail (Distributors)",
    ),
    Sector(
        "restaurants", "Restaurants and Food Services", "रेस्तरां और खाद्य सेवाएँ", "Restaurant/Dining"
    ),
    Sector("hospitality_tourism", "Hotels and Tourism", "होटल और पर्यटन", "Hotel/Gaming"),
    Sector(
        "waste_recycling",
        "Waste Management and Recycling",
        "अपशिष्ट प्रबंधन और पुनर्चक्रण",
        "Environmental & Waste Services",
    ),
)

_BY_CODE: Final = MappingProxyType({sector.code: sector for sector in SECTORS})
SECTOR_CODES: Final[frozenset[str]] = frozenset(_BY_CODE)


def get_sector(code: str) -> Sector | None:
    """The sector with this code, or None when the code is not in the taxonomy."""
    return _BY_CODE.get(code)
