"""Per-process state of the match service: the embedder in use and the live listing indexes."""

from __future__ import annotations

import weakref
from typing import Protocol

from msmebazaar.match.config import get_match_settings
from msmebazaar.match.embedders import Embedder, create_embedder


class StaleAware(Protocol):
    """An index that can be told its data changed (`index.ListingIndex`)."""

    def mark_stale(self) -> None: ...


_embedder: list[Embedder] = []
_indexes: weakref.WeakSet[StaleAware] = weakref.WeakSet()


def get_embedder() -> Embedder:
    """The process's embedder, created from the settings on first use."""
    if not _embedder:
        _embedder.append(create_embedder(get_match_settings()))
    return _embedder[0]


def use_embedder(embedder: Embedder | None) -> None:
    """Replace the process's embedder (`None`: back to the configured one); tests and the CLI."""
    _embedder.clear()
    if embedder is not None:
        _embedder.append(embedder)


def register_index(index: StaleAware) -> None:
    """Let listing events reach this index."""
    _indexes.add(index)


def mark_indexes_stale() -> None:
    """A listing changed in this process: every index re-reads before its next answer."""
    for index in list(_indexes):
        index.mark_stale()
