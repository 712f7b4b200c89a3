"""CSV exports of listings, users and interests, streamed.

The rows are read in keyset pages (`id > last id`, `BATCH` at a time), each page in its own
short unit of work, and written out as they come: memory stays flat whatever the table's size,
and no transaction stays open while a slow client reads.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.admin.audit import Actor, Change, record
from msmebazaar.admin.metrics import count_action
from msmebazaar.admin.schemas import AuditAction, ExportDataset, ExportFormat, TargetType
from msmebazaar.auth.service import Principal, users_after
from msmebazaar.msme.service import interests_after, listings_after
from msmebazaar.shared.india import india_today
from msmebazaar.shared.session_source import SessionSource

BATCH = 500
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): free
# text typed by users gets a leading apostrophe.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Row(Protocol):
    @property
    def id(self) -> uuid.UUID: ...


Fetch = Callable[[AsyncSession, uuid.UUID | None, int], Awaitable[Sequence[_Row]]]


_DATASETS: dict[ExportDataset, tuple[Fetch, tuple[str, ...], frozenset[str]]] = {
    ExportDataset.LISTINGS: (
        listings_after,
        (
            "id", "msme_id", "owner_id", "status", "owner_suspended", "deal_type",
            "asking_price", "stake_percent", "anonymous", "sector", "state", "revenue",
            "ebitda", "views_count", "interests_count", "created_at", "published_at",
            "closed_at",
        ),
        frozenset(),
    ),
    ExportDataset.USERS: (
        users_after,
        ("id", "phone", "name", "email", "role", "status", "language", "created_at",
         "last_login_at"),
        frozenset({"name", "email"}),
    ),
    ExportDataset.INTERESTS: (
        interests_after,
        ("id", "listing_id", "buyer_id", "status", "created_at", "decided_at"),
        frozenset(),
    ),
}  # fmt: skip


def _cell(value: Any, free_text: bool) -> Any:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = getattr(value, "value", value)  # enums as their value
    if free_text and isinstance(text, str) and text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def _lines(rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


async def start_export(
    database: SessionSource, admin: Principal, dataset: ExportDataset, fmt: ExportFormat
) -> str:
    """Audit an export (the data may hold phone numbers), in a short unit of work of its own
    (the download itself only reads); the download's file name, e.g.
    `msmebazaar-users-2026-11-26.csv`."""
    change = Change(
        action=AuditAction.DATA_EXPORTED,
        target_type=TargetType.DATASET,
        target_id=None,
        after={"dataset": dataset.value, "format": fmt.value},
    )
    async with database.session("audit export") as session:
        record(session, Actor.of(admin), change)
    count_action(change.action.value)
    return f"msmebazaar-{dataset.value}-{india_today().isoformat()}.{fmt.value}"


async def csv_chunks(database: SessionSource, dataset: ExportDataset) -> AsyncIterator[str]:
    """The dataset as CSV: the header, then one chunk per keyset page."""
    fetch, columns, free_text = _DATASETS[dataset]
    yield _lines([list(columns)])
    after: uuid.UUID | None = None
    while True:
        async with database.read_session() as session:
            batch = await fetch(session, after, BATCH)
        if not batch:
            return
        yield _lines([[_cell(getattr(item, c), c in free_text) for c in columns] for item in batch])
        if len(batch) < BATCH:
            return
        after = batch[-1].id
