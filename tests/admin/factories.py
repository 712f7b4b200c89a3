"""A seeded marketplace for the analytics tests: rows written straight to the database, and the
same facts kept in plain Python so a test can compute every true figure on its own."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from msmebazaar.auth.models import User
from msmebazaar.match.models import Mandate, MatchServed
from msmebazaar.msme.models import Interest, Listing, Msme
from msmebazaar.shared.db import Database
from msmebazaar.valuation.models import Valuation
from tests.auth.factories import new_phone
from tests.msme.factories import profile_payload

IST = timedelta(hours=5, minutes=30)
FIRST, LAST = date(2026, 3, 1), date(2026, 3, 10)
SECTORS = ("food_processing", "textiles", "it_services")
STATES = ("Maharashtra", "Gujarat", "Karnataka")
DEAL_TYPES = ("full_sale", "stake_sale", "investment")
LISTING_STATUSES = ("draft", "submitted", "active", "rejected", "closed")
INTEREST_STATUSES = ("pending", "accepted", "declined", "withdrawn")


def ist_instant(day: date, minute: int) -> datetime:
    """`minute` minutes after midnight of `day` in India, as UTC."""
    return datetime.combine(day, time(), UTC) - IST + timedelta(minutes=minute)


def ist_day(instant: datetime) -> date:
    return (instant + IST).date()


@dataclass
class Seeded:
    """What was stored, as plain facts."""

    users: list[User] = field(default_factory=list)
    profiles: list[Msme] = field(default_factory=list)
    listings: list[Listing] = field(default_factory=list)
    interests: list[Interest] = field(default_factory=list)
    valuations: list[Valuation] = field(default_factory=list)
    mandates: list[Mandate] = field(default_factory=list)
    served: list[MatchServed] = field(default_factory=list)

    def tables(self) -> list[list[Any]]:
        """The rows, table by table, parents before their children."""
        return [
            self.users,
            self.profiles,
            self.listings,
            self.interests,
            self.valuations,
            self.mandates,
            self.served,
        ]


def _user(rng: random.Random, role: str | None = None) -> User:
    signed_up = ist_instant(FIRST + timedelta(days=rng.randint(-5, 15)), rng.randrange(1440))
    return User(
        id=uuid.uuid4(),
        phone=new_phone(),
        name=f"Seeded {rng.randrange(10**6)}",
        role=role or rng.choices(("msme_owner", "buyer", "investor"), (6, 2, 2))[0],
        status="suspended" if rng.random() < 0.1 else "active",
        language="en",
        created_at=signed_up,
        updated_at=signed_up,
    )


def _profile(rng: random.Random, owner: User) -> Msme:
    status = rng.choices(("pending", "verified", "rejected"), (3, 5, 2))[0]
    payload = profile_payload(sector=rng.choice(SECTORS), state=rng.choice(STATES))
    return Msme(
        id=uuid.uuid4(),
        owner_id=owner.id,
        verification_status=status,
        classification="micro",
        deleted_at=owner.created_at + timedelta(days=1) if rng.random() < 0.15 else None,
        created_at=owner.created_at,
        **payload,
    )


def _listing(rng: random.Random, msme: Msme, owner: User) -> Listing:
    status = rng.choice(LISTING_STATUSES)
    published = status == "active" or (status == "closed" and rng.random() < 0.5)
    deal_type = rng.choice(DEAL_TYPES)
    return Listing(
        id=uuid.uuid4(),
        msme_id=msme.id,
        owner_id=owner.id,
        deal_type=deal_type,
        asking_price=rng.randint(10, 5000) * 1_00_000,
        stake_percent=None if deal_type == "full_sale" else 25.0,
        anonymous=True,
        headline="A seeded listing for analytics",
        summary="Seeded to check the admin analytics figures against the truth.",
        status=status,
        sector=msme.sector,
        state=msme.state,
        published_at=owner.created_at + timedelta(days=2) if published else None,
        owner_suspended=owner.status == "suspended",
        views_count=0,
        interests_count=0,
    )


def _interests(rng: random.Random, listing: Listing, buyers: list[User]) -> list[Interest]:
    found = []
    for buyer in rng.sample(buyers, rng.randint(0, 3)):
        status = rng.choice(INTEREST_STATUSES)
        sent = ist_instant(FIRST + timedelta(days=rng.randint(-3, 12)), rng.randrange(1440))
        decided = sent + timedelta(hours=rng.randint(1, 72)) if status != "pending" else None
        found.append(
            Interest(
                id=uuid.uuid4(),
                listing_id=listing.id,
                buyer_id=buyer.id,
                message="Seeded interest.",
                status=status,
                created_at=sent,
                updated_at=sent,
                decided_at=decided,
            )
        )
    return found


def _valuation(msme_id: uuid.UUID | None, creator: uuid.UUID, created: datetime) -> Valuation:
    return Valuation(
        id=uuid.uuid4(),
        msme_id=msme_id,
        created_by=creator,
        sector="food_processing",
        currency="INR",
        low=1,
        base=2,
        high=3,
        confidence=0.5,
        method_mix="ebitda",
        data_version="seeded",
        engine_version="1",
        inputs={},
        result={},
        created_at=created,
    )


def _mandate(owner_id: uuid.UUID, *, active: bool) -> Mandate:
    return Mandate(
        id=uuid.uuid4(),
        owner_id=owner_id,
        title="Seeded mandate",
        deal_types=[],
        sectors=[],
        exclude_sectors=[],
        states=[],
        ebitda_positive_only=False,
        thesis="",
        active=active,
        public_profile=False,
    )


# (day, direction, bucket, requests, matches): three rows in the period, two just outside it.
SERVED = (
    (FIRST, "mandate", 0, 3, 25),
    (FIRST, "mandate", 5, 2, 11),
    (LAST, "listing", 1, 4, 9),
    (FIRST - timedelta(days=1), "mandate", 0, 7, 70),
    (LAST + timedelta(days=1), "listing", 2, 1, 1),
)


def _others(seeded: Seeded) -> None:
    creator = seeded.users[0].id
    valued = [p.id for p in seeded.profiles[:3]]
    for msme_id, day in [(valued[0], 2), (valued[0], 4), (valued[1], 9), (None, 5)]:
        created = ist_instant(FIRST, 0) + timedelta(days=day)
        seeded.valuations.append(_valuation(msme_id, creator, created))
    seeded.valuations.append(_valuation(valued[2], creator, ist_instant(LAST, 0) + timedelta(10)))
    seeded.mandates += [_mandate(creator, active=flag) for flag in (True, True, True, False)]
    seeded.served += [
        MatchServed(day=day, direction=direction, bucket=bucket, requests=count, matches=found)
        for day, direction, bucket, count, found in SERVED
    ]


async def seed_marketplace(database: Database, seed: int = 7, users: int = 60) -> Seeded:
    """Users (some suspended, two admins) signing up around the period, their profiles,
    listings and interests, and a few valuations, mandates and match counts; one transaction."""
    rng = random.Random(seed)
    seeded = Seeded(users=[_user(rng) for _ in range(users)])
    seeded.users += [_user(rng, role="admin"), _user(rng, role="admin")]
    buyers = [u for u in seeded.users if u.role in ("buyer", "investor")]
    for owner in seeded.users:
        if owner.role == "admin" or rng.random() < 0.25:
            continue
        for _ in range(rng.randint(1, 2)):
            msme = _profile(rng, owner)
            seeded.profiles.append(msme)
            for _ in range(rng.randint(0, 2)):
                listing = _listing(rng, msme, owner)
                seeded.listings.append(listing)
                if listing.status in ("active", "closed"):
                    others = [b for b in buyers if b.id != owner.id]
                    seeded.interests += _interests(rng, listing, others)
    _others(seeded)
    async with database.session() as session:
        for rows in seeded.tables():  # no ORM relationships: the flushes set the order
            session.add_all(rows)
            await session.flush()
    return seeded
