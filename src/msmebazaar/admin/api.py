"""The admin service as the app mounts it: its routes, the audit of changes made elsewhere
(domain events), and the periodic recount of the verification queue."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

import structlog
from fastapi import FastAPI

from msmebazaar.admin.audit import (
    on_identifier_conflicted,
    on_second_factor_changed,
    on_session_ended,
    on_user_role_changed,
    on_verification_reset,
)
from msmebazaar.admin.metrics import recount_queue
from msmebazaar.admin.router import router
from msmebazaar.auth.service import SecondFactorChanged, SessionEnded, UserRoleChanged
from msmebazaar.msme.service import IdentifierConflicted, VerificationReset
from msmebazaar.services import ServiceSpec
from msmebazaar.shared.config import Environment
from msmebazaar.shared.db import Database
from msmebazaar.shared.dispatch import Subscription
from msmebazaar.shared.runtime import runtime_of

logger = structlog.get_logger("msmebazaar.admin")

QUEUE_RECOUNT_SECONDS = 60.0


@dataclass(frozen=True)
class QueueRecount:
    """The served app's task recounting the verification queue (a runtime part)."""

    task: asyncio.Task[None]


async def _recount_forever(database: Database) -> None:
    while True:
        try:
            async with database.read_session() as session:
                await recount_queue(session)
        except Exception as exc:  # a database outage only delays the next count
            logger.warning("verification_queue_count_failed", error=type(exc).__name__)
        await asyncio.sleep(QUEUE_RECOUNT_SECONDS)


async def _start(app: FastAPI) -> None:
    # Tests keep to one task: their sessions share one connection.
    runtime = runtime_of(app)
    if runtime.settings.environment is not Environment.TESTING:
        runtime.provide(
            QueueRecount(
                asyncio.create_task(_recount_forever(runtime.database), name="admin-queue-recount")
            )
        )


async def _stop(app: FastAPI) -> None:
    recount = runtime_of(app).find(QueueRecount)
    if recount is not None:
        recount.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await recount.task


SERVICE = ServiceSpec(
    name="admin",
    routers=[router],
    on_startup=[_start],
    on_shutdown=[_stop],
    # The audit of changes made in other services, wherever those services run.
    subscriptions=[
        Subscription("admin.audit_role_change", (UserRoleChanged,), on_user_role_changed),
        Subscription("admin.audit_session_end", (SessionEnded,), on_session_ended),
        Subscription("admin.audit_second_factor", (SecondFactorChanged,), on_second_factor_changed),
        Subscription("admin.audit_verification_reset", (VerificationReset,), on_verification_reset),
        Subscription(
            "admin.audit_identifier_conflict", (IdentifierConflicted,), on_identifier_conflicted
        ),
    ],
    tags=[
        {
            "name": "admin",
            "description": "Verification queue, listing moderation, users, analytics and the "
            "audit log (role admin). Every action is audited.",
        }
    ],
)
