"""The daily digest: a user who chose it hears of nothing one by one on their phone or email;
once a day after 08:00 India time they get one message per channel summing up what happened,
never in quiet hours, never twice, and nothing on a day without news."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import update

from msmebazaar.notifications.digest import DIGEST_TEMPLATE, send_digests
from msmebazaar.notifications.models import DigestChoice
from msmebazaar.shared.config import Settings
from msmebazaar.shared.db import Database
from tests.auth.factories import Actor
from tests.notifications.conftest import india
from tests.notifications.helpers import (
    API,
    NOTIFICATIONS,
    listing_of,
    queued,
    send_interest,
    stored,
)

TOMORROW_NINE = india(9) + timedelta(days=1)


async def _digest_from_yesterday(
    client: httpx.AsyncClient, database: Database, actor: Actor
) -> None:
    """The actor takes the digest; the last one went yesterday morning."""
    chosen = await client.patch(
        f"{NOTIFICATIONS}/preferences", json={"digest": True}, headers=actor.headers
    )
    assert chosen.status_code == 200
    async with database.session() as session:
        await session.execute(
            update(DigestChoice)
            .where(DigestChoice.user_id == actor.id)
            .values(sent_at=india(8) - timedelta(days=1))
        )


async def test_a_digest_user_gets_one_summary_a_day_instead_of_a_message_each(
    client: httpx.AsyncClient,
    database: Database,
    settings: Settings,
    owner: Actor,
    buyer: Actor,
) -> None:
    await client.patch(f"{API}/auth/me", json={"email": "asha@example.in"}, headers=owner.headers)
    await _digest_from_yesterday(client, database, owner)
    for _ in range(2):
        await send_interest(client, await listing_of(database, owner), buyer)
    assert await queued(database, owner.phone) == []  # nothing one by one
    assert len(await stored(database, owner.id)) == 2  # the inbox has them at once

    sent = await send_digests(database, settings, now=TOMORROW_NINE)
    again = await send_digests(database, settings, now=TOMORROW_NINE + timedelta(hours=1))

    assert (sent, again) == (1, 0)
    [sms] = await queued(database, owner.phone, "sms")
    [email] = await queued(database, "asha@example.in", "email")
    assert sms.template == email.template == DIGEST_TEMPLATE
    assert "2 updates since yesterday" in sms.body
    assert "New interest in your listing" in sms.body
    assert sms.body.endswith("http://127.0.0.1:8000/notifications")


async def test_no_digest_in_quiet_hours_and_none_without_news(
    client: httpx.AsyncClient,
    database: Database,
    settings: Settings,
    owner: Actor,
    buyer: Actor,
) -> None:
    await _digest_from_yesterday(client, database, owner)

    assert await send_digests(database, settings, now=TOMORROW_NINE) == 0  # no news
    await send_interest(client, await listing_of(database, owner), buyer)
    at_night = india(23) + timedelta(days=1)

    assert await send_digests(database, settings, now=at_night) == 0
    assert await queued(database, owner.phone) == []


async def test_a_user_without_the_digest_is_not_summed_up(
    client: httpx.AsyncClient,
    database: Database,
    settings: Settings,
    owner: Actor,
    buyer: Actor,
) -> None:
    await send_interest(client, await listing_of(database, owner), buyer)

    assert await send_digests(database, settings, now=TOMORROW_NINE) == 0
    assert [m.template for m in await queued(database, owner.phone)] == ["interest_received"]
