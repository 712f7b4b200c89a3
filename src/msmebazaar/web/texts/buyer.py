"""Texts of the buyer's and investor's pages: mandates, matches and interests sent."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, dict[str, str]]] = {
    "mandates.title": {"en": "My mandates", "hi": "मेरे मैंडेट"},
    "mandates.lead": {
        "en": "Say what you look for; we rank the live listings for it and explain each match.",
        "hi": "बताएँ कि आप क्या खोज रहे हैं; हम सक्रिय लिस्टिंग को क्रम देते हैं और हर मेल समझाते हैं।",
    },
    "mandates.new": {"en": "New mandate", "hi": "नया मैंडेट"},
    "mandates.none": {"en": "No mandates yet.", "hi": "अभी कोई मैंडेट नहीं।"},
    "mandates.active": {"en": "Active", "hi": "सक्रिय"},
    "mandates.paused": {"en": "Paused", "hi": "रुका हुआ"},
    "mandates.ticket": {"en": "ticket {low} – {high}", "hi": "राशि {low} – {high}"},
    "mandate_form.new_title": {"en": "New mandate", "hi": "नया मैंडेट"},
    "mandate_form.edit_title": {"en": "Edit the mandate", "hi": "मैंडेट बदलें"},
    "mandate_form.title": {"en": "Title", "hi": "शीर्षक"},
    "mandate_form.title_hint": {
        "en": "e.g. Profitable food processor in the west.",
        "hi": "जैसे पश्चिम भारत में लाभदायक खाद्य प्रसंस्करण इकाई।",
    },
    "mandate_form.deal_types": {
        "en": "Deals you consider (none: any)",
        "hi": "आप किन सौदों पर विचार करेंगे (कोई नहीं: सभी)",
    },
    "mandate_form.sectors": {"en": "Sectors you want", "hi": "आपके पसंदीदा क्षेत्र"},
    "mandate_form.exclude_sectors": {
        "en": "Sectors never to show",
        "hi": "कभी न दिखाए जाने वाले क्षेत्र",
    },
    "mandate_form.states": {"en": "States", "hi": "राज्य"},
    "mandate_form.multi_hint": {
        "en": "Hold Ctrl (or Cmd) to choose several; none chosen means any.",
        "hi": "कई चुनने के लिए Ctrl (या Cmd) दबाए रखें; कुछ न चुनने का अर्थ है सभी।",
    },
    "mandate_form.ticket_min": {"en": "Ticket from", "hi": "राशि से"},
    "mandate_form.ticket_max": {"en": "Ticket up to", "hi": "राशि तक"},
    "mandate_form.revenue_min": {"en": "Revenue from", "hi": "राजस्व से"},
    "mandate_form.revenue_max": {"en": "Revenue up to", "hi": "राजस्व तक"},
    "mandate_form.min_years": {"en": "Years in business, at least", "hi": "व्यवसाय के वर्ष, कम से कम"},
    "mandate_form.ebitda_positive": {
        "en": "Profitable (positive EBITDA) only",
        "hi": "केवल लाभदायक (धनात्मक EBITDA)",
    },
    "mandate_form.thesis": {
        "en": "What you look for, in your words",
        "hi": "आप क्या खोज रहे हैं, अपने शब्दों में",
    },
    "mandate_form.thesis_hint": {
        "en": "Matched by meaning with each business's description.",
        "hi": "हर व्यवसाय के विवरण से अर्थ के आधार पर मिलाया जाता है।",
    },
    "mandate_form.public_profile": {
        "en": "Show my name to sellers",
        "hi": "विक्रेताओं को मेरा नाम दिखाएँ",
    },
    "mandate_form.public_profile_hint": {
        "en": "Otherwise sellers see only what you look for.",
        "hi": "अन्यथा विक्रेता केवल यह देखेंगे कि आप क्या खोज रहे हैं।",
    },
    "mandate_form.active": {"en": "Active", "hi": "सक्रिय"},
    "mandate.edit": {"en": "Edit", "hi": "बदलें"},
    "mandate.delete": {"en": "Delete", "hi": "हटाएँ"},
    "mandate.matches": {"en": "Matching listings", "hi": "मेल खाती लिस्टिंग"},
    "mandate.paused_note": {
        "en": "This mandate is paused: sellers do not see it.",
        "hi": "यह मैंडेट रुका हुआ है: विक्रेता इसे नहीं देखते।",
    },
    "mandate.why": {"en": "Why it matches", "hi": "यह क्यों मेल खाता है"},
    "mandate.no_matches": {
        "en": "No live listing matches yet. Widen the mandate, or check back later.",
        "hi": "अभी कोई सक्रिय लिस्टिंग मेल नहीं खाती। मैंडेट को व्यापक करें, या बाद में देखें।",
    },
    "interests_sent.title": {"en": "Interests sent", "hi": "भेजी गई रुचियाँ"},
    "interests_sent.business": {"en": "Business", "hi": "व्यवसाय"},
    "interests_sent.owner": {"en": "Owner", "hi": "मालिक"},
    "interests_sent.withdraw": {"en": "Withdraw", "hi": "वापस लें"},
    "interests_sent.none": {
        "en": "No interests sent yet. Find a listing in the marketplace.",
        "hi": "अभी कोई रुचि नहीं भेजी। बाज़ार में लिस्टिंग खोजें।",
    },
}
