"""Migration 0018 hands the event handlers over: `notifications.inbox` starts at the newest
stored event (nobody is told again of the past, nothing committed before the first worker of
the new build is missed), and the retired `whatsapp.deal_notice` cursor goes (it would keep
every event from being pruned). It runs down and up again."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.db import Database, downgrade_database, upgrade_database, utcnow
from msmebazaar.shared.dispatch import HandlerCursor
from msmebazaar.shared.events import StoredEvent
from tests.conftest import TEST_DATABASE_URL
from tests.databases import scratch_postgres_database


@pytest.fixture
async def fresh_url(tmp_path: Path) -> AsyncIterator[str]:
    if not TEST_DATABASE_URL:
        yield f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
        return
    async with scratch_postgres_database(TEST_DATABASE_URL, "msmebazaar_0018") as url:
        yield url


async def test_the_inbox_starts_at_the_newest_event_and_the_old_cursor_goes(
    fresh_url: str,
) -> None:
    upgrade_database(fresh_url)
    database = Database.from_settings(DatabaseSettings(url=fresh_url))
    try:
        async with database.session() as session:
            for number in range(3):
                session.add(
                    StoredEvent(
                        id=uuid.uuid4(), name="test.happened", version=1,
                        aggregate_id=str(number), payload="{}", created_at=utcnow(),
                    )
                )  # fmt: skip
            session.add(HandlerCursor(handler="whatsapp.deal_notice", position=1, attempts=0))
        downgrade_database(fresh_url, "0017")
        upgrade_database(fresh_url)

        async with database.read_session() as session:
            cursors = {
                row.handler: row.position for row in await session.scalars(select(HandlerCursor))
            }
            newest = max(await session.scalars(select(StoredEvent.position)))
    finally:
        await database.dispose()

    assert cursors == {"notifications.inbox": newest}
