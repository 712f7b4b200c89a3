"""The match service's part of the app's runtime: its settings, embedder and listing index.

Built once per app at start-up (`match/api.py`) and kept in the app's `Runtime` under this class;
read back with `match_part(runtime)` (routes get it through `MatchDep`). The `MATCH_*` settings
are read here, once per app, not from a second process-wide settings root.
"""

from __future__ import annotations

from dataclasses import dataclass

from msmebazaar.match.config import MatchSettings
from msmebazaar.match.embedders import Embedder, create_embedder
from msmebazaar.match.index import ListingIndex
from msmebazaar.match.notify import react_to_listing
from msmebazaar.msme.service import ListingChanged
from msmebazaar.shared.dispatch import Delivery
from msmebazaar.shared.runtime import Runtime
from msmebazaar.shared.session_source import SessionSource


@dataclass(eq=False)
class MatchRuntime:
    """This app's match settings, embedder and in-process listing index."""

    settings: MatchSettings
    embedder: Embedder
    index: ListingIndex

    @classmethod
    def build(cls, *, background: bool) -> MatchRuntime:
        """Read the `MATCH_*` settings and make the embedder and an (empty) index."""
        settings = MatchSettings()
        embedder = create_embedder(settings)
        return cls(
            settings,
            embedder,
            ListingIndex(embedder, settings.index_check_seconds, background=background),
        )

    async def on_listing_changed(self, event: ListingChanged, database: SessionSource) -> None:
        """A listing changed: refresh this process's index, re-embed the listing and notify
        mandate owners (`notify.react_to_listing`)."""
        self.index.mark_stale()
        await react_to_listing(event, database, self.settings, self.embedder)


def match_part(runtime: Runtime) -> MatchRuntime:
    """The match part of `runtime` (`PartMissingError` when match is not mounted and started)."""
    return runtime.get(MatchRuntime)


async def react_to_listing_change(event: ListingChanged, delivery: Delivery) -> None:
    """Subscribed to `ListingChanged`: the match part of the hosting process (the served app's,
    or one built on first use in `msmebazaar worker`) reacts to it."""
    match = delivery.runtime.part(MatchRuntime, lambda: MatchRuntime.build(background=False))
    await match.on_listing_changed(event, delivery.database)
