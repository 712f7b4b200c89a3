"""Each weighted criterion's 0–1 value, the total, the grade and the ranking order."""

from __future__ import annotations

import math

import numpy as np
import pytest

from msmebazaar.match.engine import ListingTable, MandateTable, grade, score_pairs, top
from tests.match.helpers import PARAMS, WEIGHTS, criterion, facts, score_one, terms


def test_sector_listed_related_and_other() -> None:
    mandate = terms()

    assert criterion(mandate, facts(sector="food_processing"), "sector") == 1.0
    assert criterion(mandate, facts(sector="dairy_beverages"), "sector") == 0.5
    assert criterion(mandate, facts(sector="software"), "sector") == 0.0


def test_no_sectors_listed_is_neutral() -> None:
    assert math.isnan(criterion(terms(sectors=frozenset()), facts(), "sector"))


def test_geography_same_neighbouring_and_elsewhere() -> None:
    mandate = terms(states=frozenset({"Maharashtra"}))

    assert criterion(mandate, facts(state="Maharashtra"), "geography") == 1.0
    assert criterion(mandate, facts(state="Gujarat"), "geography") == 0.6
    assert criterion(mandate, facts(state="Kerala"), "geography") == 0.15


def test_no_states_listed_is_neutral() -> None:
    assert math.isnan(criterion(terms(states=frozenset()), facts(), "geography"))


def test_ticket_fit_is_highest_at_the_centre_and_half_at_the_edges() -> None:
    mandate = terms(ticket_min=2_00_00_000, ticket_max=6_00_00_000)

    assert criterion(mandate, facts(asking_price=4_00_00_000), "ticket") == 1.0
    assert criterion(mandate, facts(asking_price=6_00_00_000), "ticket") == 0.5
    assert criterion(mandate, facts(asking_price=3_00_00_000), "ticket") == 0.75
    assert criterion(mandate, facts(asking_price=6_30_00_000), "ticket") == 0.25


def test_one_sided_ticket_range_scores_full_inside() -> None:
    mandate = terms(ticket_min=1_00_00_000, ticket_max=None)

    assert criterion(mandate, facts(asking_price=50_00_00_000), "ticket") == 1.0


def test_revenue_scores_by_band_overlap_outside_and_unknown() -> None:
    mandate = terms(revenue_min=5_00_00_000, revenue_max=20_00_00_000)

    assert criterion(mandate, facts(revenue=8_00_00_000), "revenue") == 1.0
    # ₹22 Cr lies in the ₹10–25 Cr band, which overlaps ₹5–20 Cr.
    assert criterion(mandate, facts(revenue=22_00_00_000), "revenue") == 1.0
    # Outside: the band's midpoint (₹3.5 Cr of ₹2–5 Cr, ₹37.5 Cr of ₹25–50 Cr) to the bound.
    assert criterion(mandate, facts(revenue=2_50_00_000), "revenue") == pytest.approx(0.7)
    assert criterion(mandate, facts(revenue=40_00_00_000), "revenue") == pytest.approx(20 / 37.5)
    assert criterion(mandate, facts(revenue=None), "revenue") == 0.3
    assert math.isnan(criterion(terms(), facts(), "revenue"))


def test_profitability_rises_with_the_margin_of_the_bands() -> None:
    mandate = terms()
    # Revenue ₹8 Cr: the ₹5–10 Cr band, midpoint ₹7.5 Cr.
    assert criterion(mandate, facts(ebitda=1_20_00_000), "profitability") == 1.0  # ₹1.5 Cr: 20%
    assert criterion(mandate, facts(ebitda=60_00_000), "profitability") == pytest.approx(0.7)
    assert criterion(mandate, facts(ebitda=-1), "profitability") == 0.0
    assert criterion(mandate, facts(ebitda=None), "profitability") == 0.3


def test_business_age_counts_the_year_band_up_to_fifteen_years() -> None:
    mandate = terms()

    assert criterion(mandate, facts(year_established=2011), "age") == 1.0  # 10–20: 15 years
    assert criterion(mandate, facts(year_established=2020), "age") == pytest.approx(0.5)  # 5–10
    assert criterion(mandate, facts(year_established=2017), "age") == pytest.approx(0.5)
    assert criterion(mandate, facts(year_established=None), "age") == 0.3


def test_verified_profiles_score_higher() -> None:
    assert criterion(terms(), facts(verified=True), "verification") == 1.0
    assert criterion(terms(), facts(verified=False), "verification") == 0.0


def test_semantic_similarity_is_rescaled_and_neutral_without_thesis() -> None:
    with_thesis = terms(thesis="cold storage")

    assert float(score_one(with_thesis, facts(), cosine=0.3).criteria["semantic"][0]) == 0.5
    assert float(score_one(with_thesis, facts(), cosine=0.9).criteria["semantic"][0]) == 1.0
    assert math.isnan(float(score_one(terms(), facts(), cosine=0.9).criteria["semantic"][0]))


def test_perfect_pair_scores_100_and_neutral_criteria_drop_out() -> None:
    mandate = terms(ticket_min=2_00_00_000, ticket_max=6_00_00_000, thesis="snacks")
    listing = facts(revenue=100_00_00_000, ebitda=40_00_00_000, year_established=2000)

    scores = score_one(mandate, listing, cosine=0.9)

    assert scores.total[0] == 100.0
    assert "revenue" not in scores.breakdown(0)


def test_grades_follow_the_design_thresholds() -> None:
    assert grade(80) == "excellent"
    assert grade(79.9) == "good"
    assert grade(60) == "good"
    assert grade(40) == "fair"
    assert grade(39.9) is None


def test_top_orders_by_score_and_drops_pairs_below_forty() -> None:
    listings = [
        facts(sector="software", state="Kerala", verified=False, ebitda=-1, year_established=None),
        facts(),
        facts(state="Gujarat"),
    ]
    scores = score_pairs(
        MandateTable.of([terms()]),
        0,
        ListingTable.of(listings),
        slice(None),
        cosine=np.full(3, np.nan),
        params=PARAMS,
    )

    assert scores.total[0] < 40
    assert top(scores, 10) == [1, 2]
    assert top(scores, 1) == [1]


def test_both_directions_give_the_same_score_for_the_same_pair() -> None:
    mandates = [terms(), terms(states=frozenset({"Gujarat"})), terms(sectors=frozenset())]
    listing = facts()
    cosine = np.array([0.2, 0.4, 0.1])

    seller_view = score_pairs(
        MandateTable.of(mandates),
        slice(None),
        ListingTable.of([listing]),
        0,
        cosine=cosine,
        params=PARAMS,
    )

    for row, mandate in enumerate(mandates):
        buyer_view = score_one(mandate, listing, cosine=float(cosine[row]))
        assert seller_view.total[row] == buyer_view.total[0]


def test_test_weights_are_the_shipped_defaults() -> None:
    from msmebazaar.match.config import MatchSettings  # noqa: PLC0415

    defaults = MatchSettings.model_fields
    assert {name: defaults[f"weight_{name}"].default for name in WEIGHTS} == WEIGHTS
