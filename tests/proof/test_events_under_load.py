"""Many users change things at once (their role; their sign-ins) while the app's own dispatcher
delivers domain events in the background (the single-process default, `make run`): no request
fails, and every change is audited exactly once. On SQLite the dispatcher's units share the one
writer with the requests; on PostgreSQL the event inserts queue on their advisory lock while the
handlers write beside them (a throwaway cluster's database, never the shared server's)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter

import httpx
from asgi_lifespan import LifespanManager
from sqlalchemy import func, select

from msmebazaar.admin.models import AuditEntry
from msmebazaar.app import create_app
from msmebazaar.shared.cache import MemoryCache
from msmebazaar.shared.config import Environment, EventSettings, OutboxSettings, RedisSettings
from msmebazaar.shared.db import Database
from msmebazaar.shared.ratelimit import create_rate_limiter
from tests.auth.factories import Actor, sign_in
from tests.conftest import make_settings

CLIENTS = 8
SWITCHES = 6  # per client, back and forth between buyer and investor
ROLE_CHANGED, SESSION_ENDED = "user.role_changed", "user.session_ended"
ME, SESSIONS = "/api/v1/auth/me", "/api/v1/auth/sessions"


async def _audited(
    database: Database, users: list[uuid.UUID], action: str = ROLE_CHANGED
) -> Counter[uuid.UUID | None]:
    async with database.read_session() as session:
        rows = await session.execute(
            select(AuditEntry.target_id, func.count())
            .where(AuditEntry.action == action, AuditEntry.target_id.in_(users))
            .group_by(AuditEntry.target_id)
        )
        return Counter({target: int(count) for target, count in rows})


async def _switch_back_and_forth(http: httpx.AsyncClient, user: Actor) -> list[int]:
    answers = []
    for turn in range(SWITCHES):
        role = "investor" if turn % 2 == 0 else "buyer"
        response = await http.patch("/api/v1/auth/me", json={"role": role}, headers=user.headers)
        answers.append(response.status_code)
    return answers


async def test_concurrent_changes_are_each_audited_once_by_the_embedded_dispatcher(
    committed_url: str, committed_db: Database
) -> None:
    settings = make_settings(committed_url, environment=Environment.DEVELOPMENT)
    settings.outbox = OutboxSettings(worker_embedded=True)
    settings.events = EventSettings(poll_seconds=0.05)
    limiter = create_rate_limiter(RedisSettings(url=None))
    app = create_app(settings, database=committed_db, cache=MemoryCache(), rate_limiter=limiter)
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app, client=("198.51.100.31", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            users = [
                Actor(await sign_in(http, role="buyer", name="Switcher")) for _ in range(CLIENTS)
            ]
            answers = await asyncio.gather(*(_switch_back_and_forth(http, u) for u in users))
            ids = [user.id for user in users]
            deadline = time.monotonic() + 30
            while sum((await _audited(committed_db, ids)).values()) < CLIENTS * SWITCHES:
                assert time.monotonic() < deadline, "the audit rows did not all arrive"
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.5)  # time for a repeat to show, were there one
            audited = await _audited(committed_db, ids)

    assert [status for client in answers for status in client] == [200] * CLIENTS * SWITCHES
    assert audited == Counter(dict.fromkeys(ids, SWITCHES))


async def test_many_users_ending_sign_ins_at_once_fail_no_request_and_audit_each_once(
    committed_url: str, committed_db: Database
) -> None:
    settings = make_settings(committed_url, environment=Environment.DEVELOPMENT)
    settings.outbox = OutboxSettings(worker_embedded=True)
    settings.events = EventSettings(poll_seconds=0.05)
    limiter = create_rate_limiter(RedisSettings(url=None))
    app = create_app(settings, database=committed_db, cache=MemoryCache(), rate_limiter=limiter)
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app, client=("198.51.100.32", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            pairs = []
            for _ in range(CLIENTS):  # each user signed in on a laptop and a phone
                laptop = Actor(await sign_in(http, role="buyer", name="U"))
                phone = (await http.get(ME, headers=laptop.headers)).json()["data"]["phone"]
                pairs.append((laptop, Actor(await sign_in(http, phone))))

            async def end_the_phones_sign_in(laptop: Actor, phone: Actor) -> list[int]:
                listed = await http.get(SESSIONS, headers=laptop.headers)
                (other,) = [item["id"] for item in listed.json()["data"] if not item["current"]]
                ended = await http.delete(f"{SESSIONS}/{other}", headers=laptop.headers)
                refused = await http.get(ME, headers=phone.headers)
                return [listed.status_code, ended.status_code, refused.status_code]

            answers = await asyncio.gather(*(end_the_phones_sign_in(*pair) for pair in pairs))
            ids = [laptop.id for laptop, _ in pairs]
            deadline = time.monotonic() + 30
            while sum((await _audited(committed_db, ids, SESSION_ENDED)).values()) < CLIENTS:
                assert time.monotonic() < deadline, "the audit rows did not all arrive"
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.5)
            audited = await _audited(committed_db, ids, SESSION_ENDED)

    assert answers == [[200, 200, 401]] * CLIENTS
    assert audited == Counter(dict.fromkeys(ids, 1))
