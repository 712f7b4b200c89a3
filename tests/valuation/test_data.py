"""The versioned data file: it loads, maps every sector, and refuses inconsistent settings."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from msmebazaar.msme.service import SECTORS
from msmebazaar.valuation.data import (
    DataFileError,
    available_versions,
    current_version,
    load_data,
    parse_data,
    raw_data,
)


def _raw() -> dict[str, Any]:
    return copy.deepcopy(raw_data())


def test_every_sector_code_has_a_mapping_to_a_damodaran_industry() -> None:
    data = load_data()

    for sector in SECTORS:
        assert sector.code in data.sectors, sector.code
        assert data.resolve_multiple(sector.code).capped_multiple > 0


def test_the_current_version_maps_each_sector_to_the_taxonomys_own_industry() -> None:
    # Two sources on purpose: the msme taxonomy names today's industry, while each data file
    # keeps the mapping its version was published with, so stored valuations recompute as made.
    mapped = {code: mapping.industry for code, mapping in load_data().sectors.items()}

    assert mapped == {sector.code: sector.valuation_sector for sector in SECTORS}


def test_the_current_version_is_the_newest_file_and_loads() -> None:
    assert current_version() == available_versions()[-1]
    assert load_data().version == current_version()


def test_the_file_records_its_source_date_and_statistic() -> None:
    sources = {source["id"]: source for source in load_data().sources}

    multiples = sources["damodaran_india_ev_ebitda"]
    assert multiples["updated"] == "2026-01-05"
    assert "aggregate" in multiples["statistic"]
    assert "positive-EBITDA" in multiples["statistic"]


def test_risk_free_rate_is_a_dated_setting() -> None:
    p = load_data().parameters

    assert p.risk_free_as_of == "2026-01-05"
    assert p.discount_rate == p.risk_free_rate + p.equity_risk_premium + p.small_company_premium


def test_weights_that_do_not_sum_to_one_are_refused() -> None:
    raw = _raw()
    raw["parameters"]["weights"]["earnings"]["dcf"] = "0.50"

    with pytest.raises(DataFileError, match=r"weights\.earnings"):
        parse_data(raw)


def test_range_settings_that_could_break_the_1_8_rule_are_refused() -> None:
    raw = _raw()
    raw["parameters"]["range"]["base_spread"] = "0.28"

    with pytest.raises(DataFileError, match=r"1\.8"):
        parse_data(raw)


def test_a_sector_mapped_to_an_unknown_industry_is_refused() -> None:
    raw = _raw()
    raw["sectors"]["retail"]["industry"] = "Retail (Imaginary)"

    with pytest.raises(DataFileError, match=r"sectors\.retail\.industry"):
        parse_data(raw)


def test_long_run_growth_at_or_above_the_discount_rate_is_refused() -> None:
    raw = _raw()
    raw["parameters"]["long_run_growth"]["value"] = "0.19"
    raw["parameters"]["growth_cap"] = "0.25"

    with pytest.raises(DataFileError, match="discount rate"):
        parse_data(raw)


def test_a_missing_parameter_is_refused_with_its_name() -> None:
    raw = _raw()
    del raw["parameters"]["tax_rate"]

    with pytest.raises(DataFileError, match="tax_rate"):
        parse_data(raw)


def test_an_unknown_version_is_refused() -> None:
    with pytest.raises(DataFileError, match=r"1999\.01\.1"):
        load_data("1999.01.1")


def test_thin_or_empty_industries_fall_back() -> None:
    data = load_data()

    gems = data.resolve_multiple("gems_jewellery")  # Precious Metals: 1 firm, no figure
    assert gems.fell_back
    assert gems.industry == "Retail (Special Lines)"
    food = data.resolve_multiple("food_processing")
    assert not food.fell_back
    assert food.multiple == Decimal("27.45")


def test_every_sector_belongs_to_a_private_market_group_of_cited_bands() -> None:
    data = load_data()
    market = data.private_market
    assert market is not None
    sources = {source["id"]: source for source in data.sources}

    assert {market.sector_groups[sector.code] for sector in SECTORS} == {
        "manufacturing",
        "trade",
        "services",
        "software",
    }
    for group in market.groups.values():
        for band in group.bands:
            for source in band.evidence:
                assert sources[source]["updated"], source
                assert sources[source]["statistic"], source
    assert "cross-check only" in sources["bizbuysell_insight_2022"]["scope"]


def test_a_typical_multiple_that_falls_with_size_is_refused() -> None:
    raw = _raw()
    raw["private_market"]["groups"]["trade"]["bands"][-1]["typical"] = "2.00"
    raw["private_market"]["groups"]["trade"]["bands"][-1]["low"] = "1.50"

    with pytest.raises(DataFileError, match=r"groups\.trade.*never fall"):
        parse_data(raw)


def test_a_band_citing_a_source_the_file_does_not_have_is_refused() -> None:
    raw = _raw()
    raw["private_market"]["groups"]["services"]["bands"][0]["evidence"] = ["hearsay"]

    with pytest.raises(DataFileError, match=r"services\.bands\.0: evidence"):
        parse_data(raw)


def test_a_band_on_the_wrong_side_of_the_owner_operated_line_is_refused() -> None:
    raw = _raw()
    raw["private_market"]["groups"]["software"]["bands"][0]["basis"] = "ebitda"

    with pytest.raises(DataFileError, match="basis must be 'sde'"):
        parse_data(raw)


def test_a_sector_without_a_private_market_group_is_refused() -> None:
    raw = _raw()
    del raw["private_market"]["sector_groups"]["retail"]

    with pytest.raises(DataFileError, match="sector_groups"):
        parse_data(raw)


def test_the_listed_multiples_version_still_loads_for_its_stored_valuations() -> None:
    listed = load_data("2026.01.1")

    assert listed.private_market is None
    assert "cross_check" not in listed.parameters.confidence
    assert available_versions().index("2026.01.1") < available_versions().index(current_version())
