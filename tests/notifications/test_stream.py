"""The live stream, in-process: the first event carries the unread count; a notification made
in this process arrives as an event whose id is its `seq`; a stream resumed after an id sends
exactly what came after it, in order; a publication lost on the way loses nothing (the stream
reads from the database); a stream ends with its sign-in or its time; and a process refuses
streams past its own limit and a user's share."""

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
from msmebazaar.notifications import inbox
from msmebazaar.notifications import stream as stream_module
from msmebazaar.notifications.broker import STREAMS_PER_USER, Broker
from msmebazaar.notifications.exceptions import StreamsFullError, TooManyStreamsError
from msmebazaar.notifications.service import NotificationStream, broker_of, resume_after
from msmebazaar.shared.db import Database
from msmebazaar.shared.metrics import REGISTRY
from msmebazaar.shared.runtime import runtime_of
from tests.auth.factories import Actor
from tests.notifications.helpers import listing_of, send_interest, stored


@pytest.fixture
def people(owner: Actor, buyer: Actor) -> tuple[Actor, Actor]:
    """The owner whose stream is watched, and the buyer whose interests it hears of."""
    return owner, buyer


async def _principal(client: httpx.AsyncClient, database: Database, actor: Actor) -> Principal:
    """The actor as their stream sees them: their user and their sign-in."""
    sessions = await client.get("/api/v1/auth/sessions", headers=actor.headers)
    [current] = [item for item in sessions.json()["data"] if item["current"]]
    async with database.read_session() as session:
        user = await get_user(session, actor.id)
    return Principal(user=user, session_id=uuid.UUID(current["id"]))


async def _next(events: AsyncIterator[ServerSentEvent]) -> ServerSentEvent:
    return await asyncio.wait_for(anext(events), timeout=5)


def _data(event: ServerSentEvent) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(str(event.data))
    return data


async def _stream(
    app: FastAPI, database: Database, actor: Actor, after: int | None = None
) -> tuple[NotificationStream, AsyncIterator[ServerSentEvent]]:
    runtime = runtime_of(app)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        principal = await _principal(client, database, actor)
    live = NotificationStream(runtime, broker_of(runtime), principal, after)
    return live, live.events()


class Held:
    """The broker's publications of one test, held back until it lets them go (the test's
    requests and the stream share one database connection, so they must not overlap)."""

    def __init__(self, broker: Broker, monkeypatch: pytest.MonkeyPatch) -> None:
        self.broker = broker
        self.real = broker.publish
        self.messages: list[dict[str, Any]] = []
        monkeypatch.setattr(broker, "publish", self.hold)

    async def hold(self, messages: list[dict[str, Any]]) -> None:
        self.messages.extend(messages)

    async def release(self, count: int | None = None) -> None:
        await self.real(self.messages[-count:] if count else self.messages)


async def _waiting(events: AsyncIterator[ServerSentEvent]) -> asyncio.Future[ServerSentEvent]:
    """The stream's next event, asked for now: it reads what is new, then waits to be woken."""
    pending = asyncio.ensure_future(_next(events))
    await asyncio.sleep(0.2)
    assert not pending.done()
    return pending


async def test_a_new_stream_starts_with_the_count_and_is_woken_by_each_new_notification(
    app: FastAPI,
    client: httpx.AsyncClient,
    database: Database,
    people: tuple[Actor, Actor],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    owner, buyer = people
    held = Held(broker_of(runtime_of(app)), monkeypatch)
    await send_interest(client, await listing_of(database, owner), buyer)  # one before
    _, events = await _stream(app, database, owner)
    first = await _next(events)
    pending = await _waiting(events)

    await send_interest(client, await listing_of(database, owner), buyer)
    await held.release(1)
    arrived = await pending

    assert (first.event, _data(first)) == ("unread", {"unread": 1})
    newest = (await stored(database, owner.id))[-1]
    published = held.messages[-1]
    assert (published["user_id"], published["seq"]) == (str(owner.id), newest.seq)
    assert published["prev_seq"] == (await stored(database, owner.id))[-2].seq
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


async def test_a_publication_lost_on_the_way_loses_no_notification(
    app: FastAPI,
    client: httpx.AsyncClient,
    database: Database,
    people: tuple[Actor, Actor],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    owner, buyer = people
    held = Held(broker_of(runtime_of(app)), monkeypatch)
    _, events = await _stream(app, database, owner)
    await _next(events)
    pending = await _waiting(events)

    await send_interest(client, await listing_of(database, owner), buyer)  # its wake-up is lost
    await send_interest(client, await listing_of(database, owner), buyer)
    await held.release(1)  # only the second one's
    arrived = [await pending, await _next(events)]

    assert [e.id for e in arrived] == [str(r.seq) for r in await stored(database, owner.id)]
    await events.aclose()  # type: ignore[attr-defined]


async def test_a_stream_ends_when_its_sign_in_does(
    app: FastAPI, client: httpx.AsyncClient, database: Database, owner: Actor
) -> None:
    live, events = await _stream(app, database, owner)
    await _next(events)
    assert await live._still_signed_in()

    ended = await client.delete(
        f"/api/v1/auth/sessions/{live.user.session_id}", headers=owner.headers
    )

    assert ended.status_code in (200, 204), ended.text
    assert not await live._still_signed_in()
    await events.aclose()  # type: ignore[attr-defined]


async def test_a_stream_ends_when_its_time_is_up_and_leaves_the_broker(
    app: FastAPI, database: Database, owner: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    notify = runtime_of(app).settings.notify
    monkeypatch.setattr(notify, "heartbeat_seconds", 0.1)
    monkeypatch.setattr(notify, "stream_max_seconds", 1.0)
    live, events = await _stream(app, database, owner)

    sent = [event async for event in events]

    assert [event.event for event in sent] == ["unread"]
    assert live.listener not in broker_of(runtime_of(app))._listeners.get(owner.id, set())


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


async def test_a_publication_wakes_only_the_streams_of_the_user_it_names() -> None:
    broker = Broker(None, max_streams=10)
    mine, theirs = broker.open(uuid.uuid4()), broker.open(uuid.uuid4())

    await broker.publish([{"user_id": str(mine.user_id), "seq": 3}])
    broker.fan_out({"user_id": "not-a-uuid"})  # ignored
    broker.fan_out({})  # ignored

    assert (mine.wake.is_set(), theirs.wake.is_set()) == (True, False)


@pytest.mark.parametrize(
    ("header", "after"),
    [(None, None), ("17", 17), (" 17 ", 17), ("", None), ("abc", None), ("-3", None),
     ("١٧", None), ("9" * 30, None)],
)  # fmt: skip
def test_last_event_id_is_read_only_when_it_is_one_of_ours(
    header: str | None, after: int | None
) -> None:
    assert resume_after(header) == after


async def test_a_publication_that_follows_on_is_sent_without_reading_the_database(
    app: FastAPI,
    client: httpx.AsyncClient,
    database: Database,
    people: tuple[Actor, Actor],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    owner, buyer = people
    held = Held(broker_of(runtime_of(app)), monkeypatch)
    _, events = await _stream(app, database, owner)
    await _next(events)
    pending = await _waiting(events)
    reads: list[int] = []
    real_read = inbox.notifications_after

    async def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(1)
        return await real_read(*args, **kwargs)

    monkeypatch.setattr(stream_module, "notifications_after", counted)
    await send_interest(client, await listing_of(database, owner), buyer)
    await held.release(1)

    arrived = await pending

    assert arrived.id == str((await stored(database, owner.id))[-1].seq)
    assert reads == []
    await events.aclose()  # type: ignore[attr-defined]
