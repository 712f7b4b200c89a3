"""Offers in a deal room (DESIGN.md §3 "Deals"), once both sides accepted the NDA: the buyer puts
a price; the owner accepts, rejects or counters it (a counter is a new offer from the owner,
which the buyer may in turn accept, reject or counter); the author may withdraw a pending offer.
At most one offer is pending in a deal; a new one from the other side counters it; one past its
`valid_until` has lapsed. An accepted offer moves the deal to `offer` and ends the bidding.
Every change locks the deal's row first, so two at once run one after the other.
"""

from __future__ import annotations

import uuid
from datetime import UTC, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.service import Principal
from msmebazaar.msme import deal_notices
from msmebazaar.msme.deals import (
    claim_listing,
    deal_of,
    enter_stage,
    nda_status,
    require_open,
    require_party,
)
from msmebazaar.msme.exceptions import (
    DealNotFoundError,
    NdaNotSignedError,
    OfferExpiredError,
    OfferNotFoundError,
    OfferPendingError,
    OfferStatusConflictError,
)
from msmebazaar.msme.listings import mark_under_offer
from msmebazaar.msme.models import Deal, Listing, Offer
from msmebazaar.msme.schemas.deals import (
    OFFER_MAX_DAYS,
    DealStage,
    OfferCreate,
    OfferRead,
    OfferStatus,
)
from msmebazaar.msme.schemas.listings import STAKE_DEAL_TYPES, DealType
from msmebazaar.shared.db import utcnow
from msmebazaar.shared.exceptions import PermissionDeniedError, ValidationError
from msmebazaar.shared.metrics import counter

OFFERS = counter("offers_total", "Offers entering each status.", ("status",))
MAX_VALIDITY = timedelta(days=OFFER_MAX_DAYS)


def _side(deal: Deal, user: Principal) -> str:
    return "owner" if user.id == deal.owner_id else "buyer"


def _enter(offer: Offer, status: OfferStatus) -> None:
    offer.status = status.value
    if status is not OfferStatus.PENDING:
        offer.decided_at = utcnow()
    OFFERS.labels(status.value).inc()


async def _pending(session: AsyncSession, deal: Deal) -> Offer | None:
    """The deal's pending offer that has not lapsed (a lapsed one is marked `expired` now)."""
    offer = await session.scalar(
        select(Offer).where(Offer.deal_id == deal.id, Offer.status == OfferStatus.PENDING.value)
    )
    if offer is not None and offer.valid_until <= utcnow():
        _enter(offer, OfferStatus.EXPIRED)
        return None
    return offer


async def _check_deal_takes_offers(session: AsyncSession, deal: Deal) -> None:
    """Offers follow the NDA (the price is talked about once both may see the figures), and end
    with the first accepted one (a new one would need the deal reopened)."""
    if not (await nda_status(session, deal)).signed:
        raise NdaNotSignedError()
    if deal.stage == DealStage.OFFER.value:
        raise OfferStatusConflictError("An offer in this deal was accepted already.")


async def _check_terms(session: AsyncSession, deal: Deal, data: OfferCreate) -> None:
    """The stake fits the listing's deal type, and the offer lapses within 180 days."""
    now = utcnow()
    if not now < data.valid_until <= now + MAX_VALIDITY:
        raise ValidationError.for_field(
            "valid_until", "Give a time in the future, within 180 days."
        )
    listing = await session.get_one(Listing, deal.listing_id)
    deal_type = DealType(listing.deal_type)
    if deal_type in STAKE_DEAL_TYPES and data.stake_percent is None:
        raise ValidationError.for_field(
            "stake_percent", f"A {deal_type.value} offer says the stake it is for."
        )
    if deal_type not in STAKE_DEAL_TYPES and data.stake_percent is not None:
        raise ValidationError.for_field(
            "stake_percent", f"A {deal_type.value} offer is for the whole deal: leave it out."
        )
    if data.stake_percent is not None and round(data.stake_percent, 2) <= 0:
        raise ValidationError.for_field("stake_percent", "Give a stake of at least 0.01%.")


async def make_offer(
    session: AsyncSession, user: Principal, deal_id: uuid.UUID, data: OfferCreate
) -> OfferRead:
    """Put an offer in the deal: the buyer any time it is open; the owner only to counter the
    buyer's pending offer. The other side's pending offer becomes `countered`."""
    deal = await deal_of(session, user, deal_id, lock=True)
    require_party(deal, user, "make offers")
    require_open(deal)
    await _check_deal_takes_offers(session, deal)
    await _check_terms(session, deal, data)
    side = _side(deal, user)
    pending = await _pending(session, deal)
    if pending is not None and pending.side == side:
        raise OfferPendingError()
    if side == "owner" and pending is None:
        raise PermissionDeniedError(
            "The owner answers offers: a counter-offer needs the buyer's pending offer.",
            code="OFFER_FORBIDDEN",
        )
    if pending is not None:
        _enter(pending, OfferStatus.COUNTERED)
    offer = Offer(
        id=uuid.uuid4(),
        deal_id=deal.id,
        author_id=user.id,
        side=side,
        amount=data.amount,
        stake_percent=(
            Decimal(str(round(data.stake_percent, 2))) if data.stake_percent is not None else None
        ),
        terms=data.terms,
        valid_until=data.valid_until.astimezone(UTC),
        counters_id=pending.id if pending is not None else None,
        created_at=utcnow(),
    )
    _enter(offer, OfferStatus.PENDING)
    session.add(offer)
    deal.updated_at = offer.created_at
    await session.flush()
    await deal_notices.notify_offer(session, deal, user.id)
    return OfferRead.model_validate(offer)


async def list_offers(
    session: AsyncSession, user: Principal, deal_id: uuid.UUID
) -> list[OfferRead]:
    """The deal's offers, oldest first (a lapsed pending one reads as `expired`)."""
    deal = await deal_of(session, user, deal_id)
    offers = await session.scalars(
        select(Offer).where(Offer.deal_id == deal.id).order_by(Offer.created_at, Offer.id)
    )
    now = utcnow()
    read = []
    for offer in offers:
        item = OfferRead.model_validate(offer)
        if item.status is OfferStatus.PENDING and offer.valid_until <= now:
            item.status = OfferStatus.EXPIRED
        read.append(item)
    return read


async def _offer_to_decide(
    session: AsyncSession, user: Principal, offer_id: uuid.UUID
) -> tuple[Offer, Deal]:
    deal_id = await session.scalar(select(Offer.deal_id).where(Offer.id == offer_id))
    if deal_id is None:
        raise OfferNotFoundError()
    try:
        deal = await deal_of(session, user, deal_id, lock=True)
    except DealNotFoundError as exc:  # not the caller's deal: the offer is not there for them
        raise OfferNotFoundError() from exc
    require_party(deal, user, "answer its offers")
    require_open(deal)
    offer = await session.get_one(Offer, offer_id)
    await session.refresh(offer)  # read under the deal's lock
    if offer.status != OfferStatus.PENDING.value:
        raise OfferStatusConflictError(f"This offer is {offer.status}.")
    if offer.valid_until <= utcnow():  # reads as `expired`; nothing to decide any more
        raise OfferExpiredError()
    return offer, deal


async def decide_offer(
    session: AsyncSession, user: Principal, offer_id: uuid.UUID, *, accept: bool
) -> OfferRead:
    """The other side accepts or rejects a pending offer; an accepted one moves the deal to
    `offer`."""
    offer, deal = await _offer_to_decide(session, user, offer_id)
    if offer.author_id == user.id:
        raise PermissionDeniedError(
            "The other side answers an offer; its author may withdraw it.", code="OFFER_FORBIDDEN"
        )
    if accept:
        await _put_listing_under_offer(session, deal)
    _enter(offer, OfferStatus.ACCEPTED if accept else OfferStatus.REJECTED)
    if accept:
        enter_stage(deal, DealStage.OFFER)
    deal.updated_at = utcnow()
    await session.flush()
    await deal_notices.notify_decision(session, deal, offer.author_id, accepted=accept)
    return OfferRead.model_validate(offer)


async def _put_listing_under_offer(session: AsyncSession, deal: Deal) -> None:
    """Mark the listing `under_offer` (409 when another of its deals has an accepted offer or
    was won: `deals.claim_listing`)."""
    listing = await claim_listing(session, deal, to_accept_an_offer=True)
    if listing.status == "active" and not listing.under_offer:
        await mark_under_offer(session, listing, under_offer=True)


async def withdraw_offer(session: AsyncSession, user: Principal, offer_id: uuid.UUID) -> OfferRead:
    """The author withdraws a pending offer."""
    offer, deal = await _offer_to_decide(session, user, offer_id)
    if offer.author_id != user.id:
        raise PermissionDeniedError(
            "Only its author withdraws an offer; answer it instead.", code="OFFER_FORBIDDEN"
        )
    _enter(offer, OfferStatus.WITHDRAWN)
    deal.updated_at = utcnow()
    await session.flush()
    return OfferRead.model_validate(offer)
