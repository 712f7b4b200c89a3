"""`msmebazaar worker`: the process that delivers what the app stored for later — outbound
messages (the outbox) and domain events to every service's handlers (the dispatcher) — until
SIGINT or SIGTERM, then finishes the message or event in hand."""

from __future__ import annotations

import asyncio
import signal

import structlog

from msmebazaar.services import available_services, load_service, subscriptions_of
from msmebazaar.shared.config import Settings
from msmebazaar.shared.dispatch import EventDispatcher
from msmebazaar.shared.messaging import create_providers
from msmebazaar.shared.outbox import OutboxWorker
from msmebazaar.shared.runtime import Runtime

logger = structlog.get_logger("msmebazaar.worker")


async def run_worker(settings: Settings) -> None:
    """Deliver messages and events until SIGINT or SIGTERM."""
    runtime = Runtime.build(settings)
    # Services first: importing them registers their outbox channels (WhatsApp, email).
    specs = [load_service(name) for name in available_services()]
    outbox = OutboxWorker(runtime.database, create_providers(settings), settings.outbox)
    events = EventDispatcher(runtime, subscriptions_of(specs))
    loop = asyncio.get_running_loop()

    def stop() -> None:
        outbox.request_stop()
        events.request_stop()

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop)
    logger.info(
        "worker_started", channels=sorted(outbox.providers), handlers=sorted(events.subscriptions)
    )
    try:
        await asyncio.gather(outbox.run(), events.run())
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
        await outbox.stop()
        await events.stop()
        await runtime.cache.close()
        await runtime.database.dispose()
