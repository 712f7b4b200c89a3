"""Texts of the admin pages: the overview and its charts, verification, moderation, users."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, dict[str, str]]] = {
    "admin.nav_label": {"en": "Admin", "hi": "एडमिन"},
    "admin.overview": {"en": "Overview", "hi": "सारांश"},
    "admin.verifications": {"en": "Verification queue", "hi": "सत्यापन कतार"},
    "admin.moderation": {"en": "Listing moderation", "hi": "लिस्टिंग समीक्षा"},
    "admin.users": {"en": "Users", "hi": "उपयोगकर्ता"},
    "admin.period": {"en": "From {first} to {last}", "hi": "{first} से {last} तक"},
    "admin.kpi_users": {"en": "users", "hi": "उपयोगकर्ता"},
    "admin.kpi_queue": {"en": "profiles to verify", "hi": "सत्यापन हेतु प्रोफ़ाइल"},
    "admin.kpi_live": {"en": "live listings", "hi": "सक्रिय लिस्टिंग"},
    "admin.kpi_deal_flow": {"en": "asked for live listings", "hi": "सक्रिय लिस्टिंग की माँगी गई राशि"},
    "admin.signups_title": {"en": "Signups per day", "hi": "प्रतिदिन नए उपयोगकर्ता"},
    "admin.signups_description.one": {
        "en": "{count} signup in the last 30 days, one column per day.",
        "hi": "पिछले 30 दिनों में {count} नया उपयोगकर्ता, हर दिन का एक स्तंभ।",
    },
    "admin.signups_description.other": {
        "en": "{count} signups in the last 30 days, one column per day.",
        "hi": "पिछले 30 दिनों में {count} नए उपयोगकर्ता, हर दिन का एक स्तंभ।",
    },
    "admin.funnel_title": {"en": "Seller funnel", "hi": "विक्रेता फ़नल"},
    "admin.funnel_description": {
        "en": "Owners at each step, and their share of those who signed up.",
        "hi": "हर चरण पर मालिक, और साइन अप करने वालों में उनका हिस्सा।",
    },
    "admin.deal_flow_title": {"en": "Deal flow in ₹ crore", "hi": "सौदों का प्रवाह (₹ करोड़ में)"},
    "admin.deal_flow_description": {
        "en": "Asking prices of live listings by kind of deal; {total} in all.",
        "hi": "सौदे के प्रकार के अनुसार सक्रिय लिस्टिंग की माँगी गई कीमतें; कुल {total}।",
    },
    "admin.funnel_definition": {
        "en": "Cohort: business owners who signed up in the period (buyers, investors and admins "
        "never sell, so they are not counted). Created a profile: of them, those who own a live "
        "business profile; verified: of those, who own a verified profile; listed: of those, "
        "who own a listing that was ever approved; accepted an interest: of those, who own a "
        "listing with an accepted interest. Each step counts only owners who reached every "
        "earlier step.",
        "hi": "समूह: इस अवधि में साइन अप करने वाले व्यवसाय मालिक (खरीदार, निवेशक और एडमिन कभी "
        "बेचते नहीं, इसलिए उन्हें नहीं गिना जाता)। प्रोफ़ाइल बनाई: उनमें से वे जिनकी कोई सक्रिय "
        "व्यावसायिक प्रोफ़ाइल है; सत्यापित: उनमें से वे जिनकी प्रोफ़ाइल सत्यापित है; लिस्ट किया: "
        "उनमें से वे जिनकी कोई लिस्टिंग कभी स्वीकृत हुई; रुचि स्वीकार की: उनमें से वे जिनकी "
        "लिस्टिंग पर कोई रुचि स्वीकार हुई। हर चरण में केवल वे मालिक गिने जाते हैं जो पिछले सभी "
        "चरणों तक पहुँचे।",
    },
    "admin.deal_flow_empty": {
        "en": "No live listings yet. Deal flow appears here once a listing is approved.",
        "hi": "अभी कोई सक्रिय लिस्टिंग नहीं। किसी लिस्टिंग के स्वीकृत होते ही सौदों का प्रवाह यहाँ दिखेगा।",
    },
    "admin.exports": {"en": "Download data (CSV)", "hi": "डेटा डाउनलोड करें (CSV)"},
    "admin.exports_hint": {
        "en": "Each download is recorded in the audit log; the users file holds phone numbers.",
        "hi": "हर डाउनलोड ऑडिट लॉग में दर्ज होता है; उपयोगकर्ताओं की फ़ाइल में फ़ोन नंबर हैं।",
    },
    "export.listings": {"en": "Listings (CSV)", "hi": "लिस्टिंग (CSV)"},
    "export.users": {"en": "Users (CSV)", "hi": "उपयोगकर्ता (CSV)"},
    "export.interests": {"en": "Interests (CSV)", "hi": "रुचियाँ (CSV)"},
    "admin.audit_log": {"en": "Audit log", "hi": "ऑडिट लॉग"},
    "admin.audit_filter": {"en": "Filter the audit log", "hi": "ऑडिट लॉग छाँटें"},
    "admin.audit_action": {"en": "Action", "hi": "कार्रवाई"},
    "admin.audit_target": {"en": "Target id", "hi": "लक्ष्य आईडी"},
    "admin.audit_actor": {"en": "Actor id", "hi": "कर्ता आईडी"},
    "admin.audit_count.one": {"en": "{count} entry", "hi": "{count} प्रविष्टि"},
    "admin.audit_count.other": {"en": "{count} entries", "hi": "{count} प्रविष्टियाँ"},
    "admin.audit_empty": {
        "en": "No audit entry matches.",
        "hi": "कोई ऑडिट प्रविष्टि मेल नहीं खाती।",
    },
    "admin.audit_system": {"en": "the system", "hi": "सिस्टम"},
    "admin.audit_by": {"en": "by {actor}", "hi": "{actor} द्वारा"},
    "admin.audit_change": {"en": "Change", "hi": "बदलाव"},
    "admin.audit_request": {"en": "Request {id}", "hi": "अनुरोध {id}"},
    "admin.newer": {"en": "Newer", "hi": "नए"},
    "admin.older": {"en": "Older", "hi": "पुराने"},
    "audit_action.msme.verification_decided": {
        "en": "Profile verification decided",
        "hi": "प्रोफ़ाइल सत्यापन पर निर्णय",
    },
    "audit_action.msme.verification_reset": {
        "en": "Profile sent back for verification",
        "hi": "प्रोफ़ाइल फिर से सत्यापन के लिए",
    },
    "audit_action.msme.transferred": {"en": "Profile transferred", "hi": "प्रोफ़ाइल स्थानांतरित"},
    "audit_action.msme.identifier_conflict": {
        "en": "Identifier claimed by another user",
        "hi": "पहचान संख्या पर किसी दूसरे का दावा",
    },
    "audit_action.listing.moderated": {"en": "Listing moderated", "hi": "लिस्टिंग की समीक्षा"},
    "audit_action.user.status_changed": {
        "en": "User status changed",
        "hi": "उपयोगकर्ता की स्थिति बदली",
    },
    "audit_action.user.role_changed": {
        "en": "User role changed",
        "hi": "उपयोगकर्ता की भूमिका बदली",
    },
    "audit_action.user.session_ended": {
        "en": "User ended a sign-in",
        "hi": "उपयोगकर्ता ने एक साइन-इन बंद किया",
    },
    "audit_action.user.second_factor_enabled": {
        "en": "User turned on two-step sign-in",
        "hi": "उपयोगकर्ता ने दो-चरण साइन-इन चालू किया",
    },
    "audit_action.user.second_factor_disabled": {
        "en": "User turned off two-step sign-in",
        "hi": "उपयोगकर्ता ने दो-चरण साइन-इन बंद किया",
    },
    "audit_action.user.second_factor_reset": {
        "en": "Two-step sign-in removed by an operator",
        "hi": "ऑपरेटर ने दो-चरण साइन-इन हटाया",
    },
    "audit_action.user.recovery_code_used": {
        "en": "User signed in with a recovery code",
        "hi": "उपयोगकर्ता ने रिकवरी कोड से साइन इन किया",
    },
    "audit_action.data.exported": {"en": "Data exported", "hi": "डेटा निर्यात"},
    "audit_target.user": {"en": "User", "hi": "उपयोगकर्ता"},
    "audit_target.msme": {"en": "Business profile", "hi": "व्यावसायिक प्रोफ़ाइल"},
    "audit_target.listing": {"en": "Listing", "hi": "लिस्टिंग"},
    "audit_target.dataset": {"en": "Dataset", "hi": "डेटासेट"},
    "admin.more": {"en": "Other figures", "hi": "अन्य आँकड़े"},
    "admin.valuations": {"en": "Valuations", "hi": "मूल्यांकन"},
    "admin.mandates": {"en": "Active mandates", "hi": "सक्रिय मैंडेट"},
    "admin.matches": {"en": "Matches served", "hi": "दिखाए गए मेल"},
    "admin.interests": {"en": "Interests accepted", "hi": "स्वीकृत रुचियाँ"},
    "admin.show": {"en": "Show", "hi": "दिखाएँ"},
    "admin.filter": {"en": "Show", "hi": "दिखाएँ"},
    "admin.user_role": {"en": "Role", "hi": "भूमिका"},
    "admin.queue_count.one": {"en": "{count} profile", "hi": "{count} प्रोफ़ाइल"},
    "admin.queue_count.other": {"en": "{count} profiles", "hi": "{count} प्रोफ़ाइल"},
    "admin.queue_empty": {"en": "Nothing to verify.", "hi": "सत्यापन के लिए कुछ नहीं।"},
    "admin.checks": {"en": "Automatic checks", "hi": "स्वचालित जाँच"},
    "admin.duplicates": {
        "en": "Another owner's profile has the same registration:",
        "hi": "किसी दूसरे मालिक की प्रोफ़ाइल में यही पंजीकरण है:",
    },
    "admin.fiscal_years": {"en": "Fiscal years given", "hi": "दिए गए वित्त वर्ष"},
    "admin.reason": {"en": "Reason", "hi": "कारण"},
    "admin.reason_hint": {
        "en": "Needed to reject; the owner reads it.",
        "hi": "अस्वीकार करने के लिए ज़रूरी; मालिक इसे पढ़ेगा।",
    },
    "admin.approve": {"en": "Approve", "hi": "स्वीकृत करें"},
    "admin.reject": {"en": "Reject", "hi": "अस्वीकार करें"},
    "admin.last_reason": {"en": "Reason given: {reason}", "hi": "दिया गया कारण: {reason}"},
    "admin.moderation_count.one": {
        "en": "{count} listing in review",
        "hi": "{count} लिस्टिंग समीक्षा में",
    },
    "admin.moderation_count.other": {
        "en": "{count} listings in review",
        "hi": "{count} लिस्टिंग समीक्षा में",
    },
    "admin.moderation_empty": {
        "en": "No listing waits for review.",
        "hi": "कोई लिस्टिंग समीक्षा की प्रतीक्षा में नहीं।",
    },
    "admin.anonymous": {"en": "anonymous", "hi": "गुमनाम"},
    "admin.user_search": {"en": "Find users", "hi": "उपयोगकर्ता खोजें"},
    "admin.user_q": {"en": "Name, phone or email", "hi": "नाम, फ़ोन या ईमेल"},
    "admin.status": {"en": "Status", "hi": "स्थिति"},
    "admin.user_count.one": {"en": "{count} user", "hi": "{count} उपयोगकर्ता"},
    "admin.user_count.other": {"en": "{count} users", "hi": "{count} उपयोगकर्ता"},
    "admin.save_user": {"en": "Save", "hi": "सहेजें"},
    "funnel.signed_up": {"en": "Signed up", "hi": "साइन अप किया"},
    "funnel.created_profile": {"en": "Created a profile", "hi": "प्रोफ़ाइल बनाई"},
    "funnel.verified": {"en": "Verified", "hi": "सत्यापित"},
    "funnel.listed": {"en": "Listed", "hi": "लिस्ट किया"},
    "funnel.interest_accepted": {"en": "Accepted an interest", "hi": "रुचि स्वीकार की"},
    "admin.deal_funnel_title": {"en": "Deal funnel", "hi": "डील फ़नल"},
    "admin.deal_funnel_description": {
        "en": "Deals opened in the period (an interest accepted) and how far they got; {lost} "
        "closed without a deal.",
        "hi": "इस अवधि में खुली डील (रुचि स्वीकार हुई) और वे कितनी आगे बढ़ीं; {lost} बिना सौदे के बंद हुईं।",
    },
    "deal_funnel.opened": {"en": "Opened", "hi": "खुलीं"},
    "deal_funnel.nda_signed": {"en": "Both accepted the NDA", "hi": "दोनों ने NDA स्वीकार किया"},
    "deal_funnel.offer_accepted": {"en": "Offer accepted", "hi": "प्रस्ताव स्वीकार हुआ"},
    "deal_funnel.won": {"en": "Won", "hi": "सफल"},
    "admin.deal_days_to_nda": {"en": "Median days to both NDAs", "hi": "दोनों NDA तक औसत दिन"},
    "admin.deal_days_to_offer": {
        "en": "Median days from NDA to an accepted offer",
        "hi": "NDA से स्वीकृत प्रस्ताव तक औसत दिन",
    },
    "admin.deal_days_to_close": {"en": "Median days to close", "hi": "बंद होने तक औसत दिन"},
    "admin.days_value": {"en": "{days} days", "hi": "{days} दिन"},
    "admin.deal_funnel_all": {"en": "All deals by stage", "hi": "चरण के अनुसार सभी डील"},
    "check.pass": {"en": "Passed", "hi": "सफल"},
    "check.fail": {"en": "Failed", "hi": "विफल"},
    "check.missing": {"en": "Not given", "hi": "नहीं दिया"},
    "check_name.gstin_checksum": {"en": "GSTIN check character", "hi": "जीएसटीआईएन जाँच अक्षर"},
    "check_name.pan_match": {"en": "PAN inside the GSTIN", "hi": "जीएसटीआईएन के भीतर का पैन"},
    "check_name.state_match": {"en": "GSTIN state", "hi": "जीएसटीआईएन का राज्य"},
    "check_name.udyam_format": {"en": "Udyam number", "hi": "उद्यम नंबर"},
    "user_status.active": {"en": "Active", "hi": "सक्रिय"},
    "user_status.suspended": {"en": "Suspended", "hi": "निलंबित"},
    "flash.verification_decided": {
        "en": "Decision saved; the owner is told.",
        "hi": "निर्णय सहेजा गया; मालिक को सूचित किया गया।",
    },
    "flash.listing_moderated": {
        "en": "Decision saved; the owner is told.",
        "hi": "निर्णय सहेजा गया; मालिक को सूचित किया गया।",
    },
    "flash.user_updated": {"en": "User updated.", "hi": "उपयोगकर्ता अपडेट किया गया।"},
    "error.VERIFICATION_NOT_PENDING": {
        "en": "This profile was already decided.",
        "hi": "इस प्रोफ़ाइल पर पहले ही निर्णय हो चुका है।",
    },
    "error.MSME_IDENTIFIER_REQUIRED": {
        "en": "A profile needs a GSTIN, PAN or Udyam number before it can be verified.",
        "hi": "सत्यापन से पहले प्रोफ़ाइल में जीएसटीआईएन, पैन या उद्यम नंबर होना चाहिए।",
    },
    "error.SELF_CHANGE_NOT_ALLOWED": {
        "en": "You cannot suspend yourself or change your own role.",
        "hi": "आप स्वयं को निलंबित नहीं कर सकते या अपनी भूमिका नहीं बदल सकते।",
    },
    "error.LAST_ADMIN": {
        "en": "This is the last active admin: make another admin first.",
        "hi": "यह अंतिम सक्रिय एडमिन है: पहले कोई दूसरा एडमिन बनाएँ।",
    },
}
