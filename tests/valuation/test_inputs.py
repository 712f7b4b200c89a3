"""The valuation's inputs share the msme service's ten figures of a fiscal year."""

from __future__ import annotations

import dataclasses

from msmebazaar.msme.service import FIGURE_NAMES
from msmebazaar.valuation.engine import YearFigures
from msmebazaar.valuation.schemas import FinancialsYearInput


def test_the_ad_hoc_year_and_the_engine_year_declare_the_shared_figures() -> None:
    # Both declare their fields one by one (the API contract, the engine's input), so the
    # shared tuple must stay equal to them.
    ad_hoc = tuple(name for name in FinancialsYearInput.model_fields if name != "fiscal_year")
    engine = tuple(field.name for field in dataclasses.fields(YearFigures))

    assert ad_hoc == FIGURE_NAMES
    assert engine == ("fiscal_year", *FIGURE_NAMES)
