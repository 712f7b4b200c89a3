"""Reasons for a match, in English and Hindi (DESIGN.md §3: texts come in the caller's language).

The wording names "the mandate" rather than "you", so one text serves the buyer looking at
listings and the seller looking at mandates. Figures a public card shows as bands (revenue,
EBITDA) are given as the same bands here, years in business as year bands, and a mandate's
revenue range widened to whole bands: a reason must not undo the anonymity rule (DESIGN.md §3).
"""

from __future__ import annotations

from msmebazaar.shared.i18n import Catalog

REASONS = Catalog(
    {
        "sector.listed": {
            "en": "Sector: {sector}, in the mandate's list",
            "hi": "क्षेत्र: {sector}, मैंडेट की सूची में",
        },
        "sector.related": {
            "en": "Sector: {sector}, related to the mandate's sectors",
            "hi": "क्षेत्र: {sector}, मैंडेट के क्षेत्रों से जुड़ा हुआ",
        },
        "sector.other": {
            "en": "Sector: {sector}, not among the mandate's sectors",
            "hi": "क्षेत्र: {sector}, मैंडेट के क्षेत्रों में नहीं",
        },
        "state.listed": {
            "en": "Location: {state}, in the mandate's states",
            "hi": "स्थान: {state}, मैंडेट के राज्यों में",
        },
        "state.neighbour": {
            "en": "Location: {state}, next to the mandate's states",
            "hi": "स्थान: {state}, मैंडेट के राज्यों का पड़ोसी",
        },
        "state.other": {
            "en": "Location: {state}, outside the mandate's states",
            "hi": "स्थान: {state}, मैंडेट के राज्यों से बाहर",
        },
        "ticket.inside": {
            "en": "Asking {price}, inside {range}",
            "hi": "मांगी गई कीमत {price}, {range} के भीतर",
        },
        "ticket.near": {
            "en": "Asking {price}, within {tolerance}% of {range}",
            "hi": "मांगी गई कीमत {price}, {range} से {tolerance}% के दायरे में",
        },
        "revenue.inside": {
            "en": "Revenue {band}, inside {range}",
            "hi": "राजस्व {band}, {range} के भीतर",
        },
        "revenue.outside": {
            "en": "Revenue {band}, outside {range}",
            "hi": "राजस्व {band}, {range} से बाहर",
        },
        "revenue.unknown": {
            "en": "Revenue not reported",
            "hi": "राजस्व की जानकारी नहीं दी गई",
        },
        "profit.positive": {
            "en": "Profitable: EBITDA {band}",
            "hi": "मुनाफ़े में: EBITDA {band}",
        },
        "profit.break_even": {
            "en": "Not loss-making: EBITDA {band}",
            "hi": "घाटे में नहीं: EBITDA {band}",
        },
        "profit.loss": {
            "en": "Loss-making at the EBITDA level",
            "hi": "EBITDA स्तर पर घाटे में",
        },
        "profit.unknown": {
            "en": "EBITDA not reported",
            "hi": "EBITDA की जानकारी नहीं दी गई",
        },
        "age.years": {
            "en": "In business for {years} years",
            "hi": "{years} वर्षों से कारोबार में",
        },
        "age.unknown": {
            "en": "Year of establishment not given",
            "hi": "स्थापना का वर्ष नहीं दिया गया",
        },
        "verified.yes": {
            "en": "Verified business profile",
            "hi": "सत्यापित व्यावसायिक प्रोफ़ाइल",
        },
        "verified.no": {
            "en": "Business profile not verified yet",
            "hi": "व्यावसायिक प्रोफ़ाइल अभी सत्यापित नहीं",
        },
        "semantic.strong": {
            "en": "Description closely matches the thesis",
            "hi": "विवरण निवेश थीसिस से काफ़ी मेल खाता है",
        },
        "semantic.partial": {
            "en": "Description partly matches the thesis",
            "hi": "विवरण निवेश थीसिस से आंशिक रूप से मेल खाता है",
        },
        "semantic.weak": {
            "en": "Description differs from the thesis",
            "hi": "विवरण निवेश थीसिस से अलग है",
        },
        "range.between": {"en": "{low}–{high}", "hi": "{low}–{high}"},
        "range.at_least": {"en": "at least {low}", "hi": "कम से कम {low}"},
        "range.up_to": {"en": "up to {high}", "hi": "{high} तक"},
        "years.under": {"en": "under {high}", "hi": "{high} से कम"},
        "years.between": {"en": "{low}–{high}", "hi": "{low}–{high}"},
        "years.at_least": {"en": "{low} or more", "hi": "{low} या अधिक"},
    }
)
