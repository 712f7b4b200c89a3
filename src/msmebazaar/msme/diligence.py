"""Documents in a deal room (DESIGN.md §3 "Deals"): what the buyer may open, and the log of what
they opened, which the owner sees.

A buyer opens the business's documents once their deal is cleared (`privacy.CLEARED_DEAL`: both
sides accepted the NDA, or the listing does not require one; not after the deal was lost), and
only while the profile itself is one they may see (`access.insider_profile`, the rule of the
profile's own document list). Every document a buyer opens —
from the deal room or from the profile's document list — is logged against their deal, and the
first one moves the deal on to `diligence`. The owner's and admins' own downloads are not logged.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.service import Principal
from msmebazaar.msme.access import PRIVATE_DATA_AFTER_NDA, insider_profile
from msmebazaar.msme.deals import deal_of, enter_stage
from msmebazaar.msme.documents import Download, list_documents, read_document_file
from msmebazaar.msme.exceptions import (
    DealClosedError,
    DocumentNotFoundError,
    MsmeNotFoundError,
    NdaNotSignedError,
)
from msmebazaar.msme.models import Deal, Document, DocumentAccess, Listing, Msme
from msmebazaar.msme.privacy import CLEARED_DEAL, deal_is_cleared, is_insider
from msmebazaar.msme.schemas.deals import DealStage, DocumentAccessRead
from msmebazaar.msme.schemas.documents import DocumentRead
from msmebazaar.shared.db import Database, utcnow
from msmebazaar.shared.pagination import PageParams
from msmebazaar.shared.storage import Storage

# Stages a first document view moves on to `diligence` (later ones are further along already).
_BEFORE_DILIGENCE = (DealStage.INTRODUCED.value, DealStage.NDA_SIGNED.value)


async def _profile_of(session: AsyncSession, deal: Deal) -> uuid.UUID:
    result = await session.execute(select(Listing.msme_id).where(Listing.id == deal.listing_id))
    return result.scalar_one()


async def _business_for(session: AsyncSession, deal: Deal, user: Principal) -> uuid.UUID:
    """The profile whose documents the deal room shows `user`: 409 `DEAL_CLOSED` for the buyer
    of a lost deal, 409 `NDA_NOT_SIGNED` for a buyer whose deal is not cleared yet, 404 when the
    profile was deleted or is hidden from them."""
    msme_id = await _profile_of(session, deal)
    if user.id == deal.buyer_id:
        if deal.stage == DealStage.CLOSED_LOST.value:
            raise DealClosedError("This deal was closed as lost: its documents are closed too.")
        if not await deal_is_cleared(session, deal.id):
            raise NdaNotSignedError(PRIVATE_DATA_AFTER_NDA)
    try:
        await insider_profile(session, user, msme_id)
    except MsmeNotFoundError as exc:
        raise DocumentNotFoundError("The business's profile is no longer available.") from exc
    return msme_id


async def deal_documents(
    session: AsyncSession, user: Principal, deal_id: uuid.UUID, params: PageParams
) -> tuple[list[DocumentRead], int]:
    """The business's documents, for the deal's parties and admins (409 `NDA_NOT_SIGNED` for a
    buyer whose deal is not cleared yet)."""
    deal = await deal_of(session, user, deal_id)
    return await list_documents(session, await _business_for(session, deal, user), params)


async def _record_access(
    database: Database, deal_id: uuid.UUID, document_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    """Log that the buyer opened a document, in a unit of work of its own (a download is a GET,
    read in a read-only session); a first view moves the deal to `diligence`. The deal's row is
    locked first, so the stage never moves back past a concurrent change."""
    async with database.session("document access") as session:
        deal = await session.scalar(select(Deal).where(Deal.id == deal_id).with_for_update())
        if deal is None:  # the deal was deleted meanwhile (its profile with it)
            return
        session.add(
            DocumentAccess(
                id=uuid.uuid4(),
                deal_id=deal.id,
                document_id=document_id,
                user_id=user_id,
                accessed_at=utcnow(),
            )
        )
        if deal.stage in _BEFORE_DILIGENCE:
            enter_stage(deal, DealStage.DILIGENCE)


async def open_deal_document(
    database: Database,
    storage: Storage,
    user: Principal,
    deal_id: uuid.UUID,
    document_id: uuid.UUID,
) -> Download:
    """A document of the deal's business, opened from the deal room (logged for the buyer)."""
    async with database.read_session() as session:
        deal = await deal_of(session, user, deal_id)
        msme_id = await _business_for(session, deal, user)
        document = await session.get(Document, document_id)
        if document is None or document.msme_id != msme_id:
            raise DocumentNotFoundError()
    download = await read_document_file(storage, document)
    if user.id == deal.buyer_id:
        await _record_access(database, deal.id, document.id, user.id)
    return download


async def download_document(
    database: Database, storage: Storage, document_id: uuid.UUID, viewer: Principal
) -> Download:
    """A document's bytes for its profile's owner, admins and buyers with a cleared deal (logged
    against that deal); 409 `NDA_NOT_SIGNED` for an accepted buyer still waiting on the NDA; 404
    for anyone else."""
    async with database.read_session() as session:
        document = await session.get(Document, document_id)
        if document is None:
            raise DocumentNotFoundError()
        try:
            msme = await insider_profile(session, viewer, document.msme_id)
        except MsmeNotFoundError as exc:
            raise DocumentNotFoundError() from exc
        deal_id = None if is_insider(msme, viewer) else await _buyers_deal(session, msme, viewer)
    download = await read_document_file(storage, document)
    if deal_id is not None:
        await _record_access(database, deal_id, document.id, viewer.id)
    return download


async def _buyers_deal(session: AsyncSession, msme: Msme, buyer: Principal) -> uuid.UUID | None:
    """The buyer's deal on the business that a download outside the deal room is logged
    against: their most recently active cleared one."""
    return await session.scalar(
        select(Deal.id)
        .where(*CLEARED_DEAL, Listing.msme_id == msme.id, Deal.buyer_id == buyer.id)
        .order_by(Deal.updated_at.desc())
        .limit(1)
    )


async def access_log(
    session: AsyncSession, user: Principal, deal_id: uuid.UUID, params: PageParams
) -> tuple[list[DocumentAccessRead], int]:
    """The documents the deal's buyer opened, newest first (its parties and admins)."""
    deal = await deal_of(session, user, deal_id)
    base = (
        select(DocumentAccess, Document.filename, Document.kind)
        .join(Document, Document.id == DocumentAccess.document_id)
        .where(DocumentAccess.deal_id == deal.id)
    )
    total = await session.scalar(
        select(func.count()).select_from(DocumentAccess).where(DocumentAccess.deal_id == deal.id)
    )
    rows = await session.execute(
        base.order_by(DocumentAccess.accessed_at.desc(), DocumentAccess.id)
        .offset(params.offset)
        .limit(params.page_size)
    )
    return [
        DocumentAccessRead(
            id=access.id,
            document_id=access.document_id,
            filename=filename,
            kind=kind,
            user_id=access.user_id,
            accessed_at=access.accessed_at,
        )
        for access, filename, kind in rows
    ], int(total or 0)
