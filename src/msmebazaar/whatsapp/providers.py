"""Outbound WhatsApp: the outbox's provider for the `whatsapp` channel and the senders behind it.

- Meta Cloud API: `POST https://graph.facebook.com/<version>/<phone number id>/messages` with a
  text, reply-button (interactive `button`), list (interactive `list`) or template message. Our
  outbox id travels as `biz_opaque_callback_data` and comes back on every status callback.
- Twilio: the Messages API with `whatsapp:` addresses; options are numbered in the text, and a
  template is sent by its Content SID. `StatusCallback` points at our status webhook with our id.
- Console (development): prints the message.

The 24-hour rule: WhatsApp lets a business send free-form messages only within 24 hours of the
user's last message. Each envelope carries when that window closes; past it, this provider
refuses to send anything but a template (the conversation code sends the configured template
instead when it knows the window has closed).
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any, Protocol, TextIO

import httpx

from msmebazaar.shared.config import ConfigError, Settings
from msmebazaar.shared.db import utcnow
from msmebazaar.shared.messaging import (
    TWILIO_API_BASE,
    DeliveryError,
    MessageProvider,
    OutboundMessage,
)
from msmebazaar.shared.middleware import API_PREFIX
from msmebazaar.whatsapp.messages import Envelope, Reply
from msmebazaar.whatsapp.metrics import MESSAGES

META_GRAPH_BASE = "https://graph.facebook.com"
TWILIO_STATUS_PATH = f"{API_PREFIX}/whatsapp/twilio/status"
_HTTP_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
# Meta error codes worth another try later: rate limits and temporary unavailability.
_META_RETRYABLE = frozenset({1, 2, 4, 80007, 130429, 131000, 131016, 131056})


class Sender(Protocol):
    name: str

    async def send(self, to: str, reply: Reply, ref: str) -> str:
        """Deliver `reply` to `to` (E.164); return the provider's message id."""

    async def close(self) -> None:
        """Release connections."""


def _failure(response: httpx.Response, provider: str) -> DeliveryError:
    """A refusal as a `DeliveryError`; the body is not kept (it may quote the number)."""
    try:
        data = response.json()
    except ValueError:
        data = {}
    error = data.get("error") if isinstance(data, dict) else None
    code = error.get("code") if isinstance(error, dict) else data.get("code")
    retryable = response.status_code == 429 or response.status_code >= 500
    retryable = retryable or (provider == "meta" and code in _META_RETRYABLE)
    detail = f"{provider} HTTP {response.status_code}" + (f" code {code}" if code else "")
    return DeliveryError(detail, retryable=retryable)


class MetaSender:
    """WhatsApp Cloud API (Graph API messages endpoint)."""

    name = "meta"

    def __init__(
        self,
        *,
        phone_number_id: str,
        access_token: str,
        api_version: str,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.url = f"{META_GRAPH_BASE}/{api_version}/{phone_number_id}/messages"
        self._headers = {"Authorization": f"Bearer {access_token}"}
        self._client = client or httpx.AsyncClient(timeout=_HTTP_TIMEOUT)

    def request_body(self, to: str, reply: Reply, ref: str) -> dict[str, Any]:
        """The Graph API JSON for one reply."""
        body: dict[str, Any] = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to.removeprefix("+"),
            "biz_opaque_callback_data": ref,
        }
        if reply.kind == "template":
            template = {"name": reply.template, "language": {"code": reply.language or "en"}}
            return body | {"type": "template", "template": template}
        if reply.kind == "text":
            return body | {"type": "text", "text": {"body": reply.body, "preview_url": False}}
        if reply.kind == "buttons":
            buttons = [
                {"type": "reply", "reply": {"id": o.id, "title": o.title}} for o in reply.options
            ]
            action: dict[str, Any] = {"buttons": buttons}
        else:
            rows = [
                {"id": o.id, "title": o.title}
                | ({"description": o.description} if o.description else {})
                for o in reply.options
            ]
            action = {
                "button": reply.list_button,
                "sections": [{"title": reply.list_button, "rows": rows}],
            }
        interactive = {
            "type": "button" if reply.kind == "buttons" else "list",
            "body": {"text": reply.body},
            "action": action,
        }
        return body | {"type": "interactive", "interactive": interactive}

    async def send(self, to: str, reply: Reply, ref: str) -> str:
        """POST the message; the Graph API answers with its `wamid`."""
        response = await self._client.post(
            self.url, json=self.request_body(to, reply, ref), headers=self._headers
        )
        if not response.is_success:
            raise _failure(response, self.name)
        messages = response.json().get("messages") or [{}]
        return str(messages[0].get("id", ""))

    async def close(self) -> None:
        """Release connections."""
        await self._client.aclose()


class TwilioSender:
    """Twilio's Messages API for WhatsApp (`whatsapp:` addresses)."""

    name = "twilio"

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        sender: str,
        public_base_url: str,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.url = f"{TWILIO_API_BASE}/Accounts/{account_sid}/Messages.json"
        self._auth = httpx.BasicAuth(account_sid, auth_token)
        self._from = sender if sender.startswith("whatsapp:") else f"whatsapp:{sender}"
        self._status_url = public_base_url.rstrip("/") + TWILIO_STATUS_PATH
        self._client = client or httpx.AsyncClient(timeout=_HTTP_TIMEOUT)

    def form(self, to: str, reply: Reply, ref: str) -> dict[str, str]:
        """The Messages API form for one reply."""
        fields = {
            "From": self._from,
            "To": f"whatsapp:{to}",
            "StatusCallback": f"{self._status_url}?ref={ref}",
        }
        if reply.kind == "template":
            return fields | {"ContentSid": str(reply.template)}
        return fields | {"Body": reply.as_plain_text()}

    async def send(self, to: str, reply: Reply, ref: str) -> str:
        """POST the form; Twilio answers with the message's `sid`."""
        response = await self._client.post(
            self.url, data=self.form(to, reply, ref), auth=self._auth
        )
        if not response.is_success:
            raise _failure(response, self.name)
        return str(response.json().get("sid", ""))

    async def close(self) -> None:
        """Release connections."""
        await self._client.aclose()


class ConsoleSender:
    """Development: print the message as a user would read it."""

    name = "console"

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream

    async def send(self, to: str, reply: Reply, ref: str) -> str:
        """Print the message; the id is made from ours."""
        stream = self._stream or sys.stdout
        stream.write(f"[whatsapp to {to}] {reply.as_plain_text()}\n")
        stream.flush()
        return f"console-{ref}"

    async def close(self) -> None:
        """Nothing to release."""


class WhatsAppProvider:
    """The outbox's `whatsapp` provider: sends each message through the provider the user wrote
    through (when configured here), else the configured default."""

    name = "whatsapp"

    def __init__(self, senders: dict[str, Sender], default: str) -> None:
        if default not in senders:
            raise ConfigError(f"WHATSAPP_PROVIDER={default} is not configured")
        self.senders = senders
        self.default = default

    def sender_for(self, via: str) -> Sender:
        """The sender for replies to a message received through `via`."""
        return self.senders.get(via) or self.senders[self.default]

    async def send(self, message: OutboundMessage) -> str:
        """Deliver one outbox message, within the 24-hour window unless it is a template."""
        try:
            envelope = Envelope.loads(message.body)
        except (ValueError, KeyError) as exc:
            raise DeliveryError("not a WhatsApp message envelope", retryable=False) from exc
        reply = envelope.reply
        if reply.kind != "template" and _window_closed(envelope.window_until):
            raise DeliveryError(
                "outside WhatsApp's 24-hour window: only a template may be sent",
                retryable=False,
            )
        sender = self.sender_for(envelope.via)
        provider_id = await sender.send(message.to, reply, str(message.id))
        MESSAGES.labels("out", sender.name, reply.kind).inc()
        return provider_id

    async def close(self) -> None:
        """Release connections."""
        for sender in self.senders.values():
            await sender.close()


def _window_closed(window_until: str | None) -> bool:
    return window_until is not None and utcnow() >= datetime.fromisoformat(window_until)


def create_whatsapp_provider(settings: Settings) -> MessageProvider | None:
    """The `whatsapp` channel's provider from the settings: every sender with credentials, the
    console one outside production; None in production with the console provider (messages
    wait for a worker configured with a real one)."""
    whatsapp, sms = settings.whatsapp, settings.sms
    senders: dict[str, Sender] = {}
    if whatsapp.meta_access_token and whatsapp.meta_phone_number_id:
        senders["meta"] = MetaSender(
            phone_number_id=whatsapp.meta_phone_number_id,
            access_token=whatsapp.meta_access_token.get_secret_value(),
            api_version=whatsapp.meta_api_version,
        )
    if sms.twilio_account_sid and sms.twilio_auth_token and whatsapp.twilio_whatsapp_from:
        senders["twilio"] = TwilioSender(
            account_sid=sms.twilio_account_sid,
            auth_token=sms.twilio_auth_token.get_secret_value(),
            sender=whatsapp.twilio_whatsapp_from,
            public_base_url=settings.app.public_base_url,
        )
    if not settings.is_production:
        senders["console"] = ConsoleSender()
    if whatsapp.provider == "console" and settings.is_production:
        return None
    if whatsapp.provider not in senders:
        needs = {
            "meta": "WHATSAPP_META_ACCESS_TOKEN and WHATSAPP_META_PHONE_NUMBER_ID",
            "twilio": "TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_WHATSAPP_FROM",
        }
        raise ConfigError(f"WHATSAPP_PROVIDER={whatsapp.provider} needs {needs[whatsapp.provider]}")
    return WhatsAppProvider(senders, whatsapp.provider)
