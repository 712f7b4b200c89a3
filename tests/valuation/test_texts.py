"""Every text the engine can produce renders in English and Hindi."""

from __future__ import annotations

import pytest

from msmebazaar.valuation.data import load_data
from msmebazaar.valuation.engine import EngineInput, Text, value_business
from msmebazaar.valuation.engine.compare import compare_price
from msmebazaar.valuation.texts import CATALOG, render
from tests.valuation.helpers import CRORE, LAKH, engine_input, year

CASES: dict[str, EngineInput] = {
    "profitable": engine_input(year(), year("2023-24", revenue=80 * LAKH)),
    "loss_making": engine_input(year(ebitda=-5 * LAKH)),
    "no_ebitda_no_debt": engine_input(year(ebitda=None, debt=None, cash=None)),
    "thin_margin": engine_input(year(ebitda=1 * LAKH, owner_salary=None)),
    "floor": engine_input(year(total_assets=5 * CRORE, total_liabilities=50 * LAKH)),
    "no_assets": engine_input(year(total_assets=None, total_liabilities=None)),
    "fallback_asset_heavy": engine_input(year(), sector="metal_products"),
    "thin_industry": engine_input(year(), sector="internet_ecommerce"),
}


def _texts(inputs: EngineInput) -> list[Text]:
    result = value_business(inputs, load_data())
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


def test_hindi_differs_from_english() -> None:
    text = _texts(CASES["profitable"])[0]

    assert render(text, "hi") != render(text, "en")
    assert CATALOG.text("w.reference", "hi") == "केवल संदर्भ के लिए।"
