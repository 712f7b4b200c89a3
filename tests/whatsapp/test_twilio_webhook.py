"""The Twilio webhook and status callback: Twilio's own signatures over the public URL."""

from __future__ import annotations

from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import func, select
from tests.whatsapp.helpers import (
    PUBLIC_BASE_URL,
    TWILIO,
    TWILIO_STATUS,
    TWILIO_TOKEN,
    TwilioChat,
    post_twilio,
    replies_to,
    twilio_message,
)
from twilio.request_validator import RequestValidator

from msmebazaar.shared.db import Database
from msmebazaar.whatsapp.models import InboundMessage, OutboundMessage
from msmebazaar.whatsapp.signatures import twilio_signature


async def _stored(database: Database) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(InboundMessage)) or 0)


def test_our_signature_is_twilios() -> None:
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+12349013030",
        "Digits": "1234",
        "From": "+12349013030",
        "To": "+18005551212",
    }

    ours = twilio_signature("12345", url, list(params.items()))

    assert ours == RequestValidator("12345").compute_signature(url, params)
    assert ours == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="  # Twilio's documented example


def test_repeated_fields_are_signed_like_twilio_signs_them() -> None:
    fields = [("To", "a"), ("Body", "x"), ("Body", "a")]

    ours = twilio_signature(TWILIO_TOKEN, PUBLIC_BASE_URL, fields)

    assert ours == twilio_signature(TWILIO_TOKEN, PUBLIC_BASE_URL, sorted(fields))


async def test_a_message_signed_for_the_public_url_is_accepted_behind_the_proxy(
    client: httpx.AsyncClient, database: Database, phone: str
) -> None:
    form = twilio_message(phone, "Hi")

    response = await post_twilio(client, form)  # signed for PUBLIC_BASE_URL, sent to testserver

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert response.text.endswith("<Response></Response>")
    replies = await replies_to(database, "twilio", form["MessageSid"])
    assert [o.id for o in replies[0].options] == ["lang:en", "lang:hi"]


@pytest.mark.parametrize(
    "signature", [None, "", "bm90IGEgc2lnbmF0dXJl"], ids=["missing", "empty", "wrong"]
)
async def test_a_missing_or_wrong_signature_is_403(
    client: httpx.AsyncClient, database: Database, phone: str, signature: str | None
) -> None:
    response = await post_twilio(client, twilio_message(phone, "Hi"), signature=signature)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "WEBHOOK_SIGNATURE_INVALID"
    assert await _stored(database) == 0


async def test_a_signature_for_the_internal_url_is_refused(
    client: httpx.AsyncClient, database: Database, phone: str
) -> None:
    form = twilio_message(phone, "Hi")
    internal = RequestValidator(TWILIO_TOKEN).compute_signature(f"http://testserver{TWILIO}", form)

    response = await post_twilio(client, form, signature=internal)

    assert response.status_code == 403
    assert await _stored(database) == 0


async def test_a_changed_field_breaks_the_signature(
    client: httpx.AsyncClient, database: Database, phone: str
) -> None:
    form = twilio_message(phone, "Hi")
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(PUBLIC_BASE_URL + TWILIO, form)

    response = await post_twilio(client, form | {"Body": "restart"}, signature=signature)

    assert response.status_code == 403


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"Body": "Hi"},
        {"From": "+919800000000", "MessageSid": "SM1", "Body": "sms, not whatsapp"},
    ],
    ids=["empty", "no-sender", "not-whatsapp"],
)
async def test_a_signed_form_without_a_whatsapp_message_is_400(
    client: httpx.AsyncClient, database: Database, form: dict[str, str]
) -> None:
    response = await post_twilio(client, form)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "WEBHOOK_PAYLOAD_INVALID"
    assert await _stored(database) == 0


async def test_a_body_that_is_not_a_form_is_refused_without_a_500(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        TWILIO, content=b"\xff\xfe\x00", headers={"X-Twilio-Signature": "x"}
    )

    assert response.status_code in {400, 403}
    assert response.json()["success"] is False


async def test_a_retried_message_is_handled_once(
    client: httpx.AsyncClient, database: Database, phone: str
) -> None:
    form = twilio_message(phone, "Hi", sid="SMretry0001")

    await post_twilio(client, form)
    again = await post_twilio(client, form)

    assert again.status_code == 200
    assert await _stored(database) == 1
    assert len(await replies_to(database, "twilio", "SMretry0001")) == 1


async def test_media_without_text_asks_the_user_to_type(
    twilio_chat: TwilioChat, client: httpx.AsyncClient, database: Database, phone: str
) -> None:
    await twilio_chat.say("Hi")
    form = twilio_message(phone, "", NumMedia="1", MediaContentType0="image/jpeg")

    await post_twilio(client, form)

    replies = await replies_to(database, "twilio", form["MessageSid"])
    assert "text and button replies only" in replies[0].body


async def test_a_quick_reply_button_payload_is_read_as_the_option(
    twilio_chat: TwilioChat, client: httpx.AsyncClient, database: Database, phone: str
) -> None:
    await twilio_chat.say("Hi")
    form = twilio_message(phone, "हिन्दी", ButtonPayload="lang:hi", ButtonText="हिन्दी")

    await post_twilio(client, form)

    replies = await replies_to(database, "twilio", form["MessageSid"])
    assert "आप MSMEBazaar पर क्या करना चाहते हैं?" in replies[0].body


async def test_status_callbacks_are_recorded_on_our_message(
    twilio_chat: TwilioChat, client: httpx.AsyncClient, database: Database, phone: str
) -> None:
    await twilio_chat.say("Hi")
    async with database.session() as session:
        reply = (await session.scalars(select(OutboundMessage))).one()
    path = f"{TWILIO_STATUS}?{urlencode({'ref': str(reply.outbox_id)})}"
    base = {"MessageSid": "SMout0001", "AccountSid": "AC1", "To": f"whatsapp:{phone}"}

    for status in ("sent", "delivered", "read"):
        response = await post_twilio(client, base | {"MessageStatus": status}, path=path)
        assert response.status_code == 200

    async with database.session() as session:
        recorded = (await session.scalars(select(OutboundMessage))).one()
    assert (recorded.status, recorded.provider_message_id) == ("read", "SMout0001")


async def test_an_undelivered_status_is_recorded_as_failed_with_twilios_code(
    twilio_chat: TwilioChat, client: httpx.AsyncClient, database: Database
) -> None:
    await twilio_chat.say("Hi")
    async with database.session() as session:
        reply = (await session.scalars(select(OutboundMessage))).one()
    path = f"{TWILIO_STATUS}?ref={reply.outbox_id}"
    form = {"MessageSid": "SMout0002", "MessageStatus": "undelivered", "ErrorCode": "63016"}

    response = await post_twilio(client, form, path=path)

    assert response.status_code == 200
    async with database.session() as session:
        recorded = (await session.scalars(select(OutboundMessage))).one()
    assert (recorded.status, recorded.error) == ("failed", "twilio 63016")


async def test_an_unsigned_status_callback_is_403(client: httpx.AsyncClient) -> None:
    response = await post_twilio(
        client, {"MessageSid": "SM1", "MessageStatus": "read"}, path=TWILIO_STATUS, signature=None
    )

    assert response.status_code == 403
