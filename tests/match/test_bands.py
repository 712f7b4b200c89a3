"""Bands hold in matching (DESIGN.md §3): revenue, EBITDA and years in business filter, score and
explain by band, both ways, so no mandate tells apart two listings of one band."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import numpy as np
import pytest

from msmebazaar.match.engine import ListingTable, MandateTable, MandateTerms, explain, score_pairs
from msmebazaar.msme.bands import BAND_EDGES, YEAR_BAND_EDGES
from msmebazaar.shared.db import Database
from msmebazaar.shared.india import CRORE, LAKH
from tests.auth.factories import Actor
from tests.match.factories import MANDATES, MATCHES, active_listing, mandate_payload
from tests.match.helpers import PARAMS, criterion, facts, passes, terms

# Pairs of one band: revenue ₹5–10 Cr, EBITDA ₹1–2 Cr, 10–20 years in business (in 2026).
TWINS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "revenue": ({"revenue": 5 * CRORE}, {"revenue": 10 * CRORE - 1}),
    "ebitda": ({"ebitda": 1 * CRORE}, {"ebitda": 2 * CRORE - 1}),
    "years": ({"year_established": 2016}, {"year_established": 2007}),
    "all": (
        {"revenue": 5 * CRORE, "ebitda": 1 * CRORE, "year_established": 2016},
        {"revenue": 10 * CRORE - 1, "ebitda": 2 * CRORE - 1, "year_established": 2007},
    ),
}


def _probes() -> list[MandateTerms]:
    """Mandates stepping every banded criterion across every edge and the twins' figures."""
    points = {edge + step for edge in BAND_EDGES for step in (-1, 0, 1)} | {78 * CRORE // 10}
    for twin in TWINS["all"]:
        points |= {twin["revenue"] + step for step in (-1, 0, 1)}
    mandates = [terms(revenue_min=p) for p in points] + [terms(revenue_max=p) for p in points]
    mandates += [terms(revenue_min=p, revenue_max=p) for p in points]
    mandates += [terms(min_years=years) for years in range(41)]
    return [*mandates, terms(ebitda_positive_only=True), terms()]


def _seen(scores: Any, position: int) -> tuple[object, ...]:
    filters = tuple(bool(mask[position]) for mask in scores.filters.values())
    return filters, float(scores.total[position]), scores.breakdown(position)


@pytest.mark.parametrize("figure", sorted(TWINS))
def test_no_mandate_tells_apart_two_listings_of_one_band(figure: str) -> None:
    twins = [facts(**fields) for fields in TWINS[figure]]
    mandates = _probes()
    listings, table = ListingTable.of(twins), MandateTable.of(mandates)
    nan = np.full(len(twins), np.nan)

    # A buyer's view: each mandate against both listings.
    for row, mandate in enumerate(mandates):
        scores = score_pairs(table, row, listings, slice(None), cosine=nan, params=PARAMS)
        assert _seen(scores, 0) == _seen(scores, 1), mandate
        reasons = [explain(mandate, twin, scores.breakdown(0), "en", PARAMS) for twin in twins]
        assert reasons[0] == reasons[1], mandate
    # A seller's view: each listing against every mandate.
    cosine = np.full(len(mandates), np.nan)
    first, second = (
        score_pairs(table, slice(None), listings, column, cosine=cosine, params=PARAMS)
        for column in (0, 1)
    )
    for row in range(len(mandates)):
        assert _seen(first, row) == _seen(second, row), mandates[row]


def test_a_point_revenue_mandate_matches_its_whole_band_and_quotes_the_band() -> None:
    mandate = terms(revenue_min=78 * CRORE // 10, revenue_max=78 * CRORE // 10)

    for revenue in (5 * CRORE, 6 * CRORE, 78 * CRORE // 10, 10 * CRORE - 1):
        listing = facts(revenue=revenue)
        assert criterion(mandate, listing, "revenue") == 1.0
        reasons = explain(mandate, listing, {"revenue": 1.0}, "en", PARAMS)
        assert reasons == ["Revenue ₹5–10 Cr, inside ₹5–10 Cr"]
    outside = explain(mandate, facts(revenue=10 * CRORE), {"revenue": 0.5}, "en", PARAMS)
    assert outside == ["Revenue ₹10–25 Cr, outside ₹5–10 Cr"]


def test_one_sided_revenue_ranges_are_quoted_widened_to_bands() -> None:
    def quoted(**bounds: int) -> list[str]:
        return explain(terms(**bounds), facts(), {"revenue": 1.0}, "en", PARAMS)

    assert quoted(revenue_min=6 * CRORE) == ["Revenue ₹5–10 Cr, inside at least ₹5 Cr"]
    assert quoted(revenue_max=7 * CRORE) == ["Revenue ₹5–10 Cr, inside up to ₹10 Cr"]


def test_stepping_min_years_reveals_only_the_year_band() -> None:
    # Every age from 10 to 19 passes exactly the same `min_years`: up to 19, the band's top.
    for year in range(2007, 2017):
        passed = [
            years
            for years in range(41)
            if passes(terms(min_years=years), facts(**{"year_established": year}))
        ]
        assert passed == list(range(YEAR_BAND_EDGES[4])), year
    assert not passes(terms(min_years=10), facts(year_established=2017))  # 9 years: 5–10


def test_ebitda_positive_only_passes_the_lowest_band_and_fails_losses() -> None:
    mandate = terms(ebitda_positive_only=True)

    assert passes(mandate, facts(ebitda=0))
    assert passes(mandate, facts(ebitda=9 * LAKH))
    assert not passes(mandate, facts(ebitda=-1))
    for ebitda in (0, 9 * LAKH):
        reasons = explain(mandate, facts(ebitda=ebitda), {"profitability": 0.4}, "en", PARAMS)
        assert reasons == ["Not loss-making: EBITDA Up to ₹10 L"]


# --- over the API, both directions ------------------------------------------------------------


async def test_matches_both_ways_quote_bands_and_treat_a_band_alike(
    client: httpx.AsyncClient, buyer: Actor, owner: Actor, database: Database
) -> None:
    year = datetime.now(UTC).year
    listings = [
        await active_listing(
            database,
            owner.id,
            asking_price=4 * CRORE,
            revenue=revenue,
            ebitda=ebitda,
            year_established=year - age,
        )
        for revenue, ebitda, age in (
            (51 * CRORE // 10, 1 * CRORE, 11),
            (99 * CRORE // 10, 19 * CRORE // 10, 19),
        )
    ]
    point = 78 * CRORE // 10
    body = mandate_payload(
        revenue_min=point, revenue_max=point, ebitda_positive_only=True, min_years=12
    )
    created = await client.post(MANDATES, json=body, headers=buyer.headers)
    assert created.status_code == 201, created.text
    mandate_id = created.json()["data"]["id"]

    ranked = await client.get(f"{MATCHES}/mandates/{mandate_id}", headers=buyer.headers)
    seller = [
        (await client.get(f"{MATCHES}/listings/{item.id}", headers=owner.headers)).json()["data"]
        for item in listings
    ]

    matches = ranked.json()["data"]
    assert {match["listing"]["id"] for match in matches} == {str(item.id) for item in listings}
    views = [[(m["score"], m["breakdown"], m["reasons"]) for m in matches]] + [
        [(m["score"], m["breakdown"], m["reasons"]) for m in view] for view in seller
    ]
    assert views[0][0] == views[0][1] == views[1][0] == views[2][0]
    reasons = views[0][0][2]
    assert "Revenue ₹5–10 Cr, inside ₹5–10 Cr" in reasons
    assert "Profitable: EBITDA ₹1–2 Cr" in reasons
    assert "In business for 10–20 years" in reasons
    assert not any("7.8" in reason or "5.1" in reason or "9.9" in reason for reason in reasons)
