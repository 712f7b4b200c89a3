"""msme commands: `msmebazaar seed-demo` fills the database with realistic synthetic businesses.

Owners are created the way every user is: through the auth service's sign-in (a code requested
and verified; the codes' SMS are removed from the outbox afterwards, since nobody is waiting for
them). Businesses are then written in chunks of bulk INSERTs (one transaction per chunk), so
100,000 listings take minutes on SQLite, not hours.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, cast

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Table, delete, func, insert, select

from msmebazaar.auth.schemas import Language, MfaRequired, OtpVerify, UserRole
from msmebazaar.auth.service import SignIn, TokenCodec, find_user_by_phone, request_code, sign_in
from msmebazaar.msme.demo_data import DemoBusiness, demo_business
from msmebazaar.msme.models import Financials, Listing, Msme
from msmebazaar.msme.search import optimize_search_index
from msmebazaar.shared.config import Environment, RedisSettings, Settings, get_settings
from msmebazaar.shared.db import Database
from msmebazaar.shared.outbox import OutboxMessage
from msmebazaar.shared.ratelimit import create_rate_limiter

app = typer.Typer(add_completion=False)
console = Console(stderr=True)

CHUNK = 2_000
BUSINESSES_PER_OWNER = 25
MAX_OWNERS = 200
DEMO_PHONE_PREFIX = "+91700000"  # a block of valid mobiles reserved for demo owners
_OWNER_NAMES = (
    "Asha Patel", "Ravi Kumar", "Meena Iyer", "Sanjay Gupta", "Farah Khan", "Vikram Singh",
    "Lakshmi Nair", "Arjun Reddy", "Pooja Shah", "Harpreet Kaur", "Suresh Rao", "Neha Joshi",
)  # fmt: skip

Advance = Callable[[int], None]


@dataclass(frozen=True)
class SeedSummary:
    """What one run of seed-demo wrote."""

    owners: int
    businesses: int
    financials: int
    listings: int


def demo_phone(index: int) -> str:
    """The `index`-th demo owner's mobile number (E.164)."""
    return f"{DEMO_PHONE_PREFIX}{index:04d}"


def _sign_in_settings(settings: Settings) -> Settings:
    # Seeding signs many owners in from one address in seconds: lift the per-phone/IP throttles
    # and read the code back (never in production, which seed_demo refuses).
    changed = settings.model_copy(deep=True)
    changed.auth = changed.auth.model_copy(
        update={
            "otp_echo": True,
            "otp_resend_cooldown_seconds": 0,
            "otp_max_per_phone_per_hour": 1_000_000,
            "otp_max_per_ip_per_hour": 1_000_000,
        }
    )
    return changed


async def create_demo_owners(database: Database, settings: Settings, count: int) -> list[uuid.UUID]:
    """Sign up (or sign in again) `count` demo owners through the auth service; their ids."""
    settings = _sign_in_settings(settings)
    limiter = create_rate_limiter(RedisSettings(url=None))
    codec = TokenCodec(settings.auth)
    owner_ids, phones = [], [demo_phone(index) for index in range(count)]
    for index, phone in enumerate(phones):
        issued = await request_code(
            database, limiter, codec, settings, phone=phone, client_ip="127.0.0.1"
        )
        request = OtpVerify(
            phone=phone,
            code=str(issued.debug_code),
            role=UserRole.MSME_OWNER,
            name=_OWNER_NAMES[index % len(_OWNER_NAMES)],
        )
        signed_in = await sign_in(
            database, codec, settings, request, phone=phone, language=Language.EN, user_agent=None
        )
        owner_ids.append(await _user_id(database, phone, signed_in))
    async with database.session() as session:
        # The sign-in codes were never meant to reach a phone: drop their queued SMS.
        await session.execute(delete(OutboxMessage).where(OutboxMessage.recipient.in_(phones)))
    return owner_ids


async def _user_id(database: Database, phone: str, signed_in: SignIn | MfaRequired) -> uuid.UUID:
    """The demo owner signed in, or waiting for a second factor someone turned on for them
    (the demo needs the user, not the sign-in)."""
    if isinstance(signed_in, SignIn):
        return signed_in.principal.id
    async with database.read_session() as session:
        user = await find_user_by_phone(session, phone)
    if user is None:  # the phone code was right a moment ago, so only a deletion gets here
        raise RuntimeError("A demo owner vanished while seed-demo signed them in")
    return user.id


async def _existing_businesses(database: Database, owner_ids: list[uuid.UUID]) -> int:
    async with database.read_session() as session:
        total = await session.scalar(
            select(func.count(Msme.id)).where(Msme.owner_id.in_(owner_ids))
        )
    return int(total or 0)


def _table(model: type[Msme | Financials | Listing]) -> Table:
    return cast(Table, model.__table__)


async def _insert_chunk(database: Database, businesses: list[DemoBusiness]) -> tuple[int, int]:
    msmes = [business.msme for business in businesses]
    financials = [row for business in businesses for row in business.financials]
    listings = [business.listing for business in businesses if business.listing is not None]
    # Core INSERTs of the tables: one executemany each (the ORM's bulk path goes row by row
    # for versioned models).
    async with database.session() as session:
        await session.execute(insert(_table(Msme)), msmes)
        await session.execute(insert(_table(Financials)), financials)
        if listings:
            await session.execute(insert(_table(Listing)), listings)
    return len(financials), len(listings)


async def seed_demo(
    database: Database, settings: Settings, count: int, seed: int, advance: Advance | None = None
) -> SeedSummary:
    """Write `count` businesses (with 3 years of figures and a listing each), reproducibly."""
    if settings.environment is Environment.PRODUCTION:
        raise RuntimeError("seed-demo writes synthetic data; it refuses to run in production")
    owners = await create_demo_owners(
        database, settings, max(1, min(MAX_OWNERS, count // BUSINESSES_PER_OWNER))
    )
    # Indexes continue after earlier runs, so identifiers stay unique when seeding again.
    start = await _existing_businesses(database, owners)
    # Seeded by the run's start too, so a second run with the same seed gets fresh ids.
    rng = random.Random(seed * 1_000_003 + start)  # noqa: S311 - synthetic data, not secrets
    financials = listings = 0
    for chunk_start in range(start, start + count, CHUNK):
        indexes = range(chunk_start, min(chunk_start + CHUNK, start + count))
        businesses = [demo_business(rng, index, owners[index % len(owners)]) for index in indexes]
        written = await _insert_chunk(database, businesses)
        financials, listings = financials + written[0], listings + written[1]
        if advance is not None:
            advance(len(indexes))
    await optimize_search_index(database)
    return SeedSummary(len(owners), count, financials, listings)


async def _run(count: int, seed: int, progress: Progress, task: Any) -> SeedSummary:
    settings = get_settings()
    database = Database.from_settings(settings.database)
    try:
        return await seed_demo(database, settings, count, seed, lambda n: progress.advance(task, n))
    finally:
        await database.dispose()


@app.command("seed-demo")
def seed_demo_command(
    count: Annotated[int, typer.Option(min=1, max=1_000_000, help="Businesses to create.")] = 100,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same data.")] = 42,
) -> None:
    """Fill the database with realistic synthetic businesses, financials and listings."""
    columns = (
        TextColumn("[bold]Seeding"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("businesses", total=count)
        try:
            summary = asyncio.run(_run(count, seed, progress, task))
        except RuntimeError as exc:
            raise typer.BadParameter(str(exc)) from exc
    console.print(
        f"Created {summary.businesses} businesses for {summary.owners} demo owners: "
        f"{summary.financials} fiscal years, {summary.listings} listings."
    )
