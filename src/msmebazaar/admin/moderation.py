"""Admins' decisions on submitted listings, through the msme service's `moderate_listing`."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.admin.audit import Actor, Change, record
from msmebazaar.admin.metrics import count_action
from msmebazaar.admin.notify import notify_owner
from msmebazaar.admin.schemas import (
    AuditAction,
    ModerationDecisionCreate,
    ModerationResult,
    TargetType,
)
from msmebazaar.auth.service import Principal
from msmebazaar.msme.service import listing_facts, moderate_listing
from msmebazaar.shared.exceptions import NotFoundError


async def moderate(
    session: AsyncSession, admin: Principal, listing_id: uuid.UUID, body: ModerationDecisionCreate
) -> ModerationResult:
    """Approve (the profile must be verified) or reject (with a reason) a submitted listing;
    audited, and the owner is told."""
    facts = await listing_facts(session, listing_id)
    if facts is None:
        raise NotFoundError("No such listing.", code="LISTING_NOT_FOUND")
    listing = await moderate_listing(
        session, listing_id, body.decision.value, body.reason, admin.id
    )
    change = Change(
        action=AuditAction.LISTING_MODERATED,
        target_type=TargetType.LISTING,
        target_id=listing.id,
        before={"status": facts.status},
        after={"status": listing.status.value},
        reason=listing.rejection_reason or body.reason,
    )
    record(session, Actor.of(admin), change)
    notify_owner(
        session,
        facts.owner_id,
        listing.id,
        f"listing.{body.decision.value}",
        name=listing.headline,
        reason=listing.rejection_reason,
    )
    count_action(change.action.value)
    return ModerationResult(previous_status=facts.status, listing=listing)
