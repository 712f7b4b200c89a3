"""The audit log: who did what to which target, before → after, why, in which request, when.

Admin actions write their row in the same transaction as the change itself (`record`), so a
change and its row exist together or not at all. Sensitive changes made elsewhere — a user
switching their own role, an owner's edit that sends a decided profile back to the queue — come
as domain events after their commit and are written in a unit of work of their own. Rows are
only ever inserted: the API has no way to change one, and the database refuses to (0007).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.admin.metrics import recount_queue
from msmebazaar.admin.models import AuditEntry
from msmebazaar.admin.schemas import (
    AuditAction,
    AuditEntryRead,
    IdentifierConflictRead,
    TargetType,
)
from msmebazaar.auth.service import (
    Principal,
    SecondFactorChanged,
    SessionEnded,
    UserRoleChanged,
)
from msmebazaar.msme.service import IdentifierConflicted, VerificationReset
from msmebazaar.shared.context import current_request_id
from msmebazaar.shared.db import utcnow
from msmebazaar.shared.dispatch import Delivery
from msmebazaar.shared.pagination import PageParams, paginate

logger = structlog.get_logger("msmebazaar.admin.audit")


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acted: a user with their role at the time, or the system (no id)."""

    id: uuid.UUID | None
    role: str | None

    @classmethod
    def of(cls, principal: Principal) -> Actor:
        return cls(principal.id, principal.role.value)


@dataclass(frozen=True, slots=True)
class Change:
    """One audited change of one target."""

    action: AuditAction
    target_type: TargetType
    target_id: uuid.UUID | None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    reason: str | None = None


def record(session: AsyncSession, actor: Actor, change: Change) -> AuditEntry:
    """Add the audit row of `change` to the caller's unit of work (committed with it)."""
    request_id = current_request_id()
    entry = AuditEntry(
        id=uuid.uuid4(),
        actor_id=actor.id,
        actor_role=actor.role,
        action=change.action.value,
        target_type=change.target_type.value,
        target_id=change.target_id,
        before=change.before,
        after=change.after,
        reason=change.reason,
        request_id=None if request_id == "-" else request_id,
        created_at=utcnow(),
    )
    session.add(entry)
    return entry


@dataclass(frozen=True, slots=True)
class AuditFilters:
    """`GET /admin/audit-log` filters; all optional."""

    actor: uuid.UUID | None = None
    target: uuid.UUID | None = None
    action: AuditAction | None = None


async def list_entries(
    session: AsyncSession, filters: AuditFilters, params: PageParams
) -> tuple[list[AuditEntryRead], int]:
    """One page of audit rows, newest first, and how many match in all."""
    statement = select(AuditEntry)
    if filters.actor is not None:
        statement = statement.where(AuditEntry.actor_id == filters.actor)
    if filters.target is not None:
        statement = statement.where(AuditEntry.target_id == filters.target)
    if filters.action is not None:
        statement = statement.where(AuditEntry.action == filters.action.value)
    statement = statement.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    rows, total = await paginate(session, statement, params)
    return [AuditEntryRead.model_validate(row) for row in rows], total


# The latest refused claims shown beside a profile in the queue; the count covers them all.
CONFLICTS_SHOWN = 10


@dataclass(frozen=True, slots=True)
class ConflictSummary:
    count: int
    latest: list[IdentifierConflictRead]


def _conflict_read(entry: AuditEntry) -> IdentifierConflictRead:
    after = entry.after or {}
    claiming = after.get("claiming_msme_id")
    return IdentifierConflictRead(
        user_id=entry.actor_id,
        field=str(after.get("field", "")),
        claiming_msme_id=uuid.UUID(claiming) if claiming else None,
        request_id=entry.request_id,
        created_at=entry.created_at,
    )


async def identifier_conflicts(
    session: AsyncSession, msme_ids: list[uuid.UUID]
) -> dict[uuid.UUID, ConflictSummary]:
    """For each profile, how many refused claims of its identifiers were audited, and the
    latest `CONFLICTS_SHOWN` of them (two queries, whatever the number of profiles)."""
    if not msme_ids:
        return {}
    action = AuditAction.MSME_IDENTIFIER_CONFLICT.value
    mine = (AuditEntry.action == action, AuditEntry.target_id.in_(msme_ids))
    counted = await session.execute(
        select(AuditEntry.target_id, func.count()).where(*mine).group_by(AuditEntry.target_id)
    )
    found = {
        msme_id: ConflictSummary(count, []) for msme_id, count in counted if msme_id is not None
    }
    if not found:
        return {}
    rank = (
        func.row_number()
        .over(
            partition_by=AuditEntry.target_id,
            order_by=(AuditEntry.created_at.desc(), AuditEntry.id.desc()),
        )
        .label("rank")
    )
    ranked = select(AuditEntry.id, rank).where(*mine).subquery()
    latest = await session.scalars(
        select(AuditEntry)
        .join(ranked, ranked.c.id == AuditEntry.id)
        .where(ranked.c.rank <= CONFLICTS_SHOWN)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )
    for entry in latest:
        if entry.target_id is not None:
            found[entry.target_id].latest.append(_conflict_read(entry))
    return found


async def on_user_role_changed(event: UserRoleChanged, delivery: Delivery) -> None:
    """Subscribed to `UserRoleChanged`: audit a user's switch of their own role."""
    change = Change(
        action=AuditAction.USER_ROLE_CHANGED,
        target_type=TargetType.USER,
        target_id=event.user_id,
        before={"role": event.before},
        after={"role": event.after},
        reason="Chosen by the user (PATCH /auth/me).",
    )
    async with delivery.database.session() as session:
        record(session, Actor(event.user_id, event.before), change)


async def on_session_ended(event: SessionEnded, delivery: Delivery) -> None:
    """Subscribed to `SessionEnded`: audit a user's ending of one of their sign-ins."""
    change = Change(
        action=AuditAction.USER_SESSION_ENDED,
        target_type=TargetType.USER,
        target_id=event.user_id,
        after={
            "session_id": str(event.session_id),
            "ended_from_session_id": str(event.ended_from_session_id),
        },
        reason="Ended by the user (DELETE /auth/sessions/{id}).",
    )
    async with delivery.database.session() as session:
        record(session, Actor(event.user_id, event.user_role), change)


_SECOND_FACTOR_AUDIT = {
    SecondFactorChanged.ENABLED: (
        AuditAction.USER_SECOND_FACTOR_ENABLED,
        "Turned on by the user (POST /auth/2fa/totp/enable).",
    ),
    SecondFactorChanged.DISABLED: (
        AuditAction.USER_SECOND_FACTOR_DISABLED,
        "Turned off by the user (POST /auth/2fa/totp/disable).",
    ),
    SecondFactorChanged.RECOVERY_CODE_USED: (
        AuditAction.USER_RECOVERY_CODE_USED,
        "Signed in with a recovery code (POST /auth/2fa/verify).",
    ),
    SecondFactorChanged.RESET: (
        AuditAction.USER_SECOND_FACTOR_RESET,
        "Removed by an operator (msmebazaar reset-second-factor); every sign-in ended.",
    ),
}


async def on_second_factor_changed(event: SecondFactorChanged, delivery: Delivery) -> None:
    """Subscribed to `SecondFactorChanged`: audit a user's two-step sign-in turned on or off,
    and each sign-in with a recovery code."""
    action, reason = _SECOND_FACTOR_AUDIT[event.change]
    change = Change(
        action=action,
        target_type=TargetType.USER,
        target_id=event.user_id,
        after={"session_id": str(event.session_id)},
        reason=reason,
    )
    async with delivery.database.session() as session:
        record(session, Actor(event.user_id, event.user_role), change)


async def on_verification_reset(event: VerificationReset, delivery: Delivery) -> None:
    """Subscribed to `VerificationReset`: audit an owner's edit that voided a decision."""
    change = Change(
        action=AuditAction.MSME_VERIFICATION_RESET,
        target_type=TargetType.MSME,
        target_id=event.msme_id,
        before={"verification_status": event.previous_status},
        after={"verification_status": "pending"},
        reason="Changed by the owner: " + ", ".join(event.changed_fields) + ".",
    )
    async with delivery.database.session() as session:
        record(session, Actor(event.editor_id, event.editor_role), change)
        await recount_queue(session)


async def on_identifier_conflicted(event: IdentifierConflicted, delivery: Delivery) -> None:
    """Subscribed to `IdentifierConflicted`: audit a refused claim of a profile's identifier,
    against that profile (where the admins see it in the verification queue)."""
    change = Change(
        action=AuditAction.MSME_IDENTIFIER_CONFLICT,
        target_type=TargetType.MSME,
        target_id=event.msme_id,
        after={
            "field": event.field,
            "claiming_msme_id": None
            if event.claiming_msme_id is None
            else str(event.claiming_msme_id),
        },
        reason=f"Another user claimed this profile's {event.field}; it was refused (409).",
    )
    async with delivery.database.session() as session:
        record(session, Actor(event.user_id, event.user_role), change)
