"""Error pages and the services' error codes in plain words (codes without a text here are
shown with the service's own message)."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, dict[str, str]]] = {
    "error.title": {"en": "Something is not right", "hi": "कुछ ठीक नहीं है"},
    "error.title_403": {"en": "Not allowed", "hi": "अनुमति नहीं है"},
    "error.title_404": {"en": "Page not found", "hi": "पृष्ठ नहीं मिला"},
    "error.title_409": {"en": "That cannot be done now", "hi": "यह अभी नहीं हो सकता"},
    "error.title_422": {"en": "Please check the details", "hi": "कृपया विवरण जाँचें"},
    "error.title_500": {"en": "Something went wrong on our side", "hi": "हमारी ओर से कुछ गड़बड़ हुई"},
    "error.title_503": {"en": "Please try again shortly", "hi": "कृपया थोड़ी देर में फिर कोशिश करें"},
    "error.home": {"en": "Go to the marketplace", "hi": "बाज़ार पर जाएँ"},
    "error.switch_role": {
        "en": "Change your role on your account page",
        "hi": "अपने खाते के पृष्ठ पर अपनी भूमिका बदलें",
    },
    "error.generic": {"en": "This could not be done:", "hi": "यह नहीं हो सका:"},
    "error.NOT_FOUND": {
        "en": "There is nothing here, or you may not see it.",
        "hi": "यहाँ कुछ नहीं है, या आप इसे नहीं देख सकते।",
    },
    "error.MSME_NOT_FOUND": {
        "en": "No such business profile, or you may not see it.",
        "hi": "ऐसी कोई व्यवसाय प्रोफ़ाइल नहीं है, या आप उसे नहीं देख सकते।",
    },
    "error.LISTING_NOT_FOUND": {
        "en": "No such listing, or it is no longer on offer.",
        "hi": "ऐसी कोई लिस्टिंग नहीं है, या वह अब उपलब्ध नहीं है।",
    },
    "error.INTEREST_NOT_FOUND": {"en": "No such interest.", "hi": "ऐसी कोई रुचि नहीं है।"},
    "error.DOCUMENT_NOT_FOUND": {
        "en": "No such document, or you may not see it.",
        "hi": "ऐसा कोई दस्तावेज़ नहीं है, या आप उसे नहीं देख सकते।",
    },
    "error.VALUATION_NOT_FOUND": {
        "en": "No such valuation, or you may not see it.",
        "hi": "ऐसा कोई मूल्यांकन नहीं है, या आप उसे नहीं देख सकते।",
    },
    "error.MANDATE_NOT_FOUND": {"en": "No such mandate.", "hi": "ऐसा कोई मैंडेट नहीं है।"},
    "error.FORBIDDEN": {
        "en": "You are not allowed to do this.",
        "hi": "आपको यह करने की अनुमति नहीं है।",
    },
    "error.ROLE_REQUIRED": {
        "en": "This page is for another role (business owners, buyers and investors, or admins).",
        "hi": "यह पृष्ठ किसी दूसरी भूमिका के लिए है (व्यवसाय मालिक, ख़रीदार और निवेशक, या एडमिन)।",
    },
    "error.MSME_FORBIDDEN": {
        "en": "Only the profile's owner or an admin may change it.",
        "hi": "केवल प्रोफ़ाइल का मालिक या एडमिन इसे बदल सकता है।",
    },
    "error.LISTING_FORBIDDEN": {
        "en": "Only the listing's owner or an admin may change it.",
        "hi": "केवल लिस्टिंग का मालिक या एडमिन इसे बदल सकता है।",
    },
    "error.INTEREST_FORBIDDEN": {
        "en": "Only the listing's owner may accept or decline, and only the buyer may withdraw.",
        "hi": "केवल लिस्टिंग का मालिक स्वीकार या अस्वीकार कर सकता है, और केवल ख़रीदार वापस ले सकता है।",
    },
    "error.INTEREST_OWN_LISTING": {
        "en": "You cannot send an interest in your own listing.",
        "hi": "आप अपनी ही लिस्टिंग में रुचि नहीं भेज सकते।",
    },
    "error.INTEREST_ALREADY_SENT": {
        "en": "You have already sent an interest in this listing.",
        "hi": "आप इस लिस्टिंग में पहले ही रुचि भेज चुके हैं।",
    },
    "error.INTEREST_LIMIT_REACHED": {
        "en": "You have sent as many interests in this listing as one buyer may.",
        "hi": "आप इस लिस्टिंग में उतनी रुचियाँ भेज चुके हैं जितनी एक ख़रीदार भेज सकता है।",
    },
    "error.INTEREST_STATUS_CONFLICT": {
        "en": "This interest has already been answered.",
        "hi": "इस रुचि का जवाब पहले ही दिया जा चुका है।",
    },
    "error.CSRF_FAILED": {
        "en": "This form has expired or did not come from this site. "
        "Go back, reload and try again.",
        "hi": "यह फ़ॉर्म पुराना हो गया है या इस साइट से नहीं आया। "
        "वापस जाएँ, पृष्ठ दोबारा लोड करें और फिर कोशिश करें।",
    },
    "error.OTP_INVALID": {
        "en": "That code is not valid. Check the SMS, or ask for a new code.",
        "hi": "यह कोड मान्य नहीं है। एसएमएस जाँचें, या नया कोड मँगाएँ।",
    },
    "error.OTP_ATTEMPTS_EXCEEDED": {
        "en": "Too many wrong codes. Ask for a new code.",
        "hi": "बहुत बार ग़लत कोड डाला गया। नया कोड मँगाएँ।",
    },
    "error.OTP_RESEND_COOLDOWN": {
        "en": "A code was sent a moment ago. Wait a minute before asking again.",
        "hi": "अभी-अभी कोड भेजा गया है। दोबारा माँगने से पहले एक मिनट रुकें।",
    },
    "error.OTP_PHONE_LIMIT": {
        "en": "Too many codes were sent to this number in the last hour. Try again later.",
        "hi": "पिछले एक घंटे में इस नंबर पर बहुत अधिक कोड भेजे गए। बाद में फिर कोशिश करें।",
    },
    "error.RATE_LIMITED": {
        "en": "Too many tries. Wait a little and try again.",
        "hi": "बहुत अधिक प्रयास। थोड़ा रुककर फिर कोशिश करें।",
    },
    "error.MFA_CODE_INVALID": {
        "en": "That code is not valid. Enter the code your authenticator app shows now, or a "
        "recovery code.",
        "hi": "यह कोड मान्य नहीं है। अपने ऑथेंटिकेटर ऐप में अभी दिख रहा कोड, या एक रिकवरी कोड डालें।",
    },
    "error.MFA_TOKEN_INVALID": {
        "en": "This sign-in has expired. Sign in again.",
        "hi": "यह साइन-इन समाप्त हो गया है। फिर से साइन इन करें।",
    },
    "error.MFA_ATTEMPTS_EXCEEDED": {
        "en": "Too many wrong codes. Sign in again.",
        "hi": "बहुत बार ग़लत कोड डाला गया। फिर से साइन इन करें।",
    },
    "error.MFA_ENROLLMENT_REQUIRED": {
        "en": "Admins need two-step sign-in. Turn it on under My account, or sign in again "
        "with it.",
        "hi": "एडमिन के लिए दो-चरण साइन-इन ज़रूरी है। मेरा खाता में इसे चालू करें, "
        "या इसके साथ फिर से साइन इन करें।",
    },
    "error.MFA_ALREADY_ENABLED": {
        "en": "Two-step sign-in is already on.",
        "hi": "दो-चरण साइन-इन पहले से चालू है।",
    },
    "error.MFA_NOT_ENABLED": {
        "en": "Two-step sign-in is not on.",
        "hi": "दो-चरण साइन-इन चालू नहीं है।",
    },
    "error.MFA_SETUP_REQUIRED": {
        "en": "Start the set-up again: your set-up was not found.",
        "hi": "सेट-अप फिर से शुरू करें: आपका सेट-अप नहीं मिला।",
    },
    "error.ACCOUNT_SUSPENDED": {
        "en": "This account is suspended. Contact support.",
        "hi": "यह खाता निलंबित है। सहायता से संपर्क करें।",
    },
    "error.ROLE_NOT_ALLOWED": {
        "en": "You can choose only business owner, buyer or investor.",
        "hi": "आप केवल व्यवसाय मालिक, ख़रीदार या निवेशक चुन सकते हैं।",
    },
    "error.VERSION_CONFLICT": {
        "en": "Someone changed this since you opened it. "
        "Reload the page and make your change again.",
        "hi": "आपके खोलने के बाद किसी ने इसे बदल दिया। पृष्ठ दोबारा लोड करें और अपना बदलाव फिर से करें।",
    },
    "error.GSTIN_ALREADY_REGISTERED": {
        "en": "This GSTIN is already on another business profile. If it is yours, contact support "
        "with your GST certificate: an admin will review both claims.",
        "hi": "यह जीएसटीआईएन पहले से किसी दूसरी प्रोफ़ाइल पर है। अगर यह आपका है, तो अपने जीएसटी "
        "प्रमाणपत्र के साथ सहायता से संपर्क करें: एक एडमिन दोनों दावों की जाँच करेगा।",
    },
    "error.UDYAM_ALREADY_REGISTERED": {
        "en": "This Udyam number is already on another business profile. If it is yours, contact "
        "support with your Udyam certificate.",
        "hi": "यह उद्यम नंबर पहले से किसी दूसरी प्रोफ़ाइल पर है। अगर यह आपका है, तो अपने उद्यम "
        "प्रमाणपत्र के साथ सहायता से संपर्क करें।",
    },
    "error.LISTING_NOT_EDITABLE": {
        "en": "Only a draft or a rejected listing can be changed. Close it and list again.",
        "hi": "केवल ड्राफ़्ट या अस्वीकृत लिस्टिंग बदली जा सकती है। इसे बंद करके फिर से लिस्ट करें।",
    },
    "error.MSME_NOT_VERIFIED": {
        "en": "The business profile is not verified yet, so its listing cannot go live.",
        "hi": "व्यवसाय प्रोफ़ाइल अभी सत्यापित नहीं है, इसलिए इसकी लिस्टिंग सक्रिय नहीं हो सकती।",
    },
    "error.FINANCIALS_REQUIRED": {
        "en": "Add at least one fiscal year with revenue to value the business.",
        "hi": "मूल्यांकन के लिए राजस्व के साथ कम से कम एक वित्त वर्ष जोड़ें।",
    },
    "error.FINANCIALS_INSUFFICIENT": {
        "en": "Nothing to value yet: give revenue above zero, or total assets and liabilities.",
        "hi": "मूल्यांकन के लिए कुछ नहीं है: शून्य से अधिक राजस्व, या कुल संपत्ति और देनदारियाँ दें।",
    },
    "error.SECTOR_REQUIRED": {"en": "Choose a sector.", "hi": "एक क्षेत्र चुनें।"},
    "error.SECTOR_UNKNOWN": {"en": "Choose a sector from the list.", "hi": "सूची में से क्षेत्र चुनें।"},
    "error.STATE_UNKNOWN": {"en": "Choose a state from the list.", "hi": "सूची में से राज्य चुनें।"},
    "error.EBITDA_ABOVE_REVENUE": {
        "en": "EBITDA cannot be more than revenue.",
        "hi": "EBITDA राजस्व से अधिक नहीं हो सकता।",
    },
    "error.NET_PROFIT_ABOVE_REVENUE": {
        "en": "Net profit cannot be more than revenue.",
        "hi": "शुद्ध लाभ राजस्व से अधिक नहीं हो सकता।",
    },
    "error.REVENUE_TOO_LARGE": {
        "en": "This revenue is far above any MSME's; check the figure.",
        "hi": "यह राजस्व किसी भी MSME से बहुत अधिक है; आँकड़ा जाँचें।",
    },
    "error.STAKE_PERCENT_REQUIRED": {
        "en": "Say what share of the business is on offer (in percent).",
        "hi": "बताएँ कि व्यवसाय का कितना हिस्सा (प्रतिशत में) दिया जा रहा है।",
    },
    "error.STAKE_PERCENT_NOT_ALLOWED": {
        "en": "A full sale is the whole business: leave the stake empty.",
        "hi": "पूरी बिक्री में पूरा व्यवसाय आता है: हिस्सेदारी ख़ाली छोड़ें।",
    },
    "error.PAYLOAD_TOO_LARGE": {
        "en": "This file is larger than 10 MB.",
        "hi": "यह फ़ाइल 10 MB से बड़ी है।",
    },
    "error.UNSUPPORTED_MEDIA_TYPE": {
        "en": "Only PDF, PNG and JPEG files are accepted.",
        "hi": "केवल PDF, PNG और JPEG फ़ाइलें स्वीकार की जाती हैं।",
    },
    "error.DOCUMENT_LIMIT_REACHED": {
        "en": "This business already has 50 documents, the most one profile may hold.",
        "hi": "इस व्यवसाय के पास पहले से 50 दस्तावेज़ हैं, एक प्रोफ़ाइल में इससे अधिक नहीं रखे जा सकते।",
    },
    "error.DOCUMENT_QUOTA_EXCEEDED": {
        "en": "This file would take the business's documents past 200 MB in all, the most one "
        "profile may store.",
        "hi": "इस फ़ाइल से व्यवसाय के दस्तावेज़ कुल 200 MB से अधिक हो जाएँगे, एक प्रोफ़ाइल में इससे "
        "अधिक नहीं रखा जा सकता।",
    },
    "error.REASON_REQUIRED": {"en": "Say why.", "hi": "कारण बताएँ।"},
    "error.DEAL_NOT_FOUND": {
        "en": "No such deal, or it is not one of yours.",
        "hi": "ऐसा कोई सौदा नहीं है, या वह आपका नहीं है।",
    },
    "error.DEAL_FORBIDDEN": {
        "en": "Only the deal's two sides can do this; an admin only reads a deal.",
        "hi": "यह केवल सौदे के दोनों पक्ष कर सकते हैं; एडमिन सौदा केवल पढ़ सकता है।",
    },
    "error.DEAL_CLOSED": {
        "en": "This deal is closed: nothing more can be added to it.",
        "hi": "यह सौदा बंद है: इसमें अब कुछ नहीं जोड़ा जा सकता।",
    },
    "error.NDA_NOT_SIGNED": {
        "en": "Both sides must accept the NDA first; then documents, exact figures and offers "
        "open.",
        "hi": "पहले दोनों पक्षों को एनडीए स्वीकार करना होगा; उसके बाद दस्तावेज़, सटीक आँकड़े और प्रस्ताव खुलते हैं।",
    },
    "error.OFFER_NOT_FOUND": {
        "en": "No such offer in this deal.",
        "hi": "इस सौदे में ऐसा कोई प्रस्ताव नहीं है।",
    },
    "error.OFFER_PENDING": {
        "en": "Your last offer is still waiting for an answer: withdraw it, or wait for the "
        "answer.",
        "hi": "आपका पिछला प्रस्ताव अभी जवाब की प्रतीक्षा में है: उसे वापस लें, या जवाब की प्रतीक्षा करें।",
    },
    "error.OFFER_FORBIDDEN": {
        "en": "That is for the other side: you answer their offers and may withdraw your own, "
        "and an owner counters only a buyer's pending offer.",
        "hi": "यह दूसरे पक्ष का काम है: आप उनके प्रस्तावों का जवाब देते हैं और अपना प्रस्ताव वापस "
        "ले सकते हैं, और मालिक केवल ख़रीदार के लंबित प्रस्ताव पर जवाबी प्रस्ताव देता है।",
    },
    "error.OFFER_STATUS_CONFLICT": {
        "en": "This cannot be done now: the offer was answered already, or an offer in this deal "
        "was accepted. Reload the page to see where the deal stands.",
        "hi": "यह अभी नहीं हो सकता: प्रस्ताव का जवाब पहले ही दिया जा चुका है, या इस सौदे में एक "
        "प्रस्ताव स्वीकार हो चुका है। सौदे की स्थिति देखने के लिए पृष्ठ दोबारा लोड करें।",
    },
    "error.OFFER_EXPIRED": {
        "en": "This offer lapsed at its valid-until time.",
        "hi": "इस प्रस्ताव की मान्यता की समय-सीमा बीत चुकी है।",
    },
    "error.LISTING_SOLD": {
        "en": "Another deal for this listing was closed as done: the business is sold.",
        "hi": "इस लिस्टिंग का एक दूसरा सौदा पूरा होकर बंद हो चुका है: व्यवसाय बिक चुका है।",
    },
    "error.LISTING_UNDER_OFFER": {
        "en": "Another deal for this listing has an accepted offer already: close that deal first.",
        "hi": "इस लिस्टिंग के एक दूसरे सौदे में प्रस्ताव पहले ही स्वीकार हो चुका है: पहले उस सौदे को बंद करें।",
    },
    "error.CONFLICT": {
        "en": "This conflicts with a change made at the same moment. Reload and try again.",
        "hi": "यह उसी समय हुए किसी बदलाव से टकराता है। पृष्ठ दोबारा लोड करें और फिर कोशिश करें।",
    },
    "error.INTERNAL_ERROR": {
        "en": "Something went wrong on our side. It has been logged; please try again.",
        "hi": "हमारी ओर से कुछ गड़बड़ हुई। इसे दर्ज कर लिया गया है; कृपया फिर कोशिश करें।",
    },
    "error.SERVICE_UNAVAILABLE": {
        "en": "A service we depend on is not answering. Please try again shortly.",
        "hi": "जिस सेवा पर हम निर्भर हैं वह जवाब नहीं दे रही। कृपया थोड़ी देर में फिर कोशिश करें।",
    },
    "error.BAD_REQUEST": {
        "en": "This request could not be understood.",
        "hi": "यह अनुरोध समझा नहीं जा सका।",
    },
    "error.MALFORMED_FORM": {
        "en": "This form could not be read. Go back, reload the page and try again.",
        "hi": "यह फ़ॉर्म पढ़ा नहीं जा सका। वापस जाएँ, पृष्ठ दोबारा लोड करें और फिर कोशिश करें।",
    },
    "error.REQUEST_TIMEOUT": {
        "en": "What you sent did not arrive in time. Check your connection and try again.",
        "hi": "आपका भेजा हुआ समय पर नहीं पहुँचा। अपना कनेक्शन जाँचें और फिर कोशिश करें।",
    },
    "error.METHOD_NOT_ALLOWED": {
        "en": "This page cannot be used that way.",
        "hi": "इस पृष्ठ का इस तरह उपयोग नहीं हो सकता।",
    },
    "error.title_400": {"en": "That could not be read", "hi": "वह पढ़ा नहीं जा सका"},
    "error.title_408": {"en": "That took too long", "hi": "उसमें बहुत समय लगा"},
    "error.title_413": {"en": "That is too large", "hi": "वह बहुत बड़ा है"},
    "error.title_429": {"en": "Too many tries", "hi": "बहुत अधिक प्रयास"},
}
