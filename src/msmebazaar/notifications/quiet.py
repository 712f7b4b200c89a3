"""Quiet hours: nothing reaches a phone or an inbox between 22:00 and 08:00 India time. A message
due then is held until 08:00 (the outbox sends it no earlier). The in-app inbox and stream are
never held, and sign-in codes do not pass through here (auth sends them at once)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from msmebazaar.shared.india import INDIA_TIMEZONE

QUIET_FROM = time(22, 0)
QUIET_UNTIL = time(8, 0)


def is_quiet(moment: datetime) -> bool:
    """Whether `moment` falls in India's quiet hours."""
    local = moment.astimezone(INDIA_TIMEZONE).time()
    return local >= QUIET_FROM or local < QUIET_UNTIL


def next_morning(moment: datetime) -> datetime:
    """The first 08:00 India time after `moment`."""
    local = moment.astimezone(INDIA_TIMEZONE)
    morning = local.replace(
        hour=QUIET_UNTIL.hour, minute=QUIET_UNTIL.minute, second=0, microsecond=0
    )
    if morning <= local:
        morning += timedelta(days=1)
    return morning


def release_time(moment: datetime) -> datetime:
    """When a message due at `moment` may go out: then, or 08:00 if that is in quiet hours."""
    return next_morning(moment) if is_quiet(moment) else moment


def india_day(moment: datetime) -> str:
    """The calendar day in India of `moment`, as `YYYY-MM-DD`."""
    return moment.astimezone(INDIA_TIMEZONE).date().isoformat()
