"""The whatsapp service as the app mounts it, and its outbox channel."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from msmebazaar.services import ServiceSpec
from msmebazaar.shared.config import Environment
from msmebazaar.shared.messaging import register_channel
from msmebazaar.shared.middleware import API_PREFIX
from msmebazaar.shared.runtime import runtime_of
from msmebazaar.whatsapp.providers import create_whatsapp_provider
from msmebazaar.whatsapp.router import SIMULATE_PATH, router
from msmebazaar.whatsapp.service import Sweeper

# The outbox worker (in the app or `msmebazaar worker`) delivers `whatsapp` messages with this.
register_channel("whatsapp", create_whatsapp_provider)


def _hide_simulator(app: FastAPI) -> None:
    """The simulator answers 404 in production (`router.not_in_production`); its path leaves
    the API document too."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        """The API document without the simulator."""
        schema = build()
        schema.get("paths", {}).pop(API_PREFIX + SIMULATE_PATH, None)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


async def _start(app: FastAPI) -> None:
    runtime = runtime_of(app)
    settings = runtime.settings
    if settings.is_production:
        _hide_simulator(app)
    interval = settings.whatsapp.sweep_seconds
    # Tests drive the sweep themselves (their sessions share one connection).
    if interval > 0 and settings.environment is not Environment.TESTING:
        runtime.provide(Sweeper(runtime, interval)).start()


async def _stop(app: FastAPI) -> None:
    sweeper = runtime_of(app).find(Sweeper)
    if sweeper is not None:
        await sweeper.stop()


SERVICE = ServiceSpec(
    name="whatsapp",
    routers=[router],
    on_startup=[_start],
    on_shutdown=[_stop],
    tags=[
        {
            "name": "whatsapp",
            "description": "Onboarding on WhatsApp (Meta Cloud API and Twilio webhooks, in "
            "English and Hindi) and a simulator for demos.",
        }
    ],
)
