"""Listings: a profile's offer, from draft to closed.

Lifecycle: `draft` → `submitted` → `active` | `rejected` (admins decide, `moderate_listing`;
a rejected listing may be edited and submitted again) → `closed` (from any other status, and
when one of its deals closes as won). While a deal of an active listing has an accepted offer, its
public status reads `under_offer` (`Listing.public_status`).
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable
from typing import Any, cast

import structlog
from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from msmebazaar.auth.service import Principal, get_user
from msmebazaar.msme.access import (
    get_listing,
    get_listing_for_viewer,
    is_listing_insider,
    is_public_listing,
    owned_profile,
)
from msmebazaar.msme.anonymity import BusinessFacts, scan_listing_text
from msmebazaar.msme.cards import build_card, build_detail
from msmebazaar.msme.events import ListingChanged
from msmebazaar.msme.exceptions import (
    ListingNotEditableError,
    ListingNotFoundError,
    ListingStatusConflictError,
    MsmeNotVerifiedError,
    VersionConflictError,
)
from msmebazaar.msme.financials import refresh_listing_figures
from msmebazaar.msme.models import Listing, Msme
from msmebazaar.msme.privacy import is_insider
from msmebazaar.msme.schemas.listings import (
    STAKE_DEAL_TYPES,
    DealType,
    ListingCard,
    ListingCreate,
    ListingDetail,
    ListingRead,
    ListingUpdate,
    ModerationDecision,
)
from msmebazaar.shared.counts import CountKind, count_later
from msmebazaar.shared.db import relax_durability, utcnow
from msmebazaar.shared.events import publish
from msmebazaar.shared.exceptions import ValidationError
from msmebazaar.shared.metrics import counter
from msmebazaar.shared.pagination import PageParams, paginate

logger = structlog.get_logger("msmebazaar.msme.listings")

LISTINGS = counter(
    "listings_total", "Listings entering each status (created drafts included).", ("status",)
)
# Deal flow in rupees (the business dashboard shows it in crore): asking prices by status entered.
LISTING_VALUE = counter(
    "listing_value_rupees_total",
    "Asking prices of listings entering each status, in rupees.",
    ("status",),
)
EDITABLE_STATUSES = ("draft", "rejected")


def _enter(listing: Listing, status: str) -> None:
    listing.status = status
    LISTINGS.labels(status).inc()
    LISTING_VALUE.labels(status).inc(listing.asking_price)


async def _flush(session: AsyncSession) -> None:
    try:
        await session.flush()
    except StaleDataError as exc:  # a concurrent update won the race for the same version
        raise VersionConflictError() from exc


async def _saved(session: AsyncSession, listing: Listing) -> ListingRead:
    """Flush the change, announce it once committed, and read the listing back."""
    await _flush(session)
    publish(session, ListingChanged(listing.id, listing.msme_id, listing.status))
    return ListingRead.model_validate(listing)


async def refresh_figures(session: AsyncSession, listing: Listing, msme: Msme) -> None:
    """Copy sector and state from the profile, and its latest fiscal year's revenue and EBITDA."""
    listing.sector, listing.state = msme.sector, msme.state
    await _flush(session)
    await refresh_listing_figures(session, msme.id)
    # That bulk UPDATE does not touch objects already in the session: read the figures back.
    await session.refresh(listing, ["revenue", "ebitda"])


async def withdraw_profile_listings(session: AsyncSession, msme_id: uuid.UUID) -> int:
    """Close every open listing of a profile (call when the profile is deleted); how many."""
    open_listings = await session.scalars(
        select(Listing).where(Listing.msme_id == msme_id, Listing.status != "closed")
    )
    closed = 0
    for listing in open_listings:
        _enter(listing, "closed")
        listing.closed_at = utcnow()
        publish(session, ListingChanged(listing.id, listing.msme_id, "closed"))
        closed += 1
    await _flush(session)
    return closed


async def create_listing(
    session: AsyncSession, user: Principal, data: ListingCreate
) -> ListingRead:
    """Create a draft listing of one of the caller's profiles (admins: of any profile)."""
    msme = await owned_profile(session, user, data.msme_id)
    listing = Listing(
        id=uuid.uuid4(),
        msme_id=msme.id,
        owner_id=msme.owner_id,
        deal_type=data.deal_type.value,
        asking_price=data.asking_price,
        stake_percent=data.stake_percent,
        anonymous=data.anonymous,
        nda_required=data.nda_required,
        headline=data.headline,
        summary=data.summary,
        views_count=0,
        interests_count=0,
    )
    _enter(listing, "draft")
    session.add(listing)
    await refresh_figures(session, listing, msme)
    return await _saved(session, listing)


async def view_listing(
    session: AsyncSession, listing_id: uuid.UUID, viewer: Principal | None
) -> ListingCard | ListingDetail:
    """What `viewer` may see of a listing; counts a view by anyone but the owner."""
    found = await get_listing_for_viewer(session, listing_id, viewer)
    listing, msme = found.listing, found.msme
    if is_public_listing(listing) and (viewer is None or viewer.id != listing.owner_id):
        count_later(session, LISTING_VIEWS, listing.id)
    if is_listing_insider(listing, viewer):
        return build_detail(listing, msme)
    if not is_public_listing(listing) or msme.deleted_at is not None:
        raise ListingNotFoundError()
    # Who the business is shows to its owner, admins and buyers with an accepted interest.
    return build_card(
        listing,
        msme,
        identity_visible=is_insider(msme, viewer) or found.identity_visible,
        figures_visible=is_insider(msme, viewer) or found.private_data_visible,
    )


async def _add_views(session: AsyncSession, views: dict[Hashable, int]) -> None:
    # A Core UPDATE: a view must not bump `version` (it would fail the owner's next edit), nor
    # `updated_at` (a view is no change: match would re-read the listing after every one).
    # One executemany for the whole batch, in id order so two processes' flushes never
    # deadlock on PostgreSQL.
    await relax_durability(session)  # a view count need not wait for the disk
    table = cast(Table, Listing.__table__)
    statement = (
        update(table)
        .where(table.c.id == bindparam("listing_id"))
        .values(views_count=table.c.views_count + bindparam("views"), updated_at=table.c.updated_at)
    )
    rows = [{"listing_id": key, "views": views[key]} for key in sorted(views, key=str)]
    if rows:
        connection = await session.connection()
        await connection.execute(statement, rows)


LISTING_VIEWS = CountKind("listing_views", _add_views)


def _check_version(listing: Listing, version: int | None) -> None:
    if version is not None and version != listing.version:
        raise VersionConflictError()


def _stake_after(listing: Listing, changes: dict[str, Any]) -> float | None:
    deal_type = DealType(changes.get("deal_type", listing.deal_type))
    stake = changes.get("stake_percent", listing.stake_percent)
    if deal_type is DealType.FULL_SALE:
        if changes.get("stake_percent") is not None:
            raise ValidationError.for_field(
                "stake_percent",
                "Leave stake_percent out for full_sale (the whole business).",
                code="STAKE_PERCENT_NOT_ALLOWED",
            )
        return None
    if deal_type in STAKE_DEAL_TYPES and stake is None:
        raise ValidationError.for_field(
            "stake_percent",
            f"stake_percent is required for {deal_type.value}.",
            code="STAKE_PERCENT_REQUIRED",
        )
    return float(stake) if stake is not None else None


async def update_listing(
    session: AsyncSession, listing: Listing, changes: ListingUpdate
) -> ListingRead:
    """Change a draft or rejected listing; a stale `version` is 409 `VERSION_CONFLICT`."""
    if listing.status not in EDITABLE_STATUSES:
        raise ListingNotEditableError()
    _check_version(listing, changes.version)
    values = changes.model_dump(exclude_unset=True, exclude={"version"})
    stake = _stake_after(listing, values)
    for name, value in values.items():
        setattr(listing, name, value.value if isinstance(value, DealType) else value)
    listing.stake_percent = stake
    return await _saved(session, listing)


async def _business_facts(session: AsyncSession, msme: Msme) -> BusinessFacts:
    owner = await get_user(session, msme.owner_id)
    return BusinessFacts(
        legal_name=msme.legal_name,
        trade_name=msme.trade_name,
        gstin=msme.gstin,
        pan=msme.pan,
        udyam_number=msme.udyam_number,
        cin=msme.cin,
        city=msme.city,
        state=msme.state,
        website=msme.website,
        phones=(owner.phone,),
        emails=(owner.email,) if owner.email else (),
    )


async def _check_anonymity(session: AsyncSession, listing: Listing, msme: Msme) -> None:
    findings = scan_listing_text(
        listing.headline, listing.summary, await _business_facts(session, msme)
    )
    if findings:
        raise ValidationError(
            "The listing is anonymous but its text gives the business away: "
            + "; ".join(f"the {item.field} {item.message}" for item in findings)
            + ".",
            code="ANONYMITY_VIOLATION",
            details=[item.as_detail() for item in findings],
        )


async def submit_listing(session: AsyncSession, listing: Listing) -> ListingRead:
    """Send a draft or rejected listing to the admins; anonymous ones are scanned first."""
    if listing.status not in EDITABLE_STATUSES:
        raise ListingStatusConflictError(
            f"A {listing.status} listing cannot be submitted; only drafts and rejected ones can."
        )
    msme = await session.get(Msme, listing.msme_id)
    if msme is None or msme.deleted_at is not None:
        raise ListingStatusConflictError(
            "The listing's business profile was deleted, so it cannot be submitted.",
            code="MSME_DELETED",
        )
    if listing.anonymous:
        await _check_anonymity(session, listing, msme)
    await refresh_figures(session, listing, msme)
    _enter(listing, "submitted")
    listing.submitted_at, listing.rejection_reason = utcnow(), None
    return await _saved(session, listing)


async def close_listing(session: AsyncSession, listing: Listing) -> ListingRead:
    """Close a listing in any status but closed; it leaves search and takes no more interests."""
    if listing.status == "closed":
        raise ListingStatusConflictError("The listing is already closed.")
    _enter(listing, "closed")
    listing.closed_at, listing.under_offer = utcnow(), False
    return await _saved(session, listing)


async def mark_under_offer(session: AsyncSession, listing: Listing, *, under_offer: bool) -> None:
    """Show an active listing as `under_offer` while one of its deals has an accepted offer (it
    stays in search, with the status on its card), or back as `active` when that deal is lost."""
    # A plain UPDATE: it is not the owner's edit (no `version` bump that would fail their next
    # one) and not news to matching (no `ListingChanged`: the listing's facts did not change).
    await session.execute(
        update(Listing)
        .where(Listing.id == listing.id)
        .values(under_offer=under_offer)
        .execution_options(synchronize_session=False)
    )
    set_committed_value(listing, "under_offer", under_offer)


async def list_mine(
    session: AsyncSession, user: Principal, params: PageParams
) -> tuple[list[ListingRead], int]:
    """The caller's listings in every status, newest first, with their counts."""
    statement = (
        select(Listing)
        .where(Listing.owner_id == user.id)
        .order_by(Listing.created_at.desc(), Listing.id.desc())
    )
    rows, total = await paginate(session, statement, params)
    return [ListingRead.model_validate(row) for row in rows], total


async def moderate_listing(
    session: AsyncSession,
    listing_id: uuid.UUID,
    decision: ModerationDecision | str,
    reason: str | None,
    admin_id: uuid.UUID,
) -> ListingRead:
    """An admin's decision on a submitted listing: approve (profile must be verified) or reject."""
    listing = await get_listing(session, listing_id)
    decision = ModerationDecision(decision)
    if listing.status != "submitted":
        raise ListingStatusConflictError(
            f"Only a submitted listing can be moderated; this one is {listing.status}."
        )
    if decision is ModerationDecision.REJECT:
        if not reason or not reason.strip():
            raise ValidationError.for_field(
                "reason", "Say why the listing is rejected.", code="REASON_REQUIRED"
            )
        _enter(listing, "rejected")
        listing.rejection_reason = reason.strip()
    else:
        msme = await session.get(Msme, listing.msme_id)
        if msme is None or msme.verification_status != "verified" or msme.deleted_at is not None:
            raise MsmeNotVerifiedError()
        await refresh_figures(session, listing, msme)
        _enter(listing, "active")
        listing.published_at, listing.rejection_reason = utcnow(), None
    read = await _saved(session, listing)
    logger.info(
        "listing_moderated",
        listing_id=str(listing.id),
        decision=decision.value,
        admin_id=str(admin_id),
    )
    return read


async def listings_in_review(
    session: AsyncSession, params: PageParams
) -> tuple[list[ListingDetail], int]:
    """Submitted listings waiting for an admin, oldest first, each with its full card (admins
    see the identity) for the moderation queue."""
    statement = (
        select(Listing)
        .where(Listing.status == "submitted")
        .order_by(Listing.submitted_at.asc(), Listing.id)
    )
    rows, total = await paginate(session, statement, params)
    profiles = {
        row.id: row
        for row in await session.scalars(
            select(Msme).where(Msme.id.in_([listing.msme_id for listing in rows]))
        )
    }
    return [build_detail(listing, profiles[listing.msme_id]) for listing in rows], total
