"""Counts that read paths keep (listing views, matches served), written later in batches.

A GET must never write on the request's path: on SQLite every write waits for the one writer,
so a counted read would queue behind every other writer, and on PostgreSQL each count was a
commit. A read path adds to a counter on its session (`count_later`, like `events.publish`);
when the unit of work ends the additions move to its `Database`, and the app writes them all,
summed, in one short unit of work per counter every second (`PendingCounts.flush`), and once
more when it stops. A crash loses at most the last second of counts; it never touches data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.shared.session_source import SessionSource

logger = structlog.get_logger("msmebazaar.counts")

_PENDING_KEY = "msmebazaar.pending_counts"

FLUSH_SECONDS = 1.0


@dataclass(frozen=True, eq=False)
class CountKind:
    """A kind of count, and how a batch of it is written: `write(session, {key: amount})`."""

    name: str
    write: Callable[[AsyncSession, dict[Hashable, int]], Awaitable[None]]


def count_later(session: AsyncSession, kind: CountKind, key: Hashable, amount: int = 1) -> None:
    """Add `amount` to `key` of `kind`; written after the unit of work, in a batch."""
    pending: list[tuple[CountKind, Hashable, int]] = session.info.setdefault(_PENDING_KEY, [])
    pending.append((kind, key, amount))


def take_counted(session: AsyncSession) -> list[tuple[CountKind, Hashable, int]]:
    """Remove and return the counts added on a session (called when its unit of work ends)."""
    return list(session.info.pop(_PENDING_KEY, []))


@dataclass
class PendingCounts:
    """Counts waiting to be written, per kind, summed by key."""

    _by_kind: dict[CountKind, Counter[Hashable]] = field(default_factory=dict)

    def add(self, counted: list[tuple[CountKind, Hashable, int]]) -> None:
        """Keep counts taken from a finished unit of work."""
        for kind, key, amount in counted:
            self._by_kind.setdefault(kind, Counter())[key] += amount

    async def flush(self, database: SessionSource) -> None:
        """Write every kind's pending counts, one short unit of work per kind; a kind whose
        write fails keeps its counts for the next flush."""
        batches, self._by_kind = self._by_kind, {}
        for kind, counts in batches.items():
            try:
                async with database.session(f"counts {kind.name}") as session:
                    await kind.write(session, dict(counts))
            except Exception as exc:  # a database outage only delays the counts
                logger.warning("counts_flush_failed", kind=kind.name, error=type(exc).__name__)
                self._by_kind.setdefault(kind, Counter()).update(counts)
