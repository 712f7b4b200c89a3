"""Loading profiles: the one query every msme module needs, kept below them all (no cycles)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.msme.exceptions import MsmeNotFoundError
from msmebazaar.msme.models import Msme


async def get_live_msme(session: AsyncSession, msme_id: uuid.UUID) -> Msme:
    """The profile unless it was deleted; 404 `MSME_NOT_FOUND` otherwise."""
    msme = await session.get(Msme, msme_id)
    if msme is None or msme.deleted_at is not None:
        raise MsmeNotFoundError()
    return msme
