"""Hard filters: a pair failing one never appears, whatever its score."""

from __future__ import annotations

import numpy as np

from msmebazaar.match.engine import ListingTable, MandateTable, hard_filters, score_pairs, top
from tests.match.helpers import PARAMS, facts, passes, score_one, terms


def test_a_fitting_pair_passes_every_filter() -> None:
    assert passes(terms(), facts())


def test_deal_type_outside_the_mandate_is_filtered() -> None:
    assert not passes(terms(deal_types=frozenset({"investment"})), facts(deal_type="full_sale"))


def test_no_deal_types_means_any_deal_type() -> None:
    assert passes(terms(deal_types=frozenset()), facts(deal_type="debt"))


def test_asking_price_within_ten_percent_above_the_range_passes() -> None:
    assert passes(terms(ticket_max=4_00_00_000), facts(asking_price=4_39_00_000))


def test_asking_price_more_than_ten_percent_above_the_range_is_filtered() -> None:
    assert not passes(terms(ticket_max=4_00_00_000), facts(asking_price=4_41_00_000))


def test_asking_price_more_than_ten_percent_below_the_range_is_filtered() -> None:
    assert not passes(terms(ticket_min=1_00_00_000), facts(asking_price=89_00_000))


def test_excluded_sector_is_filtered_even_when_otherwise_perfect() -> None:
    mandate = terms(sectors=frozenset(), exclude_sectors=frozenset({"food_processing"}))

    assert not passes(mandate, facts())


def test_ebitda_positive_only_filters_losses_and_unknown_ebitda() -> None:
    mandate = terms(ebitda_positive_only=True)

    assert passes(mandate, facts(ebitda=1))
    assert not passes(mandate, facts(ebitda=-5_00_000))
    assert not passes(mandate, facts(ebitda=None))


def test_min_years_filters_younger_and_undated_businesses() -> None:
    mandate = terms(min_years=10)

    assert passes(mandate, facts(year_established=2016))
    assert not passes(mandate, facts(year_established=2017))
    assert not passes(mandate, facts(year_established=None))


def test_stake_outside_the_range_is_filtered_and_full_sale_counts_as_all() -> None:
    mandate = terms(deal_types=frozenset(), stake_min=51.0)

    assert not passes(mandate, facts(deal_type="stake_sale", stake_percent=26.0))
    assert passes(mandate, facts(deal_type="full_sale"))
    assert passes(mandate, facts(deal_type="debt"))


def test_filtered_pairs_are_never_ranked_even_with_a_high_score() -> None:
    scores = score_one(terms(deal_types=frozenset({"debt"})), facts())

    assert scores.total[0] > 60
    assert top(scores, 10) == []


def test_each_failed_filter_is_reported_by_name() -> None:
    scores = score_one(terms(ebitda_positive_only=True), facts(ebitda=None))

    failed = [name for name, mask in scores.filters.items() if not mask[0]]
    assert failed == ["ebitda_positive"]


def test_the_cheap_filter_pass_agrees_with_the_full_scoring() -> None:
    listings = ListingTable.of([facts(), facts(deal_type="debt"), facts(asking_price=10**10)])
    mandates = MandateTable.of([terms()])

    quick = hard_filters(mandates, 0, listings, slice(None), PARAMS)
    full = score_pairs(mandates, 0, listings, slice(None), cosine=np.full(3, np.nan), params=PARAMS)

    assert quick.tolist() == full.passed.tolist() == [True, False, False]
