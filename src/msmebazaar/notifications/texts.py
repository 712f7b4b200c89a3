"""What each notification says, in English and Hindi, and how it reads as an SMS or an email.
A notification carries a link into the portal, never a deal's message or offer itself."""

from __future__ import annotations

from msmebazaar.notifications.kinds import Kind
from msmebazaar.shared.i18n import Catalog

NAME_CHARS = 60  # of a listing's headline or a business's name, quoted in a notification
REASON_CHARS = 300  # of an admin's reason

TEXTS = Catalog(
    {
        "interest_received.title": {
            "en": "New interest in your listing",
            "hi": "आपकी लिस्टिंग में नई रुचि",
        },
        "interest_received.body": {
            "en": '{role} is interested in your listing "{name}". Accept or decline it.',
            "hi": '{role} आपकी लिस्टिंग "{name}" में रुचि रखते हैं। स्वीकार या अस्वीकार करें।',
        },
        "interest_accepted.title": {
            "en": "Your interest was accepted",
            "hi": "आपकी रुचि स्वीकार हुई",
        },
        "interest_accepted.body": {
            "en": 'The owner accepted your interest in "{name}". Your deal room is open.',
            "hi": 'मालिक ने "{name}" में आपकी रुचि स्वीकार की। आपका डील रूम खुल गया है।',
        },
        "interest_declined.title": {
            "en": "Your interest was declined",
            "hi": "आपकी रुचि अस्वीकार हुई",
        },
        "interest_declined.body": {
            "en": 'The owner declined your interest in "{name}".',
            "hi": 'मालिक ने "{name}" में आपकी रुचि अस्वीकार की।',
        },
        "deal_message.title": {"en": "New message in a deal", "hi": "डील में नया संदेश"},
        "deal_message.body": {
            "en": 'You have a new message in your deal "{name}".',
            "hi": 'आपकी डील "{name}" में नया संदेश है।',
        },
        "nda_accepted.title": {"en": "NDA accepted", "hi": "NDA स्वीकार हुआ"},
        "nda_accepted.body": {
            "en": 'The other side accepted the NDA in your deal "{name}".',
            "hi": 'आपकी डील "{name}" में दूसरे पक्ष ने NDA स्वीकार किया।',
        },
        "offer_received.title": {"en": "New offer", "hi": "नया प्रस्ताव"},
        "offer_received.body": {
            "en": 'There is a new offer in your deal "{name}".',
            "hi": 'आपकी डील "{name}" में नया प्रस्ताव है।',
        },
        "offer_decided.title": {"en": "Your offer was answered", "hi": "आपके प्रस्ताव का उत्तर"},
        "offer_decided.accepted": {
            "en": 'Your offer in "{name}" was accepted.',
            "hi": '"{name}" में आपका प्रस्ताव स्वीकार हुआ।',
        },
        "offer_decided.rejected": {
            "en": 'Your offer in "{name}" was declined.',
            "hi": '"{name}" में आपका प्रस्ताव अस्वीकार हुआ।',
        },
        "profile_verified.title": {"en": "Profile verified", "hi": "प्रोफ़ाइल सत्यापित"},
        "profile_verified.body": {
            "en": 'Your business profile "{name}" is verified. You can now list it for buyers '
            "and investors.",
            "hi": 'आपकी व्यावसायिक प्रोफ़ाइल "{name}" सत्यापित हो गई है। अब आप इसे खरीदारों और '
            "निवेशकों के लिए सूचीबद्ध कर सकते हैं।",
        },
        "profile_rejected.title": {
            "en": "Profile not verified",
            "hi": "प्रोफ़ाइल सत्यापित नहीं हुई",
        },
        "profile_rejected.body": {
            "en": 'We could not verify your business profile "{name}". Reason: {reason} Update '
            "the profile and it will be reviewed again.",
            "hi": 'हम आपकी व्यावसायिक प्रोफ़ाइल "{name}" सत्यापित नहीं कर सके। कारण: {reason} '
            "प्रोफ़ाइल अपडेट करें, उसकी फिर से समीक्षा होगी।",
        },
        "listing_approved.title": {"en": "Listing is live", "hi": "लिस्टिंग लाइव है"},
        "listing_approved.body": {
            "en": 'Your listing "{name}" is live. Buyers and investors can now find it.',
            "hi": 'आपकी लिस्टिंग "{name}" अब लाइव है। खरीदार और निवेशक अब इसे देख सकते हैं।',
        },
        "listing_rejected.title": {"en": "Listing not approved", "hi": "लिस्टिंग स्वीकृत नहीं"},
        "listing_rejected.body": {
            "en": 'Your listing "{name}" was not approved. Reason: {reason} Edit it and submit '
            "it again.",
            "hi": 'आपकी लिस्टिंग "{name}" स्वीकृत नहीं हुई। कारण: {reason} इसे बदलकर फिर से सबमिट करें।',
        },
        "new_match.title": {"en": "A new listing matches", "hi": "एक नई लिस्टिंग मेल खाती है"},
        "new_match.body": {
            "en": 'A new listing, "{name}", matches your mandate "{mandate}" ({grade}).',
            "hi": 'एक नई लिस्टिंग, "{name}", आपके मैंडेट "{mandate}" से मेल खाती है ({grade})।',
        },
        "grade.excellent": {"en": "excellent match", "hi": "बहुत अच्छा मेल"},
        "grade.good": {"en": "good match", "hi": "अच्छा मेल"},
        "role.buyer": {"en": "A buyer", "hi": "एक खरीदार"},
        "role.investor": {"en": "An investor", "hi": "एक निवेशक"},
        "sms": {"en": "MSMEBazaar: {body} {url}", "hi": "MSMEBazaar: {body} {url}"},
        "email.open": {"en": "Open it on MSMEBazaar:", "hi": "MSMEBazaar पर खोलें:"},
        "email.footer": {
            "en": "You get this email because of your notification settings. Change them: {url}",
            "hi": "यह ईमेल आपकी सूचना सेटिंग के कारण आया है। उन्हें बदलें: {url}",
        },
        "digest.subject.one": {
            "en": "MSMEBazaar: {count} update since yesterday",
            "hi": "MSMEBazaar: कल से {count} अपडेट",
        },
        "digest.subject.other": {
            "en": "MSMEBazaar: {count} updates since yesterday",
            "hi": "MSMEBazaar: कल से {count} अपडेट",
        },
        "digest.sms.one": {
            "en": "MSMEBazaar: {count} update since yesterday ({titles}). See it: {url}",
            "hi": "MSMEBazaar: कल से {count} अपडेट ({titles})। देखें: {url}",
        },
        "digest.sms.other": {
            "en": "MSMEBazaar: {count} updates since yesterday ({titles}). See them: {url}",
            "hi": "MSMEBazaar: कल से {count} अपडेट ({titles})। देखें: {url}",
        },
    }
)


def cut(text: str, chars: int) -> str:
    """`text` within `chars` characters, marked with an ellipsis where it was cut."""
    text = " ".join(text.split())
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def reason_text(reason: str | None) -> str:
    """An admin's reason as a sentence within `REASON_CHARS`."""
    text = cut(reason or "", REASON_CHARS)
    if text and text[-1] not in ".!?।…":
        text += "."
    return text


def title_of(kind: Kind, language: str) -> str:
    """The notification's title."""
    return TEXTS.text(f"{kind.value}.title", language)


def body_of(kind: Kind, language: str, key: str = "body", **params: str) -> str:
    """The notification's body (`key` picks a variant, such as an offer's answer)."""
    values = dict(params)
    if "name" in values:
        values["name"] = cut(values["name"], NAME_CHARS)
    if "mandate" in values:
        values["mandate"] = cut(values["mandate"], NAME_CHARS)
    return TEXTS.text(f"{kind.value}.{key}", language, **values)
