"""The mutual non-disclosure agreement both sides of a deal accept before the business's
documents and exact figures reach the buyer (DESIGN.md §3 "Deals").

The wording is MSMEBazaar's own plain-language mutual NDA, drafted for this platform along the
lines of a standard mutual NDA under the Indian Contract Act, 1872 (what is confidential, its
use only to evaluate the deal, exceptions, return or destruction, term, no licence, injunctive
relief, Indian law and courts). It has not been reviewed by a lawyer: a lawyer must review it
before real deals rely on it. A change of wording is a new version: acceptances keep the
version and the SHA-256 of the exact text accepted, so what each party agreed to is provable.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Final

VERSION: Final = "2026-12-v1"

_TEXTS: Final[dict[str, str]] = {
    "en": """MUTUAL NON-DISCLOSURE AGREEMENT (MSMEBazaar, version 2026-12-v1)

This agreement is between the owner of the business listed on MSMEBazaar ("the Owner") and the
buyer or investor who expressed interest in it ("the Buyer"), each a "Party". It takes effect
when both Parties have accepted it on MSMEBazaar.

1. Confidential information. Everything one Party (or MSMEBazaar on its behalf) discloses to the
   other about the business or the proposed transaction — its name and identifiers, financial
   statements and figures, documents, customers, suppliers, employees, pricing, know-how, and the
   fact and terms of these discussions — is confidential information, whether given in writing,
   in the deal room, orally or in any other form.
2. Use. The receiving Party will use confidential information only to evaluate, negotiate and
   complete the proposed transaction, and for no other purpose.
3. Protection. The receiving Party will keep confidential information secret with at least the
   care it uses for its own confidential information (and no less than reasonable care), and
   will disclose it only to its employees, directors, lenders and professional advisers who need
   it for the purpose in clause 2 and are bound by duties of confidence no weaker than these. It
   is responsible for their compliance.
4. Exceptions. This agreement does not cover information that (a) is or becomes public other
   than through a breach of it, (b) the receiving Party already lawfully held without a duty of
   confidence, (c) it lawfully receives from a third party free to disclose it, or (d) it
   develops independently. A Party may disclose information when required by law, a court or a
   regulator, after telling the other Party promptly where the law allows.
5. No solicitation. For twelve months the Buyer will not, except through the proposed
   transaction, solicit the business's employees, customers or suppliers using confidential
   information.
6. Return or destruction. On request, or when discussions end, the receiving Party will return or
   destroy confidential information and copies, except what law or its regular backups require it
   to keep, which stays confidential.
7. No obligation, no licence. Neither Party must complete any transaction. Disclosure grants no
   licence or right in the information, which is given as is, without warranty.
8. Term. These duties last for two years from the day both Parties accepted, and for trade
   secrets as long as they remain trade secrets.
9. Remedies. A breach may cause harm that money cannot repair: the disclosing Party may seek an
   injunction or specific performance in addition to any other remedy.
10. Law and courts. This agreement is governed by the laws of India; the courts at the Owner's
    principal place of business have jurisdiction.
11. Acceptance. Each Party accepts by pressing "Accept" on MSMEBazaar, which records who accepted,
    when, this version and the SHA-256 of this text, and the network it was accepted from. That
    record is the Party's electronic acceptance under the Information Technology Act, 2000.
""",
    "hi": """पारस्परिक गोपनीयता समझौता (MSMEBazaar, संस्करण 2026-12-v1)

यह समझौता MSMEBazaar पर सूचीबद्ध व्यवसाय के मालिक ("मालिक") और उसमें रुचि दिखाने वाले खरीदार या
निवेशक ("खरीदार") के बीच है, जिनमें से प्रत्येक एक "पक्ष" है। यह तब लागू होता है जब दोनों पक्ष इसे
MSMEBazaar पर स्वीकार कर लेते हैं।

1. गोपनीय जानकारी। व्यवसाय या प्रस्तावित लेन-देन के बारे में एक पक्ष (या उसकी ओर से MSMEBazaar) दूसरे
   को जो कुछ भी बताता है — उसका नाम और पहचान संख्याएँ, वित्तीय विवरण और आँकड़े, दस्तावेज़, ग्राहक,
   आपूर्तिकर्ता, कर्मचारी, मूल्य, जानकारी, और इन बातचीतों का होना और उनकी शर्तें — गोपनीय जानकारी
   है, चाहे वह लिखित में, डील रूम में, मौखिक रूप से या किसी और रूप में दी गई हो।
2. उपयोग। प्राप्त करने वाला पक्ष गोपनीय जानकारी का उपयोग केवल प्रस्तावित लेन-देन के मूल्यांकन, बातचीत
   और उसे पूरा करने के लिए करेगा, किसी और काम के लिए नहीं।
3. सुरक्षा। प्राप्त करने वाला पक्ष गोपनीय जानकारी को कम से कम उतनी सावधानी से गुप्त रखेगा जितनी वह
   अपनी गोपनीय जानकारी के लिए रखता है (और उचित सावधानी से कम नहीं), और उसे केवल अपने उन कर्मचारियों,
   निदेशकों, ऋणदाताओं और पेशेवर सलाहकारों को बताएगा जिन्हें खंड 2 के उद्देश्य के लिए उसकी ज़रूरत है और
   जो इनसे कमज़ोर न होने वाले गोपनीयता के दायित्वों से बँधे हैं। उनके पालन की ज़िम्मेदारी उसी की है।
4. अपवाद। यह समझौता उस जानकारी पर लागू नहीं होता जो (क) इसके उल्लंघन के बिना सार्वजनिक है या हो
   जाती है, (ख) प्राप्त करने वाले पक्ष के पास पहले से बिना गोपनीयता दायित्व के वैध रूप से थी, (ग) उसे
   किसी ऐसे तीसरे पक्ष से वैध रूप से मिली जो उसे बताने के लिए स्वतंत्र था, या (घ) उसने स्वतंत्र रूप से
   विकसित की। कानून, अदालत या नियामक के कहने पर कोई पक्ष जानकारी बता सकता है, जहाँ कानून अनुमति दे
   वहाँ दूसरे पक्ष को तुरंत सूचित करके।
5. कर्मचारियों आदि को न लुभाना। बारह महीनों तक खरीदार, प्रस्तावित लेन-देन के अलावा, गोपनीय जानकारी
   का उपयोग करके व्यवसाय के कर्मचारियों, ग्राहकों या आपूर्तिकर्ताओं को नहीं लुभाएगा।
6. लौटाना या नष्ट करना। माँगे जाने पर, या बातचीत समाप्त होने पर, प्राप्त करने वाला पक्ष गोपनीय
   जानकारी और उसकी प्रतियाँ लौटा देगा या नष्ट कर देगा, सिवाय उसके जो कानून या उसके नियमित बैकअप के
   कारण रखना ज़रूरी है, जो गोपनीय ही रहेगा।
7. कोई बाध्यता नहीं, कोई लाइसेंस नहीं। किसी भी पक्ष पर कोई लेन-देन पूरा करने की बाध्यता नहीं है।
   जानकारी बताने से उस पर कोई लाइसेंस या अधिकार नहीं मिलता; वह जैसी है वैसी, बिना किसी वारंटी के दी
   जाती है।
8. अवधि। ये दायित्व दोनों पक्षों के स्वीकार करने के दिन से दो वर्ष तक रहते हैं, और व्यापार रहस्यों के
   लिए तब तक जब तक वे व्यापार रहस्य बने रहते हैं।
9. उपाय। उल्लंघन से ऐसा नुकसान हो सकता है जिसकी भरपाई पैसे से न हो: जानकारी देने वाला पक्ष किसी अन्य
   उपाय के साथ निषेधाज्ञा या विशिष्ट अनुपालन माँग सकता है।
10. कानून और अदालतें। यह समझौता भारत के कानूनों के अधीन है; मालिक के व्यवसाय के मुख्य स्थान की अदालतों
    को क्षेत्राधिकार है।
11. स्वीकृति। प्रत्येक पक्ष MSMEBazaar पर "स्वीकार करें" दबाकर इसे स्वीकार करता है, जिससे यह दर्ज होता
    है कि किसने, कब, यह संस्करण और इस पाठ का SHA-256, और किस नेटवर्क से स्वीकार किया। वह रिकॉर्ड
    सूचना प्रौद्योगिकी अधिनियम, 2000 के तहत उस पक्ष की इलेक्ट्रॉनिक स्वीकृति है।
""",
}


@dataclass(frozen=True)
class NdaText:
    """One language's text of the current NDA, with its version and the SHA-256 of the text."""

    version: str
    language: str
    text: str
    sha256: str


def current(language: str) -> NdaText:
    """The current NDA in `language` (`en` or `hi`; anything else is English)."""
    chosen = language if language in _TEXTS else "en"
    text = _TEXTS[chosen]
    return NdaText(VERSION, chosen, text, hashlib.sha256(text.encode()).hexdigest())
