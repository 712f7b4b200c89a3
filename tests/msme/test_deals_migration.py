"""Migration 0016 (deal rooms): interests accepted before it get their deal, at `introduced`,
dated when they were accepted; pending and declined ones get none; down and up again works."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from msmebazaar.msme.models import Deal
from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.db import Database, downgrade_database, upgrade_database
from tests.auth.factories import make_user
from tests.conftest import TEST_DATABASE_URL
from tests.databases import scratch_postgres_database
from tests.msme.factories import make_interest, make_listing, make_msme


@pytest.fixture
async def fresh_url(tmp_path: Path) -> AsyncIterator[str]:
    """An empty database of the run's backend (on PostgreSQL, one made for this test)."""
    if not TEST_DATABASE_URL:
        yield f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
        return
    async with scratch_postgres_database(TEST_DATABASE_URL, "msmebazaar_0016") as url:
        yield url


async def test_accepted_interests_from_before_get_their_deal(fresh_url: str) -> None:
    upgrade_database(fresh_url, "0015")
    database = Database.from_settings(DatabaseSettings(url=fresh_url))
    try:
        owner, buyer, other = [await make_user(database) for _ in range(3)]
        listing = await make_listing(database, await make_msme(database, owner.id))
        accepted = await make_interest(database, listing, buyer.id, status="accepted")
        await make_interest(database, listing, other.id, status="declined")

        upgrade_database(fresh_url)
        downgrade_database(fresh_url, "0015")
        upgrade_database(fresh_url)

        async with database.read_session() as session:
            deals = list(await session.scalars(select(Deal)))
    finally:
        await database.dispose()
    (deal,) = deals
    assert (deal.interest_id, deal.listing_id) == (accepted.id, listing.id)
    assert (deal.owner_id, deal.buyer_id, deal.stage) == (owner.id, buyer.id, "introduced")
    assert deal.created_at == accepted.decided_at
    assert isinstance(deal.id, uuid.UUID)
