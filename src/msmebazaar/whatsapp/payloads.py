"""Reading the providers' webhook bodies into messages received and delivery statuses.

Meta Cloud API posts JSON (`entry[].changes[].value.messages[]` and `.statuses[]`); Twilio posts
a form (`From=whatsapp:+91...`, `Body`, `MessageSid`, and for status callbacks `MessageStatus`).
Only a body that is not what the provider sends at all is refused; message types the bot cannot
read are kept as `unsupported` (the user is asked to type), and unknown fields are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from msmebazaar.shared.config import Settings
from msmebazaar.shared.request_limits import JsonLimitError, JsonLimits, parse_json_within
from msmebazaar.whatsapp.exceptions import WebhookPayloadError

_DIGITS = re.compile(r"\+?([0-9]{6,15})")
# Meta types that are not messages from a person: nothing to answer.
_IGNORED_META_TYPES = frozenset({"reaction", "system", "ephemeral", "request_welcome"})
STATUSES = frozenset({"sent", "delivered", "read", "failed"})
_TWILIO_STATUS = {"sent": "sent", "delivered": "delivered", "read": "read", "failed": "failed"}
_TWILIO_STATUS |= {"undelivered": "failed"}
# Twilio sends a few dozen fields; the form is parsed before its signature can be checked.
MAX_FORM_FIELDS = 200


@dataclass(frozen=True, slots=True)
class InboundEvent:
    """One message from a person: `kind` is text, button, list or unsupported."""

    provider: str
    message_id: str
    phone: str
    kind: str
    text: str | None = None
    reply_id: str | None = None


@dataclass(frozen=True, slots=True)
class StatusEvent:
    """A provider's report on a message we sent; `ref` is our outbox id when it came back."""

    provider: str
    message_id: str
    status: str
    ref: str | None = None
    error: str | None = None
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Delivery:
    """What one webhook call carried."""

    messages: list[InboundEvent]
    statuses: list[StatusEvent]
    ignored: int = 0


def e164(raw: str) -> str | None:
    """`+` and the digits of a WhatsApp sender id (`919876543210`, `whatsapp:+9198...`)."""
    match = _DIGITS.fullmatch(raw.strip().removeprefix("whatsapp:"))
    return f"+{match.group(1)}" if match else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _as_list(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _meta_message(message: dict[str, Any]) -> InboundEvent | None:
    phone, message_id = e164(str(message.get("from", ""))), _text(message.get("id"))
    kind = message.get("type")
    if phone is None or message_id is None or kind in _IGNORED_META_TYPES:
        return None
    event = InboundEvent("meta", message_id, phone, "unsupported")
    if kind == "text":
        body = message.get("text")
        text = _text(body.get("body")) if isinstance(body, dict) else None
        return InboundEvent("meta", message_id, phone, "text", text) if text else event
    if kind == "interactive" and isinstance(message.get("interactive"), dict):
        interactive = message["interactive"]
        for field, kind_name in (("button_reply", "button"), ("list_reply", "list")):
            reply = interactive.get(field)
            if interactive.get("type") == field and isinstance(reply, dict):
                title, chosen = _text(reply.get("title")), _text(reply.get("id"))
                return InboundEvent("meta", message_id, phone, kind_name, title, chosen)
    if kind == "button" and isinstance(message.get("button"), dict):  # a template's button
        button = message["button"]
        text, payload = _text(button.get("text")), _text(button.get("payload"))
        return InboundEvent("meta", message_id, phone, "button", text, payload)
    return event


def _meta_status(status: dict[str, Any]) -> StatusEvent | None:
    message_id, value = _text(status.get("id")), status.get("status")
    if message_id is None or value not in STATUSES:
        return None
    errors = _as_list(status.get("errors"))
    error = None
    if errors:
        error = f"{errors[0].get('code', '')} {errors[0].get('title', '')}".strip()[:300]
    at = None
    if str(status.get("timestamp", "")).isdigit():
        at = datetime.fromtimestamp(int(status["timestamp"]), UTC)
    ref = _text(status.get("biz_opaque_callback_data"))
    return StatusEvent("meta", message_id, str(value), ref, error, at)


def json_limits(settings: Settings) -> JsonLimits:
    """The app's JSON limits (`JSON_MAX_*`), which a webhook body must keep to as well."""
    app = settings.app
    return JsonLimits(app.json_max_depth, app.json_max_keys, app.json_max_array_items)


def parse_meta(body: bytes, limits: JsonLimits) -> Delivery:
    """Messages and statuses of a Meta webhook body; 400 when it is not a JSON object or is
    past the JSON limits (checked here too: the body may come with any content type)."""
    try:
        document = parse_json_within(body, limits)
    except JsonLimitError as exc:
        raise WebhookPayloadError(str(exc)) from exc
    except ValueError as exc:
        raise WebhookPayloadError("The body is not valid JSON.") from exc
    if not isinstance(document, dict):
        raise WebhookPayloadError("The body must be a JSON object.")
    messages: list[InboundEvent] = []
    statuses: list[StatusEvent] = []
    ignored = 0
    for entry in _as_list(document.get("entry")):
        for change in _as_list(entry.get("changes")):
            value = change.get("value")
            if not isinstance(value, dict):
                continue
            for raw in _as_list(value.get("messages")):
                event = _meta_message(raw)
                messages.extend([event] if event else [])
                ignored += event is None
            for raw in _as_list(value.get("statuses")):
                status = _meta_status(raw)
                statuses.extend([status] if status else [])
                ignored += status is None
    return Delivery(messages, statuses, ignored)


def parse_form(body: bytes) -> list[tuple[str, str]]:
    """A form-encoded body's fields, in order; 400 when it is not one."""
    try:
        return parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            strict_parsing=bool(body),
            max_num_fields=MAX_FORM_FIELDS,
        )
    except (UnicodeDecodeError, ValueError) as exc:
        raise WebhookPayloadError("The body is not a form.") from exc


def parse_twilio(fields: dict[str, str]) -> InboundEvent:
    """The message of a Twilio webhook form; 400 without a WhatsApp sender or message id."""
    phone = e164(fields.get("From", "")) if fields.get("From", "").startswith("whatsapp:") else None
    message_id = _text(fields.get("MessageSid")) or _text(fields.get("SmsMessageSid"))
    if phone is None or message_id is None:
        raise WebhookPayloadError("Expected a WhatsApp message: From=whatsapp:+... and MessageSid.")
    body = _text(fields.get("Body"))
    if payload := _text(fields.get("ButtonPayload")):
        return InboundEvent(
            "twilio", message_id, phone, "button", _text(fields.get("ButtonText")) or body, payload
        )
    if list_id := _text(fields.get("ListId")):
        return InboundEvent(
            "twilio", message_id, phone, "list", _text(fields.get("ListTitle")) or body, list_id
        )
    if body is None:
        return InboundEvent("twilio", message_id, phone, "unsupported")
    return InboundEvent("twilio", message_id, phone, "text", body)


def parse_twilio_status(fields: dict[str, str], ref: str | None) -> StatusEvent | None:
    """A Twilio status callback; None for the statuses we do not record (queued, sending)."""
    message_id = _text(fields.get("MessageSid"))
    status = _TWILIO_STATUS.get(fields.get("MessageStatus", ""))
    if message_id is None:
        raise WebhookPayloadError("Expected MessageSid and MessageStatus.")
    if status is None:
        return None
    code = _text(fields.get("ErrorCode"))
    return StatusEvent("twilio", message_id, status, ref, f"twilio {code}" if code else None)
