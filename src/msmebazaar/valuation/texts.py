"""Every sentence the valuation shows people, in English and Hindi, and how parameters render.

Keys stay as long as a stored valuation may name them: a valuation is rendered from its stored
keys, whatever data version it was computed on."""

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
    "m.private_multiple": {
        "en": "{basis} {profit} × {multiple}, the typical multiple for {group} businesses of "
        "this size (evidence {range}) = enterprise value {ev}; less debt {debt}, plus "
        "cash {cash}.",
        "hi": "{basis} {profit} × {multiple}, इस आकार के {group} व्यवसायों का सामान्य गुणक "
        "(प्रमाण {range}) = उद्यम मूल्य {ev}; ऋण {debt} घटाया, नकद {cash} जोड़ा।",
    },
    "m.private_revenue": {
        "en": "Revenue {revenue} × an assumed typical {margin} margin = profit {profit}, × "
        "{multiple}, the typical multiple for that profit ({ev_sales} of revenue) = enterprise "
        "value {ev}; less debt {debt}, plus cash {cash}.",
        "hi": "राजस्व {revenue} × क्षेत्र का अनुमानित सामान्य {margin} मार्जिन = लाभ {profit}, × "
        "{multiple}, उस लाभ का सामान्य गुणक (राजस्व का {ev_sales}) = उद्यम मूल्य {ev}; ऋण {debt} "
        "घटाया, नकद {cash} जोड़ा।",
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
    # Counted texts (`.one` / `.other`): `render` picks the form by the parameter named in
    # `_COUNTED_BY` (a bracketed plural suffix reads wrongly, and in Devanagari the vowel sign
    # lands on the bracket).
    "a.normalised_ebitda.one": {
        "en": "Normalised EBITDA {ebitda}: the latest year's.",
        "hi": "सामान्यीकृत EBITDA {ebitda}: नवीनतम वर्ष का।",
    },
    "a.normalised_ebitda.other": {
        "en": "Normalised EBITDA {ebitda}: a weighted average of the latest {years} years, "
        "newest weighted most (3:2:1).",
        "hi": "सामान्यीकृत EBITDA {ebitda}: पिछले {years} वर्षों का भारित औसत, नवीनतम को सबसे "
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
    "a.cash_flow_private": {
        "en": "Free cash flow = the profit valued less {tax} tax, less {reinvestment} "
        "reinvested to sustain growth.",
        "hi": "मुक्त नकदी प्रवाह = मूल्यांकित लाभ में से {tax} कर और विकास हेतु {reinvestment} पुनर्निवेश घटाकर।",
    },
    "a.growth_unknown": {
        "en": "Only one year of revenue: growth is taken at the long-run {long_run}.",
        "hi": "राजस्व का केवल एक वर्ष: वृद्धि दीर्घकालिक {long_run} मानी गई।",
    },
    "a.growth.one": {
        "en": "Revenue grew {observed} over {span} year; {used} is used (limits "
        "{low} to {high}), fading over {years} years to a long-run {long_run}.",
        "hi": "राजस्व {span} वर्ष में {observed} बढ़ा; {used} लिया गया (सीमा {low} से "
        "{high}), जो {years} वर्षों में घटकर दीर्घकालिक {long_run} हो जाता है।",
    },
    "a.growth.other": {
        "en": "Revenue grew {observed} a year over {span} years; {used} is used (limits "
        "{low} to {high}), fading over {years} years to a long-run {long_run}.",
        "hi": "राजस्व {span} वर्षों में {observed} प्रति वर्ष बढ़ा; {used} लिया गया (सीमा {low} से "
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
    # --- private-market evidence (data from 2026.12.1) ---
    "a.evidence_steady": {
        "en": "Businesses of this size in {group} usually sell for {range} {basis} "
        "(typical {typical}). Yours is valued at {implied} ({base} for {basis} of {profit}) "
        "because its revenue growth of {growth} a year is in line with the {long_run} the "
        "typical multiple assumes.",
        "hi": "इस आकार के {group} व्यवसाय आमतौर पर {basis} के {range} पर बिकते हैं "
        "(सामान्य {typical})। आपका मूल्य {implied} है ({basis} {profit} पर {base}), क्योंकि "
        "इसके राजस्व की {growth} वार्षिक वृद्धि सामान्य गुणक में मानी गई {long_run} के अनुरूप है।",
    },
    "a.evidence_faster": {
        "en": "Businesses of this size in {group} usually sell for {range} {basis} "
        "(typical {typical}). Yours is valued at {implied} ({base} for {basis} of {profit}) "
        "because its revenue grew {growth} a year, faster than the {long_run} the typical "
        "multiple assumes, and the DCF values that growth.",
        "hi": "इस आकार के {group} व्यवसाय आमतौर पर {basis} के {range} पर बिकते हैं "
        "(सामान्य {typical})। आपका मूल्य {implied} है ({basis} {profit} पर {base}), क्योंकि "
        "इसका राजस्व {growth} प्रति वर्ष बढ़ा, सामान्य गुणक में मानी गई {long_run} से तेज़, और DCF "
        "इस वृद्धि का मूल्य जोड़ता है।",
    },
    "a.evidence_slower": {
        "en": "Businesses of this size in {group} usually sell for {range} {basis} "
        "(typical {typical}). Yours is valued at {implied} ({base} for {basis} of {profit}) "
        "because its revenue growth of {growth} a year is below the {long_run} the typical "
        "multiple assumes, and the DCF discounts that.",
        "hi": "इस आकार के {group} व्यवसाय आमतौर पर {basis} के {range} पर बिकते हैं "
        "(सामान्य {typical})। आपका मूल्य {implied} है ({basis} {profit} पर {base}), क्योंकि "
        "इसके राजस्व की {growth} वार्षिक वृद्धि सामान्य गुणक में मानी गई {long_run} से कम है, और "
        "DCF इसे घटाता है।",
    },
    "a.evidence_one_year": {
        "en": "Businesses of this size in {group} usually sell for {range} {basis} "
        "(typical {typical}). Yours is valued at {implied} ({base} for {basis} of {profit}) "
        "because with one year of figures its growth is taken at the {long_run} the typical "
        "multiple assumes; more years would show its own growth.",
        "hi": "इस आकार के {group} व्यवसाय आमतौर पर {basis} के {range} पर बिकते हैं "
        "(सामान्य {typical})। आपका मूल्य {implied} है ({basis} {profit} पर {base}), क्योंकि "
        "केवल एक वर्ष के आँकड़ों से इसकी वृद्धि सामान्य गुणक में मानी गई {long_run} ली गई; अधिक "
        "वर्ष इसकी अपनी वृद्धि दिखाएँगे।",
    },
    "a.evidence_assets": {
        "en": "Businesses of this size in {group} usually sell for {range} {basis} "
        "(typical {typical}). Yours is valued at {implied} ({base} for {basis} of {profit}) "
        "because its revenue or net assets support more value than its profit does.",
        "hi": "इस आकार के {group} व्यवसाय आमतौर पर {basis} के {range} पर बिकते हैं "
        "(सामान्य {typical})। आपका मूल्य {implied} है ({basis} {profit} पर {base}), क्योंकि "
        "इसका राजस्व या शुद्ध परिसंपत्तियाँ इसके लाभ से अधिक मूल्य का आधार देती हैं।",
    },
    "a.evidence_no_profit": {
        "en": "Small {group} businesses usually sell for {range} {basis}; this one shows "
        "no positive profit, so it is valued on its revenue and net assets.",
        "hi": "छोटे {group} व्यवसाय आमतौर पर {basis} के {range} पर बिकते हैं; इसमें कोई "
        "सकारात्मक लाभ नहीं है, इसलिए मूल्य राजस्व और शुद्ध परिसंपत्तियों पर आधारित है।",
    },
    "a.evidence_size": {
        "en": "Evidence: {group} businesses with {basis} of about {from} sell for {from_range}, "
        "of about {to} for {to_range}; at {profit} that gives {range}, typical {typical} "
        "(interpolated by size). Sources: {sources}.",
        "hi": "प्रमाण: लगभग {from} {basis} वाले {group} व्यवसाय {from_range} पर बिकते हैं, लगभग "
        "{to} वाले {to_range} पर; {profit} पर यह {range} देता है, सामान्य {typical} (आकार "
        "के अनुसार बीच का मान)। स्रोत: {sources}।",
    },
    "a.evidence_size_flat": {
        "en": "Evidence: {group} businesses with {basis} of about {from} sell for {from_range} "
        "(typical {typical}); no band beyond it is quoted, so that range is used at {profit}. "
        "Sources: {sources}.",
        "hi": "प्रमाण: लगभग {from} {basis} वाले {group} व्यवसाय {from_range} पर बिकते हैं "
        "(सामान्य {typical}); इससे आगे का कोई दायरा उपलब्ध नहीं, इसलिए {profit} पर यही दायरा "
        "लिया गया। स्रोत: {sources}।",
    },
    "a.sde.one": {
        "en": "Owner-operated (owner's earnings under {threshold}): the profit valued is "
        "owner's earnings (SDE) {sde} = EBITDA {ebitda} + the owner's salary {salary}, "
        "of the latest year, as a buyer who runs the business takes both.",
        "hi": "मालिक-संचालित ({threshold} से कम मालिक की कमाई): मूल्यांकित लाभ मालिक की कमाई "
        "(SDE) {sde} = EBITDA {ebitda} + मालिक का वेतन {salary} है, नवीनतम वर्ष का, क्योंकि "
        "व्यवसाय चलाने वाला खरीदार दोनों पाता है।",
    },
    "a.sde.other": {
        "en": "Owner-operated (owner's earnings under {threshold}): the profit valued is "
        "owner's earnings (SDE) {sde} = EBITDA {ebitda} + the owner's salary {salary}, "
        "weighted 3:2:1 over the latest {years} years, as a buyer who runs the business "
        "takes both.",
        "hi": "मालिक-संचालित ({threshold} से कम मालिक की कमाई): मूल्यांकित लाभ मालिक की कमाई "
        "(SDE) {sde} = EBITDA {ebitda} + मालिक का वेतन {salary} है, पिछले {years} वर्षों पर "
        "3:2:1 भारित, क्योंकि व्यवसाय चलाने वाला खरीदार दोनों पाता है।",
    },
    "a.owner_salary_missing": {
        "en": "The owner's salary was not given, so it is taken as nil: the profit is assumed "
        "to include what the owner draws, as in most proprietorships. If the accounts pay the "
        "owner a salary, give it and it is added back.",
        "hi": "मालिक का वेतन नहीं दिया गया, इसलिए शून्य माना गया: माना गया कि लाभ में मालिक की "
        "निकासी शामिल है, जैसा अधिकांश स्वामित्व फ़र्मों में होता है। यदि खातों में मालिक को वेतन "
        "दिया जाता है, तो उसे दें, वह वापस जोड़ा जाएगा।",
    },
    "a.ebitda_basis.one": {
        "en": "Owner's earnings of {threshold} or more: the profit valued is normalised EBITDA "
        "{ebitda} (the latest year's, owner's salary above a "
        "market wage of {wage} added back), as larger businesses are bought to be run by a "
        "manager.",
        "hi": "{threshold} या अधिक मालिक की कमाई: मूल्यांकित लाभ सामान्यीकृत EBITDA {ebitda} है "
        "(नवीनतम वर्ष का, {wage} के बाज़ार वेतन से अधिक मालिक का वेतन जोड़ा "
        "गया), क्योंकि बड़े व्यवसाय प्रबंधक द्वारा चलाने के लिए खरीदे जाते हैं।",
    },
    "a.ebitda_basis.other": {
        "en": "Owner's earnings of {threshold} or more: the profit valued is normalised EBITDA "
        "{ebitda} (weighted 3:2:1 over the latest {years} years, owner's salary above a "
        "market wage of {wage} added back), as larger businesses are bought to be run by a "
        "manager.",
        "hi": "{threshold} या अधिक मालिक की कमाई: मूल्यांकित लाभ सामान्यीकृत EBITDA {ebitda} है "
        "(पिछले {years} वर्षों पर 3:2:1 भारित, {wage} के बाज़ार वेतन से अधिक मालिक का वेतन जोड़ा "
        "गया), क्योंकि बड़े व्यवसाय प्रबंधक द्वारा चलाने के लिए खरीदे जाते हैं।",
    },
    "a.threshold_hold": {
        "en": "Normalised EBITDA {ebitda} is below {threshold} only because the owner's work "
        "is now priced at a manager's wage; the profit is held at {threshold} so that value "
        "never falls where the basis changes.",
        "hi": "सामान्यीकृत EBITDA {ebitda} केवल इसलिए {threshold} से कम है कि मालिक के काम को अब "
        "प्रबंधक के वेतन पर आँका गया है; लाभ {threshold} पर रखा गया ताकि आधार बदलने पर मूल्य न "
        "गिरे।",
    },
    "a.cross_check_agree": {
        "en": "Cross-check (sets no value): listed {industry} companies trade at {listed} "
        "EBITDA, {listed_relative} the listed market's {market} (Damodaran, India, {date}); "
        "the private evidence puts {group} at {private_relative} the multiple of all small "
        "businesses of this size. They agree, which raises the confidence.",
        "hi": "जाँच (मूल्य तय नहीं करती): सूचीबद्ध {industry} कंपनियाँ EBITDA के {listed} पर हैं, "
        "सूचीबद्ध बाज़ार के {market} का {listed_relative} (डामोदरन, भारत, {date}); निजी प्रमाण "
        "{group} को इस आकार के सभी छोटे व्यवसायों के गुणक का {private_relative} रखता है। दोनों "
        "सहमत हैं, इससे विश्वास बढ़ता है।",
    },
    "a.cross_check_partly": {
        "en": "Cross-check (sets no value): listed {industry} companies trade at {listed} "
        "EBITDA, {listed_relative} the listed market's {market} (Damodaran, India, {date}); "
        "the private evidence puts {group} at {private_relative} the multiple of all small "
        "businesses of this size. They partly disagree, which lowers the confidence a little.",
        "hi": "जाँच (मूल्य तय नहीं करती): सूचीबद्ध {industry} कंपनियाँ EBITDA के {listed} पर हैं, "
        "सूचीबद्ध बाज़ार के {market} का {listed_relative} (डामोदरन, भारत, {date}); निजी प्रमाण "
        "{group} को इस आकार के सभी छोटे व्यवसायों के गुणक का {private_relative} रखता है। दोनों "
        "आंशिक रूप से असहमत हैं, इससे विश्वास थोड़ा घटता है।",
    },
    "a.cross_check_disagree": {
        "en": "Cross-check (sets no value): listed {industry} companies trade at {listed} "
        "EBITDA, {listed_relative} the listed market's {market} (Damodaran, India, {date}); "
        "the private evidence puts {group} at {private_relative} the multiple of all small "
        "businesses of this size. They disagree, which lowers the confidence.",
        "hi": "जाँच (मूल्य तय नहीं करती): सूचीबद्ध {industry} कंपनियाँ EBITDA के {listed} पर हैं, "
        "सूचीबद्ध बाज़ार के {market} का {listed_relative} (डामोदरन, भारत, {date}); निजी प्रमाण "
        "{group} को इस आकार के सभी छोटे व्यवसायों के गुणक का {private_relative} रखता है। दोनों "
        "असहमत हैं, इससे विश्वास घटता है।",
    },
    "a.us_cross_check": {
        "en": "US cross-check only (sets no figure): BizBuySell's Insight Report put closed US "
        "small-business sales in 2022 at an average 2.53× cash flow (SDE) and 0.65× revenue, "
        "about 1.9× under $100,000 of cash flow and almost 4× near $1 million.",
        "hi": "केवल अमेरिकी तुलना (कोई आँकड़ा तय नहीं करती): BizBuySell की Insight Report के "
        "अनुसार 2022 में अमेरिका में बिके छोटे व्यवसाय औसतन नकदी प्रवाह (SDE) के 2.53× और राजस्व "
        "के 0.65× पर बिके; $1,00,000 से कम नकदी प्रवाह पर लगभग 1.9× और $10 लाख के पास लगभग 4×।",
    },
    "a.revenue_private": {
        "en": "Revenue method: revenue × an assumed typical {margin} margin for the sector, "
        "valued at the typical {group} multiple for that profit. It is not independent "
        "evidence and does not raise the confidence.",
        "hi": "राजस्व विधि: राजस्व × क्षेत्र का अनुमानित सामान्य {margin} मार्जिन, उस लाभ के "
        "सामान्य {group} गुणक पर। यह स्वतंत्र प्रमाण नहीं है और विश्वास नहीं बढ़ाता।",
    },
    "a.no_discounts": {
        "en": "No size or illiquidity discount is applied: the multiples are already prices "
        "paid for small private businesses.",
        "hi": "कोई आकार या तरलता छूट नहीं लगाई गई: ये गुणक पहले से ही छोटे निजी व्यवसायों के "
        "लिए चुकाई गई कीमतें हैं।",
    },
    "a.discount_rate_private": {
        "en": "Discount rate {rate} = India risk-free rate {risk_free} (10-year G-Sec, as of "
        "{as_of}) + equity risk premium {erp} (Damodaran, India) + small-business premium "
        "{premium}: the premium at which a business growing at the long-run {long_run} is "
        "worth the typical {typical}, so the DCF differs from the market evidence only "
        "through growth.",
        "hi": "छूट दर {rate} = भारत जोखिम-मुक्त दर {risk_free} (10-वर्षीय G-Sec, {as_of} तक) + "
        "इक्विटी जोखिम प्रीमियम {erp} (डामोदरन, भारत) + लघु-व्यवसाय प्रीमियम {premium}: वह "
        "प्रीमियम जिस पर दीर्घकालिक {long_run} से बढ़ने वाले व्यवसाय का मूल्य सामान्य {typical} "
        "होता है, इसलिए DCF बाज़ार प्रमाण से केवल वृद्धि के कारण अलग होता है।",
    },
    # --- terms used inside other texts ("t:" parameters) ---
    "basis.sde": {"en": "owner's earnings (SDE)", "hi": "मालिक की कमाई (SDE)"},
    "basis.ebitda": {"en": "EBITDA", "hi": "EBITDA"},
    "group.general": {"en": "all small businesses", "hi": "सभी छोटे व्यवसाय"},
    "group.manufacturing": {"en": "manufacturing", "hi": "विनिर्माण"},
    "group.trade": {
        "en": "trade (retail, wholesale, e-commerce)",
        "hi": "व्यापार (खुदरा, थोक, ई-कॉमर्स)",
    },
    "group.services": {"en": "services", "hi": "सेवा"},
    "group.software": {"en": "software and IT services", "hi": "सॉफ़्टवेयर और आईटी सेवा"},
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
    if tag == "t":  # a term of the catalogue (a sector group, a profit basis)
        return CATALOG.text(value, language)
    return value


# The parameter each counted text agrees with (its forms are `key.one` and `key.other`).
_COUNTED_BY = {
    "a.normalised_ebitda": "years",
    "a.growth": "span",
    "a.sde": "years",
    "a.ebitda_basis": "years",
}


def render(text: Text, language: str) -> str:
    """A stored text in `language` (en or hi)."""
    params = {name: render_param(value, language) for name, value in text.params.items()}
    if text.key in _COUNTED_BY:
        params["count"] = params.get(_COUNTED_BY[text.key], "")
    return CATALOG.text(text.key, language, **params)
