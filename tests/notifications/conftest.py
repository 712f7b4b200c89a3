"""Notification tests run at 14:00 India time unless a test moves the clock itself: what leaves
for a phone or an inbox depends on the hour (quiet hours)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from msmebazaar.notifications import delivery
from msmebazaar.shared.india import INDIA_TIMEZONE


def india(hour: int, minute: int = 0) -> datetime:
    """Today at `hour`:`minute` India time, as UTC."""
    day = datetime.now(INDIA_TIMEZONE).date()
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=INDIA_TIMEZONE)
    return local.astimezone(UTC)


@pytest.fixture(autouse=True)
def daytime(monkeypatch: pytest.MonkeyPatch) -> None:
    """Notifications are made at 14:00 India time."""
    monkeypatch.setattr(delivery, "utcnow", lambda: india(14))
