"""Telling an owner about an admin's decision: one SMS through the outbox, in their language,
sent only if the decision commits."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.admin.texts import notice
from msmebazaar.auth.service import get_user
from msmebazaar.shared.exceptions import NotFoundError
from msmebazaar.shared.outbox import enqueue


async def notify_owner(
    session: AsyncSession, owner_id: uuid.UUID, key: str, *, name: str, reason: str | None
) -> bool:
    """Queue the decision notice `key` for the owner; `False` when the owner no longer exists."""
    try:
        owner = await get_user(session, owner_id)
    except NotFoundError:
        return False
    body = notice(key, owner.language.value, name=name, reason=reason)
    enqueue(session, "sms", owner.phone, body, template="admin_" + key.replace(".", "_"))
    return True
