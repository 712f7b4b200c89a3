"""Everything the bot says, in English and Hindi (`shared.i18n.Catalog` refuses a missing one).

WhatsApp formatting: `*bold*`. Button titles stay within 20 characters (tests check each).
"""

from __future__ import annotations

from typing import Any

from msmebazaar.shared.i18n import Catalog

# Said before the user has chosen a language, so in both.
_WELCOME = (
    "Namaste! 🙏 Welcome to *MSMEBazaar*: list your business, get a free valuation and meet "
    "buyers and investors.\n"
    "नमस्ते! 🙏 *MSMEBazaar* में आपका स्वागत है: अपना बिज़नेस दर्ज करें, मुफ़्त मूल्यांकन पाएँ और "
    "ख़रीदारों व निवेशकों से जुड़ें।"
)
_ASK_LANGUAGE = "Choose your language / अपनी भाषा चुनें"
_NON_INDIAN = (
    "Sorry, registering on MSMEBazaar needs an Indian mobile number (+91). Please write to us "
    "from your Indian WhatsApp number.\n"
    "क्षमा करें, MSMEBazaar पर पंजीकरण के लिए भारतीय मोबाइल नंबर (+91) चाहिए। कृपया अपने भारतीय "
    "WhatsApp नंबर से लिखें।"
)
_FAILED = (
    "Sorry, something went wrong on our side and we could not read your last message. Please "
    "send it again.\n"
    "क्षमा करें, हमारी तरफ़ से कुछ गड़बड़ हुई और आपका पिछला संदेश नहीं पढ़ा जा सका। कृपया दोबारा भेजें।"
)


def _both(text: str) -> dict[str, str]:
    return {"en": text, "hi": text}


_TEXTS: dict[str, dict[str, str]] = {
    # --- start, language, role ---------------------------------------------------------------
    "welcome": _both(_WELCOME),
    "ask_language": _both(_ASK_LANGUAGE),
    "non_indian": _both(_NON_INDIAN),
    "processing_failed": _both(_FAILED),
    "opt_english": _both("English"),
    "opt_hindi": _both("हिन्दी"),
    "language_set": {"en": "✓ English it is.", "hi": "✓ अब बात हिन्दी में होगी।"},
    "ask_role": {
        "en": "What would you like to do on MSMEBazaar? Tap a button or just tell me, e.g. "
        "*sell my business*.",
        "hi": "आप MSMEBazaar पर क्या करना चाहते हैं? बटन दबाएँ या लिख दें, जैसे *बिज़नेस बेचना है*।",
    },
    "invalid_role": {
        "en": "Sorry, I did not get that. Do you want to *sell* (or raise funds), *buy* a "
        "business, or *invest*?",
        "hi": "माफ़ कीजिए, समझ नहीं आया। आप बिज़नेस *बेचना* (या फंड जुटाना), *ख़रीदना* या *निवेश* "
        "करना चाहते हैं?",
    },
    "opt_role_msme_owner": {"en": "Sell / raise funds", "hi": "बेचना / फंड जुटाना"},
    "opt_role_buyer": {"en": "Buy a business", "hi": "बिज़नेस ख़रीदना"},
    "opt_role_investor": {"en": "Invest", "hi": "निवेश करना"},
    "role_msme_owner": {"en": "business owner", "hi": "बिज़नेस मालिक"},
    "role_buyer": {"en": "buyer", "hi": "ख़रीदार"},
    "role_investor": {"en": "investor", "hi": "निवेशक"},
    "role_admin": {"en": "admin", "hi": "एडमिन"},
    "ask_role_switch": {
        "en": "This number is already registered as a *{current}*. Switch your account to "
        "*{wanted}*?",
        "hi": "यह नंबर पहले से *{current}* के रूप में दर्ज है। क्या अपना खाता *{wanted}* में बदलें?",
    },
    "opt_switch_yes": {"en": "Yes, switch", "hi": "हाँ, बदलें"},
    "opt_switch_no": {"en": "No, keep it", "hi": "नहीं, ऐसे ही रखें"},
    "account_suspended": {
        "en": "This account is suspended, so we cannot continue here. Please contact support.",
        "hi": "यह खाता निलंबित है, इसलिए हम यहाँ आगे नहीं बढ़ सकते। कृपया सहायता टीम से संपर्क करें।",
    },
    # --- the business ---------------------------------------------------------------------------
    "ask_name": {
        "en": "What is your business called? Send its legal name, as on your GST or bank papers "
        "(with the GSTIN, if you like).",
        "hi": "आपके बिज़नेस का नाम क्या है? वही कानूनी नाम भेजें जो GST या बैंक के कागज़ों पर है "
        "(चाहें तो साथ में GSTIN भी)।",
    },
    "invalid_name": {
        "en": "The name must be 2 to 200 characters.",
        "hi": "नाम 2 से 200 अक्षरों का होना चाहिए।",
    },
    "ask_gstin": {
        "en": "What is the business's GSTIN (15 characters)? If it has none, tap *Skip* or "
        "send *no GST*.",
        "hi": "बिज़नेस का GSTIN (15 अक्षर) क्या है? अगर नहीं है, तो *छोड़ें* दबाएँ या *नहीं है* लिखें।",
    },
    "gstin_noted": {"en": "✓ GSTIN noted.", "hi": "✓ GSTIN दर्ज किया।"},
    "gstin_noted_state": {
        "en": "✓ GSTIN noted: registered in {state}.",
        "hi": "✓ GSTIN दर्ज किया: {state} में रजिस्टर्ड।",
    },
    "opt_skip": {"en": "Skip", "hi": "छोड़ें"},
    "gstin_length": {
        "en": "A GSTIN has 15 characters; you sent {count}.",
        "hi": "GSTIN में 15 अक्षर होते हैं; आपने {count} भेजे।",
    },
    "gstin_state_code": {
        "en": "A GSTIN starts with a two-digit state code (01 to 38); '{code}' is not one.",
        "hi": "GSTIN दो अंकों के राज्य कोड (01 से 38) से शुरू होता है; '{code}' ऐसा कोड नहीं है।",
    },
    "gstin_pan": {
        "en": "Characters 3 to 12 of a GSTIN are the PAN, like ABCDE1234F.",
        "hi": "GSTIN के अक्षर 3 से 12 PAN होते हैं, जैसे ABCDE1234F।",
    },
    "gstin_entity": {
        "en": "Character 13 of a GSTIN must be a digit 1 to 9 or a letter.",
        "hi": "GSTIN का 13वाँ अक्षर 1 से 9 का अंक या कोई अक्षर होना चाहिए।",
    },
    "gstin_z": {
        "en": "Character 14 of a GSTIN is always Z.",
        "hi": "GSTIN का 14वाँ अक्षर हमेशा Z होता है।",
    },
    "gstin_checksum": {
        "en": "The last character does not match the rest of the GSTIN; please check for a typo.",
        "hi": "GSTIN का आख़िरी अक्षर बाक़ी से मेल नहीं खाता; कृपया टाइपिंग की ग़लती जाँचें।",
    },
    "gstin_not_one": {
        "en": "That does not look like a GSTIN: it has 15 letters and digits, like "
        "27AAPFU0939F1ZV. If the business has none, tap *Skip* or send *no GST*.",
        "hi": "यह GSTIN जैसा नहीं लगता: इसमें 15 अक्षर और अंक होते हैं, जैसे 27AAPFU0939F1ZV। "
        "अगर बिज़नेस का GSTIN नहीं है, तो *छोड़ें* दबाएँ या *नहीं है* लिखें।",
    },
    "gstin_invalid": {
        "en": "That is not a valid GSTIN.",
        "hi": "यह सही GSTIN नहीं है।",
    },
    "ask_sector": {
        "en": "What does the business do? A few words are enough, e.g. *we make namkeen*, "
        "*kirana shop*, *CNC machining*.",
        "hi": "बिज़नेस क्या करता है? कुछ शब्द काफ़ी हैं, जैसे *नमकीन बनाते हैं*, *किराना दुकान*, *CNC मशीनिंग*।",
    },
    "ask_sector_candidates": {
        "en": "Which of these fits best?",
        "hi": "इनमें से कौन सा सबसे सही है?",
    },
    "opt_other_sector": {"en": "Something else", "hi": "कुछ और"},
    "sector_noted": {"en": "✓ Sector: {sector}", "hi": "✓ सेक्टर: {sector}"},
    "ask_sector_list": {
        "en": "Which sector is the business in? Tap *{button}* (page {page} of {pages}) or type "
        "the sector's name.",
        "hi": "बिज़नेस किस सेक्टर में है? *{button}* दबाएँ (पेज {page}/{pages}) या सेक्टर का नाम लिखें।",
    },
    "sector_button": {"en": "Choose sector", "hi": "सेक्टर चुनें"},
    "opt_more_sectors": {"en": "More sectors ›", "hi": "और सेक्टर ›"},
    "opt_first_sectors": {"en": "‹ First page", "hi": "‹ पहला पेज"},
    "invalid_sector": {
        "en": "Please pick a sector from the list, or type its name.",
        "hi": "कृपया सूची से सेक्टर चुनें, या उसका नाम लिखें।",
    },
    "sector_ambiguous": {
        "en": "Several sectors match: {names}. Please pick one from the list.",
        "hi": "कई सेक्टर मेल खाते हैं: {names}। कृपया सूची से एक चुनें।",
    },
    "ask_state": {
        "en": "Which state or union territory is the business in? (e.g. Maharashtra)",
        "hi": "बिज़नेस किस राज्य या केंद्र शासित प्रदेश में है? (जैसे महाराष्ट्र)",
    },
    "state_hint": {
        "en": "Your GSTIN is registered in {state}.",
        "hi": "आपका GSTIN {state} में दर्ज है।",
    },
    "invalid_state": {
        "en": "We do not know that state. Please type its full name, e.g. Uttar Pradesh.",
        "hi": "यह राज्य हमें नहीं मिला। कृपया पूरा नाम लिखें, जैसे उत्तर प्रदेश।",
    },
    "state_gstin_mismatch": {
        "en": "Your GSTIN is registered in {gstin_state}, not {state}. Send the GSTIN's state, "
        "or send *back* to change the GSTIN.",
        "hi": "आपका GSTIN {gstin_state} में दर्ज है, {state} में नहीं। GSTIN वाला राज्य भेजें, "
        "या GSTIN बदलने के लिए *पीछे* भेजें।",
    },
    "ask_city": {"en": "Which city or town?", "hi": "कौन सा शहर या क़स्बा?"},
    "ask_place": {
        "en": "Which city is the business in, and in which year did it start? e.g. *Pune, 2012* "
        "(add how many people work there, if you like).",
        "hi": "बिज़नेस किस शहर में है, और किस साल शुरू हुआ? जैसे *पुणे, 2012* (चाहें तो कितने लोग "
        "काम करते हैं, वह भी)।",
    },
    "ask_place_state": {
        "en": "Which city and state is the business in, and in which year did it start? e.g. "
        "*Pune, Maharashtra, 2012*",
        "hi": "बिज़नेस किस शहर और राज्य में है, और किस साल शुरू हुआ? जैसे *पुणे, महाराष्ट्र, 2012*",
    },
    "invalid_city": {
        "en": "Please send the city's name (up to 100 characters).",
        "hi": "कृपया शहर का नाम भेजें (100 अक्षरों तक)।",
    },
    "ask_year": {
        "en": "In which year was the business started? (e.g. 2012)",
        "hi": "बिज़नेस किस साल शुरू हुआ था? (जैसे 2012)",
    },
    "invalid_year": {
        "en": "Please send a year between 1800 and {current}, like 2012.",
        "hi": "कृपया 1800 से {current} के बीच का साल भेजें, जैसे 2012।",
    },
    "ask_revenue": {
        "en": "In the last financial year, {fiscal_year}, what were the sales (turnover) and the "
        "profit before interest, tax and depreciation? e.g. *sales 45 lakh, profit 6 lakh*",
        "hi": "पिछले वित्त वर्ष {fiscal_year} में बिक्री (टर्नओवर) और ब्याज, टैक्स व मूल्यह्रास से "
        "पहले का मुनाफ़ा कितना था? जैसे *बिक्री 45 लाख, मुनाफ़ा 6 लाख*",
    },
    "figures_pair": {
        "en": "sales {revenue}, profit {profit}",
        "hi": "बिक्री {revenue}, मुनाफ़ा {profit}",
    },
    "invalid_amount": {
        "en": "Please send an amount like 45 lakh, 1.2 crore or 4500000.",
        "hi": "कृपया रक़म ऐसे भेजें: 45 लाख, 1.2 करोड़ या 4500000।",
    },
    "amount_negative": {
        "en": "This amount cannot be negative.",
        "hi": "यह रक़म माइनस में नहीं हो सकती।",
    },
    "amount_too_large": {
        "en": "That amount is too large; please check it.",
        "hi": "यह रक़म बहुत बड़ी है; कृपया जाँच लें।",
    },
    "noted": {"en": "✓ Noted: {value}", "hi": "✓ दर्ज किया: {value}"},
    "kept_for_later": {"en": "✓ Noted for later.", "hi": "✓ आगे के लिए दर्ज किया।"},
    "ask_ebitda": {
        "en": "What was the profit before interest, tax and depreciation (EBITDA) in "
        "{fiscal_year}? e.g. 8 lakh. For a loss, put a minus: -2 lakh",
        "hi": "{fiscal_year} में ब्याज, टैक्स और मूल्यह्रास से पहले का मुनाफ़ा (EBITDA) कितना था? "
        "जैसे 8 लाख। घाटा हो तो माइनस लगाएँ: -2 लाख",
    },
    "ebitda_above_revenue": {
        "en": "This profit cannot be more than the revenue ({revenue}).",
        "hi": "यह मुनाफ़ा बिक्री ({revenue}) से ज़्यादा नहीं हो सकता।",
    },
    "ask_employees": {
        "en": "How many people work in the business, including you?",
        "hi": "बिज़नेस में आपको मिलाकर कितने लोग काम करते हैं?",
    },
    "invalid_employees": {
        "en": "Please send a whole number, like 12.",
        "hi": "कृपया पूरी संख्या भेजें, जैसे 12।",
    },
    "summary_owner": {
        "en": "Please check your details:\n{lines}\n\nTap *Confirm* to create your profile.",
        "hi": "कृपया अपनी जानकारी जाँचें:\n{lines}\n\nप्रोफ़ाइल बनाने के लिए *पुष्टि करें* दबाएँ।",
    },
    "label_name": {"en": "Business", "hi": "बिज़नेस"},
    "label_gstin": {"en": "GSTIN", "hi": "GSTIN"},
    "label_sector": {"en": "Sector", "hi": "सेक्टर"},
    "label_place": {"en": "Place", "hi": "जगह"},
    "label_year": {"en": "Started in", "hi": "शुरुआत"},
    "label_revenue": {"en": "Revenue {fiscal_year}", "hi": "बिक्री {fiscal_year}"},
    "label_ebitda": {"en": "EBITDA", "hi": "EBITDA"},
    "label_employees": {"en": "People", "hi": "कर्मचारी"},
    "label_budget": {"en": "Budget", "hi": "बजट"},
    "label_thesis": {"en": "Looking for", "hi": "तलाश"},
    "not_given": {"en": "not given", "hi": "नहीं दिया"},
    "opt_confirm": {"en": "Confirm", "hi": "पुष्टि करें"},
    "opt_back": {"en": "Back", "hi": "पीछे"},
    "opt_restart": {"en": "Start over", "hi": "फिर से शुरू"},
    "invalid_confirm": {
        "en": "Shall I create the profile? Reply *yes* to confirm, or *back* to change the last "
        "answer.",
        "hi": "क्या प्रोफ़ाइल बना दूँ? पुष्टि के लिए *हाँ* लिखें, या पिछला जवाब बदलने के लिए *पीछे*।",
    },
    "invalid_choice": {
        "en": "Please tap one of the buttons, or send its number.",
        "hi": "कृपया कोई एक बटन दबाएँ, या उसका नंबर भेजें।",
    },
    "unsupported_message": {
        "en": "I can read text and button replies only. Please type your answer.",
        "hi": "मैं सिर्फ़ लिखे हुए जवाब और बटन पढ़ सकता हूँ। कृपया अपना जवाब लिखें।",
    },
    # --- the result -----------------------------------------------------------------------------
    "done_owner": {
        "en": "🎉 Your business profile for *{name}* is created.\n\nEstimated value: *{low} to "
        "{high}* (most likely {base}), confidence {confidence}%. It is an estimate from your "
        "figures; verified documents make it firmer.\n\nContinue on the web to add documents "
        "and list the business: {link}",
        "hi": "🎉 *{name}* की बिज़नेस प्रोफ़ाइल बन गई है।\n\nअनुमानित मूल्य: *{low} से {high}* "
        "(सबसे संभावित {base}), भरोसा {confidence}%। यह आपके आँकड़ों पर आधारित अनुमान है; "
        "सत्यापित दस्तावेज़ इसे पक्का करते हैं।\n\nदस्तावेज़ जोड़ने और बिज़नेस लिस्ट करने के लिए वेब पर "
        "आगे बढ़ें: {link}",
    },
    "done_owner_no_value": {
        "en": "🎉 Your business profile for *{name}* is created. We could not estimate its value "
        "from these figures yet.\n\nContinue on the web: {link}",
        "hi": "🎉 *{name}* की बिज़नेस प्रोफ़ाइल बन गई है। इन आँकड़ों से अभी मूल्य का अनुमान नहीं लग "
        "सका।\n\nवेब पर आगे बढ़ें: {link}",
    },
    "save_failed": {
        "en": "We could not save this yet: {reason}",
        "hi": "यह अभी सेव नहीं हो सका: {reason}",
    },
    "already_done": {
        "en": "You are all set. Send *status* to see your result again, *restart* to start a "
        "new one, or *help*.",
        "hi": "सब हो गया है। नतीजा फिर देखने के लिए *स्थिति*, नई शुरुआत के लिए *फिर से शुरू*, या *मदद* भेजें।",
    },
    # --- commands ---------------------------------------------------------------------------
    "help": {
        "en": "You can send these at any time:\n• *help*: this message\n• *back*: the previous "
        "question\n• *restart*: start over\n• *status*: what is saved so far\n• *language*: "
        "English or हिन्दी",
        "hi": "आप ये कभी भी भेज सकते हैं:\n• *मदद*: यह संदेश\n• *पीछे*: पिछला सवाल\n• *फिर से शुरू*: "
        "नई शुरुआत\n• *स्थिति*: अब तक क्या दर्ज है\n• *भाषा*: English या हिन्दी",
    },
    "status_nothing": {
        "en": "Nothing is saved yet.",
        "hi": "अभी कुछ दर्ज नहीं हुआ है।",
    },
    "status_saved": {"en": "Saved so far:\n{lines}", "hi": "अब तक दर्ज:\n{lines}"},
    "status_owner_done": {
        "en": "Your profile *{name}* is created. Estimated value: {low} to {high}. {link}",
        "hi": "आपकी प्रोफ़ाइल *{name}* बन गई है। अनुमानित मूल्य: {low} से {high}। {link}",
    },
    "status_owner_done_no_value": {
        "en": "Your profile *{name}* is created. {link}",
        "hi": "आपकी प्रोफ़ाइल *{name}* बन गई है। {link}",
    },
    "status_mandate_done": {
        "en": "Your search *{title}* is saved. {link}",
        "hi": "आपकी तलाश *{title}* दर्ज है। {link}",
    },
    "back_at_start": {"en": "This is the first question.", "hi": "यह पहला सवाल है।"},
    "restarted": {"en": "Starting over.", "hi": "फिर से शुरू करते हैं।"},
    "session_expired": {
        "en": "Welcome back! It has been more than a day, so we are starting over.",
        "hi": "फिर से स्वागत है! एक दिन से ज़्यादा हो गया, इसलिए हम फिर से शुरू कर रहे हैं।",
    },
    # --- buyers and investors ---------------------------------------------------------------
    "ask_mandate_sector": {
        "en": "Which sector are you looking for? Tap *{button}* (page {page} of {pages}) or type "
        "its name.",
        "hi": "आप किस सेक्टर में तलाश रहे हैं? *{button}* दबाएँ (पेज {page}/{pages}) या नाम लिखें।",
    },
    "opt_any_sector": {"en": "Any sector", "hi": "कोई भी सेक्टर"},
    "ask_mandate_state": {
        "en": "In which state? Type its name, or tap *Anywhere*.",
        "hi": "किस राज्य में? नाम लिखें, या *कहीं भी* दबाएँ।",
    },
    "opt_anywhere": {"en": "Anywhere", "hi": "कहीं भी"},
    "anywhere": {"en": "anywhere in India", "hi": "पूरे भारत में"},
    "ask_ticket_buyer": {
        "en": "What is your budget to buy? e.g. 50 lakh to 2 crore, or 5 crore",
        "hi": "ख़रीदने का बजट कितना है? जैसे 50 लाख से 2 करोड़, या 5 करोड़",
    },
    "ask_ticket_investor": {
        "en": "How much do you want to invest? e.g. 50 lakh to 2 crore, or 5 crore",
        "hi": "आप कितना निवेश करना चाहते हैं? जैसे 50 लाख से 2 करोड़, या 5 करोड़",
    },
    "invalid_ticket": {
        "en": "Please send an amount or a range, like 50 lakh to 2 crore.",
        "hi": "कृपया रक़म या दायरा भेजें, जैसे 50 लाख से 2 करोड़।",
    },
    "ticket_order": {
        "en": "The first amount must not be more than the second.",
        "hi": "पहली रक़म दूसरी से ज़्यादा नहीं हो सकती।",
    },
    "ticket_range": {"en": "{low} to {high}", "hi": "{low} से {high}"},
    "ticket_upto": {"en": "up to {high}", "hi": "{high} तक"},
    "ask_thesis": {
        "en": "In a line or two, what kind of business are you looking for? Or tap *Skip*.",
        "hi": "एक-दो लाइन में बताएँ कि आप कैसा बिज़नेस ढूँढ रहे हैं। या *छोड़ें* दबाएँ।",
    },
    "invalid_thesis": {
        "en": "Please keep it under 1000 characters.",
        "hi": "कृपया 1000 अक्षरों से कम रखें।",
    },
    "summary_mandate": {
        "en": "Please check what you are looking for:\n{lines}\n\nTap *Confirm* to save it.",
        "hi": "कृपया अपनी तलाश जाँचें:\n{lines}\n\nसेव करने के लिए *पुष्टि करें* दबाएँ।",
    },
    "mandate_title": {"en": "{sector}, {place}", "hi": "{sector}, {place}"},
    "done_mandate": {
        "en": "✅ Saved: *{title}*. We will match you with businesses on MSMEBazaar. See your "
        "matches on the web: {link}",
        "hi": "✅ दर्ज हो गया: *{title}*। हम आपको MSMEBazaar के बिज़नेस से मिलाएँगे। अपने मैच वेब पर "
        "देखें: {link}",
    },
}

# An owner who is already registered: the menu of their businesses.
_TEXTS |= {
    "welcome_one": {
        "en": "Namaste! 🙏 Welcome to *MSMEBazaar*: list your business, get a free valuation and "
        "meet buyers and investors.",
        "hi": "नमस्ते! 🙏 *MSMEBazaar* में आपका स्वागत है: अपना बिज़नेस दर्ज करें, मुफ़्त मूल्यांकन पाएँ "
        "और ख़रीदारों व निवेशकों से जुड़ें।",
    },
    "welcome_back": {
        "en": "Namaste! 🙏 Welcome back to *MSMEBazaar*.",
        "hi": "नमस्ते! 🙏 *MSMEBazaar* पर फिर से स्वागत है।",
    },
    "ask_menu": {
        "en": "Which business is this about?",
        "hi": "किस बिज़नेस के बारे में बात करनी है?",
    },
    "ask_menu_action": {
        "en": "What would you like to do for *{name}*?",
        "hi": "*{name}* के लिए आप क्या करना चाहते हैं?",
    },
    "menu_button": {"en": "Choose", "hi": "चुनें"},
    "opt_new_business": {"en": "Add a new business", "hi": "नया बिज़नेस जोड़ें"},
    "opt_menu_value": {"en": "Value it again", "hi": "फिर से मूल्यांकन"},
    "opt_menu_figures": {"en": "Update this year", "hi": "इस साल के आँकड़े"},
    "opt_menu_interests": {"en": "See interests", "hi": "रुचियाँ देखें"},
    "opt_menu_new": {"en": "Add a new business", "hi": "नया बिज़नेस जोड़ें"},
    "invalid_figures": {
        "en": "Please send both, like *sales 45 lakh, profit 6 lakh* (a loss with a minus).",
        "hi": "कृपया दोनों भेजें, जैसे *बिक्री 45 लाख, मुनाफ़ा 6 लाख* (घाटा हो तो माइनस लगाएँ)।",
    },
    "menu_valued": {
        "en": "*{name}*: estimated value *{low} to {high}*. Details and the report: {link}",
        "hi": "*{name}*: अनुमानित मूल्य *{low} से {high}*। पूरी जानकारी और रिपोर्ट: {link}",
    },
    "menu_interests": {
        "en": "Your listings have received {total} interest(s) from buyers and investors. See "
        "them and reply on the web: {link}",
        "hi": "आपकी लिस्टिंग पर ख़रीदारों और निवेशकों की {total} रुचियाँ आई हैं। उन्हें वेब पर देखें "
        "और जवाब दें: {link}",
    },
}

# What a failed save's error code means, in the user's words; anything else shows `save_failed`.
_TEXTS |= {
    "error_GSTIN_ALREADY_REGISTERED": {
        "en": "this GSTIN is already registered on MSMEBazaar.",
        "hi": "यह GSTIN MSMEBazaar पर पहले से दर्ज है।",
    },
    "error_GSTIN_STATE_MISMATCH": {
        "en": "the GSTIN's state code does not match the state you sent.",
        "hi": "GSTIN का राज्य कोड आपके भेजे राज्य से मेल नहीं खाता।",
    },
    "error_EBITDA_ABOVE_REVENUE": {
        "en": "the profit cannot be more than the revenue.",
        "hi": "मुनाफ़ा बिक्री से ज़्यादा नहीं हो सकता।",
    },
    "error_other": {
        "en": "please check this answer.",
        "hi": "कृपया यह जवाब जाँचें।",
    },
}

CATALOG = Catalog(_TEXTS)


def t(key: str, language: str | None, **params: Any) -> str:
    """The text for `key` in `language` (English before a language is chosen)."""
    return CATALOG.text(key, language or "en", **params)


def has_text(key: str) -> bool:
    """Whether the catalog has `key` (error codes are looked up this way)."""
    return key in _TEXTS
