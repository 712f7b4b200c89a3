"""What code that runs outside a request needs to open its own units of work."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession


class SessionSource(Protocol):
    """Opens units of work (`shared.db.Database` is one): `session()` may write,
    `read_session()` only reads and never waits for a writer."""

    def session(self, unit: str | None = None) -> AbstractAsyncContextManager[AsyncSession]: ...

    def read_session(self) -> AbstractAsyncContextManager[AsyncSession]: ...
