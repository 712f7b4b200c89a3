"""The services (and the web portal) and how the app finds them.

Each service package that exists exposes `SERVICE` (a `ServiceSpec`) in its `api` module: its
routers, the hooks it needs at start-up and shutdown, its handlers of domain events, and its CLI
commands. A service that is not
built yet is simply absent. The web portal is not an API service but is selected like one
(`--service web`): its pages are mounted at the root, and it runs the hooks of the services whose
functions it calls.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import typer
from fastapi import APIRouter, FastAPI

from msmebazaar.shared.dispatch import Subscription
from msmebazaar.shared.middleware import API_PREFIX

SERVICE_NAMES: tuple[str, ...] = (
    "auth",
    "msme",
    "valuation",
    "match",
    "admin",
    "whatsapp",
    "notifications",
    "web",  # the server-rendered pages over the others' service functions
)

Hook = Callable[[FastAPI], Awaitable[None]]


@dataclass(frozen=True)
class ServiceSpec:
    """What one service adds to the app and to the command line."""

    name: str
    routers: Sequence[APIRouter] = ()
    on_startup: Sequence[Hook] = ()
    on_shutdown: Sequence[Hook] = ()
    cli: typer.Typer | None = None
    tags: Sequence[dict[str, Any]] = field(default_factory=tuple)
    # Where the routers are mounted: the API services under /api/v1, the web portal at the root.
    prefix: str = API_PREFIX
    # Services whose start-up and shutdown hooks this one needs when served without them (their
    # routers are not mounted): the web portal calls every service's functions.
    uses: Sequence[str] = ()
    # Its handlers of domain events (`shared/dispatch.py`): run by `msmebazaar worker`, and by
    # the app itself wherever the outbox worker runs embedded.
    subscriptions: Sequence[Subscription] = ()


class UnknownServiceError(ValueError):
    """A service name that is not one of ours, or whose package is not built yet."""


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # the parent package itself is absent
        return False


def is_built(name: str) -> bool:
    """Whether the service's package exists in this build."""
    return _module_exists(f"msmebazaar.{name}.api")


def available_services() -> list[str]:
    """The services built so far, in the canonical order."""
    return [name for name in SERVICE_NAMES if is_built(name)]


def load_service(name: str) -> ServiceSpec:
    """Import a service's spec by name."""
    if name not in SERVICE_NAMES:
        raise UnknownServiceError(
            f"unknown service {name!r}; choose from {', '.join(SERVICE_NAMES)}"
        )
    if not is_built(name):
        raise UnknownServiceError(f"service {name!r} is not built yet")
    spec = importlib.import_module(f"msmebazaar.{name}.api").SERVICE
    if not isinstance(spec, ServiceSpec):  # pragma: no cover - a programming error
        raise TypeError(f"msmebazaar.{name}.api.SERVICE is not a ServiceSpec")
    return spec


def resolve_services(names: Sequence[str] | None) -> list[ServiceSpec]:
    """Specs for the named services; `None` or `all` means every built service."""
    wanted = ["all"] if names is None else list(names)
    if "all" in wanted:
        wanted = available_services()
    return [load_service(name) for name in dict.fromkeys(wanted)]


def with_used_services(specs: Sequence[ServiceSpec]) -> list[ServiceSpec]:
    """`specs`, preceded by the built services they use that are not among them: the services
    whose start-up and shutdown hooks the app runs."""
    present = {spec.name for spec in specs}
    used = {name for spec in specs for name in spec.uses if name not in present and is_built(name)}
    return [load_service(name) for name in SERVICE_NAMES if name in used] + list(specs)


def subscriptions_of(specs: Sequence[ServiceSpec]) -> list[Subscription]:
    """The handlers of domain events of `specs` (each handler once)."""
    found = {sub.handler: sub for spec in specs for sub in spec.subscriptions}
    return list(found.values())


def import_all_models() -> None:
    """Import every built service's models so `Base.metadata` knows all tables (for Alembic)."""
    for name in available_services():
        if _module_exists(f"msmebazaar.{name}.models"):
            importlib.import_module(f"msmebazaar.{name}.models")
