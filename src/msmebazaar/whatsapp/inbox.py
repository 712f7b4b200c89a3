"""The webhooks' unit of work: store what arrived, once, and record delivery statuses.

A message is stored before the webhook answers (so nothing is lost if the app dies right after),
keyed by the provider's message id: a provider retrying a delivery finds its message already there
and nothing is stored, or handled, twice.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.shared.db import dialect_insert, utcnow
from msmebazaar.whatsapp.metrics import MESSAGES
from msmebazaar.whatsapp.models import (
    DELIVERED,
    NOT_SENT,
    PENDING,
    QUEUED,
    READ,
    SENT,
    SIMULATED,
    InboundMessage,
    OutboundMessage,
)
from msmebazaar.whatsapp.payloads import InboundEvent, StatusEvent

MAX_TEXT = 4096  # WhatsApp's own limit on a text message
_PROGRESS = {QUEUED: 0, SENT: 1, DELIVERED: 2, READ: 3}


async def store_inbound(session: AsyncSession, event: InboundEvent) -> uuid.UUID | None:
    """Store a received message; its id, or None when it was stored before (a retry)."""
    statement = (
        dialect_insert(session, InboundMessage)
        .values(
            id=uuid.uuid4(),
            provider=event.provider,
            provider_message_id=event.message_id[:128],
            phone=event.phone,
            kind=event.kind,
            text=event.text[:MAX_TEXT] if event.text else None,
            reply_id=event.reply_id[:256] if event.reply_id else None,
            received_at=utcnow(),
            status=PENDING,
            attempts=0,
        )
        .on_conflict_do_nothing(index_elements=["provider", "provider_message_id"])
        .returning(InboundMessage.id)
    )
    stored = await session.scalar(statement)
    if stored is not None:
        MESSAGES.labels("in", event.provider, event.kind).inc()
    return stored


async def store_all(session: AsyncSession, events: list[InboundEvent]) -> tuple[int, list[str]]:
    """Store every new message; how many were new, and the phones with something to handle."""
    stored, phones = 0, []
    for event in events:
        if await store_inbound(session, event) is None:
            continue
        stored += 1
        if event.phone not in phones:
            phones.append(event.phone)
    return stored, phones


async def _outbound_for(session: AsyncSession, event: StatusEvent) -> OutboundMessage | None:
    if event.ref:
        try:
            outbox_id = uuid.UUID(event.ref)
        except ValueError:
            outbox_id = None
        if outbox_id is not None:
            found = await session.scalar(
                select(OutboundMessage).where(OutboundMessage.outbox_id == outbox_id)
            )
            if found is not None:
                return found
    return await session.scalar(
        select(OutboundMessage).where(OutboundMessage.provider_message_id == event.message_id)
    )


async def record_status(session: AsyncSession, event: StatusEvent) -> bool:
    """Record a status on the message it reports on; False when that message is not ours.

    Statuses may arrive out of order: a message only moves forward (sent, delivered, read);
    `failed` is final."""
    MESSAGES.labels("in", event.provider, "status").inc()
    outbound = await _outbound_for(session, event)
    if outbound is None or outbound.status in {NOT_SENT, SIMULATED}:
        return False
    outbound.provider_message_id = outbound.provider_message_id or event.message_id[:128]
    if event.status == "failed":
        outbound.status, outbound.error = "failed", event.error or "failed"
        outbound.status_at = event.at or utcnow()
    elif outbound.status in _PROGRESS and _PROGRESS[event.status] > _PROGRESS[outbound.status]:
        outbound.status, outbound.status_at = event.status, event.at or utcnow()
    await session.flush()
    return True
