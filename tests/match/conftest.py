"""match fixtures: signed-in users of each role and helpers to build profiles and listings."""

from __future__ import annotations

import httpx
import pytest

from msmebazaar.shared.db import Database
from tests.msme.factories import Actor, signed_in


@pytest.fixture
async def owner(client: httpx.AsyncClient, database: Database) -> Actor:
    return await signed_in(client, database, "msme_owner")


@pytest.fixture
async def buyer(client: httpx.AsyncClient, database: Database) -> Actor:
    return await signed_in(client, database, "buyer")


@pytest.fixture
async def other_buyer(client: httpx.AsyncClient, database: Database) -> Actor:
    return await signed_in(client, database, "investor")


@pytest.fixture
async def admin(client: httpx.AsyncClient, database: Database) -> Actor:
    return await signed_in(client, database, "admin")
