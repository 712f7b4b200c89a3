"""The recompute script: stored method values match a fresh computation to the rupee."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from msmebazaar.cli import app as cli
from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.db import Database, create_engine, upgrade_database
from msmebazaar.valuation.data import current_version, load_data
from msmebazaar.valuation.engine import value_business
from msmebazaar.valuation.models import Valuation
from msmebazaar.valuation.presenter import to_read
from msmebazaar.valuation.valuations import new_valuation
from msmebazaar.valuation.verify import verify_valuations
from tests.auth.factories import Actor
from tests.valuation.factories import VALUATIONS, ad_hoc_payload, year_payload
from tests.valuation.helpers import LAKH, LISTED_VERSION, engine_input, year
from tests.valuation.test_report import _valuation


async def _create_sample(client: httpx.AsyncClient, actor: Actor) -> list[str]:
    bodies = [
        ad_hoc_payload(),
        ad_hoc_payload(sector="restaurants"),
        ad_hoc_payload(financials=[year_payload(ebitda=-10_00_000)]),
        ad_hoc_payload(sector="gems_jewellery", financials=[year_payload(debt=None, cash=None)]),
    ]
    ids = []
    for body in bodies:
        response = await client.post(VALUATIONS, json=body, headers=actor.headers)
        assert response.status_code == 201, response.text
        ids.append(response.json()["data"]["id"])
    return ids


async def test_every_stored_method_value_recomputes_to_the_rupee(
    client: httpx.AsyncClient, buyer: Actor, database: Database
) -> None:
    ids = await _create_sample(client, buyer)

    async with database.session() as session:
        report = await verify_valuations(session, valuation_ids=[uuid.UUID(i) for i in ids])

    assert (report.checked, report.matched, report.mismatches) == (4, 4, [])


async def test_a_valuation_stored_on_the_listed_data_version_still_recomputes(
    database: Database,
) -> None:
    inputs = engine_input(year(), year("2023-24", revenue=80 * LAKH))
    result = value_business(inputs, load_data(LISTED_VERSION))
    valuation = new_valuation(None, uuid.uuid4(), inputs, result, None)
    async with database.session() as session:
        session.add(valuation)

    async with database.session() as session:
        report = await verify_valuations(session, valuation_ids=[valuation.id])

    assert valuation.data_version == LISTED_VERSION != current_version()
    assert (report.checked, report.matched, report.mismatches) == (1, 1, [])
    assert to_read(valuation, "en").market_evidence is None


async def test_a_tampered_value_is_reported(
    client: httpx.AsyncClient, buyer: Actor, database: Database
) -> None:
    ids = await _create_sample(client, buyer)
    async with database.session() as session:
        await session.execute(
            update(Valuation).where(Valuation.id == uuid.UUID(ids[0])).values(base=1)
        )

    async with database.session() as session:
        report = await verify_valuations(session, valuation_ids=[uuid.UUID(i) for i in ids])

    assert report.matched == 3
    assert report.mismatches == [f"{ids[0]} base: stored 1 != recomputed {_base(report)}"]


def _base(report: object) -> str:
    line = report.mismatches[0]  # type: ignore[attr-defined]
    return str(line.rsplit(" ", 1)[1])


async def _store_two(url: str) -> None:
    database = Database(create_engine(DatabaseSettings(url=url)))
    async with database.session() as session:
        session.add_all([_valuation(), _valuation(with_price=True)])
    await database.dispose()


@pytest.fixture
def cli_database(tmp_path: Path) -> str:
    """A migrated SQLite file of its own with two committed valuations (the CLI reads settings)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    upgrade_database(url)
    asyncio.run(_store_two(url))
    return url


# Synchronous: the command runs its own event loop, as it does from a shell.
def test_the_valuation_verify_command_checks_a_sample(
    cli_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", cli_database)

    result = CliRunner().invoke(cli, ["valuation-verify", "--limit", "5"])

    assert result.exit_code == 0, result.output
    assert "Checked 2 valuation(s): 2 match to the rupee." in result.output
