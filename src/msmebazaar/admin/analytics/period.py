"""The period of the analytics figures: whole calendar days in India, `from` to `to` inclusive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from msmebazaar.shared.exceptions import ValidationError
from msmebazaar.shared.india import india_day_start, india_today

DEFAULT_DAYS = 30
MAX_DAYS = 366


@dataclass(frozen=True, slots=True)
class Period:
    """Days `first` to `last` (inclusive, India); `start`/`end` bound them in UTC, end open."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        return india_day_start(self.first)

    @property
    def end(self) -> datetime:
        return india_day_start(self.last + timedelta(days=1))

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def period_of(first: date | None, last: date | None) -> Period:
    """The period asked for: `to` defaults to today, `from` to 30 days ending on `to`; 422 when
    it ends before it starts or spans more than 366 days."""
    last = last or india_today()
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    if last < first:
        raise ValidationError.for_field(
            "to",
            "The period ends before it starts: `to` must be on or after `from`.",
            code="INVALID_DATE_RANGE",
        )
    if (last - first).days + 1 > MAX_DAYS:
        raise ValidationError.for_field(
            "from",
            f"The period spans more than {MAX_DAYS} days; ask for a shorter one.",
            code="DATE_RANGE_TOO_LONG",
        )
    return Period(first, last)
