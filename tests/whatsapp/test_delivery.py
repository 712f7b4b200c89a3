"""Outbound: replies go through the outbox to the Graph API or Twilio (mocked with respx), within
WhatsApp's 24-hour window, and providers are built from the settings."""

from __future__ import annotations

import importlib
import io
import json
import uuid
from datetime import timedelta
from urllib.parse import parse_qs

import httpx
import pytest
import respx
from sqlalchemy import select
from tests.whatsapp.conftest import whatsapp_settings
from tests.whatsapp.helpers import (
    META_ACCESS_TOKEN,
    META_PHONE_NUMBER_ID,
    PUBLIC_BASE_URL,
    TWILIO_SID,
    MetaChat,
    TwilioChat,
)

from msmebazaar.shared.cache import Cache
from msmebazaar.shared.config import ConfigError, Environment, Settings
from msmebazaar.shared.db import Database, utcnow
from msmebazaar.shared.messaging import (
    TWILIO_API_BASE,
    DeliveryError,
    OutboundMessage,
    create_providers,
)
from msmebazaar.shared.metrics import REGISTRY
from msmebazaar.shared.outbox import OutboxMessage, OutboxWorker
from msmebazaar.shared.runtime import Runtime
from msmebazaar.whatsapp.messages import Envelope, Option, Reply
from msmebazaar.whatsapp.models import InboundMessage
from msmebazaar.whatsapp.models import OutboundMessage as SentReply
from msmebazaar.whatsapp.providers import (
    ConsoleSender,
    MetaSender,
    WhatsAppProvider,
    create_whatsapp_provider,
)
from msmebazaar.whatsapp.service import sweep

GRAPH = f"https://graph.facebook.com/v23.0/{META_PHONE_NUMBER_ID}/messages"
TWILIO_MESSAGES = f"{TWILIO_API_BASE}/Accounts/{TWILIO_SID}/Messages.json"


def _sent(provider: str, kind: str) -> float:
    labels = {"direction": "out", "provider": provider, "type": kind}
    return REGISTRY.get_sample_value("whatsapp_messages_total", labels) or 0.0


async def _deliver(database: Database, settings: Settings) -> int:
    worker = OutboxWorker(database, create_providers(settings), settings.outbox)
    try:
        return await worker.run_once()
    finally:
        for provider in worker.providers.values():
            await provider.close()


async def _outbox(database: Database) -> list[OutboxMessage]:
    async with database.session() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.created_at)))


@respx.mock
async def test_a_reply_reaches_the_graph_api_as_reply_buttons_with_our_reference(
    meta_chat: MetaChat, database: Database, settings: Settings, phone: str
) -> None:
    route = respx.post(GRAPH).mock(
        return_value=httpx.Response(200, json={"messages": [{"id": "wamid.OUT1"}]})
    )
    before = _sent("meta", "buttons")
    await meta_chat.say("Hi")

    assert await _deliver(database, settings) == 1

    request = route.calls.last.request
    body = json.loads(request.content)
    (queued,) = await _outbox(database)
    assert request.headers["Authorization"] == f"Bearer {META_ACCESS_TOKEN}"
    assert body["to"] == phone.removeprefix("+")
    assert body["biz_opaque_callback_data"] == str(queued.id)
    assert body["type"] == "interactive"
    assert body["interactive"]["type"] == "button"
    buttons = body["interactive"]["action"]["buttons"]
    assert [b["reply"] for b in buttons] == [
        {"id": "lang:en", "title": "English"},
        {"id": "lang:hi", "title": "हिन्दी"},
    ]
    assert (queued.status, queued.provider_message_id) == ("sent", "wamid.OUT1")
    assert _sent("meta", "buttons") == before + 1


@respx.mock
async def test_the_sector_question_is_a_list_message_of_ten_rows(
    meta_chat: MetaChat, database: Database, settings: Settings
) -> None:
    route = respx.post(GRAPH).mock(
        return_value=httpx.Response(200, json={"messages": [{"id": "wamid.X"}]})
    )
    await meta_chat.say("Hi")
    await meta_chat.tap("lang:en")
    await meta_chat.tap("role:msme_owner")
    await meta_chat.say("Asha Textiles")
    await meta_chat.tap("skip")
    await meta_chat.say("space mining")  # a business we cannot place: the whole list
    async with database.session() as session:  # deliver only the last reply
        for message in (await session.scalars(select(OutboxMessage))).all()[:-1]:
            message.status = "sent"

    await _deliver(database, settings)

    interactive = json.loads(route.calls.last.request.content)["interactive"]
    rows = interactive["action"]["sections"][0]["rows"]
    assert interactive["type"] == "list"
    assert interactive["action"]["button"] == "Choose sector"
    assert len(rows) == 10
    assert all(len(row["title"]) <= 24 for row in rows)
    assert rows[8]["description"] == "Furniture and Wood Products"


@respx.mock
async def test_a_reply_to_a_twilio_sender_goes_through_twilio_with_a_status_callback(
    twilio_chat: TwilioChat, database: Database, settings: Settings, phone: str
) -> None:
    route = respx.post(TWILIO_MESSAGES).mock(
        return_value=httpx.Response(201, json={"sid": "SMout1"})
    )
    await twilio_chat.say("Hi")

    await _deliver(database, settings)

    form = {k: v[0] for k, v in parse_qs(route.calls.last.request.content.decode()).items()}
    (queued,) = await _outbox(database)
    assert form["From"] == "whatsapp:+14155238886"
    assert form["To"] == f"whatsapp:{phone}"
    assert form["Body"].endswith("1. English\n2. हिन्दी")
    assert form["StatusCallback"] == (
        f"{PUBLIC_BASE_URL}/api/v1/whatsapp/twilio/status?ref={queued.id}"
    )
    assert queued.provider_message_id == "SMout1"


@respx.mock
async def test_a_graph_api_outage_keeps_the_reply_queued_for_later(
    meta_chat: MetaChat, database: Database, settings: Settings
) -> None:
    respx.post(GRAPH).mock(return_value=httpx.Response(503, json={"error": {"code": 2}}))
    await meta_chat.say("Hi")

    await _deliver(database, settings)

    (queued,) = await _outbox(database)
    assert (queued.status, queued.attempts) == ("pending", 1)
    assert queued.last_error == "meta HTTP 503 code 2"


async def _stale_message(database: Database, phone: str) -> None:
    """A message received 25 hours ago and never handled (the app died)."""
    async with database.session() as session:
        session.add(
            InboundMessage(
                provider="meta", provider_message_id=f"wamid.{uuid.uuid4().hex}", phone=phone,
                kind="text", text="Hi", received_at=utcnow() - timedelta(hours=25),
                status="pending", attempts=0,
            )
        )  # fmt: skip


async def _replies(database: Database, phone: str) -> list[SentReply]:
    async with database.session() as session:
        return list(await session.scalars(select(SentReply).where(SentReply.phone == phone)))


async def test_outside_the_24_hour_window_only_the_configured_template_is_sent(
    database: Database, cache: Cache, settings: Settings, phone: str
) -> None:
    settings.whatsapp = whatsapp_settings(template_name="msmebazaar_continue")
    await _stale_message(database, phone)

    await sweep(Runtime.build(settings, database=database, cache=cache), older_than=timedelta(0))

    (reply,) = await _replies(database, phone)
    (queued,) = await _outbox(database)
    assert (reply.kind, reply.status) == ("template", "queued")
    envelope = Envelope.loads(queued.body)
    assert (envelope.reply.template, envelope.reply.language) == ("msmebazaar_continue", "en")
    sender = MetaSender(phone_number_id="1", access_token="t", api_version="v23.0")
    body = sender.request_body(phone, envelope.reply, "ref")
    await sender.close()
    assert body["template"] == {"name": "msmebazaar_continue", "language": {"code": "en"}}


async def test_outside_the_window_without_a_template_nothing_is_sent(
    database: Database, cache: Cache, settings: Settings, phone: str
) -> None:
    await _stale_message(database, phone)

    await sweep(Runtime.build(settings, database=database, cache=cache), older_than=timedelta(0))

    (reply,) = await _replies(database, phone)
    assert (reply.status, reply.error) == ("not_sent", "outside the 24-hour window")
    assert await _outbox(database) == []


def _outbound(reply: Reply, *, window_until: str | None, via: str = "console") -> OutboundMessage:
    body = Envelope(reply, via, window_until).dumps()
    return OutboundMessage(id=uuid.uuid4(), channel="whatsapp", to="+919800000001", body=body)


async def test_the_provider_refuses_free_form_text_once_the_window_has_closed() -> None:
    stream = io.StringIO()
    provider = WhatsAppProvider({"console": ConsoleSender(stream)}, "console")
    closed = (utcnow() - timedelta(minutes=1)).isoformat()

    with pytest.raises(DeliveryError) as refused:
        await provider.send(_outbound(Reply.text("Hello"), window_until=closed))
    await provider.send(_outbound(Reply.approved_template("t1", "hi"), window_until=closed))

    assert refused.value.retryable is False
    assert "24-hour window" in str(refused.value)
    assert stream.getvalue() == "[whatsapp to +919800000001] [template t1 (hi)]\n"


async def test_the_console_shows_options_numbered() -> None:
    stream = io.StringIO()
    provider = WhatsAppProvider({"console": ConsoleSender(stream)}, "console")
    reply = Reply.buttons("Pick one", [Option("a", "Alpha"), Option("b", "Beta")])

    provider_id = await provider.send(_outbound(reply, window_until=None))

    assert provider_id.startswith("console-")
    assert stream.getvalue() == "[whatsapp to +919800000001] Pick one\n\n1. Alpha\n2. Beta\n"


async def test_a_body_that_is_not_ours_is_not_retried() -> None:
    provider = WhatsAppProvider({"console": ConsoleSender(io.StringIO())}, "console")
    message = OutboundMessage(id=uuid.uuid4(), channel="whatsapp", to="+91", body="plain")

    with pytest.raises(DeliveryError) as refused:
        await provider.send(message)

    assert refused.value.retryable is False


@respx.mock
@pytest.mark.parametrize(
    ("status", "code", "retryable"),
    [
        (400, 131047, False),
        (400, 131026, False),
        (429, 130429, True),
        (500, 1, True),
        (400, 130429, True),
    ],
)
async def test_graph_api_failures_say_whether_to_retry(
    status: int, code: int, retryable: bool
) -> None:
    respx.post("https://graph.facebook.com/v23.0/1/messages").mock(
        return_value=httpx.Response(
            status, json={"error": {"code": code, "message": "+919800000001"}}
        )
    )
    sender = MetaSender(phone_number_id="1", access_token="t", api_version="v23.0")

    with pytest.raises(DeliveryError) as failed:
        await sender.send("+919800000001", Reply.text("Hi"), "ref")
    await sender.close()

    assert failed.value.retryable is retryable
    assert "9800000001" not in str(failed.value)


def test_the_console_provider_is_the_development_default(settings: Settings) -> None:
    settings.whatsapp = whatsapp_settings(meta_access_token=None, twilio_whatsapp_from=None)

    provider = create_whatsapp_provider(settings)

    assert isinstance(provider, WhatsAppProvider)
    assert (provider.default, set(provider.senders)) == ("console", {"console"})


def test_replies_go_back_through_the_provider_the_user_wrote_through(settings: Settings) -> None:
    provider = create_whatsapp_provider(settings)

    assert isinstance(provider, WhatsAppProvider)
    assert provider.sender_for("meta").name == "meta"
    assert provider.sender_for("twilio").name == "twilio"
    assert provider.sender_for("simulate").name == "console"


def test_production_without_a_real_provider_leaves_messages_queued(settings: Settings) -> None:
    settings.app.environment = Environment.PRODUCTION

    assert create_whatsapp_provider(settings) is None


@pytest.mark.parametrize(
    ("chosen", "variable"),
    [("meta", "WHATSAPP_META_ACCESS_TOKEN"), ("twilio", "TWILIO_WHATSAPP_FROM")],
)
def test_a_chosen_provider_without_credentials_is_a_config_error(
    settings: Settings, chosen: str, variable: str
) -> None:
    settings.whatsapp = whatsapp_settings(
        provider=chosen, meta_access_token=None, twilio_whatsapp_from=None
    )

    with pytest.raises(ConfigError, match=variable):
        create_whatsapp_provider(settings)


def test_the_outbox_gets_the_whatsapp_provider_from_this_service(settings: Settings) -> None:
    # The service registers its channel when loaded (as every app and worker does); load it
    # here too, so the test does not depend on another test having built an app first.
    importlib.import_module("msmebazaar.whatsapp.api")

    providers = create_providers(settings)

    assert isinstance(providers["whatsapp"], WhatsAppProvider)
