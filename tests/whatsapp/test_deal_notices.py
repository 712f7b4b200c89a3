"""Deal notices go where the user is (`whatsapp/deal_notices.py`): on WhatsApp while the user's
24-hour window is open (they wrote to us through a real provider), else by SMS; in their
language, with a link to the deal, never the message itself; nothing for a suspended user."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
from sqlalchemy import or_, select, update
from tests.auth.factories import Actor
from tests.msme.deal_flows import API, signed_deal

from msmebazaar.auth.models import User
from msmebazaar.shared.db import Database, utcnow
from msmebazaar.shared.outbox import OutboxMessage
from msmebazaar.whatsapp.messages import Envelope
from msmebazaar.whatsapp.models import Conversation, InboundMessage, OutboundMessage


async def _wrote_on_whatsapp(
    database: Database, phone: str, *, hours_ago: float, provider: str = "meta"
) -> None:
    """The phone wrote to us `hours_ago` through `provider` (its conversation records it)."""
    at = utcnow() - timedelta(hours=hours_ago)
    async with database.session() as session:
        session.add(
            Conversation(
                id=uuid.uuid4(), phone=phone, answers={}, history=[], version=1,
                last_inbound_at=at, created_at=at, updated_at=at,
            )
        )  # fmt: skip
        session.add(
            InboundMessage(
                provider=provider, provider_message_id=f"wamid.{uuid.uuid4().hex}", phone=phone,
                kind="text", text="Hi", received_at=at, status="processed", attempts=0,
            )
        )  # fmt: skip


async def _queued(database: Database, phone: str) -> list[tuple[str, str]]:
    """The deal notices queued to `phone`: (channel, body) each."""
    async with database.session() as session:
        rows = await session.execute(
            select(OutboxMessage.channel, OutboxMessage.body)
            .where(
                OutboxMessage.recipient == phone,
                or_(OutboxMessage.channel == "whatsapp", OutboxMessage.template.like("deal_%")),
            )
            .order_by(OutboxMessage.created_at)
        )
        return [(channel, body) for channel, body in rows]


async def _message(client: httpx.AsyncClient, deal_id: str, sender: Actor, body: str) -> None:
    sent = await client.post(
        f"{API}/deals/{deal_id}/messages", json={"body": body}, headers=sender.headers
    )
    assert sent.status_code == 201, sent.text


async def test_a_user_in_their_whatsapp_window_hears_there(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    deal_id = await signed_deal(client, database, owner, buyer)
    await _wrote_on_whatsapp(database, owner.phone, hours_ago=2)

    await _message(client, deal_id, buyer, "Could we visit the plant next week?")

    (sent,) = [item for item in await _queued(database, owner.phone) if item[0] == "whatsapp"]
    envelope = Envelope.loads(sent[1])
    assert envelope.via == "meta"
    assert f"/deals/{deal_id}" in envelope.reply.body
    assert "visit the plant" not in envelope.reply.body
    async with database.session() as session:
        recorded = await session.scalar(
            select(OutboundMessage.body).where(OutboundMessage.phone == owner.phone)
        )
    assert recorded == envelope.reply.body
    assert [c for c, _ in await _queued(database, owner.phone)].count("sms") == 0


async def test_a_closed_window_or_the_simulator_means_sms(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    deal_id = await signed_deal(client, database, owner, buyer)
    await _wrote_on_whatsapp(database, owner.phone, hours_ago=25)
    await _wrote_on_whatsapp(database, buyer.phone, hours_ago=1, provider="simulate")

    await _message(client, deal_id, buyer, "Hello")
    await _message(client, deal_id, owner, "Hello to you")

    for phone in (owner.phone, buyer.phone):
        channels = [channel for channel, _ in await _queued(database, phone)]
        assert "whatsapp" not in channels
        assert channels.count("sms") == 1


async def test_the_notice_is_in_the_users_language_and_none_reaches_a_suspended_user(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    deal_id = await signed_deal(client, database, owner, buyer)
    async with database.session() as session:
        await session.execute(update(User).where(User.id == owner.id).values(language="hi"))

    await _message(client, deal_id, buyer, "Namaste")
    async with database.session() as session:
        await session.execute(update(User).where(User.id == buyer.id).values(status="suspended"))
    await _message(client, deal_id, owner, "Namaste ji")

    (to_owner,) = [
        body for channel, body in await _queued(database, owner.phone) if channel == "sms"
    ]
    assert "नया संदेश" in to_owner
    assert [c for c, _ in await _queued(database, buyer.phone) if c == "sms"] == []
