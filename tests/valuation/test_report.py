"""The PDF report: 2–3 pages, text extractable, amounts in Rs., user text escaped."""

from __future__ import annotations

import io
import uuid

import httpx
from pypdf import PdfReader

from msmebazaar.shared.db import utcnow
from msmebazaar.valuation.data import load_data
from msmebazaar.valuation.engine import ENGINE_VERSION, value_business
from msmebazaar.valuation.engine.compare import compare_price
from msmebazaar.valuation.models import Valuation
from msmebazaar.valuation.presenter import result_json
from msmebazaar.valuation.report import pdf_text, render_report
from tests.auth.factories import Actor
from tests.valuation.factories import VALUATIONS, ad_hoc_payload
from tests.valuation.helpers import engine_input, year


def _valuation(with_price: bool = False) -> Valuation:
    inputs = engine_input(year("2024-25"), year("2023-24", revenue=90 * 100_000))
    result = value_business(inputs, load_data())
    comparison = (
        compare_price(2 * result.high, None, result.low, result.high) if with_price else None
    )
    return Valuation(
        id=uuid.uuid4(),
        msme_id=None,
        created_by=uuid.uuid4(),
        sector=inputs.sector,
        currency="INR",
        low=result.low,
        base=result.base,
        high=result.high,
        confidence=float(result.confidence),
        method_mix=result.method_mix,
        data_version=result.data_version,
        engine_version=ENGINE_VERSION,
        inputs=inputs.to_json(),
        result=result_json(result, comparison),
        created_at=utcnow(),
    )


def _text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_report_has_two_or_three_pages_with_the_range_inputs_assumptions_and_source() -> None:
    valuation = _valuation(with_price=True)

    pages, text = _text(render_report(valuation))

    assert 2 <= pages <= 3
    assert f"Rs. {valuation.base:,}".replace(",", "") in text.replace(",", "")
    for expected in (
        "Football field",
        "Inputs",
        "Assumptions",
        "Damodaran",
        "2024-25",
        "vebitdaIndia.xls",
        "above the range",
    ):
        assert expected in text, expected
    assert "₹" not in text


def test_text_placed_in_the_pdf_is_escaped() -> None:
    assert pdf_text("<b>Ganesh & Sons</b> ₹5") == "&lt;b&gt;Ganesh &amp; Sons&lt;/b&gt; Rs. 5"


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
    assert "MSMEBazaar valuation report" in text
    assert hidden.status_code == 404
