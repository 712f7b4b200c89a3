"""Telling an owner about an admin's decision: `OwnerDecisionMade`, stored with the decision,
which the notifications service turns into the owner's notification (and the SMS, WhatsApp or
email their preferences ask for). Nothing is told if the decision does not commit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import ClassVar

from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.shared.events import DomainEvent, publish


@dataclass(frozen=True)
class OwnerDecisionMade(DomainEvent):
    """An admin decided on an owner's profile or listing: `decision` is `verification.approve`,
    `verification.reject`, `listing.approve` or `listing.reject`; `name` is what the owner
    calls it (the profile's trade name, the listing's headline)."""

    event_name: ClassVar[str] = "admin.owner_decision_made"

    subject_id: uuid.UUID
    owner_id: uuid.UUID
    decision: str
    name: str
    reason: str | None


def notify_owner(
    session: AsyncSession,
    owner_id: uuid.UUID,
    subject_id: uuid.UUID,
    decision: str,
    *,
    name: str,
    reason: str | None,
) -> None:
    """Announce the decision on `subject_id` to its owner once the unit of work commits."""
    publish(session, OwnerDecisionMade(subject_id, owner_id, decision, name, reason))
