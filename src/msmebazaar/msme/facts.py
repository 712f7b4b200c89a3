"""What other services (match, valuation) may read about listings and profiles: plain facts,
never models.

The profile's description joins a listing's text only for named listings, as in full-text
search (migration 0004): an anonymous listing's own text passed the anonymity scan, its
profile's description did not, and a thesis naming a business must not single out its
anonymous listing.

One query returns the facts of every active listing with the profile fields matching needs, so
the match service can build its in-memory index of 100,000 listings without touching msme's
tables itself. `listing_stamp` is the cheap fingerprint a process polls to notice changes made
by other processes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.msme.cards import NamedParts, build_card
from msmebazaar.msme.models import Document, Listing, Msme
from msmebazaar.msme.schemas.listings import ListingCard

ACTIVE = "active"
# What `ListingFacts.status` says of an active listing whose owner is suspended: it keeps its
# stored status (reactivating the owner restores it) but is off the marketplace meanwhile.
HIDDEN = "hidden"
# A listing still on offer (or being prepared): its price is the owner's current ask.
OPEN_STATUSES = ("draft", "submitted", "active", "rejected")


@dataclass(frozen=True, slots=True)
class ListingFacts:
    """A listing and its profile's figures as matching sees them (exact figures: not public).

    `status` is the marketplace's view: `active` only while the listing is public, `hidden`
    for an active listing of a suspended owner.
    """

    id: uuid.UUID
    owner_id: uuid.UUID
    status: str
    sector: str
    state: str
    deal_type: str
    asking_price: int
    stake_percent: float | None
    revenue: int | None
    ebitda: int | None
    year_established: int | None
    verified: bool
    headline: str
    summary: str
    description: str
    updated_at: datetime
    anonymous: bool = False

    @property
    def text(self) -> str:
        """The words that describe the business: headline, summary and (named listings only)
        the profile's description."""
        return "\n".join(part for part in (self.headline, self.summary, self.description) if part)


@dataclass(frozen=True, slots=True)
class ListingStamp:
    """A fingerprint of the listings: it changes whenever any listing or profile does."""

    active_count: int
    listings_changed_at: datetime | None
    profiles_changed_at: datetime | None


_COLUMNS = (
    Listing.id,
    Listing.owner_id,
    Listing.status,
    Listing.sector,
    Listing.state,
    Listing.deal_type,
    Listing.asking_price,
    Listing.stake_percent,
    Listing.revenue,
    Listing.ebitda,
    Msme.year_established,
    Msme.verification_status,
    Listing.headline,
    Listing.summary,
    Listing.anonymous,
    Listing.owner_suspended,
    Msme.description,
    Msme.products,
    Listing.updated_at,
    Msme.updated_at.label("profile_updated_at"),
)


def _statement(*, active_only: bool, since: datetime | None) -> Select[*tuple[Any, ...]]:
    statement = select(*_COLUMNS).join(Msme, Msme.id == Listing.msme_id)
    if active_only:
        statement = statement.where(Listing.status == ACTIVE, Listing.owner_suspended.is_(False))
    if since is not None:
        statement = statement.where(or_(Listing.updated_at > since, Msme.updated_at > since))
    return statement


def _to_facts(row: Row[Any]) -> ListingFacts:
    return ListingFacts(
        id=row.id,
        owner_id=row.owner_id,
        status=HIDDEN if row.status == ACTIVE and row.owner_suspended else row.status,
        sector=row.sector,
        state=row.state,
        deal_type=row.deal_type,
        asking_price=int(row.asking_price),
        stake_percent=float(row.stake_percent) if row.stake_percent is not None else None,
        revenue=row.revenue,
        ebitda=row.ebitda,
        year_established=row.year_established,
        verified=row.verification_status == "verified",
        headline=row.headline,
        summary=row.summary,
        description=""
        if row.anonymous
        else " ".join(part for part in (row.description, row.products) if part),
        updated_at=max(row.updated_at, row.profile_updated_at),
        anonymous=row.anonymous,
    )


async def active_listing_facts(
    session: AsyncSession, since: datetime | None = None
) -> list[ListingFacts]:
    """Facts of every active listing (changed after `since`, when given), in one query."""
    rows = await session.execute(_statement(active_only=True, since=since))
    return [_to_facts(row) for row in rows]


async def changed_listing_facts(session: AsyncSession, since: datetime) -> list[ListingFacts]:
    """Facts of every listing, whatever its status, that it or its profile changed after `since`."""
    rows = await session.execute(_statement(active_only=False, since=since))
    return [_to_facts(row) for row in rows]


async def listing_facts(session: AsyncSession, listing_id: uuid.UUID) -> ListingFacts | None:
    """Facts of one listing, whatever its status; `None` when it does not exist."""
    statement = _statement(active_only=False, since=None).where(Listing.id == listing_id)
    row = (await session.execute(statement)).first()
    return _to_facts(row) if row is not None else None


async def listing_stamp(session: AsyncSession) -> ListingStamp:
    """Active-listing count and latest change times: two aggregate queries, no rows."""
    active = await session.scalar(
        select(func.count()).where(Listing.status == ACTIVE, Listing.owner_suspended.is_(False))
    )
    listings_at = await session.scalar(select(func.max(Listing.updated_at)))
    profiles_at = await session.scalar(select(func.max(Msme.updated_at)))
    return ListingStamp(int(active or 0), listings_at, profiles_at)


async def public_listing_cards(
    session: AsyncSession, listing_ids: list[uuid.UUID]
) -> dict[uuid.UUID, ListingCard]:
    """The public cards (DESIGN.md §3 anonymity rule) of those of the given listings that are
    on the marketplace (active, owner not suspended), by id, in one query."""
    if not listing_ids:
        return {}
    statement = (
        select(Listing, Msme.legal_name, Msme.trade_name, Msme.city)
        .join(Msme, Msme.id == Listing.msme_id)
        .where(
            Listing.id.in_(listing_ids),
            Listing.status == ACTIVE,
            Listing.owner_suspended.is_(False),
        )
    )
    rows = (await session.execute(statement)).all()
    return {
        row[0].id: build_card(row[0], NamedParts(row.legal_name, row.trade_name, row.city))
        for row in rows
    }


@dataclass(frozen=True, slots=True)
class OfferTerms:
    """The deal terms of a profile's open listing: what the owner is asking."""

    listing_id: uuid.UUID
    status: str
    deal_type: str
    asking_price: int
    stake_percent: float | None


async def open_offer(session: AsyncSession, msme_id: uuid.UUID) -> OfferTerms | None:
    """The profile's open listing (active first, then the newest), or `None` when it has none."""
    statement = (
        select(Listing)
        .where(Listing.msme_id == msme_id, Listing.status.in_(OPEN_STATUSES))
        .order_by((Listing.status == ACTIVE).desc(), Listing.created_at.desc(), Listing.id)
        .limit(1)
    )
    listing = await session.scalar(statement)
    if listing is None:
        return None
    return OfferTerms(
        listing_id=listing.id,
        status=listing.status,
        deal_type=listing.deal_type,
        asking_price=int(listing.asking_price),
        stake_percent=listing.stake_percent,
    )


async def count_documents(
    session: AsyncSession, msme_id: uuid.UUID, kinds: tuple[str, ...] | None = None
) -> int:
    """How many documents the profile has uploaded (of the given kinds, when given)."""
    statement = select(func.count()).select_from(Document).where(Document.msme_id == msme_id)
    if kinds is not None:
        statement = statement.where(Document.kind.in_(kinds))
    return int(await session.scalar(statement) or 0)
