"""The valuation service: run, store and read valuations; its public face for other services.

Profiles are read only through `msmebazaar.msme.service` (facts, financials, privacy).
"""

from __future__ import annotations

import functools
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

from prometheus_client import Histogram
from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from msmebazaar.auth.service import Principal, UserRole
from msmebazaar.msme.schemas import MsmeRead, VerificationStatus
from msmebazaar.msme.service import (
    count_documents,
    get_financials,
    get_profile,
    get_sector,
    has_anonymous_listing,
    open_offer,
)
from msmebazaar.shared.db import utcnow
from msmebazaar.shared.exceptions import NotFoundError, PermissionDeniedError, ValidationError
from msmebazaar.shared.metrics import REGISTRY, counter
from msmebazaar.shared.pagination import PageParams, paginate
from msmebazaar.valuation.data import ValuationData, load_data
from msmebazaar.valuation.engine import ENGINE_VERSION, EngineInput, EngineResult, value_business
from msmebazaar.valuation.engine.compare import PriceComparison, compare_price
from msmebazaar.valuation.exceptions import MsmeNotFoundError, ValuationNotFoundError
from msmebazaar.valuation.inputs import ad_hoc_input, check_sector, check_usable, to_years
from msmebazaar.valuation.models import Valuation
from msmebazaar.valuation.presenter import result_json, to_read
from msmebazaar.valuation.report import render_report
from msmebazaar.valuation.report.texts import evidence_sentence
from msmebazaar.valuation.schemas import (
    MarketEvidenceRead,
    PrivateMultipleRead,
    SectorMultipleRead,
    SectorMultiplesRead,
    SourceRead,
    ValuationCreate,
    ValuationRead,
)

__all__ = [
    "MarketEvidenceRead",
    "ValuationCounts",
    "create_valuation",
    "evidence_sentence",
    "get_valuation",
    "list_profile_valuations",
    "preview_valuation",
    "report_pdf",
    "sector_multiples",
    "valuation_counts",
    "valuation_for_report",
    "valued_business_name",
]

# `created_by` of a preview, which is computed for a visitor who is not signed in and never
# stored: the nil UUID names nobody.
PREVIEW_CREATOR = uuid.UUID(int=0)

VALUATIONS = counter(
    "valuations_total", "Valuations computed, by the methods that carried weight.", ("method_mix",)
)
VALUATION_SECONDS = Histogram(
    "valuation_duration_seconds",
    "Time to compute one valuation (the engine, without I/O).",
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25),
    registry=REGISTRY,
)


async def _profile_for(session: AsyncSession, user: Principal, msme_id: uuid.UUID) -> MsmeRead:
    """The profile when `user` owns it or is an admin; 403 if they may only see it, else 404."""
    try:
        profile = await get_profile(session, msme_id)
    except NotFoundError as exc:
        raise MsmeNotFoundError() from exc
    if user.role == UserRole.ADMIN or profile.owner_id == user.id:
        return profile
    publicly_visible = profile.verification_status == VerificationStatus.VERIFIED
    if publicly_visible and not await has_anonymous_listing(session, msme_id):
        raise PermissionDeniedError("Only the profile's owner or an admin can do this.")
    raise MsmeNotFoundError()


# Uploaded statements and returns back the figures; other documents say nothing about them.
FINANCIAL_DOCUMENT_KINDS = ("financial_statement", "itr")


async def _financial_documents(session: AsyncSession, msme_id: uuid.UUID) -> int:
    return await count_documents(session, msme_id, FINANCIAL_DOCUMENT_KINDS)


async def _asking_price(
    session: AsyncSession, msme_id: uuid.UUID
) -> tuple[int, Decimal | None] | None:
    # A debt raise asks for a loan, not a price for the business: nothing to compare.
    offer = await open_offer(session, msme_id)
    if offer is None or offer.deal_type == "debt":
        return None
    stake = Decimal(str(offer.stake_percent)) if offer.stake_percent is not None else None
    return offer.asking_price, stake


async def _profile_input(
    session: AsyncSession, profile: MsmeRead, data: ValuationData
) -> EngineInput:
    check_sector(profile.sector, data)
    years = to_years(await get_financials(session, profile.id), data)
    inputs = EngineInput(
        sector=profile.sector,
        years=years,
        year_established=profile.year_established,
        employees=profile.employees,
        verified=profile.verification_status == VerificationStatus.VERIFIED,
        financial_documents=await _financial_documents(session, profile.id),
    )
    check_usable(inputs)
    return inputs


def run_engine(inputs: EngineInput, data: ValuationData) -> EngineResult:
    """The engine, timed and counted."""
    started = time.perf_counter()
    result = value_business(inputs, data)
    VALUATION_SECONDS.observe(time.perf_counter() - started)
    VALUATIONS.labels(method_mix=result.method_mix).inc()
    return result


async def create_valuation(
    session: AsyncSession, user: Principal, body: ValuationCreate, language: str
) -> ValuationRead:
    """Value a profile (owner or admin) or ad hoc figures (anyone signed in), and store it."""
    data = load_data()
    comparison: PriceComparison | None = None
    if body.msme_id is not None:
        if body.sector is not None or body.financials is not None:
            raise ValidationError.for_field(
                "msme_id",
                "Give either msme_id, or sector and financials, not both.",
                code="VALUATION_INPUT_AMBIGUOUS",
            )
        profile = await _profile_for(session, user, body.msme_id)
        inputs = await _profile_input(session, profile, data)
        result = run_engine(inputs, data)
        if asking := await _asking_price(session, profile.id):
            comparison = compare_price(asking[0], asking[1], result.low, result.high)
    else:
        if body.sector is None and body.financials is None:
            raise ValidationError.for_field(
                "msme_id",
                "Give msme_id to value a profile, or sector and financials for an ad hoc one.",
                code="VALUATION_INPUT_REQUIRED",
            )
        inputs = ad_hoc_input(
            body.sector, body.financials, body.year_established, body.employees, data
        )
        result = run_engine(inputs, data)
    valuation = new_valuation(body.msme_id, user.id, inputs, result, comparison)
    read = to_read(valuation, language)  # before the write: SQLite holds its lock from here on
    session.add(valuation)
    await session.flush()
    return read


def preview_valuation(body: ValuationCreate, language: str) -> ValuationRead:
    """An ad hoc valuation for a visitor who is not signed in: computed the same way, not
    stored (its `id` leads nowhere and `created_by` is `PREVIEW_CREATOR`)."""
    if body.msme_id is not None:
        raise ValidationError.for_field(
            "msme_id", "Sign in to value a business profile.", code="VALUATION_INPUT_AMBIGUOUS"
        )
    data = load_data()
    inputs = ad_hoc_input(body.sector, body.financials, body.year_established, body.employees, data)
    result = run_engine(inputs, data)
    return to_read(new_valuation(None, PREVIEW_CREATOR, inputs, result, None), language)


async def report_pdf(
    session: AsyncSession, user: Principal, valuation_id: uuid.UUID, language: str
) -> bytes:
    """The PDF report of a valuation the caller may read, in `language`, naming the business
    it values (rendered off the event loop: CPU-bound)."""
    valuation = await valuation_for_report(session, user, valuation_id)
    name = await valued_business_name(session, valuation.msme_id)
    return await run_in_threadpool(
        functools.partial(render_report, valuation, language, business_name=name)
    )


async def valued_business_name(session: AsyncSession, msme_id: uuid.UUID | None) -> str | None:
    """The name a valuation's business goes by (trade name, else legal name); None for an ad hoc
    valuation. Callers have already checked that the reader may see the valuation."""
    if msme_id is None:
        return None
    try:
        profile = await get_profile(session, msme_id)
    except NotFoundError:
        return None
    return profile.trade_name or profile.legal_name


def new_valuation(
    msme_id: uuid.UUID | None,
    creator: uuid.UUID,
    inputs: EngineInput,
    result: EngineResult,
    comparison: PriceComparison | None,
) -> Valuation:
    """The row that stores an engine result with its inputs, data and engine versions."""
    return Valuation(
        id=uuid.uuid4(),
        msme_id=msme_id,
        created_by=creator,
        sector=inputs.sector,
        currency="INR",
        low=result.low,
        base=result.base,
        high=result.high,
        confidence=float(result.confidence),
        method_mix=result.method_mix,
        data_version=result.data_version,
        engine_version=ENGINE_VERSION,
        inputs=inputs.to_json(),
        result=result_json(result, comparison),
        created_at=utcnow(),
    )


async def _may_read(session: AsyncSession, user: Principal, valuation: Valuation) -> bool:
    """Admins read every valuation. A profile's valuations follow the profile: its owner now
    reads them, whoever ran them, and a previous owner no longer does (an admin's transfer
    moves them with the profile). An ad hoc valuation stays with its creator."""
    if user.role == UserRole.ADMIN:
        return True
    if valuation.msme_id is None:
        return valuation.created_by == user.id
    return await _owns_profile(session, user, valuation.msme_id)


async def _owns_profile(session: AsyncSession, user: Principal, msme_id: uuid.UUID) -> bool:
    try:
        profile = await get_profile(session, msme_id)
    except NotFoundError:
        return False
    return profile.owner_id == user.id


async def valuation_for_report(
    session: AsyncSession, user: Principal, valuation_id: uuid.UUID
) -> Valuation:
    """A stored valuation the caller may read (the profile's current owner, the creator of an
    ad hoc one, admins); else 404."""
    valuation = await session.get(Valuation, valuation_id)
    if valuation is None or not await _may_read(session, user, valuation):
        raise ValuationNotFoundError()
    return valuation


async def get_valuation(
    session: AsyncSession, user: Principal, valuation_id: uuid.UUID, language: str
) -> ValuationRead:
    """One valuation, in the caller's language."""
    return to_read(await valuation_for_report(session, user, valuation_id), language)


async def list_profile_valuations(
    session: AsyncSession, user: Principal, msme_id: uuid.UUID, params: PageParams, language: str
) -> tuple[list[ValuationRead], int]:
    """A profile's valuations, newest first, for its current owner or an admin; 404 for
    anyone else (a previous owner included), as for each one of them."""
    if user.role != UserRole.ADMIN and not await _owns_profile(session, user, msme_id):
        raise MsmeNotFoundError()
    statement = (
        select(Valuation)
        .where(Valuation.msme_id == msme_id)
        .order_by(Valuation.created_at.desc(), Valuation.id.desc())
    )
    rows, total = await paginate(session, statement, params)
    return [to_read(row, language) for row in rows], total


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


@dataclass(frozen=True, slots=True)
class ValuationCounts:
    """Stored valuations: in all, in a period, and the profiles valued at least once."""

    total: int
    in_period: int
    profiles_valued: int


async def valuation_counts(
    session: AsyncSession, start: datetime, end: datetime
) -> ValuationCounts:
    """Valuations in all and run in [start, end), and distinct profiles valued (one query)."""
    statement = select(
        func.count(),
        func.count().filter(Valuation.created_at >= start, Valuation.created_at < end),
        func.count(distinct(Valuation.msme_id)),
    ).select_from(Valuation)
    total, in_period, profiles = (await session.execute(statement)).one()
    return ValuationCounts(int(total), int(in_period), int(profiles))
