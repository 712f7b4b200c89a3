"""A user's notifications: the list, what is unread, marking read. Each function takes the
acting principal and touches only that user's rows (one way in)."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.service import Principal
from msmebazaar.notifications.exceptions import NotificationNotFoundError
from msmebazaar.notifications.kinds import Kind
from msmebazaar.notifications.models import Notification
from msmebazaar.notifications.schemas import NotificationRead, ReadAllResult
from msmebazaar.shared.db import utcnow
from msmebazaar.shared.pagination import PageParams, paginate

# The most notifications one read of a stream's backlog takes (it reads on until it is done).
BACKLOG_LIMIT = 500


def as_read(row: Notification) -> NotificationRead:
    """The API's view of a stored notification."""
    return NotificationRead(
        id=row.id,
        kind=Kind(row.kind),
        title=row.title,
        body=row.body,
        link=row.link,
        read=row.read_at is not None,
        created_at=row.created_at,
        seq=row.seq,
    )


async def list_notifications(
    session: AsyncSession, user: Principal, params: PageParams, *, unread: bool | None = None
) -> tuple[list[NotificationRead], int]:
    """One page of the user's notifications, newest first (only unread, or only read, if asked)."""
    statement = select(Notification).where(Notification.user_id == user.id)
    if unread is True:
        statement = statement.where(Notification.read_at.is_(None))
    elif unread is False:
        statement = statement.where(Notification.read_at.is_not(None))
    rows, total = await paginate(session, statement.order_by(Notification.seq.desc()), params)
    return [as_read(row) for row in rows], total


async def unread_count(session: AsyncSession, user_id: uuid.UUID) -> int:
    """How many of the user's notifications are unread."""
    count = await session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )
    return int(count or 0)


async def mark_read(
    session: AsyncSession, user: Principal, notification_id: uuid.UUID
) -> NotificationRead:
    """Mark one of the user's notifications read (again is no change); 404 if not theirs."""
    await session.execute(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.user_id == user.id,
            Notification.read_at.is_(None),
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    row = await session.scalar(
        select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user.id
        )
    )
    if row is None:
        raise NotificationNotFoundError()
    return as_read(row)


async def mark_all_read(session: AsyncSession, user: Principal) -> ReadAllResult:
    """Mark every unread notification of the user read."""
    result = await session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    marked = int(getattr(result, "rowcount", 0) or 0)
    return ReadAllResult(marked=marked, unread=await unread_count(session, user.id))


async def notifications_after(
    session: AsyncSession, user_id: uuid.UUID, seq: int, limit: int = BACKLOG_LIMIT
) -> list[NotificationRead]:
    """The user's notifications after `seq`, oldest first (a resumed stream's backlog)."""
    rows = await session.scalars(
        select(Notification)
        .where(Notification.user_id == user_id, Notification.seq > seq)
        .order_by(Notification.seq)
        .limit(limit)
    )
    return [as_read(row) for row in rows]


async def newest_seq(session: AsyncSession, user_id: uuid.UUID) -> int:
    """The `seq` of the user's newest notification (0 with none): a new stream starts after it."""
    newest = await session.scalar(
        select(func.max(Notification.seq)).where(Notification.user_id == user_id)
    )
    return int(newest or 0)
