"""Mandates over the API: create, read, update with optimistic locking, delete, list."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import func, select

from msmebazaar.match.models import MANDATE, Mandate, StoredVector
from msmebazaar.shared.db import Database
from tests.auth.factories import Actor
from tests.match.factories import MANDATES, mandate_payload


async def _count(database: Database, model: type, **where: object) -> int:
    async with database.session() as session:
        statement = select(func.count()).select_from(model).filter_by(**where)
        return int(await session.scalar(statement) or 0)


async def test_buyer_creates_a_mandate_and_its_thesis_vector_is_stored(
    client: httpx.AsyncClient, buyer: Actor, database: Database
) -> None:
    response = await client.post(MANDATES, json=mandate_payload(), headers=buyer.headers)

    assert response.status_code == 201
    data = response.json()["data"]
    assert data["owner_id"] == str(buyer.id)
    assert data["sectors"] == ["food_processing"]
    assert data["version"] == 1
    assert data["public_profile"] is False
    mandate_id = uuid.UUID(data["id"])
    assert await _count(database, StoredVector, subject_type=MANDATE, subject_id=mandate_id) == 1


async def test_msme_owner_may_not_create_a_mandate(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    response = await client.post(MANDATES, json=mandate_payload(), headers=owner.headers)

    assert response.status_code == 403
    assert await _count(database, Mandate) == 0


async def test_unknown_sector_is_refused_with_its_field(
    client: httpx.AsyncClient, buyer: Actor
) -> None:
    body = mandate_payload(sectors=["food_processing", "space_mining"])

    response = await client.post(MANDATES, json=body, headers=buyer.headers)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "SECTOR_UNKNOWN"
    assert error["details"][0]["field"] == "sectors.1"


async def test_unknown_state_is_refused(client: httpx.AsyncClient, buyer: Actor) -> None:
    response = await client.post(
        MANDATES, json=mandate_payload(states=["Atlantis"]), headers=buyer.headers
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "STATE_UNKNOWN"


async def test_state_aliases_are_stored_by_their_canonical_name(
    client: httpx.AsyncClient, buyer: Actor
) -> None:
    response = await client.post(
        MANDATES, json=mandate_payload(states=["orissa"]), headers=buyer.headers
    )

    assert response.json()["data"]["states"] == ["Odisha"]


async def test_a_minimum_above_its_maximum_is_refused(
    client: httpx.AsyncClient, buyer: Actor, database: Database
) -> None:
    body = mandate_payload(ticket_min=5_00_00_000, ticket_max=1_00_00_000)

    response = await client.post(MANDATES, json=body, headers=buyer.headers)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "RANGE_INVALID"
    assert await _count(database, Mandate) == 0


async def test_fractional_rupees_are_refused(client: httpx.AsyncClient, buyer: Actor) -> None:
    response = await client.post(
        MANDATES, json=mandate_payload(ticket_min=100.5), headers=buyer.headers
    )

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "ticket_min"


async def test_another_buyer_cannot_see_a_mandate(
    client: httpx.AsyncClient, buyer: Actor, other_buyer: Actor
) -> None:
    created = await client.post(MANDATES, json=mandate_payload(), headers=buyer.headers)
    mandate_id = created.json()["data"]["id"]

    response = await client.get(f"{MANDATES}/{mandate_id}", headers=other_buyer.headers)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "MANDATE_NOT_FOUND"


async def test_admin_sees_any_mandate(
    client: httpx.AsyncClient, buyer: Actor, admin: Actor
) -> None:
    created = await client.post(MANDATES, json=mandate_payload(), headers=buyer.headers)
    mandate_id = created.json()["data"]["id"]

    response = await client.get(f"{MANDATES}/{mandate_id}", headers=admin.headers)

    assert response.status_code == 200
    assert response.json()["data"]["id"] == mandate_id


async def test_update_changes_fields_and_bumps_the_version(
    client: httpx.AsyncClient, buyer: Actor
) -> None:
    created = await client.post(MANDATES, json=mandate_payload(), headers=buyer.headers)
    mandate_id = created.json()["data"]["id"]

    response = await client.patch(
        f"{MANDATES}/{mandate_id}",
        json={"title": "Snacks makers anywhere", "states": [], "version": 1},
        headers=buyer.headers,
    )

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["title"] == "Snacks makers anywhere"
    assert data["states"] == []
    assert data["version"] == 2


async def test_stale_version_is_a_conflict_and_changes_nothing(
    client: httpx.AsyncClient, buyer: Actor
) -> None:
    created = await client.post(MANDATES, json=mandate_payload(), headers=buyer.headers)
    mandate_id = created.json()["data"]["id"]
    await client.patch(f"{MANDATES}/{mandate_id}", json={"title": "First"}, headers=buyer.headers)

    response = await client.patch(
        f"{MANDATES}/{mandate_id}", json={"title": "Second", "version": 1}, headers=buyer.headers
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "VERSION_CONFLICT"
    current = await client.get(f"{MANDATES}/{mandate_id}", headers=buyer.headers)
    assert current.json()["data"]["title"] == "First"


async def test_update_checks_the_merged_ranges(client: httpx.AsyncClient, buyer: Actor) -> None:
    created = await client.post(MANDATES, json=mandate_payload(), headers=buyer.headers)
    mandate_id = created.json()["data"]["id"]

    response = await client.patch(
        f"{MANDATES}/{mandate_id}", json={"ticket_min": 50_00_00_000}, headers=buyer.headers
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "RANGE_INVALID"


async def test_delete_removes_the_mandate_and_its_vector(
    client: httpx.AsyncClient, buyer: Actor, database: Database
) -> None:
    created = await client.post(MANDATES, json=mandate_payload(), headers=buyer.headers)
    mandate_id = created.json()["data"]["id"]

    response = await client.delete(f"{MANDATES}/{mandate_id}", headers=buyer.headers)

    assert response.status_code == 200
    assert await _count(database, Mandate) == 0
    assert await _count(database, StoredVector, subject_type=MANDATE) == 0


async def test_mine_lists_only_the_callers_mandates_paginated(
    client: httpx.AsyncClient, buyer: Actor, other_buyer: Actor
) -> None:
    for number in range(3):
        await client.post(
            MANDATES, json=mandate_payload(title=f"Mandate {number}"), headers=buyer.headers
        )
    await client.post(MANDATES, json=mandate_payload(), headers=other_buyer.headers)

    response = await client.get(f"{MANDATES}/mine?page_size=2", headers=buyer.headers)

    body = response.json()
    assert response.status_code == 200
    assert len(body["data"]) == 2
    assert body["pagination"]["total"] == 3
    assert {item["owner_id"] for item in body["data"]} == {str(buyer.id)}
