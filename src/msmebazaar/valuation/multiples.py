"""The table of sector multiples in use (`GET /valuations/sectors`): listed and private-market
multiples for every sector, with their sources and date, per data version."""

from __future__ import annotations

from functools import cache
from typing import Any

from msmebazaar.msme.service import get_sector
from msmebazaar.valuation.data import ValuationData, load_data
from msmebazaar.valuation.schemas import (
    PrivateMultipleRead,
    SectorMultipleRead,
    SectorMultiplesRead,
    SourceRead,
)


def _sector_row(code: str, data: ValuationData) -> SectorMultipleRead:
    sector, mapping = get_sector(code), data.sectors[code]
    resolved = data.resolve_multiple(code)
    industry = data.industries[resolved.industry]
    return SectorMultipleRead(
        code=code,
        name=sector.name if sector else code,
        name_hi=sector.name_hi if sector else code,
        industry=mapping.industry,
        industry_used=resolved.industry,
        n_firms=resolved.n_firms,
        ev_ebitda=float(resolved.multiple),
        ev_ebitda_all_firms=None
        if industry.ev_ebitda_all is None
        else float(industry.ev_ebitda_all),
        ev_ebitda_used=float(resolved.capped_multiple),
        ev_sales_derived=float(resolved.capped_multiple * mapping.typical_ebitda_margin),
        typical_ebitda_margin=float(mapping.typical_ebitda_margin),
        asset_heavy=mapping.asset_heavy,
        **_private_multiples(code, data),
    )


def _private_multiples(code: str, data: ValuationData) -> dict[str, Any]:
    """The sector's private-market group and its bands (none on data before 2026.12.1)."""
    if data.private_market is None:
        return {}
    group = data.private_market.group_of(code)
    bands = [
        PrivateMultipleRead(
            profit=band.earnings,
            basis=band.basis,
            low=float(band.low),
            typical=float(band.typical),
            high=float(band.high),
            sources=list(band.evidence),
        )
        for band in group.bands
    ]
    return {"sector_group": group.code, "private_multiples": bands}


def sector_multiples() -> SectorMultiplesRead:
    """The multiples in use for every sector, with their source and date."""
    return _sector_multiples(load_data().version)


@cache  # a data version never changes, so neither does its table
def _sector_multiples(version: str) -> SectorMultiplesRead:
    data = load_data(version)
    sources = [
        SourceRead(**{key: source[key] for key in SourceRead.model_fields if key in source})
        for source in data.sources
    ]
    return SectorMultiplesRead(
        data_version=data.version,
        published=data.published,
        statistic="EV/EBITDA of listed Indian firms with positive EBITDA: aggregate "
        "(total EV / total EBITDA), not a median; capped for outliers.",
        private_market_statistic=None
        if data.private_market is None
        else "What small private businesses sell for, as a multiple of annual profit: owner's "
        "earnings (SDE) under ₹2 crore, EBITDA above; by sector group and profit, from Indian "
        "practitioner guides (BizBuySell, US, as a cross-check only). These set the value; the "
        "listed multiples are a cross-check.",
        multiple_cap=float(data.parameters.multiple_cap),
        sources=sources,
        sectors=[_sector_row(code, data) for code in data.sectors],
    )
