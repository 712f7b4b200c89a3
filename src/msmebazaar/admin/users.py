"""Admins' management of users: search, and status and role changes with their effects.

A suspension ends the user's sessions at once and hides their listings (they keep their
status); a reactivation shows the listings again. Each field that changes gets its own audit
row, in the same unit of work as the change.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.admin.audit import Actor, Change, record
from msmebazaar.admin.metrics import count_action
from msmebazaar.admin.schemas import AdminUserChange, AdminUserUpdate, AuditAction, TargetType
from msmebazaar.auth.service import Principal, UserChange, UserStatus, change_user
from msmebazaar.msme.service import set_owner_listings_hidden
from msmebazaar.shared.cache import Cache


def _audit(session: AsyncSession, admin: Principal, change: UserChange, reason: str | None) -> None:
    before, after = change.before, change.after
    fields = (
        ("status", AuditAction.USER_STATUS_CHANGED, before.status.value, after.status.value),
        ("role", AuditAction.USER_ROLE_CHANGED, before.role.value, after.role.value),
    )
    for name, action, old, new in fields:
        if old == new:
            continue
        entry = Change(
            action=action,
            target_type=TargetType.USER,
            target_id=after.id,
            before={name: old},
            after={name: new},
            reason=reason,
        )
        record(session, Actor.of(admin), entry)
        count_action(action.value)


async def update_user(
    session: AsyncSession,
    cache: Cache,
    admin: Principal,
    user_id: uuid.UUID,
    body: AdminUserUpdate,
) -> AdminUserChange:
    """Change a user's status and/or role (rules in `auth.admin_users`); audited."""
    change = await change_user(
        session, cache, actor_id=admin.id, user_id=user_id, role=body.role, status=body.status
    )
    listings = 0
    if change.before.status != change.after.status:
        suspended = change.after.status is UserStatus.SUSPENDED
        listings = await set_owner_listings_hidden(session, user_id, suspended)
    _audit(session, admin, change, body.reason)
    return AdminUserChange(
        user=change.after, sessions_ended=change.sessions_ended, listings_changed=listings
    )
