"""Test data for match: mandate bodies and active listings with their profiles and figures."""

from __future__ import annotations

import uuid
from typing import Any

from msmebazaar.msme.models import Listing
from msmebazaar.shared.db import Database
from tests.msme.factories import make_financials, make_listing, make_msme

MANDATES = "/api/v1/mandates"
MATCHES = "/api/v1/matches"


def mandate_payload(**overrides: Any) -> dict[str, Any]:
    """A valid `POST /mandates` body: food processing in the west, ₹1–10 Cr; override any."""
    payload: dict[str, Any] = {
        "title": "Food processor in western India",
        "deal_types": ["full_sale", "stake_sale"],
        "sectors": ["food_processing"],
        "states": ["Maharashtra"],
        "ticket_min": 1_00_00_000,
        "ticket_max": 10_00_00_000,
        "thesis": "Packaged snacks and namkeen makers with a distributor network",
    }
    return payload | overrides


async def active_listing(
    database: Database,
    owner_id: uuid.UUID,
    *,
    sector: str = "food_processing",
    state: str = "Maharashtra",
    revenue: int | None = 8_00_00_000,
    ebitda: int | None = 1_20_00_000,
    year_established: int = 2012,
    verification_status: str = "verified",
    description: str = "Traditional Maharashtrian snacks made in a FSSAI-licensed unit.",
    **listing: Any,
) -> Listing:
    """A profile, its latest financials (copied onto the listing) and an active listing."""
    msme = await make_msme(
        database,
        owner_id,
        sector=sector,
        state=state,
        year_established=year_established,
        verification_status=verification_status,
        description=description,
        gstin=None,
        udyam_number=None,
    )
    if revenue is not None:
        await make_financials(database, msme.id, revenue=revenue, ebitda=ebitda)
    return await make_listing(database, msme, revenue=revenue, ebitda=ebitda, **listing)
