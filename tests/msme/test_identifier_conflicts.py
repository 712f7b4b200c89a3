"""Claims of identifiers other profiles hold (issue 18, finding 6): each one is 409 and audited
beside the disputed profile; after five a day a user's claims of any identifier are 429 with
Retry-After, before they are looked up, so the platform cannot be used to enumerate GSTINs."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.admin.models import AuditEntry
from msmebazaar.msme.conflicts import CONFLICTS_PER_DAY
from msmebazaar.msme.models import Msme
from msmebazaar.shared.db import Database
from tests.auth.factories import Actor
from tests.msme.factories import MSMES, gstin_for, make_msme, new_pan, new_udyam, profile_payload

CONFLICT = "msme.identifier_conflict"


def _claim(gstin: str) -> dict[str, object]:
    """A new profile claiming `gstin` (its PAN taken from the GSTIN)."""
    return profile_payload(gstin=gstin, pan=gstin[2:12])


async def _conflicts(connection: AsyncConnection, msme_id: object) -> list[Any]:
    statement = select(AuditEntry.__table__).where(
        AuditEntry.action == CONFLICT, AuditEntry.target_id == msme_id
    )
    return list((await connection.execute(statement.order_by(AuditEntry.created_at))).all())


def _assert_rate_limited(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    assert response.json()["error"]["code"] == "RATE_LIMITED"
    assert int(response.headers["Retry-After"]) >= 1


async def test_five_conflicts_a_day_then_every_claim_is_429_taken_or_not(
    client: httpx.AsyncClient, owner: Actor, other_owner: Actor, database: Database
) -> None:
    holder = await make_msme(database, owner.id)
    assert holder.gstin is not None

    for _ in range(CONFLICTS_PER_DAY):
        refused = await client.post(MSMES, json=_claim(holder.gstin), headers=other_owner.headers)
        assert refused.status_code == 409
        assert refused.json()["error"]["code"] == "GSTIN_ALREADY_REGISTERED"

    taken = await client.post(MSMES, json=_claim(holder.gstin), headers=other_owner.headers)
    free = await client.post(MSMES, json=_claim(gstin_for(new_pan())), headers=other_owner.headers)

    _assert_rate_limited(taken)
    _assert_rate_limited(free)  # a free GSTIN answers the same: nothing to learn
    async with database.session() as session:
        mine = await session.scalars(select(Msme).where(Msme.owner_id == other_owner.id))
        assert list(mine) == []


async def test_the_allowance_is_per_user_and_spares_profiles_without_identifiers(
    client: httpx.AsyncClient, owner: Actor, other_owner: Actor, database: Database
) -> None:
    holder = await make_msme(database, owner.id)
    assert holder.gstin is not None
    for _ in range(CONFLICTS_PER_DAY):
        await client.post(MSMES, json=_claim(holder.gstin), headers=other_owner.headers)

    plain = profile_payload(gstin=None, pan=None, udyam_number=None, cin=None)
    without = await client.post(MSMES, json=plain, headers=other_owner.headers)
    someone_else = await client.post(MSMES, json=profile_payload(), headers=owner.headers)

    assert without.status_code == 201, without.text
    assert someone_else.status_code == 201, someone_else.text


async def test_patch_claims_count_against_the_same_allowance(
    client: httpx.AsyncClient, owner: Actor, other_owner: Actor, database: Database
) -> None:
    holder = await make_msme(database, owner.id)
    mine = await make_msme(database, other_owner.id)
    assert holder.udyam_number is not None

    statuses = []
    for _ in range(CONFLICTS_PER_DAY + 1):
        response = await client.patch(
            f"{MSMES}/{mine.id}",
            json={"udyam_number": holder.udyam_number},
            headers=other_owner.headers,
        )
        statuses.append((response.status_code, response.json()["error"]["code"]))
    fresh = await client.patch(
        f"{MSMES}/{mine.id}", json={"udyam_number": new_udyam()}, headers=other_owner.headers
    )
    unrelated = await client.patch(
        f"{MSMES}/{mine.id}", json={"description": "Still editable."}, headers=other_owner.headers
    )

    assert statuses == [(409, "UDYAM_ALREADY_REGISTERED")] * CONFLICTS_PER_DAY + [
        (429, "RATE_LIMITED")
    ]
    _assert_rate_limited(fresh)
    assert unrelated.status_code == 200, unrelated.text


async def test_post_and_patch_share_one_allowance(
    client: httpx.AsyncClient, owner: Actor, other_owner: Actor, database: Database
) -> None:
    holder = await make_msme(database, owner.id)
    mine = await make_msme(database, other_owner.id)
    assert holder.gstin is not None
    for _ in range(CONFLICTS_PER_DAY):
        await client.post(MSMES, json=_claim(holder.gstin), headers=other_owner.headers)

    response = await client.patch(
        f"{MSMES}/{mine.id}",
        json={"gstin": holder.gstin, "pan": holder.gstin[2:12]},
        headers=other_owner.headers,
    )

    _assert_rate_limited(response)


async def test_each_conflict_is_audited_against_the_disputed_profile(
    client: httpx.AsyncClient,
    owner: Actor,
    other_owner: Actor,
    database: Database,
    db_connection: AsyncConnection,
) -> None:
    holder = await make_msme(database, owner.id)
    mine = await make_msme(database, other_owner.id)
    assert holder.gstin is not None

    created = await client.post(MSMES, json=_claim(holder.gstin), headers=other_owner.headers)
    edited = await client.patch(
        f"{MSMES}/{mine.id}",
        json={"udyam_number": holder.udyam_number},
        headers=other_owner.headers,
    )

    assert (created.status_code, edited.status_code) == (409, 409)
    rows = await _conflicts(db_connection, holder.id)
    assert [(row.actor_id, row.actor_role, row.target_type) for row in rows] == [
        (other_owner.id, "msme_owner", "msme")
    ] * 2
    assert [row.after for row in rows] == [
        {"field": "gstin", "claiming_msme_id": None},
        {"field": "udyam_number", "claiming_msme_id": str(mine.id)},
    ]
    assert all(row.request_id for row in rows)
    # The refused change itself left nothing behind.
    assert (await client.get(f"{MSMES}/{mine.id}", headers=other_owner.headers)).json()["data"][
        "udyam_number"
    ] == mine.udyam_number


async def test_conflicts_show_beside_the_disputed_profile_in_the_admin_queue(
    client: httpx.AsyncClient,
    owner: Actor,
    other_owner: Actor,
    admin: Actor,
    database: Database,
) -> None:
    holder = await make_msme(database, owner.id)
    quiet = await make_msme(database, owner.id)
    assert holder.gstin is not None
    for _ in range(2):
        await client.post(MSMES, json=_claim(holder.gstin), headers=other_owner.headers)

    queue = await client.get(
        "/api/v1/admin/verifications?status=verified&page_size=100", headers=admin.headers
    )

    assert queue.status_code == 200, queue.text
    items = {item["profile"]["id"]: item for item in queue.json()["data"]}
    disputed = items[str(holder.id)]
    assert disputed["identifier_conflict_count"] == 2
    assert [(c["user_id"], c["field"]) for c in disputed["identifier_conflicts"]] == [
        (str(other_owner.id), "gstin")
    ] * 2
    assert items[str(quiet.id)]["identifier_conflict_count"] == 0
    assert items[str(quiet.id)]["identifier_conflicts"] == []


async def test_admins_are_not_limited_but_still_audited(
    client: httpx.AsyncClient,
    owner: Actor,
    admin: Actor,
    database: Database,
    db_connection: AsyncConnection,
) -> None:
    holder = await make_msme(database, owner.id)
    assert holder.gstin is not None

    statuses = [
        (await client.post(MSMES, json=_claim(holder.gstin), headers=admin.headers)).status_code
        for _ in range(CONFLICTS_PER_DAY + 1)
    ]

    assert statuses == [409] * (CONFLICTS_PER_DAY + 1)
    assert len(await _conflicts(db_connection, holder.id)) == CONFLICTS_PER_DAY + 1
