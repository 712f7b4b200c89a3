"""The simulator: one message run through the conversation at once, the bot's replies returned
(recorded, never sent), so the bot can be tried without a provider."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from msmebazaar.shared.exceptions import ExternalServiceError, ValidationError
from msmebazaar.shared.india import InvalidIdentifier, normalize_indian_mobile
from msmebazaar.shared.runtime import Runtime
from msmebazaar.whatsapp.inbox import store_inbound
from msmebazaar.whatsapp.models import Conversation
from msmebazaar.whatsapp.payloads import InboundEvent, e164
from msmebazaar.whatsapp.processing import SIMULATE, handle_pending
from msmebazaar.whatsapp.schemas import OptionRead, ReplyRead, SimulateRequest, SimulateResult


def simulator_phone(raw: str) -> str:
    """The sender as E.164: an Indian mobile in any spelling, or any `+` number; else 422."""
    try:
        return normalize_indian_mobile(raw)
    except InvalidIdentifier:
        phone = e164(raw) if raw.strip().startswith("+") else None
    if phone is None:
        raise ValidationError.for_field("from", "Send a phone number such as +919876543210.")
    return phone


async def simulate(runtime: Runtime, request: SimulateRequest) -> SimulateResult:
    """Run one message through the conversation now and return the bot's replies (they are
    recorded, never sent)."""
    phone = simulator_phone(request.sender)
    event = InboundEvent(SIMULATE, f"sim-{uuid.uuid4().hex}", phone, "text", request.text)
    async with runtime.database.session() as session:
        inbound_id = await store_inbound(session, event)
    handled = await handle_pending(runtime, phone)
    if inbound_id is None or inbound_id not in handled:
        raise ExternalServiceError("The message could not be handled now; it will be retried.")
    async with runtime.database.read_session() as session:
        step = await session.scalar(select(Conversation.step).where(Conversation.phone == phone))
    replies = [
        ReplyRead(
            kind=reply.kind,
            body=reply.body,
            options=[
                OptionRead(id=o.id, title=o.title, description=o.description) for o in reply.options
            ],
            text=reply.as_plain_text(),
        )
        for reply in handled[inbound_id]
    ]
    return SimulateResult(replies=replies, step=step)
