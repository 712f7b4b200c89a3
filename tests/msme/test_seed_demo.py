"""`msmebazaar seed-demo`: realistic, valid, deterministic synthetic businesses."""

from __future__ import annotations

import random
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection
from typer.testing import CliRunner

from msmebazaar.cli import app as main_cli
from msmebazaar.msme.anonymity import BusinessFacts, scan_listing_text
from msmebazaar.msme.cli import demo_phone, seed_demo
from msmebazaar.msme.demo_data import demo_business
from msmebazaar.msme.models import Financials, Listing, Msme
from msmebazaar.msme.sectors import get_sector
from msmebazaar.shared.config import DatabaseSettings, Settings
from msmebazaar.shared.db import Database, upgrade_database
from msmebazaar.shared.india import (
    check_gstin_consistency,
    validate_gstin,
    validate_pan,
    validate_pincode,
    validate_udyam,
)
from msmebazaar.shared.outbox import OutboxMessage
from tests.auth.factories import rows
from tests.conftest import TEST_DATABASE_URL
from tests.databases import scratch_postgres_database


def test_the_same_seed_gives_the_same_businesses() -> None:
    owner = uuid.uuid4()

    first = [demo_business(random.Random(5), index, owner) for index in range(3)]
    again = [demo_business(random.Random(5), index, owner) for index in range(3)]
    other = [demo_business(random.Random(6), index, owner) for index in range(3)]

    def key(items: list) -> list[tuple[object, ...]]:  # type: ignore[type-arg]
        return [(b.msme["id"], b.msme["legal_name"], b.listing["asking_price"]) for b in items]

    assert key(first) == key(again)
    assert key(first) != key(other)


def test_generated_identifiers_are_valid_and_consistent() -> None:
    rng = random.Random(11)
    for index in range(300):
        msme = demo_business(rng, index, uuid.uuid4()).msme
        assert get_sector(msme["sector"]) is not None
        assert validate_pan(msme["pan"]) == msme["pan"]
        assert validate_udyam(msme["udyam_number"]) == msme["udyam_number"]
        assert validate_pincode(msme["pincode"]) == msme["pincode"]
        if msme["gstin"] is not None:
            assert validate_gstin(msme["gstin"]) == msme["gstin"]
            assert check_gstin_consistency(msme["gstin"], msme["pan"], msme["state"]) == []


def test_anonymous_demo_listings_pass_the_anonymity_scan() -> None:
    rng = random.Random(3)
    for index in range(300):
        business = demo_business(rng, index, uuid.uuid4())
        assert business.listing is not None
        msme = business.msme
        facts = BusinessFacts(
            legal_name=msme["legal_name"],
            trade_name=msme["trade_name"],
            gstin=msme["gstin"],
            pan=msme["pan"],
            udyam_number=msme["udyam_number"],
            city=msme["city"],
            state=msme["state"],
        )
        listing = business.listing
        assert scan_listing_text(listing["headline"], listing["summary"], facts) == []


def test_figures_are_plausible() -> None:
    rng = random.Random(8)
    for index in range(200):
        business = demo_business(rng, index, uuid.uuid4())
        assert 1 <= len(business.financials) <= 3
        for row in business.financials:
            assert row["revenue"] > 0
            assert row["ebitda"] <= row["revenue"]
        listing = business.listing
        assert listing is not None
        assert listing["asking_price"] > 0
        if listing["deal_type"] in ("stake_sale", "investment"):
            assert 0 < listing["stake_percent"] <= 100
        else:
            assert listing["stake_percent"] is None


async def test_seed_demo_writes_owners_profiles_financials_and_listings(
    database: Database,
    settings: Settings,
    db_connection: AsyncConnection,
    client: httpx.AsyncClient,
) -> None:
    summary = await seed_demo(database, settings, count=30, seed=1)

    assert (summary.owners, summary.businesses, summary.listings) == (1, 30, 30)
    counted = await rows(
        db_connection,
        select(
            select(func.count()).select_from(Msme).scalar_subquery(),
            select(func.count()).select_from(Financials).scalar_subquery(),
            select(func.count()).select_from(Listing).scalar_subquery(),
        ),
    )
    assert tuple(counted[0]) == (30, summary.financials, 30)
    # The owners' sign-in codes never leave the outbox.
    assert await rows(db_connection, select(OutboxMessage.id)) == []
    active = await rows(db_connection, select(Listing.id).where(Listing.status == "active"))
    found = await client.get("/api/v1/listings?page_size=100")
    assert found.json()["pagination"]["total"] == len(active)


async def test_seeding_again_adds_new_businesses_without_clashes(
    database: Database, settings: Settings, db_connection: AsyncConnection
) -> None:
    await seed_demo(database, settings, count=10, seed=1)
    await seed_demo(database, settings, count=10, seed=1)

    gstins = await rows(db_connection, select(Msme.gstin).where(Msme.gstin.is_not(None)))
    assert len(gstins) == len({row.gstin for row in gstins})
    assert len(await rows(db_connection, select(Msme.id))) == 20


def test_demo_phones_are_valid_indian_mobiles() -> None:
    from msmebazaar.shared.india import normalize_indian_mobile  # noqa: PLC0415

    assert normalize_indian_mobile(demo_phone(0)) == demo_phone(0)
    assert normalize_indian_mobile(demo_phone(199)) == demo_phone(199)


def test_the_command_is_on_the_main_cli_with_a_progress_bar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}"
    upgrade_database(url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("ENVIRONMENT", "development")

    result = CliRunner().invoke(main_cli, ["seed-demo", "--count", "12", "--seed", "4"])

    assert result.exit_code == 0, result.output
    assert "Created 12 businesses" in result.output


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="PostgreSQL run only (TEST_DATABASE_URL)")
async def test_a_seeded_postgresql_database_is_vacuumed_for_index_only_counts(
    settings: Settings,
) -> None:
    # After a bulk load the pages must be marked all-visible, or a sector page's count from the
    # marketplace index reads every row again; only a VACUUM does that (not ANALYZE).
    assert TEST_DATABASE_URL is not None
    async with scratch_postgres_database(TEST_DATABASE_URL, "msmebazaar_seed") as url:
        upgrade_database(url)
        database = Database.from_settings(DatabaseSettings(url=url))
        try:
            await seed_demo(database, settings, count=30, seed=3)
            async with database.read_session() as session:
                visible = await session.scalar(
                    text("SELECT relallvisible FROM pg_class WHERE relname = 'listings'")
                )
        finally:
            await database.dispose()
    assert (visible or 0) > 0
