"""Message providers: Twilio SMS against a mocked HTTP transport, and the console provider."""

from __future__ import annotations

import base64
import io
import uuid
from urllib.parse import parse_qs

import httpx
import pytest
import respx

from msmebazaar.shared.config import ConfigError, Environment, Settings, SmsSettings
from msmebazaar.shared.messaging import (
    TWILIO_API_BASE,
    ConsoleProvider,
    DeliveryError,
    OutboundMessage,
    TwilioSmsProvider,
    create_providers,
    create_sms_provider,
)

SID = "AC0123456789abcdef0123456789abcdef"
URL = f"{TWILIO_API_BASE}/Accounts/{SID}/Messages.json"
MESSAGE = OutboundMessage(
    id=uuid.uuid4(), channel="sms", to="+919876543210", body="123456 is your code."
)


def _provider(sender: str = "+15005550006") -> TwilioSmsProvider:
    return TwilioSmsProvider(
        account_sid=SID,
        auth_token="secret-token",
        sender=sender,
        dlt_template_id="1107160000000000001",
        retry_delay_seconds=0,
    )


def _form(request: httpx.Request) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(request.content.decode()).items()}


@respx.mock
async def test_twilio_posts_the_message_form_with_basic_auth() -> None:
    route = respx.post(URL).mock(return_value=httpx.Response(201, json={"sid": "SM123"}))

    provider_id = await _provider().send(MESSAGE)

    assert provider_id == "SM123"
    request = route.calls.last.request
    assert _form(request) == {
        "To": "+919876543210",
        "From": "+15005550006",
        "Body": "123456 is your code.",
        "DltTemplateId": "1107160000000000001",
    }
    expected = base64.b64encode(f"{SID}:secret-token".encode()).decode()
    assert request.headers["Authorization"] == f"Basic {expected}"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"


@respx.mock
async def test_twilio_uses_a_messaging_service_when_the_sender_is_one() -> None:
    route = respx.post(URL).mock(return_value=httpx.Response(201, json={"sid": "SM1"}))

    await _provider(sender="MG0123456789abcdef0123456789abcdef").send(MESSAGE)

    form = _form(route.calls.last.request)
    assert form["MessagingServiceSid"].startswith("MG")
    assert "From" not in form


@respx.mock
async def test_twilio_message_template_overrides_the_default_dlt_id() -> None:
    route = respx.post(URL).mock(return_value=httpx.Response(201, json={"sid": "SM1"}))
    message = OutboundMessage(
        id=uuid.uuid4(), channel="sms", to="+919876543210", body="b", template="42"
    )

    await _provider().send(message)

    assert _form(route.calls.last.request)["DltTemplateId"] == "42"


@respx.mock
async def test_our_own_name_for_a_message_is_never_sent_as_a_dlt_id() -> None:
    route = respx.post(URL).mock(return_value=httpx.Response(201, json={"sid": "SM1"}))
    message = OutboundMessage(
        id=uuid.uuid4(), channel="sms", to="+919876543210", body="b", template="new_match"
    )

    await _provider().send(message)

    assert _form(route.calls.last.request)["DltTemplateId"] == "1107160000000000001"


@respx.mock
async def test_twilio_retries_a_5xx_then_succeeds() -> None:
    route = respx.post(URL).mock(
        side_effect=[httpx.Response(503), httpx.Response(201, json={"sid": "SM9"})]
    )

    provider_id = await _provider().send(MESSAGE)

    assert provider_id == "SM9"
    assert route.call_count == 2


@respx.mock
async def test_twilio_does_not_retry_a_4xx() -> None:
    route = respx.post(URL).mock(
        return_value=httpx.Response(400, json={"code": 21211, "message": "Invalid 'To'"})
    )

    with pytest.raises(DeliveryError) as caught:
        await _provider().send(MESSAGE)

    assert route.call_count == 1
    assert caught.value.retryable is False
    assert "21211" in str(caught.value)
    assert "+91" not in str(caught.value)


@respx.mock
async def test_twilio_gives_up_retryably_after_repeated_5xx() -> None:
    route = respx.post(URL).mock(return_value=httpx.Response(500))

    with pytest.raises(DeliveryError) as caught:
        await _provider().send(MESSAGE)

    assert route.call_count == 3
    assert caught.value.retryable is True


@respx.mock
async def test_twilio_retries_a_transport_error() -> None:
    route = respx.post(URL).mock(
        side_effect=[httpx.ConnectError("down"), httpx.Response(201, json={"sid": "SM2"})]
    )

    assert await _provider().send(MESSAGE) == "SM2"
    assert route.call_count == 2


@respx.mock
async def test_twilio_retries_429() -> None:
    route = respx.post(URL).mock(
        side_effect=[httpx.Response(429), httpx.Response(201, json={"sid": "SM3"})]
    )

    assert await _provider().send(MESSAGE) == "SM3"
    assert route.call_count == 2


async def test_console_provider_prints_the_message() -> None:
    stream = io.StringIO()

    await ConsoleProvider(stream).send(MESSAGE)

    assert stream.getvalue() == "[sms to +919876543210] 123456 is your code.\n"


def test_console_sms_is_the_development_default() -> None:
    assert isinstance(create_sms_provider(Settings()), ConsoleProvider)


def test_console_sms_is_refused_in_production() -> None:
    settings = Settings()
    settings.app.environment = Environment.PRODUCTION

    with pytest.raises(ConfigError):
        create_sms_provider(settings)


def test_twilio_without_credentials_is_a_config_error() -> None:
    settings = Settings(sms=SmsSettings(provider="twilio"))

    with pytest.raises(ConfigError, match="TWILIO_ACCOUNT_SID"):
        create_sms_provider(settings)


def test_twilio_is_built_from_settings() -> None:
    sms = SmsSettings(
        provider="twilio",
        twilio_account_sid=SID,
        twilio_auth_token="t",
        twilio_sms_from="+15005550006",
    )

    providers = create_providers(Settings(sms=sms))

    assert isinstance(providers["sms"], TwilioSmsProvider)
