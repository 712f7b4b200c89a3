"""The provider webhooks' work: check the call is genuinely Meta's or Twilio's, store each new
message once and record delivery statuses. Handling the stored messages comes after the answer
(`processing.handle_in_background`), so a slow conversation never makes a provider retry."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.shared.config import Settings
from msmebazaar.whatsapp.exceptions import (
    WebhookPayloadError,
    WebhookSignatureError,
    WebhookVerifyTokenError,
)
from msmebazaar.whatsapp.inbox import record_status, store_all, store_inbound
from msmebazaar.whatsapp.metrics import WEBHOOK_REJECTED
from msmebazaar.whatsapp.payloads import (
    json_limits,
    parse_form,
    parse_meta,
    parse_twilio,
    parse_twilio_status,
)
from msmebazaar.whatsapp.schemas import WebhookReceipt
from msmebazaar.whatsapp.signatures import verify_meta, verify_twilio


def _secret(value: object) -> str | None:
    getter = getattr(value, "get_secret_value", None)
    return str(getter()) if getter is not None else None


@contextmanager
def _counting_rejections() -> Iterator[None]:
    """Count a call refused for its signature or its payload, by reason, and let the error on."""
    try:
        yield
    except WebhookSignatureError as exc:
        WEBHOOK_REJECTED.labels(exc.reason).inc()
        raise
    except WebhookPayloadError:
        WEBHOOK_REJECTED.labels("bad_payload").inc()
        raise


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
    with _counting_rejections():
        verify_meta(_secret(settings.whatsapp.meta_app_secret), body, signature)
        delivery = parse_meta(body, json_limits(settings))
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
    with _counting_rejections():
        fields = parse_form(body)
        verify_twilio(_secret(settings.sms.twilio_auth_token), url, fields, signature)
    return dict(fields)


async def receive_twilio(
    session: AsyncSession, settings: Settings, body: bytes, url: str, signature: str | None
) -> tuple[WebhookReceipt, list[str]]:
    """Check a Twilio webhook call (signed over `url`, the public URL it called) and store its
    message once; the phones to handle after the answer."""
    fields = _twilio_fields(settings, body, url, signature)
    with _counting_rejections():
        event = parse_twilio(fields)
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
    with _counting_rejections():
        status = parse_twilio_status(fields, ref)
    if status is not None:
        await record_status(session, status)
    return WebhookReceipt(received=0, duplicates=0, statuses=int(status is not None))
