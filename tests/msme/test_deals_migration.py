"""Migrations 0016 and 0017 (deal rooms): interests accepted before 0016 get their deal, at
`introduced`, dated when they were accepted (pending and declined ones get none); 0017 dates a
deal's NDA from its acceptances, marks listings with an accepted offer under offer, and leaves
listings from before it without the NDA requirement.
Each runs down and up again over data.

The data is written at the head revision, where the models match the schema: going down drops
what each migration adds, and going up again must rebuild it from what is left.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from msmebazaar.msme.models import Deal, Listing
from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.db import Database, downgrade_database, upgrade_database
from tests.auth.factories import make_user
from tests.conftest import TEST_DATABASE_URL
from tests.databases import scratch_postgres_database
from tests.msme.factories import make_deal_room, make_interest, make_listing, make_msme


@pytest.fixture
async def fresh_url(tmp_path: Path) -> AsyncIterator[str]:
    """An empty database of the run's backend (on PostgreSQL, one made for this test)."""
    if not TEST_DATABASE_URL:
        yield f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
        return
    async with scratch_postgres_database(TEST_DATABASE_URL, "msmebazaar_0016") as url:
        yield url


@pytest.fixture
async def database(fresh_url: str) -> AsyncIterator[Database]:
    upgrade_database(fresh_url)
    database = Database.from_settings(DatabaseSettings(url=fresh_url))
    yield database
    await database.dispose()


async def test_accepted_interests_from_before_get_their_deal(
    fresh_url: str, database: Database
) -> None:
    owner, buyer, other = [await make_user(database) for _ in range(3)]
    listing = await make_listing(database, await make_msme(database, owner.id))
    accepted = await make_interest(database, listing, buyer.id, status="accepted")
    await make_interest(database, listing, other.id, status="declined")

    downgrade_database(fresh_url, "0015")
    upgrade_database(fresh_url)

    async with database.read_session() as session:
        deals = list(await session.scalars(select(Deal)))
    (deal,) = deals
    assert (deal.interest_id, deal.listing_id) == (accepted.id, listing.id)
    assert (deal.owner_id, deal.buyer_id, deal.stage) == (owner.id, buyer.id, "introduced")
    assert deal.created_at == accepted.decided_at
    assert deal.nda_signed_at is None
    assert isinstance(deal.id, uuid.UUID)


async def test_signed_ndas_are_dated_and_older_listings_need_none(
    fresh_url: str, database: Database
) -> None:
    owner, buyer, other = [await make_user(database) for _ in range(3)]
    signed = await make_deal_room(database, owner.id, buyer.id, nda_signed=True)
    unsigned = await make_deal_room(database, owner.id, other.id)
    async with database.session() as session:  # an offer accepted under 0016
        await session.execute(update(Deal).where(Deal.id == signed.id).values(stage="offer"))
    async with database.read_session() as session:
        assert all(await session.scalars(select(Listing.nda_required)))  # new ones promise it
        signed_at = await session.scalar(select(Deal.nda_signed_at).where(Deal.id == signed.id))

    downgrade_database(fresh_url, "0016")
    upgrade_database(fresh_url)

    async with database.read_session() as session:
        dated = dict((await session.execute(select(Deal.id, Deal.nda_signed_at))).all())
        required = set(await session.scalars(select(Listing.nda_required)))
        under_offer = dict((await session.execute(select(Listing.id, Listing.under_offer))).all())
    assert dated == {signed.id: signed_at, unsigned.id: None}
    assert required == {False}
    assert under_offer == {signed.listing_id: True, unsigned.listing_id: False}
