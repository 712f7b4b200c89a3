"""Deal rooms (DESIGN.md §3 "Deals"): accepting an interest opens one between the listing's owner
and the buyer. Both accept the mutual NDA (`msme/nda.py`), talk in messages, and close the deal
as won or lost. Only the two parties (and admins, to read) see a deal; anyone else gets 404.

Stages move with what happens: both NDAs accepted → `nda_signed`; the buyer opens a first
document → `diligence` (`diligence.py`); an offer accepted → `offer` (`offers.py`); either side
closes → `closed_won` / `closed_lost`. A deal's row is locked (PostgreSQL) by every change to
it, so two changes at once run one after the other; SQLite has one writer anyway.
"""

from __future__ import annotations

import re
import statistics
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.service import Principal, UserRole
from msmebazaar.msme import deal_notices, nda
from msmebazaar.msme.exceptions import DealClosedError, DealNotFoundError, ListingTakenError
from msmebazaar.msme.listings import close_listing, mark_under_offer
from msmebazaar.msme.models import Deal, DealMessage, Interest, Listing, NdaAcceptance, Offer
from msmebazaar.msme.privacy import CLEARED_DEAL
from msmebazaar.msme.schemas.deals import (
    CLOSED_STAGES,
    DealClose,
    DealFunnel,
    DealRead,
    DealStage,
    MessageCreate,
    MessageRead,
    NdaAcceptanceRead,
    NdaRead,
    NdaStatus,
)
from msmebazaar.msme.schemas.listings import DealType
from msmebazaar.shared.db import dialect_insert, utcnow
from msmebazaar.shared.exceptions import PermissionDeniedError
from msmebazaar.shared.metrics import counter
from msmebazaar.shared.pagination import PageParams

DEALS = counter("deals_total", "Deals entering each stage.", ("stage",))
DEAL_MESSAGES = counter("deal_messages_total", "Messages sent in deal rooms.")
# The same text from the same side this soon after is a resubmission, not a new message.
RESENT_WITHIN = timedelta(seconds=30)

# Before both sides accepted the NDA, what would let them take the deal elsewhere is masked:
# email addresses, links and bare domains, social handles, and Indian phone numbers (a mobile,
# with or without +91 or 0, grouped as people write it; a landline with its STD code). Plain
# figures (amounts, years, dates, account-length numbers) are left alone.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TLDS = (
    "com|in|co|net|org|io|biz|info|me|app|ai|shop|online|site|store|xyz|ly|gl|tech|dev|page|"
    "link|us|uk|ae|sg"
)
_LINK = re.compile(
    rf"(?:https?://|www\.)\S+|\b[a-z0-9][\w-]+(?:\.[\w-]+)*\.(?:{_TLDS})\b(?:/\S*)?",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"(?<![\w.])@[A-Za-z0-9_.]{3,}")
_MOBILE = re.compile(r"(?<![\d₹])(?:\+?91[\s.-]?|0)?[6-9]\d{4}[\s./-]?\d{5}(?!\d)")
_LANDLINE = re.compile(r"(?<![\d₹])\(?0\d{2,4}\)?[\s.-]?\d{3,4}[\s.-]?\d{4}(?!\d)")
MASK = "[hidden until both sides accept the NDA]"


def mask_contacts(text: str) -> tuple[str, bool]:
    """`text` with email addresses, links, handles and phone numbers masked; whether anything
    was."""
    masked = text
    for pattern in (_EMAIL, _LINK, _HANDLE, _MOBILE, _LANDLINE):
        masked = pattern.sub(MASK, masked)
    return masked, masked != text


def enter_stage(deal: Deal, stage: DealStage) -> None:
    """Move the deal to `stage` (counted in `deals_total`)."""
    deal.stage = stage.value
    deal.stage_changed_at = deal.updated_at = utcnow()
    DEALS.labels(stage.value).inc()


def open_deal(session: AsyncSession, interest: Interest, listing: Listing) -> Deal:
    """The deal room of an interest the owner just accepted (in the same unit of work)."""
    now = utcnow()
    deal = Deal(
        id=uuid.uuid4(),
        listing_id=listing.id,
        interest_id=interest.id,
        owner_id=listing.owner_id,
        buyer_id=interest.buyer_id,
        stage=DealStage.INTRODUCED.value,
        stage_changed_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(deal)
    DEALS.labels(DealStage.INTRODUCED.value).inc()
    return deal


def _is_party(deal: Deal, user: Principal) -> bool:
    return user.id in (deal.owner_id, deal.buyer_id)


async def deal_of(
    session: AsyncSession, user: Principal, deal_id: uuid.UUID, *, lock: bool = False
) -> Deal:
    """The deal, for one of its parties or an admin; 404 for anyone else. `lock` holds its row
    (PostgreSQL) for a change, so changes to one deal run one after the other."""
    statement = select(Deal).where(Deal.id == deal_id)
    deal = await session.scalar(statement.with_for_update() if lock else statement)
    if deal is None or not (_is_party(deal, user) or user.role is UserRole.ADMIN):
        raise DealNotFoundError()
    return deal


def require_party(deal: Deal, user: Principal, action: str) -> None:
    """403 `DEAL_FORBIDDEN` unless `user` is one of the deal's two sides (an admin only reads)."""
    if not _is_party(deal, user):
        raise PermissionDeniedError(f"Only the deal's two sides {action}.", code="DEAL_FORBIDDEN")


def require_open(deal: Deal) -> None:
    """409 `DEAL_CLOSED` for a closed deal."""
    if DealStage(deal.stage) in CLOSED_STAGES:
        raise DealClosedError()


async def nda_status(session: AsyncSession, deal: Deal) -> NdaStatus:
    """Who accepted the deal's NDA, and whether both did."""
    rows = await session.execute(
        select(NdaAcceptance.user_id, NdaAcceptance.accepted_at).where(
            NdaAcceptance.deal_id == deal.id
        )
    )
    return _nda(deal, {row.user_id: row.accepted_at for row in rows})


def _shown(text: str | None, nda_signed: bool) -> str | None:
    """Free text one side wrote, as the other may see it (masked before the NDA)."""
    return text if text is None or nda_signed else mask_contacts(text)[0]


async def _read_many(session: AsyncSession, deals: list[Deal]) -> list[DealRead]:
    """The deals as their parties see them, in three queries whatever their number (their
    listings, their NDA acceptances, which are cleared)."""
    if not deals:
        return []
    ids = [deal.id for deal in deals]
    listings = {
        row.id: row
        for row in await session.execute(
            select(
                Listing.id,
                Listing.headline,
                Listing.deal_type,
                Listing.asking_price,
                Listing.nda_required,
            ).where(Listing.id.in_({deal.listing_id for deal in deals}))
        )
    }
    accepted: dict[uuid.UUID, dict[uuid.UUID, datetime]] = {deal_id: {} for deal_id in ids}
    for row in await session.execute(
        select(NdaAcceptance.deal_id, NdaAcceptance.user_id, NdaAcceptance.accepted_at).where(
            NdaAcceptance.deal_id.in_(ids)
        )
    ):
        accepted[row.deal_id][row.user_id] = row.accepted_at
    cleared = set(await session.scalars(select(Deal.id).where(Deal.id.in_(ids), *CLEARED_DEAL)))
    return [
        _deal_read(deal, listings[deal.listing_id], accepted[deal.id], deal.id in cleared)
        for deal in deals
    ]


def _nda(deal: Deal, accepted: dict[uuid.UUID, datetime]) -> NdaStatus:
    owner, buyer = accepted.get(deal.owner_id), accepted.get(deal.buyer_id)
    return NdaStatus(owner_accepted_at=owner, buyer_accepted_at=buyer, signed=bool(owner and buyer))


def _deal_read(
    deal: Deal, listing: Any, accepted: dict[uuid.UUID, datetime], cleared: bool
) -> DealRead:
    nda = _nda(deal, accepted)
    return DealRead(
        id=deal.id,
        listing_id=deal.listing_id,
        interest_id=deal.interest_id,
        owner_id=deal.owner_id,
        buyer_id=deal.buyer_id,
        stage=DealStage(deal.stage),
        nda=nda,
        headline=listing.headline,
        deal_type=DealType(listing.deal_type),
        asking_price=listing.asking_price,
        nda_required=listing.nda_required,
        documents_open=cleared,
        closed_reason=_shown(deal.closed_reason, nda.signed),
        stage_changed_at=deal.stage_changed_at,
        created_at=deal.created_at,
        updated_at=deal.updated_at,
    )


async def _read(session: AsyncSession, deal: Deal) -> DealRead:
    (read,) = await _read_many(session, [deal])
    return read


async def read_deal(session: AsyncSession, user: Principal, deal_id: uuid.UUID) -> DealRead:
    """A deal of the caller's (any deal for an admin)."""
    return await _read(session, await deal_of(session, user, deal_id))


def _mine(user: Principal) -> Select[Deal]:
    return select(Deal).where(or_(Deal.owner_id == user.id, Deal.buyer_id == user.id))


async def list_deals(
    session: AsyncSession, user: Principal, params: PageParams
) -> tuple[list[DealRead], int]:
    """The caller's deals, either side, most recently active first."""
    total = await session.scalar(select(func.count()).select_from(_mine(user).subquery()))
    deals = await session.scalars(
        _mine(user)
        .order_by(Deal.updated_at.desc(), Deal.id.desc())
        .offset(params.offset)
        .limit(params.page_size)
    )
    return await _read_many(session, list(deals)), int(total or 0)


async def deals_of_interests(
    session: AsyncSession, user: Principal, interest_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """The caller's deal of each of these interests that has one: interest id → deal id."""
    wanted = set(interest_ids)
    if not wanted:
        return {}
    rows = await session.execute(
        _mine(user).with_only_columns(Deal.interest_id, Deal.id).where(Deal.interest_id.in_(wanted))
    )
    return {row.interest_id: row.id for row in rows}


async def nda_of(
    session: AsyncSession, user: Principal, deal_id: uuid.UUID, language: str
) -> NdaRead:
    """The deal's NDA in the caller's language, and who accepted it."""
    deal = await deal_of(session, user, deal_id)
    text = nda.current(language)
    return NdaRead(
        version=text.version,
        language="hi" if text.language == "hi" else "en",
        text=text.text,
        sha256=text.sha256,
        status=await nda_status(session, deal),
    )


async def accept_nda(
    session: AsyncSession,
    user: Principal,
    deal_id: uuid.UUID,
    *,
    language: str,
    ip_address: str | None,
    user_agent: str | None,
) -> NdaAcceptanceRead:
    """Record the caller's acceptance of the NDA's current text (once: accepting again answers
    the first record); both sides' acceptance moves the deal to `nda_signed`."""
    deal = await deal_of(session, user, deal_id, lock=True)
    require_party(deal, user, "accept its NDA")
    require_open(deal)
    text = nda.current(language)
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "deal_id": deal.id,
        "user_id": user.id,
        "version": text.version,
        "language": text.language,
        "text_sha256": text.sha256,
        "ip_address": ip_address,
        "user_agent": (user_agent or "")[:255] or None,
        "accepted_at": utcnow(),
    }
    insert = dialect_insert(session, NdaAcceptance).values(**values).on_conflict_do_nothing()
    await session.execute(insert)
    record = await session.scalar(
        select(NdaAcceptance).where(
            NdaAcceptance.deal_id == deal.id, NdaAcceptance.user_id == user.id
        )
    )
    if record is not None and record.id == values["id"]:  # accepted now, not before
        await deal_notices.notify_nda(session, deal, user.id)
    status = await nda_status(session, deal)
    if status.signed and deal.nda_signed_at is None:
        deal.nda_signed_at = utcnow()
        if deal.stage == DealStage.INTRODUCED.value:
            enter_stage(deal, DealStage.NDA_SIGNED)
    await session.flush()
    return NdaAcceptanceRead.model_validate(record)


async def send_message(
    session: AsyncSession, user: Principal, deal_id: uuid.UUID, data: MessageCreate
) -> MessageRead:
    """Add the caller's message to the deal's conversation (its two sides only). The same text
    sent again by the same side within `RESENT_WITHIN` is the same message (a double click, a
    resubmitted form): the first is answered, nothing is stored twice."""
    deal = await deal_of(session, user, deal_id, lock=True)
    require_party(deal, user, "write in it")
    require_open(deal)
    last = await session.scalar(
        select(DealMessage)
        .where(DealMessage.deal_id == deal.id)
        .order_by(DealMessage.position.desc())
        .limit(1)
    )
    signed = (await nda_status(session, deal)).signed
    if (
        last is not None
        and last.sender_id == user.id
        and last.body == data.body
        and last.created_at > utcnow() - RESENT_WITHIN
    ):
        return _message_read(last, user, signed)
    message = DealMessage(
        id=uuid.uuid4(),
        deal_id=deal.id,
        position=(last.position if last is not None else 0) + 1,
        sender_id=user.id,
        body=data.body,
        created_at=utcnow(),
    )
    session.add(message)
    deal.updated_at = message.created_at
    await session.flush()
    await deal_notices.notify_message(session, deal, message)
    DEAL_MESSAGES.inc()
    return _message_read(message, user, signed)


def _message_read(message: DealMessage, user: Principal, nda_signed: bool) -> MessageRead:
    body, masked = (message.body, False) if nda_signed else mask_contacts(message.body)
    return MessageRead(
        id=message.id,
        position=message.position,
        sender_id=message.sender_id,
        mine=message.sender_id == user.id,
        body=body,
        masked=masked,
        created_at=message.created_at,
    )


async def list_messages(
    session: AsyncSession,
    user: Principal,
    deal_id: uuid.UUID,
    *,
    after: int,
    params: PageParams,
) -> tuple[list[MessageRead], int]:
    """The deal's messages after position `after`, oldest first (masked before the NDA)."""
    deal = await deal_of(session, user, deal_id)
    later = (DealMessage.deal_id == deal.id, DealMessage.position > after)
    total = await session.scalar(select(func.count()).select_from(DealMessage).where(*later))
    messages = await session.scalars(
        select(DealMessage)
        .where(*later)
        .order_by(DealMessage.position)
        .offset(params.offset)
        .limit(params.page_size)
    )
    signed = (await nda_status(session, deal)).signed
    return [_message_read(message, user, signed) for message in messages], int(total or 0)


async def _end_pending_offers(session: AsyncSession, deal: Deal) -> None:
    await session.execute(
        update(Offer)
        .where(Offer.deal_id == deal.id, Offer.status == "pending")
        .values(status="expired", decided_at=utcnow())
        .execution_options(synchronize_session=False)
    )


async def _locked_listing(session: AsyncSession, deal: Deal) -> Listing:
    """The deal's listing, its row locked after the deal's (the order every deal change takes)
    and read afresh (the session may hold an older copy)."""
    listing = await session.scalar(
        select(Listing)
        .where(Listing.id == deal.listing_id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    if listing is None:  # pragma: no cover - the foreign key cascades
        raise DealNotFoundError()
    return listing


async def claim_listing(session: AsyncSession, deal: Deal, *, to_accept_an_offer: bool) -> Listing:
    """The deal's listing, locked, for a change only one deal of a listing may make: 409
    `LISTING_SOLD` when another of its deals was won, and, `to_accept_an_offer`, 409
    `LISTING_UNDER_OFFER` when another has an accepted offer (the owner ends that deal first)."""
    listing = await _locked_listing(session, deal)
    stages = {DealStage.CLOSED_WON.value: "LISTING_SOLD"}
    if to_accept_an_offer:
        stages[DealStage.OFFER.value] = "LISTING_UNDER_OFFER"
    other = await session.scalar(
        select(Deal.stage).where(
            Deal.listing_id == listing.id, Deal.id != deal.id, Deal.stage.in_(stages)
        )
    )
    if other is not None:
        raise ListingTakenError(_TAKEN[stages[other]], code=stages[other])
    return listing


_TAKEN = {
    "LISTING_SOLD": "Another deal for this listing was closed as won: the business is sold.",
    "LISTING_UNDER_OFFER": "Another deal for this listing has an accepted offer: close that "
    "deal first.",
}


async def _end(
    session: AsyncSession, deal: Deal, stage: DealStage, *, by: uuid.UUID, reason: str
) -> None:
    """Close the deal at `stage`, `by` one side, saying why: its pending offer lapses; a won
    deal closes its listing (the business is sold; refused if another deal won it first); a lost
    one whose offer had been accepted makes the listing `active` again."""
    won = stage is DealStage.CLOSED_WON
    had_accepted_offer = deal.stage == DealStage.OFFER.value
    listing = None
    if won:
        listing = await claim_listing(session, deal, to_accept_an_offer=False)
    elif had_accepted_offer:
        listing = await _locked_listing(session, deal)
    await _end_pending_offers(session, deal)
    enter_stage(deal, stage)
    deal.closed_by, deal.closed_reason = by, reason
    if listing is None:
        return
    if won and listing.status != "closed":
        await close_listing(session, listing)
    elif not won and listing.under_offer:
        await mark_under_offer(session, listing, under_offer=False)


async def close_for_withdrawn_interest(session: AsyncSession, interest: Interest) -> None:
    """Close the deal of an accepted interest its buyer withdrew (lost), if still open."""
    deal = await session.scalar(
        select(Deal).where(Deal.interest_id == interest.id).with_for_update()
    )
    if deal is None or DealStage(deal.stage) in CLOSED_STAGES:
        return
    reason = "The buyer withdrew their interest."
    await _end(session, deal, DealStage.CLOSED_LOST, by=interest.buyer_id, reason=reason)


async def close_deal(
    session: AsyncSession, user: Principal, deal_id: uuid.UUID, data: DealClose
) -> DealRead:
    """Close the deal as won or lost, with the reason (either side); its pending offer, if any,
    lapses."""
    deal = await deal_of(session, user, deal_id, lock=True)
    require_party(deal, user, "close it")
    require_open(deal)
    outcome = DealStage.CLOSED_WON if data.outcome == "won" else DealStage.CLOSED_LOST
    await _end(session, deal, outcome, by=user.id, reason=data.reason)
    await session.flush()
    return await _read(session, deal)


async def all_deals(
    session: AsyncSession, stage: DealStage | None, params: PageParams
) -> tuple[list[DealRead], int]:
    """Every deal (admins), optionally at one stage: open ones first, each group the longest at
    its stage first (a stalled deal is what an admin looks for; closed ones have ended)."""
    statement = select(Deal)
    if stage is not None:
        statement = statement.where(Deal.stage == stage.value)
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    closed = case((Deal.stage.in_([s.value for s in CLOSED_STAGES]), 1), else_=0)
    deals = await session.scalars(
        statement.order_by(closed, Deal.stage_changed_at, Deal.id)
        .offset(params.offset)
        .limit(params.page_size)
    )
    return await _read_many(session, list(deals)), int(total or 0)


DEAL_FUNNEL_DEFINITION = (
    "Deals opened (an interest accepted) in the period. nda_signed: of them, those both sides "
    "accepted the NDA of; offer_accepted: those with an accepted offer; won / lost: those closed "
    "so. Medians are in days, over the deals that took each step."
)


def _median_days(spans: list[timedelta]) -> float | None:
    return round(statistics.median(s.total_seconds() for s in spans) / 86400, 1) if spans else None


async def deal_funnel(session: AsyncSession, start: datetime, end: datetime) -> DealFunnel:
    """How far the deals opened in [start, end) got, and how long each step took (admin
    analytics)."""
    in_period = (Deal.created_at >= start, Deal.created_at < end)
    deals = (
        await session.execute(
            select(Deal.id, Deal.created_at, Deal.stage, Deal.stage_changed_at).where(*in_period)
        )
    ).all()
    signed_at = {
        row.deal_id: row.last
        for row in await session.execute(
            select(NdaAcceptance.deal_id, func.max(NdaAcceptance.accepted_at).label("last"))
            .join(Deal, Deal.id == NdaAcceptance.deal_id)
            .where(*in_period)
            .group_by(NdaAcceptance.deal_id)
            .having(func.count() >= 2)
        )
    }
    offer_at = {
        row.deal_id: row.first
        for row in await session.execute(
            select(Offer.deal_id, func.min(Offer.decided_at).label("first"))
            .join(Deal, Deal.id == Offer.deal_id)
            .where(*in_period, Offer.status == "accepted")
            .group_by(Offer.deal_id)
        )
    }
    closed = [d for d in deals if DealStage(d.stage) in CLOSED_STAGES]
    return DealFunnel(
        opened=len(deals),
        nda_signed=len(signed_at),
        offer_accepted=len(offer_at),
        won=sum(d.stage == DealStage.CLOSED_WON.value for d in closed),
        lost=sum(d.stage == DealStage.CLOSED_LOST.value for d in closed),
        median_days_to_nda=_median_days(
            [signed_at[d.id] - d.created_at for d in deals if d.id in signed_at]
        ),
        median_days_to_offer=_median_days(
            [offer_at[k] - signed_at[k] for k in offer_at if k in signed_at]
        ),
        median_days_to_close=_median_days([d.stage_changed_at - d.created_at for d in closed]),
        definition=DEAL_FUNNEL_DEFINITION,
    )
