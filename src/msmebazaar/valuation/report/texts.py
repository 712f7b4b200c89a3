"""The report's own words (headings, labels, notes) in English and Hindi. The explanations,
assumptions and comparison come rendered from the stored valuation (`valuation/texts.py`)."""

from __future__ import annotations

from typing import Any, Final

from msmebazaar.shared.i18n import Catalog
from msmebazaar.valuation.schemas import MarketEvidenceRead

TEXTS: Final[dict[str, dict[str, str]]] = {
    "title": {"en": "Valuation report", "hi": "मूल्यांकन रिपोर्ट"},
    "ad_hoc": {
        "en": "Ad hoc valuation (no business profile)",
        "hi": "तात्कालिक मूल्यांकन (बिना व्यवसाय प्रोफ़ाइल)",
    },
    "subtitle": {
        "en": "Sector: {sector} · valued on {date}",
        "hi": "क्षेत्र: {sector} · मूल्यांकन की तारीख़ {date}",
    },
    "range_heading": {
        "en": "Valuation range (equity value)",
        "hi": "मूल्यांकन सीमा (इक्विटी मूल्य)",
    },
    "low": {"en": "Low", "hi": "न्यूनतम"},
    "base": {"en": "Base", "hi": "आधार"},
    "high": {"en": "High", "hi": "अधिकतम"},
    "confidence": {"en": "Confidence", "hi": "विश्वसनीयता"},
    "axis_low": {"en": "Low {amount}", "hi": "न्यूनतम {amount}"},
    "axis_base": {"en": "Base {amount}", "hi": "आधार {amount}"},
    "axis_high": {"en": "High {amount}", "hi": "अधिकतम {amount}"},
    "overall_range": {"en": "Overall range", "hi": "कुल सीमा"},
    "discounts": {
        "en": "Size discount {size}, illiquidity discount {illiquidity}, range half-width "
        "{spread}, floor {floor}.",
        "hi": "आकार छूट {size}, तरलता की कमी की छूट {illiquidity}, सीमा की आधी चौड़ाई "
        "{spread}, न्यूनतम सीमा {floor}।",
    },
    # Data versions with a private-market calibration take no discount: say what set the multiple.
    "evidence": {
        "en": "Small private {group} businesses of this size sell for {low}–{high}× {basis} "
        "(typical {typical}×); this one is valued at {base}×.",
        "hi": "इस आकार के छोटे निजी {group} व्यवसाय {basis} के {low}–{high} गुना (आम तौर पर "
        "{typical} गुना) में बिकते हैं; इसका मूल्य {base} गुना आँका गया है।",
    },
    "range_note": {
        "en": "Range half-width {spread}, floor {floor}.",
        "hi": "सीमा की आधी चौड़ाई {spread}, न्यूनतम सीमा {floor}।",
    },
    "group.manufacturing": {"en": "manufacturing", "hi": "विनिर्माण"},
    "group.trade": {"en": "trading", "hi": "व्यापार"},
    "group.services": {"en": "services", "hi": "सेवा"},
    "group.software": {"en": "software", "hi": "सॉफ़्टवेयर"},
    "basis.sde": {"en": "owner's earnings (SDE)", "hi": "मालिक की कमाई (SDE)"},
    "basis.ebitda": {"en": "EBITDA", "hi": "EBITDA"},
    "chart_heading": {
        "en": "Each method's range with its value marked; shaded: the overall range; red: the "
        "base.",
        "hi": "हर विधि की सीमा, उसका मूल्य चिह्नित; छायांकित: कुल सीमा; लाल: आधार।",
    },
    "methods_heading": {"en": "Methods", "hi": "विधियाँ"},
    "method": {"en": "Method", "hi": "विधि"},
    "value": {"en": "Value", "hi": "मूल्य"},
    "weight": {"en": "Weight", "hi": "भार"},
    "skipped": {"en": "not used", "hi": "उपयोग नहीं"},
    "weights_heading": {"en": "How the methods are weighted", "hi": "विधियों को भार कैसे दिया गया"},
    "method.ebitda_multiple": {"en": "EBITDA multiple", "hi": "EBITDA गुणक"},
    "method.revenue_multiple": {"en": "Revenue multiple (derived)", "hi": "राजस्व गुणक (व्युत्पन्न)"},
    "method.dcf": {"en": "Discounted cash flow", "hi": "डिस्काउंटेड कैश फ़्लो"},
    "method.net_assets": {"en": "Adjusted net assets", "hi": "समायोजित शुद्ध संपत्ति"},
    "inputs_heading": {"en": "Inputs", "hi": "इनपुट"},
    "figure": {"en": "Figure", "hi": "आँकड़ा"},
    "figure.revenue": {"en": "Revenue", "hi": "राजस्व"},
    "figure.ebitda": {"en": "EBITDA", "hi": "EBITDA"},
    "figure.net_profit": {"en": "Net profit", "hi": "शुद्ध लाभ"},
    "figure.depreciation": {"en": "Depreciation", "hi": "मूल्यह्रास"},
    "figure.interest": {"en": "Interest", "hi": "ब्याज"},
    "figure.total_assets": {"en": "Total assets", "hi": "कुल संपत्ति"},
    "figure.total_liabilities": {"en": "Total liabilities", "hi": "कुल देनदारियाँ"},
    "figure.cash": {"en": "Cash", "hi": "नकद"},
    "figure.debt": {"en": "Debt", "hi": "कर्ज़"},
    "figure.owner_salary": {"en": "Owner salary", "hi": "मालिक का वेतन"},
    "about": {
        "en": "Verified profile: {verified}; financial documents: {documents}; established: "
        "{established}; employees: {employees}.",
        "hi": "सत्यापित प्रोफ़ाइल: {verified}; वित्तीय दस्तावेज़: {documents}; स्थापना: "
        "{established}; कर्मचारी: {employees}।",
    },
    "yes": {"en": "yes", "hi": "हाँ"},
    "no": {"en": "no", "hi": "नहीं"},
    "assumptions_heading": {"en": "Assumptions", "hi": "मान्यताएँ"},
    "sources_heading": {"en": "Data sources", "hi": "आँकड़ों के स्रोत"},
    "source": {
        "en": "{publisher}: {file} (updated {updated}). {statistic}.",
        "hi": "{publisher}: {file} (अद्यतन {updated})। {statistic}।",
    },
    "disclaimer": {
        "en": "Data version {data}, engine version {engine}. This report is an estimate from the "
        "figures given, not an audit or a fairness opinion.",
        "hi": "डेटा संस्करण {data}, इंजन संस्करण {engine}। यह रिपोर्ट दिए गए आँकड़ों पर आधारित "
        "एक अनुमान है, ऑडिट या निष्पक्षता की राय नहीं।",
    },
}
CATALOG: Final = Catalog(TEXTS)


def report_text(key: str, language: str, **params: Any) -> str:
    """A text of the report in `language` (en or hi)."""
    return CATALOG.text(key, language, **params)


def evidence_sentence(evidence: MarketEvidenceRead, language: str) -> str:
    """What small private businesses like this one sell for, and where this one lands: the
    one wording of it, for the report and the portal's result page."""
    return report_text(
        "evidence",
        language,
        group=report_text(f"group.{evidence.sector_group}", language),
        basis=report_text(f"basis.{evidence.basis}", language),
        low=f"{evidence.low_multiple:.1f}",
        high=f"{evidence.high_multiple:.1f}",
        typical=f"{evidence.typical_multiple:.2f}",
        base=f"{evidence.base_multiple:.2f}",
    )
