"""Reading what admin actions left behind: audit rows and queued notices."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.admin.models import AuditEntry
from msmebazaar.shared.metrics import REGISTRY
from msmebazaar.shared.outbox import OutboxMessage

ADMIN = "/api/v1/admin"


async def audit_rows(
    connection: AsyncConnection, target_id: uuid.UUID | None, action: str | None = None
) -> list[Any]:
    """The audit rows of a target (of one action, when given), oldest first."""
    statement = select(AuditEntry.__table__).where(AuditEntry.target_id == target_id)
    if action is not None:
        statement = statement.where(AuditEntry.action == action)
    return list((await connection.execute(statement.order_by(AuditEntry.created_at))).all())


async def notices_to(connection: AsyncConnection, phone: str) -> list[Any]:
    """The outbox messages queued for a phone number."""
    statement = select(OutboxMessage.__table__).where(OutboxMessage.recipient == phone)
    return list((await connection.execute(statement)).all())


def admin_actions(action: str) -> float:
    """The current value of `admin_actions_total{action}`."""
    return REGISTRY.get_sample_value("admin_actions_total", {"action": action}) or 0.0


def queue_depth() -> float | None:
    """The current value of the `verification_queue_depth` gauge."""
    return REGISTRY.get_sample_value("verification_queue_depth")
