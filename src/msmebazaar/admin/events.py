"""Dead letters for admins: domain events a handler gave up after its last try, so a missing
audit row or reaction is visible, not silent (the dispatcher: `shared/dispatch.py`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.admin.schemas import FailedEventRead
from msmebazaar.shared.dispatch import FailedEvent
from msmebazaar.shared.pagination import PageParams, paginate


async def failed_events(
    session: AsyncSession, params: PageParams, handler: str | None = None
) -> tuple[list[FailedEventRead], int]:
    """One page of dead letters, newest first (of one handler if named), and how many in all."""
    statement = select(FailedEvent)
    if handler is not None:
        statement = statement.where(FailedEvent.handler == handler)
    statement = statement.order_by(FailedEvent.failed_at.desc(), FailedEvent.id.desc())
    rows, total = await paginate(session, statement, params)
    return [FailedEventRead.model_validate(row) for row in rows], total
