"""What admins do with users: find them, change their status or role under the safety rules,
and the user figures of the admin analytics (each an aggregate query).

The rules of a change (`change_user`): an admin cannot suspend or demote themselves; the last
active admin is never suspended or demoted; `admin` itself is granted only by the CLI
(`msmebazaar create-admin`); suspending ends every open session at once (refresh tokens die with
their session, access tokens fail their next liveness check).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, Select, cast, func, literal_column, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.exceptions import RoleNotAllowedError
from msmebazaar.auth.models import User
from msmebazaar.auth.schemas import UserRead, UserRole, UserStatus
from msmebazaar.auth.sessions import forget_user_sessions, revoke_user_sessions
from msmebazaar.shared.cache import Cache
from msmebazaar.shared.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from msmebazaar.shared.pagination import PageParams, paginate

_MIN_PHONE_DIGITS = 3


class SelfChangeError(PermissionDeniedError):
    default_code = "SELF_CHANGE_NOT_ALLOWED"
    default_message = "You cannot suspend or demote yourself; ask another admin."


class LastAdminError(ConflictError):
    default_code = "LAST_ADMIN"
    default_message = (
        "This is the last active admin: make another admin first "
        "(msmebazaar create-admin), then change this one."
    )


@dataclass(frozen=True, slots=True)
class UserSearch:
    """`GET /admin/users` filters: `q` matches name, email or phone; all optional."""

    q: str | None = None
    role: UserRole | None = None
    status: UserStatus | None = None


@dataclass(frozen=True, slots=True)
class UserChange:
    """A user before and after an admin's change (equal when nothing changed)."""

    before: UserRead
    after: UserRead
    sessions_ended: int = 0

    @property
    def changed(self) -> bool:
        return self.before.role != self.after.role or self.before.status != self.after.status


@dataclass(frozen=True, slots=True)
class UserCounts:
    """Users by role and by status (all time), and signups per local day in a period."""

    by_role: dict[str, int]
    by_status: dict[str, int]
    signups_per_day: dict[date, int]


def _search_statement(search: UserSearch) -> Select[Any]:
    statement = select(User)
    if search.role is not None:
        statement = statement.where(User.role == search.role.value)
    if search.status is not None:
        statement = statement.where(User.status == search.status.value)
    needle = (search.q or "").strip().lower()
    if needle:
        matches = [
            func.lower(User.name).contains(needle, autoescape=True),
            func.lower(User.email).contains(needle, autoescape=True),
        ]
        digits = re.sub(r"\D", "", needle)
        if len(digits) >= _MIN_PHONE_DIGITS:
            matches.append(User.phone.contains(digits, autoescape=True))
        statement = statement.where(or_(*matches))
    return statement.order_by(User.created_at.desc(), User.id)


async def search_users(
    session: AsyncSession, search: UserSearch, params: PageParams
) -> tuple[list[UserRead], int]:
    """One page of users matching the filters, newest first, and how many match in all."""
    rows, total = await paginate(session, _search_statement(search), params)
    return [UserRead.model_validate(row) for row in rows], total


async def _active_admins(session: AsyncSession) -> set[uuid.UUID]:
    # FOR UPDATE (PostgreSQL): two admins demoting each other at once are serialised, and the
    # second sees the first's change before counting. Every change locks these rows first, in
    # id order, and its target after: no two changes can wait for each other.
    statement = (
        select(User.id)
        .where(User.role == UserRole.ADMIN.value, User.status == UserStatus.ACTIVE.value)
        .order_by(User.id)
        .with_for_update()
    )
    return set(await session.scalars(statement))


def _check_change(
    admins: set[uuid.UUID], actor_id: uuid.UUID, user: User, role: str, status: str
) -> None:
    if user.id == actor_id:
        raise SelfChangeError()
    if role == UserRole.ADMIN.value and user.role != UserRole.ADMIN.value:
        raise RoleNotAllowedError("Admins are made only with `msmebazaar create-admin`.")
    leaves_admins = role != UserRole.ADMIN.value or status != UserStatus.ACTIVE.value
    if user.id in admins and leaves_admins and not admins - {user.id}:
        raise LastAdminError()
    if actor_id not in admins:  # demoted or suspended since their session was cached
        raise PermissionDeniedError("You are no longer an active admin.")


async def change_user(
    session: AsyncSession,
    cache: Cache,
    *,
    actor_id: uuid.UUID,
    user_id: uuid.UUID,
    role: UserRole | None = None,
    status: UserStatus | None = None,
) -> UserChange:
    """An admin's change to a user's role and/or status, under the rules in the module doc."""
    admins = await _active_admins(session)
    user = await session.scalar(select(User).where(User.id == user_id).with_for_update())
    if user is None:
        raise NotFoundError("No such user.", code="USER_NOT_FOUND")
    before = UserRead.model_validate(user)
    new_role = role.value if role is not None else user.role
    new_status = status.value if status is not None else user.status
    if (new_role, new_status) == (user.role, user.status):
        return UserChange(before, before)
    _check_change(admins, actor_id, user, new_role, new_status)
    user.role, user.status = new_role, new_status
    await session.flush()
    ended = 0
    if new_status == UserStatus.SUSPENDED.value and before.status != UserStatus.SUSPENDED:
        ended = await revoke_user_sessions(session, cache, user.id, "suspended")
    else:
        await forget_user_sessions(session, cache, user.id)
    return UserChange(before, UserRead.model_validate(user), ended)


def _local_day(dialect: str, offset: timedelta) -> Any:
    """`users.created_at` as a calendar day at UTC+`offset` (India: +05:30, no DST)."""
    minutes = int(offset.total_seconds() // 60)
    # Constants, not bound parameters: the same expression must appear in GROUP BY.
    if dialect == "postgresql":
        shifted = func.timezone(literal_column("'UTC'"), User.created_at) + literal_column(
            f"interval '{minutes} minutes'"
        )
        return cast(shifted, Date)
    return func.date(User.created_at, literal_column(f"'{minutes:+d} minutes'"))


async def user_counts(
    session: AsyncSession, start: datetime, end: datetime, *, day_offset: timedelta
) -> UserCounts:
    """Users by role and status (now), and signups in [start, end) per day at `day_offset`."""
    by_role: dict[str, int] = {}
    by_status: dict[str, int] = {}
    grouped = select(User.role, User.status, func.count()).group_by(User.role, User.status)
    for role, status, count in await session.execute(grouped):
        by_role[role] = by_role.get(role, 0) + count
        by_status[status] = by_status.get(status, 0) + count
    day = _local_day(session.get_bind().dialect.name, day_offset).label("day")
    per_day = (
        select(day, func.count())
        .where(User.created_at >= start, User.created_at < end)
        .group_by(day)
    )
    signups = {
        value if isinstance(value, date) else date.fromisoformat(str(value)): int(count)
        for value, count in await session.execute(per_day)
    }
    return UserCounts(by_role=by_role, by_status=by_status, signups_per_day=signups)


def signup_cohort(start: datetime, end: datetime) -> Select[uuid.UUID]:
    """SQL: the ids of the business owners (`msme_owner`) who signed up in [start, end): the
    seller funnel's cohort. Buyers, investors and admins never sell, so counting them would
    make every later stage look like a drop-out."""
    return select(User.id).where(
        User.created_at >= start, User.created_at < end, User.role == UserRole.MSME_OWNER.value
    )


async def users_after(session: AsyncSession, after: uuid.UUID | None, limit: int) -> list[UserRead]:
    """Up to `limit` users with ids above `after`, by id (keyset pages for exports)."""
    statement = select(User).order_by(User.id).limit(limit)
    if after is not None:
        statement = statement.where(User.id > after)
    return [UserRead.model_validate(row) for row in await session.scalars(statement)]


__all__ = [
    "LastAdminError",
    "SelfChangeError",
    "UserChange",
    "UserCounts",
    "UserSearch",
    "change_user",
    "search_users",
    "signup_cohort",
    "user_counts",
    "users_after",
]
