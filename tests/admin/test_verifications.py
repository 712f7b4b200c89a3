"""The verification queue, decisions on profiles, and transfers of disputed profiles."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.msme.models import Document, Listing, Msme
from msmebazaar.shared.db import Database, utcnow
from tests.admin.helpers import ADMIN, admin_actions, audit_rows, notices_to, queue_depth
from tests.auth.factories import Actor, make_user
from tests.msme.factories import gstin_for, make_financials, make_listing, make_msme, new_pan

QUEUE = f"{ADMIN}/verifications"


def _verify(msme_id: Any) -> str:
    return f"{ADMIN}/msmes/{msme_id}/verify"


def _transfer(msme_id: Any) -> str:
    return f"{ADMIN}/msmes/{msme_id}/transfer"


async def _document(database: Database, msme: Msme, kind: str) -> Document:
    document = Document(
        id=uuid.uuid4(),
        msme_id=msme.id,
        kind=kind,
        filename=f"{kind}.pdf",
        content_type="application/pdf",
        size=1234,
        sha256="0" * 64,
        storage_key=f"documents/{uuid.uuid4().hex}",
        uploaded_by=msme.owner_id,
        created_at=utcnow(),
    )
    async with database.session() as session:
        session.add(document)
    return document


async def _age(database: Database, msme: Msme, days: int) -> None:
    async with database.session() as session:
        await session.execute(
            update(Msme)
            .where(Msme.id == msme.id)
            .values(created_at=utcnow() - timedelta(days=days))
        )


async def _status(connection: AsyncConnection, msme_id: uuid.UUID) -> Any:
    statement = select(
        Msme.verification_status, Msme.verification_reason, Msme.verified_at, Msme.owner_id
    ).where(Msme.id == msme_id)
    return (await connection.execute(statement)).one()


# --- the queue ------------------------------------------------------------------------------


async def test_queue_lists_pending_profiles_oldest_first_with_what_a_decision_needs(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    owner = await make_user(database)
    older = await make_msme(database, owner.id, verification_status="pending")
    newer = await make_msme(database, owner.id, verification_status="pending")
    await make_msme(database, owner.id, verification_status="verified")
    await _age(database, older, 3)
    await _age(database, newer, 1)
    await _document(database, older, "gst_certificate")
    await _document(database, older, "financial_statement")
    await make_financials(database, older.id, "2024-25")
    await make_financials(database, older.id, "2023-24")

    response = await client.get(QUEUE, headers=admin.headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["pagination"]["total"] == 2
    first, second = body["data"]
    assert (first["profile"]["id"], second["profile"]["id"]) == (str(older.id), str(newer.id))
    assert first["has_identifier"] is True
    assert {c["check"]: c["outcome"] for c in first["checks"]} == {
        "gstin_checksum": "pass",
        "pan_match": "pass",
        "state_match": "pass",
        "udyam_format": "pass",
    }
    assert sorted(d["kind"] for d in first["documents"]) == [
        "financial_statement",
        "gst_certificate",
    ]
    assert first["fiscal_years"] == ["2023-24", "2024-25"]
    assert first["duplicates"] == []
    assert queue_depth() == 2


async def test_queue_names_another_owners_profile_with_the_same_pan(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    pan = new_pan()
    claimant, rightful = await make_user(database), await make_user(database)
    claimed = await make_msme(
        database, claimant.id, verification_status="pending", pan=pan, gstin=gstin_for(pan, "27")
    )
    other = await make_msme(database, rightful.id, pan=pan, gstin=gstin_for(pan, "29"),
                            state="Karnataka", udyam_number=None)  # fmt: skip
    await make_msme(database, claimant.id, pan=pan, gstin=None, udyam_number=None)  # own: not one

    response = await client.get(QUEUE, headers=admin.headers)

    case = next(c for c in response.json()["data"] if c["profile"]["id"] == str(claimed.id))
    assert case["duplicates"] == [
        {
            "msme_id": str(other.id),
            "owner_id": str(rightful.id),
            "legal_name": other.legal_name,
            "verification_status": "verified",
            "matched_on": ["pan"],
        }
    ]


async def test_queue_marks_what_is_missing_and_a_wrong_state_code(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    owner = await make_user(database)
    pan = new_pan()
    # Stored before the state check existed: a Karnataka GSTIN on a Maharashtra business.
    await make_msme(
        database,
        owner.id,
        verification_status="pending",
        pan=pan,
        gstin=gstin_for(pan, "29"),
        udyam_number=None,
    )

    response = await client.get(QUEUE, headers=admin.headers)

    checks = {c["check"]: c["outcome"] for c in response.json()["data"][0]["checks"]}
    assert checks == {
        "gstin_checksum": "pass",
        "pan_match": "pass",
        "state_match": "fail",
        "udyam_format": "missing",
    }


async def test_queue_of_rejected_profiles_shows_the_reason(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    owner = await make_user(database)
    msme = await make_msme(database, owner.id, verification_status="rejected")
    async with database.session() as session:
        await session.execute(
            update(Msme).where(Msme.id == msme.id).values(verification_reason="Blurred scan.")
        )

    response = await client.get(QUEUE, params={"status": "rejected"}, headers=admin.headers)

    assert [c["verification_reason"] for c in response.json()["data"]] == ["Blurred scan."]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"status": "maybe"}, "status"), ({"page_size": 101}, "page_size"), ({"page": 0}, "page")],
)
async def test_queue_refuses_bad_parameters_with_422(
    client: httpx.AsyncClient, admin: Actor, params: dict[str, Any], field: str
) -> None:
    response = await client.get(QUEUE, params=params, headers=admin.headers)

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == f"query.{field}"


# --- decisions ------------------------------------------------------------------------------


async def test_approving_verifies_the_profile_audits_it_and_tells_the_owner(
    client: httpx.AsyncClient, database: Database, admin: Actor, db_connection: AsyncConnection
) -> None:
    owner = await make_user(database, language="hi")
    msme = await make_msme(database, owner.id, verification_status="pending")
    before = admin_actions("msme.verification_decided")

    response = await client.post(
        _verify(msme.id),
        json={"decision": "approve"},
        headers=admin.headers | {"X-Request-ID": "verify-req-1"},
    )

    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["previous_status"] == "pending"
    assert data["profile"]["verification_status"] == "verified"
    stored = await _status(db_connection, msme.id)
    assert stored.verification_status == "verified"
    assert stored.verified_at is not None
    (row,) = await audit_rows(db_connection, msme.id)
    assert row.action == "msme.verification_decided"
    assert (row.actor_id, row.actor_role) == (admin.id, "admin")
    assert (row.before, row.after) == (
        {"verification_status": "pending"},
        {"verification_status": "verified"},
    )
    assert row.request_id == "verify-req-1"
    (notice,) = await notices_to(db_connection, owner.phone)
    assert notice.channel == "sms"
    assert "सत्यापित" in notice.body
    assert admin_actions("msme.verification_decided") == before + 1
    assert queue_depth() == 0


async def test_rejecting_records_the_reason_and_sends_it_to_the_owner(
    client: httpx.AsyncClient, database: Database, admin: Actor, db_connection: AsyncConnection
) -> None:
    owner = await make_user(database)
    msme = await make_msme(database, owner.id, verification_status="pending")

    response = await client.post(
        _verify(msme.id),
        json={"decision": "reject", "reason": "The GST certificate names another firm"},
        headers=admin.headers,
    )

    assert response.status_code == 200, response.text
    stored = await _status(db_connection, msme.id)
    assert stored.verification_status == "rejected"
    assert stored.verification_reason == "The GST certificate names another firm"
    (row,) = await audit_rows(db_connection, msme.id)
    assert row.reason == "The GST certificate names another firm"
    assert row.after == {"verification_status": "rejected"}
    (notice,) = await notices_to(db_connection, owner.phone)
    assert "The GST certificate names another firm." in notice.body


@pytest.mark.parametrize("reason", [None, "   "])
async def test_rejecting_without_a_reason_is_422_and_changes_nothing(
    client: httpx.AsyncClient,
    database: Database,
    admin: Actor,
    db_connection: AsyncConnection,
    reason: str | None,
) -> None:
    owner = await make_user(database)
    msme = await make_msme(database, owner.id, verification_status="pending")
    body: dict[str, Any] = {"decision": "reject"} | ({"reason": reason} if reason else {})

    response = await client.post(_verify(msme.id), json=body, headers=admin.headers)

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "reason"
    assert (await _status(db_connection, msme.id)).verification_status == "pending"
    assert await audit_rows(db_connection, msme.id) == []


@pytest.mark.parametrize("status", ["verified", "rejected"])
async def test_deciding_a_profile_that_is_not_pending_is_409(
    client: httpx.AsyncClient, database: Database, admin: Actor, status: str
) -> None:
    owner = await make_user(database)
    msme = await make_msme(database, owner.id, verification_status=status)

    response = await client.post(
        _verify(msme.id), json={"decision": "approve"}, headers=admin.headers
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "VERIFICATION_NOT_PENDING"


async def test_approving_a_profile_without_any_identifier_is_409(
    client: httpx.AsyncClient, database: Database, admin: Actor, db_connection: AsyncConnection
) -> None:
    owner = await make_user(database)
    msme = await make_msme(
        database, owner.id, verification_status="pending", gstin=None, pan=None, udyam_number=None
    )

    response = await client.post(
        _verify(msme.id), json={"decision": "approve"}, headers=admin.headers
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "MSME_IDENTIFIER_REQUIRED"
    assert (await _status(db_connection, msme.id)).verification_status == "pending"


async def test_one_identifier_is_enough_to_approve(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    owner = await make_user(database)
    msme = await make_msme(database, owner.id, verification_status="pending", gstin=None, pan=None)

    response = await client.post(
        _verify(msme.id), json={"decision": "approve"}, headers=admin.headers
    )

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "status"),
    [({"decision": "maybe"}, 422), ({}, 422), ({"decision": "approve", "extra": 1}, 422)],
)
async def test_bad_decision_bodies_are_422(
    client: httpx.AsyncClient,
    database: Database,
    admin: Actor,
    body: dict[str, Any],
    status: int,
) -> None:
    owner = await make_user(database)
    msme = await make_msme(database, owner.id, verification_status="pending")

    response = await client.post(_verify(msme.id), json=body, headers=admin.headers)

    assert response.status_code == status
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


async def test_deciding_an_unknown_or_deleted_profile_is_404(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    owner = await make_user(database)
    deleted = await make_msme(database, owner.id, verification_status="pending")
    async with database.session() as session:
        await session.execute(update(Msme).where(Msme.id == deleted.id).values(deleted_at=utcnow()))

    for msme_id in (uuid.uuid4(), deleted.id):
        response = await client.post(
            _verify(msme_id), json={"decision": "approve"}, headers=admin.headers
        )
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "MSME_NOT_FOUND"


async def test_a_malformed_profile_id_is_422(client: httpx.AsyncClient, admin: Actor) -> None:
    response = await client.post(
        _verify("not-a-uuid"), json={"decision": "approve"}, headers=admin.headers
    )

    assert response.status_code == 422


# --- transfers ------------------------------------------------------------------------------


async def test_transfer_moves_the_profile_and_its_listings_to_the_rightful_owner(
    client: httpx.AsyncClient, database: Database, admin: Actor, db_connection: AsyncConnection
) -> None:
    claimant, rightful = await make_user(database), await make_user(database)
    msme = await make_msme(database, claimant.id)
    listing = await make_listing(database, msme)

    response = await client.post(
        _transfer(msme.id),
        json={"owner_id": str(rightful.id), "reason": "Rightful owner showed the GST certificate"},
        headers=admin.headers,
    )

    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["previous_owner_id"] == str(claimant.id)
    assert data["profile"]["owner_id"] == str(rightful.id)
    assert data["listing_ids"] == [str(listing.id)]
    assert (await _status(db_connection, msme.id)).owner_id == rightful.id
    moved = await db_connection.execute(
        select(Listing.owner_id, Listing.version).where(Listing.id == listing.id)
    )
    assert moved.one() == (rightful.id, 2)
    (row,) = await audit_rows(db_connection, msme.id)
    assert row.action == "msme.transferred"
    assert row.before == {"owner_id": str(claimant.id)}
    assert row.after == {"owner_id": str(rightful.id), "listing_ids": [str(listing.id)]}
    assert row.reason == "Rightful owner showed the GST certificate"


async def test_transfer_to_the_current_owner_is_409(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    owner = await make_user(database)
    msme = await make_msme(database, owner.id)

    response = await client.post(
        _transfer(msme.id), json={"owner_id": str(owner.id), "reason": "x"}, headers=admin.headers
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "ALREADY_OWNER"


async def test_transfer_to_an_unknown_user_is_404_and_needs_a_reason(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    owner = await make_user(database)
    msme = await make_msme(database, owner.id)

    unknown = await client.post(
        _transfer(msme.id),
        json={"owner_id": str(uuid.uuid4()), "reason": "x"},
        headers=admin.headers,
    )
    no_reason = await client.post(
        _transfer(msme.id), json={"owner_id": str(owner.id)}, headers=admin.headers
    )

    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "USER_NOT_FOUND"
    assert no_reason.status_code == 422
