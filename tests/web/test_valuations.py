"""The valuation calculator anyone can try, and a stored valuation's page and report."""

from __future__ import annotations

import json

import httpx
from sqlalchemy import func, select

from msmebazaar.shared.db import Database
from msmebazaar.valuation.models import Valuation
from tests.web.helpers import submit, visible_text

FIGURES = {
    "sector": "food_processing",
    "y0_revenue": "8 crore",
    "y0_ebitda": "1.2 crore",
    "y0_total_assets": "5 crore",
    "y0_total_liabilities": "2 crore",
    "y1_revenue": "7 crore",
    "y1_ebitda": "1 crore",
    "year_established": "2012",
}


async def _valuations(database: Database) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(Valuation)) or 0)


async def test_a_visitor_gets_a_range_and_chart_that_is_not_stored(
    browser: httpx.AsyncClient, database: Database
) -> None:
    response = await submit(browser, "/valuation", FIGURES)

    assert response.status_code == 200
    assert '<svg class="chart"' in response.text
    text = visible_text(response.text)
    assert "Worth ₹" in text
    assert "the result is shown but not kept" in text
    assert "report.pdf" not in response.text
    assert await _valuations(database) == 0
    # Valued on private-market evidence: the page says what set the multiple, no discounts.
    assert 'data-testid="market-evidence"' in response.text
    assert "Small private manufacturing businesses of this size sell for" in text
    assert "Discounts applied" not in text


async def test_a_signed_in_user_keeps_the_valuation_and_gets_the_pdf_link(
    owner_browser: httpx.AsyncClient, database: Database
) -> None:
    response = await submit(owner_browser, "/valuation", FIGURES)

    assert response.status_code == 200
    assert await _valuations(database) == 1
    assert "report.pdf" in response.text


async def test_the_calculator_answers_in_hindi_with_amounts_in_lakh_and_crore(
    browser: httpx.AsyncClient,
) -> None:
    response = await browser.post(
        "/valuation",
        data=FIGURES | {"csrf_token": (await _token(browser, "hi"))},
        headers={"Accept-Language": "hi"},
    )

    assert response.status_code == 200
    assert "करोड़" in response.text
    assert "मूल्यांकन" in response.text


async def _token(browser: httpx.AsyncClient, language: str) -> str:
    from tests.web.helpers import csrf_token  # noqa: PLC0415

    page = await browser.get("/valuation", headers={"Accept-Language": language})
    return csrf_token(page.text)


async def test_no_figures_say_what_is_needed(browser: httpx.AsyncClient) -> None:
    response = await submit(browser, "/valuation", {"sector": "food_processing"})

    assert response.status_code == 422
    assert "Add at least one fiscal year with revenue" in visible_text(response.text)


async def test_a_missing_sector_is_named(browser: httpx.AsyncClient) -> None:
    response = await submit(browser, "/valuation", FIGURES | {"sector": ""})

    assert response.status_code == 422
    assert "Choose a sector." in visible_text(response.text)


async def test_someone_elses_valuation_is_not_found(
    owner_browser: httpx.AsyncClient, buyer_browser: httpx.AsyncClient, database: Database
) -> None:
    await submit(owner_browser, "/valuation", FIGURES)
    async with database.session() as session:
        valuation = await session.scalar(select(Valuation))
    assert valuation is not None

    page = await buyer_browser.get(f"/valuations/{valuation.id}")
    report = await buyer_browser.get(f"/valuations/{valuation.id}/report.pdf")

    assert page.status_code == 404
    assert report.status_code == 404
    assert (await owner_browser.get(f"/valuations/{valuation.id}")).status_code == 200


async def test_a_stored_valuation_page_names_its_sector_and_says_each_weight_reason_once(
    owner_browser: httpx.AsyncClient, database: Database
) -> None:
    await submit(owner_browser, "/valuation", FIGURES)
    async with database.session() as session:
        valuation = await session.scalar(select(Valuation))
    assert valuation is not None

    page = await owner_browser.get(f"/valuations/{valuation.id}")

    shown = visible_text(page.text)
    assert "Ad hoc valuation" in shown
    assert "Sector: Food Processing" in shown
    assert "Valuation: Food Processing" not in shown
    reasons = {
        json.dumps(m["weight_reason"], sort_keys=True)
        for m in valuation.result["methods"]
        if m.get("weight_reason")
    }
    assert page.text.count('data-testid="weight-reason"') == len(reasons) >= 1
