"""When the other side of a deal hears of what happens in it (DESIGN.md §3 "Deals"): a new
message, an NDA acceptance, a new offer or counter-offer, and an answer to an offer each raise
`DealNoticeDue`, stored with the change it announces; the notifications service turns it into a
notification with a link to the deal (and the messages the user's preferences ask for). The
body of a message or an offer stays in the deal room.

A conversation is not a notice each: a message is announced only when its sender wrote nothing
else in the deal in the previous `MESSAGE_NOTICE_GAP`.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.msme.events import DealNoticeDue
from msmebazaar.msme.models import Deal, DealMessage, Listing
from msmebazaar.shared.db import utcnow
from msmebazaar.shared.events import publish

MESSAGE_NOTICE_GAP = timedelta(minutes=15)


def _other_side(deal: Deal, author_id: uuid.UUID) -> uuid.UUID:
    return deal.buyer_id if author_id == deal.owner_id else deal.owner_id


async def _announce(session: AsyncSession, deal: Deal, recipient_id: uuid.UUID, kind: str) -> None:
    headline = await session.scalar(select(Listing.headline).where(Listing.id == deal.listing_id))
    publish(session, DealNoticeDue(deal.id, recipient_id, kind, headline or ""))


async def notify_message(session: AsyncSession, deal: Deal, message: DealMessage) -> None:
    """Announce `message` to the other side unless its sender wrote in the deal just before."""
    recent = await session.scalar(
        select(func.count())
        .select_from(DealMessage)
        .where(
            DealMessage.deal_id == deal.id,
            DealMessage.sender_id == message.sender_id,
            DealMessage.id != message.id,
            DealMessage.created_at > utcnow() - MESSAGE_NOTICE_GAP,
        )
    )
    if not recent:
        await _announce(session, deal, _other_side(deal, message.sender_id), "message")


async def notify_nda(session: AsyncSession, deal: Deal, accepter_id: uuid.UUID) -> None:
    """Tell the other side that `accepter_id` accepted the deal's NDA."""
    await _announce(session, deal, _other_side(deal, accepter_id), "nda_accepted")


async def notify_offer(session: AsyncSession, deal: Deal, author_id: uuid.UUID) -> None:
    """Announce a new offer (or counter-offer) to the other side."""
    await _announce(session, deal, _other_side(deal, author_id), "offer")


async def notify_decision(
    session: AsyncSession, deal: Deal, author_id: uuid.UUID, *, accepted: bool
) -> None:
    """Tell an offer's author that the other side accepted or declined it."""
    await _announce(session, deal, author_id, "offer_accepted" if accepted else "offer_rejected")
