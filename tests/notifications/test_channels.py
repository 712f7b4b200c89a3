"""Where a notification goes besides the inbox: by default SMS (or WhatsApp inside the user's
24-hour window, instead of the SMS) and email to the account's address; what the user turned
off, nothing; in quiet hours (22:00-08:00 India time) held until 08:00; a new match at most once a
day per mandate and channel; nothing to a suspended user."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update

from msmebazaar.auth.models import User
from msmebazaar.msme.models import Listing
from msmebazaar.msme.service import ListingChanged
from msmebazaar.notifications import delivery
from msmebazaar.shared.db import Database, utcnow
from msmebazaar.shared.events import publish
from msmebazaar.whatsapp.messages import Envelope
from msmebazaar.whatsapp.models import Conversation, InboundMessage
from tests.auth.factories import Actor
from tests.match.factories import MANDATES, active_listing, mandate_payload
from tests.notifications.conftest import india
from tests.notifications.helpers import (
    API,
    NOTIFICATIONS,
    listing_of,
    queued,
    send_interest,
    stored,
)


async def _wrote_on_whatsapp(database: Database, phone: str, *, hours_ago: float) -> None:
    """The phone wrote to us through Meta `hours_ago` (its conversation records it)."""
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
                provider="meta", provider_message_id=f"wamid.{uuid.uuid4().hex}", phone=phone,
                kind="text", text="Hi", received_at=at, status="processed", attempts=0,
            )
        )  # fmt: skip


async def _set_email(client: httpx.AsyncClient, actor: Actor, email: str) -> None:
    response = await client.patch(f"{API}/auth/me", json={"email": email}, headers=actor.headers)
    assert response.status_code == 200, response.text


async def test_by_default_the_owner_gets_an_sms_and_an_email_with_the_link(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    await _set_email(client, owner, "asha@example.in")
    await send_interest(client, await listing_of(database, owner), buyer)

    [sms] = await queued(database, owner.phone, "sms")
    [email] = await queued(database, "asha@example.in", "email")
    assert sms.template == "interest_received"
    assert sms.body.startswith("MSMEBazaar: A buyer is interested")
    assert sms.body.endswith("http://127.0.0.1:8000/my/interests")
    content = json.loads(email.body)
    assert content["subject"] == "New interest in your listing"
    assert content["link"] == "http://127.0.0.1:8000/my/interests"
    assert content["preferences"].endswith("/notifications/preferences")
    assert sms.next_attempt_at <= utcnow()  # daytime: not held


async def test_a_channel_turned_off_sends_nothing_there_and_the_inbox_still_fills(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    await _set_email(client, owner, "asha@example.in")
    off = {"kinds": {"interest_received": {"sms": False, "whatsapp": False, "email": False}}}
    changed = await client.patch(f"{NOTIFICATIONS}/preferences", json=off, headers=owner.headers)
    assert changed.status_code == 200, changed.text

    await send_interest(client, await listing_of(database, owner), buyer)

    assert await queued(database, owner.phone) == []
    assert await queued(database, "asha@example.in") == []
    assert [n.kind for n in await stored(database, owner.id)] == ["interest_received"]


async def test_whatsapp_inside_the_window_replaces_the_sms(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    await _wrote_on_whatsapp(database, owner.phone, hours_ago=2)

    await send_interest(client, await listing_of(database, owner), buyer)

    [message] = await queued(database, owner.phone)
    assert message.channel == "whatsapp"
    envelope = Envelope.loads(message.body)
    assert (envelope.via, envelope.reply.kind) == ("meta", "text")
    assert "/my/interests" in envelope.reply.body


async def test_outside_the_window_the_sms_goes_and_whatsapp_off_means_sms_only(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    await _wrote_on_whatsapp(database, owner.phone, hours_ago=30)

    await send_interest(client, await listing_of(database, owner), buyer)

    assert [m.channel for m in await queued(database, owner.phone)] == ["sms"]


async def test_in_quiet_hours_messages_wait_until_eight_but_the_inbox_does_not(
    client: httpx.AsyncClient,
    database: Database,
    owner: Actor,
    buyer: Actor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    night = india(3)
    monkeypatch.setattr(delivery, "utcnow", lambda: night)
    await _set_email(client, owner, "asha@example.in")

    await send_interest(client, await listing_of(database, owner), buyer)

    [sms] = await queued(database, owner.phone, "sms")
    [email] = await queued(database, "asha@example.in", "email")
    assert sms.next_attempt_at == india(8) == email.next_attempt_at
    assert len(await stored(database, owner.id)) == 1


async def test_late_evening_waits_until_the_next_morning(
    client: httpx.AsyncClient,
    database: Database,
    owner: Actor,
    buyer: Actor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(delivery, "utcnow", lambda: india(22, 30))

    await send_interest(client, await listing_of(database, owner), buyer)

    [sms] = await queued(database, owner.phone, "sms")
    assert sms.next_attempt_at == india(8) + timedelta(days=1)


async def test_a_whatsapp_window_that_closes_before_morning_gives_way_to_the_sms(
    client: httpx.AsyncClient,
    database: Database,
    owner: Actor,
    buyer: Actor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(delivery, "utcnow", lambda: india(23))
    # The window closes 24 h after the last message: sooner than 08:00 tomorrow.
    hours_ago = 24 - (india(8) + timedelta(days=1) - utcnow()).total_seconds() / 3600 + 1
    await _wrote_on_whatsapp(database, owner.phone, hours_ago=max(hours_ago, 0.5))

    await send_interest(client, await listing_of(database, owner), buyer)

    assert [m.channel for m in await queued(database, owner.phone)] == ["sms"]


async def test_nothing_leaves_for_a_suspended_user_but_the_inbox_keeps_it(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    listing = await listing_of(database, owner)
    async with database.session() as session:
        await session.execute(update(User).where(User.id == owner.id).values(status="suspended"))

    await send_interest(client, listing, buyer)

    assert await queued(database, owner.phone) == []
    assert len(await stored(database, owner.id)) == 1


async def _activate(database: Database, listing: Listing) -> None:
    async with database.session() as session:
        await session.execute(
            update(Listing).where(Listing.id == listing.id).values(status="active")
        )
        publish(session, ListingChanged(listing.id, listing.msme_id, "active"))


async def test_new_matches_reach_the_phone_once_a_day_per_mandate(
    client: httpx.AsyncClient, database: Database, buyer: Actor, owner: Actor
) -> None:
    created = await client.post(MANDATES, json=mandate_payload(), headers=buyer.headers)
    mandate_id = created.json()["data"]["id"]
    first = await active_listing(database, owner.id, status="submitted")
    second = await active_listing(database, owner.id, status="submitted")

    await _activate(database, first)
    await _activate(database, second)

    found = await stored(database, buyer.id)
    assert [n.kind for n in found] == ["new_match", "new_match"]
    assert {n.link for n in found} == {f"/buyer/mandates/{mandate_id}"}
    assert "good match" in found[0].body or "excellent match" in found[0].body
    assert [m.template for m in await queued(database, buyer.phone, "sms")] == ["new_match"]


async def test_a_long_reason_shortens_the_sms_never_its_link(
    client: httpx.AsyncClient, database: Database, owner: Actor, admin: Actor
) -> None:
    submitted = await listing_of(database, owner, status="submitted")
    reason = "The photographs show another factory and the figures do not add up. " * 5

    await client.post(
        f"{API}/admin/listings/{submitted.id}/moderate",
        json={"decision": "reject", "reason": reason[:500]},
        headers=admin.headers,
    )

    [sms] = await queued(database, owner.phone, "sms")
    assert len(sms.body) <= delivery.SMS_CHARS
    assert sms.body.endswith(f"http://127.0.0.1:8000/my/listings/{submitted.id}")
    assert "…" in sms.body


async def test_a_window_about_to_close_gives_way_to_the_sms(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    await _wrote_on_whatsapp(database, owner.phone, hours_ago=23.5)  # 30 minutes left

    await send_interest(client, await listing_of(database, owner), buyer)

    assert [m.channel for m in await queued(database, owner.phone)] == ["sms"]


async def test_the_daily_cap_counts_the_phone_once_whichever_channel_carried_it(
    client: httpx.AsyncClient, database: Database, buyer: Actor, owner: Actor
) -> None:
    await client.post(MANDATES, json=mandate_payload(), headers=buyer.headers)
    await _wrote_on_whatsapp(database, buyer.phone, hours_ago=1)
    await _activate(database, await active_listing(database, owner.id, status="submitted"))
    async with database.session() as session:  # the window has shut since
        await session.execute(
            update(Conversation)
            .where(Conversation.phone == buyer.phone)
            .values(last_inbound_at=utcnow() - timedelta(days=2))
        )

    await _activate(database, await active_listing(database, owner.id, status="submitted"))

    assert [m.channel for m in await queued(database, buyer.phone)] == ["whatsapp"]
    assert len(await stored(database, buyer.id)) == 2  # the inbox has both
