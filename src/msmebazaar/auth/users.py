"""Users: sign-in on a verified phone, the profile a user edits, and admin-only changes."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.events import UserRoleChanged
from msmebazaar.auth.exceptions import RoleNotAllowedError
from msmebazaar.auth.models import User
from msmebazaar.auth.schemas import (
    SELF_SERVICE_ROLES,
    Language,
    Principal,
    UserRead,
    UserRole,
    UserStatus,
    UserUpdate,
)
from msmebazaar.auth.sessions import forget_user_sessions
from msmebazaar.shared.cache import Cache
from msmebazaar.shared.db import utcnow
from msmebazaar.shared.events import publish
from msmebazaar.shared.exceptions import NotFoundError
from msmebazaar.shared.metrics import counter

LOGINS = counter("auth_logins_total", "Successful sign-ins, by role.", ("role",))
SIGNUPS = counter("auth_signups_total", "Users created by their first sign-in, by role.", ("role",))


async def user_for_sign_in(
    session: AsyncSession,
    *,
    phone: str,
    role: UserRole | None,
    name: str | None,
    language: Language,
) -> tuple[User, bool]:
    """The user of a verified phone, created on first sign-in (then True); a role given later
    is ignored. Its `last_login_at` moves when a sign-in completes (`signin._complete`), not
    here: a second factor may still be asked for."""
    now = utcnow()
    user = await session.scalar(select(User).where(User.phone == phone))
    created = user is None
    if user is None:
        user = User(
            id=uuid.uuid4(),
            phone=phone,
            name=name,
            role=(role or UserRole.MSME_OWNER).value,
            status=UserStatus.ACTIVE.value,
            language=language.value,
            phone_verified_at=now,
            last_login_at=now,
        )
        session.add(user)
        SIGNUPS.labels(user.role).inc()
    elif user.status != UserStatus.SUSPENDED:  # signed in once the sign-in completes
        user.phone_verified_at = user.phone_verified_at or now
        user.name = user.name or name
    await session.flush()
    return user, created


def record_login(role: str) -> None:
    """Count one successful sign-in."""
    LOGINS.labels(role).inc()


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> UserRead:
    """One user by id, or 404 `USER_NOT_FOUND`."""
    user = await session.get(User, user_id)
    if user is None:
        raise NotFoundError("No such user.", code="USER_NOT_FOUND")
    return UserRead.model_validate(user)


async def update_me(
    session: AsyncSession, cache: Cache, principal: Principal, changes: UserUpdate
) -> UserRead:
    """Change the caller's name, email, language or (non-admin) role."""
    user = await session.get(User, principal.id)
    if user is None:  # deleted between the liveness check and now
        raise NotFoundError("No such user.", code="USER_NOT_FOUND")
    fields = changes.model_fields_set
    if "role" in fields and changes.role is not None and changes.role != user.role:
        if user.role == UserRole.ADMIN or changes.role not in SELF_SERVICE_ROLES:
            raise RoleNotAllowedError(
                "Only the roles msme_owner, buyer and investor can be chosen."
            )
        publish(session, UserRoleChanged(user.id, before=user.role, after=changes.role.value))
        user.role = changes.role.value
    if "name" in fields and changes.name is not None:
        user.name = changes.name
    if "email" in fields:
        user.email = changes.email
    if "language" in fields and changes.language is not None:
        user.language = changes.language.value
    await session.flush()
    await forget_user_sessions(session, cache, user.id)
    return UserRead.model_validate(user)


async def set_user_status(
    session: AsyncSession, cache: Cache, user_id: uuid.UUID, status: UserStatus
) -> UserRead:
    """Suspend or reactivate a user (admin); takes effect on their next request."""
    user = await session.get(User, user_id)
    if user is None:
        raise NotFoundError("No such user.", code="USER_NOT_FOUND")
    user.status = status.value
    await session.flush()
    await forget_user_sessions(session, cache, user.id)
    return UserRead.model_validate(user)


async def create_or_promote_admin(
    session: AsyncSession, *, phone: str, name: str
) -> tuple[UserRead, bool]:
    """Make the phone's user an admin, creating the user if needed; says whether it was new."""
    user = await session.scalar(select(User).where(User.phone == phone))
    created = user is None
    if user is None:
        user = User(
            id=uuid.uuid4(),
            phone=phone,
            status=UserStatus.ACTIVE.value,
            language=Language.EN.value,
        )
        session.add(user)
    user.name = name
    user.role = UserRole.ADMIN.value
    await session.flush()
    return UserRead.model_validate(user), created
