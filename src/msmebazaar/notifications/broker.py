"""Fan-out of new notifications to the streams open in every app process.

The handler that writes notifications runs in whichever process hosts it (`msmebazaar worker`,
or the app on the embedded default). Once its unit commits it publishes each new notification:
on Redis pub/sub when `REDIS_URL` is set, which every app process subscribes to and passes on to
its own open streams; without Redis, to this process's streams only. Nothing is lost when a
publication is: a stream's event id is the notification's `seq`, the browser resumes with
`Last-Event-ID`, and a stream re-reads the database after a Redis reconnection (or, without
Redis, at each heartbeat: other processes' notifications arrive then).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import redis.asyncio as aioredis
import structlog
from redis.exceptions import RedisError

from msmebazaar.notifications.exceptions import StreamsFullError, TooManyStreamsError
from msmebazaar.notifications.metrics import SSE_CONNECTIONS
from msmebazaar.shared.config import Settings

logger = structlog.get_logger("msmebazaar.notifications")

CHANNEL = "msmebazaar:notifications"
QUEUE_SIZE = 256  # items a slow stream may fall behind by before it is closed (and resumes)
STREAMS_PER_USER = 10  # tabs and devices of one user at once
RECONNECT_SECONDS = 1.0


@dataclass(eq=False)
class Listener:
    """One open stream's mailbox."""

    user_id: uuid.UUID
    queue: asyncio.Queue[dict[str, Any]] = field(
        default_factory=lambda: asyncio.Queue(maxsize=QUEUE_SIZE)
    )
    # Set when something may have been missed (a full mailbox, a Redis reconnection): the
    # stream re-reads the database from its last event.
    resync: asyncio.Event = field(default_factory=asyncio.Event)

    def offer(self, message: dict[str, Any]) -> None:
        """Hand a message to the stream, or mark it for a re-read if it is too far behind."""
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.resync.set()

    def ask_resync(self) -> None:
        """Have the stream re-read the database now (something may have been missed)."""
        self.resync.set()
        with contextlib.suppress(asyncio.QueueFull):
            self.queue.put_nowait({"resync": True})


class Broker:
    """This process's open streams, and the way publications reach them (module docstring)."""

    def __init__(self, redis_url: str | None, *, max_streams: int, timeout: float = 5.0) -> None:
        self.redis_url = redis_url
        self.max_streams = max_streams
        self._timeout = timeout
        self._listeners: dict[uuid.UUID, set[Listener]] = {}
        self._count = 0
        self._publisher: aioredis.Redis | None = None
        self._subscriber: asyncio.Task[None] | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Broker:
        """A broker on the configured Redis, if any."""
        return cls(
            settings.redis.url,
            max_streams=settings.notify.max_streams,
            timeout=max(settings.redis.socket_timeout_seconds, 1.0),
        )

    @property
    def shared(self) -> bool:
        """Whether publications cross processes (through Redis)."""
        return self.redis_url is not None

    @property
    def open_streams(self) -> int:
        return self._count

    # ------------------------------------------------------------------ streams

    def open(self, user_id: uuid.UUID) -> Listener:
        """Register a stream of `user_id`; 503 when the process is full, 429 past a user's
        share."""
        if self._count >= self.max_streams:
            raise StreamsFullError(headers={"Retry-After": "5"})
        mine = self._listeners.setdefault(user_id, set())
        if len(mine) >= STREAMS_PER_USER:
            raise TooManyStreamsError(retry_after=5)
        listener = Listener(user_id)
        mine.add(listener)
        self._count += 1
        SSE_CONNECTIONS.set(self._count)
        return listener

    def close(self, listener: Listener) -> None:
        """Forget a stream that ended."""
        mine = self._listeners.get(listener.user_id)
        if mine is None or listener not in mine:
            return
        mine.discard(listener)
        if not mine:
            del self._listeners[listener.user_id]
        self._count -= 1
        SSE_CONNECTIONS.set(self._count)

    def fan_out(self, message: dict[str, Any]) -> None:
        """Pass a published message to this process's streams of its user."""
        try:
            user_id = uuid.UUID(str(message["user_id"]))
        except (KeyError, ValueError):
            return
        for listener in self._listeners.get(user_id, ()):
            listener.offer(message)

    def _resync_all(self) -> None:
        for listeners in self._listeners.values():
            for listener in listeners:
                listener.ask_resync()

    # ------------------------------------------------------------------ publishing

    async def publish(self, messages: list[dict[str, Any]]) -> None:
        """Send new notifications to every process's streams (only this one's without Redis)."""
        if self.redis_url is None:
            for message in messages:
                self.fan_out(message)
            return
        client = self._publishing_client(self.redis_url)
        try:
            async with client.pipeline(transaction=False) as pipe:
                for message in messages:
                    pipe.publish(CHANNEL, json.dumps(message, separators=(",", ":")))
                await pipe.execute()
        except (RedisError, OSError) as exc:
            # The notifications are stored: open streams catch up on their next re-read.
            logger.warning("notification_publish_failed", error=type(exc).__name__)

    def _publishing_client(self, url: str) -> aioredis.Redis:
        if self._publisher is None:
            self._publisher = aioredis.Redis.from_url(
                url,
                socket_timeout=self._timeout,
                socket_connect_timeout=self._timeout,
                decode_responses=True,
            )
        return self._publisher

    # ------------------------------------------------------------------ subscribing

    def start(self) -> None:
        """Subscribe to other processes' publications (with Redis; nothing to do without)."""
        if self.redis_url is not None and self._subscriber is None:
            task = self._subscribe(self.redis_url)
            self._subscriber = asyncio.create_task(task, name="notifications-subscriber")

    async def _subscribe(self, url: str) -> None:
        while True:
            try:
                await self._subscribe_once(url)
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as exc:
                logger.warning("notification_subscribe_failed", error=type(exc).__name__)
            self._resync_all()  # whatever was published while we were away
            await asyncio.sleep(RECONNECT_SECONDS)

    async def _subscribe_once(self, url: str) -> None:
        client = aioredis.Redis.from_url(
            url, socket_connect_timeout=self._timeout, decode_responses=True
        )
        try:
            async with client.pubsub(ignore_subscribe_messages=True) as pubsub:
                await pubsub.subscribe(CHANNEL)
                self._resync_all()  # subscribed now: re-read what came before
                async for item in pubsub.listen():
                    if item.get("type") == "message":
                        with contextlib.suppress(ValueError, TypeError):
                            self.fan_out(json.loads(item["data"]))
        finally:
            await client.aclose()

    async def stop(self) -> None:
        """Stop subscribing and close the Redis connections."""
        if self._subscriber is not None:
            self._subscriber.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._subscriber
            self._subscriber = None
        if self._publisher is not None:
            await self._publisher.aclose()
            self._publisher = None
