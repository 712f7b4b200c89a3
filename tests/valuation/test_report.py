"""The PDF report: 2–3 pages in the reader's language, naming the business and its sector,
each method with its own explanation, set in a shipped font that shapes Devanagari."""

from __future__ import annotations

import io
import re
import uuid
from typing import Any

import httpx
from pypdf import PdfReader

from msmebazaar.msme.service import get_sector
from msmebazaar.shared.db import Database
from msmebazaar.valuation.data import load_data
from msmebazaar.valuation.engine import value_business
from msmebazaar.valuation.engine.compare import compare_price
from msmebazaar.valuation.models import Valuation
from msmebazaar.valuation.presenter import to_read
from msmebazaar.valuation.report import render_report
from msmebazaar.valuation.report.fonts import FONT_DIR
from msmebazaar.valuation.valuations import new_valuation
from tests.auth.factories import Actor
from tests.valuation.factories import VALUATIONS, ad_hoc_payload, profile_with_years
from tests.valuation.helpers import engine_input, year

BUSINESS = "Kesari Snacks & Sons"


def _valuation(with_price: bool = False) -> Valuation:
    inputs = engine_input(year("2024-25"), year("2023-24", revenue=90 * 100_000))
    result = value_business(inputs, load_data())
    comparison = (
        compare_price(2 * result.high, None, result.low, result.high) if with_price else None
    )
    return new_valuation(None, uuid.uuid4(), inputs, result, comparison)


def _read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def _text(pdf: bytes) -> tuple[int, str]:
    reader = _read(pdf)
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in _read(pdf).pages:
        resources: Any = page["/Resources"].get_object()
        for font in resources.get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def _title(pdf: bytes) -> str | None:
    metadata = _read(pdf).metadata
    return None if metadata is None else metadata.title


def test_report_has_two_or_three_pages_with_the_range_inputs_assumptions_and_source() -> None:
    valuation = _valuation(with_price=True)

    pages, text = _text(render_report(valuation, "en", business_name=BUSINESS))

    assert 2 <= pages <= 3
    assert f"₹{valuation.base:,}".replace(",", "") in text.replace(",", "")
    for expected in (
        "Valuation report",
        "Inputs",
        "Assumptions",
        "Damodaran",
        "2024-25",
        "vebitdaIndia.xls",
        "above the range",
    ):
        assert expected in text, expected


def test_report_names_the_business_and_its_sector_not_codes_or_ids() -> None:
    valuation = _valuation()
    sector = get_sector(valuation.sector)
    assert sector is not None

    pdf = render_report(valuation, "en", business_name=BUSINESS)
    _, text = _text(pdf)

    assert BUSINESS in text
    assert f"Sector: {sector.name}" in text
    assert valuation.sector not in text
    assert str(valuation.id) not in text
    assert _title(pdf) == f"Valuation report: {BUSINESS}"


def test_an_ad_hoc_report_says_it_has_no_profile() -> None:
    _, text = _text(render_report(_valuation(), "en"))

    assert "Ad hoc valuation (no business profile)" in text


def test_each_method_shows_its_own_explanation_and_the_weights_reason_once() -> None:
    valuation = _valuation()
    view = to_read(valuation, "en")

    _, text = _text(render_report(valuation, "en", business_name=BUSINESS))

    compact = _compact(text)
    for method in view.methods:
        assert _compact(method.explanation) in compact, method.method
    for reason in {method.weight_reason for method in view.methods if method.weight_reason}:
        assert compact.count(_compact(reason)) == 1


def test_a_hindi_report_is_in_hindi_in_a_shaping_font_shipped_with_the_package() -> None:
    valuation = _valuation()

    english = render_report(valuation, "en", business_name=BUSINESS)
    hindi = render_report(valuation, "hi", business_name=BUSINESS)
    _, text = _text(hindi)

    assert hindi != english
    assert _title(hindi) == f"मूल्यांकन रिपोर्ट: {BUSINESS}"
    assert "आधार" in text
    assert "Assumptions" not in text
    assert {"AnnapurnaSIL-Regular", "AnnapurnaSIL-Bold"} <= {
        name.split("+")[-1] for name in _fonts(hindi)
    }
    assert (FONT_DIR / "AnnapurnaSIL-Regular.ttf").is_file()
    assert "SIL Open Font License" in (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")


def test_the_same_valuation_gives_the_same_report() -> None:
    valuation = _valuation()

    assert render_report(valuation, "hi") == render_report(valuation, "hi")


async def test_report_endpoint_answers_a_pdf_to_the_creator_only(
    client: httpx.AsyncClient, buyer: Actor, other_owner: Actor
) -> None:
    created = await client.post(VALUATIONS, json=ad_hoc_payload(), headers=buyer.headers)
    url = f"{VALUATIONS}/{created.json()['data']['id']}/report.pdf"

    response = await client.get(url, headers=buyer.headers)
    hidden = await client.get(url, headers=other_owner.headers)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    pages, text = _text(response.content)
    assert 2 <= pages <= 3
    assert "Valuation report" in text
    assert hidden.status_code == 404


async def test_report_endpoint_follows_the_users_language_and_names_the_business(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await profile_with_years(database, owner.id, trade_name="Kesari Snacks")
    created = await client.post(VALUATIONS, json={"msme_id": str(msme.id)}, headers=owner.headers)
    url = f"{VALUATIONS}/{created.json()['data']['id']}/report.pdf"

    english = await client.get(url, headers=owner.headers)
    await client.patch("/api/v1/auth/me", json={"language": "hi"}, headers=owner.headers)
    hindi = await client.get(url, headers=owner.headers)

    assert created.status_code == 201, created.text
    assert _title(english.content) == "Valuation report: Kesari Snacks"
    assert _title(hindi.content) == "मूल्यांकन रिपोर्ट: Kesari Snacks"


def test_a_report_says_what_evidence_set_the_multiple_and_takes_no_discount() -> None:
    valuation = _valuation()
    evidence = to_read(valuation, "en").market_evidence
    assert evidence is not None

    _, english = _text(render_report(valuation, "en", business_name=BUSINESS))
    _, hindi = _text(render_report(valuation, "hi", business_name=BUSINESS))

    assert "Size discount" not in english
    assert f"valued at {evidence.base_multiple:.2f}×" in english
    assert f"{evidence.low_multiple:.1f}–{evidence.high_multiple:.1f}×" in english
    assert "आकार छूट" not in hindi
    assert "गुना" in hindi
