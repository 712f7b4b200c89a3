"""Admins' work on business profiles: the verification queue, decisions and transfers.

Each action changes the profile through the msme service, writes its audit row and queues the
owner's notice in the same unit of work, then counts itself.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.admin.audit import Actor, Change, identifier_conflicts, record
from msmebazaar.admin.metrics import count_action, recount_queue, set_queue_depth
from msmebazaar.admin.notify import notify_owner
from msmebazaar.admin.schemas import (
    AuditAction,
    Decision,
    TargetType,
    TransferCreate,
    TransferResult,
    VerificationDecisionCreate,
    VerificationQueueItem,
    VerificationResult,
)
from msmebazaar.auth.service import Principal, UserStatus, get_user
from msmebazaar.msme.schemas import VerificationStatus
from msmebazaar.msme.service import decide_verification, transfer_profile, verification_queue
from msmebazaar.shared.pagination import PageParams


async def review_queue(
    session: AsyncSession, status: VerificationStatus, params: PageParams
) -> tuple[list[VerificationQueueItem], int]:
    """Profiles in `status` (the queue: `pending`), oldest first, with checks, documents and
    the refused claims of their identifiers by other users (audited: possible disputes)."""
    cases, total = await verification_queue(session, status, params)
    if status is VerificationStatus.PENDING:
        set_queue_depth(total)
    conflicts = await identifier_conflicts(session, [case.profile.id for case in cases])
    items = []
    for case in cases:
        summary = conflicts.get(case.profile.id)
        items.append(
            VerificationQueueItem(
                **dict(case),
                identifier_conflict_count=summary.count if summary else 0,
                identifier_conflicts=summary.latest if summary else [],
            )
        )
    return items, total


async def decide(
    session: AsyncSession, admin: Principal, msme_id: uuid.UUID, body: VerificationDecisionCreate
) -> VerificationResult:
    """Approve or reject a pending profile; audited, and the owner is told."""
    approve = body.decision is Decision.APPROVE
    outcome = await decide_verification(session, msme_id, approve=approve, reason=body.reason)
    profile = outcome.profile
    change = Change(
        action=AuditAction.MSME_VERIFICATION_DECIDED,
        target_type=TargetType.MSME,
        target_id=profile.id,
        before={"verification_status": outcome.previous_status},
        after={"verification_status": profile.verification_status.value},
        reason=outcome.reason,
    )
    record(session, Actor.of(admin), change)
    notify_owner(
        session,
        profile.owner_id,
        profile.id,
        f"verification.{body.decision.value}",
        name=profile.trade_name or profile.legal_name,
        reason=outcome.reason,
    )
    count_action(change.action.value)
    await recount_queue(session)
    return VerificationResult(previous_status=outcome.previous_status, profile=profile)


async def transfer(
    session: AsyncSession, admin: Principal, msme_id: uuid.UUID, body: TransferCreate
) -> TransferResult:
    """Move a profile and its listings to the rightful owner; audited."""
    new_owner = await get_user(session, body.owner_id)
    outcome = await transfer_profile(
        session,
        msme_id,
        new_owner.id,
        owner_suspended=new_owner.status is UserStatus.SUSPENDED,
    )
    change = Change(
        action=AuditAction.MSME_TRANSFERRED,
        target_type=TargetType.MSME,
        target_id=msme_id,
        before={"owner_id": str(outcome.previous_owner_id)},
        after={
            "owner_id": str(new_owner.id),
            "listing_ids": [str(item) for item in outcome.listing_ids],
        },
        reason=body.reason,
    )
    record(session, Actor.of(admin), change)
    count_action(change.action.value)
    return TransferResult(
        previous_owner_id=outcome.previous_owner_id,
        profile=outcome.profile,
        listing_ids=outcome.listing_ids,
    )
