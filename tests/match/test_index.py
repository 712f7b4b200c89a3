"""The in-process index: filled from the database, refreshed incrementally by the version stamp."""

from __future__ import annotations

import asyncio
import gc
import uuid

import numpy as np
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from msmebazaar.match import index as index_module
from msmebazaar.match import vectors
from msmebazaar.match.api import SERVICE
from msmebazaar.match.embedders import WordLlamaEmbedder
from msmebazaar.match.index import ListingIndex
from msmebazaar.match.models import LISTING, StoredVector
from msmebazaar.match.runtime import match_part
from msmebazaar.msme.models import Listing, Msme
from msmebazaar.shared.cache import MemoryCache
from msmebazaar.shared.config import Environment
from msmebazaar.shared.db import Database
from msmebazaar.shared.runtime import Runtime, runtime_of
from tests.conftest import make_settings
from tests.databases import counted_queries
from tests.match.factories import active_listing


def _index(check_seconds: float = 0) -> ListingIndex:
    return ListingIndex(WordLlamaEmbedder(), check_seconds=check_seconds)


async def test_first_refresh_loads_every_active_listing_with_a_stored_vector(
    database: Database,
) -> None:
    owner = uuid.uuid4()
    active = await active_listing(database, owner)
    await active_listing(database, owner, status="draft")
    index = _index()

    await index.refresh(database)

    assert index.table.ids == [active.id]
    assert index.vectors.shape == (1, 128)
    assert index.vector_bytes == 512
    async with database.session() as session:
        stored = await session.scalar(
            select(func.count()).where(StoredVector.subject_type == LISTING)
        )
    assert stored == 1


async def test_a_new_listing_is_patched_in_without_a_full_reload(database: Database) -> None:
    owner = uuid.uuid4()
    first = await active_listing(database, owner)
    index = _index()
    await index.refresh(database)
    first_vector = index.vectors[0].copy()

    second = await active_listing(database, owner, description="Rooftop solar installer")
    await index.refresh(database)

    assert set(index.table.ids) == {first.id, second.id}
    assert np.array_equal(index.vectors[index.position[first.id]], first_vector)


async def test_a_listing_closed_elsewhere_drops_out(database: Database) -> None:
    owner = uuid.uuid4()
    keep = await active_listing(database, owner)
    gone = await active_listing(database, owner)
    index = _index()
    await index.refresh(database)

    async with database.session() as session:
        await session.execute(update(Listing).where(Listing.id == gone.id).values(status="closed"))
    await index.refresh(database)

    assert index.table.ids == [keep.id]
    assert index.vectors.shape == (1, 128)


async def test_a_profile_change_re_embeds_its_listing(database: Database) -> None:
    listing = await active_listing(
        database, uuid.uuid4(), description="Namkeen maker", anonymous=False
    )
    index = _index()
    await index.refresh(database)
    before = index.vectors[0].copy()

    async with database.session() as session:
        await session.execute(
            update(Msme)
            .where(Msme.id == listing.msme_id)
            .values(description="Hospital with an ICU and diagnostic lab")
        )
    await index.refresh(database)

    assert not np.array_equal(index.vectors[0], before)


async def test_within_the_check_interval_the_database_is_not_read(database: Database) -> None:
    index = _index(check_seconds=3600)
    await index.refresh(database)

    await active_listing(database, uuid.uuid4())
    await index.refresh(database)
    assert len(index.table) == 0

    index.mark_stale()  # what a ListingChanged event in this process does
    await index.refresh(database)
    assert len(index.table) == 1


async def test_unchanged_text_is_not_embedded_twice(database: Database) -> None:
    await active_listing(database, uuid.uuid4())
    await _index().refresh(database)
    embedder = WordLlamaEmbedder()
    calls: list[int] = []
    original = embedder.embed

    async def counting(texts: list[str]) -> np.ndarray:
        calls.append(len(texts))
        return await original(texts)

    embedder.embed = counting  # type: ignore[method-assign,assignment]
    index = ListingIndex(embedder, check_seconds=0)
    await index.refresh(database)

    assert len(index.table) == 1
    assert calls == []


async def test_an_anonymous_listing_embeds_only_its_own_text(database: Database) -> None:
    listing = await active_listing(database, uuid.uuid4(), description="Shree Ganesh Foods")
    index = _index()
    await index.refresh(database)
    before = index.vectors[0].copy()

    async with database.session() as session:
        await session.execute(
            update(Msme).where(Msme.id == listing.msme_id).values(description="Other words")
        )
    await index.refresh(database)

    assert np.array_equal(index.vectors[0], before)


async def test_background_mode_rechecks_on_its_own_schedule(database: Database) -> None:
    index = ListingIndex(WordLlamaEmbedder(), check_seconds=0.01, background=True)
    checks: list[bool] = []

    async def counting_refresh(_: object) -> None:
        checks.append(index._stale)  # the loop asks for a fresh read every time

    index.refresh = counting_refresh  # type: ignore[method-assign,assignment]
    index.start(database)
    for _ in range(200):
        if len(checks) >= 3:
            break
        await asyncio.sleep(0.01)
    await index.stop()

    assert len(checks) >= 3
    assert all(checks)


async def test_background_mode_rankings_do_not_read_the_fingerprint(database: Database) -> None:
    index = ListingIndex(WordLlamaEmbedder(), check_seconds=0, background=True)
    await index.refresh(database)  # the first load

    await active_listing(database, uuid.uuid4())
    await index.refresh(database)

    assert len(index.table) == 0  # left to the background task


async def test_the_first_load_is_announced_for_readiness(database: Database) -> None:
    index = _index()
    assert not index.loaded.is_set()

    await index.refresh(database)

    assert index.loaded.is_set()


async def test_a_served_match_holds_readiness_until_its_index_has_loaded(
    database: Database,
) -> None:
    app = FastAPI()
    settings = make_settings("sqlite://", environment=Environment.DEVELOPMENT)
    app.state.runtime = Runtime.build(settings, database=database, cache=MemoryCache())
    (start,), (stop,) = SERVICE.on_startup, SERVICE.on_shutdown
    await start(app)
    try:
        warming = runtime_of(app).warming["match index"]
        assert warming is match_part(runtime_of(app)).index.loaded
        await asyncio.wait_for(warming.wait(), timeout=30)  # the background task's first load
    finally:
        await stop(app)


async def test_a_full_load_reads_every_stored_vector_in_one_scan(
    database: Database, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Past a few chunks of ids the stored vectors are read whole, not by IN lists: the same
    # vectors, row for row, and nothing embedded again.
    owner = uuid.uuid4()
    for _ in range(5):
        await active_listing(database, owner)
    by_chunks = _index()
    await by_chunks.refresh(database)
    monkeypatch.setattr(vectors, "_CHUNK", 2)
    monkeypatch.setattr(vectors, "_WHOLE_TABLE_CHUNKS", 1)
    embedder = WordLlamaEmbedder()
    embedded: list[int] = []
    original = embedder.embed

    async def counting(texts: list[str]) -> np.ndarray:
        embedded.append(len(texts))
        return await original(texts)

    embedder.embed = counting  # type: ignore[method-assign,assignment]
    whole = ListingIndex(embedder, check_seconds=0)
    with counted_queries(engine) as statements:
        await whole.refresh(database)

    assert embedded == []
    assert whole.table.ids == by_chunks.table.ids
    assert np.array_equal(whole.vectors, by_chunks.vectors)
    vector_reads = [sql for sql in statements if "FROM match_vectors" in sql]
    assert len(vector_reads) == 1
    assert " IN " not in vector_reads[0].upper()


async def test_a_big_index_is_left_out_of_full_collections(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A full collection over 100,000 listings' objects paused the process for ~170 ms; after
    # a full load of a big index its objects are frozen, so the collector no longer walks them.
    monkeypatch.setattr(index_module, "FREEZE_AT_LISTINGS", 1)
    await active_listing(database, uuid.uuid4())
    index = _index()
    try:
        await index.refresh(database)
        tracked = {id(item) for item in gc.get_objects()}
        frozen = gc.get_freeze_count()
    finally:
        gc.unfreeze()

    assert id(index.snapshot().facts) not in tracked
    assert id(index.position) not in tracked
    assert frozen > 0
