"""POST/GET/PATCH/DELETE /msmes/{id} and GET /msmes/mine: identifiers checked, owners only."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.msme.models import Listing, Msme
from msmebazaar.shared.db import Database
from msmebazaar.shared.metrics import REGISTRY
from tests.auth.factories import Actor, rows, signed_in
from tests.msme.factories import (
    MSMES,
    gstin_for,
    make_financials,
    make_listing,
    make_msme,
    new_pan,
    new_udyam,
    profile_payload,
)

READ_FIELDS = {
    "id",
    "owner_id",
    "legal_name",
    "trade_name",
    "legal_form",
    "gstin",
    "pan",
    "udyam_number",
    "cin",
    "sector",
    "sub_sector",
    "description",
    "products",
    "state",
    "city",
    "pincode",
    "year_established",
    "employees",
    "investment_in_plant_machinery",
    "website",
    "classification",
    "verification_status",
    "version",
    "created_at",
    "updated_at",
}


async def _count(connection: AsyncConnection) -> int:
    return int((await connection.execute(select(func.count()).select_from(Msme))).scalar_one())


# --- create ---------------------------------------------------------------------------------


async def test_owner_creates_a_pending_classified_profile(
    client: httpx.AsyncClient, owner: Actor, db_connection: AsyncConnection
) -> None:
    payload = profile_payload()

    response = await client.post(MSMES, json=payload, headers=owner.headers)

    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert set(data) == READ_FIELDS
    assert data["owner_id"] == str(owner.id)
    assert data["verification_status"] == "pending"
    assert data["classification"] == "unknown"  # no turnover yet
    assert data["gstin"] == payload["gstin"]
    (stored,) = await rows(db_connection, select(Msme.owner_id, Msme.gstin))
    assert tuple(stored) == (owner.id, payload["gstin"])


async def test_create_normalises_identifiers_and_state(
    client: httpx.AsyncClient, owner: Actor
) -> None:
    pan = new_pan()
    payload = profile_payload(
        gstin=gstin_for(pan, "29").lower(),
        pan=pan.lower(),
        udyam_number=new_udyam("KR").lower(),
        state="  karnataka ",
        pincode="560 001",
    )

    response = await client.post(MSMES, json=payload, headers=owner.headers)

    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert data["gstin"] == gstin_for(pan, "29")
    assert (data["pan"], data["state"], data["pincode"]) == (pan, "Karnataka", "560001")
    assert data["udyam_number"].startswith("UDYAM-KR-")


async def test_pan_is_taken_from_the_gstin_when_left_out(
    client: httpx.AsyncClient, owner: Actor
) -> None:
    pan = new_pan()
    payload = profile_payload(gstin=gstin_for(pan), pan=None)

    response = await client.post(MSMES, json=payload, headers=owner.headers)

    assert response.status_code == 201
    assert response.json()["data"]["pan"] == pan


async def test_a_profile_without_identifiers_is_accepted(
    client: httpx.AsyncClient, owner: Actor
) -> None:
    payload = profile_payload(gstin=None, pan=None, udyam_number=None, cin=None)

    response = await client.post(MSMES, json=payload, headers=owner.headers)

    assert response.status_code == 201
    assert response.json()["data"]["gstin"] is None


async def test_large_investment_alone_makes_a_profile_not_msme(
    client: httpx.AsyncClient, owner: Actor
) -> None:
    payload = profile_payload(investment_in_plant_machinery=130 * 10**7)

    response = await client.post(MSMES, json=payload, headers=owner.headers)

    assert response.json()["data"]["classification"] == "not_msme"


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"gstin": "27AAPFU0939F1ZX"}, "GSTIN_INVALID", "gstin"),
        ({"gstin": "27AAPFU0939F1Z"}, "GSTIN_INVALID", "gstin"),
        ({"pan": "ABCDE1234F"}, "PAN_INVALID", "pan"),
        ({"udyam_number": "UDYAM-XX-26-0012345"}, "UDYAM_INVALID", "udyam_number"),
        ({"udyam_number": "UDYAM-MH-2-0012345"}, "UDYAM_INVALID", "udyam_number"),
        ({"cin": "U15400MH2012PTC12345"}, "CIN_INVALID", "cin"),
        ({"pincode": "011001"}, "PINCODE_INVALID", "pincode"),
        ({"state": "Atlantis"}, "STATE_UNKNOWN", "state"),
        ({"sector": "space_mining"}, "SECTOR_UNKNOWN", "sector"),
    ],
)
async def test_each_invalid_field_has_its_own_code(
    *,
    client: httpx.AsyncClient,
    owner: Actor,
    db_connection: AsyncConnection,
    overrides: dict[str, str],
    code: str,
    field: str,
) -> None:
    response = await client.post(MSMES, json=profile_payload(**overrides), headers=owner.headers)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == code
    assert [item["field"] for item in error["details"]] == [field]
    assert await _count(db_connection) == 0


async def test_gstin_of_another_pan_is_a_pan_mismatch(
    client: httpx.AsyncClient, owner: Actor
) -> None:
    payload = profile_payload(gstin=gstin_for(new_pan()), pan=new_pan())

    response = await client.post(MSMES, json=payload, headers=owner.headers)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "GSTIN_PAN_MISMATCH"
    assert response.json()["error"]["details"][0]["field"] == "gstin"


async def test_gstin_of_another_state_is_a_state_mismatch(
    client: httpx.AsyncClient, owner: Actor
) -> None:
    pan = new_pan()
    payload = profile_payload(gstin=gstin_for(pan, "29"), pan=pan, state="Maharashtra")

    response = await client.post(MSMES, json=payload, headers=owner.headers)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "GSTIN_STATE_MISMATCH"


async def test_several_invalid_fields_are_listed_together(
    client: httpx.AsyncClient, owner: Actor
) -> None:
    payload = profile_payload(pan="BAD", pincode="12", state="Atlantis")

    response = await client.post(MSMES, json=payload, headers=owner.headers)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert {item["field"] for item in error["details"]} == {"pan", "pincode", "state"}


@pytest.mark.parametrize(
    "overrides",
    [
        {"verification_status": "verified"},
        {"classification": "micro"},
        {"owner_id": str(uuid.uuid4())},
        {"legal_form": "cooperative"},
        {"employees": "many"},
        {"investment_in_plant_machinery": 12.5},
        {"investment_in_plant_machinery": -1},
        {"legal_name": ""},
    ],
)
async def test_forbidden_or_malformed_fields_are_refused(
    client: httpx.AsyncClient,
    owner: Actor,
    db_connection: AsyncConnection,
    overrides: dict[str, object],
) -> None:
    response = await client.post(MSMES, json=profile_payload(**overrides), headers=owner.headers)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert response.json()["error"]["details"][0]["field"] == next(iter(overrides))
    assert await _count(db_connection) == 0


async def test_a_registered_gstin_is_a_conflict_with_dispute_help(
    client: httpx.AsyncClient, owner: Actor, other_owner: Actor, database: Database
) -> None:
    existing = await make_msme(database, other_owner.id)
    payload = profile_payload(gstin=existing.gstin, pan=existing.pan)

    response = await client.post(MSMES, json=payload, headers=owner.headers)

    assert response.status_code == 409
    body = response.json()
    assert body["error"]["code"] == "GSTIN_ALREADY_REGISTERED"
    assert "dispute" in body["message"]
    assert "certificate" in body["message"]


async def test_a_registered_udyam_number_is_a_conflict(
    client: httpx.AsyncClient, owner: Actor, other_owner: Actor, database: Database
) -> None:
    existing = await make_msme(database, other_owner.id)
    payload = profile_payload(udyam_number=existing.udyam_number)

    response = await client.post(MSMES, json=payload, headers=owner.headers)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "UDYAM_ALREADY_REGISTERED"


async def test_a_deleted_profile_frees_its_gstin(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    existing = await make_msme(database, owner.id)
    assert (await client.delete(f"{MSMES}/{existing.id}", headers=owner.headers)).is_success
    payload = profile_payload(gstin=existing.gstin, pan=existing.pan)

    response = await client.post(MSMES, json=payload, headers=owner.headers)

    assert response.status_code == 201


@pytest.mark.parametrize("role", ["buyer", "investor"])
async def test_buyers_and_investors_cannot_create_profiles(
    client: httpx.AsyncClient, database: Database, db_connection: AsyncConnection, role: str
) -> None:
    actor = await signed_in(client, database, role)

    response = await client.post(MSMES, json=profile_payload(), headers=actor.headers)

    assert response.status_code == 403
    assert await _count(db_connection) == 0


async def test_admin_may_create_a_profile(client: httpx.AsyncClient, admin: Actor) -> None:
    response = await client.post(MSMES, json=profile_payload(), headers=admin.headers)

    assert response.status_code == 201


async def test_creating_needs_a_token(client: httpx.AsyncClient) -> None:
    response = await client.post(MSMES, json=profile_payload())

    assert response.status_code == 401


# --- read -------------------------------------------------------------------------------------


async def test_anyone_may_read_a_verified_profile(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)

    response = await client.get(f"{MSMES}/{msme.id}")

    assert response.status_code == 200
    assert response.json()["data"]["legal_name"] == msme.legal_name


@pytest.mark.parametrize("status", ["pending", "rejected"])
async def test_an_undecided_or_rejected_profile_is_hidden_from_others(
    client: httpx.AsyncClient, owner: Actor, buyer: Actor, database: Database, status: str
) -> None:
    msme = await make_msme(database, owner.id, verification_status=status)

    as_buyer = await client.get(f"{MSMES}/{msme.id}", headers=buyer.headers)
    anonymous = await client.get(f"{MSMES}/{msme.id}")

    assert (as_buyer.status_code, anonymous.status_code) == (404, 404)
    assert as_buyer.json()["error"]["code"] == "MSME_NOT_FOUND"


@pytest.mark.parametrize("status", ["pending", "rejected"])
async def test_owner_and_admin_see_an_undecided_profile(
    client: httpx.AsyncClient, owner: Actor, admin: Actor, database: Database, status: str
) -> None:
    msme = await make_msme(database, owner.id, verification_status=status)

    for actor in (owner, admin):
        response = await client.get(f"{MSMES}/{msme.id}", headers=actor.headers)
        assert response.status_code == 200


async def test_an_unknown_profile_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{MSMES}/{uuid.uuid4()}")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "MSME_NOT_FOUND"


async def test_a_malformed_profile_id_is_422(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{MSMES}/not-a-uuid")

    assert response.status_code == 422


# --- change -----------------------------------------------------------------------------------


async def test_owner_changes_a_field_and_the_version_moves(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)

    response = await client.patch(
        f"{MSMES}/{msme.id}", json={"employees": 55, "version": 1}, headers=owner.headers
    )

    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert (data["employees"], data["version"], data["verification_status"]) == (55, 2, "verified")


async def test_a_stale_version_is_a_conflict_and_changes_nothing(
    client: httpx.AsyncClient, owner: Actor, database: Database, db_connection: AsyncConnection
) -> None:
    msme = await make_msme(database, owner.id, employees=10)
    first = await client.patch(
        f"{MSMES}/{msme.id}", json={"employees": 20, "version": 1}, headers=owner.headers
    )
    assert first.status_code == 200

    stale = await client.patch(
        f"{MSMES}/{msme.id}", json={"employees": 30, "version": 1}, headers=owner.headers
    )

    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "VERSION_CONFLICT"
    (stored,) = await rows(db_connection, select(Msme.employees, Msme.version))
    assert tuple(stored) == (20, 2)


@pytest.mark.parametrize(
    "change",
    [
        {"legal_name": "Shree Ganesh Foods LLP"},
        {"udyam_number": "UDYAM-MH-26-7654321"},
        {"cin": "U15400MH2012PTC654321"},
    ],
)
@pytest.mark.parametrize("status", ["verified", "rejected"])
async def test_owner_changing_name_or_identifier_sends_profile_back_to_pending(
    client: httpx.AsyncClient,
    owner: Actor,
    database: Database,
    change: dict[str, str],
    status: str,
) -> None:
    msme = await make_msme(database, owner.id, verification_status=status)

    response = await client.patch(f"{MSMES}/{msme.id}", json=change, headers=owner.headers)

    assert response.status_code == 200
    assert response.json()["data"]["verification_status"] == "pending"


async def test_other_changes_keep_a_verified_profile_verified(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)

    response = await client.patch(
        f"{MSMES}/{msme.id}",
        json={"description": "Now also exporting.", "legal_name": msme.legal_name},
        headers=owner.headers,
    )

    assert response.json()["data"]["verification_status"] == "verified"


async def test_an_admin_change_keeps_the_decision(
    client: httpx.AsyncClient, owner: Actor, admin: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)

    response = await client.patch(
        f"{MSMES}/{msme.id}", json={"legal_name": "Corrected Name Pvt Ltd"}, headers=admin.headers
    )

    assert response.status_code == 200
    assert response.json()["data"]["verification_status"] == "verified"


async def test_changing_investment_reclassifies_with_the_latest_turnover(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id, investment_in_plant_machinery=10**7)
    await make_financials(database, msme.id, "2024-25", revenue=8 * 10**7)

    response = await client.patch(
        f"{MSMES}/{msme.id}",
        json={"investment_in_plant_machinery": 3 * 10**7},
        headers=owner.headers,
    )

    assert response.json()["data"]["classification"] == "small"


async def test_changing_state_away_from_the_gstin_state_is_refused(
    client: httpx.AsyncClient, owner: Actor, database: Database, db_connection: AsyncConnection
) -> None:
    msme = await make_msme(database, owner.id)

    response = await client.patch(
        f"{MSMES}/{msme.id}", json={"state": "Gujarat"}, headers=owner.headers
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "GSTIN_STATE_MISMATCH"
    (stored,) = await rows(db_connection, select(Msme.state))
    assert stored.state == "Maharashtra"


async def test_taking_another_profiles_gstin_is_a_conflict(
    client: httpx.AsyncClient, owner: Actor, other_owner: Actor, database: Database
) -> None:
    theirs = await make_msme(database, other_owner.id)
    mine = await make_msme(database, owner.id)

    response = await client.patch(
        f"{MSMES}/{mine.id}",
        json={"gstin": theirs.gstin, "pan": theirs.pan},
        headers=owner.headers,
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "GSTIN_ALREADY_REGISTERED"


@pytest.mark.parametrize(
    "change",
    [
        {"verification_status": "verified"},
        {"classification": "micro"},
        {"owner_id": str(uuid.uuid4())},
        {"legal_name": None},
        {"sector": None},
        {"version": "one"},
    ],
)
async def test_forbidden_or_cleared_required_fields_are_refused(
    client: httpx.AsyncClient,
    owner: Actor,
    database: Database,
    db_connection: AsyncConnection,
    change: dict[str, object],
) -> None:
    msme = await make_msme(database, owner.id, verification_status="rejected")

    response = await client.patch(f"{MSMES}/{msme.id}", json=change, headers=owner.headers)

    assert response.status_code == 422
    (stored,) = await rows(db_connection, select(Msme.verification_status, Msme.version))
    assert tuple(stored) == ("rejected", 1)


async def test_a_stranger_who_can_see_the_profile_gets_403_on_change(
    client: httpx.AsyncClient, owner: Actor, other_owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)

    response = await client.patch(
        f"{MSMES}/{msme.id}", json={"employees": 1}, headers=other_owner.headers
    )

    assert response.status_code == 403


async def test_a_stranger_who_cannot_see_the_profile_gets_404_on_change(
    client: httpx.AsyncClient, owner: Actor, other_owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id, verification_status="pending")

    patch = await client.patch(
        f"{MSMES}/{msme.id}", json={"employees": 1}, headers=other_owner.headers
    )
    delete = await client.delete(f"{MSMES}/{msme.id}", headers=other_owner.headers)

    assert (patch.status_code, delete.status_code) == (404, 404)


async def test_changing_without_a_token_is_401(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id, verification_status="pending")

    response = await client.patch(f"{MSMES}/{msme.id}", json={"employees": 1})

    assert response.status_code == 401


# --- delete and mine ----------------------------------------------------------------------------


async def test_owner_deletes_softly_and_the_profile_is_gone(
    client: httpx.AsyncClient, owner: Actor, database: Database, db_connection: AsyncConnection
) -> None:
    msme = await make_msme(database, owner.id)

    response = await client.delete(f"{MSMES}/{msme.id}", headers=owner.headers)

    assert response.status_code == 200
    assert (await client.get(f"{MSMES}/{msme.id}", headers=owner.headers)).status_code == 404
    again = await client.delete(f"{MSMES}/{msme.id}", headers=owner.headers)
    assert again.status_code == 404
    (stored,) = await rows(db_connection, select(Msme.deleted_at))
    assert stored.deleted_at is not None


async def test_deleting_a_profile_closes_its_open_listings(
    client: httpx.AsyncClient, owner: Actor, database: Database, db_connection: AsyncConnection
) -> None:
    msme = await make_msme(database, owner.id)
    await make_listing(database, msme, status="active")
    await make_listing(database, msme, status="draft")

    await client.delete(f"{MSMES}/{msme.id}", headers=owner.headers)

    stored = await rows(db_connection, select(Listing.status))
    assert [row.status for row in stored] == ["closed", "closed"]


async def test_changing_sector_or_state_is_copied_to_the_listings(
    client: httpx.AsyncClient, owner: Actor, database: Database, db_connection: AsyncConnection
) -> None:
    msme = await make_msme(database, owner.id, gstin=None, pan=None)
    await make_listing(database, msme)

    response = await client.patch(
        f"{MSMES}/{msme.id}",
        json={"sector": "restaurants", "state": "Goa"},
        headers=owner.headers,
    )

    assert response.status_code == 200
    (stored,) = await rows(db_connection, select(Listing.sector, Listing.state))
    assert tuple(stored) == ("restaurants", "Goa")


async def test_a_stranger_cannot_delete_a_visible_profile(
    client: httpx.AsyncClient, owner: Actor, other_owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)

    response = await client.delete(f"{MSMES}/{msme.id}", headers=other_owner.headers)

    assert response.status_code == 403
    assert (await client.get(f"{MSMES}/{msme.id}")).status_code == 200


async def test_mine_lists_only_my_live_profiles_paginated(
    client: httpx.AsyncClient, owner: Actor, other_owner: Actor, database: Database
) -> None:
    mine = [await make_msme(database, owner.id, verification_status="pending") for _ in range(3)]
    await make_msme(database, other_owner.id)
    await client.delete(f"{MSMES}/{mine[0].id}", headers=owner.headers)

    response = await client.get(f"{MSMES}/mine?page_size=1", headers=owner.headers)

    assert response.status_code == 200
    body = response.json()
    assert body["pagination"] == {"page": 1, "page_size": 1, "total": 2, "pages": 2}
    assert body["data"][0]["id"] in {str(mine[1].id), str(mine[2].id)}


async def test_mine_past_the_end_is_empty(client: httpx.AsyncClient, owner: Actor) -> None:
    response = await client.get(f"{MSMES}/mine?page=5", headers=owner.headers)

    assert response.status_code == 200
    assert response.json()["data"] == []


async def test_mine_refuses_a_page_size_over_100(client: httpx.AsyncClient, owner: Actor) -> None:
    response = await client.get(f"{MSMES}/mine?page_size=101", headers=owner.headers)

    assert response.status_code == 422


# --- retries and metrics ------------------------------------------------------------------------


async def test_a_retried_create_with_the_same_idempotency_key_stores_one_profile(
    client: httpx.AsyncClient, owner: Actor, db_connection: AsyncConnection
) -> None:
    payload = profile_payload()
    headers = owner.headers | {"Idempotency-Key": "create-ganesh-1"}

    first = await client.post(MSMES, json=payload, headers=headers)
    retry = await client.post(MSMES, json=payload, headers=headers)

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json()["data"]["id"] == first.json()["data"]["id"]
    assert await _count(db_connection) == 1


async def test_a_created_profile_counts_in_the_metric(
    client: httpx.AsyncClient, owner: Actor
) -> None:
    before = REGISTRY.get_sample_value("msme_profiles_created_total") or 0

    await client.post(MSMES, json=profile_payload(), headers=owner.headers)

    assert REGISTRY.get_sample_value("msme_profiles_created_total") == before + 1
