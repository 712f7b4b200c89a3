"""PUT and GET /msmes/{id}/financials: sanity checks, derived ratios, reclassification."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.msme.models import Financials, Listing, Msme
from msmebazaar.msme.schemas import FinancialsInput, FinancialsRead
from msmebazaar.msme.service import FIGURE_NAMES
from msmebazaar.shared.db import Database
from msmebazaar.shared.india import india_today
from tests.auth.factories import Actor, rows
from tests.msme.factories import (
    MSMES,
    financials_payload,
    make_deal,
    make_financials,
    make_interest,
    make_listing,
    make_msme,
    sign_nda,
)

FIGURES = (
    "revenue",
    "ebitda",
    "net_profit",
    "depreciation",
    "interest",
    "total_assets",
    "total_liabilities",
    "cash",
    "debt",
    "owner_salary",
)


def _url(msme_id: object, year: str = "") -> str:
    return f"{MSMES}/{msme_id}/financials" + (f"/{year}" if year else "")


def _current_fiscal_year() -> str:
    today = india_today()
    start = today.year if today.month >= 4 else today.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


async def _count(connection: AsyncConnection) -> int:
    return int(
        (await connection.execute(select(func.count()).select_from(Financials))).scalar_one()
    )


async def test_owner_stores_a_new_year_with_201(
    client: httpx.AsyncClient, owner: Actor, database: Database, db_connection: AsyncConnection
) -> None:
    msme = await make_msme(database, owner.id)
    payload = financials_payload()

    response = await client.put(_url(msme.id, "2024-25"), json=payload, headers=owner.headers)

    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert {field: data[field] for field in FIGURES} == payload
    assert data["fiscal_year"] == "2024-25"
    assert data["ebitda_margin"] == 0.15
    assert data["net_margin"] == 0.075
    (stored,) = await rows(db_connection, select(Financials.fiscal_year, Financials.revenue))
    assert tuple(stored) == ("2024-25", payload["revenue"])


async def test_putting_the_same_year_again_replaces_it_with_200(
    client: httpx.AsyncClient, owner: Actor, database: Database, db_connection: AsyncConnection
) -> None:
    msme = await make_msme(database, owner.id)
    await make_financials(database, msme.id, "2024-25")

    response = await client.put(
        _url(msme.id, "2024-25"), json={"revenue": 9_00_00_000}, headers=owner.headers
    )

    assert response.status_code == 200
    assert response.json()["data"]["ebitda"] is None
    (stored,) = await rows(db_connection, select(Financials.revenue, Financials.ebitda))
    assert tuple(stored) == (9_00_00_000, None)


async def test_the_current_fiscal_year_is_accepted(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)

    response = await client.put(
        _url(msme.id, _current_fiscal_year()), json=financials_payload(), headers=owner.headers
    )

    assert response.status_code == 201


def _next_fiscal_year() -> str:
    start = int(_current_fiscal_year()[:4]) + 1
    return f"{start}-{(start + 1) % 100:02d}"


@pytest.mark.parametrize(
    "year",
    ["2024-26", "2024-2025", "24-25", "2024_25", "1949-50", "abcd-ef", "1999-00x"],
)
async def test_an_impossible_fiscal_year_is_422_naming_the_field(
    client: httpx.AsyncClient,
    owner: Actor,
    database: Database,
    db_connection: AsyncConnection,
    year: str,
) -> None:
    msme = await make_msme(database, owner.id)

    response = await client.put(
        _url(msme.id, year), json=financials_payload(), headers=owner.headers
    )

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "fiscal_year"
    assert await _count(db_connection) == 0


async def test_a_future_fiscal_year_is_refused(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)

    response = await client.put(
        _url(msme.id, _next_fiscal_year()), json=financials_payload(), headers=owner.headers
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "FISCAL_YEAR_INVALID"


async def test_the_century_turn_year_is_valid(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)

    response = await client.put(
        _url(msme.id, "1999-00"), json={"revenue": 1}, headers=owner.headers
    )

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"revenue": -1}, "revenue", "VALIDATION_ERROR"),
        ({"ebitda": 9_00_00_000}, "ebitda", "EBITDA_ABOVE_REVENUE"),
        ({"net_profit": 8_00_00_001}, "net_profit", "NET_PROFIT_ABOVE_REVENUE"),
        ({"total_assets": -5}, "total_assets", "VALIDATION_ERROR"),
        ({"cash": -5}, "cash", "VALIDATION_ERROR"),
        ({"debt": -5}, "debt", "VALIDATION_ERROR"),
        ({"owner_salary": -5}, "owner_salary", "VALIDATION_ERROR"),
        ({"revenue": "lots"}, "revenue", "VALIDATION_ERROR"),
        ({"revenue": 10.5}, "revenue", "VALIDATION_ERROR"),
        ({"revenue": None}, "revenue", "VALIDATION_ERROR"),
        ({"profit_after_tax": 5}, "profit_after_tax", "VALIDATION_ERROR"),
    ],
)
async def test_insane_figures_are_422_naming_the_field_and_nothing_changes(
    *,
    client: httpx.AsyncClient,
    owner: Actor,
    database: Database,
    db_connection: AsyncConnection,
    change: dict[str, object],
    field: str,
    code: str,
) -> None:
    msme = await make_msme(database, owner.id)
    await make_financials(database, msme.id, "2024-25")

    response = await client.put(
        _url(msme.id, "2024-25"), json=financials_payload(**change), headers=owner.headers
    )

    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["details"][0]["field"]) == (code, field)
    (stored,) = await rows(db_connection, select(Financials.revenue))
    assert stored.revenue == financials_payload()["revenue"]


async def test_a_loss_making_year_is_accepted(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)

    response = await client.put(
        _url(msme.id, "2023-24"),
        json=financials_payload(ebitda=-10_00_000, net_profit=-30_00_000),
        headers=owner.headers,
    )

    assert response.status_code == 201
    assert response.json()["data"]["net_margin"] == -0.0375


async def test_a_new_latest_year_reclassifies_the_profile(
    client: httpx.AsyncClient, owner: Actor, database: Database, db_connection: AsyncConnection
) -> None:
    msme = await make_msme(
        database, owner.id, classification="unknown", investment_in_plant_machinery=2 * 10**7
    )
    await make_financials(database, msme.id, "2023-24", revenue=5 * 10**7)

    response = await client.put(
        _url(msme.id, "2024-25"), json={"revenue": 20 * 10**7}, headers=owner.headers
    )

    assert response.status_code == 201
    (stored,) = await rows(db_connection, select(Msme.classification))
    assert stored.classification == "small"


async def test_an_upsert_refreshes_the_listing_figures_with_the_latest_year(
    client: httpx.AsyncClient, owner: Actor, database: Database, db_connection: AsyncConnection
) -> None:
    msme = await make_msme(database, owner.id)
    await make_listing(database, msme, revenue=1, ebitda=1)
    await make_financials(database, msme.id, "2024-25", revenue=7 * 10**7, ebitda=10**7)

    await client.put(_url(msme.id, "2022-23"), json={"revenue": 3 * 10**7}, headers=owner.headers)

    (stored,) = await rows(db_connection, select(Listing.revenue, Listing.ebitda))
    assert tuple(stored) == (7 * 10**7, 10**7)


async def test_a_stranger_cannot_store_financials(
    client: httpx.AsyncClient, owner: Actor, other_owner: Actor, database: Database
) -> None:
    visible = await make_msme(database, owner.id)
    hidden = await make_msme(database, owner.id, verification_status="pending")

    forbidden = await client.put(
        _url(visible.id, "2024-25"), json=financials_payload(), headers=other_owner.headers
    )
    unseen = await client.put(
        _url(hidden.id, "2024-25"), json=financials_payload(), headers=other_owner.headers
    )

    assert (forbidden.status_code, unseen.status_code) == (403, 404)


async def test_financials_of_an_unknown_profile_are_404(
    client: httpx.AsyncClient, owner: Actor
) -> None:
    response = await client.put(
        _url(uuid.uuid4(), "2024-25"), json=financials_payload(), headers=owner.headers
    )

    assert response.status_code == 404


async def test_reading_lists_newest_first_with_growth_against_the_year_before(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)
    await make_financials(database, msme.id, "2022-23", revenue=4 * 10**7)
    await make_financials(database, msme.id, "2023-24", revenue=5 * 10**7, ebitda=None)
    await make_financials(database, msme.id, "2024-25", revenue=6 * 10**7, ebitda=9 * 10**6)

    response = await client.get(_url(msme.id), headers=owner.headers)

    assert response.status_code == 200
    data = response.json()["data"]
    assert [item["fiscal_year"] for item in data] == ["2024-25", "2023-24", "2022-23"]
    assert [item["growth"] for item in data] == [0.2, 0.25, None]
    assert [item["ebitda_margin"] for item in data] == [0.15, None, 0.3]


async def test_growth_is_null_when_the_previous_year_is_missing(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)
    await make_financials(database, msme.id, "2020-21", revenue=4 * 10**7)
    await make_financials(database, msme.id, "2024-25", revenue=6 * 10**7)

    response = await client.get(f"{_url(msme.id)}?page_size=1", headers=owner.headers)

    assert response.json()["data"][0]["growth"] is None
    assert response.json()["pagination"]["total"] == 2


async def test_an_accepted_buyer_reads_financials_once_the_nda_is_signed_others_never(
    client: httpx.AsyncClient, owner: Actor, buyer: Actor, investor: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)
    listing = await make_listing(database, msme, anonymous=False)
    interest = await make_interest(database, listing, buyer.id, status="accepted")
    await make_interest(database, listing, investor.id, status="declined")
    await make_financials(database, msme.id)
    deal = await make_deal(database, listing, interest)

    before_nda = await client.get(_url(msme.id), headers=buyer.headers)
    await sign_nda(database, deal)
    accepted = await client.get(_url(msme.id), headers=buyer.headers)
    declined = await client.get(_url(msme.id), headers=investor.headers)
    anonymous = await client.get(_url(msme.id))

    assert before_nda.status_code == 409
    assert before_nda.json()["error"]["code"] == "NDA_NOT_SIGNED"
    assert accepted.status_code == 200
    assert len(accepted.json()["data"]) == 1
    assert (declined.status_code, anonymous.status_code) == (404, 401)


def test_the_figure_names_are_the_figures_every_financials_schema_declares() -> None:
    # The schemas declare their fields one by one (they are the API contract), so the shared
    # tuple must stay equal to them.
    read_figures = tuple(name for name in FinancialsRead.model_fields if name in FIGURE_NAMES)

    assert tuple(FinancialsInput.model_fields) == FIGURE_NAMES
    assert read_figures == FIGURE_NAMES
    assert set(FIGURE_NAMES) <= set(Financials.__table__.columns.keys())
