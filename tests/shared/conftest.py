from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection

from tests.shared.routes import notes_metadata, router


@pytest.fixture
async def kernel_client(
    app: FastAPI, db_connection: AsyncConnection
) -> AsyncIterator[httpx.AsyncClient]:
    """A client on the app with the test-only kernel routes and their table."""
    await db_connection.run_sync(notes_metadata.create_all)
    app.include_router(router)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
