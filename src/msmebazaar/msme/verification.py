"""Admins' work on profiles: the verification queue and decisions, ownership transfers, and
hiding a suspended owner's listings.

A queue page is five queries whatever its size: the page (and its count), then the documents,
fiscal years and possible duplicates of every profile on it at once.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from msmebazaar.msme.access import get_live_msme
from msmebazaar.msme.events import ListingChanged
from msmebazaar.msme.exceptions import VersionConflictError
from msmebazaar.msme.models import Document, Financials, Listing, Msme
from msmebazaar.msme.schemas.documents import DocumentRead
from msmebazaar.msme.schemas.profiles import MsmeRead, VerificationStatus
from msmebazaar.msme.schemas.review import (
    CheckOutcome,
    DuplicateProfile,
    IdentifierCheck,
    IdentifierCheckName,
    TransferOutcome,
    VerificationCase,
    VerificationOutcome,
)
from msmebazaar.shared.db import utcnow
from msmebazaar.shared.events import publish
from msmebazaar.shared.exceptions import ConflictError, ValidationError
from msmebazaar.shared.india import (
    InvalidIdentifier,
    check_gstin_consistency,
    validate_gstin,
    validate_udyam,
)
from msmebazaar.shared.pagination import PageParams, paginate

_IDENTIFIERS = ("pan", "gstin", "udyam_number")
_GSTIN_CHECKS = (
    IdentifierCheckName.GSTIN_CHECKSUM,
    IdentifierCheckName.PAN_MATCH,
    IdentifierCheckName.STATE_MATCH,
)


class VerificationNotPendingError(ConflictError):
    default_code = "VERIFICATION_NOT_PENDING"
    default_message = "Only a pending profile can be decided."


class IdentifierRequiredError(ConflictError):
    default_code = "MSME_IDENTIFIER_REQUIRED"
    default_message = (
        "The profile has no GSTIN, PAN or Udyam number: ask the owner to add one before "
        "approving it."
    )


class AlreadyOwnerError(ConflictError):
    default_code = "ALREADY_OWNER"
    default_message = "The profile already belongs to this user."


def _check(name: IdentifierCheckName, outcome: CheckOutcome, message: str) -> IdentifierCheck:
    return IdentifierCheck(check=name, outcome=outcome, message=message)


def _gstin_checks(gstin: str | None, pan: str | None, state: str) -> list[IdentifierCheck]:
    names = IdentifierCheckName
    if gstin is None:
        missing = CheckOutcome.MISSING, "No GSTIN given."
        return [_check(name, *missing) for name in _GSTIN_CHECKS]
    try:
        validate_gstin(gstin)
    except InvalidIdentifier as exc:
        failed = CheckOutcome.FAIL, f"The GSTIN is not valid: {exc.message}"
        return [_check(name, *failed) for name in _GSTIN_CHECKS]
    checks = [_check(names.GSTIN_CHECKSUM, CheckOutcome.PASS, "The check character is right.")]
    if pan is None:
        checks.append(_check(names.PAN_MATCH, CheckOutcome.MISSING, "No PAN given."))
    elif "GSTIN_PAN_MISMATCH" in check_gstin_consistency(gstin, pan, None):
        checks.append(_check(names.PAN_MATCH, CheckOutcome.FAIL, "The GSTIN holds another PAN."))
    else:
        checks.append(_check(names.PAN_MATCH, CheckOutcome.PASS, "The GSTIN holds this PAN."))
    if "GSTIN_STATE_MISMATCH" in check_gstin_consistency(gstin, None, state):
        message = f"The GSTIN's state code {gstin[:2]} is not one of {state}'s."
        checks.append(_check(names.STATE_MATCH, CheckOutcome.FAIL, message))
    else:
        message = f"The GSTIN's state code {gstin[:2]} fits {state}."
        checks.append(_check(names.STATE_MATCH, CheckOutcome.PASS, message))
    return checks


def identifier_checks(msme: MsmeRead) -> list[IdentifierCheck]:
    """The automatic checks: GSTIN checksum, PAN inside the GSTIN, its state, Udyam format."""
    checks = _gstin_checks(msme.gstin, msme.pan, msme.state)
    name = IdentifierCheckName.UDYAM_FORMAT
    if msme.udyam_number is None:
        checks.append(_check(name, CheckOutcome.MISSING, "No Udyam number given."))
        return checks
    try:
        udyam = validate_udyam(msme.udyam_number)
    except InvalidIdentifier as exc:
        checks.append(_check(name, CheckOutcome.FAIL, exc.message))
    else:
        # The admin compares the number itself with the certificate beside it, not the pattern.
        message = f"{udyam}: the format is right and {udyam[6:8]} is a known state code."
        checks.append(_check(name, CheckOutcome.PASS, message))
    return checks


async def _documents(
    session: AsyncSession, ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[DocumentRead]]:
    found: dict[uuid.UUID, list[DocumentRead]] = defaultdict(list)
    statement = select(Document).where(Document.msme_id.in_(ids)).order_by(Document.created_at)
    for row in await session.scalars(statement):
        found[row.msme_id].append(DocumentRead.model_validate(row))
    return found


async def _fiscal_years(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    found: dict[uuid.UUID, list[str]] = defaultdict(list)
    statement = (
        select(Financials.msme_id, Financials.fiscal_year)
        .where(Financials.msme_id.in_(ids))
        .order_by(Financials.fiscal_year)
    )
    for msme_id, year in await session.execute(statement):
        found[msme_id].append(year)
    return found


def _same(value: str | None, other: str | None) -> bool:
    return value is not None and value == other


async def _duplicates(
    session: AsyncSession, profiles: list[Msme]
) -> dict[uuid.UUID, list[DuplicateProfile]]:
    values = {name: {getattr(p, name) for p in profiles} - {None} for name in _IDENTIFIERS}
    conditions = [getattr(Msme, name).in_(v) for name, v in values.items() if v]
    found: dict[uuid.UUID, list[DuplicateProfile]] = defaultdict(list)
    if not conditions:
        return found
    others = list(
        await session.scalars(select(Msme).where(Msme.deleted_at.is_(None), or_(*conditions)))
    )
    for profile in profiles:
        for other in others:
            matched = [n for n in _IDENTIFIERS if _same(getattr(profile, n), getattr(other, n))]
            if matched and other.owner_id != profile.owner_id:
                found[profile.id].append(
                    DuplicateProfile(
                        msme_id=other.id,
                        owner_id=other.owner_id,
                        legal_name=other.legal_name,
                        verification_status=VerificationStatus(other.verification_status),
                        matched_on=matched,
                    )
                )
    return found


async def verification_queue(
    session: AsyncSession, status: VerificationStatus, params: PageParams
) -> tuple[list[VerificationCase], int]:
    """Live profiles in `status`, oldest first, each with what an admin needs to decide."""
    statement = (
        select(Msme)
        .where(Msme.deleted_at.is_(None), Msme.verification_status == status.value)
        .order_by(Msme.created_at, Msme.id)
    )
    profiles, total = await paginate(session, statement, params)
    ids = [p.id for p in profiles]
    documents = await _documents(session, ids) if ids else {}
    years = await _fiscal_years(session, ids) if ids else {}
    duplicates = await _duplicates(session, profiles) if ids else {}
    cases = []
    for msme in profiles:
        read = MsmeRead.model_validate(msme)
        cases.append(
            VerificationCase(
                profile=read,
                verification_reason=msme.verification_reason,
                has_identifier=any(getattr(msme, n) for n in _IDENTIFIERS),
                checks=identifier_checks(read),
                documents=documents.get(msme.id, []),
                fiscal_years=years.get(msme.id, []),
                duplicates=duplicates.get(msme.id, []),
            )
        )
    return cases, total


async def pending_verification_count(session: AsyncSession) -> int:
    """How many live profiles wait for an admin's decision."""
    statement = select(func.count()).where(
        Msme.deleted_at.is_(None), Msme.verification_status == VerificationStatus.PENDING.value
    )
    return int(await session.scalar(statement) or 0)


async def _flush(session: AsyncSession) -> None:
    try:
        await session.flush()
    except StaleDataError as exc:  # the owner changed the profile meanwhile
        raise VersionConflictError() from exc


async def decide_verification(
    session: AsyncSession, msme_id: uuid.UUID, *, approve: bool, reason: str | None
) -> VerificationOutcome:
    """Verify or reject a pending profile: 409 unless pending; rejecting needs a reason,
    approving needs a GSTIN, PAN or Udyam number."""
    msme = await get_live_msme(session, msme_id)
    reason = (reason or "").strip() or None
    if msme.verification_status != VerificationStatus.PENDING.value:
        raise VerificationNotPendingError(
            f"This profile is {msme.verification_status}, not pending: only a pending profile "
            "can be decided."
        )
    if not approve and reason is None:
        raise ValidationError.for_field(
            "reason", "Say why the profile is rejected.", code="REASON_REQUIRED"
        )
    if approve and not any(getattr(msme, n) for n in _IDENTIFIERS):
        raise IdentifierRequiredError()
    previous = msme.verification_status
    msme.verification_status = (
        VerificationStatus.VERIFIED if approve else VerificationStatus.REJECTED
    ).value
    msme.verification_reason = reason
    msme.verified_at = utcnow() if approve else None
    await _flush(session)
    return VerificationOutcome(previous, MsmeRead.model_validate(msme), reason)


async def _move_listings(
    session: AsyncSession, msme_id: uuid.UUID, values: dict[str, Any]
) -> list[uuid.UUID]:
    statement = (
        update(Listing)
        .where(Listing.msme_id == msme_id)
        .values(**values, updated_at=utcnow())
        .returning(Listing.id, Listing.status)
        .execution_options(synchronize_session=False)
    )
    rows = (await session.execute(statement)).all()
    for listing_id, status in rows:
        publish(session, ListingChanged(listing_id, msme_id, status))
    return [row[0] for row in rows]


async def transfer_profile(
    session: AsyncSession, msme_id: uuid.UUID, new_owner_id: uuid.UUID, *, owner_suspended: bool
) -> TransferOutcome:
    """Move a profile (its identifiers, documents, figures and listings) to another owner."""
    msme = await get_live_msme(session, msme_id)
    if msme.owner_id == new_owner_id:
        raise AlreadyOwnerError()
    previous = msme.owner_id
    msme.owner_id = new_owner_id
    await _flush(session)
    # The version moves too: an edit based on the listing as the old owner saw it is stale.
    values = {
        "owner_id": new_owner_id,
        "owner_suspended": owner_suspended,
        "version": Listing.version + 1,
    }
    moved = await _move_listings(session, msme.id, values)
    return TransferOutcome(previous, MsmeRead.model_validate(msme), moved)


async def set_owner_listings_hidden(
    session: AsyncSession, owner_id: uuid.UUID, hidden: bool
) -> int:
    """Hide (owner suspended) or show again every listing of an owner, keeping each one's
    status; announces each change so matching drops or restores it. How many changed."""
    statement = (
        update(Listing)
        .where(Listing.owner_id == owner_id, Listing.owner_suspended != hidden)
        .values(owner_suspended=hidden, updated_at=utcnow())
        .returning(Listing.id, Listing.msme_id, Listing.status)
        .execution_options(synchronize_session=False)
    )
    rows = (await session.execute(statement)).all()
    for listing_id, msme_id, status in rows:
        publish(session, ListingChanged(listing_id, msme_id, status))
    return len(rows)
