"""Texts of notifications in the portal: the bell in the header, the inbox and the page where
each kind's channels (SMS, WhatsApp, email) and the daily digest are chosen. What a
notification itself says comes from the notifications service, already in the reader's language."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, dict[str, str]]] = {
    # --- the bell (every page, signed in); `{n}` and `{title}` are filled in by bell.js too ---
    "bell.label": {"en": "Notifications", "hi": "सूचनाएँ"},
    "bell.label_unread": {"en": "Notifications, {n} unread", "hi": "सूचनाएँ, {n} अपठित"},
    "bell.announce": {"en": "New notification: {title}", "hi": "नई सूचना: {title}"},
    # --- the kinds, as the preferences table names them ---
    "notification_kind.interest_received": {
        "en": "Someone is interested in my listing",
        "hi": "मेरी लिस्टिंग में किसी ने रुचि दिखाई",
    },
    "notification_kind.interest_accepted": {
        "en": "An owner accepts my interest",
        "hi": "मालिक ने मेरी रुचि स्वीकार की",
    },
    "notification_kind.interest_declined": {
        "en": "An owner declines my interest",
        "hi": "मालिक ने मेरी रुचि अस्वीकार की",
    },
    "notification_kind.deal_message": {
        "en": "A new message in one of my deals",
        "hi": "मेरे किसी सौदे में नया संदेश",
    },
    "notification_kind.nda_accepted": {
        "en": "The other side accepts the NDA",
        "hi": "दूसरे पक्ष ने एनडीए स्वीकार किया",
    },
    "notification_kind.offer_received": {
        "en": "A new offer or counter-offer",
        "hi": "नया प्रस्ताव या जवाबी प्रस्ताव",
    },
    "notification_kind.offer_decided": {
        "en": "My offer is accepted or rejected",
        "hi": "मेरा प्रस्ताव स्वीकार या अस्वीकार हुआ",
    },
    "notification_kind.profile_verified": {
        "en": "My business profile is verified",
        "hi": "मेरी व्यवसाय प्रोफ़ाइल सत्यापित हुई",
    },
    "notification_kind.profile_rejected": {
        "en": "My business profile is not verified",
        "hi": "मेरी व्यवसाय प्रोफ़ाइल सत्यापित नहीं हुई",
    },
    "notification_kind.listing_approved": {
        "en": "My listing is approved",
        "hi": "मेरी लिस्टिंग स्वीकृत हुई",
    },
    "notification_kind.listing_rejected": {
        "en": "My listing is not approved",
        "hi": "मेरी लिस्टिंग स्वीकृत नहीं हुई",
    },
    "notification_kind.new_match": {
        "en": "A new listing matches my mandate",
        "hi": "नई लिस्टिंग मेरे मैंडेट से मेल खाती है",
    },
    "notification_channel.sms": {"en": "SMS", "hi": "एसएमएस"},
    "notification_channel.whatsapp": {"en": "WhatsApp", "hi": "व्हाट्सऐप"},
    "notification_channel.email": {"en": "Email", "hi": "ईमेल"},
    # --- the inbox ---
    "notifications.title": {"en": "Notifications", "hi": "सूचनाएँ"},
    "notifications.lead": {
        "en": "What happened on MSMEBazaar that concerns you, newest first. Open one to see it "
        "and mark it read.",
        "hi": "MSMEBazaar पर आपसे जुड़ी बातें, सबसे नई पहले। देखने के लिए खोलें; खोलते ही वह पढ़ी हुई मानी जाएगी।",
    },
    "notifications.filter": {"en": "Show", "hi": "दिखाएँ"},
    "notifications.show_all": {"en": "All", "hi": "सभी"},
    "notifications.show_unread": {"en": "Unread", "hi": "अपठित"},
    "notifications.count.one": {"en": "{count} notification", "hi": "{count} सूचना"},
    "notifications.count.other": {"en": "{count} notifications", "hi": "{count} सूचनाएँ"},
    "notifications.unread_count.one": {
        "en": "{count} unread notification",
        "hi": "{count} अपठित सूचना",
    },
    "notifications.unread_count.other": {
        "en": "{count} unread notifications",
        "hi": "{count} अपठित सूचनाएँ",
    },
    "notifications.new": {"en": "Unread", "hi": "अपठित"},
    "notifications.open": {"en": "Open", "hi": "खोलें"},
    "notifications.read_all": {"en": "Mark all read", "hi": "सभी को पढ़ा हुआ मानें"},
    "notifications.none": {
        "en": "No notifications yet. When someone shows interest in your listing, answers your "
        "interest or writes in a deal, you will find it here.",
        "hi": "अभी कोई सूचना नहीं। जब कोई आपकी लिस्टिंग में रुचि दिखाए, आपकी रुचि का उत्तर दे या "
        "किसी सौदे में लिखे, तो वह यहाँ दिखेगा।",
    },
    "notifications.none_unread": {
        "en": "Nothing unread: you are up to date.",
        "hi": "कुछ भी अपठित नहीं: आपने सब देख लिया है।",
    },
    "notifications.preferences_link": {
        "en": "Choose how you hear of each kind",
        "hi": "चुनें कि हर तरह की सूचना आप तक कैसे पहुँचे",
    },
    # --- preferences ---
    "notification_prefs.title": {"en": "How we tell you", "hi": "हम आपको कैसे बताएँ"},
    "notification_prefs.back": {"en": "All notifications", "hi": "सभी सूचनाएँ"},
    "notification_prefs.lead": {
        "en": "Every notification reaches your inbox here. Choose, for each kind, whether we "
        "also send it by SMS, WhatsApp or email.",
        "hi": "हर सूचना यहाँ आपके इनबॉक्स में आती है। हर तरह के लिए चुनें कि क्या हम उसे "
        "एसएमएस, व्हाट्सऐप या ईमेल से भी भेजें।",
    },
    "notification_prefs.table": {"en": "Channels for each kind", "hi": "हर तरह के लिए माध्यम"},
    "notification_prefs.kind": {"en": "Kind of notification", "hi": "सूचना का प्रकार"},
    "notification_prefs.digest": {"en": "How often", "hi": "कितनी बार"},
    "notification_prefs.digest_off": {
        "en": "One message for each notification, as it happens",
        "hi": "हर सूचना के लिए एक संदेश, जैसे ही वह हो",
    },
    "notification_prefs.digest_on": {
        "en": "One digest a day, at 08:00 India time",
        "hi": "दिन में एक सारांश, भारतीय समय सुबह 08:00 बजे",
    },
    "notification_prefs.quiet_hours": {
        "en": "Quiet hours: between 22:00 and 08:00 India time, SMS, WhatsApp and email wait "
        "until 08:00. Your inbox here never waits.",
        "hi": "शांत समय: भारतीय समय रात 22:00 से सुबह 08:00 तक एसएमएस, व्हाट्सऐप और ईमेल सुबह "
        "08:00 तक रुके रहते हैं। यहाँ का इनबॉक्स कभी नहीं रुकता।",
    },
    "notification_prefs.whatsapp_window": {
        "en": "WhatsApp reaches you only within 24 hours of your last WhatsApp message to us; "
        "otherwise we send an SMS instead.",
        "hi": "व्हाट्सऐप संदेश आप तक तभी पहुँचता है जब आपने पिछले 24 घंटों में हमें व्हाट्सऐप पर "
        "संदेश भेजा हो; नहीं तो हम उसकी जगह एसएमएस भेजते हैं।",
    },
    "notification_prefs.email_to": {
        "en": "Email goes to {address}.",
        "hi": "ईमेल {address} पर जाता है।",
    },
    "notification_prefs.email_missing": {
        "en": "Your account has no email address, so no email is sent.",
        "hi": "आपके खाते में कोई ईमेल पता नहीं है, इसलिए कोई ईमेल नहीं भेजा जाता।",
    },
    "notification_prefs.email_add": {
        "en": "Add an email address to your account",
        "hi": "अपने खाते में ईमेल पता जोड़ें",
    },
    "notification_prefs.email_unavailable": {
        "en": "MSMEBazaar is not sending email at the moment; your choices are kept for when it "
        "does.",
        "hi": "MSMEBazaar अभी ईमेल नहीं भेज रहा है; आपकी पसंद तब के लिए सहेजी रहती है।",
    },
    "notification_prefs.save": {"en": "Save", "hi": "सहेजें"},
    "notification_prefs.unknown_choice": {
        "en": "This form has a choice we do not know. Reload the page and try again.",
        "hi": "इस फ़ॉर्म में एक ऐसा विकल्प है जिसे हम नहीं पहचानते। पृष्ठ फिर से लोड करके दोबारा कोशिश करें।",
    },
    # --- flashes and errors ---
    "flash.notifications_read": {
        "en": "All notifications are marked read.",
        "hi": "सभी सूचनाएँ पढ़ी हुई मान ली गईं।",
    },
    "flash.notification_preferences_saved": {
        "en": "Your notification choices are saved.",
        "hi": "सूचनाओं की आपकी पसंद सहेजी गई।",
    },
    "error.NOTIFICATION_NOT_FOUND": {
        "en": "No such notification.",
        "hi": "ऐसी कोई सूचना नहीं है।",
    },
}
