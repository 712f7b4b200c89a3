"""Handling received messages, after the webhook has answered, and never twice.

A phone's pending messages are handled in the order they arrived, inside one unit of work that
holds the phone's conversation row locked (`SELECT ... FOR UPDATE` on PostgreSQL; on SQLite every
unit of work that writes takes the one writer in turn, `shared.db.Database.session`), so two app
processes never advance the same conversation. Each message is handled in a savepoint: its
replies are queued in the outbox and the message marked processed together, or neither. A message
whose handling failed stays pending (later ones of the same phone wait behind it) and is retried
by the sweep every app process runs; after `MAX_ATTEMPTS` it is marked failed and the user is told.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import uuid
from datetime import timedelta

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.shared.db import dialect_insert, utcnow
from msmebazaar.shared.outbox import enqueue
from msmebazaar.shared.runtime import Runtime
from msmebazaar.whatsapp.conversation.engine import handle
from msmebazaar.whatsapp.conversation.state import State, Step
from msmebazaar.whatsapp.conversation.texts import t
from msmebazaar.whatsapp.conversation.turn import Turn, UserInput
from msmebazaar.whatsapp.messages import Envelope, Reply
from msmebazaar.whatsapp.models import (
    FAILED,
    NOT_SENT,
    PENDING,
    PROCESSED,
    QUEUED,
    SIMULATED,
    Conversation,
    InboundMessage,
    OutboundMessage,
)

logger = structlog.get_logger("msmebazaar.whatsapp")

MAX_ATTEMPTS = 5
WINDOW = timedelta(hours=24)  # WhatsApp's customer-service window after the user's last message
STAGGER = timedelta(seconds=2)  # keeps a turn's replies in order through the outbox
SIMULATE = "simulate"


async def _locked_conversation(session: AsyncSession, phone: str) -> Conversation:
    """The phone's conversation, created if new, locked until the unit of work ends."""
    now = utcnow()
    await session.execute(
        dialect_insert(session, Conversation)
        .values(
            id=uuid.uuid4(),
            phone=phone,
            answers={},
            history=[],
            version=1,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["phone"])
    )
    statement = select(Conversation).where(Conversation.phone == phone).with_for_update()
    return (await session.scalars(statement.execution_options(populate_existing=True))).one()


async def handle_pending(runtime: Runtime, phone: str) -> dict[uuid.UUID, list[Reply]]:
    """Handle the phone's pending messages in order; the replies to each one handled."""
    handled: dict[uuid.UUID, list[Reply]] = {}
    async with runtime.database.session("whatsapp handle") as session:
        conversation = await _locked_conversation(session, phone)
        pending = await session.scalars(
            select(InboundMessage)
            .where(InboundMessage.phone == phone, InboundMessage.status == PENDING)
            .order_by(InboundMessage.received_at, InboundMessage.id)
        )
        for message in list(pending):
            replies = await _handle_one(session, runtime, conversation, message)
            if replies is None:
                break  # later messages wait behind the failed one, in order
            handled[message.id] = replies
    return handled


async def _handle_one(
    session: AsyncSession, runtime: Runtime, conversation: Conversation, message: InboundMessage
) -> list[Reply] | None:
    try:
        async with session.begin_nested():
            replies = await _converse(session, runtime, conversation, message)
            await _queue(session, runtime, conversation, message, replies)
            message.status, message.processed_at = PROCESSED, utcnow()
            await session.flush()
    except Exception as exc:
        logger.exception("whatsapp_message_failed", message_id=str(message.id))
        await session.refresh(conversation)
        await session.refresh(message)
        await _failed(session, runtime, conversation, message, type(exc).__name__)
        return None
    return replies


async def _converse(
    session: AsyncSession, runtime: Runtime, conversation: Conversation, message: InboundMessage
) -> list[Reply]:
    state = State(
        step=Step(conversation.step) if conversation.step else None,
        language=conversation.language,
        answers=copy.deepcopy(conversation.answers or {}),
        history=list(conversation.history or []),
        completed_at=conversation.completed_at,
    )
    last_seen = conversation.last_inbound_at
    turn = Turn(session, runtime, message.phone, message.received_at)
    answer = UserInput(message.kind, message.text, message.reply_id)
    replies = await handle(turn, state, answer, last_seen)
    conversation.step = state.step.value if state.step else None
    conversation.language = state.language
    conversation.answers = state.answers
    conversation.history = state.history
    conversation.completed_at = state.completed_at
    conversation.last_inbound_at = max(last_seen or message.received_at, message.received_at)
    return replies


async def _queue(
    session: AsyncSession,
    runtime: Runtime,
    conversation: Conversation,
    message: InboundMessage,
    replies: list[Reply],
) -> None:
    """Queue the replies in the outbox (after the commit they are delivered), within the 24-hour
    window; outside it only the configured template is sent, once, instead."""
    now, via = utcnow(), message.provider
    window_until = (conversation.last_inbound_at or message.received_at) + WINDOW
    template = runtime.settings.whatsapp.template_name
    for index, reply in enumerate(replies):
        record = OutboundMessage(
            id=uuid.uuid4(),
            inbound_id=message.id,
            phone=message.phone,
            provider=via,
            kind=reply.kind,
            body=reply.as_plain_text(),
            payload=reply.to_payload(),
            status=QUEUED,
        )
        session.add(record)
        if via == SIMULATE:
            record.status = SIMULATED
            continue
        outgoing = reply
        if now >= window_until:
            if not template or index > 0:
                record.status, record.error = NOT_SENT, "outside the 24-hour window"
                continue
            outgoing = Reply.approved_template(template, conversation.language or "en")
            record.kind, record.payload = outgoing.kind, outgoing.to_payload()
        envelope = Envelope(outgoing, via, window_until.isoformat())
        queued = enqueue(session, "whatsapp", message.phone, envelope.dumps())
        queued.next_attempt_at = now + STAGGER * index
        record.outbox_id = queued.id
    await session.flush()


async def _failed(
    session: AsyncSession,
    runtime: Runtime,
    conversation: Conversation,
    message: InboundMessage,
    error: str,
) -> None:
    """Count a failed try; at the last one give up on the message and tell the user."""
    message.attempts += 1
    message.last_error = error[:200]
    if message.attempts >= MAX_ATTEMPTS:
        message.status = FAILED
        await _queue(
            session, runtime, conversation, message, [Reply.text(t("processing_failed", None))]
        )
    await session.flush()


async def sweep(runtime: Runtime, *, older_than: timedelta) -> int:
    """Handle what was received more than `older_than` ago and is still pending (the app died
    before handling it, or handling failed); the number of phones handled."""
    cutoff = utcnow() - older_than
    async with runtime.database.read_session() as session:
        phones = list(
            await session.scalars(
                select(InboundMessage.phone)
                .where(InboundMessage.status == PENDING, InboundMessage.received_at <= cutoff)
                .distinct()
                .limit(100)
            )
        )
    for phone in phones:
        await handle_pending(runtime, phone)
    return len(phones)


async def handle_in_background(runtime: Runtime, phones: list[str]) -> None:
    """The webhooks' after-the-answer task; a failure is left to the sweep."""
    for phone in phones:
        try:
            await handle_pending(runtime, phone)
        except Exception as exc:
            logger.warning("whatsapp_handling_deferred", error=type(exc).__name__)


class Sweeper:
    """Runs `sweep` every `interval` seconds as a task of the app's event loop."""

    def __init__(self, runtime: Runtime, interval: float) -> None:
        self.runtime = runtime
        self.interval = interval
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start sweeping in the background."""
        self._task = asyncio.create_task(self._run(), name="whatsapp-sweeper")

    async def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.interval)
            if self._stop.is_set():
                return
            try:
                await sweep(self.runtime, older_than=timedelta(seconds=self.interval))
            except Exception as exc:
                logger.warning("whatsapp_sweep_failed", error=type(exc).__name__)

    async def stop(self) -> None:
        """Stop sweeping (after the sweep in hand)."""
        self._stop.set()
        if self._task is not None:
            await self._task
