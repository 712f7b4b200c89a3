"""Computing, storing and reading valuations: the engine run on a profile's stored figures (or on
ad hoc ones), the row that keeps each result with its versions, and who may read it.

Profiles are read only through `msmebazaar.msme.service`.
"""

from __future__ import annotations

import time
import uuid
from decimal import Decimal

from prometheus_client import Histogram
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.service import Principal, UserRole
from msmebazaar.msme.schemas import MsmeRead, VerificationStatus
from msmebazaar.msme.service import (
    count_documents,
    get_financials,
    get_profile,
    open_offer,
    owned_profile,
)
from msmebazaar.shared.db import utcnow
from msmebazaar.shared.exceptions import NotFoundError, PermissionDeniedError
from msmebazaar.shared.metrics import REGISTRY, counter
from msmebazaar.valuation.data import ValuationData
from msmebazaar.valuation.engine import ENGINE_VERSION, EngineInput, EngineResult, value_business
from msmebazaar.valuation.engine.compare import PriceComparison
from msmebazaar.valuation.exceptions import ValuationNotFoundError
from msmebazaar.valuation.inputs import check_sector, check_usable, to_years
from msmebazaar.valuation.models import Valuation
from msmebazaar.valuation.presenter import result_json

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


# Uploaded statements and returns back the figures; other documents say nothing about them.
FINANCIAL_DOCUMENT_KINDS = ("financial_statement", "itr")


async def _financial_documents(session: AsyncSession, msme_id: uuid.UUID) -> int:
    return await count_documents(session, msme_id, FINANCIAL_DOCUMENT_KINDS)


async def asking_price(
    session: AsyncSession, msme_id: uuid.UUID
) -> tuple[int, Decimal | None] | None:
    """The profile's open asking price and stake, to compare with its value; None if none."""
    # A debt raise asks for a loan, not a price for the business: nothing to compare.
    offer = await open_offer(session, msme_id)
    if offer is None or offer.deal_type == "debt":
        return None
    stake = Decimal(str(offer.stake_percent)) if offer.stake_percent is not None else None
    return offer.asking_price, stake


async def profile_input(
    session: AsyncSession, profile: MsmeRead, data: ValuationData
) -> EngineInput:
    """The engine's input from a profile's stored figures; 422 when they cannot be valued."""
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


async def _may_read(session: AsyncSession, user: Principal, valuation: Valuation) -> bool:
    """Admins read every valuation. A profile's valuations follow the profile: its owner now
    reads them, whoever ran them, and a previous owner no longer does (an admin's transfer
    moves them with the profile). An ad hoc valuation stays with its creator."""
    if user.role == UserRole.ADMIN:
        return True
    if valuation.msme_id is None:
        return valuation.created_by == user.id
    return await acts_as_owner(session, user, valuation.msme_id)


async def acts_as_owner(session: AsyncSession, user: Principal, msme_id: uuid.UUID) -> bool:
    """Whether `user` may act on the profile as its owner: msme's one rule (owner or admin)."""
    try:
        await owned_profile(session, user, msme_id)
    except (NotFoundError, PermissionDeniedError):
        return False
    return True


async def valuation_for_report(
    session: AsyncSession, user: Principal, valuation_id: uuid.UUID
) -> Valuation:
    """A stored valuation the caller may read (the profile's current owner, the creator of an
    ad hoc one, admins); else 404."""
    valuation = await session.get(Valuation, valuation_id)
    if valuation is None or not await _may_read(session, user, valuation):
        raise ValuationNotFoundError()
    return valuation
