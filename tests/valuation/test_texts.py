"""Every text the engine can produce renders in English and Hindi."""

from __future__ import annotations

import pytest

from msmebazaar.valuation.data import ValuationData, load_data
from msmebazaar.valuation.engine import EngineInput, Text, value_business
from msmebazaar.valuation.engine.compare import compare_price
from msmebazaar.valuation.texts import CATALOG, render
from tests.valuation.helpers import CRORE, LAKH, LISTED_VERSION, engine_input, year

CASES: dict[str, EngineInput] = {
    "profitable": engine_input(year(), year("2023-24", revenue=80 * LAKH)),
    "loss_making": engine_input(year(ebitda=-5 * LAKH)),
    "no_ebitda_no_debt": engine_input(year(ebitda=None, debt=None, cash=None)),
    "thin_margin": engine_input(year(ebitda=1 * LAKH, owner_salary=None)),
    "floor": engine_input(year(total_assets=5 * CRORE, total_liabilities=50 * LAKH)),
    "no_assets": engine_input(year(total_assets=None, total_liabilities=None)),
    "fallback_asset_heavy": engine_input(year(), sector="metal_products"),
    "thin_industry": engine_input(year(), sector="internet_ecommerce"),
    "owner_salary_missing": engine_input(year(owner_salary=None), year("2023-24")),
    "ebitda_basis": engine_input(year(revenue=30 * CRORE, ebitda=3 * CRORE)),
    "held_at_threshold": engine_input(
        year(revenue=30 * CRORE, ebitda=1_90_00_000, owner_salary=12 * LAKH)
    ),
    "listed_partly": engine_input(year(), sector="plastics_packaging"),
    "growing_fast": engine_input(year(), year("2023-24", revenue=60 * LAKH)),
    "shrinking": engine_input(year(), year("2023-24", revenue=2 * CRORE)),
    "no_flat_band": engine_input(year(revenue=5 * CRORE, ebitda=4 * LAKH), sector="retail"),
}
LISTED = load_data(LISTED_VERSION)


def _texts(inputs: EngineInput, data: ValuationData | None = None) -> list[Text]:
    result = value_business(inputs, data or load_data())
    texts = list(result.assumptions)
    for method in result.methods:
        texts.append(method.explanation)
        if method.weight_reason:
            texts.append(method.weight_reason)
    texts.append(compare_price(result.base, None, result.low, result.high).text)
    return texts


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("language", ["en", "hi"])
def test_every_text_renders(case: str, language: str) -> None:
    for text in _texts(CASES[case]):
        rendered = render(text, language)
        assert rendered
        assert "{" not in rendered, text.key


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("language", ["en", "hi"])
def test_every_text_of_the_listed_data_version_still_renders(case: str, language: str) -> None:
    # Valuations stored on 2026.01.1 name these keys and are rendered from them.
    for text in _texts(CASES[case], LISTED):
        rendered = render(text, language)
        assert rendered
        assert "{" not in rendered, text.key


def test_every_sector_group_and_basis_has_a_name_in_both_languages() -> None:
    market = load_data().private_market
    assert market is not None
    for code in market.groups:
        assert render(Text("basis.sde"), "hi") != render(Text("basis.sde"), "en")
        assert CATALOG.text(f"group.{code}", "en")
        assert CATALOG.text(f"group.{code}", "hi") != CATALOG.text(f"group.{code}", "en")


def test_hindi_differs_from_english() -> None:
    text = _texts(CASES["profitable"])[0]

    assert render(text, "hi") != render(text, "en")
    assert CATALOG.text("w.reference", "hi") == "केवल संदर्भ के लिए।"


_COUNTED = {
    "a.normalised_ebitda": ("years", {"ebitda": "inr:4500000"}),
    "a.growth": ("span", {"observed": "pct:0.12", "used": "pct:0.1", "low": "pct:-0.05",
                          "high": "pct:0.25", "years": "n:5", "long_run": "pct:0.05"}),
    "a.sde": ("years", {"threshold": "inr:5000000", "sde": "inr:3000000",
                        "ebitda": "inr:2400000", "salary": "inr:600000"}),
    "a.ebitda_basis": ("years", {"threshold": "inr:5000000", "ebitda": "inr:30000000",
                                 "wage": "inr:1200000"}),
}  # fmt: skip


@pytest.mark.parametrize("key", sorted(_COUNTED))
def test_counted_years_read_as_words_never_with_a_bracketed_plural(key: str) -> None:
    counter, params = _COUNTED[key]
    one = {lang: render(Text(key, params | {counter: "n:1"}), lang) for lang in ("en", "hi")}
    three = {lang: render(Text(key, params | {counter: "n:3"}), lang) for lang in ("en", "hi")}

    for rendered in [*one.values(), *three.values()]:
        # "वर्ष(ों)" put the vowel sign on the bracket; "year(s)" read as a form, not a sentence.
        assert "(ों)" not in rendered
        assert "(s)" not in rendered
        assert "{" not in rendered
    assert "3 years" in three["en"]
    assert "3 वर्षों" in three["hi"]
    assert "years" not in one["en"].replace("over 5 years", "")
    assert "वर्षों" not in one["hi"].replace("5 वर्षों", "")
