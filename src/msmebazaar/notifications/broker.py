"""Waking the streams open in every app process when a user has something new.

The handler that writes notifications runs in whichever process hosts it (`msmebazaar worker`,
or the app on the embedded default). Once its unit commits it publishes, for each notification,
the notification with its `seq` and the user's previous `seq` (`prev_seq`): on Redis pub/sub
when `REDIS_URL` is set, which every app process subscribes to, or to this process's streams
only without Redis. A stream sends a publication as it is when it follows the last one it sent
(`prev_seq` is its last `seq`); otherwise — a publication lost, reordered or pushed out of a full
mailbox — it reads what is new from the database, after the last `seq` it sent, and also does
so on its own now and then. So nothing is lost: the database is the one record, Redis only
makes it fast, and the database is read only when something was missed.

While Redis cannot be reached (or without it, for other processes' notifications) streams
re-read at each heartbeat instead; the subscriber reconnects with a doubling wait, and after
each reconnection wakes every stream once to catch up.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import redis.asyncio as aioredis
import structlog
from redis.exceptions import RedisError

from msmebazaar.notifications.exceptions import StreamsFullError, TooManyStreamsError
from msmebazaar.notifications.metrics import SSE_CONNECTIONS
from msmebazaar.shared.config import Environment, Settings

logger = structlog.get_logger("msmebazaar.notifications")

CHANNEL = "msmebazaar:notifications"
STREAMS_PER_USER = 10  # tabs and devices of one user at once
CONCURRENT_READS = 16  # database reads streams of one process make at once (a reconnection)
RECONNECT_SECONDS = (1.0, 30.0)  # the subscriber's first and longest wait between tries
PUBLISH_PAUSE_SECONDS = 5.0  # after a failed publication, publish nothing for this long
STOP_SECONDS = 2.0


MAILBOX = 64  # publications a stream may hold unread before it reads the database instead


@dataclass(eq=False)
class Listener:
    """One open stream: the publications for its user not yet sent, and a wake-up."""

    user_id: uuid.UUID
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    mailbox: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=MAILBOX))
    # Something may have been missed (a full mailbox, a reconnection): read the database.
    behind: bool = False

    def deliver(self, message: dict[str, Any]) -> None:
        """Keep a publication for the stream and wake it."""
        if len(self.mailbox) == MAILBOX:
            self.behind = True  # the oldest is pushed out: the database has it
        self.mailbox.append(message)
        self.wake.set()

    def catch_up(self) -> None:
        """Have the stream read the database (it may have missed a publication)."""
        self.behind = True
        self.wake.set()


class Broker:
    """This process's open streams, and the way publications reach them (module docstring)."""

    def __init__(self, redis_url: str | None, *, max_streams: int, timeout: float = 1.0) -> None:
        self.redis_url = redis_url
        self.max_streams = max_streams
        self._timeout = timeout
        self._listeners: dict[uuid.UUID, set[Listener]] = {}
        self._count = 0
        self._publisher: aioredis.Redis | None = None
        self._subscriber: asyncio.Task[None] | None = None
        self._publish_paused_until = 0.0
        # Whether publications reach this process now (subscribed to Redis); streams re-read
        # at each heartbeat while they do not.
        self.live = False
        self.reads = asyncio.Semaphore(CONCURRENT_READS)

    @classmethod
    def from_settings(cls, settings: Settings) -> Broker:
        """A broker on the configured Redis, if any. Under tests the streams and the handler
        share the test's one process (and event loop): they meet in-process, and no test app
        holds a subscription open (the proofs across processes run served apps)."""
        testing = settings.environment is Environment.TESTING
        return cls(
            None if testing else settings.redis.url,
            max_streams=settings.notify.max_streams,
            timeout=settings.redis.socket_timeout_seconds,
        )

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
        """Forget a stream that ended (again is nothing)."""
        mine = self._listeners.get(listener.user_id)
        if mine is None or listener not in mine:
            return
        mine.discard(listener)
        if not mine:
            del self._listeners[listener.user_id]
        self._count -= 1
        SSE_CONNECTIONS.set(self._count)

    def fan_out(self, message: dict[str, Any]) -> None:
        """Wake this process's streams of the user a publication names."""
        try:
            user_id = uuid.UUID(str(message["user_id"]))
        except (KeyError, ValueError):
            return
        for listener in self._listeners.get(user_id, ()):
            listener.deliver(message)

    def wake_all(self) -> None:
        """Have every stream of this process read what it may have missed."""
        for listeners in self._listeners.values():
            for listener in listeners:
                listener.catch_up()

    # ------------------------------------------------------------------ publishing

    async def publish(self, messages: list[dict[str, Any]]) -> None:
        """Wake the named users' streams in every process (only this one's without Redis).
        A failure is logged and publishing pauses briefly: the streams' own re-reads find what
        was stored, and the caller (an event handler) is not held up by a Redis outage."""
        if self.redis_url is None:
            for message in messages:
                self.fan_out(message)
            return
        if time.monotonic() < self._publish_paused_until:
            return
        try:
            client = self._publishing_client(self.redis_url)
            async with client.pipeline(transaction=False) as pipe:
                for message in messages:
                    pipe.publish(CHANNEL, json.dumps(message, separators=(",", ":")))
                await pipe.execute()
        except (RedisError, OSError) as exc:
            self._publish_paused_until = time.monotonic() + PUBLISH_PAUSE_SECONDS
            logger.warning("notification_publish_failed", error=type(exc).__name__)

    def _publishing_client(self, url: str) -> aioredis.Redis:
        if self._publisher is None:
            self._publisher = aioredis.Redis.from_url(
                url,
                socket_timeout=self._timeout,
                socket_connect_timeout=self._timeout,
                retry_on_timeout=False,
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
        wait = RECONNECT_SECONDS[0]
        while True:
            try:
                await self._subscribe_once(url)
                wait = RECONNECT_SECONDS[0]  # it was up: start the doubling again
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as exc:
                logger.warning("notification_subscribe_failed", error=type(exc).__name__)
            self.live = False
            await asyncio.sleep(wait)
            wait = min(wait * 2, RECONNECT_SECONDS[1])

    async def _subscribe_once(self, url: str) -> None:
        client = aioredis.Redis.from_url(
            url,
            socket_connect_timeout=self._timeout,
            socket_keepalive=True,
            health_check_interval=30,  # a half-open connection is noticed, not waited on
            decode_responses=True,
        )
        try:
            async with client.pubsub(ignore_subscribe_messages=True) as pubsub:
                await pubsub.subscribe(CHANNEL)
                self.live = True
                self.wake_all()  # subscribed now: catch up on what came before
                async for item in pubsub.listen():
                    if item.get("type") == "message":
                        with contextlib.suppress(ValueError, TypeError):
                            self.fan_out(json.loads(item["data"]))
        finally:
            self.live = False
            await client.aclose()

    async def stop(self) -> None:
        """Stop subscribing and close the Redis connections."""
        if self._subscriber is not None:
            self._subscriber.cancel()
            # A connection that hangs while closing must not hold up the process's shutdown.
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self._subscriber, STOP_SECONDS)
            self._subscriber = None
        if self._publisher is not None:
            await self._publisher.aclose()
            self._publisher = None
