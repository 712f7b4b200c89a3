"""The app's runtime: the shared infrastructure and each service's per-process parts, in one object.

`create_app` builds one `Runtime` and keeps it on `app.state.runtime`; nothing else of the kind
lives on `app.state` or in module globals. It is reached one way per kind of caller:

- routes: the `RuntimeDep` dependency (`runtime: RuntimeDep`), or a service's own dependency
  built on it (match's `MatchDep`);
- start-up hooks, middleware, the portal's helpers and background work: `runtime_of(app)`.

The kernel may not import a service (import-linter), so a service's parts (match's embedder,
index and settings; whatsapp's sweeper) are kept in a registry keyed by their class: the service
puts an instance in at start-up (`runtime.provide(MatchRuntime(...))`) and reads it back typed
(`runtime.get(MatchRuntime)`): one dictionary look-up, and mypy knows the type from the key.
A part a process builds on first use (auth's token codec) comes from `runtime.part(kind, make)`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar, cast

from fastapi import Depends, Request
from starlette.applications import Starlette

from msmebazaar.shared.cache import Cache, create_cache
from msmebazaar.shared.config import Settings
from msmebazaar.shared.db import Database
from msmebazaar.shared.ratelimit import RateLimiter, create_rate_limiter
from msmebazaar.shared.storage import Storage, create_storage

T = TypeVar("T")

RUNTIME_STATE = "runtime"


class PartMissingError(LookupError):
    """A service's part was asked for but its service is not mounted (or not started)."""


@dataclass(eq=False)
class Runtime:
    """Settings, database, cache, rate limiter and storage, plus the services' parts by class."""

    settings: Settings
    database: Database
    cache: Cache
    rate_limiter: RateLimiter
    storage: Storage
    services: list[str] = field(default_factory=list)
    started_at: float = field(default_factory=time.monotonic)
    # Readiness waits on these (`health.hold_readiness`): a part still loading, by name.
    warming: dict[str, asyncio.Event] = field(default_factory=dict)
    _parts: dict[type[Any], Any] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls,
        settings: Settings,
        *,
        database: Database | None = None,
        cache: Cache | None = None,
        rate_limiter: RateLimiter | None = None,
        storage: Storage | None = None,
        services: list[str] | None = None,
    ) -> Runtime:
        """A runtime on `settings`: each part given is used, each one missing is made from them."""
        return cls(
            settings=settings,
            database=database or Database.from_settings(settings.database),
            cache=cache or create_cache(settings.redis),
            rate_limiter=rate_limiter or create_rate_limiter(settings.redis),
            storage=storage or create_storage(settings.storage),
            services=services or [],
        )

    def provide(self, part: T) -> T:
        """Keep `part` under its own class (replacing one kept before); returns it."""
        self._parts[type(part)] = part
        return part

    def get(self, kind: type[T]) -> T:
        """The part kept under `kind`; `PartMissingError` when its service did not provide it."""
        try:
            return cast(T, self._parts[kind])
        except KeyError:
            raise PartMissingError(f"{kind.__name__} is not in this app's runtime") from None

    def find(self, kind: type[T]) -> T | None:
        """The part kept under `kind`, or None."""
        return cast(T | None, self._parts.get(kind))

    def part(self, kind: type[T], make: Callable[[], T]) -> T:
        """The part kept under `kind`, made (once) by `make` on first use."""
        found = self._parts.get(kind)
        if found is None:
            found = self._parts[kind] = make()
        return cast(T, found)


def runtime_of(app: Starlette) -> Runtime:
    """The runtime `create_app` built for `app` (start-up hooks, middleware, background work)."""
    runtime: Runtime = app.state.runtime
    return runtime


# `async def` though it awaits nothing: FastAPI runs a plain `def` dependency in a worker thread.
async def get_runtime(request: Request) -> Runtime:
    """FastAPI dependency: this app's runtime."""
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
