"""Free-text notices on WhatsApp: allowed only inside the 24-hour customer-service window that a
user's own last message opened (outside it Meta accepts only approved templates). The
notifications service asks here first and falls back to SMS when the window is shut."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.shared.db import utcnow
from msmebazaar.shared.outbox import enqueue
from msmebazaar.whatsapp.messages import Envelope, Reply
from msmebazaar.whatsapp.models import QUEUED, Conversation, InboundMessage, OutboundMessage
from msmebazaar.whatsapp.processing import SIMULATE, WINDOW

# A notice goes on WhatsApp only if its window stays open this long after it is due: a send
# delayed by a busy morning or a retry would otherwise meet a shut window and be refused.
WINDOW_MARGIN = timedelta(hours=1)


async def _open_window(session: AsyncSession, phone: str) -> tuple[str, datetime] | None:
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
    return via, closes


async def queue_notice(
    session: AsyncSession,
    phone: str,
    body: str,
    *,
    template: str | None = None,
    not_before: datetime | None = None,
) -> uuid.UUID | None:
    """Queue `body` to `phone` on WhatsApp if its window is open and stays open an hour past
    when the message is due (`not_before` for one held until morning); the outbox message's id,
    or `None` when WhatsApp may not carry it. `template` names the message for the outbox's
    accounting only (a free-text message is no WhatsApp template)."""
    window = await _open_window(session, phone)
    if window is None:
        return None
    via, closes = window
    if (not_before or utcnow()) + WINDOW_MARGIN > closes:
        return None
    reply = Reply.text(body)
    envelope = Envelope(reply, via, closes.isoformat())
    queued = enqueue(
        session, "whatsapp", phone, envelope.dumps(), template=template, not_before=not_before
    )
    session.add(
        OutboundMessage(
            id=uuid.uuid4(),
            outbox_id=queued.id,
            phone=phone,
            provider=via,
            kind=reply.kind,
            body=reply.as_plain_text(),
            payload=reply.to_payload(),
            status=QUEUED,
        )
    )
    return queued.id
