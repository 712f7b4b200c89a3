"""Test data for the valuation engine: a data file with round numbers, and input builders."""

from __future__ import annotations

import copy
from typing import Any

from msmebazaar.valuation.data import ValuationData, parse_data, raw_data
from msmebazaar.valuation.engine import EngineInput, YearFigures

LAKH = 100_000
CRORE = 10_000_000
# The last data version valued on listed multiples less size and illiquidity discounts: its
# stored valuations must keep recomputing that way, so its worked examples stay pinned.
LISTED_VERSION = "2026.01.1"


def round_raw() -> dict[str, Any]:
    """The listed-multiples data file with round parameters, so worked examples can be done by
    hand.

    Discount rate 6% + 7% + 2% = 15%; long-run growth 5%; tax 25%; reinvestment 20%;
    `food_processing` maps to a 50-firm industry at exactly 10× with a 10% typical margin;
    the size discount is 40% up to ₹1 crore; illiquidity 25%.
    """
    raw = copy.deepcopy(raw_data(LISTED_VERSION))
    p = raw["parameters"]
    p["risk_free_rate"]["value"] = "0.06"
    p["equity_risk_premium"]["value"] = "0.07"
    p["small_company_premium"]["value"] = "0.02"
    p["long_run_growth"]["value"] = "0.05"
    p["tax_rate"]["value"] = "0.25"
    p["reinvestment_rate"]["value"] = "0.20"
    p["illiquidity_discount"]["value"] = "0.25"
    p["size_discount"]["small"] = {"revenue": 10_000_000, "discount": "0.40"}
    raw["industries"]["Test Industry"] = {
        "n_firms": 50,
        "ev_ebitda_positive": "10.00",
        "ev_ebitda_all": "11.00",
    }
    raw["sectors"]["food_processing"] |= {
        "industry": "Test Industry",
        "fallback": None,
        "asset_heavy": False,
        "typical_ebitda_margin": "0.10",
    }
    return raw


def round_data() -> ValuationData:
    return parse_data(round_raw())


def year(fiscal_year: str = "2024-25", **figures: int | None) -> YearFigures:
    """A complete year of a ₹1 crore business; override any figure."""
    values: dict[str, Any] = {
        "revenue": 1 * CRORE,
        "ebitda": 20 * LAKH,
        "net_profit": 10 * LAKH,
        "depreciation": 2 * LAKH,
        "interest": 1 * LAKH,
        "total_assets": 60 * LAKH,
        "total_liabilities": 30 * LAKH,
        "cash": 2 * LAKH,
        "debt": 5 * LAKH,
        "owner_salary": 10 * LAKH,
    }
    values.update(figures)
    return YearFigures(fiscal_year, **values)


def engine_input(*years: YearFigures, verified: bool = False, **fields: Any) -> EngineInput:
    return EngineInput(
        sector=fields.pop("sector", "food_processing"), years=years, verified=verified, **fields
    )
