"""Sixteen clients at once against a real server, as `make run` starts it (development, its
background work running: the outbox worker, the WhatsApp sweep, the match index and the count
flusher), on the run's backend: SQLite by default, the throwaway PostgreSQL cluster on a
PostgreSQL run.

Owners value their profiles and edit them, buyers rank matches, read listing cards and send
interests, and visitors sign up, all at the same moment, while this test process writes to the
same database too (as the CLI would). Every answer is a 2xx: no request fails because another
one, or the app's own background work, wrote at the same moment. Afterwards the database holds
exactly what the answers imply: no lost or doubled rows, and every view counted once.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from msmebazaar.auth.models import User
from msmebazaar.match import matching
from msmebazaar.msme.models import Interest, Listing, Msme
from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.db import Database, upgrade_database
from msmebazaar.valuation.models import Valuation
from tests.auth.factories import Actor, new_phone, sign_in
from tests.conftest import TEST_DATABASE_URL
from tests.databases import scratch_postgres_database
from tests.match.factories import active_listing, mandate_payload
from tests.msme.factories import make_financials
from tests.proof.servers import (
    ThrowawayPostgres,
    development_env,
    free_port,
    start_app_server,
    wait_until_serving,
)

API = "/api/v1"
ROUNDS = 6  # requests per client; 16 clients
YEARS = ("2022-23", "2023-24")  # active_listing stores 2024-25


@pytest.fixture
async def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A new, migrated database of the run's backend."""
    if not TEST_DATABASE_URL:
        url = f"sqlite+aiosqlite:///{tmp_path / 'many.db'}"
        upgrade_database(url)
        yield url
        return
    server: ThrowawayPostgres = request.getfixturevalue("throwaway_postgres")
    async with scratch_postgres_database(server.url, "many") as url:
        upgrade_database(url)
        yield url


def _server_env(url: str) -> dict[str, str]:
    # As `make run`: every background worker runs, the sweeps and index checks more often.
    return development_env(url, WHATSAPP_SWEEP_SECONDS="1", MATCH_INDEX_CHECK_SECONDS="0.5")


@dataclass
class Tally:
    """Every answer by client kind, the ones that were not 2xx, and what was created."""

    answers: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    valuations: Counter[uuid.UUID] = field(default_factory=Counter)
    interests: set[tuple[uuid.UUID, uuid.UUID]] = field(default_factory=set)
    views: Counter[uuid.UUID] = field(default_factory=Counter)
    last_description: dict[uuid.UUID, str] = field(default_factory=dict)
    signed_up: list[str] = field(default_factory=list)

    def check(self, kind: str, response: httpx.Response) -> bool:
        """Count the answer; keep it as a failure unless it is a 2xx."""
        self.answers[f"{kind} {response.status_code}"] += 1
        if not 200 <= response.status_code < 300:
            self.failures.append(f"{kind}: {response.status_code} {response.text[:300]}")
            return False
        return True


@dataclass
class Market:
    """What the clients work on: owners with a valued profile each, listings, buyers' mandates."""

    owners: list[tuple[Actor, uuid.UUID]]
    listings: list[uuid.UUID]
    buyers: list[tuple[Actor, str]]


async def _market(http: httpx.AsyncClient, url: str) -> Market:
    owners = [Actor(await sign_in(http, role="msme_owner", name="Owner")) for _ in range(6)]
    database = Database.from_settings(DatabaseSettings(url=url))
    try:
        owned, listings = [], []
        for owner in owners:
            for _ in range(3):
                listing = await active_listing(database, owner.id)
                listings.append(listing.id)
            for year in YEARS:
                await make_financials(database, listing.msme_id, fiscal_year=year)
            owned.append((owner, listing.msme_id))
    finally:
        await database.dispose()
    buyers = []
    for _ in range(6):
        buyer = Actor(await sign_in(http, role="buyer", name="Buyer"))
        created = await http.post(f"{API}/mandates", json=mandate_payload(), headers=buyer.headers)
        assert created.status_code == 201, created.text
        buyers.append((buyer, created.json()["data"]["id"]))
    return Market(owned, listings, buyers)


async def _valuer(http: httpx.AsyncClient, owner: Actor, msme_id: uuid.UUID, tally: Tally) -> None:
    for _ in range(ROUNDS):
        body = {"msme_id": str(msme_id)}
        response = await http.post(f"{API}/valuations", json=body, headers=owner.headers)
        if tally.check("valuation", response):
            tally.valuations[msme_id] += 1


async def _editor(http: httpx.AsyncClient, owner: Actor, msme_id: uuid.UUID, tally: Tally) -> None:
    for round_ in range(ROUNDS):
        text = f"Snacks and namkeen made in our own plant, edit {round_} of {msme_id.hex[:6]}."
        response = await http.patch(
            f"{API}/msmes/{msme_id}", json={"description": text}, headers=owner.headers
        )
        if tally.check("profile", response):
            tally.last_description[msme_id] = text


async def _matcher(http: httpx.AsyncClient, buyer: Actor, mandate_id: str, tally: Tally) -> None:
    for _ in range(ROUNDS):
        response = await http.get(f"{API}/matches/mandates/{mandate_id}", headers=buyer.headers)
        tally.check("matches", response)


async def _interested(
    http: httpx.AsyncClient, buyer: Actor, listings: list[uuid.UUID], tally: Tally
) -> None:
    for listing_id in listings[:ROUNDS]:
        card = await http.get(f"{API}/listings/{listing_id}", headers=buyer.headers)
        if tally.check("card", card):
            tally.views[listing_id] += 1
        body = {"message": "We would like to talk about this business."}
        response = await http.post(
            f"{API}/listings/{listing_id}/interests", json=body, headers=buyer.headers
        )
        if tally.check("interest", response):
            tally.interests.add((buyer.id, listing_id))


async def _visitor(http: httpx.AsyncClient, tally: Tally) -> None:
    for _ in range(ROUNDS // 2):
        phone = new_phone()
        requested = await http.post(f"{API}/auth/otp/request", json={"phone": phone})
        if not tally.check("otp_request", requested):
            continue
        body = {"phone": phone, "code": requested.json()["data"]["debug_code"], "role": "buyer"}
        if tally.check("otp_verify", await http.post(f"{API}/auth/otp/verify", json=body)):
            tally.signed_up.append(phone)


async def _sixteen_clients(http: httpx.AsyncClient, market: Market, tally: Tally) -> None:
    owners, buyers = market.owners, market.buyers
    clients = [
        *(_valuer(http, owner, msme_id, tally) for owner, msme_id in owners[:3]),
        *(_editor(http, owner, msme_id, tally) for owner, msme_id in owners[3:6]),
        *(_matcher(http, buyer, mandate_id, tally) for buyer, mandate_id in buyers[:4]),
        *(
            _interested(http, buyer, market.listings[n * 3 :], tally)
            for n, (buyer, _) in enumerate(buyers[2:5])
        ),
        *(_visitor(http, tally) for _ in range(3)),
    ]
    assert len(clients) == 16
    await asyncio.gather(*clients)


async def _stored(url: str, market: Market, tally: Tally) -> None:
    """The database holds exactly what the answers said was stored."""
    database = Database.from_settings(DatabaseSettings(url=url))
    try:
        async with database.read_session() as session:
            msme_ids = [msme_id for _, msme_id in market.owners]
            valued = Counter(
                dict(
                    (
                        await session.execute(
                            select(Valuation.msme_id, func.count())
                            .where(Valuation.msme_id.in_(msme_ids))
                            .group_by(Valuation.msme_id)
                        )
                    ).all()
                )
            )
            assert valued == tally.valuations
            interests = set(
                (await session.execute(select(Interest.buyer_id, Interest.listing_id))).all()
            )
            assert interests == tally.interests
            for msme_id, text in tally.last_description.items():
                assert (
                    await session.scalar(select(Msme.description).where(Msme.id == msme_id)) == text
                )
            views = dict((await session.execute(select(Listing.id, Listing.views_count))).all())
            assert {key: views[key] for key in tally.views} == dict(tally.views)
            users = await session.scalar(
                select(func.count()).select_from(User).where(User.phone.in_(tally.signed_up))
            )
            assert users == len(tally.signed_up)
    finally:
        await database.dispose()


async def _writes_beside(url: str, stop: asyncio.Event, owner_id: uuid.UUID) -> int:
    """Another process's writer (this test, as the CLI would be): a listing every 50 ms."""
    database = Database.from_settings(DatabaseSettings(url=url))
    try:
        for written in itertools.count():
            if stop.is_set():
                return written
            await active_listing(database, owner_id, status="draft")
            await asyncio.sleep(0.05)
    finally:
        await database.dispose()
    return 0  # pragma: no cover - the loop returns


async def test_sixteen_clients_at_once_get_no_error_and_lose_nothing(fresh_url: str) -> None:
    port = free_port()
    server = start_app_server(_server_env(fresh_url), port, workers=1)
    tally = Tally()
    try:
        await wait_until_serving(port)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
            market = await _market(http, fresh_url)
            stop = asyncio.Event()
            beside = asyncio.create_task(_writes_beside(fresh_url, stop, market.owners[0][0].id))
            await _sixteen_clients(http, market, tally)
            stop.set()
            assert await beside > 0
    finally:
        server.terminate()  # a graceful stop writes the counts still held in memory
        server.wait(timeout=30)

    assert tally.failures == [], (tally.failures[:5], tally.answers)
    assert sum(tally.valuations.values()) == 3 * ROUNDS
    assert len(tally.interests) == 3 * ROUNDS
    await _stored(fresh_url, market, tally)


async def test_first_rankings_of_many_mandates_at_once_wait_for_no_connection(
    committed_client: httpx.AsyncClient, committed_db: Database
) -> None:
    # Each first ranking of a mandate reads its stored vector. When that read took a second
    # pooled connection while the request held one, 16 at once (one client's share) emptied the
    # pool (15 on SQLite, 20 on PostgreSQL) and every
    # request waited for a connection that none would give back (503 after the pool timeout).
    owner = Actor(await sign_in(committed_client, role="msme_owner", name="Owner"))
    await active_listing(committed_db, owner.id)
    buyers = []
    for _ in range(16):
        buyer = Actor(await sign_in(committed_client, role="buyer", name="Buyer"))
        created = await committed_client.post(
            f"{API}/mandates", json=mandate_payload(), headers=buyer.headers
        )
        buyers.append((buyer, created.json()["data"]["id"]))
    matching._MANDATE_VECTORS.clear()  # every ranking below is its mandate's first

    answers = await asyncio.gather(
        *(
            committed_client.get(f"{API}/matches/mandates/{mandate_id}", headers=buyer.headers)
            for buyer, mandate_id in buyers
        )
    )

    assert [answer.status_code for answer in answers] == [200] * 16, answers[0].text
