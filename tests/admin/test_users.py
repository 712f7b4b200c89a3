"""Users: search, suspension (sessions ended, listings hidden), role changes and their rules."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.auth.models import AuthSession, User
from msmebazaar.msme.models import Listing
from msmebazaar.msme.service import active_listing_facts, listing_stamp
from msmebazaar.shared.db import Database
from tests.admin.helpers import ADMIN, admin_actions, audit_rows
from tests.auth.factories import ME, REFRESH, Actor, bearer, make_user, sign_in
from tests.msme.factories import make_listing, make_msme

USERS = f"{ADMIN}/users"
LISTINGS = "/api/v1/listings"


def _user(user_id: Any) -> str:
    return f"{USERS}/{user_id}"


async def _stored(connection: AsyncConnection, user_id: uuid.UUID) -> Any:
    statement = select(User.role, User.status).where(User.id == user_id)
    return (await connection.execute(statement)).one()


# --- search ---------------------------------------------------------------------------------


async def test_q_matches_name_email_or_phone(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    meera = await make_user(database, name="Meera Iyer", phone="+919812345670")
    ravi = await make_user(database, name="Ravi Kumar")
    async with database.session() as session:
        await session.execute(
            update(User).where(User.id == ravi.id).values(email="ravi@kumar-textiles.in")
        )

    by_name = await client.get(USERS, params={"q": "meera"}, headers=admin.headers)
    by_email = await client.get(USERS, params={"q": "KUMAR-TEXT"}, headers=admin.headers)
    by_phone = await client.get(USERS, params={"q": "98123 45670"}, headers=admin.headers)

    assert [u["id"] for u in by_name.json()["data"]] == [str(meera.id)]
    assert [u["id"] for u in by_email.json()["data"]] == [str(ravi.id)]
    assert [u["id"] for u in by_phone.json()["data"]] == [str(meera.id)]
    assert by_phone.json()["data"][0]["phone"] == "+919812345670"


async def test_users_filter_by_role_and_status_and_page(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    for _ in range(3):
        await make_user(database, role="investor", name="Filter Probe")
    suspended = await make_user(database, role="investor", status="suspended", name="Filter Probe")

    page = await client.get(
        USERS,
        params={"q": "filter probe", "role": "investor", "status": "active", "page_size": 2},
        headers=admin.headers,
    )
    only_suspended = await client.get(
        USERS, params={"q": "filter probe", "status": "suspended"}, headers=admin.headers
    )

    assert page.status_code == 200
    assert page.json()["pagination"] == {"page": 1, "page_size": 2, "total": 3, "pages": 2}
    assert [u["id"] for u in only_suspended.json()["data"]] == [str(suspended.id)]


@pytest.mark.parametrize(
    "params",
    [{"role": "superuser"}, {"status": "banned"}, {"page_size": 101}, {"q": "x" * 101}],
)
async def test_bad_user_filters_are_422(
    client: httpx.AsyncClient, admin: Actor, params: dict[str, Any]
) -> None:
    response = await client.get(USERS, params=params, headers=admin.headers)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


# --- suspension -----------------------------------------------------------------------------


async def test_suspending_ends_every_session_at_once(
    client: httpx.AsyncClient, admin: Actor, db_connection: AsyncConnection
) -> None:
    tokens = await sign_in(client, role="buyer", name="Sunil Rao")
    user_id = uuid.UUID(tokens["user"]["id"])
    assert (await client.get(ME, headers=bearer(tokens))).status_code == 200  # now cached

    response = await client.patch(
        _user(user_id), json={"status": "suspended", "reason": "Fake buyer"}, headers=admin.headers
    )

    assert response.status_code == 200, response.text
    assert response.json()["data"]["sessions_ended"] == 1
    assert response.json()["data"]["user"]["status"] == "suspended"
    me = await client.get(ME, headers=bearer(tokens))
    assert me.status_code == 401
    assert me.json()["error"]["code"] == "SESSION_REVOKED"
    refresh = await client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})
    assert refresh.status_code == 401
    open_sessions = await db_connection.execute(
        select(AuthSession.id).where(
            AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)
        )
    )
    assert open_sessions.all() == []
    (row,) = await audit_rows(db_connection, user_id)
    assert (row.action, row.before, row.after) == (
        "user.status_changed",
        {"status": "active"},
        {"status": "suspended"},
    )
    assert row.reason == "Fake buyer"


async def test_suspending_an_owner_hides_their_listings_and_reactivating_shows_them(
    client: httpx.AsyncClient,
    database: Database,
    admin: Actor,
    buyer: Actor,
    db_connection: AsyncConnection,
) -> None:
    owner = await make_user(database)
    msme = await make_msme(database, owner.id)
    listing = await make_listing(database, msme)
    active_before = (await _stamp(database)).active_count

    suspend = await client.patch(
        _user(owner.id), json={"status": "suspended"}, headers=admin.headers
    )

    assert suspend.json()["data"]["listings_changed"] == 1
    assert (await _listing(db_connection, listing.id)) == ("active", True)
    assert str(listing.id) not in await _search_ids(client)
    assert (await client.get(f"{LISTINGS}/{listing.id}")).status_code == 404
    interest = await client.post(
        f"{LISTINGS}/{listing.id}/interests",
        json={"message": "We would like to know more."},
        headers=buyer.headers,
    )
    assert interest.status_code == 404
    assert listing.id not in await _facts_ids(database)
    assert (await _stamp(database)).active_count == active_before - 1

    reactivate = await client.patch(
        _user(owner.id), json={"status": "active"}, headers=admin.headers
    )

    assert reactivate.json()["data"]["listings_changed"] == 1
    assert (await _listing(db_connection, listing.id)) == ("active", False)
    assert str(listing.id) in await _search_ids(client)
    assert (await client.get(f"{LISTINGS}/{listing.id}")).status_code == 200
    assert listing.id in await _facts_ids(database)


async def _listing(connection: AsyncConnection, listing_id: uuid.UUID) -> Any:
    statement = select(Listing.status, Listing.owner_suspended).where(Listing.id == listing_id)
    return tuple((await connection.execute(statement)).one())


async def _search_ids(client: httpx.AsyncClient) -> list[str]:
    response = await client.get(LISTINGS, params={"page_size": 100})
    return [card["id"] for card in response.json()["data"]]


async def _facts_ids(database: Database) -> set[uuid.UUID]:
    async with database.session() as session:
        return {facts.id for facts in await active_listing_facts(session)}


async def _stamp(database: Database) -> Any:
    async with database.session() as session:
        return await listing_stamp(session)


async def test_a_listing_approved_while_its_owner_is_suspended_stays_hidden(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    owner = await make_user(database)
    listing = await make_listing(database, await make_msme(database, owner.id), status="submitted")
    await client.patch(_user(owner.id), json={"status": "suspended"}, headers=admin.headers)

    approve = await client.post(
        f"{ADMIN}/listings/{listing.id}/moderate",
        json={"decision": "approve"},
        headers=admin.headers,
    )

    assert approve.json()["data"]["listing"]["status"] == "active"
    assert str(listing.id) not in await _search_ids(client)


# --- roles ----------------------------------------------------------------------------------


async def test_changing_a_role_takes_effect_at_once_and_is_audited(
    client: httpx.AsyncClient, admin: Actor, db_connection: AsyncConnection
) -> None:
    tokens = await sign_in(client, role="buyer")
    user_id = uuid.UUID(tokens["user"]["id"])
    assert (await client.get(ME, headers=bearer(tokens))).json()["data"]["role"] == "buyer"
    before = admin_actions("user.role_changed")

    response = await client.patch(_user(user_id), json={"role": "investor"}, headers=admin.headers)

    assert response.status_code == 200, response.text
    assert (await client.get(ME, headers=bearer(tokens))).json()["data"]["role"] == "investor"
    (row,) = await audit_rows(db_connection, user_id, "user.role_changed")
    assert (row.before, row.after) == ({"role": "buyer"}, {"role": "investor"})
    assert admin_actions("user.role_changed") == before + 1


async def test_changing_status_and_role_together_writes_two_audit_rows(
    client: httpx.AsyncClient, database: Database, admin: Actor, db_connection: AsyncConnection
) -> None:
    user = await make_user(database, role="buyer")

    response = await client.patch(
        _user(user.id), json={"status": "suspended", "role": "investor"}, headers=admin.headers
    )

    assert response.status_code == 200
    assert await _stored(db_connection, user.id) == ("investor", "suspended")
    actions = sorted(row.action for row in await audit_rows(db_connection, user.id))
    assert actions == ["user.role_changed", "user.status_changed"]


async def test_an_admin_can_demote_another_admin(
    client: httpx.AsyncClient, admin: Actor, other_admin: Actor, db_connection: AsyncConnection
) -> None:
    response = await client.patch(
        _user(other_admin.id), json={"role": "buyer"}, headers=admin.headers
    )

    assert response.status_code == 200
    assert await _stored(db_connection, other_admin.id) == ("buyer", "active")


async def test_granting_admin_is_refused(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    user = await make_user(database, role="buyer")

    response = await client.patch(_user(user.id), json={"role": "admin"}, headers=admin.headers)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "ROLE_NOT_ALLOWED"


@pytest.mark.parametrize("body", [{"status": "suspended"}, {"role": "buyer"}])
async def test_an_admin_cannot_suspend_or_demote_themselves(
    client: httpx.AsyncClient,
    admin: Actor,
    other_admin: Actor,
    db_connection: AsyncConnection,
    body: dict[str, str],
) -> None:
    response = await client.patch(_user(admin.id), json=body, headers=admin.headers)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "SELF_CHANGE_NOT_ALLOWED"
    assert await _stored(db_connection, admin.id) == ("admin", "active")
    # Only the admin's own two-step set-up is on record about them.
    actions = [row.action for row in await audit_rows(db_connection, admin.id)]
    assert actions == ["user.second_factor_enabled"]


@pytest.mark.parametrize("body", [{"status": "suspended"}, {"role": "investor"}])
async def test_the_last_active_admin_is_never_suspended_or_demoted(
    client: httpx.AsyncClient,
    database: Database,
    *,
    admin: Actor,
    other_admin: Actor,
    db_connection: AsyncConnection,
    body: dict[str, str],
) -> None:
    # `admin` still holds a cached admin session, but another admin demoted them meanwhile:
    # `other_admin` is now the only active admin left.
    assert (await client.get(USERS, headers=admin.headers)).status_code == 200
    async with database.session() as session:
        await session.execute(update(User).where(User.id == admin.id).values(role="buyer"))

    response = await client.patch(_user(other_admin.id), json=body, headers=admin.headers)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "LAST_ADMIN"
    assert await _stored(db_connection, other_admin.id) == ("admin", "active")


async def test_an_admin_demoted_meanwhile_cannot_change_other_users(
    client: httpx.AsyncClient,
    database: Database,
    admin: Actor,
    other_admin: Actor,
    db_connection: AsyncConnection,
) -> None:
    user = await make_user(database, role="buyer")
    assert (await client.get(USERS, headers=admin.headers)).status_code == 200
    async with database.session() as session:
        await session.execute(update(User).where(User.id == admin.id).values(role="buyer"))

    response = await client.patch(_user(user.id), json={"role": "investor"}, headers=admin.headers)

    assert response.status_code == 403
    assert await _stored(db_connection, user.id) == ("buyer", "active")


async def test_an_unchanged_user_is_not_audited(
    client: httpx.AsyncClient, database: Database, admin: Actor, db_connection: AsyncConnection
) -> None:
    user = await make_user(database, role="buyer")

    response = await client.patch(
        _user(user.id), json={"role": "buyer", "status": "active"}, headers=admin.headers
    )

    assert response.status_code == 200
    assert await audit_rows(db_connection, user.id) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, ""), ({"status": "banned"}, "status"), ({"role": "root"}, "role"), ({"x": 1}, "x")],
)
async def test_bad_user_changes_are_422(
    client: httpx.AsyncClient, database: Database, admin: Actor, body: dict[str, Any], field: str
) -> None:
    user = await make_user(database)

    response = await client.patch(_user(user.id), json=body, headers=admin.headers)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    if field:
        assert response.json()["error"]["details"][0]["field"] == field


async def test_changing_an_unknown_user_is_404(client: httpx.AsyncClient, admin: Actor) -> None:
    response = await client.patch(
        _user(uuid.uuid4()), json={"status": "suspended"}, headers=admin.headers
    )

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "USER_NOT_FOUND"
