"""The live stream, in-process: the first event carries the unread count; a notification made
in this process arrives as an event whose id is its `seq`; a stream resumed after an id sends
exactly what came after it, in order; a stream that fell behind re-reads the database; and a
process refuses streams past its own limit and a user's share."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sse_starlette import ServerSentEvent

from msmebazaar.auth.service import Principal, get_user
from msmebazaar.notifications.broker import QUEUE_SIZE, STREAMS_PER_USER, Broker
from msmebazaar.notifications.exceptions import StreamsFullError, TooManyStreamsError
from msmebazaar.notifications.service import NotificationStream, broker_of, resume_after
from msmebazaar.shared.db import Database
from msmebazaar.shared.metrics import REGISTRY
from msmebazaar.shared.runtime import runtime_of
from tests.auth.factories import Actor
from tests.notifications.helpers import listing_of, send_interest, stored


async def _principal(database: Database, actor: Actor) -> Principal:
    async with database.read_session() as session:
        return Principal(user=await get_user(session, actor.id), session_id=uuid.uuid4())


async def _next(events: AsyncIterator[ServerSentEvent]) -> ServerSentEvent:
    return await asyncio.wait_for(anext(events), timeout=5)


def _data(event: ServerSentEvent) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(str(event.data))
    return data


async def _stream(
    app: FastAPI, database: Database, actor: Actor, after: int | None = None
) -> tuple[NotificationStream, AsyncIterator[ServerSentEvent]]:
    runtime = runtime_of(app)
    live = NotificationStream(runtime, broker_of(runtime), await _principal(database, actor), after)
    return live, live.events()


async def test_a_new_stream_starts_with_the_count_and_gets_each_new_notification(
    app: FastAPI, client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    await send_interest(client, await listing_of(database, owner), buyer)  # one before
    _, events = await _stream(app, database, owner)

    first = await _next(events)
    pending = asyncio.ensure_future(_next(events))
    await asyncio.sleep(0.2)  # it has read the backlog (one connection in tests) and waits
    await send_interest(client, await listing_of(database, owner), buyer)
    arrived = await pending

    assert (first.event, _data(first)) == ("unread", {"unread": 1})
    newest = (await stored(database, owner.id))[-1]
    assert (arrived.event, arrived.id) == ("notification", str(newest.seq))
    body = _data(arrived)
    assert body["notification"]["id"] == str(newest.id)
    assert body["notification"]["kind"] == "interest_received"
    assert body["unread"] == 2
    await events.aclose()  # type: ignore[attr-defined]


async def test_a_resumed_stream_sends_exactly_what_it_missed_in_order(
    app: FastAPI, client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    for _ in range(4):
        await send_interest(client, await listing_of(database, owner), buyer)
    seqs = [row.seq for row in await stored(database, owner.id)]
    _, events = await _stream(app, database, owner, after=seqs[1])

    await _next(events)  # the count
    missed = [await _next(events) for _ in range(2)]

    assert [event.id for event in missed] == [str(seq) for seq in seqs[2:]]
    assert _data(missed[-1])["unread"] == 4
    quiet = asyncio.ensure_future(_next(events))
    await asyncio.sleep(0.2)
    assert not quiet.done()  # nothing more: no repeat of what was sent
    quiet.cancel()
    await asyncio.gather(quiet, return_exceptions=True)
    await events.aclose()  # type: ignore[attr-defined]


async def test_a_stream_that_fell_behind_reads_what_it_missed_from_the_database(
    app: FastAPI, client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    live, events = await _stream(app, database, owner)
    await _next(events)
    for _ in range(2):
        await send_interest(client, await listing_of(database, owner), buyer)
    # As if the mailbox had overflowed: what was published is gone, only the flag is left.
    while not live.listener.queue.empty():
        live.listener.queue.get_nowait()
    live.listener.ask_resync()

    caught_up = [await _next(events) for _ in range(2)]

    assert [e.id for e in caught_up] == [str(r.seq) for r in await stored(database, owner.id)]
    await events.aclose()  # type: ignore[attr-defined]


async def test_a_closed_stream_leaves_the_broker_and_the_gauge() -> None:
    broker = Broker(None, max_streams=2)
    user = uuid.uuid4()

    first = broker.open(user)
    second = broker.open(uuid.uuid4())
    with pytest.raises(StreamsFullError):
        broker.open(user)
    assert REGISTRY.get_sample_value("sse_connections") == 2
    broker.close(first)
    broker.close(first)  # twice is once
    broker.close(second)

    assert (broker.open_streams, REGISTRY.get_sample_value("sse_connections")) == (0, 0)


async def test_one_user_may_hold_only_a_share_of_the_streams() -> None:
    broker = Broker(None, max_streams=1000)
    user = uuid.uuid4()
    for _ in range(STREAMS_PER_USER):
        broker.open(user)

    with pytest.raises(TooManyStreamsError):
        broker.open(user)
    broker.open(uuid.uuid4())  # someone else still may


async def test_a_full_mailbox_asks_for_a_re_read_instead_of_growing() -> None:
    broker = Broker(None, max_streams=10)
    user = uuid.uuid4()
    listener = broker.open(user)

    for seq in range(QUEUE_SIZE + 5):
        broker.fan_out({"user_id": str(user), "notification": {"seq": seq}})
    broker.fan_out({"user_id": "not-a-uuid"})  # ignored

    assert listener.queue.qsize() == QUEUE_SIZE
    assert listener.resync.is_set()


@pytest.mark.parametrize(
    ("header", "after"),
    [(None, None), ("17", 17), (" 17 ", 17), ("", None), ("abc", None), ("-3", None),
     ("١٧", None), ("9" * 30, None)],
)  # fmt: skip
def test_last_event_id_is_read_only_when_it_is_one_of_ours(
    header: str | None, after: int | None
) -> None:
    assert resume_after(header) == after
