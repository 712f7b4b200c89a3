"""The live stream (`GET /notifications/stream`): Server-Sent Events, one `notification` event
per new notification with its `seq` as the event id, so a browser's automatic reconnection
(`Last-Event-ID`) resumes after the last one it saw and misses nothing. The first event,
`unread`, carries the count for the bell. A comment line every `NOTIFICATIONS_HEARTBEAT_SECONDS`
keeps proxies from closing an idle stream."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from sse_starlette import EventSourceResponse, ServerSentEvent

from msmebazaar.auth.service import Principal
from msmebazaar.notifications.broker import Broker, Listener
from msmebazaar.notifications.inbox import newest_seq, notifications_after, unread_count
from msmebazaar.notifications.metrics import NOTIFICATIONS_DELIVERED
from msmebazaar.notifications.schemas import NotificationRead
from msmebazaar.shared.runtime import Runtime

RETRY_MS = 3000  # how soon a browser reconnects after the stream drops


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
    """One user's open stream: the backlog since `Last-Event-ID`, then what is published."""

    def __init__(self, runtime: Runtime, broker: Broker, user: Principal, after: int | None):
        self.runtime = runtime
        self.broker = broker
        self.user = user
        self.after = after
        self.listener: Listener = broker.open(user.id)  # refuses when full: before any byte

    async def events(self) -> AsyncIterator[ServerSentEvent]:
        """The stream's events until the browser goes away."""
        try:
            async with self.runtime.database.read_session() as session:
                unread = await unread_count(session, self.user.id)
                if self.after is None:
                    self.after = await newest_seq(session, self.user.id)
            yield ServerSentEvent(
                data=json.dumps({"unread": unread}), event="unread", retry=RETRY_MS
            )
            async for event in self._backlog():
                yield event
            while True:
                async for event in self._next():
                    yield event
        finally:
            self.broker.close(self.listener)

    async def _backlog(self) -> AsyncIterator[ServerSentEvent]:
        """What the database holds after the last event sent (a resumption, a re-read)."""
        self.listener.resync.clear()
        async with self.runtime.database.read_session() as session:
            missed = await notifications_after(session, self.user.id, self.after or 0)
            unread = await unread_count(session, self.user.id) if missed else None
        for item in missed:
            self.after = item.seq
            yield _event(item, unread if item is missed[-1] else None)

    async def _next(self) -> AsyncIterator[ServerSentEvent]:
        """The next published notification, or a re-read when one may have been missed."""
        heartbeat = self.runtime.settings.notify.heartbeat_seconds
        try:
            message = await asyncio.wait_for(self.listener.queue.get(), heartbeat)
        except TimeoutError:
            message = None
        if message is not None and "notification" in message:
            item = NotificationRead.model_validate(message["notification"])
            if item.seq > (self.after or 0):
                self.after = item.seq
                yield _event(item, message.get("unread"))
        # Without Redis, other processes' notifications are found here, at each heartbeat.
        if self.listener.resync.is_set() or (message is None and not self.broker.shared):
            async for event in self._backlog():
                yield event


def stream_response(stream: NotificationStream, heartbeat: float) -> EventSourceResponse:
    """The SSE response: unbuffered by proxies, never cached, pinged while idle."""
    return EventSourceResponse(
        stream.events(),
        ping=heartbeat,
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
