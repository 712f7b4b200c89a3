"""A sector from what an owner says the business does ("we make cotton shirts", "kirana ki
dukaan", "दूध की डेयरी"): words of each sector of the taxonomy (`msme.service.SECTORS`), in
English, Hindi and Hinglish. A test checks that every code here is in the taxonomy."""

from __future__ import annotations

import re
from typing import Final

from msmebazaar.msme.service import SECTORS, Sector, get_sector
from msmebazaar.whatsapp.conversation.parsing import find_sectors, normalise

# Word stems; a stem matches the start of a word ("garment" matches "garments").
SECTOR_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "food_processing": (
        "food", "namkeen", "snack", "papad", "pickle", "achar", "masala", "spice", "bakery",
        "biscuit", "flour", "atta", "mill", "rice mill", "oil mill", "sweets", "mithai",
        "नमकीन", "मसाला", "अचार", "पापड़", "बेकरी", "आटा", "मिठाई", "खाद्य",
    ),
    "dairy_beverages": (
        "dairy", "milk", "paneer", "ghee", "doodh", "juice", "beverage", "drinks", "water plant",
        "mineral water", "डेयरी", "दूध", "पनीर", "घी", "जूस",
    ),
    "agriculture": (
        "farm", "agri", "kheti", "seeds", "fertili", "poultry", "fishery", "nursery", "खेती",
        "कृषि", "बीज", "खाद", "मुर्गी",
    ),
    "textiles": (
        "textile", "yarn", "fabric", "cloth", "weaving", "spinning", "power loom", "powerloom",
        "kapda", "dhaga", "कपड़ा", "धागा", "वस्त्र", "बुनाई",
    ),
    "apparel": (
        "garment", "apparel", "shirt", "kurti", "tailor", "stitching", "readymade", "clothing",
        "silai", "सिलाई", "गारमेंट", "कुर्ती", "शर्ट", "रेडीमेड",
    ),
    "leather_footwear": (
        "leather", "shoe", "footwear", "chappal", "sandal", "jooti", "चमड़ा", "जूते", "जूता",
        "चप्पल",
    ),
    "handicrafts": (
        "handicraft", "handloom", "craft", "pottery", "brass", "hastshilp", "हस्तशिल्प", "हथकरघा",
    ),
    "gems_jewellery": (
        "jewel", "gold", "silver", "diamond", "gems", "sunar", "zewar", "गहने", "आभूषण", "सोना",
        "ज्वेलरी",
    ),
    "furniture": (
        "furniture", "wood", "carpent", "sofa", "plywood", "फर्नीचर", "लकड़ी", "फ़र्नीचर",
    ),
    "paper_printing": (
        "print", "paper", "offset", "carton", "stationery", "छपाई", "प्रिंटिंग", "कागज़", "कागज",
    ),
    "auto_components": (
        "auto part", "auto component", "automobile", "spare part", "car part", "bike part",
        "ऑटो पार्ट", "ऑटो पुर्ज़े",
    ),
    "engineering": (
        "engineering", "fabrication", "cnc", "machining", "machine", "lathe", "welding",
        "tool room", "मशीन", "फैब्रिकेशन", "इंजीनियरिंग", "वेल्डिंग",
    ),
    "metal_products": (
        "metal", "steel", "casting", "forging", "foundry", "iron", "aluminium", "utensil",
        "बर्तन", "स्टील", "ढलाई", "लोहा",
    ),
    "electrical_equipment": (
        "electrical", "cable", "wire", "switch", "transformer", "motor", "fan", "बिजली",
        "तार", "केबल",
    ),
    "electronics": ("electronic", "pcb", "led", "mobile accessor", "इलेक्ट्रॉनिक"),
    "chemicals": (
        "chemical", "dye", "paint", "detergent", "soap", "रसायन", "केमिकल", "पेंट", "साबुन",
    ),
    "pharma": (
        "pharma", "medicine", "tablet", "drug", "ayurved", "दवा", "दवाई", "फार्मा", "आयुर्वेद",
    ),
    "medical_devices": ("medical device", "surgical", "diagnostic", "सर्जिकल"),
    "plastics_packaging": (
        "plastic", "packaging", "packing", "pouch", "bottle", "box", "polythene", "प्लास्टिक",
        "पैकेजिंग", "पैकिंग",
    ),
    "rubber_products": ("rubber", "tyre", "tire", "रबर"),
    "building_materials": (
        "cement", "brick", "tiles", "marble", "granite", "sanitary", "hardware", "ईंट",
        "सीमेंट", "टाइल",
    ),
    "construction": (
        "construction", "contractor", "builder", "civil work", "thekedar", "निर्माण", "ठेकेदार",
    ),
    "renewable_energy": ("solar", "renewable", "wind energy", "सोलर", "सौर"),
    "it_services": (
        "it service", "it company", "software service", "web develop", "app develop",
        "computer", "website", "आईटी", "कंप्यूटर",
    ),
    "software": ("software", "saas", "सॉफ्टवेयर", "सॉफ़्टवेयर"),
    "internet_ecommerce": (
        "ecommerce", "e-commerce", "online store", "online shop", "online sell", "amazon",
        "flipkart", "ई-कॉमर्स", "ऑनलाइन",
    ),
    "business_services": (
        "consult", "accounting", "ca firm", "agency", "security service", "manpower",
        "cleaning", "facility", "beauty", "parlour", "parlor", "salon", "spa", "gym", "fitness",
        "laundry", "dry clean", "repair", "service centre", "परामर्श", "अकाउंटिंग", "पार्लर",
        "सैलून", "ब्यूटी",
    ),
    "media_advertising": (
        "advertis", "media", "marketing", "event", "photo", "studio", "विज्ञापन", "मीडिया",
    ),
    "education": (
        "school", "coaching", "tuition", "training", "institute", "academy", "education",
        "स्कूल", "कोचिंग", "ट्यूशन", "शिक्षा",
    ),
    "healthcare": (
        "clinic", "hospital", "diagnostic centre", "lab", "nursing", "dental", "pathology",
        "क्लिनिक", "अस्पताल", "लैब",
    ),
    "logistics": (
        "transport", "logistic", "truck", "courier", "cargo", "warehouse", "tempo", "ट्रांसपोर्ट",
        "ट्रक", "कूरियर", "गोदाम",
    ),
    "retail": (
        "shop", "store", "kirana", "grocery", "retail", "dukan", "dukaan", "showroom", "mart",
        "mobile phone", "medical store", "chemist", "boutique",
        "दुकान", "किराना", "शोरूम", "खुदरा",
    ),
    "wholesale_distribution": (
        "wholesale", "distribut", "trading", "trader", "dealer", "stockist", "supplier",
        "thok", "थोक", "डीलर", "वितरण", "ट्रेडिंग",
    ),
    "restaurants": (
        "restaurant", "dhaba", "cafe", "hotel food", "catering", "tiffin", "cloud kitchen",
        "canteen", "ढाबा", "रेस्टोरेंट", "रेस्तरां", "कैटरिंग", "टिफ़िन",
    ),
    "hospitality_tourism": (
        "hotel", "resort", "travel", "tour", "homestay", "guest house", "lodge", "होटल", "टूर",
        "ट्रैवल",
    ),
    "waste_recycling": ("recycl", "scrap", "waste", "kabadi", "कबाड़", "रीसायकल"),
}  # fmt: skip

_DEVANAGARI: Final = re.compile(r"[\u0900-\u097F]")


def _hits(text: str, stem: str) -> bool:
    if _DEVANAGARI.search(stem):
        return stem in text
    # A short stem is a whole word ("spa" is not the start of "space").
    end = r"(?![a-z])" if len(stem) <= 3 else ""
    return re.search(rf"(?<![a-z]){re.escape(stem)}{end}", text) is not None


def match_sectors(text: str | None) -> list[Sector]:
    """Sectors a description points to, the likeliest first: a sector's own name wins; else
    the sectors whose words the description uses, by how many and how long those words are."""
    typed = normalise(text or "")
    if not typed:
        return []
    named = find_sectors(typed)
    if len(named) == 1:
        return named
    scores: dict[str, int] = {}
    for code, stems in SECTOR_WORDS.items():
        score = sum(len(stem) for stem in stems if _hits(typed, stem))
        if score:
            scores[code] = score
    ranked = sorted(scores, key=lambda code: (-scores[code], code))
    found = [sector for code in ranked if (sector := get_sector(code)) is not None]
    return found or named


def is_sure(candidates: list[Sector], text: str | None) -> bool:
    """Whether the best match is clear enough to take without asking: the only one, or ahead
    of the next by a whole word."""
    if len(candidates) == 1:
        return True
    if not candidates:
        return False
    typed = normalise(text or "")
    score = [
        sum(len(s) for s in SECTOR_WORDS.get(c.code, ()) if _hits(typed, s)) for c in candidates
    ]
    return score[0] >= score[1] + 4


__all__ = ["SECTORS", "SECTOR_WORDS", "is_sure", "match_sectors"]
