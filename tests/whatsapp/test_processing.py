"""Nothing received is lost or handled twice: the sweep, failed handling, concurrent handlers,
and the simulator's absence in production."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from tests.whatsapp.conftest import whatsapp_settings
from tests.whatsapp.helpers import SIMULATE, TwilioChat, new_mobile, post_twilio, twilio_message

from msmebazaar.app import create_app
from msmebazaar.shared.cache import Cache, MemoryCache
from msmebazaar.shared.config import Environment, Settings
from msmebazaar.shared.db import Database, utcnow
from msmebazaar.shared.outbox import OutboxMessage
from msmebazaar.shared.ratelimit import RateLimiter
from msmebazaar.shared.runtime import Runtime
from msmebazaar.whatsapp import processing
from msmebazaar.whatsapp.models import Conversation, InboundMessage, OutboundMessage
from msmebazaar.whatsapp.service import sweep


async def _inbound(database: Database, phone: str, text: str, **fields: object) -> uuid.UUID:
    message_id = uuid.uuid4()
    values: dict[str, object] = {
        "id": message_id, "provider": "twilio", "provider_message_id": f"SM{message_id.hex}",
        "phone": phone, "kind": "text", "text": text, "received_at": utcnow(),
        "status": "pending", "attempts": 0, **fields,
    }  # fmt: skip
    async with database.session() as session:
        session.add(InboundMessage(**values))
    return message_id


async def _message(database: Database, message_id: uuid.UUID) -> InboundMessage:
    async with database.session() as session:
        message = await session.get(InboundMessage, message_id)
        assert message is not None
        return message


async def test_the_sweep_answers_messages_left_unhandled(
    database: Database, cache: Cache, settings: Settings, phone: str
) -> None:
    first = await _inbound(database, phone, "Hi", received_at=utcnow() - timedelta(minutes=2))
    second = await _inbound(database, phone, "2", received_at=utcnow() - timedelta(minutes=1))
    fresh = await _inbound(database, new_mobile(), "Hi")
    runtime = Runtime.build(settings, database=database, cache=cache)

    assert await sweep(runtime, older_than=timedelta(seconds=30)) == 1

    assert (await _message(database, first)).status == "processed"
    assert (await _message(database, second)).status == "processed"
    assert (await _message(database, fresh)).status == "pending"  # the background task's
    async with database.session() as session:
        language = await session.scalar(
            select(Conversation.language).where(Conversation.phone == phone)
        )
    assert language == "hi"  # the messages were answered in the order received


async def test_a_failed_handling_keeps_the_message_and_later_ones_for_the_sweep(
    database: Database,
    cache: Cache,
    settings: Settings,
    phone: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = await _inbound(database, phone, "Hi")
    second = await _inbound(database, phone, "1")
    runtime = Runtime.build(settings, database=database, cache=cache)

    async def broken(*_: object) -> list[object]:
        raise RuntimeError("engine bug")

    monkeypatch.setattr(processing, "handle", broken)
    await processing.handle_pending(runtime, phone)
    failed = await _message(database, first)
    monkeypatch.undo()
    await sweep(runtime, older_than=timedelta(0))

    assert (failed.status, failed.attempts, failed.last_error) == ("pending", 1, "RuntimeError")
    assert (await _message(database, first)).status == "processed"
    assert (await _message(database, second)).status == "processed"


async def test_after_the_last_try_the_message_is_given_up_and_the_user_told(
    database: Database,
    cache: Cache,
    settings: Settings,
    phone: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    message_id = await _inbound(database, phone, "Hi", attempts=processing.MAX_ATTEMPTS - 1)

    async def broken(*_: object) -> list[object]:
        raise RuntimeError("engine bug")

    monkeypatch.setattr(processing, "handle", broken)
    await processing.handle_pending(Runtime.build(settings, database=database, cache=cache), phone)

    message = await _message(database, message_id)
    assert (message.status, message.attempts) == ("failed", processing.MAX_ATTEMPTS)
    async with database.session() as session:
        (reply,) = (await session.scalars(select(OutboundMessage))).all()
        conversation = await session.scalar(select(Conversation).where(Conversation.phone == phone))
    assert reply.body.startswith("Sorry, something went wrong on our side")
    assert reply.status == "queued"
    assert conversation is not None
    assert conversation.step is None  # the conversation did not move


async def test_the_webhook_answers_before_handling_and_a_crash_loses_nothing(
    *,
    client: httpx.AsyncClient,
    database: Database,
    cache: Cache,
    settings: Settings,
    phone: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def crashed(*_: object) -> None:  # the process died right after answering
        return None

    monkeypatch.setattr(processing, "handle_pending", crashed)
    monkeypatch.setattr("msmebazaar.whatsapp.service.handle_in_background", crashed)
    response = await post_twilio(client, twilio_message(phone, "Hi"))
    monkeypatch.undo()
    async with database.session() as session:
        pending = await session.scalar(
            select(func.count()).where(InboundMessage.status == "pending")
        )

    await sweep(Runtime.build(settings, database=database, cache=cache), older_than=timedelta(0))

    assert response.status_code == 200
    assert pending == 1
    async with database.session() as session:
        replies = await session.scalar(select(func.count()).select_from(OutboundMessage))
    assert replies == 1


@pytest.fixture
async def committed(engine: AsyncEngine) -> AsyncIterator[tuple[Database, str]]:
    """A database whose units of work really commit (as two app processes see it), cleaned after."""
    database, phone = Database(engine), new_mobile()
    yield database, phone
    async with database.session() as session:
        for model in (OutboundMessage, InboundMessage, Conversation):
            await session.execute(delete(model).where(model.phone == phone))
        await session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == phone))


async def test_two_handlers_never_answer_one_message_twice(
    committed: tuple[Database, str], settings: Settings
) -> None:
    database, phone = committed
    for text in ("Hi", "1", "1"):
        await _inbound(database, phone, text)
    runtime = Runtime.build(settings, database=database, cache=MemoryCache())

    await asyncio.gather(*(processing.handle_pending(runtime, phone) for _ in range(3)))

    async with database.session() as session:
        replies = await session.scalar(select(func.count()).where(OutboundMessage.phone == phone))
        conversation = await session.scalar(select(Conversation).where(Conversation.phone == phone))
    assert replies == 3
    assert conversation is not None
    assert (conversation.step, conversation.language) == ("name", "en")


async def test_the_simulator_does_not_exist_in_production(
    settings: Settings, database: Database, cache: Cache, rate_limiter: RateLimiter, phone: str
) -> None:
    production = settings.model_copy(deep=True)
    production.app.environment = Environment.PRODUCTION
    production.whatsapp = whatsapp_settings(sweep_seconds=0)
    app = create_app(
        production, ["whatsapp"], database=database, cache=cache, rate_limiter=rate_limiter
    )
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            response = await http.post(SIMULATE, json={"from": phone, "text": "Hi"})
            schema = (await http.get("/openapi.json")).json()

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"
    assert SIMULATE not in schema["paths"]
    assert "/api/v1/whatsapp/webhook" in schema["paths"]


async def test_the_simulator_records_replies_but_never_sends_them(
    twilio_chat: TwilioChat, client: httpx.AsyncClient, database: Database, phone: str
) -> None:
    await twilio_chat.say("Hi")  # a real conversation on this phone

    response = await client.post(SIMULATE, json={"from": phone, "text": "English"})

    assert response.status_code == 200
    assert response.json()["data"]["step"] == "role"
    async with database.session() as session:
        statuses = list(
            await session.scalars(
                select(OutboundMessage.status).order_by(OutboundMessage.created_at)
            )
        )
        queued = await session.scalar(select(func.count()).select_from(OutboxMessage))
    assert statuses == ["queued", "simulated"]
    assert queued == 1
