"""My sign-ins: a user sees their live sessions (device, network, when, which is this one), ends
one at once (tokens and all), hears of a sign-in from a new device, and ends of sessions are
audited. Nobody else's session can be seen or ended."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import select

from msmebazaar.admin.models import AuditEntry
from msmebazaar.auth.models import AuthSession
from msmebazaar.shared.db import Database
from msmebazaar.shared.outbox import OutboxMessage
from tests.auth.factories import ME, REFRESH, bearer, make_user, new_phone, sign_in

SESSIONS = "/api/v1/auth/sessions"
LAPTOP = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"
PHONE_APP = "MSMEBazaarApp/2.1 (Android 14)"


async def _sign_in_on(
    client: httpx.AsyncClient, phone: str, device: str, *, app_id: str | None = None, **fields: Any
) -> dict[str, Any]:
    headers = {"User-Agent": device, **({"X-Device-Id": app_id} if app_id else {})}
    client.headers.update(headers)
    try:
        return await sign_in(client, phone, **fields)
    finally:
        for name in headers:
            del client.headers[name]


async def _notices(database: Database, phone: str) -> list[str]:
    async with database.read_session() as session:
        rows = await session.scalars(
            select(OutboxMessage.body)
            .where(OutboxMessage.recipient == phone, OutboxMessage.template == "auth_new_device")
            .order_by(OutboxMessage.created_at)
        )
        return list(rows)


async def test_i_see_my_sign_ins_with_device_network_and_which_is_this_one(
    client: httpx.AsyncClient,
) -> None:
    phone = new_phone()
    laptop = await _sign_in_on(client, phone, LAPTOP, role="buyer", name="Meera")
    app = await _sign_in_on(client, phone, PHONE_APP)

    response = await client.get(SESSIONS, headers=bearer(laptop))

    assert response.status_code == 200
    items = response.json()["data"]
    assert {item["device"] for item in items} == {LAPTOP, PHONE_APP}
    assert {item["ip_prefix"] for item in items} == {"203.0.113.0/24"}  # the test client's /24
    current = [item["device"] for item in items if item["current"]]
    assert current == [LAPTOP]
    assert response.json()["pagination"]["total"] == 2
    mine = await client.get(SESSIONS, headers=bearer(app))
    assert [item["device"] for item in mine.json()["data"] if item["current"]] == [PHONE_APP]


async def test_ending_another_sign_in_stops_its_tokens_at_once_and_is_audited(
    client: httpx.AsyncClient, database: Database
) -> None:
    phone = new_phone()
    laptop = await _sign_in_on(client, phone, LAPTOP, role="buyer", name="Meera")
    stolen = await _sign_in_on(client, phone, PHONE_APP)
    assert (await client.get(ME, headers=bearer(stolen))).status_code == 200
    listed = (await client.get(SESSIONS, headers=bearer(laptop))).json()["data"]
    (other,) = [item["id"] for item in listed if not item["current"]]

    ended = await client.delete(f"{SESSIONS}/{other}", headers=bearer(laptop))

    assert ended.status_code == 200
    assert ended.json()["data"]["id"] == other
    assert (await client.get(ME, headers=bearer(stolen))).status_code == 401
    refreshed = await client.post(REFRESH, json={"refresh_token": stolen["refresh_token"]})
    assert refreshed.status_code == 401
    left = (await client.get(SESSIONS, headers=bearer(laptop))).json()["data"]
    assert [item["device"] for item in left] == [LAPTOP]
    async with database.read_session() as session:
        (audited,) = list(
            await session.scalars(
                select(AuditEntry).where(AuditEntry.action == "user.session_ended")
            )
        )
    assert audited.target_id == uuid.UUID(laptop["user"]["id"])
    assert audited.after == {
        "session_id": other,
        "ended_from_session_id": next(item["id"] for item in listed if item["current"]),
    }


async def test_i_can_end_the_sign_in_i_am_using(client: httpx.AsyncClient) -> None:
    tokens = await sign_in(client, role="investor", name="Ravi")
    (current,) = (await client.get(SESSIONS, headers=bearer(tokens))).json()["data"]

    ended = await client.delete(f"{SESSIONS}/{current['id']}", headers=bearer(tokens))

    assert ended.status_code == 200
    assert (await client.get(ME, headers=bearer(tokens))).status_code == 401


async def test_another_users_sign_in_is_not_found_like_one_that_never_was(
    client: httpx.AsyncClient,
) -> None:
    victim = await sign_in(client, role="buyer", name="Victim")
    (victims,) = (await client.get(SESSIONS, headers=bearer(victim))).json()["data"]
    attacker = await sign_in(client, role="buyer", name="Attacker")

    theirs = await client.delete(f"{SESSIONS}/{victims['id']}", headers=bearer(attacker))
    nothing = await client.delete(f"{SESSIONS}/{uuid.uuid4()}", headers=bearer(attacker))
    malformed = await client.delete(f"{SESSIONS}/not-an-id", headers=bearer(attacker))
    anonymous = await client.get(SESSIONS)

    assert (theirs.status_code, theirs.json()["error"]["code"]) == (404, "SESSION_NOT_FOUND")
    assert nothing.json()["error"] == theirs.json()["error"]  # the same answer: nothing told
    assert malformed.status_code == 422
    assert anonymous.status_code == 401
    assert (await client.get(ME, headers=bearer(victim))).status_code == 200


async def test_a_sign_in_from_a_new_device_is_told_by_sms_and_a_known_one_is_not(
    client: httpx.AsyncClient, database: Database
) -> None:
    phone = new_phone()
    await _sign_in_on(client, phone, LAPTOP, role="buyer", name="Meera")  # the account is new
    await _sign_in_on(client, phone, LAPTOP)  # the same laptop again
    assert await _notices(database, phone) == []

    await _sign_in_on(client, phone, PHONE_APP)
    await _sign_in_on(client, phone, PHONE_APP)

    (notice,) = await _notices(database, phone)
    assert "MSMEBazaar app on Android" in notice  # the device's family, never its own words
    assert PHONE_APP not in notice
    assert "203.0.113.0/24" in notice
    assert "IST" in notice


async def test_a_browser_update_is_not_a_new_device_but_an_unknown_one_always_is(
    client: httpx.AsyncClient, database: Database
) -> None:
    phone = new_phone()
    await _sign_in_on(client, phone, LAPTOP, role="buyer", name="Meera")

    await _sign_in_on(client, phone, LAPTOP.replace("Firefox/133.0", "Firefox/134.0"))
    assert await _notices(database, phone) == []
    await _sign_in_on(client, phone, "")
    await _sign_in_on(client, phone, "")

    assert len(await _notices(database, phone)) == 2


async def test_a_notice_never_carries_what_a_client_wrote(
    client: httpx.AsyncClient, database: Database
) -> None:
    phone = new_phone()
    await _sign_in_on(client, phone, LAPTOP, role="buyer", name="Meera")

    await _sign_in_on(client, phone, "Call +919999999999 http://phish.example Chrome/1 Android")

    (notice,) = await _notices(database, phone)
    assert "Chrome on Android" in notice
    assert "phish" not in notice
    assert "9999999999" not in notice


async def test_a_device_whose_sign_in_i_ended_is_new_again(
    client: httpx.AsyncClient, database: Database
) -> None:
    phone = new_phone()
    laptop = await _sign_in_on(client, phone, LAPTOP, role="buyer", name="Meera")
    intruder = await _sign_in_on(client, phone, PHONE_APP)
    listed = (await client.get(SESSIONS, headers=bearer(laptop))).json()["data"]
    (theirs,) = [item["id"] for item in listed if not item["current"]]
    await client.delete(f"{SESSIONS}/{theirs}", headers=bearer(laptop))
    assert (await client.get(ME, headers=bearer(intruder))).status_code == 401

    await _sign_in_on(client, phone, PHONE_APP)  # the intruder again, from the same app

    assert len(await _notices(database, phone)) == 2


async def test_a_sign_in_ended_twice_is_ended_and_audited_once(
    client: httpx.AsyncClient, database: Database
) -> None:
    phone = new_phone()
    laptop = await _sign_in_on(client, phone, LAPTOP, role="buyer", name="Meera")
    await _sign_in_on(client, phone, PHONE_APP)
    listed = (await client.get(SESSIONS, headers=bearer(laptop))).json()["data"]
    (other,) = [item["id"] for item in listed if not item["current"]]

    first = await client.delete(f"{SESSIONS}/{other}", headers=bearer(laptop))
    second = await client.delete(f"{SESSIONS}/{other}", headers=bearer(laptop))

    assert (first.status_code, second.status_code) == (200, 404)
    async with database.read_session() as session:
        audited = list(
            await session.scalars(
                select(AuditEntry).where(AuditEntry.action == "user.session_ended")
            )
        )
    assert [(entry.actor_role, (entry.after or {})["session_id"]) for entry in audited] == [
        ("buyer", other)
    ]


async def test_the_new_device_notice_is_in_the_users_language(
    client: httpx.AsyncClient, database: Database
) -> None:
    phone = new_phone()
    await make_user(database, phone=phone, role="buyer", language="hi")

    await _sign_in_on(client, phone, PHONE_APP)

    (notice,) = await _notices(database, phone)
    assert "साइन इन" in notice


async def test_last_seen_moves_when_a_sign_in_is_used(
    client: httpx.AsyncClient, database: Database
) -> None:
    tokens = await sign_in(client, role="buyer", name="Meera")
    session_id = uuid.UUID(
        (await client.get(SESSIONS, headers=bearer(tokens))).json()["data"][0]["id"]
    )
    async with database.session() as session:  # signed in long ago
        row = await session.get(AuthSession, session_id)
        assert row is not None
        first_seen = row.last_seen_at
        assert first_seen is not None
        row.last_seen_at = first_seen.replace(year=first_seen.year - 1)

    await client.get(ME, headers=bearer(tokens))
    await database.flush_counts()  # the app does this every second, off the request

    async with database.read_session() as session:
        seen = await session.scalar(
            select(AuthSession.last_seen_at).where(AuthSession.id == session_id)
        )
    assert seen is not None
    assert seen >= first_seen


async def test_an_app_that_keeps_a_device_id_is_told_apart_from_one_like_it(
    client: httpx.AsyncClient, database: Database
) -> None:
    phone, mine, theirs = new_phone(), "a" * 22 + "-mine", "b" * 22 + "-theirs"
    await _sign_in_on(client, phone, PHONE_APP, app_id=mine, role="buyer", name="Meera")
    await _sign_in_on(client, phone, PHONE_APP.replace("2.1", "2.2"), app_id=mine)  # an update
    assert await _notices(database, phone) == []

    await _sign_in_on(client, phone, PHONE_APP, app_id=theirs)  # the same app on another phone

    assert len(await _notices(database, phone)) == 1


async def test_a_device_id_that_is_not_one_of_ours_is_ignored(
    client: httpx.AsyncClient, database: Database
) -> None:
    phone = new_phone()
    await _sign_in_on(client, phone, PHONE_APP, role="buyer", name="Meera")

    await _sign_in_on(client, phone, PHONE_APP, app_id="short")  # too short: the family decides

    assert await _notices(database, phone) == []
