"""msme fixtures: documents stored in the test's own folder, signed-in users of each role."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from msmebazaar.shared.runtime import runtime_of
from msmebazaar.shared.storage import LocalStorage


@pytest.fixture
def storage(app: FastAPI) -> LocalStorage:
    """The app's document storage (a local folder under tmp_path)."""
    local = runtime_of(app).storage
    assert isinstance(local, LocalStorage)
    return local
