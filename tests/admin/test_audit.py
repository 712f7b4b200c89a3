"""The audit log: changes made outside admin are audited too, the log is read with filters and
never rewritten; and every admin endpoint is for admins only."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.admin.models import AuditEntry
from msmebazaar.shared.db import Database
from tests.admin.helpers import ADMIN, audit_rows, queue_depth
from tests.auth.factories import ME, Actor, make_user, signed_in
from tests.msme.factories import MSMES, make_msme

AUDIT = f"{ADMIN}/audit-log"
# Ids of nothing, fixed so that every pytest-xdist worker collects the same test ids.
NO_ID = uuid.UUID("00000000-0000-4000-8000-000000000000")

ENDPOINTS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", f"{ADMIN}/verifications", None),
    ("POST", f"{ADMIN}/msmes/{NO_ID}/verify", {"decision": "approve"}),
    ("POST", f"{ADMIN}/msmes/{NO_ID}/transfer", {"owner_id": str(NO_ID), "reason": "x"}),
    ("POST", f"{ADMIN}/listings/{NO_ID}/moderate", {"decision": "approve"}),
    ("GET", f"{ADMIN}/users", None),
    ("PATCH", f"{ADMIN}/users/{NO_ID}", {"status": "suspended"}),
    ("GET", f"{ADMIN}/analytics/overview", None),
    ("GET", f"{ADMIN}/analytics/export?dataset=users", None),
    ("GET", AUDIT, None),
    ("GET", f"{ADMIN}/events/failed", None),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
@pytest.mark.parametrize("role", ["msme_owner", "buyer", "investor"])
async def test_every_admin_endpoint_is_403_for_other_roles(
    client: httpx.AsyncClient,
    database: Database,
    *,
    role: str,
    method: str,
    path: str,
    body: dict[str, Any] | None,
) -> None:
    actor = await signed_in(client, database, role)

    response = await client.request(method, path, json=body, headers=actor.headers)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
async def test_every_admin_endpoint_is_401_without_a_token(
    client: httpx.AsyncClient, method: str, path: str, body: dict[str, Any] | None
) -> None:
    response = await client.request(method, path, json=body)

    assert response.status_code == 401
    assert response.json()["success"] is False


# --- changes made outside admin -------------------------------------------------------------


async def test_a_user_switching_their_own_role_is_audited_with_the_request_id(
    client: httpx.AsyncClient, buyer: Actor, db_connection: AsyncConnection
) -> None:
    response = await client.patch(
        ME, json={"role": "investor"}, headers=buyer.headers | {"X-Request-ID": "self-role-1"}
    )

    assert response.status_code == 200
    (row,) = await audit_rows(db_connection, buyer.id)
    assert row.action == "user.role_changed"
    assert (row.actor_id, row.actor_role) == (buyer.id, "buyer")
    assert (row.before, row.after) == ({"role": "buyer"}, {"role": "investor"})
    assert row.request_id == "self-role-1"


async def test_an_owners_edit_that_voids_verification_is_audited(
    client: httpx.AsyncClient, database: Database, owner: Actor, db_connection: AsyncConnection
) -> None:
    msme = await make_msme(database, owner.id, verification_status="verified")

    response = await client.patch(
        f"{MSMES}/{msme.id}", json={"legal_name": "Shree Ganesh Foods LLP"}, headers=owner.headers
    )

    assert response.status_code == 200, response.text
    assert response.json()["data"]["verification_status"] == "pending"
    (row,) = await audit_rows(db_connection, msme.id)
    assert row.action == "msme.verification_reset"
    assert (row.actor_id, row.actor_role) == (owner.id, "msme_owner")
    assert (row.before, row.after) == (
        {"verification_status": "verified"},
        {"verification_status": "pending"},
    )
    assert row.reason == "Changed by the owner: legal_name."
    assert queue_depth() == 1


async def test_an_owners_edit_of_other_fields_is_not_audited(
    client: httpx.AsyncClient, database: Database, owner: Actor, db_connection: AsyncConnection
) -> None:
    msme = await make_msme(database, owner.id, verification_status="verified")

    await client.patch(f"{MSMES}/{msme.id}", json={"employees": 50}, headers=owner.headers)

    assert await audit_rows(db_connection, msme.id) == []


# --- reading the log ------------------------------------------------------------------------


async def _two_actions(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> tuple[uuid.UUID, uuid.UUID]:
    first, second = await make_user(database), await make_user(database)
    for user in (first, second):
        response = await client.patch(
            f"{ADMIN}/users/{user.id}", json={"status": "suspended"}, headers=admin.headers
        )
        assert response.status_code == 200
    await client.patch(
        f"{ADMIN}/users/{second.id}", json={"role": "investor"}, headers=admin.headers
    )
    return first.id, second.id


async def test_the_log_lists_newest_first_and_filters_by_actor_target_and_action(
    client: httpx.AsyncClient, database: Database, admin: Actor, other_admin: Actor
) -> None:
    first, second = await _two_actions(client, database, admin)

    everything = await client.get(AUDIT, params={"actor": str(admin.id)}, headers=admin.headers)
    by_target = await client.get(AUDIT, params={"target": str(second)}, headers=admin.headers)
    by_action = await client.get(
        AUDIT,
        params={"actor": str(admin.id), "action": "user.status_changed"},
        headers=admin.headers,
    )
    by_other = await client.get(AUDIT, params={"actor": str(other_admin.id)}, headers=admin.headers)

    assert everything.status_code == 200
    entries = everything.json()["data"]
    assert [(e["action"], e["target_id"]) for e in entries] == [
        ("user.role_changed", str(second)),
        ("user.status_changed", str(second)),
        ("user.status_changed", str(first)),
        ("user.second_factor_enabled", str(admin.id)),  # the admin's own set-up, first of all
    ]
    assert entries[0]["before"] == {"role": "msme_owner"}
    assert entries[0]["request_id"]
    assert [e["action"] for e in by_target.json()["data"]] == [
        "user.role_changed",
        "user.status_changed",
    ]
    assert by_action.json()["pagination"]["total"] == 2
    assert [e["action"] for e in by_other.json()["data"]] == ["user.second_factor_enabled"]


@pytest.mark.parametrize(
    "params", [{"action": "user.deleted"}, {"actor": "someone"}, {"page_size": 500}]
)
async def test_bad_log_filters_are_422(
    client: httpx.AsyncClient, admin: Actor, params: dict[str, Any]
) -> None:
    response = await client.get(AUDIT, params=params, headers=admin.headers)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
async def test_the_api_offers_no_way_to_change_the_log(
    client: httpx.AsyncClient, admin: Actor, method: str
) -> None:
    response = await client.request(method, AUDIT, headers=admin.headers)

    assert response.status_code == 405


@pytest.mark.parametrize("change", ["update", "delete"])
async def test_the_database_refuses_to_rewrite_an_audit_row(
    client: httpx.AsyncClient,
    database: Database,
    admin: Actor,
    engine: Any,
    change: str,
) -> None:
    user = await make_user(database)
    await client.patch(
        f"{ADMIN}/users/{user.id}", json={"status": "suspended"}, headers=admin.headers
    )
    statement: Any = (
        update(AuditEntry).values(reason="rewritten") if change == "update" else delete(AuditEntry)
    )

    with pytest.raises(DBAPIError, match="append-only"):
        async with database.session() as session:
            await session.execute(statement.where(AuditEntry.target_id == user.id))


async def test_metrics_expose_admin_actions_and_the_queue_depth(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    owner = await make_user(database)
    msme = await make_msme(database, owner.id, verification_status="pending")
    await client.get(f"{ADMIN}/verifications", headers=admin.headers)
    await client.post(
        f"{ADMIN}/msmes/{msme.id}/verify", json={"decision": "approve"}, headers=admin.headers
    )

    text = (await client.get("/metrics")).text

    assert 'admin_actions_total{action="msme.verification_decided"}' in text
    assert "verification_queue_depth 0.0" in text
