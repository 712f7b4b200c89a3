"""Texts of the owner's pages: business profiles and their checks, financials, documents,
listings and the interests received."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, dict[str, str]]] = {
    "businesses.title": {"en": "My businesses", "hi": "मेरे व्यवसाय"},
    "businesses.add": {"en": "Add a business", "hi": "व्यवसाय जोड़ें"},
    "businesses.none": {
        "en": "No business yet. Add one to get it verified, valued and listed.",
        "hi": "अभी कोई व्यवसाय नहीं। सत्यापन, मूल्यांकन और लिस्टिंग के लिए एक जोड़ें।",
    },
    "businesses.listing_count.one": {"en": "{count} listing", "hi": "{count} लिस्टिंग"},
    "businesses.listing_count.other": {"en": "{count} listings", "hi": "{count} लिस्टिंग"},
    "profile.new_title": {"en": "Add a business", "hi": "व्यवसाय जोड़ें"},
    "profile.edit_title": {"en": "Edit the business profile", "hi": "व्यवसाय प्रोफ़ाइल बदलें"},
    "profile.lead": {
        "en": "Only the name, legal form, sector and state are required. GSTIN, PAN and Udyam "
        "are checked as you type.",
        "hi": "केवल नाम, कानूनी रूप, क्षेत्र और राज्य ज़रूरी हैं। जीएसटीआईएन, पैन और उद्यम "
        "लिखते समय ही जाँचे जाते हैं।",
    },
    "profile.section_business": {"en": "The business", "hi": "व्यवसाय"},
    "profile.section_identifiers": {"en": "Registrations", "hi": "पंजीकरण"},
    "profile.section_size": {"en": "Size and description", "hi": "आकार और विवरण"},
    "profile.identifiers_hint": {
        "en": "An admin needs at least one of GSTIN, PAN or Udyam to verify the business.",
        "hi": "व्यवसाय सत्यापित करने के लिए एडमिन को जीएसटीआईएन, पैन या उद्यम में से कम से कम एक चाहिए।",
    },
    "profile.legal_name": {"en": "Legal name", "hi": "कानूनी नाम"},
    "profile.legal_name_hint": {
        "en": "As on the GST or Udyam certificate.",
        "hi": "जैसा जीएसटी या उद्यम प्रमाणपत्र पर लिखा है।",
    },
    "profile.trade_name": {"en": "Trade name", "hi": "व्यापारिक नाम"},
    "profile.legal_form": {"en": "Legal form", "hi": "कानूनी रूप"},
    "profile.sector": {"en": "Sector", "hi": "क्षेत्र"},
    "profile.sub_sector": {"en": "What exactly you do", "hi": "आप ठीक-ठीक क्या करते हैं"},
    "profile.state": {"en": "State", "hi": "राज्य"},
    "profile.city": {"en": "City", "hi": "शहर"},
    "profile.pincode": {"en": "Pincode", "hi": "पिनकोड"},
    "profile.gstin": {"en": "GSTIN", "hi": "जीएसटीआईएन (GSTIN)"},
    "profile.gstin_hint": {
        "en": "15 characters, e.g. 27AAPFU0939F1ZV.",
        "hi": "15 अक्षर, जैसे 27AAPFU0939F1ZV।",
    },
    "profile.pan": {"en": "PAN", "hi": "पैन (PAN)"},
    "profile.pan_hint": {
        "en": "10 characters, e.g. AAPFU0939F. Left empty, it is taken from the GSTIN.",
        "hi": "10 अक्षर, जैसे AAPFU0939F। ख़ाली छोड़ने पर जीएसटीआईएन से लिया जाएगा।",
    },
    "profile.udyam": {"en": "Udyam registration number", "hi": "उद्यम पंजीकरण संख्या"},
    "profile.udyam_hint": {"en": "e.g. UDYAM-MH-26-0012345.", "hi": "जैसे UDYAM-MH-26-0012345।"},
    "profile.cin": {"en": "CIN (companies only)", "hi": "सीआईएन (केवल कंपनियों के लिए)"},
    "profile.cin_hint": {
        "en": "21 characters, e.g. U15400MH2012PTC123456.",
        "hi": "21 अक्षर, जैसे U15400MH2012PTC123456।",
    },
    "profile.year_established": {"en": "Year established", "hi": "स्थापना वर्ष"},
    "profile.employees": {"en": "Employees", "hi": "कर्मचारी"},
    "profile.investment": {
        "en": "Investment in plant and machinery",
        "hi": "संयंत्र और मशीनरी में निवेश",
    },
    "profile.investment_hint": {
        "en": "At cost, in rupees (45 lakh, 2.5 crore…). Decides micro, small or medium.",
        "hi": "लागत पर, रुपये में (45 लाख, 2.5 करोड़…)। इससे सूक्ष्म, लघु या मध्यम तय होता है।",
    },
    "profile.website": {"en": "Website", "hi": "वेबसाइट"},
    "profile.products": {"en": "Products and services", "hi": "उत्पाद और सेवाएँ"},
    "profile.description": {"en": "Description", "hi": "विवरण"},
    # --- identifiers, explained as the owner types ---
    "id.gstin.length": {
        "en": "A GSTIN has exactly 15 characters; this one has {length}. Copy it from your GST "
        "certificate.",
        "hi": "जीएसटीआईएन में ठीक 15 अक्षर होते हैं; इसमें {length} हैं। इसे अपने जीएसटी प्रमाणपत्र से देखकर लिखें।",
    },
    "id.gstin.state_code": {
        "en": "A GSTIN starts with the two-digit code of the state where it was issued; "
        "'{prefix}' is not a state code.",
        "hi": "जीएसटीआईएन उस राज्य के दो अंकों के कोड से शुरू होता है जहाँ यह जारी हुआ; "
        "'{prefix}' कोई राज्य कोड नहीं है।",
    },
    "id.gstin.pan": {
        "en": "Characters 3 to 12 of a GSTIN are the business's PAN; here they do not look "
        "like a PAN.",
        "hi": "जीएसटीआईएन के अक्षर 3 से 12 व्यवसाय का पैन होते हैं; यहाँ वे पैन जैसे नहीं दिखते।",
    },
    "id.gstin.entity": {
        "en": "Character 13 counts the registrations under one PAN: it must be 1–9 or a letter.",
        "hi": "अक्षर 13 एक पैन पर पंजीकरणों की गिनती है: यह 1–9 या कोई अक्षर होना चाहिए।",
    },
    "id.gstin.z": {
        "en": "Character 14 of every GSTIN is the letter Z.",
        "hi": "हर जीएसटीआईएन का 14वाँ अक्षर Z होता है।",
    },
    "id.gstin.checksum": {
        "en": "The last character is a check character, and it does not match the others: "
        "one character is probably mistyped. Compare it with your GST certificate.",
        "hi": "आख़िरी अक्षर एक जाँच अक्षर है और यह बाकी अक्षरों से मेल नहीं खाता: शायद कोई "
        "अक्षर ग़लत लिखा गया है। अपने जीएसटी प्रमाणपत्र से मिलाएँ।",
    },
    "id.gstin.invalid": {"en": "This is not a valid GSTIN.", "hi": "यह मान्य जीएसटीआईएन नहीं है।"},
    "id.gstin.pan_mismatch": {
        "en": "This GSTIN belongs to PAN {embedded}, which is not the PAN you gave.",
        "hi": "यह जीएसटीआईएन पैन {embedded} का है, जो आपका दिया पैन नहीं है।",
    },
    "id.gstin.state_mismatch": {
        "en": "This GSTIN was issued in {gst_state} (code {code}), but the business is in {state}.",
        "hi": "यह जीएसटीआईएन {gst_state} (कोड {code}) में जारी हुआ, पर व्यवसाय {state} में है।",
    },
    "id.gstin.ok": {
        "en": "Valid GSTIN, registered in {gst_state}.",
        "hi": "मान्य जीएसटीआईएन, {gst_state} में पंजीकृत।",
    },
    "id.pan.length": {
        "en": "A PAN has exactly 10 characters; this one has {length}.",
        "hi": "पैन में ठीक 10 अक्षर होते हैं; इसमें {length} हैं।",
    },
    "id.pan.holder": {
        "en": "The 4th character of a PAN says who holds it (C company, F firm, P person…); "
        "'{letter}' is not one of them.",
        "hi": "पैन का चौथा अक्षर बताता है कि यह किसका है (C कंपनी, F फ़र्म, P व्यक्ति…); "
        "'{letter}' इनमें से नहीं है।",
    },
    "id.pan.pattern": {
        "en": "A PAN is 5 letters, 4 digits and a letter, like AAPFU0939F.",
        "hi": "पैन में 5 अक्षर, 4 अंक और फिर एक अक्षर होता है, जैसे AAPFU0939F।",
    },
    "id.pan.ok": {"en": "Valid PAN of {holder}.", "hi": "मान्य पैन ({holder})।"},
    "id.udyam.format": {
        "en": "A Udyam number looks like UDYAM-MH-26-0012345: the word UDYAM, a state code, two "
        "digits and seven digits, joined by dashes.",
        "hi": "उद्यम नंबर UDYAM-MH-26-0012345 जैसा होता है: UDYAM शब्द, राज्य कोड, दो अंक और सात "
        "अंक, डैश से जुड़े।",
    },
    "id.udyam.state_code": {
        "en": "'{code}' is not a state code used on Udyam certificates.",
        "hi": "'{code}' उद्यम प्रमाणपत्रों पर प्रयुक्त राज्य कोड नहीं है।",
    },
    "id.udyam.ok": {"en": "Valid Udyam number.", "hi": "मान्य उद्यम नंबर।"},
    # --- one business ---
    "verification.explain_pending": {
        "en": "An admin checks the registrations and documents; listings go live only after that.",
        "hi": "एडमिन पंजीकरण और दस्तावेज़ जाँचता है; उसके बाद ही लिस्टिंग सक्रिय होती है।",
    },
    "verification.explain_verified": {
        "en": "Verified: buyers see the checked badge. Changing the name or a registration "
        "sends it back for verification.",
        "hi": "सत्यापित: ख़रीदारों को जाँचा हुआ चिह्न दिखता है। नाम या पंजीकरण बदलने पर यह फिर "
        "सत्यापन के लिए जाएगा।",
    },
    "verification.explain_rejected": {
        "en": "Not verified. Correct the details and save: it goes back to the admins.",
        "hi": "सत्यापित नहीं। विवरण ठीक करके सहेजें: यह फिर एडमिन के पास जाएगा।",
    },
    "business.upload_refused": {
        "en": "The file was refused; try another PDF, PNG or JPEG.",
        "hi": "फ़ाइल स्वीकार नहीं हुई; कोई दूसरी PDF, PNG या JPEG आज़माएँ।",
    },
    "business.edit": {"en": "Edit the profile", "hi": "प्रोफ़ाइल बदलें"},
    "business.financials": {"en": "Financials by year", "hi": "वर्षवार वित्तीय आँकड़े"},
    "business.no_financials": {
        "en": "No figures yet. Add the latest fiscal year to get a valuation.",
        "hi": "अभी कोई आँकड़े नहीं। मूल्यांकन के लिए नवीनतम वित्त वर्ष जोड़ें।",
    },
    "business.add_year": {"en": "Add or correct a year", "hi": "वर्ष जोड़ें या सुधारें"},
    "business.save_year": {"en": "Save the year", "hi": "वर्ष सहेजें"},
    "business.documents": {"en": "Documents", "hi": "दस्तावेज़"},
    "business.no_documents": {"en": "No documents yet.", "hi": "अभी कोई दस्तावेज़ नहीं।"},
    "business.document_kind": {"en": "Kind of document", "hi": "दस्तावेज़ का प्रकार"},
    "business.document_file": {"en": "File", "hi": "फ़ाइल"},
    "business.document_hint": {
        "en": "PDF, PNG or JPEG, at most 10 MB.",
        "hi": "PDF, PNG या JPEG, अधिकतम 10 MB।",
    },
    "business.upload": {"en": "Upload", "hi": "अपलोड करें"},
    "business.valuations": {"en": "Valuations", "hi": "मूल्यांकन"},
    "business.run_valuation": {"en": "Value the business now", "hi": "अभी मूल्यांकन करें"},
    "business.listings": {"en": "Listings", "hi": "लिस्टिंग"},
    "business.new_listing": {"en": "List this business", "hi": "इस व्यवसाय को लिस्ट करें"},
    # --- listings ---
    "listings.title": {"en": "My listings", "hi": "मेरी लिस्टिंग"},
    "listings.new": {"en": "New listing", "hi": "नई लिस्टिंग"},
    "listings.none": {"en": "No listings yet.", "hi": "अभी कोई लिस्टिंग नहीं।"},
    "listings.headline": {"en": "Headline", "hi": "शीर्षक"},
    "listings.views": {"en": "Views", "hi": "देखे गए"},
    "listings.interests": {"en": "Interests", "hi": "रुचियाँ"},
    "listings.rejected_because": {
        "en": "Rejected because: {reason}",
        "hi": "अस्वीकृति का कारण: {reason}",
    },
    "listing_form.new_title": {"en": "New listing", "hi": "नई लिस्टिंग"},
    "listing_form.edit_title": {"en": "Edit the listing", "hi": "लिस्टिंग बदलें"},
    "listing_form.no_profile": {
        "en": "Add a business first; then you can list it.",
        "hi": "पहले व्यवसाय जोड़ें; फिर उसे लिस्ट कर सकते हैं।",
    },
    "listing_form.business": {"en": "Business", "hi": "व्यवसाय"},
    "listing_form.asking_price": {"en": "Asking price", "hi": "माँगी गई कीमत"},
    "listing_form.stake": {"en": "Stake on offer (%)", "hi": "दी जा रही हिस्सेदारी (%)"},
    "listing_form.stake_hint": {
        "en": "For a stake sale or an investment, e.g. 26. Leave empty for a full sale.",
        "hi": "हिस्सेदारी बिक्री या निवेश के लिए, जैसे 26। पूरी बिक्री के लिए ख़ाली छोड़ें।",
    },
    "listing_form.headline_hint": {
        "en": "10 to 120 characters. For an anonymous listing, no name or city.",
        "hi": "10 से 120 अक्षर। गुमनाम लिस्टिंग में नाम या शहर न लिखें।",
    },
    "listing_form.summary_hint": {
        "en": "At least 20 characters: what the business does, its customers, why it is on offer.",
        "hi": "कम से कम 20 अक्षर: व्यवसाय क्या करता है, उसके ग्राहक, और इसे क्यों बेचा जा रहा है।",
    },
    "listing_form.anonymous": {"en": "List anonymously", "hi": "गुमनाम रूप से लिस्ट करें"},
    "listing_form.anonymous_hint": {
        "en": "Buyers see bands, not your name, city or registrations, until you accept them.",
        "hi": "जब तक आप स्वीकार न करें, ख़रीदार केवल दायरे देखेंगे, आपका नाम, शहर या पंजीकरण नहीं।",
    },
    "listing_form.nda_required": {
        "en": "Share documents and exact figures only under NDA",
        "hi": "दस्तावेज़ और सटीक आँकड़े केवल NDA के बाद साझा करें",
    },
    "listing_form.nda_required_hint": {
        "en": "A buyer you accept sees them once you both accept the deal's non-disclosure "
        "agreement.",
        "hi": "आपके स्वीकार किए ख़रीदार इन्हें तब देखेंगे जब आप दोनों डील का गोपनीयता समझौता (NDA) "
        "स्वीकार कर लें।",
    },
    "listing_status.explain_under_offer": {
        "en": "Under offer: you accepted an offer in one of its deals. It stays visible; closing "
        "that deal as won closes the listing, as lost makes it live again.",
        "hi": "प्रस्ताव पर: आपने इसकी एक डील में प्रस्ताव स्वीकार किया है। यह दिखती रहेगी; वह डील "
        "सफल होने पर लिस्टिंग बंद होगी, असफल होने पर फिर सक्रिय होगी।",
    },
    "listing.edit": {"en": "Edit", "hi": "बदलें"},
    "listing.submit": {"en": "Submit for review", "hi": "समीक्षा के लिए भेजें"},
    "listing.close": {"en": "Close the listing", "hi": "लिस्टिंग बंद करें"},
    "listing.public_view": {"en": "See it as buyers do", "hi": "ख़रीदारों की तरह देखें"},
    "listing.matching_mandates": {"en": "Buyers looking for this", "hi": "इसे खोज रहे ख़रीदार"},
    "listing.no_matches": {"en": "No matching mandate yet.", "hi": "अभी कोई मेल खाता मैंडेट नहीं।"},
    "listing_status.explain_draft": {
        "en": "Only you can see a draft. Submit it when it is ready.",
        "hi": "ड्राफ़्ट केवल आप देख सकते हैं। तैयार होने पर भेजें।",
    },
    "listing_status.explain_submitted": {
        "en": "An admin is reviewing it. It goes live once the business is verified and the "
        "listing approved.",
        "hi": "एडमिन इसकी समीक्षा कर रहा है। व्यवसाय सत्यापित और लिस्टिंग स्वीकृत होने पर यह सक्रिय होगी।",
    },
    "listing_status.explain_active": {
        "en": "Live: buyers can find it and send interests.",
        "hi": "सक्रिय: ख़रीदार इसे खोज सकते हैं और रुचि भेज सकते हैं।",
    },
    "listing_status.explain_rejected": {
        "en": "Rejected: fix what the admin says and submit it again.",
        "hi": "अस्वीकृत: एडमिन की बताई बात ठीक करें और फिर भेजें।",
    },
    "listing_status.explain_closed": {
        "en": "Closed: no longer shown and takes no interests.",
        "hi": "बंद: अब न दिखती है और न रुचि लेती है।",
    },
    "interests_received.title": {"en": "Interests received", "hi": "मिली रुचियाँ"},
    "interests_received.from": {"en": "From {name} ({role})", "hi": "{name} ({role}) की ओर से"},
    "interests_received.someone": {"en": "a member", "hi": "एक सदस्य"},
    "interests_received.contact": {"en": "Contact", "hi": "संपर्क"},
    "interests_received.accept": {
        "en": "Accept and share contacts",
        "hi": "स्वीकार करें और संपर्क साझा करें",
    },
    "interests_received.decline": {"en": "Decline", "hi": "अस्वीकार करें"},
    "interests_received.none": {"en": "No interests yet.", "hi": "अभी कोई रुचि नहीं।"},
}
