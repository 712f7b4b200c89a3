"""The match service as the app mounts it."""

from __future__ import annotations

from fastapi import FastAPI

from msmebazaar.match.config import get_match_settings
from msmebazaar.match.index import ListingIndex
from msmebazaar.match.notify import on_listing_changed
from msmebazaar.match.router import router
from msmebazaar.match.runtime import get_embedder
from msmebazaar.msme.service import ListingChanged
from msmebazaar.services import ServiceSpec
from msmebazaar.shared.config import Environment
from msmebazaar.shared.events import subscribe
from msmebazaar.shared.health import hold_readiness


async def _start(app: FastAPI) -> None:
    # Served, the index loads in the background (start-up stays fast, and no ranking waits for
    # a fingerprint check); tests keep to one task, as their sessions share one connection.
    background = app.state.settings.environment is not Environment.TESTING
    index = ListingIndex(
        get_embedder(), get_match_settings().index_check_seconds, background=background
    )
    app.state.match_index = index
    subscribe(ListingChanged, on_listing_changed)
    index.start(app.state.db)
    if background:
        # No traffic before the first load: the first rankings would wait for it, on a worker
        # busy building the index (the load bench's cold start).
        hold_readiness(app, "match index", index.loaded)


async def _stop(app: FastAPI) -> None:
    await app.state.match_index.stop()


SERVICE = ServiceSpec(
    name="match",
    routers=[router],
    on_startup=[_start],
    on_shutdown=[_stop],
    tags=[
        {
            "name": "match",
            "description": "Buyers' and investors' mandates, and explained matches both ways.",
        }
    ],
)
