"""The match service as the app mounts it."""

from __future__ import annotations

from fastapi import FastAPI

from msmebazaar.match.router import router
from msmebazaar.match.runtime import MatchRuntime, react_to_listing_change
from msmebazaar.msme.service import ListingChanged
from msmebazaar.services import ServiceSpec
from msmebazaar.shared.config import Environment
from msmebazaar.shared.dispatch import Subscription
from msmebazaar.shared.health import hold_readiness
from msmebazaar.shared.runtime import runtime_of


async def _start(app: FastAPI) -> None:
    runtime = runtime_of(app)
    # Served, the index loads in the background (start-up stays fast, and no ranking waits for
    # a fingerprint check); tests keep to one task, as their sessions share one connection.
    background = runtime.settings.environment is not Environment.TESTING
    match = runtime.provide(MatchRuntime.build(background=background))
    match.index.start(runtime.database)
    if background:
        # No traffic before the first load: the first rankings would wait for it, on a worker
        # busy building the index (the load bench's cold start).
        hold_readiness(app, "match index", match.index.loaded)


async def _stop(app: FastAPI) -> None:
    runtime = runtime_of(app)
    await runtime.get(MatchRuntime).index.stop()


SERVICE = ServiceSpec(
    name="match",
    routers=[router],
    on_startup=[_start],
    on_shutdown=[_stop],
    subscriptions=[
        Subscription("match.react_to_listing", (ListingChanged,), react_to_listing_change)
    ],
    tags=[
        {
            "name": "match",
            "description": "Buyers' and investors' mandates, and explained matches both ways.",
        }
    ],
)
