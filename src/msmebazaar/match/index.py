"""The in-process vector index: every active listing's facts and embedding as NumPy arrays.

Each app process keeps one. It is refreshed, before a ranking, when this process published a
`ListingChanged` event (`mark_stale`), or when the database's listing fingerprint — the count of
active listings and the latest change times of listings and profiles — differs from the one it
last read; the fingerprint is read every `MATCH_INDEX_CHECK_SECONDS`, so a change made in
another process is seen within seconds. Served apps read it from a background task; under
tests (no background tasks on the test's connection) the ranking itself reads it when due.
A refresh reads only what changed since the last one (a full reload when the count does not
add up), embedding any listing whose text has no current stored vector.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
import uuid
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import structlog

from msmebazaar.match.embedders import Embedder, Vectors
from msmebazaar.match.engine.tables import Floats, Ints, ListingTable, concat_rows, take_rows
from msmebazaar.match.models import LISTING
from msmebazaar.match.vectors import current_vectors
from msmebazaar.msme.service import (
    ListingFacts,
    ListingStamp,
    active_listing_facts,
    changed_listing_facts,
    listing_stamp,
)
from msmebazaar.shared.session_source import SessionSource

logger = structlog.get_logger("msmebazaar.match.index")

# Re-read a little before the last change seen: a commit may land with an earlier timestamp.
_OVERLAP = timedelta(seconds=2)


FREEZE_AT_LISTINGS = 10_000  # below this a full collection is quick: nothing to freeze
RANKINGS_KEPT = 4_096  # rankings kept per index generation (one per mandate, limit, language)


class RankingCache:
    """Rankings computed on one generation of the index, least recently used dropped first."""

    def __init__(self, capacity: int = RANKINGS_KEPT) -> None:
        self.capacity = capacity
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable) -> Any:
        """The ranking kept under `key`, or `None`."""
        found = self._kept.get(key)
        if found is not None:
            self._kept.move_to_end(key)
        return found

    def put(self, key: Hashable, ranking: Any) -> None:
        """Keep a ranking; the least recently used goes when full."""
        self._kept[key] = ranking
        self._kept.move_to_end(key)
        while len(self._kept) > self.capacity:
            self._kept.popitem(last=False)


@dataclass(frozen=True)
class IndexSnapshot:
    """One generation of the index: facts, table and vectors that belong together, and the
    rankings computed on them (a refresh makes a new generation, so none is ever stale)."""

    facts: dict[uuid.UUID, ListingFacts]
    table: ListingTable
    vectors: Vectors
    rankings: RankingCache

    def cosine(self, query: Vectors | None, rows: Ints) -> Floats:
        """Cosine similarity to `query` of the listings at positions `rows`, in that order
        (NaN without a query): the matrix product reads every vector it touches, so a caller
        passes only the listings that survived the hard filters."""
        usable = query is not None and self.vectors.shape[1:] == (np.shape(query)[0],)
        if query is None or not usable or rows.size == 0:
            return np.full(rows.size, np.nan)
        # einsum, not `@`: a matrix-vector product goes to OpenBLAS, whose worker threads spin
        # and stall for tens of milliseconds when the cores are busy; einsum's own SIMD loop
        # runs in this thread and is as fast when they are not.
        chosen = np.take(self.vectors, rows, axis=0)
        similarity: Floats = np.einsum("ij,j->i", chosen, query).astype(np.float64)
        return similarity


class ListingIndex:
    """Active listings' facts (`facts`, `table`) and unit vectors (`vectors`), row-aligned."""

    def __init__(
        self, embedder: Embedder, check_seconds: float = 3.0, *, background: bool = False
    ) -> None:
        self.embedder = embedder
        self.check_seconds = check_seconds
        # In the background mode a task of its own reads the fingerprint, so a ranking waits
        # only for the first load and for changes this process announced, never for a check.
        self.background = background
        self._task: asyncio.Task[None] | None = None
        self.facts: dict[uuid.UUID, ListingFacts] = {}
        self.table = ListingTable.of([])
        self.vectors: Vectors = np.zeros((0, max(embedder.dimension, 1)), np.float32)
        self.position: dict[uuid.UUID, int] = {}
        self._snapshot = IndexSnapshot(self.facts, self.table, self.vectors, RankingCache())
        self.stamp: ListingStamp | None = None
        self._stale = True
        self._checked_at = float("-inf")
        self._lock = asyncio.Lock()
        self.loaded = asyncio.Event()  # set by the first load (readiness waits for it when served)

    def mark_stale(self) -> None:
        """Re-read the database before the next answer (a listing changed in this process)."""
        self._stale = True

    @property
    def vector_bytes(self) -> int:
        """Memory held by the listing vectors."""
        return int(self.vectors.nbytes)

    def _due(self) -> bool:
        if self._stale or self.stamp is None:
            return True
        return not self.background and time.monotonic() - self._checked_at >= self.check_seconds

    def start(self, database: SessionSource) -> None:
        """Background mode: load now and re-check the fingerprint every `check_seconds`."""
        if self.background and self._task is None:
            self._task = asyncio.create_task(self._watch(database), name="match-index")

    async def stop(self) -> None:
        """Stop the background task, if any."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _watch(self, database: SessionSource) -> None:
        while True:
            try:
                self._stale = True
                await self.refresh(database)
            except Exception:  # a database outage only delays the next refresh
                logger.exception("match_index_refresh_failed")
            await asyncio.sleep(self.check_seconds)

    async def refresh(self, database: SessionSource) -> None:
        """Bring the index up to date if it may be stale (see the module docstring)."""
        if not self._due():
            return
        async with self._lock:
            if not self._due():  # another request refreshed it while this one waited
                return
            self._stale = False
            stamp = await self._read_stamp(database)
            if stamp != self.stamp:
                await self._reload(database, stamp)
            self._checked_at = time.monotonic()

    async def _read_stamp(self, database: SessionSource) -> ListingStamp:
        async with database.read_session() as session:
            return await listing_stamp(session)

    async def _reload(self, database: SessionSource, stamp: ListingStamp) -> None:
        started = time.perf_counter()
        previous = self.stamp
        since = _latest(previous) if previous is not None else None
        # Read, then embed (and store new vectors) with no transaction open: a reload of
        # 100,000 listings must not hold SQLite's one writer while it computes.
        async with database.read_session() as session:
            changed = (
                None if since is None else await changed_listing_facts(session, since - _OVERLAP)
            )
        if changed is None or not await self._apply(database, changed, stamp.active_count):
            async with database.read_session() as session:
                facts = await active_listing_facts(session)
            await self._load_all(database, facts)
        self.stamp = stamp
        self.loaded.set()
        logger.info(
            "match_index_refreshed",
            listings=len(self.facts),
            full=since is None,
            ms=round((time.perf_counter() - started) * 1000, 1),
        )

    async def _load_all(self, database: SessionSource, facts: list[ListingFacts]) -> None:
        items = [(item.id, item.text) for item in facts]
        vectors = await current_vectors(database, LISTING, self.embedder, items)
        self._install({item.id: _slim(item) for item in facts}, ListingTable.of(facts), vectors)
        _leave_out_of_full_collections(len(facts))

    async def _apply(
        self, database: SessionSource, changed: list[ListingFacts], expected: int
    ) -> bool:
        """Patch the changed listings in; `False` when the result does not match the count."""
        touched = {item.id for item in changed}
        facts = {key: value for key, value in self.facts.items() if key not in touched}
        fresh = [item for item in changed if item.status == "active"]
        facts.update({item.id: _slim(item) for item in fresh})
        if len(facts) != expected:
            return False
        keep = np.array([key not in touched for key in self.table.ids], np.bool_)
        items = [(item.id, item.text) for item in fresh]
        vectors = await current_vectors(database, LISTING, self.embedder, items)
        table = concat_rows(take_rows(self.table, keep), ListingTable.of(fresh))
        kept_vectors = self.vectors[keep] if len(keep) else self.vectors[:0]
        self._install(facts, table, _stack(kept_vectors, vectors))
        return True

    def _install(
        self, facts: dict[uuid.UUID, ListingFacts], table: ListingTable, vectors: Vectors
    ) -> None:
        # One assignment: a ranking that read the old arrays keeps a consistent set.
        self.facts, self.table, self.vectors = facts, table, vectors
        self.position = {listing_id: row for row, listing_id in enumerate(table.ids)}
        self._snapshot = IndexSnapshot(facts, table, vectors, RankingCache())

    def snapshot(self) -> IndexSnapshot:
        """The current generation, consistent whatever refresh happens while it is used."""
        return self._snapshot

    def cosine(self, query: Vectors | None, rows: Ints) -> Floats:
        """Cosine similarity to `query` of the current generation's listings at `rows`."""
        return self._snapshot.cosine(query, rows)


def _leave_out_of_full_collections(listings: int) -> None:
    """After a full load of a big index: collect once, then freeze what is alive, so later full
    collections skip it. At 100,000 businesses the index is ~380,000 objects and every full
    collection walked them: a ~170 ms pause of the whole process. Only a full load freezes
    (rare: start-up, or a count that does not add up); the frozen facts hold no cycles, so
    reference counting still frees them when a later load replaces them."""
    if listings >= FREEZE_AT_LISTINGS:
        gc.collect()
        gc.freeze()


def _slim(facts: ListingFacts) -> ListingFacts:
    """The facts without their texts: once embedded, the index needs only the figures (the
    texts of 100,000 listings would take hundreds of megabytes)."""
    return replace(facts, headline="", summary="", description="")


def _latest(stamp: ListingStamp) -> datetime | None:
    times = [at for at in (stamp.listings_changed_at, stamp.profiles_changed_at) if at]
    return max(times) if times else None


def _stack(first: Vectors, second: Vectors) -> Vectors:
    if first.shape[0] == 0:
        return second
    if second.shape[0] == 0:
        return first
    return np.vstack([first, second]).astype(np.float32)
