"""An Alembic migration under steady traffic fails no request: migration 0009 (one live interest
per buyer per listing) runs against the database a real two-worker server is using, while
buyers list listings, send interests, withdraw and get accepted, and owners read and accept.

The server runs the new code throughout, so the test also proves the order of a deploy: the new
code on the old schema refuses a re-send after a withdrawal with the same 409 as before (the old
unique constraint decides), and once the migration has committed the same request creates a new
interest, up to the cap of interests per buyer per listing; the one past it is refused. Every
listing's counter still counts its buyers, not their interests. On PostgreSQL the database is a
throwaway cluster's, never the shared server's.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import itertools
import os
import sys
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import func, select, text
from sqlalchemy.engine import Connection

from msmebazaar.auth.models import User
from msmebazaar.msme.interests import MAX_INTERESTS_PER_BUYER_PER_LISTING
from msmebazaar.msme.models import Interest, Listing
from msmebazaar.shared.config import DatabaseSettings
from msmebazaar.shared.db import Database, upgrade_database
from tests.auth.factories import Actor, new_phone, sign_in
from tests.conftest import TEST_DATABASE_URL
from tests.databases import scratch_postgres_database
from tests.msme.factories import make_listing, make_msme
from tests.proof.servers import (
    ThrowawayPostgres,
    free_port,
    start_app_server,
    wait_until_serving,
)

API = "/api/v1"
BUYERS = 6  # one client each, all at once
LISTINGS_PER_OWNER = 10
SEEDED_BUYERS = 60  # their interests give the index build rows to read
STATUSES = ("pending", "accepted", "declined", "withdrawn")
PAGE = {"page_size": 5}
Answer = tuple[int, str]  # status, and the error code ("" on success)
MESSAGE = {"message": "We would like to talk about this business."}
CONFLICT_ATTEMPTS = 10
OK, CREATED, ALREADY_SENT = (200, ""), (201, ""), (409, "INTEREST_ALREADY_SENT")
LIMIT_REACHED = (409, "INTEREST_LIMIT_REACHED")
DURING_MIGRATION = 20  # requests answered while it ran: a floor that a loaded machine clears


@pytest.fixture
async def url_at_0008(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh database of the run's backend at revision 0008 (the throwaway cluster's on a
    PostgreSQL run), plus the later revisions the code under test needs (`LATER_REVISIONS`)."""
    if not TEST_DATABASE_URL:
        url = f"sqlite+aiosqlite:///{tmp_path / 'migrating.db'}"
        upgrade_database(url, "0008")
        await _add_later_revisions(url)
        yield url
        return
    server: ThrowawayPostgres = request.getfixturevalue("throwaway_postgres")
    async with scratch_postgres_database(server.url, "migrating") as url:
        upgrade_database(url, "0008")
        await _add_later_revisions(url)
        yield url


# Later revisions the code under test needs (it stores domain events, sign-ins keep their
# network and last use and may need a second factor, accepted interests open deals and notify)
# and that
# 0009 leaves alone: applied beside 0008, the stamp unchanged.
LATER_REVISIONS = (
    "0012_domain_events",
    "0013_session_devices",
    "0014_second_factor",
    "0016_deals",
    "0017_deal_diligence",
    "0018_notifications",
)


def _apply_later_revisions(connection: Connection) -> None:
    with Operations.context(MigrationContext.configure(connection)):
        for name in LATER_REVISIONS:
            importlib.import_module(f"msmebazaar.migrations.versions.{name}").upgrade()


async def _add_later_revisions(url: str) -> None:
    database = Database.from_settings(DatabaseSettings(url=url))
    async with database.engine.begin() as connection:
        await connection.run_sync(_apply_later_revisions)
    await database.dispose()


@dataclass
class Migration:
    """When the migration ran (monotonic seconds), to judge which schema a request met."""

    on_sqlite: bool
    started: float = float("inf")
    finished: float = float("inf")
    returncode: int | None = None
    output: bytes = b""

    def schema_met(self, sent: float, answered: float) -> str:
        """`old`, `new`, or `either` for a request sent and answered at these times."""
        if answered < self.started:
            return "old"
        return "new" if sent > self.finished else "either"


@dataclass
class Outcomes:
    """Every request's step, the schema it met, and what it answered."""

    seen: Counter[str] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)
    reached: defaultdict[str, asyncio.Event] = field(
        default_factory=lambda: defaultdict(asyncio.Event)
    )

    def record(self, step: str, schema: str, got: Answer, *expected: Answer) -> None:
        """Count the answer; keep it as wrong unless it is one of `expected`."""
        key = f"{step} {schema} {got[0]}"
        self.seen[key] += 1
        self.reached[key].set()
        if got not in expected:
            self.wrong.append(f"{step} ({schema} schema): {got}, expected one of {expected}")


async def _seed(url: str, owners: list[Actor]) -> list[Listing]:
    """Profiles and listings for the owners, and interests in every listing from other buyers,
    in every status (counters matching rows)."""
    database = Database.from_settings(DatabaseSettings(url=url))
    try:
        listings = []
        for owner in owners:
            msme = await make_msme(database, owner.id)
            for _ in range(LISTINGS_PER_OWNER):
                listings.append(await make_listing(database, msme, interests_count=SEEDED_BUYERS))
        buyers = [User(id=uuid.uuid4(), phone=new_phone(), role="buyer", name="Seeded buyer")
                  for _ in range(SEEDED_BUYERS)]  # fmt: skip
        statuses = itertools.cycle(STATUSES)
        async with database.session() as session:
            session.add_all(buyers)
            await session.flush()
            session.add_all(
                Interest(
                    listing_id=listing.id,
                    buyer_id=buyer.id,
                    message="Seeded interest.",
                    status=next(statuses),
                )
                for listing in listings
                for buyer in buyers
            )
        return listings
    finally:
        await database.dispose()


class BuyerClient:
    """One buyer cycling over two listings: list, send, send twice, be accepted by the owner,
    withdraw, send again. Each step's expected answer follows from this buyer's own history."""

    def __init__(
        self, http: httpx.AsyncClient, buyer: Actor, migration: Migration, outcomes: Outcomes
    ) -> None:
        self.http, self.buyer, self.migration, self.outcomes = http, buyer, migration, outcomes
        self.live: dict[uuid.UUID, str] = {}  # listing id → the live interest's id
        self.withdrew: set[uuid.UUID] = set()
        self.created: Counter[uuid.UUID] = Counter()  # listing id → interests created there
        # SQLite allows one writer: a write whose snapshot a concurrent commit made stale is
        # refused with 409 CONFLICT (with or without a migration), and the client tries again.
        self.retry_conflicts = migration.on_sqlite

    async def _call(
        self, method: str, path: str, headers: dict[str, str], **kwargs: Any
    ) -> tuple[Answer, dict[str, Any], str]:
        for attempt in range(1, CONFLICT_ATTEMPTS + 1):
            sent = time.monotonic()
            try:
                response = await self.http.request(method, path, headers=headers, **kwargs)
            except httpx.TransportError as exc:
                return (0, type(exc).__name__), {}, self.migration.schema_met(sent, sent)
            try:
                body: dict[str, Any] = response.json()
            except ValueError:  # not the envelope (a proxy's or a crash's page): wrong anyway
                body = {}
            got = (response.status_code, body.get("error", {}).get("code", ""))
            schema = self.migration.schema_met(sent, time.monotonic())
            if not (self.retry_conflicts and got == (409, "CONFLICT")):
                break
            self.outcomes.seen[f"conflict {schema}, tried again"] += 1
            await asyncio.sleep(0.05 * attempt)
        return got, body, schema

    async def run(self, listings: list[tuple[Listing, Actor]], stop: asyncio.Event) -> None:
        """Steps over `listings` (each with its owner) until `stop` is set. The last is kept for
        after the migration: the others may have reached the cap by then."""
        for turn in itertools.count():
            if stop.is_set():
                return
            in_use = listings if self.migration.finished < float("inf") else listings[:-1]
            listing, owner = in_use[turn % len(in_use)]
            got, _, schema = await self._call("GET", f"{API}/listings", {}, params=PAGE)
            self.outcomes.record("list", schema, got, OK)
            if listing.id in self.live:
                await self._withdraw(listing, owner, accept_first=bool(turn % 3))
            else:
                await self._send(listing)

    async def _send(self, listing: Listing) -> None:
        path = f"{API}/listings/{listing.id}/interests"
        got, body, schema = await self._call("POST", path, self.buyer.headers, json=MESSAGE)
        if listing.id not in self.withdrew:
            self.outcomes.record("send", schema, got, CREATED)
        elif self.created[listing.id] >= MAX_INTERESTS_PER_BUYER_PER_LISTING:
            self.outcomes.record("send past the cap", schema, got, LIMIT_REACHED)
        else:
            expected = {"old": [ALREADY_SENT], "new": [CREATED]}.get(
                schema, [ALREADY_SENT, CREATED]
            )
            self.outcomes.record("send after withdrawing", schema, got, *expected)
        if got == CREATED:
            self.live[listing.id] = str(body["data"]["id"])
            self.created[listing.id] += 1

    async def _withdraw(self, listing: Listing, owner: Actor, *, accept_first: bool) -> None:
        interest = f"{API}/interests/{self.live[listing.id]}"
        path = f"{API}/listings/{listing.id}/interests"
        got, _, schema = await self._call("POST", path, self.buyer.headers, json=MESSAGE)
        self.outcomes.record("second live send", schema, got, ALREADY_SENT)
        if accept_first:
            got, _, schema = await self._call("GET", f"{API}/interests/received", owner.headers)
            self.outcomes.record("owner reads", schema, got, OK)
            got, _, schema = await self._call("POST", f"{interest}/accept", owner.headers)
            self.outcomes.record("accept", schema, got, OK)
        got, _, schema = await self._call("POST", f"{interest}/withdraw", self.buyer.headers)
        self.outcomes.record("withdraw", schema, got, OK)
        if got == OK:
            del self.live[listing.id]
            self.withdrew.add(listing.id)
        got, _, schema = await self._call("GET", f"{API}/interests/mine", self.buyer.headers)
        self.outcomes.record("buyer reads", schema, got, OK)


async def _migrate(url: str, migration: Migration) -> None:
    """`msmebazaar migrate --revision 0009` in its own process, as an operator runs it (the
    release that shipped 0009 had it as its head)."""
    migration.started = time.monotonic()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "msmebazaar", "migrate", "--revision", "0009",
        env=os.environ | {"ENVIRONMENT": "testing", "DATABASE_URL": url},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    migration.output, _ = await process.communicate()
    migration.finished = time.monotonic()
    migration.returncode = process.returncode


async def _until(outcomes: Outcomes, key: str, at_least: float, at_most: float) -> None:
    """Let traffic run `at_least` seconds, and on until `key` was seen (at most `at_most`)."""
    await asyncio.sleep(at_least)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(outcomes.reached[key].wait(), at_most - at_least)


@dataclass
class Stored:
    """What the database holds after the run: each list should be empty."""

    doubles: list[object]  # (listing, buyer) pairs with two live interests
    over_cap: list[object]  # pairs with more interests than the cap
    miscounted: list[object]  # listings whose counter is not their number of buyers
    revision: str | None


async def _stored_state(url: str) -> Stored:
    """The pairs and listings that break a rule, and the revision."""
    database = Database.from_settings(DatabaseSettings(url=url))
    pairs = select(Interest.listing_id, Interest.buyer_id).group_by(
        Interest.listing_id, Interest.buyer_id
    )
    buyers = (
        select(func.count(func.distinct(Interest.buyer_id)))
        .where(Interest.listing_id == Listing.id)
        .scalar_subquery()
    )
    try:
        async with database.session() as session:
            live = pairs.where(Interest.status != "withdrawn").having(func.count() > 1)
            over_cap = pairs.having(func.count() > MAX_INTERESTS_PER_BUYER_PER_LISTING)
            miscounted = select(Listing.id).where(Listing.interests_count != buyers)
            return Stored(
                doubles=list(await session.execute(live)),
                over_cap=list(await session.execute(over_cap)),
                miscounted=list(await session.execute(miscounted)),
                revision=await session.scalar(text("SELECT version_num FROM alembic_version")),
            )
    finally:
        await database.dispose()


def _server_env(url: str) -> dict[str, str]:
    return {
        "ENVIRONMENT": "testing",
        "DATABASE_URL": url,
        "REDIS_URL": "",
        "RATE_LIMIT_PER_MINUTE": "0",
        "AUTH_OTP_ECHO": "true",
        "LOG_LEVEL": "WARNING",
    }


async def _traffic_across_the_migration(
    http: httpx.AsyncClient, url: str, migration: Migration, outcomes: Outcomes
) -> None:
    owners = [Actor(await sign_in(http, role="msme_owner", name="Owner")) for _ in range(2)]
    buyers = [Actor(await sign_in(http, role="buyer", name="Buyer")) for _ in range(BUYERS)]
    listings = await _seed(url, owners)
    owned = [(listing, owners[n // LISTINGS_PER_OWNER]) for n, listing in enumerate(listings)]
    stop = asyncio.Event()
    tasks = [
        asyncio.create_task(
            BuyerClient(http, buyer, migration, outcomes).run(owned[n::BUYERS][:3], stop)
        )
        for n, buyer in enumerate(buyers)
    ]
    try:
        await _until(outcomes, "send after withdrawing old 409", at_least=1, at_most=15)
        await _migrate(url, migration)
        await _until(outcomes, "send after withdrawing new 201", at_least=1.5, at_most=10)
        await _until(outcomes, "send past the cap new 409", at_least=0, at_most=10)
    finally:
        stop.set()
        await asyncio.gather(*tasks)


async def test_migration_0009_under_traffic_fails_no_request(url_at_0008: str) -> None:
    port = free_port()
    server = start_app_server(_server_env(url_at_0008), port, workers=2)
    migration, outcomes = Migration(on_sqlite=url_at_0008.startswith("sqlite")), Outcomes()
    try:
        await wait_until_serving(port)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=20) as http:
            await _traffic_across_the_migration(http, url_at_0008, migration, outcomes)
    finally:
        server.terminate()
        server.wait(timeout=30)
    stored = await _stored_state(url_at_0008)

    assert migration.returncode == 0, migration.output.decode()
    assert stored.revision == "0009"
    assert outcomes.wrong == [], (sorted(set(outcomes.wrong)), outcomes.seen)
    assert outcomes.seen["send after withdrawing old 409"] > 0, outcomes.seen
    assert outcomes.seen["send after withdrawing new 201"] > 0, outcomes.seen
    assert outcomes.seen["send past the cap new 409"] > 0, outcomes.seen
    during = sum(count for key, count in outcomes.seen.items() if " either " in key)
    assert during >= DURING_MIGRATION, outcomes.seen
    assert (stored.doubles, stored.over_cap, stored.miscounted) == ([], [], [])
