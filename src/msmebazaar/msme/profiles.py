"""Business profiles: create, read, change, soft-delete, list one's own, public discovery."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, false, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from msmebazaar.auth.service import Principal, UserRole
from msmebazaar.msme.access import get_live_msme
from msmebazaar.msme.classification import Classification, classify_msme
from msmebazaar.msme.conflicts import ConflictAllowance
from msmebazaar.msme.events import IdentifierConflicted, VerificationReset
from msmebazaar.msme.exceptions import (
    GstinAlreadyRegisteredError,
    UdyamAlreadyRegisteredError,
    VersionConflictError,
)
from msmebazaar.msme.financials import refresh_classification
from msmebazaar.msme.identifiers import check_profile_fields
from msmebazaar.msme.listings import withdraw_profile_listings
from msmebazaar.msme.models import Listing, Msme
from msmebazaar.msme.privacy import anonymous_listing_exists, identity_visible
from msmebazaar.msme.schemas.profiles import MsmeCard, MsmeCreate, MsmeRead, MsmeUpdate
from msmebazaar.msme.sectors import get_sector
from msmebazaar.shared.db import utcnow
from msmebazaar.shared.events import publish
from msmebazaar.shared.exceptions import ValidationError
from msmebazaar.shared.india import get_state, india_today
from msmebazaar.shared.metrics import counter
from msmebazaar.shared.pagination import PageParams, paginate

PROFILES_CREATED = counter("msme_profiles_created_total", "Business profiles created.")

# A change to any of these by the owner sends a decided profile back to the admins' queue.
_VERIFIED_FIELDS = ("legal_name", "gstin", "pan", "udyam_number", "cin")
_REQUIRED_FIELDS = ("legal_name", "legal_form", "sector", "state")


async def get_profile(session: AsyncSession, msme_id: uuid.UUID) -> MsmeRead:
    """A live profile's facts by id (no visibility check: callers apply the privacy rules)."""
    return MsmeRead.model_validate(await get_live_msme(session, msme_id))


async def view_profile(
    session: AsyncSession, msme: Msme, viewer: Principal | None
) -> MsmeRead | MsmeCard:
    """A profile the viewer may see, as they may see it: every field for its owner, admins
    and buyers whose interest was accepted; the public card (no owner id, no PAN) for others."""
    if await identity_visible(session, msme, viewer):
        return MsmeRead.model_validate(msme)
    return MsmeCard.model_validate(msme)


_UNIQUE_IDENTIFIERS = (
    ("gstin", Msme.gstin, GstinAlreadyRegisteredError),
    ("udyam_number", Msme.udyam_number, UdyamAlreadyRegisteredError),
)


async def _ensure_unique(
    session: AsyncSession,
    values: dict[str, Any],
    claimant: Principal,
    current: Msme | None,
    allowance: ConflictAllowance | None,
) -> None:
    """409 when a GSTIN or Udyam number being claimed (new, or changed on `current`) is on
    another live profile: announced for the audit and counted against `claimant`'s daily
    allowance, which, once spent, refuses every claim with 429 before looking it up."""
    claimed = [
        (field, column, error)
        for field, column, error in _UNIQUE_IDENTIFIERS
        if values.get(field) is not None
        and (current is None or getattr(current, field) != values[field])
    ]
    if claimed and allowance is not None:
        await allowance.check(claimant)
    for field, column, error in claimed:
        statement = select(Msme.id).where(column == values[field], Msme.deleted_at.is_(None))
        if current is not None:
            statement = statement.where(Msme.id != current.id)
        holder = await session.scalar(statement.limit(1))
        if holder is None:
            continue
        publish(
            session,
            IdentifierConflicted(
                msme_id=holder,
                field=field,
                user_id=claimant.id,
                user_role=claimant.role.value,
                claiming_msme_id=None if current is None else current.id,
            ),
            refusal=True,  # kept when `keeping_conflicts` rolls the refused change back
        )
        if allowance is not None:
            await allowance.spend(claimant)
        raise error(details=[{"field": field, "message": error.default_message}])


async def create_profile(
    session: AsyncSession,
    owner: Principal,
    data: MsmeCreate,
    *,
    allowance: ConflictAllowance | None = None,
) -> MsmeRead:
    """Create a `pending` profile owned by `owner`, its identifiers checked and classified.

    With an `allowance`, claims of identifiers held by other profiles are limited per day
    (`conflicts.py`); without one (the CLI, demo data) they are not."""
    values = check_profile_fields(data.model_dump())
    await _ensure_unique(session, values, owner, None, allowance)
    # A new profile has no financials yet: only a huge investment can classify it already.
    classification = classify_msme(values["investment_in_plant_machinery"], None, india_today())
    msme = Msme(
        id=uuid.uuid4(),
        owner_id=owner.id,
        **values,
        verification_status="pending",
        classification=classification.value,
    )
    session.add(msme)
    await session.flush()
    PROFILES_CREATED.inc()
    return MsmeRead.model_validate(msme)


def _merge_change(msme: Msme, change: dict[str, Any]) -> dict[str, Any]:
    for field in _REQUIRED_FIELDS:
        if field in change and change[field] is None:
            raise ValidationError.for_field(field, "This field cannot be cleared.")
    current = {field: getattr(msme, field) for field in MsmeCreate.model_fields}
    return current | change


def _back_to_pending(
    session: AsyncSession, msme: Msme, values: dict[str, Any], editor: Principal
) -> None:
    """An owner's change to the name or an identifier voids an admin's decision (announced as
    `VerificationReset`, which the admin service audits)."""
    if editor.role == UserRole.ADMIN or msme.verification_status == "pending":
        return
    changed = tuple(f for f in _VERIFIED_FIELDS if values[f] != getattr(msme, f))
    if changed:
        event = VerificationReset(
            msme_id=msme.id,
            owner_id=msme.owner_id,
            editor_id=editor.id,
            editor_role=editor.role.value,
            previous_status=msme.verification_status,
            changed_fields=changed,
        )
        publish(session, event)
        msme.verification_status = "pending"
        msme.verification_reason = None
        msme.verified_at = None


async def update_profile(
    session: AsyncSession,
    msme: Msme,
    editor: Principal,
    data: MsmeUpdate,
    *,
    allowance: ConflictAllowance | None = None,
) -> MsmeRead:
    """Apply a partial change; 409 `VERSION_CONFLICT` when `version` is stale."""
    change = data.model_dump(exclude_unset=True)
    version = change.pop("version", None)
    if version is not None and version != msme.version:
        raise VersionConflictError()
    values = check_profile_fields(_merge_change(msme, change))
    await _ensure_unique(session, values, editor, msme, allowance)
    _back_to_pending(session, msme, values, editor)
    changed = {field for field, value in values.items() if getattr(msme, field) != value}
    for field in changed:
        setattr(msme, field, values[field])
    if "investment_in_plant_machinery" in changed:
        await refresh_classification(session, msme)
    await _flush(session)
    if changed & {"sector", "state"}:
        await _copy_to_listings(session, msme)
    return MsmeRead.model_validate(msme)


async def _copy_to_listings(session: AsyncSession, msme: Msme) -> None:
    """Listings carry the profile's sector and state for search: keep them the same."""
    await session.execute(
        update(Listing)
        .where(Listing.msme_id == msme.id)
        .values(sector=msme.sector, state=msme.state)
        .execution_options(synchronize_session="fetch")
    )


async def _flush(session: AsyncSession) -> None:
    try:
        await session.flush()
    except StaleDataError as exc:  # another request changed the row since we read it
        raise VersionConflictError() from exc


async def delete_profile(session: AsyncSession, msme: Msme) -> None:
    """Soft-delete: the profile disappears (404), its listings close, its GSTIN and Udyam free."""
    msme.deleted_at = utcnow()
    await _flush(session)
    await withdraw_profile_listings(session, msme.id)


async def list_owned(
    session: AsyncSession, owner_id: uuid.UUID, params: PageParams
) -> tuple[list[MsmeRead], int]:
    """The owner's live profiles, newest first."""
    statement = (
        select(Msme)
        .where(Msme.owner_id == owner_id, Msme.deleted_at.is_(None))
        .order_by(Msme.created_at.desc(), Msme.id)
    )
    rows, total = await paginate(session, statement, params)
    return [MsmeRead.model_validate(row) for row in rows], total


@dataclass(frozen=True, slots=True)
class DiscoveryFilters:
    """`GET /msmes` filters; all optional."""

    sector: str | None = None
    state: str | None = None
    city: str | None = None
    classification: Classification | None = None
    verified: bool | None = None
    q: str | None = None


def _checked_filters(filters: DiscoveryFilters) -> tuple[str | None, str | None]:
    """The canonical state name; 422 on an unknown sector or state."""
    if filters.sector is not None and get_sector(filters.sector) is None:
        raise ValidationError.for_field("sector", "Unknown sector code.", code="SECTOR_UNKNOWN")
    if filters.state is None:
        return filters.sector, None
    state = get_state(filters.state)
    if state is None:
        raise ValidationError.for_field("state", "Unknown state.", code="STATE_UNKNOWN")
    return filters.sector, state.name


def _discovery_statement(filters: DiscoveryFilters) -> Select[Any]:
    sector, state = _checked_filters(filters)
    statement = select(Msme).where(
        Msme.deleted_at.is_(None),
        Msme.verification_status == "verified",
        ~anonymous_listing_exists(Msme.id),
    )
    if filters.verified is False:  # only verified profiles are public: nothing else to show
        statement = statement.where(false())
    if sector is not None:
        statement = statement.where(Msme.sector == sector)
    if state is not None:
        statement = statement.where(Msme.state == state)
    if filters.city:
        statement = statement.where(func.lower(Msme.city) == filters.city.strip().lower())
    if filters.classification is not None:
        statement = statement.where(Msme.classification == filters.classification.value)
    if filters.q:
        needle = filters.q.strip().lower()
        columns = (Msme.legal_name, Msme.trade_name, Msme.products, Msme.description)
        statement = statement.where(
            or_(*(func.lower(column).contains(needle, autoescape=True) for column in columns))
        )
    return statement.order_by(Msme.created_at.desc(), Msme.id)


async def discover(
    session: AsyncSession, filters: DiscoveryFilters, params: PageParams
) -> tuple[list[MsmeCard], int]:
    """Public discovery: verified, live profiles with no anonymous listing, filtered, as
    public cards (never the owner's id or the PAN)."""
    rows, total = await paginate(session, _discovery_statement(filters), params)
    return [MsmeCard.model_validate(row) for row in rows], total
