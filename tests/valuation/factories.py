"""Request bodies and stored data for the valuation API tests."""

from __future__ import annotations

import uuid
from typing import Any

from msmebazaar.msme.models import Msme
from msmebazaar.shared.db import Database
from tests.msme.factories import make_financials, make_msme

VALUATIONS = "/api/v1/valuations"


def year_payload(fiscal_year: str = "2024-25", **overrides: Any) -> dict[str, Any]:
    """One complete fiscal year of an ₹8 crore food business."""
    payload: dict[str, Any] = {
        "fiscal_year": fiscal_year,
        "revenue": 8_00_00_000,
        "ebitda": 1_20_00_000,
        "net_profit": 60_00_000,
        "depreciation": 20_00_000,
        "interest": 10_00_000,
        "total_assets": 5_00_00_000,
        "total_liabilities": 2_00_00_000,
        "cash": 40_00_000,
        "debt": 1_50_00_000,
        "owner_salary": 24_00_000,
    }
    return payload | overrides


def ad_hoc_payload(**overrides: Any) -> dict[str, Any]:
    """A valid ad hoc `POST /valuations` body with three years."""
    payload: dict[str, Any] = {
        "sector": "food_processing",
        "financials": [
            year_payload("2024-25"),
            year_payload("2023-24", revenue=7_00_00_000, ebitda=1_00_00_000),
            year_payload("2022-23", revenue=6_00_00_000, ebitda=90_00_000),
        ],
        "year_established": 2012,
        "employees": 42,
    }
    return payload | overrides


async def profile_with_years(
    database: Database, owner_id: uuid.UUID, years: int = 3, **profile: Any
) -> Msme:
    """A stored profile (verified by default) with `years` fiscal years of figures."""
    msme = await make_msme(database, owner_id, **profile)
    for back in range(years):
        start = 2024 - back
        await make_financials(
            database,
            msme.id,
            f"{start}-{(start + 1) % 100:02d}",
            revenue=8_00_00_000 - back * 1_00_00_000,
        )
    return msme
