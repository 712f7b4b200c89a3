"""What owners are told of admins' decisions, in English and Hindi (sent through the outbox)."""

from __future__ import annotations

from msmebazaar.shared.i18n import Catalog

NAME_IN_SMS = 60
REASON_IN_SMS = 300

NOTICES = Catalog(
    {
        "verification.approve": {
            "en": 'MSMEBazaar: your business profile "{name}" is verified. You can now list it '
            "for buyers and investors.",
            "hi": 'MSMEBazaar: आपकी व्यावसायिक प्रोफ़ाइल "{name}" सत्यापित हो गई है। अब आप इसे '
            "खरीदारों और निवेशकों के लिए सूचीबद्ध कर सकते हैं।",
        },
        "verification.reject": {
            "en": 'MSMEBazaar: we could not verify your business profile "{name}". Reason: '
            "{reason} Update the profile and it will be reviewed again.",
            "hi": 'MSMEBazaar: हम आपकी व्यावसायिक प्रोफ़ाइल "{name}" सत्यापित नहीं कर सके। कारण: '
            "{reason} प्रोफ़ाइल अपडेट करें, उसकी फिर से समीक्षा होगी।",
        },
        "listing.approve": {
            "en": 'MSMEBazaar: your listing "{name}" is live. Buyers and investors can now find '
            "it.",
            "hi": 'MSMEBazaar: आपकी लिस्टिंग "{name}" अब लाइव है। खरीदार और निवेशक अब इसे देख सकते हैं।',
        },
        "listing.reject": {
            "en": 'MSMEBazaar: your listing "{name}" was not approved. Reason: {reason} Edit it '
            "and submit it again.",
            "hi": 'MSMEBazaar: आपकी लिस्टिंग "{name}" स्वीकृत नहीं हुई। कारण: {reason} इसे '
            "बदलकर फिर से सबमिट करें।",
        },
    }
)


def notice(key: str, language: str, *, name: str, reason: str | None) -> str:
    """The text of a decision notice, the name and reason cut to fit an SMS."""
    reason_text = (reason or "").strip()[:REASON_IN_SMS]
    if reason_text and reason_text[-1] not in ".!?।":
        reason_text += "."
    return NOTICES.text(key, language, name=name[:NAME_IN_SMS], reason=reason_text)
