"""The outbox: outbound messages stored with the unit of work, delivered by a worker.

`enqueue()` only adds a row to the caller's session, so a message exists exactly when the
transaction that wanted it commits, and a provider outage never fails or slows a request.

The worker claims due rows (on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so no two workers take
the same message; SQLite has one writer at a time), sends each through its channel's provider
outside any transaction, then marks it sent, or due again after an exponential backoff, or failed
after `OUTBOX_MAX_ATTEMPTS`. A claim is a lease: a worker that dies mid-send leaves the row to be
claimed again once `locked_until` passes.

Delivery is at-least-once. The one window where a message can go out twice: the provider has
accepted it but the worker crashes (or loses the database) before the row is marked `sent`; the
lease then expires and another worker sends it again. Nothing else repeats a send.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import structlog
from sqlalchemy import Index, Row, String, Text, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from msmebazaar.shared.config import Environment, OutboxSettings, Settings
from msmebazaar.shared.db import Base, Database, Timestamps, UUIDPrimaryKey, utcnow
from msmebazaar.shared.messaging import (
    DeliveryError,
    MessageProvider,
    OutboundMessage,
    create_providers,
)
from msmebazaar.shared.metrics import counter, gauge

logger = structlog.get_logger("msmebazaar.outbox")

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
REDACTED = "[redacted after delivery]"

OUTBOX_MESSAGES = counter(
    "outbox_messages_total",
    "Outbound messages handled by the outbox worker, by channel and outcome.",
    ("channel", "status"),
)
OUTBOX_QUEUE_DEPTH = gauge("outbox_queue_depth", "Outbound messages waiting to be delivered.")


class OutboxMessage(UUIDPrimaryKey, Timestamps, Base):
    """One outbound message and its delivery state."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    channel: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    template: Mapped[str | None] = mapped_column(String(64))
    # A sensitive body (a sign-in code) is erased once delivered or given up.
    sensitive: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    provider_message_id: Mapped[str | None] = mapped_column(String(128))
    sent_at: Mapped[datetime | None]


def enqueue(
    session: AsyncSession,
    channel: str,
    to: str,
    body: str,
    *,
    template: str | None = None,
    sensitive: bool = False,
    not_before: datetime | None = None,
) -> OutboxMessage:
    """Add a message to the session; it is sent only if the unit of work commits, and not
    before `not_before` when given (a message held through the night)."""
    message = OutboxMessage(
        id=uuid.uuid4(),
        channel=channel,
        recipient=to,
        body=body,
        template=template,
        sensitive=sensitive,
        status=PENDING,
        attempts=0,
        next_attempt_at=not_before or utcnow(),
    )
    session.add(message)
    return message


# Told of each delivery's outcome ("sent", "retrying" or "failed") after it is recorded: a
# service counts its own messages (notifications do, by kind of channel) without the kernel
# knowing it.
OutcomeObserver = Callable[[OutboundMessage, str], None]
_observers: list[OutcomeObserver] = []


def observe_outcomes(observer: OutcomeObserver) -> None:
    """Call `observer(message, status)` after each delivery outcome the worker records."""
    if observer not in _observers:
        _observers.append(observer)


@dataclass(frozen=True)
class _Claimed:
    message: OutboundMessage
    attempts: int
    sensitive: bool


class Backoff(Protocol):
    """Settings of a doubling wait between tries (the outbox's and the event dispatcher's)."""

    backoff_base_seconds: float
    backoff_max_seconds: float


def backoff_seconds(attempts: int, settings: Backoff) -> float:
    """Delay before the next try after `attempts` failed ones: doubling, capped."""
    delay = settings.backoff_base_seconds * 2 ** max(0, attempts - 1)
    return float(min(settings.backoff_max_seconds, delay))


class OutboxWorker:
    """Claims due messages, sends them, and records the outcome; see the module docstring."""

    def __init__(
        self,
        database: Database,
        providers: Mapping[str, MessageProvider],
        settings: OutboxSettings,
    ) -> None:
        self.database = database
        self.providers = dict(providers)
        self.settings = settings
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> int:
        """Claim one batch of due messages and deliver it; return how many were claimed."""
        claimed = await self._claim()
        if claimed:
            states = await asyncio.gather(*(self._deliver(item) for item in claimed))
            await self._record(list(zip(claimed, states, strict=True)))
        await self._record_depth()
        return len(claimed)

    async def run(self) -> None:
        """Deliver until `request_stop()`; a database outage only pauses the loop."""
        while not self._stop.is_set():
            try:
                claimed = await self.run_once()
            except Exception as exc:
                logger.warning("outbox_poll_failed", error=type(exc).__name__)
                claimed = 0
            if claimed < self.settings.batch_size:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), self.settings.poll_interval_seconds)

    def start(self) -> None:
        """Run the loop as a background task of the current event loop."""
        self._task = asyncio.create_task(self.run(), name="outbox-worker")

    def request_stop(self) -> None:
        """Ask the loop to finish after the batch in hand."""
        self._stop.set()

    async def stop(self) -> None:
        """Stop the background task and close the providers."""
        self.request_stop()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, timeout=15)
            except TimeoutError:
                self._task.cancel()
        for provider in self.providers.values():
            await provider.close()

    async def _claim(self) -> list[_Claimed]:
        now = utcnow()
        table = OutboxMessage
        due = or_(
            and_(table.status == PENDING, table.next_attempt_at <= now),
            and_(table.status == SENDING, table.locked_until < now),  # an abandoned lease
        )
        candidates = (
            select(table.id)
            .where(due, table.channel.in_(list(self.providers)))
            # Sign-in codes first: at 08:00 the night's held notifications all fall due at
            # once, and a code must not wait behind them.
            .order_by(table.sensitive.desc(), table.next_attempt_at)
            .limit(self.settings.batch_size)
        )
        # Look before claiming: an idle poll only reads, so it never takes SQLite's one writer.
        async with self.database.read_session() as session:
            if await session.scalar(candidates.limit(1)) is None:
                return []
        lease = now + timedelta(seconds=self.settings.lease_seconds)
        async with self.database.session("outbox claim") as session:
            if self.database.engine.dialect.name == "postgresql":
                candidates = candidates.with_for_update(skip_locked=True)
            statement = (
                update(table)
                .where(table.id.in_(candidates.scalar_subquery()))
                .values(status=SENDING, locked_until=lease, attempts=table.attempts + 1)
                .returning(*_CLAIMED_COLUMNS)
                .execution_options(synchronize_session=False)
            )
            rows = (await session.execute(statement)).all()
        return [_to_claimed(row) for row in rows]

    async def _deliver(self, item: _Claimed) -> dict[str, Any]:
        """Send one message; return the row's new state (written with the batch's)."""
        provider = self.providers[item.message.channel]
        try:
            provider_id = await provider.send(item.message)
        except DeliveryError as exc:
            return self._failure(item, str(exc), retryable=exc.retryable)
        except Exception as exc:  # a provider bug must not kill the worker
            logger.error("outbox_provider_error", exc_info=exc, channel=item.message.channel)
            return self._failure(item, f"unexpected {type(exc).__name__}", retryable=True)
        return {"status": SENT, "sent_at": utcnow(), "provider_message_id": provider_id}

    def _failure(self, item: _Claimed, error: str, *, retryable: bool) -> dict[str, Any]:
        if retryable and item.attempts < self.settings.max_attempts:
            delay = backoff_seconds(item.attempts, self.settings)
            next_at = utcnow() + timedelta(seconds=delay)
            return {"status": PENDING, "next_attempt_at": next_at, "last_error": error}
        return {"status": FAILED, "last_error": error}

    async def _record(self, outcomes: list[tuple[_Claimed, dict[str, Any]]]) -> None:
        # The double-send window: a provider has accepted a message, and a crash (or a database
        # outage) before this transaction commits leaves its row `sending`; once the lease
        # passes, another worker claims it and sends it again.
        async with self.database.session("outbox record") as session:
            for item, values in outcomes:
                if item.sensitive and values["status"] in {SENT, FAILED}:
                    values["body"] = REDACTED
                await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == item.message.id, OutboxMessage.status == SENDING)
                    .values(locked_until=None, **values)
                    .execution_options(synchronize_session=False)
                )
        for item, values in outcomes:
            status = "retrying" if values["status"] == PENDING else values["status"]
            OUTBOX_MESSAGES.labels(item.message.channel, status).inc()
            for observer in _observers:
                observer(item.message, status)
            if status != SENT:
                logger.warning(
                    "outbox_delivery_failed",
                    channel=item.message.channel,
                    attempts=item.attempts,
                    outcome=status,
                    error=values["last_error"],
                )

    async def _record_depth(self) -> None:
        waiting = select(func.count()).where(OutboxMessage.status.in_([PENDING, SENDING]))
        async with self.database.read_session() as session:
            OUTBOX_QUEUE_DEPTH.set(await session.scalar(waiting) or 0)


_CLAIMED_COLUMNS = (
    OutboxMessage.id,
    OutboxMessage.channel,
    OutboxMessage.recipient,
    OutboxMessage.body,
    OutboxMessage.template,
    OutboxMessage.attempts,
    OutboxMessage.sensitive,
)


def _to_claimed(row: Row[uuid.UUID, str, str, str, str | None, int, bool]) -> _Claimed:
    message = OutboundMessage(
        id=row.id, channel=row.channel, to=row.recipient, body=row.body, template=row.template
    )
    return _Claimed(message=message, attempts=int(row.attempts), sensitive=bool(row.sensitive))


def embedded_worker_enabled(settings: Settings) -> bool:
    """Whether the app runs the worker itself: `OUTBOX_WORKER_EMBEDDED`, else development only."""
    configured = settings.outbox.worker_embedded
    if configured is not None:
        return configured
    return settings.environment is Environment.DEVELOPMENT


def start_embedded_worker(database: Database, settings: Settings) -> OutboxWorker | None:
    """Start the worker inside the app when it should run there; `None` otherwise."""
    if not embedded_worker_enabled(settings):
        return None
    worker = OutboxWorker(database, create_providers(settings), settings.outbox)
    worker.start()
    return worker
