"""Outbound message providers: the console (development) and Twilio SMS over its REST API.

The outbox worker (`shared/outbox.py`) is their only caller: a provider sends one message and
says whether a failure is worth retrying; the worker owns retries across time.
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TextIO

import httpx
import structlog

from msmebazaar.shared.config import ConfigError, Settings

logger = structlog.get_logger("msmebazaar.messaging")

TWILIO_API_BASE = "https://api.twilio.com/2010-04-01"
_HTTP_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


@dataclass(frozen=True)
class OutboundMessage:
    """One message to deliver: `template` is the provider's template id (DLT for Indian SMS)."""

    id: uuid.UUID
    channel: str
    to: str
    body: str
    template: str | None = None


class DeliveryError(Exception):
    """The provider did not accept the message; `retryable` says whether trying later may help."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


class MessageProvider(Protocol):
    name: str

    async def send(self, message: OutboundMessage) -> str:
        """Deliver one message; return the provider's id for it or raise `DeliveryError`."""

    async def close(self) -> None:
        """Release connections."""


class ConsoleProvider:
    """Development only: prints each message so a developer can read the code and sign in."""

    name = "console"

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream

    async def send(self, message: OutboundMessage) -> str:
        """Print the message to standard output."""
        stream = self._stream or sys.stdout
        stream.write(f"[{message.channel} to {message.to}] {message.body}\n")
        stream.flush()
        return f"console-{message.id}"

    async def close(self) -> None:
        """Nothing to release."""


class TwilioSmsProvider:
    """Twilio Programmable SMS: one form POST per message, retried briefly on 5xx and 429."""

    name = "twilio"

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        sender: str,
        dlt_template_id: str | None,
        client: httpx.AsyncClient | None = None,
        max_tries: int = 3,
        retry_delay_seconds: float = 0.5,
    ) -> None:
        self._url = f"{TWILIO_API_BASE}/Accounts/{account_sid}/Messages.json"
        self._sender = sender
        self._dlt_template_id = dlt_template_id
        self._client = client or httpx.AsyncClient(timeout=_HTTP_TIMEOUT)
        self._auth = httpx.BasicAuth(account_sid, auth_token)
        self._max_tries = max_tries
        self._retry_delay = retry_delay_seconds

    def form(self, message: OutboundMessage) -> dict[str, str]:
        """The form fields Twilio's Messages API expects for this message."""
        fields = {"To": message.to, "Body": message.body}
        # A Messaging Service SID (MG...) picks the sender itself; otherwise a number or header.
        fields["MessagingServiceSid" if self._sender.startswith("MG") else "From"] = self._sender
        # TRAI DLT template ids are numbers; a message's `template` is otherwise our own name
        # for it (`interest_received`), which the configured default id stands in for.
        own_id = message.template if message.template and message.template.isdigit() else None
        template = own_id or self._dlt_template_id
        if template:
            fields["DltTemplateId"] = template  # TRAI DLT: Indian carriers drop unregistered SMS
        return fields

    async def send(self, message: OutboundMessage) -> str:
        """POST the message; retry transport errors, 429 and 5xx a few times, never other 4xx."""
        failure = "not attempted"
        for attempt in range(self._max_tries):
            if attempt:
                await asyncio.sleep(self._retry_delay * 2 ** (attempt - 1))
            try:
                response = await self._client.post(
                    self._url, data=self.form(message), auth=self._auth
                )
            except httpx.TransportError as exc:
                failure = f"transport error {type(exc).__name__}"
                continue
            if response.is_success:
                return str(response.json().get("sid", ""))
            failure = _describe_failure(response)
            if response.status_code != 429 and response.status_code < 500:
                raise DeliveryError(failure, retryable=False)
            logger.warning("sms_provider_retry", provider=self.name, failure=failure)
        raise DeliveryError(failure, retryable=True)

    async def close(self) -> None:
        """Close the HTTP client."""
        await self._client.aclose()


def _describe_failure(response: httpx.Response) -> str:
    # Twilio's messages may quote the number; keep only the status and Twilio's error code.
    try:
        code = response.json().get("code")
    except ValueError:
        code = None
    return f"twilio HTTP {response.status_code}" + (f" code {code}" if code else "")


def create_sms_provider(settings: Settings) -> MessageProvider:
    """The configured SMS provider; the console one is refused in production."""
    sms = settings.sms
    if sms.provider == "console":
        if settings.is_production:
            raise ConfigError("SMS_PROVIDER=console prints codes; use twilio in production")
        return ConsoleProvider()
    if not (sms.twilio_account_sid and sms.twilio_auth_token and sms.twilio_sms_from):
        raise ConfigError(
            "SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_SMS_FROM"
        )
    return TwilioSmsProvider(
        account_sid=sms.twilio_account_sid,
        auth_token=sms.twilio_auth_token.get_secret_value(),
        sender=sms.twilio_sms_from,
        dlt_template_id=sms.dlt_template_id,
    )


ProviderFactory = Callable[[Settings], "MessageProvider | None"]
_channel_factories: dict[str, ProviderFactory] = {}


def register_channel(channel: str, factory: ProviderFactory) -> None:
    """Let a service build the provider of its own channel (whatsapp does, when imported): the
    kernel cannot import services. `factory` may return None: no provider in this process."""
    _channel_factories[channel] = factory


def create_providers(settings: Settings) -> dict[str, MessageProvider]:
    """Providers by channel: SMS, then each registered channel's; a channel without a provider
    keeps its messages queued for a worker that has one."""
    providers: dict[str, MessageProvider] = {"sms": create_sms_provider(settings)}
    for channel, factory in _channel_factories.items():
        if (provider := factory(settings)) is not None:
            providers[channel] = provider
    if (
        "whatsapp" not in providers
        and settings.whatsapp.provider == "console"
        and not settings.is_production
    ):
        providers["whatsapp"] = ConsoleProvider()
    return providers
