"""SMS notices of what happens in a deal room (DESIGN.md §3 "Deals"): a new message, a new offer
or counter-offer, and an offer's answer reach the other side with a link to the deal. The body
of a message or offer stays on the platform: a notice says only that there is something to read.

A conversation is not an SMS each: a message is announced only when its sender wrote nothing
else in the deal in the previous `MESSAGE_NOTICE_GAP`. Notices go through the outbox, so one is
sent exactly when the change it announces commits.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.service import get_user
from msmebazaar.msme.models import Deal, DealMessage, Listing
from msmebazaar.shared.config import get_settings
from msmebazaar.shared.db import utcnow
from msmebazaar.shared.exceptions import NotFoundError
from msmebazaar.shared.outbox import enqueue

MESSAGE_NOTICE_GAP = timedelta(minutes=15)
_HEADLINE_IN_SMS = 50

_TEXTS: dict[str, dict[str, str]] = {
    "message": {
        "en": 'MSMEBazaar: a new message in your deal "{headline}". Read it: {link}',
        "hi": 'MSMEBazaar: आपकी डील "{headline}" में नया संदेश। पढ़ें: {link}',
    },
    "offer": {
        "en": 'MSMEBazaar: a new offer in your deal "{headline}". See it: {link}',
        "hi": 'MSMEBazaar: आपकी डील "{headline}" में नया प्रस्ताव। देखें: {link}',
    },
    "offer_accepted": {
        "en": 'MSMEBazaar: your offer in "{headline}" was accepted. {link}',
        "hi": 'MSMEBazaar: "{headline}" में आपका प्रस्ताव स्वीकार हुआ। {link}',
    },
    "offer_rejected": {
        "en": 'MSMEBazaar: your offer in "{headline}" was declined. {link}',
        "hi": 'MSMEBazaar: "{headline}" में आपका प्रस्ताव अस्वीकार हुआ। {link}',
    },
}


def deal_link(deal_id: uuid.UUID) -> str:
    """The portal's page of the deal."""
    return f"{get_settings().app.public_base_url.rstrip('/')}/deals/{deal_id}"


def _other_side(deal: Deal, author_id: uuid.UUID) -> uuid.UUID:
    return deal.buyer_id if author_id == deal.owner_id else deal.owner_id


async def notify(session: AsyncSession, deal: Deal, recipient_id: uuid.UUID, kind: str) -> None:
    """Queue the SMS notice `kind` of `deal` to `recipient_id`, in their language."""
    try:
        user = await get_user(session, recipient_id)
    except NotFoundError:  # their account was deleted: nobody to tell
        return
    language = user.language.value if user.language.value in ("en", "hi") else "en"
    headline = await session.scalar(select(Listing.headline).where(Listing.id == deal.listing_id))
    body = _TEXTS[kind][language].format(
        headline=(headline or "")[:_HEADLINE_IN_SMS], link=deal_link(deal.id)
    )
    enqueue(session, "sms", user.phone, body, template=f"deal_{kind}")


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
        await notify(session, deal, _other_side(deal, message.sender_id), "message")


async def notify_offer(session: AsyncSession, deal: Deal, author_id: uuid.UUID) -> None:
    """Announce a new offer (or counter-offer) to the other side."""
    await notify(session, deal, _other_side(deal, author_id), "offer")


async def notify_decision(
    session: AsyncSession, deal: Deal, author_id: uuid.UUID, *, accepted: bool
) -> None:
    """Tell an offer's author that the other side accepted or declined it."""
    await notify(session, deal, author_id, "offer_accepted" if accepted else "offer_rejected")
