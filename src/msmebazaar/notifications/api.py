"""The notifications service as the app mounts it: its router, its event subscription, the email
channel of the outbox, the live streams' broker and the daily digest."""

from __future__ import annotations

from fastapi import FastAPI

from msmebazaar.notifications.digest import DigestLoop
from msmebazaar.notifications.email import EMAIL_CHANNEL, create_email_provider
from msmebazaar.notifications.handlers import SUBSCRIPTION
from msmebazaar.notifications.kinds import Kind
from msmebazaar.notifications.metrics import NOTIFICATIONS_DELIVERED
from msmebazaar.notifications.router import router
from msmebazaar.notifications.service import broker_of
from msmebazaar.services import ServiceSpec
from msmebazaar.shared.config import Environment
from msmebazaar.shared.messaging import OutboundMessage, register_channel
from msmebazaar.shared.outbox import observe_outcomes
from msmebazaar.shared.runtime import runtime_of

# The outbox worker (in the app or `msmebazaar worker`) delivers `email` messages with this.
register_channel(EMAIL_CHANNEL, create_email_provider)

_TEMPLATES = frozenset(kind.value for kind in Kind) | {"notification_digest"}


def _count_delivery(message: OutboundMessage, status: str) -> None:
    """Count the outbox's outcome for a notification's message (a retry is a failed try)."""
    if message.template in _TEMPLATES:
        outcome = "sent" if status == "sent" else "failed"
        NOTIFICATIONS_DELIVERED.labels(message.channel, outcome).inc()


observe_outcomes(_count_delivery)


async def _start(app: FastAPI) -> None:
    runtime = runtime_of(app)
    broker_of(runtime).start()
    # Tests send digests themselves, with a moved clock.
    if runtime.settings.environment is not Environment.TESTING:
        runtime.provide(DigestLoop(runtime.database, runtime.settings)).start()


async def _stop(app: FastAPI) -> None:
    runtime = runtime_of(app)
    loop = runtime.find(DigestLoop)
    if loop is not None:
        await loop.stop()
    await broker_of(runtime).stop()


SERVICE = ServiceSpec(
    name="notifications",
    routers=[router],
    on_startup=[_start],
    on_shutdown=[_stop],
    subscriptions=[SUBSCRIPTION],
    tags=[
        {
            "name": "notifications",
            "description": "What happened that concerns you: the inbox, a live stream "
            "(Server-Sent Events) and the channels you hear on (SMS, WhatsApp, email).",
        }
    ],
)
