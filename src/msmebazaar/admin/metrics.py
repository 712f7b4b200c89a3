"""The admin service's metrics: actions taken, and the verification queue's depth.

The depth is set whenever it is known to change or is counted: a queue read, a decision, a
profile sent back to the queue, the analytics overview, and a periodic recount (served apps), so
profiles created since the last of these show up within a minute.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.msme.service import pending_verification_count
from msmebazaar.shared.metrics import counter, gauge

ADMIN_ACTIONS = counter(
    "admin_actions_total", "Admin actions taken (and audited), by action.", ("action",)
)
VERIFICATION_QUEUE_DEPTH = gauge(
    "verification_queue_depth", "Business profiles waiting for an admin's verification decision."
)


def count_action(action: str) -> None:
    """Count one admin action."""
    ADMIN_ACTIONS.labels(action).inc()


def set_queue_depth(depth: int) -> None:
    """Record a fresh count of the verification queue."""
    VERIFICATION_QUEUE_DEPTH.set(depth)


async def recount_queue(session: AsyncSession) -> int:
    """Count the verification queue and record it."""
    depth = await pending_verification_count(session)
    set_queue_depth(depth)
    return depth
