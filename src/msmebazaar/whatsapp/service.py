"""The whatsapp service: the webhooks' work (check, store once, answer) and the simulator.

No other service imports this one; it reaches auth, msme, valuation and match only through their
`service` modules (see `conversation/finish.py`).
"""

from __future__ import annotations

import hmac
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.shared.config import Settings
from msmebazaar.shared.exceptions import ExternalServiceError, ValidationError
from msmebazaar.shared.india import InvalidIdentifier, normalize_indian_mobile
from msmebazaar.whatsapp.exceptions import (
    WebhookPayloadError,
    WebhookSignatureError,
    WebhookVerifyTokenError,
)
from msmebazaar.whatsapp.inbox import record_status, store_all, store_inbound
from msmebazaar.whatsapp.metrics import WEBHOOK_REJECTED
from msmebazaar.whatsapp.models import Conversation
from msmebazaar.whatsapp.payloads import (
    InboundEvent,
    e164,
    json_limits,
    parse_form,
    parse_meta,
    parse_twilio,
    parse_twilio_status,
)
from msmebazaar.whatsapp.processing import (
    SIMULATE,
    Runtime,
    Sweeper,
    handle_in_background,
    handle_pending,
    sweep,
)
from msmebazaar.whatsapp.schemas import (
    OptionRead,
    ReplyRead,
    SimulateRequest,
    SimulateResult,
    WebhookReceipt,
)
from msmebazaar.whatsapp.signatures import verify_meta, verify_twilio

__all__ = [
    "Runtime",
    "Sweeper",
    "handle_in_background",
    "meta_handshake",
    "receive_meta",
    "receive_twilio",
    "receive_twilio_status",
    "simulate",
    "sweep",
]


def _secret(value: object) -> str | None:
    getter = getattr(value, "get_secret_value", None)
    return str(getter()) if getter is not None else None


def meta_handshake(
    settings: Settings, mode: str | None, token: str | None, challenge: str | None
) -> str:
    """The challenge to echo when Meta subscribes with our verify token; 403 otherwise."""
    expected = _secret(settings.whatsapp.meta_verify_token)
    matches = bool(expected and token) and hmac.compare_digest(
        str(token).encode(), str(expected).encode()
    )
    if mode != "subscribe" or not matches or not challenge:
        WEBHOOK_REJECTED.labels("bad_verify_token").inc()
        raise WebhookVerifyTokenError()
    return challenge


async def receive_meta(
    session: AsyncSession, settings: Settings, body: bytes, signature: str | None
) -> tuple[WebhookReceipt, list[str]]:
    """Check a Meta webhook call, store its new messages and record its statuses; the phones
    with messages to handle after the answer."""
    try:
        verify_meta(_secret(settings.whatsapp.meta_app_secret), body, signature)
        delivery = parse_meta(body, json_limits(settings))
    except WebhookSignatureError as exc:
        WEBHOOK_REJECTED.labels(exc.reason).inc()
        raise
    except WebhookPayloadError:
        WEBHOOK_REJECTED.labels("bad_payload").inc()
        raise
    stored, phones = await store_all(session, delivery.messages)
    for status in delivery.statuses:
        await record_status(session, status)
    receipt = WebhookReceipt(
        received=stored,
        duplicates=len(delivery.messages) - stored,
        statuses=len(delivery.statuses),
        ignored=delivery.ignored,
    )
    return receipt, phones


def _twilio_fields(
    settings: Settings, body: bytes, url: str, signature: str | None
) -> dict[str, str]:
    try:
        fields = parse_form(body)
        verify_twilio(_secret(settings.sms.twilio_auth_token), url, fields, signature)
    except WebhookSignatureError as exc:
        WEBHOOK_REJECTED.labels(exc.reason).inc()
        raise
    except WebhookPayloadError:
        WEBHOOK_REJECTED.labels("bad_payload").inc()
        raise
    return dict(fields)


async def receive_twilio(
    session: AsyncSession, settings: Settings, body: bytes, url: str, signature: str | None
) -> tuple[WebhookReceipt, list[str]]:
    """Check a Twilio webhook call (signed over `url`, the public URL it called) and store its
    message once; the phones to handle after the answer."""
    fields = _twilio_fields(settings, body, url, signature)
    try:
        event = parse_twilio(fields)
    except WebhookPayloadError:
        WEBHOOK_REJECTED.labels("bad_payload").inc()
        raise
    stored = await store_inbound(session, event)
    receipt = WebhookReceipt(
        received=int(stored is not None), duplicates=int(stored is None), statuses=0
    )
    return receipt, [event.phone] if stored is not None else []


async def receive_twilio_status(
    session: AsyncSession,
    settings: Settings,
    *,
    body: bytes,
    url: str,
    signature: str | None,
    ref: str | None,
) -> WebhookReceipt:
    """Check a Twilio status callback and record it on the message it reports on."""
    fields = _twilio_fields(settings, body, url, signature)
    try:
        status = parse_twilio_status(fields, ref)
    except WebhookPayloadError:
        WEBHOOK_REJECTED.labels("bad_payload").inc()
        raise
    if status is not None:
        await record_status(session, status)
    return WebhookReceipt(received=0, duplicates=0, statuses=int(status is not None))


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
