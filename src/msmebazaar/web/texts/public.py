"""Texts of the public pages: marketplace, listing cards, sectors, the valuation calculator and
valuations, signing in and the account page."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, dict[str, str]]] = {
    "listing.under_offer_note": {
        "en": "The owner accepted an offer; you may still send an interest.",
        "hi": "मालिक ने एक प्रस्ताव स्वीकार किया है; आप फिर भी रुचि भेज सकते हैं।",
    },
    "listing.figures_after_nda": {
        "en": "Exact figures and documents open in the deal room once both of you accept the NDA.",
        "hi": "सटीक आँकड़े और दस्तावेज़ डील रूम में तब खुलेंगे जब आप दोनों NDA स्वीकार कर लें।",
    },
    "home.title": {"en": "Marketplace", "hi": "बाज़ार"},
    "home.heading": {
        "en": "Indian businesses for sale and for investment",
        "hi": "बिक्री और निवेश के लिए भारतीय व्यवसाय",
    },
    "home.lead": {
        "en": "Every business is checked by an admin; anonymous listings show only bands until "
        "the owner accepts your interest.",
        "hi": "हर व्यवसाय की जाँच एक एडमिन करता है; गुमनाम लिस्टिंग तब तक केवल दायरे दिखाती है "
        "जब तक मालिक आपकी रुचि स्वीकार न करे।",
    },
    "search.label": {"en": "Search listings", "hi": "लिस्टिंग खोजें"},
    "search.words": {"en": "Words", "hi": "शब्द"},
    "search.words_example": {"en": "e.g. namkeen export", "hi": "जैसे नमकीन निर्यात"},
    "search.sector": {"en": "Sector", "hi": "क्षेत्र"},
    "search.state": {"en": "State", "hi": "राज्य"},
    "search.deal_type": {"en": "Deal", "hi": "सौदा"},
    "search.price_min": {"en": "Price from", "hi": "कीमत से"},
    "search.price_max": {"en": "Price up to", "hi": "कीमत तक"},
    "search.amount_example": {"en": "e.g. 50 lakh", "hi": "जैसे 50 लाख"},
    "search.sort": {"en": "Order", "hi": "क्रम"},
    "search.any": {"en": "Any", "hi": "कोई भी"},
    "search.submit": {"en": "Search", "hi": "खोजें"},
    "search.count.one": {"en": "{count} listing found", "hi": "{count} लिस्टिंग मिली"},
    "search.count.other": {"en": "{count} listings found", "hi": "{count} लिस्टिंग मिलीं"},
    "search.none": {
        "en": "No listing matches. Try fewer filters.",
        "hi": "कोई लिस्टिंग मेल नहीं खाती। कम फ़िल्टर आज़माएँ।",
    },
    "card.anonymous": {
        "en": "Name shared after the owner accepts",
        "hi": "मालिक की स्वीकृति के बाद नाम दिखेगा",
    },
    "card.deal": {"en": "Deal", "hi": "सौदा"},
    "card.asking": {"en": "Asking price", "hi": "माँगी गई कीमत"},
    "card.revenue": {"en": "Revenue", "hi": "राजस्व"},
    "card.ebitda": {"en": "EBITDA", "hi": "EBITDA"},
    "card.revenue_exact": {"en": "Revenue (latest year)", "hi": "राजस्व (नवीनतम वर्ष)"},
    "card.ebitda_exact": {"en": "EBITDA (latest year)", "hi": "EBITDA (नवीनतम वर्ष)"},
    "card.sector": {"en": "Sector", "hi": "क्षेत्र"},
    "card.state": {"en": "Location", "hi": "स्थान"},
    "card.published": {"en": "Listed on", "hi": "लिस्ट होने की तारीख़"},
    "listing.anonymous_note": {
        "en": "This business is listed anonymously: its name, city and identifiers are shared "
        "only after the owner accepts your interest.",
        "hi": "यह व्यवसाय गुमनाम रूप से लिस्ट है: इसका नाम, शहर और पहचान संख्याएँ मालिक द्वारा "
        "आपकी रुचि स्वीकार करने के बाद ही दिखेंगी।",
    },
    "listing.summary": {"en": "About the business", "hi": "व्यवसाय के बारे में"},
    "listing.identity": {"en": "Who the business is", "hi": "व्यवसाय की पहचान"},
    "listing.yours": {"en": "Your listing", "hi": "आपकी लिस्टिंग"},
    "listing.status": {"en": "Status", "hi": "स्थिति"},
    "listing.manage": {"en": "Manage this listing", "hi": "इस लिस्टिंग को प्रबंधित करें"},
    "interest.yours": {"en": "Your interest", "hi": "आपकी रुचि"},
    "interest.status": {"en": "Status", "hi": "स्थिति"},
    "interest.see_all": {"en": "See all the interests you sent", "hi": "अपनी भेजी सभी रुचियाँ देखें"},
    "interest.limit_reached": {
        "en": "You have sent the most interests allowed for this listing, so you cannot send "
        "another. The owner has received every one of them.",
        "hi": "आप इस लिस्टिंग के लिए अनुमत अधिकतम रुचियाँ भेज चुके हैं, इसलिए अब और नहीं भेज "
        "सकते। मालिक को आपकी हर रुचि मिल चुकी है।",
    },
    "interest.send_heading": {"en": "Interested?", "hi": "रुचि है?"},
    "interest.send_lead": {
        "en": "Tell the owner who you are and what you have in mind. If they accept, you both "
        "see each other's contact details.",
        "hi": "मालिक को बताएँ कि आप कौन हैं और क्या सोच रहे हैं। स्वीकार होने पर आप दोनों "
        "एक-दूसरे का संपर्क देख पाएँगे।",
    },
    "interest.message": {"en": "Your message to the owner", "hi": "मालिक के लिए आपका संदेश"},
    "interest.message_hint": {"en": "At least 10 characters.", "hi": "कम से कम 10 अक्षर।"},
    "interest.send": {"en": "Send interest", "hi": "रुचि भेजें"},
    "interest.sign_in": {
        "en": "Sign in as a buyer or investor to send an interest",
        "hi": "रुचि भेजने के लिए ख़रीदार या निवेशक के रूप में साइन इन करें",
    },
    "sectors.title": {"en": "Sectors", "hi": "क्षेत्र"},
    "sectors.lead": {
        "en": "What each sector is worth on listed Indian markets: the EV/EBITDA multiple our "
        "valuations start from.",
        "hi": "सूचीबद्ध भारतीय बाज़ारों में हर क्षेत्र का मूल्य: EV/EBITDA गुणक जिससे हमारा मूल्यांकन शुरू होता है।",
    },
    "sectors.sector": {"en": "Sector", "hi": "क्षेत्र"},
    "sectors.multiple": {"en": "EV/EBITDA used", "hi": "प्रयुक्त EV/EBITDA"},
    "sectors.margin": {"en": "Typical EBITDA margin", "hi": "सामान्य EBITDA मार्जिन"},
    "sector.multiple_line": {
        "en": "Valued at {multiple}× EBITDA, from {firms} listed firms in {industry}.",
        "hi": "{industry} की {firms} सूचीबद्ध कंपनियों के आधार पर EBITDA का {multiple} गुना मूल्य।",
    },
    "sector.listings": {"en": "Listings in this sector", "hi": "इस क्षेत्र की लिस्टिंग"},
    "sector.businesses": {"en": "Verified businesses", "hi": "सत्यापित व्यवसाय"},
    "sector.business_count.one": {
        "en": "{count} verified business in all.",
        "hi": "कुल {count} सत्यापित व्यवसाय।",
    },
    "sector.business_count.other": {
        "en": "{count} verified businesses in all.",
        "hi": "कुल {count} सत्यापित व्यवसाय।",
    },
    "sector.no_businesses": {
        "en": "No verified business has a public profile in this sector yet.",
        "hi": "इस क्षेत्र में अभी किसी सत्यापित व्यवसाय की सार्वजनिक प्रोफ़ाइल नहीं है।",
    },
    "calculator.title": {"en": "What is a business worth?", "hi": "व्यवसाय का मूल्य क्या है?"},
    "calculator.lead": {
        "en": "Give a sector and a year or more of figures: four methods, a range and every "
        "assumption written out.",
        "hi": "एक क्षेत्र और एक या अधिक वर्ष के आँकड़े दें: चार तरीके, एक दायरा और हर धारणा लिखी हुई।",
    },
    "calculator.not_saved": {
        "en": "You are not signed in: the result is shown but not kept.",
        "hi": "आप साइन इन नहीं हैं: परिणाम दिखाया जाएगा पर सहेजा नहीं जाएगा।",
    },
    "calculator.year": {"en": "Fiscal year {year}", "hi": "वित्त वर्ष {year}"},
    "calculator.latest": {"en": "latest complete year", "hi": "नवीनतम पूरा वर्ष"},
    "calculator.submit": {"en": "Value it", "hi": "मूल्यांकन करें"},
    "valuation.heading": {"en": "Valuation", "hi": "मूल्यांकन"},
    "valuation.page_title": {"en": "Valuation: {name}", "hi": "मूल्यांकन: {name}"},
    "valuation.ad_hoc_title": {"en": "Ad hoc valuation", "hi": "तात्कालिक मूल्यांकन"},
    "valuation.sector_line": {"en": "Sector: {sector}", "hi": "क्षेत्र: {sector}"},
    "valuation.weights": {"en": "How the methods are weighted", "hi": "विधियों को भार कैसे दिया गया"},
    "valuation.back_to_business": {"en": "Back to the business", "hi": "व्यवसाय पर वापस"},
    "valuation.range_line": {"en": "Worth {low} to {high}", "hi": "मूल्य {low} से {high}"},
    "valuation.base_line": {"en": "Most likely {base}", "hi": "सबसे संभावित {base}"},
    "valuation.confidence": {"en": "confidence {value}", "hi": "विश्वास {value}"},
    "valuation.range": {"en": "Range", "hi": "दायरा"},
    "valuation.chart_title": {"en": "Valuation range by method", "hi": "तरीके के अनुसार मूल्य का दायरा"},
    "valuation.chart_description": {
        "en": "The business is valued between {low} and {high}, most likely {base}.",
        "hi": "व्यवसाय का मूल्य {low} और {high} के बीच है, सबसे संभावित {base}।",
    },
    "valuation.chart_caption": {
        "en": "Each bar is one method's range; the line marks its value. The last bar is the "
        "range we give.",
        "hi": "हर पट्टी एक तरीके का दायरा है; रेखा उसका मूल्य दिखाती है। आख़िरी पट्टी हमारा दिया दायरा है।",
    },
    "valuation.methods": {"en": "How each method values it", "hi": "हर तरीका इसे कैसे आँकता है"},
    "valuation.method": {"en": "Method", "hi": "तरीका"},
    "valuation.value": {"en": "Value", "hi": "मूल्य"},
    "valuation.weight": {"en": "Weight", "hi": "भार"},
    "valuation.not_used": {"en": "Not used", "hi": "प्रयोग नहीं हुआ"},
    "valuation.discounts": {
        "en": "Discounts applied: {size} for size, {illiquidity} because a private business is "
        "hard to sell.",
        "hi": "लगाई गई छूट: आकार के लिए {size}, और {illiquidity} क्योंकि निजी व्यवसाय बेचना कठिन होता है।",
    },
    "valuation.assumptions": {"en": "Assumptions", "hi": "धारणाएँ"},
    "valuation.data_version": {"en": "Data version {version}", "hi": "डेटा संस्करण {version}"},
    "valuation.pdf": {"en": "Download the report (PDF)", "hi": "रिपोर्ट डाउनलोड करें (PDF)"},
    "signin.title": {"en": "Sign in", "hi": "साइन इन करें"},
    "signin.lead": {
        "en": "We send a 6-digit code by SMS. No password needed.",
        "hi": "हम एसएमएस से 6 अंकों का कोड भेजते हैं। पासवर्ड की ज़रूरत नहीं।",
    },
    "signin.phone": {"en": "Mobile number", "hi": "मोबाइल नंबर"},
    "signin.phone_hint": {
        "en": "An Indian mobile, e.g. 98765 43210.",
        "hi": "भारतीय मोबाइल, जैसे 98765 43210।",
    },
    "signin.phone_invalid": {
        "en": "Enter a 10-digit Indian mobile number, e.g. 98765 43210.",
        "hi": "10 अंकों का भारतीय मोबाइल नंबर लिखें, जैसे 98765 43210।",
    },
    "signin.send_code": {"en": "Send code", "hi": "कोड भेजें"},
    "signin.or": {"en": "Or", "hi": "या"},
    "signin.with_provider": {"en": "Sign in with {provider}", "hi": "{provider} से साइन इन करें"},
    "signin.pending_link": {
        "en": "Verify your mobile number once to finish: your account {email} will then sign "
        "you in here.",
        "hi": "पूरा करने के लिए एक बार अपना मोबाइल नंबर सत्यापित करें: उसके बाद आपका खाता {email} आपको "
        "यहाँ साइन इन कराएगा।",
    },
    "verify.title": {"en": "Enter the code", "hi": "कोड डालें"},
    "verify.lead": {"en": "We sent a code to {phone}.", "hi": "हमने {phone} पर कोड भेजा है।"},
    "verify.debug_code": {
        "en": "Development only — your code is",
        "hi": "केवल डेवलपमेंट के लिए — आपका कोड है",
    },
    "verify.code": {"en": "6-digit code", "hi": "6 अंकों का कोड"},
    "verify.name": {"en": "Your name", "hi": "आपका नाम"},
    "verify.resend_wait": {
        "en": "You can ask for a new code in {seconds} s.",
        "hi": "आप {seconds} सेकंड बाद नया कोड माँग सकते हैं।",
    },
    "verify.resend_ready": {
        "en": "You can ask for a new code now.",
        "hi": "अब आप नया कोड माँग सकते हैं।",
    },
    "welcome.title": {"en": "Welcome to MSMEBazaar", "hi": "MSMEBazaar में आपका स्वागत है"},
    "welcome.lead": {
        "en": "Your number is verified. Tell us how you will use MSMEBazaar; you can change "
        "this later in your account.",
        "hi": "आपका नंबर सत्यापित हो गया। बताइए कि आप MSMEBazaar का उपयोग कैसे करेंगे; इसे बाद "
        "में अपने खाते में बदल सकते हैं।",
    },
    "welcome.role": {"en": "I am a", "hi": "मैं हूँ"},
    "welcome.submit": {"en": "Continue", "hi": "आगे बढ़ें"},
    "verify.submit": {"en": "Sign in", "hi": "साइन इन करें"},
    "verify.resend": {"en": "Send a new code", "hi": "नया कोड भेजें"},
    "second_factor.title": {"en": "Two-step sign-in", "hi": "दो-चरण साइन-इन"},
    "second_factor.lead": {
        "en": "Enter the 6-digit code your authenticator app shows for MSMEBazaar. Lost the "
        "phone with the app? Enter one of your recovery codes instead.",
        "hi": "अपने ऑथेंटिकेटर ऐप में MSMEBazaar के लिए दिख रहा 6 अंकों का कोड डालें। ऐप वाला फ़ोन खो गया? "
        "उसकी जगह अपना एक रिकवरी कोड डालें।",
    },
    "second_factor.code": {
        "en": "Code from the app, or a recovery code",
        "hi": "ऐप का कोड, या एक रिकवरी कोड",
    },
    "second_factor.submit": {"en": "Sign in", "hi": "साइन इन करें"},
    "account.title": {"en": "My account", "hi": "मेरा खाता"},
    "account.two_step": {"en": "Two-step sign-in", "hi": "दो-चरण साइन-इन"},
    "account.linked": {"en": "Linked accounts", "hi": "जुड़े खाते"},
    "account.linked_hint": {
        "en": "Sign in with these instead of an SMS code. Your mobile number stays your account.",
        "hi": "एसएमएस कोड के बजाय इनसे साइन इन करें। आपका मोबाइल नंबर ही आपका खाता रहता है।",
    },
    "account.link_provider": {
        "en": "Link your {provider} account",
        "hi": "अपना {provider} खाता जोड़ें",
    },
    "account.unlink": {"en": "Unlink", "hi": "हटाएँ"},
    "link.title": {"en": "Link this account?", "hi": "यह खाता जोड़ें?"},
    "link.question": {
        "en": "You started by signing in with {provider} as {email}. Link that account to this "
        "one ({phone}), so it signs you in here from now on?",
        "hi": "आपने {provider} से {email} के रूप में साइन इन शुरू किया था। क्या उस खाते को इस खाते "
        "({phone}) से जोड़ें, ताकि अब से वह आपको यहाँ साइन इन कराए?",
    },
    "link.not_you": {
        "en": "Not your account, or not now? Do not link it: nothing changes.",
        "hi": "आपका खाता नहीं है, या अभी नहीं? इसे न जोड़ें: कुछ नहीं बदलेगा।",
    },
    "link.yes": {"en": "Link it", "hi": "जोड़ें"},
    "link.no": {"en": "Do not link", "hi": "न जोड़ें"},
    "account.two_step_off": {
        "en": "Off. With it on, signing in needs your phone's SMS code and a code from an "
        "authenticator app (Google Authenticator, Microsoft Authenticator and the like), so a "
        "stolen SIM alone does not open your account.",
        "hi": "बंद है। इसे चालू करने पर साइन इन के लिए एसएमएस कोड के साथ ऑथेंटिकेटर ऐप "
        "(Google Authenticator, Microsoft Authenticator आदि) का कोड भी चाहिए, ताकि सिर्फ़ "
        "चोरी हुआ सिम आपका खाता न खोल सके।",
    },
    "account.two_step_required": {
        "en": "Admins must turn it on before they can use the admin pages.",
        "hi": "एडमिन पेज इस्तेमाल करने से पहले एडमिन को इसे चालू करना होगा।",
    },
    "account.two_step_on": {
        "en": "On since {date}. Recovery codes left: {left}.",
        "hi": "{date} से चालू। बचे रिकवरी कोड: {left}।",
    },
    "account.two_step_setup": {"en": "Set up two-step sign-in", "hi": "दो-चरण साइन-इन सेट करें"},
    "account.two_step_code": {"en": "Code from the app", "hi": "ऐप का कोड"},
    "account.two_step_disable": {"en": "Turn it off", "hi": "इसे बंद करें"},
    "account.two_step_new_codes": {"en": "Make new recovery codes", "hi": "नए रिकवरी कोड बनाएँ"},
    "account.two_step_manage_hint": {
        "en": "To turn it off or replace your recovery codes, enter a current code from the app "
        "(or a recovery code).",
        "hi": "इसे बंद करने या रिकवरी कोड बदलने के लिए ऐप का अभी का कोड (या एक रिकवरी कोड) डालें।",
    },
    "totp_setup.title": {"en": "Set up two-step sign-in", "hi": "दो-चरण साइन-इन सेट करें"},
    "totp_setup.scan": {
        "en": "1. Scan this QR code with your authenticator app.",
        "hi": "1. इस QR कोड को अपने ऑथेंटिकेटर ऐप से स्कैन करें।",
    },
    "totp_setup.qr_label": {
        "en": "QR code holding your two-step sign-in key",
        "hi": "आपकी दो-चरण साइन-इन कुंजी वाला QR कोड",
    },
    "totp_setup.manual": {
        "en": "Cannot scan? Type this key into the app instead:",
        "hi": "स्कैन नहीं हो रहा? यह कुंजी ऐप में टाइप करें:",
    },
    "totp_setup.confirm": {
        "en": "2. Enter the 6-digit code the app now shows.",
        "hi": "2. ऐप में अब दिख रहा 6 अंकों का कोड डालें।",
    },
    "totp_setup.submit": {"en": "Turn on", "hi": "चालू करें"},
    "recovery_codes.title": {"en": "Your recovery codes", "hi": "आपके रिकवरी कोड"},
    "recovery_codes.lead": {
        "en": "Keep these codes somewhere safe, apart from your phone: each one signs you in once "
        "if you lose the phone with the app. This is the only time they are shown.",
        "hi": "इन कोड को फ़ोन से अलग किसी सुरक्षित जगह रखें: ऐप वाला फ़ोन खो जाने पर हर कोड एक बार साइन इन "
        "कराता है। ये सिर्फ़ इसी बार दिखाए जा रहे हैं।",
    },
    "recovery_codes.done": {"en": "I have saved them", "hi": "मैंने इन्हें सहेज लिया है"},
    "account.sessions": {"en": "Sign-ins", "hi": "साइन-इन"},
    "account.sessions_hint": {
        "en": "Where your account is signed in now. End any you do not recognise.",
        "hi": "आपका खाता अभी कहाँ-कहाँ साइन इन है। जिसे आप नहीं पहचानते, उसे बंद करें।",
    },
    "account.session_unknown_device": {"en": "Unknown device", "hi": "अनजान डिवाइस"},
    "account.session_current": {"en": "this browser", "hi": "यह ब्राउज़र"},
    "account.session_network": {"en": "Network", "hi": "नेटवर्क"},
    "account.session_created": {"en": "Signed in", "hi": "साइन इन"},
    "account.session_last_seen": {"en": "Last used", "hi": "आख़िरी बार"},
    "account.session_end": {"en": "Sign it out", "hi": "इसे साइन आउट करें"},
    "account.session_end_current": {"en": "Sign out here", "hi": "यहाँ साइन आउट करें"},
    "account.phone": {"en": "Mobile number", "hi": "मोबाइल नंबर"},
    "account.name": {"en": "Name", "hi": "नाम"},
    "account.email": {"en": "Email", "hi": "ईमेल"},
    "account.role": {"en": "I am a", "hi": "मैं हूँ"},
    "account.role_hint": {
        "en": "Owners list businesses; buyers and investors set mandates and send interests.",
        "hi": "मालिक व्यवसाय लिस्ट करते हैं; ख़रीदार और निवेशक मैंडेट बनाते और रुचि भेजते हैं।",
    },
}
