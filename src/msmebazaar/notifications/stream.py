"""The live stream (`GET /notifications/stream`): Server-Sent Events, one `notification` event
per new notification with its `seq` as the event id, so a browser's automatic reconnection
(`Last-Event-ID`) resumes after the last one it saw and misses nothing. The first event,
`unread`, carries the count for the bell.

A publication is sent as it is when it follows on from the last event sent; when one does not
(one was lost on the way), the stream reads the database after its last event, and it also
does so now and then on its own (`broker.py`): a lost publication costs a delay, never a
notification. A comment line every `NOTIFICATIONS_HEARTBEAT_SECONDS` keeps proxies from closing
an idle stream; every fourth heartbeat (a minute) the sign-in is checked again (a sign-out, a
session ended elsewhere or a suspension ends the stream), and after
`NOTIFICATIONS_STREAM_MAX_SECONDS` the stream ends and the browser reconnects with its
`Last-Event-ID`, proving who it is again. A database or cache that cannot answer for a moment
never ends a stream: it reads again at the next heartbeat."""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import AsyncIterator
from typing import Any

import structlog
from pydantic import ValidationError
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.background import BackgroundTask

from msmebazaar.auth.service import Principal, SessionRef, principal_of_session
from msmebazaar.notifications.broker import Broker
from msmebazaar.notifications.inbox import (
    BACKLOG_LIMIT,
    newest_seq,
    notifications_after,
    unread_count,
)
from msmebazaar.notifications.metrics import NOTIFICATIONS_DELIVERED
from msmebazaar.notifications.schemas import NotificationRead
from msmebazaar.shared.exceptions import AppError
from msmebazaar.shared.runtime import Runtime

logger = structlog.get_logger("msmebazaar.notifications")

RETRY_MS = 3000  # how soon a browser reconnects after the stream ends
# With Redis up, a stream still reads the database on its own this often (in heartbeats): a
# safety net under a publication lost with nothing after it to show the gap.
SAFETY_READ_BEATS = 4
# How often (in heartbeats) a stream checks that its sign-in still holds: every minute.
SIGN_IN_CHECK_BEATS = 4


def resume_after(last_event_id: str | None) -> int | None:
    """The `seq` a `Last-Event-ID` names; `None` when absent or not one of ours (start fresh)."""
    if last_event_id is None:
        return None
    text = last_event_id.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        return None
    return int(text)


def _event(item: NotificationRead, unread: int | None) -> ServerSentEvent:
    data: dict[str, Any] = {"notification": item.model_dump(mode="json")}
    if unread is not None:
        data["unread"] = unread
    NOTIFICATIONS_DELIVERED.labels("stream", "sent").inc()
    return ServerSentEvent(
        data=json.dumps(data, ensure_ascii=False), event="notification", id=str(item.seq)
    )


class NotificationStream:
    """One user's open stream: the backlog since `Last-Event-ID`, then what is new."""

    def __init__(self, runtime: Runtime, broker: Broker, user: Principal, after: int | None):
        self.runtime = runtime
        self.broker = broker
        self.user = user
        self.after = after
        self.listener = broker.open(user.id)  # refuses when full: before any byte is sent

    def close(self) -> None:
        """Leave the broker (idempotent: the generator's end and the response both call it)."""
        self.broker.close(self.listener)

    async def events(self) -> AsyncIterator[ServerSentEvent]:
        """The stream's events until the browser goes away or the stream's time is up."""
        settings = self.runtime.settings.notify
        ends_at = time.monotonic() + settings.stream_max_seconds
        # Streams opened together would check their sign-ins together: each starts at its own
        # point of the cycle.
        beats = random.randrange(SIGN_IN_CHECK_BEATS)  # noqa: S311 - spreading, not secrecy
        try:
            async with self.runtime.database.read_session() as session:
                unread = await unread_count(session, self.user.id)
                if self.after is None:
                    self.after = await newest_seq(session, self.user.id)
            yield ServerSentEvent(
                data=json.dumps({"unread": unread}), event="unread", retry=RETRY_MS
            )
            self.listener.behind = True  # what came after `Last-Event-ID`, or since the count
            while time.monotonic() < ends_at:
                async for event in self._pending():
                    yield event
                if await self._wait(settings.heartbeat_seconds):
                    continue
                beats += 1
                if beats % SIGN_IN_CHECK_BEATS == 0 and not await self._still_signed_in():
                    return
                # Without live publications (no Redis, or Redis down) read at every heartbeat;
                # with them, now and then, as a safety net.
                if not self.broker.live or beats % SAFETY_READ_BEATS == 0:
                    self.listener.behind = True
        finally:
            self.close()

    async def _wait(self, heartbeat: float) -> bool:
        """Wait for a wake-up, at most one heartbeat; whether one came."""
        wake = self.listener.wake
        try:
            await asyncio.wait_for(wake.wait(), heartbeat)
        except TimeoutError:
            return False
        wake.clear()
        return True

    async def _pending(self) -> AsyncIterator[ServerSentEvent]:
        """What the stream owes: publications that follow on from the last event sent, as they
        are; from the database whenever one does not (something was missed)."""
        listener = self.listener
        while listener.mailbox or listener.behind:
            if listener.behind:
                listener.behind = False
                listener.mailbox.clear()  # what they say, the database says too
                async for event in self._backlog():
                    yield event
                continue
            message = listener.mailbox.popleft()
            seq, previous = message.get("seq"), message.get("prev_seq")
            if not isinstance(seq, int) or seq <= (self.after or 0):
                continue  # sent already (read from the database meanwhile)
            if previous != self.after or "notification" not in message:
                listener.behind = True  # a gap: something before it never arrived here
                continue
            try:
                item = NotificationRead.model_validate(message["notification"])
            except ValidationError:
                listener.behind = True
                continue
            self.after = item.seq
            unread = message.get("unread")
            yield _event(item, unread if isinstance(unread, int) else None)

    async def _still_signed_in(self) -> bool:
        """Whether the sign-in behind the stream still holds (cached by auth for seconds). An
        outage of the cache or the database says nothing about it: the stream goes on."""
        ref = SessionRef(self.user.session_id, self.user.id)
        try:
            await principal_of_session(self.runtime, ref)
        except AppError:
            return False
        except Exception as exc:
            logger.warning("stream_sign_in_check_failed", error=type(exc).__name__)
        return True

    async def _backlog(self) -> AsyncIterator[ServerSentEvent]:
        """Everything the database holds after the last event sent, oldest first. A database
        that cannot answer now is asked again at the next heartbeat (the stream stays open)."""
        while True:
            try:
                async with self.broker.reads, self.runtime.database.read_session() as session:
                    found = await notifications_after(session, self.user.id, self.after or 0)
                    unread = await unread_count(session, self.user.id) if found else None
            except Exception as exc:
                logger.warning("stream_read_failed", error=type(exc).__name__)
                self.listener.behind = False  # retried at the next heartbeat's read
                return
            for item in found:
                self.after = item.seq
                yield _event(item, unread if item is found[-1] else None)
            if len(found) < BACKLOG_LIMIT:
                return


def stream_response(stream: NotificationStream, heartbeat: float) -> EventSourceResponse:
    """The SSE response: unbuffered by proxies, never cached, pinged while idle; the stream
    leaves the broker when the response ends, even one that never started."""
    return EventSourceResponse(
        stream.events(),
        ping=heartbeat,
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        background=BackgroundTask(stream.close),
        send_timeout=30,  # a client that stops reading is let go
    )
