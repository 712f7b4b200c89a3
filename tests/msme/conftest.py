"""msme fixtures: documents stored in the test's own folder, signed-in users of each role."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from msmebazaar.shared.storage import LocalStorage


@pytest.fixture
def storage(app: FastAPI) -> LocalStorage:
    """The app's document storage (a local folder under tmp_path)."""
    local: LocalStorage = app.state.storage
    return local
