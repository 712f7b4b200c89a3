"""msme fixtures: documents stored in the test's own folder, signed-in users of each role."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from msmebazaar.shared.db import Database
from msmebazaar.shared.storage import LocalStorage
from tests.msme.factories import Actor, signed_in


@pytest.fixture
def storage(app: FastAPI) -> LocalStorage:
    """The app's document storage (a local folder under tmp_path)."""
    local: LocalStorage = app.state.storage
    return local


@pytest.fixture
async def owner(client: httpx.AsyncClient, database: Database) -> Actor:
    return await signed_in(client, database, "msme_owner")


@pytest.fixture
async def other_owner(client: httpx.AsyncClient, database: Database) -> Actor:
    return await signed_in(client, database, "msme_owner")


@pytest.fixture
async def buyer(client: httpx.AsyncClient, database: Database) -> Actor:
    return await signed_in(client, database, "buyer")


@pytest.fixture
async def investor(client: httpx.AsyncClient, database: Database) -> Actor:
    return await signed_in(client, database, "investor")


@pytest.fixture
async def admin(client: httpx.AsyncClient, database: Database) -> Actor:
    return await signed_in(client, database, "admin")
