"""Deal notices (DESIGN.md §3 "Deals"): msme raises `DealNoticeDue` when one side of a deal should
hear of a message, an offer or an answer; this delivers it where the user is. A user who wrote to
us on WhatsApp within its 24-hour customer-service window gets it there (WhatsApp allows free
text only inside that window); anyone else gets an SMS. Either way it is one short text with a
link to the deal, in the user's language, never the message or the offer itself.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.schemas import UserRead, UserStatus
from msmebazaar.auth.service import get_user
from msmebazaar.msme.service import DealNoticeDue
from msmebazaar.shared.db import utcnow
from msmebazaar.shared.dispatch import Delivery
from msmebazaar.shared.exceptions import NotFoundError
from msmebazaar.shared.outbox import enqueue
from msmebazaar.whatsapp.messages import Envelope, Reply
from msmebazaar.whatsapp.models import QUEUED, Conversation, InboundMessage, OutboundMessage
from msmebazaar.whatsapp.processing import SIMULATE, WINDOW

_HEADLINE = 50  # characters of the listing's headline an SMS carries

TEXTS: dict[str, dict[str, str]] = {
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


def notice_text(kind: str, language: str, headline: str, link: str) -> str:
    """The notice in `language` (English unless Hindi)."""
    texts = TEXTS[kind]
    return texts.get(language, texts["en"]).format(headline=headline[:_HEADLINE], link=link)


async def _recipient(session: AsyncSession, user_id: uuid.UUID) -> UserRead | None:
    try:
        user = await get_user(session, user_id)
    except NotFoundError:  # the account was deleted: nobody to tell
        return None
    return None if user.status is UserStatus.SUSPENDED else user


async def _open_window(session: AsyncSession, phone: str) -> tuple[str, str] | None:
    """The provider the phone last wrote through and when its window closes, if it is open."""
    conversation = await session.scalar(select(Conversation).where(Conversation.phone == phone))
    if conversation is None or conversation.last_inbound_at is None:
        return None
    closes = conversation.last_inbound_at + WINDOW
    if closes <= utcnow():
        return None
    via = await session.scalar(
        select(InboundMessage.provider)
        .where(InboundMessage.phone == phone)
        .order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc())
        .limit(1)
    )
    if via is None or via == SIMULATE:  # the simulator reaches no phone
        return None
    return via, closes.isoformat()


async def on_deal_notice_due(event: DealNoticeDue, delivery: Delivery) -> None:
    """Subscribed to `DealNoticeDue`: queue the notice on WhatsApp or by SMS."""
    base = delivery.runtime.settings.app.public_base_url.rstrip("/")
    async with delivery.database.session() as session:
        user = await _recipient(session, event.recipient_id)
        if user is None:
            return
        body = notice_text(
            event.kind, user.language.value, event.headline, f"{base}/deals/{event.deal_id}"
        )
        window = await _open_window(session, user.phone)
        if window is None:
            enqueue(session, "sms", user.phone, body, template=f"deal_{event.kind}")
            return
        via, closes = window
        reply = Reply.text(body)
        queued = enqueue(session, "whatsapp", user.phone, Envelope(reply, via, closes).dumps())
        session.add(
            OutboundMessage(
                id=uuid.uuid4(),
                outbox_id=queued.id,
                phone=user.phone,
                provider=via,
                kind=reply.kind,
                body=reply.as_plain_text(),
                payload=reply.to_payload(),
                status=QUEUED,
            )
        )
