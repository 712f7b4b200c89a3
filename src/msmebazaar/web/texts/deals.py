"""Texts of the deal rooms: my deals, one deal (stage, NDA, messages, offers, documents and who
opened them, closing) and the admins' list of every deal."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, dict[str, str]]] = {
    "nav.deals": {"en": "Deals", "hi": "सौदे"},
    # --- names of things ---
    "deal_stage.introduced": {"en": "Introduced", "hi": "परिचय हुआ"},
    "deal_stage.nda_signed": {"en": "NDA accepted", "hi": "एनडीए स्वीकार"},
    "deal_stage.diligence": {"en": "Due diligence", "hi": "जाँच-पड़ताल"},
    "deal_stage.offer": {"en": "Offer accepted", "hi": "प्रस्ताव स्वीकार"},
    "deal_stage.closed": {"en": "Closed", "hi": "बंद"},
    "deal_stage.closed_won": {"en": "Closed: deal done", "hi": "बंद: सौदा हुआ"},
    "deal_stage.closed_lost": {"en": "Closed: no deal", "hi": "बंद: सौदा नहीं हुआ"},
    "offer_status.pending": {"en": "Waiting for an answer", "hi": "जवाब की प्रतीक्षा"},
    "offer_status.accepted": {"en": "Accepted", "hi": "स्वीकार किया गया"},
    "offer_status.rejected": {"en": "Rejected", "hi": "अस्वीकार किया गया"},
    "offer_status.withdrawn": {"en": "Withdrawn", "hi": "वापस लिया गया"},
    "offer_status.countered": {"en": "Countered", "hi": "जवाबी प्रस्ताव दिया गया"},
    "offer_status.expired": {"en": "Lapsed", "hi": "समय-सीमा बीत गई"},
    "offer_side.buyer": {"en": "The buyer's offer", "hi": "ख़रीदार का प्रस्ताव"},
    "offer_side.owner": {"en": "The owner's counter-offer", "hi": "मालिक का जवाबी प्रस्ताव"},
    # --- my deals, and the admins' list ---
    "deals.title": {"en": "My deals", "hi": "मेरे सौदे"},
    "deals.lead": {
        "en": "A deal room opens when an owner accepts a buyer's interest: the NDA, messages, "
        "documents and offers all happen there.",
        "hi": "जब मालिक किसी ख़रीदार की रुचि स्वीकार करता है, तो एक सौदा कक्ष खुलता है: एनडीए, "
        "संदेश, दस्तावेज़ और प्रस्ताव सब वहीं होते हैं।",
    },
    "deals.none": {
        "en": "No deals yet. A deal opens when an owner accepts an interest.",
        "hi": "अभी कोई सौदा नहीं। मालिक के रुचि स्वीकार करने पर सौदा खुलता है।",
    },
    "deals.side_owner": {"en": "You are the owner", "hi": "आप मालिक हैं"},
    "deals.side_buyer": {"en": "You are the buyer", "hi": "आप ख़रीदार हैं"},
    "deals.stage": {"en": "Stage", "hi": "चरण"},
    "deals.at_stage.one": {"en": "{count} day at this stage", "hi": "इस चरण में {count} दिन"},
    "deals.at_stage.other": {"en": "{count} days at this stage", "hi": "इस चरण में {count} दिन"},
    "deals.opened": {"en": "Opened {date}", "hi": "{date} को खुला"},
    "deals.all_deals": {"en": "Every deal (admin)", "hi": "सभी सौदे (एडमिन)"},
    "admin.deals": {"en": "Deals", "hi": "सौदे"},
    "admin.deals_lead": {
        "en": "Every deal room, those longest at their stage first. Open one to read it; only "
        "its two sides act in it.",
        "hi": "हर सौदा कक्ष, जो सबसे लंबे समय से अपने चरण में हैं वे पहले। पढ़ने के लिए खोलें; "
        "उसमें केवल दोनों पक्ष ही कार्य करते हैं।",
    },
    "admin.deals_filter": {"en": "Filter the deals", "hi": "सौदे छाँटें"},
    "admin.deals_any_stage": {"en": "Any stage", "hi": "कोई भी चरण"},
    "admin.deals_show": {"en": "Show", "hi": "दिखाएँ"},
    "admin.deals_count.one": {"en": "{count} deal", "hi": "{count} सौदा"},
    "admin.deals_count.other": {"en": "{count} deals", "hi": "{count} सौदे"},
    "admin.deals_empty": {"en": "No deals here.", "hi": "यहाँ कोई सौदा नहीं।"},
    "admin.deals_nda": {"en": "NDA", "hi": "एनडीए"},
    "admin.deals_nda_signed": {"en": "both accepted", "hi": "दोनों ने स्वीकार किया"},
    "admin.deals_nda_pending": {"en": "not both yet", "hi": "अभी दोनों ने नहीं"},
    "admin.deals_earlier": {"en": "Earlier page", "hi": "पिछला पृष्ठ"},
    "admin.deals_later": {"en": "Next page", "hi": "अगला पृष्ठ"},
    # --- one deal ---
    "deal_room.back": {"en": "All my deals", "hi": "मेरे सभी सौदे"},
    "deal_room.back_admin": {"en": "All deals", "hi": "सभी सौदे"},
    "deal_room.admin_reads": {
        "en": "You are reading this deal as an admin: only its two sides can act in it.",
        "hi": "आप यह सौदा एडमिन के रूप में पढ़ रहे हैं: इसमें केवल दोनों पक्ष ही कार्य कर सकते हैं।",
    },
    "deal_room.see_listing": {"en": "See the listing", "hi": "लिस्टिंग देखें"},
    "deal_room.sections": {"en": "On this page", "hi": "इस पृष्ठ पर"},
    "deal_room.stage": {"en": "Where the deal stands", "hi": "सौदा कहाँ तक पहुँचा"},
    "deal_room.step_done": {"en": "done", "hi": "पूरा"},
    "deal_room.step_current": {"en": "now", "hi": "अभी"},
    "deal_room.step_todo": {"en": "to come", "hi": "आगे"},
    "deal_room.since": {"en": "since {date}", "hi": "{date} से"},
    "deal_room.closed_because": {"en": "Why it closed: {reason}", "hi": "बंद होने का कारण: {reason}"},
    "deal_room.you": {"en": "You", "hi": "आप"},
    "deal_room.owner": {"en": "The owner", "hi": "मालिक"},
    "deal_room.buyer": {"en": "The buyer", "hi": "ख़रीदार"},
    # NDA
    "deal_room.nda": {"en": "Non-disclosure agreement (NDA)", "hi": "गोपनीयता समझौता (एनडीए)"},
    "deal_room.nda_lead": {
        "en": "Both sides accept the same NDA before documents, exact figures and offers are "
        "shared. Until then, phone numbers, emails and links in messages are hidden.",
        "hi": "दस्तावेज़, सटीक आँकड़े और प्रस्ताव साझा होने से पहले दोनों पक्ष एक ही एनडीए स्वीकार "
        "करते हैं। तब तक संदेशों में फ़ोन नंबर, ईमेल और लिंक छिपे रहते हैं।",
    },
    "deal_room.nda_read": {
        "en": "Read the NDA (version {version})",
        "hi": "एनडीए पढ़ें (संस्करण {version})",
    },
    "deal_room.nda_hash": {"en": "SHA-256 of this text: {sha}", "hi": "इस पाठ का SHA-256: {sha}"},
    "deal_room.nda_accepted_on": {"en": "accepted {moment}", "hi": "{moment} को स्वीकार किया"},
    "deal_room.nda_not_yet": {"en": "not accepted yet", "hi": "अभी स्वीकार नहीं किया"},
    "deal_room.nda_signed": {
        "en": "Both sides accepted the NDA.",
        "hi": "दोनों पक्षों ने एनडीए स्वीकार कर लिया है।",
    },
    "deal_room.nda_accept": {"en": "Accept the NDA", "hi": "एनडीए स्वीकार करें"},
    "deal_room.nda_accept_hint": {
        "en": "Pressing it accepts the text above: we record when, its version and hash, and "
        "your network.",
        "hi": "इसे दबाने से ऊपर लिखा पाठ स्वीकार होता है: हम समय, उसका संस्करण और हैश, और आपका "
        "नेटवर्क दर्ज करते हैं।",
    },
    # messages
    "deal_room.messages": {"en": "Messages", "hi": "संदेश"},
    "deal_room.no_messages": {"en": "No messages yet.", "hi": "अभी कोई संदेश नहीं।"},
    "deal_room.earlier_messages": {
        "en": "The latest {shown} of {total} messages are shown.",
        "hi": "{total} में से नवीनतम {shown} संदेश दिखाए गए हैं।",
    },
    "deal_room.masked": {
        "en": "Contact details in this message are hidden until both sides accept the NDA.",
        "hi": "इस संदेश के संपर्क विवरण तब तक छिपे हैं जब तक दोनों पक्ष एनडीए स्वीकार नहीं करते।",
    },
    "deal_room.message": {"en": "Your message", "hi": "आपका संदेश"},
    "deal_room.message_hint": {
        "en": "Plain text, up to 4,000 characters. New messages appear here as they arrive.",
        "hi": "सादा पाठ, 4,000 अक्षरों तक। नए संदेश आते ही यहाँ दिखते हैं।",
    },
    "deal_room.send": {"en": "Send", "hi": "भेजें"},
    # offers
    "deal_room.offers": {"en": "Offers", "hi": "प्रस्ताव"},
    "deal_room.no_offers": {"en": "No offers yet.", "hi": "अभी कोई प्रस्ताव नहीं।"},
    "deal_room.asking": {"en": "Asking price: {price}", "hi": "माँगी गई कीमत: {price}"},
    "deal_room.offer_amount": {"en": "Amount", "hi": "राशि"},
    "deal_room.offer_stake": {"en": "Stake", "hi": "हिस्सेदारी"},
    "deal_room.offer_valid_until": {"en": "Valid until", "hi": "इस तक मान्य"},
    "deal_room.offer_made": {"en": "Made", "hi": "दिया गया"},
    "deal_room.offer_terms": {"en": "Terms", "hi": "शर्तें"},
    "deal_room.offer_accept": {"en": "Accept this offer", "hi": "यह प्रस्ताव स्वीकार करें"},
    "deal_room.offer_reject": {"en": "Reject", "hi": "अस्वीकार करें"},
    "deal_room.offer_withdraw": {"en": "Withdraw my offer", "hi": "मेरा प्रस्ताव वापस लें"},
    "deal_room.make_offer": {"en": "Make an offer", "hi": "प्रस्ताव दें"},
    "deal_room.counter_offer": {"en": "Make a counter-offer", "hi": "जवाबी प्रस्ताव दें"},
    "deal_room.counter_hint": {
        "en": "Your counter-offer replaces the pending offer, which is marked countered.",
        "hi": "आपका जवाबी प्रस्ताव लंबित प्रस्ताव की जगह लेता है, जिसे जवाब दिया गया माना जाता है।",
    },
    "deal_room.send_offer": {"en": "Send the offer", "hi": "प्रस्ताव भेजें"},
    "deal_room.offers_after_nda": {
        "en": "Offers open once both sides have accepted the NDA.",
        "hi": "दोनों पक्षों के एनडीए स्वीकार करने के बाद ही प्रस्ताव दिए जा सकते हैं।",
    },
    "deal_room.offer_was_accepted": {
        "en": "An offer was accepted. Close the deal as done once it completes, or as no deal.",
        "hi": "एक प्रस्ताव स्वीकार हो गया है। सौदा पूरा होने पर उसे 'सौदा हुआ' के रूप में बंद करें, "
        "या 'सौदा नहीं हुआ' के रूप में।",
    },
    "deal_room.offer_awaits_answer": {
        "en": "Your offer is waiting for the other side's answer. You may withdraw it.",
        "hi": "आपका प्रस्ताव दूसरे पक्ष के जवाब की प्रतीक्षा में है। आप उसे वापस ले सकते हैं।",
    },
    "deal_room.owner_counters_only": {
        "en": "The buyer makes the first offer; you can accept, reject or counter it here.",
        "hi": "पहला प्रस्ताव ख़रीदार देता है; आप उसे यहाँ स्वीकार, अस्वीकार या जवाबी प्रस्ताव दे सकते हैं।",
    },
    "offer_form.amount": {"en": "Amount (rupees)", "hi": "राशि (रुपये)"},
    "offer_form.stake": {"en": "Stake (percent)", "hi": "हिस्सेदारी (प्रतिशत)"},
    "offer_form.stake_hint": {
        "en": "The share of the company this offer is for, e.g. 26.",
        "hi": "कंपनी का वह हिस्सा जिसके लिए यह प्रस्ताव है, जैसे 26।",
    },
    "offer_form.terms": {"en": "Terms", "hi": "शर्तें"},
    "offer_form.terms_hint": {
        "en": "How and when you would pay, and what the price depends on.",
        "hi": "आप कैसे और कब भुगतान करेंगे, और कीमत किन बातों पर निर्भर है।",
    },
    "offer_form.valid_until": {"en": "Valid until (date)", "hi": "इस तारीख़ तक मान्य"},
    "offer_form.valid_until_hint": {
        "en": "The offer lapses at the end of this day (India time), at most 180 days ahead.",
        "hi": "प्रस्ताव इस दिन के अंत (भारतीय समय) में समाप्त होगा, अधिकतम 180 दिन आगे तक।",
    },
    "offer_form.amount_positive": {
        "en": "Give an amount above zero.",
        "hi": "शून्य से अधिक राशि लिखें।",
    },
    "offer_form.stake_range": {
        "en": "Give the share this offer is for, between 0.01 and 100 percent.",
        "hi": "यह प्रस्ताव जिस हिस्से के लिए है वह 0.01 से 100 प्रतिशत के बीच लिखें।",
    },
    "offer_form.date_invalid": {
        "en": "Give a date like 2026-03-31.",
        "hi": "तारीख़ 2026-03-31 की तरह लिखें।",
    },
    "offer_form.valid_until_range": {
        "en": "Choose a day after today, no more than 180 days ahead.",
        "hi": "आज के बाद का कोई दिन चुनें, 180 दिन से अधिक आगे का नहीं।",
    },
    # documents and who opened them
    "deal_room.documents": {"en": "Documents", "hi": "दस्तावेज़"},
    "deal_room.documents_closed_buyer": {
        "en": "The business's documents open once both sides have accepted the NDA.",
        "hi": "दोनों पक्षों के एनडीए स्वीकार करने के बाद ही व्यवसाय के दस्तावेज़ खुलते हैं।",
    },
    "deal_room.documents_closed_owner": {
        "en": "The buyer can open these once both sides have accepted the NDA.",
        "hi": "दोनों पक्षों के एनडीए स्वीकार करने के बाद ख़रीदार इन्हें खोल सकेगा।",
    },
    "deal_room.documents_logged": {
        "en": "Each document the buyer opens is logged, and the owner sees it below.",
        "hi": "ख़रीदार जो भी दस्तावेज़ खोलता है वह दर्ज होता है, और मालिक उसे नीचे देखता है।",
    },
    "deal_room.no_documents": {
        "en": "The business has no documents yet.",
        "hi": "व्यवसाय के पास अभी कोई दस्तावेज़ नहीं है।",
    },
    "deal_room.size_kb": {"en": "{size} KB", "hi": "{size} KB"},
    "deal_room.access": {"en": "Documents the buyer opened", "hi": "ख़रीदार द्वारा खोले गए दस्तावेज़"},
    "deal_room.access_none": {
        "en": "The buyer has not opened any document yet.",
        "hi": "ख़रीदार ने अभी कोई दस्तावेज़ नहीं खोला है।",
    },
    "deal_room.access_document": {"en": "Document", "hi": "दस्तावेज़"},
    "deal_room.access_who": {"en": "Who", "hi": "किसने"},
    "deal_room.access_when": {"en": "When", "hi": "कब"},
    "deal_room.access_more": {
        "en": "The latest {shown} of {total} openings are shown.",
        "hi": "{total} में से नवीनतम {shown} बार खोला जाना दिखाया गया है।",
    },
    # closing
    "deal_room.close": {"en": "Close the deal", "hi": "सौदा बंद करें"},
    "deal_room.close_lead": {
        "en": "Either side may close the deal. A deal done closes the listing; any pending offer "
        "lapses.",
        "hi": "कोई भी पक्ष सौदा बंद कर सकता है। सौदा होने पर लिस्टिंग बंद हो जाती है; कोई भी लंबित "
        "प्रस्ताव समाप्त हो जाता है।",
    },
    "deal_room.outcome": {"en": "How did it end?", "hi": "सौदा कैसे ख़त्म हुआ?"},
    "deal_room.outcome_won": {"en": "Deal done", "hi": "सौदा हुआ"},
    "deal_room.outcome_lost": {"en": "No deal", "hi": "सौदा नहीं हुआ"},
    "deal_room.reason": {"en": "Why", "hi": "कारण"},
    "deal_room.reason_hint": {
        "en": "At least 3 characters; the other side sees it.",
        "hi": "कम से कम 3 अक्षर; दूसरा पक्ष इसे देखेगा।",
    },
    "deal_room.closed_note": {
        "en": "This deal is closed: nothing more can be added to it.",
        "hi": "यह सौदा बंद है: इसमें अब कुछ नहीं जोड़ा जा सकता।",
    },
    # on the interests pages
    "interests.open_deal": {"en": "Open the deal room", "hi": "सौदा कक्ष खोलें"},
    # --- one-shot messages after an action ---
    "flash.nda_accepted": {"en": "You accepted the NDA.", "hi": "आपने एनडीए स्वीकार कर लिया।"},
    "flash.message_sent": {"en": "Message sent.", "hi": "संदेश भेजा गया।"},
    "flash.offer_sent": {
        "en": "Offer sent. The other side has been told.",
        "hi": "प्रस्ताव भेजा गया। दूसरे पक्ष को सूचित किया गया है।",
    },
    "flash.offer_countered": {
        "en": "Counter-offer sent. The other side has been told.",
        "hi": "जवाबी प्रस्ताव भेजा गया। दूसरे पक्ष को सूचित किया गया है।",
    },
    "flash.offer_accepted": {"en": "Offer accepted.", "hi": "प्रस्ताव स्वीकार किया गया।"},
    "flash.offer_rejected": {"en": "Offer rejected.", "hi": "प्रस्ताव अस्वीकार किया गया।"},
    "flash.offer_withdrawn": {"en": "Offer withdrawn.", "hi": "प्रस्ताव वापस लिया गया।"},
    "flash.deal_closed": {"en": "Deal closed.", "hi": "सौदा बंद किया गया।"},
}
