"""Interests: a buyer or investor asks about a listing; the owner accepts or declines.

On accept a deal room opens (`msme/deals.py`), both sides see each other's contact details, and
the buyer sees the full profile (and, through `privacy.identity_visible`, the listing's identity
and the profile's documents). Each step that concerns the other side raises `InterestChanged`,
which the notifications service turns into their notification.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from msmebazaar.auth.service import Principal, UserRead, UserRole, get_user
from msmebazaar.msme.access import is_public_listing
from msmebazaar.msme.cards import build_card
from msmebazaar.msme.deals import close_for_withdrawn_interest, open_deal
from msmebazaar.msme.events import InterestChanged
from msmebazaar.msme.exceptions import (
    InterestAlreadySentError,
    InterestLimitReachedError,
    InterestNotFoundError,
    InterestStatusConflictError,
    ListingNotFoundError,
)
from msmebazaar.msme.models import Interest, Listing, Msme
from msmebazaar.msme.privacy import cleared_profiles
from msmebazaar.msme.schemas.interests import (
    Contact,
    InterestCreate,
    InterestRead,
    InterestReceived,
    InterestSent,
)
from msmebazaar.msme.schemas.profiles import MsmeRead
from msmebazaar.shared.db import utcnow
from msmebazaar.shared.events import publish
from msmebazaar.shared.exceptions import PermissionDeniedError
from msmebazaar.shared.metrics import counter
from msmebazaar.shared.pagination import PageParams, paginate

# A buyer who withdrew may send again, but every interest notifies the owner (by SMS unless they
# chose otherwise): this bounds what a send / withdraw loop can cost them. It counts every
# interest a buyer sent in a listing, the withdrawn ones too; the one after it is refused with
# 409 `INTEREST_LIMIT_REACHED`.
MAX_INTERESTS_PER_BUYER_PER_LISTING = 3

INTERESTS = counter("interests_total", "Interests entering each status.", ("status",))


def _enter(session: AsyncSession, interest: Interest, status: str) -> None:
    interest.status = status
    INTERESTS.labels(status).inc()
    event = InterestChanged(interest.id, interest.listing_id, interest.buyer_id, status)
    publish(session, event)


async def send_interest(
    session: AsyncSession, buyer: Principal, listing_id: uuid.UUID, data: InterestCreate
) -> InterestRead:
    """Send an interest in an active listing (one live per buyer, capped in all); the owner is
    notified."""
    listing = await _listing_to_send_to(session, buyer, listing_id)
    sent_before = await _interests_sent_before(session, buyer.id, listing.id)
    interest = Interest(
        id=uuid.uuid4(), listing_id=listing.id, buyer_id=buyer.id, message=data.message
    )
    _enter(session, interest, "pending")
    session.add(interest)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        # The unique index of live interests decides a race between one buyer's requests (and,
        # before migration 0009, the old constraint refuses a re-send after a withdrawal).
        raise InterestAlreadySentError() from exc
    if sent_before == 0:  # `interests_count` counts buyers: a re-send is not a new one
        await _count_interest(session, listing)
    await session.flush()
    return InterestRead.model_validate(interest)


async def _listing_to_send_to(
    session: AsyncSession, buyer: Principal, listing_id: uuid.UUID
) -> Listing:
    # Locked as the counter's UPDATE locks it (FOR NO KEY UPDATE, which an interest's foreign key
    # does not wait on): sends to one listing take turns, so each counts the interests committed
    # before it, and neither the cap nor "first interest" can be raced past. SQLite has one writer.
    listing = await session.get(Listing, listing_id, with_for_update={"key_share": True})
    if listing is None or not is_public_listing(listing):
        raise ListingNotFoundError()
    if listing.owner_id == buyer.id:
        raise PermissionDeniedError(
            "You cannot send an interest in your own listing.", code="INTEREST_OWN_LISTING"
        )
    return listing


async def _interests_sent_before(
    session: AsyncSession, buyer_id: uuid.UUID, listing_id: uuid.UUID
) -> int:
    # At most MAX_INTERESTS_PER_BUYER_PER_LISTING rows: the cap bounds this read too.
    statuses = list(
        await session.scalars(
            select(Interest.status).where(
                Interest.listing_id == listing_id, Interest.buyer_id == buyer_id
            )
        )
    )
    if any(status != "withdrawn" for status in statuses):
        raise InterestAlreadySentError()
    if len(statuses) >= MAX_INTERESTS_PER_BUYER_PER_LISTING:
        raise InterestLimitReachedError(
            f"You have sent {len(statuses)} interests in this listing, the most one buyer may "
            "send; the owner has them all."
        )
    return len(statuses)


async def live_interest(
    session: AsyncSession, buyer_id: uuid.UUID, listing_id: uuid.UUID
) -> Interest | None:
    """The buyer's interest in the listing that is not withdrawn, if any (at most one)."""
    return await session.scalar(
        select(Interest).where(
            Interest.listing_id == listing_id,
            Interest.buyer_id == buyer_id,
            Interest.status != "withdrawn",
        )
    )


async def _count_interest(session: AsyncSession, listing: Listing) -> None:
    # A plain UPDATE: counting must not bump the listing's `version` (the owner's edits use it).
    await session.execute(
        update(Listing)
        .where(Listing.id == listing.id)
        .values(interests_count=Listing.interests_count + 1)
        .execution_options(synchronize_session=False)
    )
    set_committed_value(listing, "interests_count", listing.interests_count + 1)


async def _load(session: AsyncSession, interest_id: uuid.UUID) -> tuple[Interest, Listing]:
    # Locked for the unit of work: a racing accept, decline or withdraw waits, then sees the
    # status this one leaves, so a decision is never overwritten (tests/proof/test_concurrency).
    interest = await session.get(Interest, interest_id, with_for_update=True)
    if interest is None:
        raise InterestNotFoundError()
    listing = await session.get(Listing, interest.listing_id)
    if listing is None:  # pragma: no cover - the foreign key cascades
        raise InterestNotFoundError()
    return interest, listing


def _check_party(interest: Interest, listing: Listing, user: Principal, *, as_owner: bool) -> None:
    is_owner = user.role == UserRole.ADMIN or listing.owner_id == user.id
    is_buyer = interest.buyer_id == user.id
    if not (is_owner or is_buyer):
        raise InterestNotFoundError()
    if as_owner and not is_owner:
        raise PermissionDeniedError(
            "Only the listing's owner may accept or decline.", code="INTEREST_FORBIDDEN"
        )
    if not as_owner and not is_buyer:
        raise PermissionDeniedError(
            "Only the buyer who sent it may withdraw an interest.", code="INTEREST_FORBIDDEN"
        )


async def decide_interest(
    session: AsyncSession, user: Principal, interest_id: uuid.UUID, *, accept: bool
) -> InterestRead:
    """The owner (or an admin) accepts or declines a pending interest; the buyer is notified."""
    interest, listing = await _load(session, interest_id)
    _check_party(interest, listing, user, as_owner=True)
    if interest.status != "pending":
        raise InterestStatusConflictError(
            f"Only a pending interest can be accepted or declined; this one is {interest.status}."
        )
    _enter(session, interest, "accepted" if accept else "declined")
    interest.decided_at = utcnow()
    if accept:
        open_deal(session, interest, listing)
    await session.flush()
    return InterestRead.model_validate(interest)


async def withdraw_interest(
    session: AsyncSession, user: Principal, interest_id: uuid.UUID
) -> InterestRead:
    """The buyer withdraws a pending or accepted interest (contacts are no longer shared)."""
    interest, listing = await _load(session, interest_id)
    _check_party(interest, listing, user, as_owner=False)
    if interest.status not in ("pending", "accepted"):
        raise InterestStatusConflictError(
            f"Only a pending or accepted interest can be withdrawn; this one is {interest.status}."
        )
    if interest.status == "accepted":
        await close_for_withdrawn_interest(session, interest)
    _enter(session, interest, "withdrawn")
    interest.decided_at = utcnow()
    await session.flush()
    return InterestRead.model_validate(interest)


def _contact(user: UserRead) -> Contact:
    return Contact(user_id=user.id, name=user.name, phone=user.phone, email=user.email)


async def _users(session: AsyncSession, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, UserRead]:
    # One lookup per distinct user on the page (auth offers no batch read); pages are ≤ 100.
    return {user_id: await get_user(session, user_id) for user_id in dict.fromkeys(ids)}


def _page_of(statement: Select[Interest]) -> Select[Interest]:
    return statement.order_by(Interest.created_at.desc(), Interest.id.desc())


async def list_sent(
    session: AsyncSession, buyer: Principal, params: PageParams
) -> tuple[list[InterestSent], int]:
    """The caller's interests with each listing's card; owner contact and profile once accepted."""
    statement = _page_of(select(Interest).where(Interest.buyer_id == buyer.id))
    interests, total = await paginate(session, statement, params)
    listings = {
        row.id: row
        for row in await session.scalars(
            select(Listing).where(Listing.id.in_([i.listing_id for i in interests]))
        )
    }
    msmes = {
        row.id: row
        for row in await session.scalars(
            select(Msme).where(Msme.id.in_([item.msme_id for item in listings.values()]))
        )
    }
    accepted = [i for i in interests if i.status == "accepted"]
    owners = await _users(session, (listings[i.listing_id].owner_id for i in accepted))
    cleared = await cleared_profiles(
        session, buyer.id, (listings[i.listing_id].msme_id for i in accepted)
    )
    items = []
    for interest in interests:
        listing = listings[interest.listing_id]
        msme = msmes[listing.msme_id]
        disclosed = interest.status == "accepted"
        item = InterestSent.model_validate(
            {
                **InterestRead.model_validate(interest).model_dump(),
                "listing": build_card(
                    listing,
                    msme,
                    identity_visible=disclosed,
                    figures_visible=msme.id in cleared,
                ),
            }
        )
        if disclosed:
            item.owner_contact = _contact(owners[listing.owner_id])
            item.profile = MsmeRead.model_validate(msme)
        items.append(item)
    return items, total


async def list_received(
    session: AsyncSession, owner: Principal, params: PageParams
) -> tuple[list[InterestReceived], int]:
    """Interests in the caller's listings: who sent them, and their contact once accepted."""
    statement = _page_of(
        select(Interest)
        .join(Listing, Listing.id == Interest.listing_id)
        .where(Listing.owner_id == owner.id)
    )
    interests, total = await paginate(session, statement, params)
    listed = await session.execute(
        select(Listing.id, Listing.headline).where(
            Listing.id.in_([i.listing_id for i in interests])
        )
    )
    headlines = {row.id: row.headline for row in listed}
    buyers = await _users(session, (i.buyer_id for i in interests))
    items = []
    for interest in interests:
        buyer = buyers[interest.buyer_id]
        item = InterestReceived.model_validate(
            {
                **InterestRead.model_validate(interest).model_dump(),
                "listing_headline": headlines[interest.listing_id],
                "buyer_name": buyer.name,
                "buyer_role": buyer.role.value,
            }
        )
        if interest.status == "accepted":
            item.buyer_contact = _contact(buyer)
        items.append(item)
    return items, total


async def interest_limit_reached(
    session: AsyncSession, buyer_id: uuid.UUID, listing_id: uuid.UUID
) -> bool:
    """Whether the buyer has sent as many interests in the listing as one buyer may."""
    # The same count `send_interest` refuses at: withdrawn interests are counted too.
    sent = await session.scalar(
        select(func.count())
        .select_from(Interest)
        .where(Interest.listing_id == listing_id, Interest.buyer_id == buyer_id)
    )
    return (sent or 0) >= MAX_INTERESTS_PER_BUYER_PER_LISTING
