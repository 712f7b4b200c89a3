"""Dead letters: a domain event a handler gave up is listed for admins, newest first."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx

from msmebazaar.shared.db import Database, utcnow
from msmebazaar.shared.dispatch import FailedEvent
from tests.admin.helpers import ADMIN
from tests.auth.factories import Actor

FAILED = f"{ADMIN}/events/failed"


async def _dead_letter(database: Database, handler: str, minutes_ago: int) -> uuid.UUID:
    event_id = uuid.uuid4()
    async with database.session() as session:
        session.add(
            FailedEvent(
                handler=handler,
                event_id=event_id,
                event_name="auth.user_role_changed",
                aggregate_id=str(uuid.uuid4()),
                position=1,
                attempts=5,
                error="OperationalError",
                failed_at=utcnow() - timedelta(minutes=minutes_ago),
            )
        )
    return event_id


async def test_admins_see_dead_letters_newest_first_and_by_handler(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    older = await _dead_letter(database, "admin.audit_role_change", 10)
    newer = await _dead_letter(database, "match.react_to_listing", 1)

    everything = await client.get(FAILED, headers=admin.headers)
    one_handler = await client.get(
        FAILED, params={"handler": "admin.audit_role_change"}, headers=admin.headers
    )

    assert everything.status_code == 200
    assert [item["event_id"] for item in everything.json()["data"]] == [str(newer), str(older)]
    assert everything.json()["pagination"]["total"] == 2
    (only,) = one_handler.json()["data"]
    assert (only["event_id"], only["attempts"], only["error"]) == (
        str(older),
        5,
        "OperationalError",
    )


async def test_a_handler_name_past_its_length_is_a_422(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    response = await client.get(FAILED, params={"handler": "x" * 101}, headers=admin.headers)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
