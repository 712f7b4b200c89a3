"""Every sentence the valuation shows people, in English and Hindi, and how parameters render."""

from __future__ import annotations

from decimal import Decimal

from msmebazaar.shared.i18n import Catalog
from msmebazaar.shared.india import format_inr_short
from msmebazaar.valuation.engine.types import Text

_TEXTS: dict[str, dict[str, str]] = {
    # --- methods ---
    "m.ebitda_multiple": {
        "en": "Normalised EBITDA {ebitda} × {multiple} EV/EBITDA ({industry}), less a {size} size "
        "and a {illiquidity} illiquidity discount = enterprise value {ev}; less debt {debt}, "
        "plus cash {cash}.",
        "hi": "सामान्यीकृत EBITDA {ebitda} × {multiple} EV/EBITDA ({industry}), {size} आकार छूट और "
        "{illiquidity} तरलता छूट घटाकर = उद्यम मूल्य {ev}; ऋण {debt} घटाया, नकद {cash} जोड़ा।",
    },
    "m.revenue_multiple": {
        "en": "Revenue {revenue} × {ev_sales} EV/Sales (derived: {multiple} EV/EBITDA × an "
        "assumed {margin} sector margin), less a {size} size and a {illiquidity} illiquidity "
        "discount = enterprise value {ev}; less debt {debt}, plus cash {cash}.",
        "hi": "राजस्व {revenue} × {ev_sales} EV/Sales (व्युत्पन्न: {multiple} EV/EBITDA × क्षेत्र का "
        "अनुमानित {margin} मार्जिन), {size} आकार छूट और {illiquidity} तरलता छूट घटाकर = उद्यम मूल्य "
        "{ev}; ऋण {debt} घटाया, नकद {cash} जोड़ा।",
    },
    "m.dcf": {
        "en": "Free cash flow {fcf} grown {years} years from {growth_start} fading to "
        "{long_run}, discounted at {rate}: {present} plus a Gordon terminal value worth "
        "{terminal} today = enterprise value {ev}; less debt {debt}, plus cash {cash}.",
        "hi": "मुक्त नकदी प्रवाह {fcf}, {years} वर्ष तक {growth_start} से घटकर {long_run} वृद्धि, "
        "{rate} पर छूट: {present} और गॉर्डन अंतिम मूल्य (आज {terminal}) = उद्यम मूल्य {ev}; "
        "ऋण {debt} घटाया, नकद {cash} जोड़ा।",
    },
    "m.net_assets": {
        "en": "Adjusted net assets {value}: cash at face value, other assets less a {haircut} "
        "haircut, minus all liabilities.",
        "hi": "समायोजित शुद्ध परिसंपत्तियाँ {value}: नकद पूरा, अन्य परिसंपत्तियों पर {haircut} कटौती, "
        "सभी देनदारियाँ घटाकर।",
    },
    "m.skipped_no_ebitda": {
        "en": "Skipped: no EBITDA was given.",
        "hi": "छोड़ा गया: EBITDA नहीं दिया गया।",
    },
    "m.skipped_ebitda_nonpositive": {
        "en": "Skipped: normalised EBITDA is {ebitda}, zero or negative, so earnings cannot "
        "be capitalised.",
        "hi": "छोड़ा गया: सामान्यीकृत EBITDA {ebitda} है (शून्य या ऋणात्मक), इसलिए कमाई पर आधारित "
        "मूल्य नहीं निकल सकता।",
    },
    "m.skipped_no_revenue": {
        "en": "Skipped: revenue is zero.",
        "hi": "छोड़ा गया: राजस्व शून्य है।",
    },
    "m.skipped_no_assets": {
        "en": "Skipped: total assets and total liabilities were not given.",
        "hi": "छोड़ा गया: कुल परिसंपत्तियाँ और कुल देनदारियाँ नहीं दी गईं।",
    },
    "method.unavailable": {"en": "Not computed.", "hi": "गणना नहीं हुई।"},
    # --- weights ---
    "w.earnings": {
        "en": "Profitable business: valued mainly on its earnings (EBITDA multiple and DCF).",
        "hi": "लाभकारी व्यवसाय: मूल्य मुख्यतः कमाई (EBITDA गुणक और DCF) पर आधारित।",
    },
    "w.earnings_asset_heavy": {
        "en": "Profitable, asset-heavy sector: earnings first, with more weight on net assets.",
        "hi": "लाभकारी, परिसंपत्ति-प्रधान क्षेत्र: पहले कमाई, शुद्ध परिसंपत्तियों को अधिक भार।",
    },
    "w.revenue_assets_thin": {
        "en": "Thin margin: revenue and net assets support more value than current earnings.",
        "hi": "कम मार्जिन: वर्तमान कमाई से अधिक मूल्य राजस्व और शुद्ध परिसंपत्तियों से मिलता है।",
    },
    "w.revenue_assets_loss": {
        "en": "Loss-making or no EBITDA: valued on revenue and net assets.",
        "hi": "घाटे में या EBITDA नहीं: मूल्य राजस्व और शुद्ध परिसंपत्तियों पर आधारित।",
    },
    "w.floor": {
        "en": "Net assets exceed what the other methods support: the floor applies.",
        "hi": "शुद्ध परिसंपत्तियाँ अन्य विधियों से अधिक हैं: न्यूनतम सीमा लागू।",
    },
    "w.below_floor": {
        "en": "Below the net-asset floor: shown for reference.",
        "hi": "शुद्ध-परिसंपत्ति सीमा से कम: केवल संदर्भ के लिए।",
    },
    "w.reference": {"en": "Shown for reference only.", "hi": "केवल संदर्भ के लिए।"},
    "w.unavailable": {"en": "Not available for this business.", "hi": "इस व्यवसाय के लिए उपलब्ध नहीं।"},
    # --- assumptions ---
    "a.multiples_source": {
        "en": "Sector multiple: Damodaran's India EV/EBITDA for {industry} ({firms} listed "
        "firms, positive-EBITDA firms, aggregate not median, updated {date}) is {multiple}; "
        "outliers are capped at {cap}, so {used} is used.",
        "hi": "क्षेत्र गुणक: {industry} के लिए डामोदरन का भारत EV/EBITDA ({firms} सूचीबद्ध कंपनियाँ, "
        "सकारात्मक EBITDA वाली, कुल योग, माध्यिका नहीं, अद्यतन {date}) {multiple} है; "
        "अधिकतम सीमा {cap}, इसलिए {used} लिया गया।",
    },
    "a.industry_fallback": {
        "en": "{requested} has too few listed firms (under {min}) or no figure; {industry} is "
        "used instead, and confidence is lowered.",
        "hi": "{requested} में बहुत कम ({min} से कम) सूचीबद्ध कंपनियाँ हैं या आँकड़ा नहीं है; इसके बजाय "
        "{industry} लिया गया और विश्वास घटाया गया।",
    },
    "a.discounts": {
        "en": "Market multiples are of listed companies: a {size} size discount (for revenue "
        "{revenue}; {small} at {small_at} falling to {large} at {large_at}) and a "
        "{illiquidity} illiquidity discount for a private company apply.",
        "hi": "बाज़ार गुणक सूचीबद्ध कंपनियों के हैं: {size} आकार छूट (राजस्व {revenue} के लिए; "
        "{small_at} पर {small} से {large_at} पर {large} तक) और निजी कंपनी के लिए {illiquidity} "
        "तरलता छूट लागू।",
    },
    "a.revenue_derived": {
        "en": "No India EV/Sales dataset was available: EV/Sales {ev_sales} is derived as "
        "{multiple} EV/EBITDA × an assumed typical {margin} EBITDA margin for the sector. It "
        "is not independent evidence and does not raise the confidence.",
        "hi": "भारत का EV/Sales डेटा उपलब्ध नहीं था: EV/Sales {ev_sales} = {multiple} EV/EBITDA × "
        "क्षेत्र का अनुमानित सामान्य {margin} EBITDA मार्जिन। यह स्वतंत्र प्रमाण नहीं है और विश्वास "
        "नहीं बढ़ाता।",
    },
    "a.no_ebitda": {
        "en": "No EBITDA was given: the earnings methods are skipped.",
        "hi": "EBITDA नहीं दिया गया: कमाई आधारित विधियाँ छोड़ी गईं।",
    },
    "a.normalised_ebitda": {
        "en": "Normalised EBITDA {ebitda}: a weighted average of the latest {years} year(s), "
        "newest weighted most (3:2:1).",
        "hi": "सामान्यीकृत EBITDA {ebitda}: पिछले {years} वर्ष(ों) का भारित औसत, नवीनतम को सबसे "
        "अधिक भार (3:2:1)।",
    },
    "a.owner_salary": {
        "en": "Owner's salary above a market wage of {wage} a year is added back to EBITDA "
        "({add_back} on average).",
        "hi": "मालिक का वेतन जो {wage} प्रति वर्ष के बाज़ार वेतन से अधिक है, EBITDA में जोड़ा गया "
        "(औसतन {add_back})।",
    },
    "a.ebitda_nonpositive": {
        "en": "EBITDA is zero or negative: the EBITDA-multiple and DCF methods are skipped.",
        "hi": "EBITDA शून्य या ऋणात्मक है: EBITDA-गुणक और DCF विधियाँ छोड़ी गईं।",
    },
    "a.discount_rate": {
        "en": "Discount rate {rate} = India risk-free rate {risk_free} (10-year G-Sec, as of "
        "{as_of}) + equity risk premium {erp} (Damodaran, India) + small-company premium "
        "{small}.",
        "hi": "छूट दर {rate} = भारत जोखिम-मुक्त दर {risk_free} (10-वर्षीय G-Sec, {as_of} तक) + "
        "इक्विटी जोखिम प्रीमियम {erp} (डामोदरन, भारत) + लघु-कंपनी प्रीमियम {small}।",
    },
    "a.cash_flow": {
        "en": "Free cash flow = normalised EBITDA less {tax} tax, less {reinvestment} "
        "reinvested to sustain growth.",
        "hi": "मुक्त नकदी प्रवाह = सामान्यीकृत EBITDA में से {tax} कर और विकास हेतु {reinvestment} "
        "पुनर्निवेश घटाकर।",
    },
    "a.growth_unknown": {
        "en": "Only one year of revenue: growth is taken at the long-run {long_run}.",
        "hi": "राजस्व का केवल एक वर्ष: वृद्धि दीर्घकालिक {long_run} मानी गई।",
    },
    "a.growth": {
        "en": "Revenue grew {observed} a year over {span} year(s); {used} is used (limits "
        "{low} to {high}), fading over {years} years to a long-run {long_run}.",
        "hi": "राजस्व {span} वर्ष(ों) में {observed} प्रति वर्ष बढ़ा; {used} लिया गया (सीमा {low} से "
        "{high}), जो {years} वर्षों में घटकर दीर्घकालिक {long_run} हो जाता है।",
    },
    "a.debt_cash_missing": {
        "en": "Debt or cash was not given for the latest year and is taken as zero.",
        "hi": "नवीनतम वर्ष का ऋण या नकद नहीं दिया गया, इसे शून्य माना गया।",
    },
    "a.floor_rule": {
        "en": "Floor: the value is never below adjusted net assets (other assets less a "
        "{haircut} haircut) nor below zero.",
        "hi": "न्यूनतम सीमा: मूल्य समायोजित शुद्ध परिसंपत्तियों (अन्य परिसंपत्तियों पर {haircut} कटौती) "
        "से और शून्य से कभी कम नहीं।",
    },
    "a.floor_applied": {
        "en": "The floor applies here: the value is {floor}.",
        "hi": "यहाँ न्यूनतम सीमा लागू है: मूल्य {floor} है।",
    },
    "a.range_rule": {
        "en": "Range: base ± {spread}. It starts at ±{base_spread} and widens for fewer "
        "than 3 years, an unverified profile, missing figures, disagreeing methods and a "
        "thin industry.",
        "hi": "सीमा: आधार ± {spread}। यह ±{base_spread} से शुरू होती है और 3 से कम वर्ष, "
        "असत्यापित प्रोफ़ाइल, छूटे आँकड़े, असहमत विधियाँ और कम कंपनियों वाले उद्योग पर चौड़ी "
        "होती है।",
    },
    "a.data_version": {
        "en": "Valuation data version {version}.",
        "hi": "मूल्यांकन डेटा संस्करण {version}।",
    },
    # --- asking price ---
    "c.below": {
        "en": "The asking price {price} is {difference} ({percent}) below the range.",
        "hi": "माँगी गई कीमत {price} सीमा से {difference} ({percent}) कम है।",
    },
    "c.within": {
        "en": "The asking price {price} is within the range.",
        "hi": "माँगी गई कीमत {price} सीमा के भीतर है।",
    },
    "c.above": {
        "en": "The asking price {price} is {difference} ({percent}) above the range.",
        "hi": "माँगी गई कीमत {price} सीमा से {difference} ({percent}) अधिक है।",
    },
    "c.stake": {
        "en": " It is for a {stake} stake, implying {implied} for the whole business.",
        "hi": " यह {stake} हिस्सेदारी के लिए है, यानी पूरे व्यवसाय का {implied}।",
    },
}

CATALOG = Catalog(_TEXTS)


def render_param(tagged: str, language: str) -> str:
    """One tagged parameter as people read it (₹ in lakh/crore, percentages, multiples)."""
    tag, _, value = tagged.partition(":")
    if tag == "inr":
        return format_inr_short(int(value), language)
    if tag == "pct":
        percent = (Decimal(value) * 100).quantize(Decimal("0.01")).normalize()
        return f"{percent:f}%"  # 17.68%, 30%, 25.17%: as many places as the figure has
    if tag == "x":
        return f"{Decimal(value).quantize(Decimal('0.01'))}×"
    return value


def render(text: Text, language: str) -> str:
    """A stored text in `language` (en or hi)."""
    params = {name: render_param(value, language) for name, value in text.params.items()}
    return CATALOG.text(text.key, language, **params)
