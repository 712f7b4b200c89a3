"""admin fixtures: a second admin; the other signed-in roles come from tests/conftest.py."""

from __future__ import annotations

import httpx
import pytest

from msmebazaar.shared.db import Database
from tests.auth.factories import Actor, signed_in


@pytest.fixture
async def other_admin(client: httpx.AsyncClient, database: Database) -> Actor:
    return await signed_in(client, database, "admin")
