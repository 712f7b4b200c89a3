"""Deal-room endpoints (DESIGN.md §3 "Deals"): my deals, a deal, its NDA, messages, offers,
documents and who opened them, closing."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from msmebazaar.auth.service import CallerLanguage
from msmebazaar.msme import deals, diligence, offers
from msmebazaar.msme.dependencies import SignedIn
from msmebazaar.msme.routes.documents import attachment
from msmebazaar.msme.schemas.deals import (
    DealClose,
    DealRead,
    DocumentAccessRead,
    MessageCreate,
    MessageRead,
    NdaAcceptanceRead,
    NdaRead,
    OfferCreate,
    OfferRead,
)
from msmebazaar.msme.schemas.documents import DocumentRead
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.pagination import PageDep, page_response
from msmebazaar.shared.responses import DataResponse, ListResponse, error_responses, ok
from msmebazaar.shared.runtime import RuntimeDep
from msmebazaar.shared.security import client_ip, ip_prefix

router = APIRouter(tags=["deals"])

DealIdPath = Annotated[uuid.UUID, Path(description="The deal's id.")]
OfferIdPath = Annotated[uuid.UUID, Path(description="The offer's id.")]
_READ_ERRORS = error_responses(401, 404)
_CHANGE_ERRORS = error_responses(401, 403, 404, 409)


@router.get("/deals", response_model=ListResponse[DealRead], responses=error_responses(401))
async def my_deals(session: SessionDep, user: SignedIn, page: PageDep) -> ListResponse[DealRead]:
    """My deals, as owner or buyer, most recently active first."""
    items, total = await deals.list_deals(session, user, page)
    return page_response(items, total=total, params=page)


@router.get("/deals/{deal_id}", response_model=DataResponse[DealRead], responses=_READ_ERRORS)
async def read_deal(
    deal_id: DealIdPath, session: SessionDep, user: SignedIn
) -> DataResponse[DealRead]:
    """One of my deals: its stage and who accepted the NDA."""
    return ok(await deals.read_deal(session, user, deal_id))


@router.get("/deals/{deal_id}/nda", response_model=DataResponse[NdaRead], responses=_READ_ERRORS)
async def read_nda(
    deal_id: DealIdPath, session: SessionDep, user: SignedIn, language: CallerLanguage
) -> DataResponse[NdaRead]:
    """The deal's mutual NDA (its version, text and SHA-256) in my language."""
    return ok(await deals.nda_of(session, user, deal_id, language))


@router.post(
    "/deals/{deal_id}/nda/accept",
    response_model=DataResponse[NdaAcceptanceRead],
    responses=_CHANGE_ERRORS,
)
async def accept_nda(
    deal_id: DealIdPath,
    *,
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    user: SignedIn,
    language: CallerLanguage,
) -> DataResponse[NdaAcceptanceRead]:
    """Accept the NDA's current text (recorded once: who, when, version, hash, network)."""
    address = client_ip(request.scope, runtime.settings.app.trusted_proxies)
    accepted = await deals.accept_nda(
        session,
        user,
        deal_id,
        language=language,
        ip_address=ip_prefix(address),
        user_agent=request.headers.get("user-agent"),
    )
    return ok(accepted, "NDA accepted.")


@router.post(
    "/deals/{deal_id}/messages",
    status_code=201,
    response_model=DataResponse[MessageRead],
    responses=_CHANGE_ERRORS,
)
async def send_message(
    deal_id: DealIdPath, body: MessageCreate, session: SessionDep, user: SignedIn
) -> DataResponse[MessageRead]:
    """Write to the other side (plain text, up to 4,000 characters)."""
    return ok(await deals.send_message(session, user, deal_id, body), "Message sent.")


@router.get(
    "/deals/{deal_id}/messages", response_model=ListResponse[MessageRead], responses=_READ_ERRORS
)
async def list_messages(
    deal_id: DealIdPath,
    session: SessionDep,
    user: SignedIn,
    page: PageDep,
    after: Annotated[
        int, Query(ge=0, le=2**63 - 1, description="Only messages after this `position`.")
    ] = 0,
) -> ListResponse[MessageRead]:
    """The deal's messages, oldest first; `after` the last one seen for what is new."""
    items, total = await deals.list_messages(session, user, deal_id, after=after, params=page)
    return page_response(items, total=total, params=page)


@router.post(
    "/deals/{deal_id}/close", response_model=DataResponse[DealRead], responses=_CHANGE_ERRORS
)
async def close_deal(
    deal_id: DealIdPath, body: DealClose, session: SessionDep, user: SignedIn
) -> DataResponse[DealRead]:
    """Close the deal as won or lost, saying why."""
    return ok(await deals.close_deal(session, user, deal_id, body), "Deal closed.")


@router.post(
    "/deals/{deal_id}/offers",
    status_code=201,
    response_model=DataResponse[OfferRead],
    responses=_CHANGE_ERRORS | error_responses(422),
)
async def make_offer(
    deal_id: DealIdPath, body: OfferCreate, session: SessionDep, user: SignedIn
) -> DataResponse[OfferRead]:
    """Put an offer in rupees (the buyer), or counter the buyer's pending one (the owner)."""
    return ok(await offers.make_offer(session, user, deal_id, body), "Offer sent.")


@router.get(
    "/deals/{deal_id}/offers", response_model=DataResponse[list[OfferRead]], responses=_READ_ERRORS
)
async def list_offers(
    deal_id: DealIdPath, session: SessionDep, user: SignedIn
) -> DataResponse[list[OfferRead]]:
    """The deal's offers and counter-offers, oldest first."""
    return ok(await offers.list_offers(session, user, deal_id))


@router.post(
    "/offers/{offer_id}/accept", response_model=DataResponse[OfferRead], responses=_CHANGE_ERRORS
)
async def accept_offer(
    offer_id: OfferIdPath, session: SessionDep, user: SignedIn
) -> DataResponse[OfferRead]:
    """Accept the other side's pending offer: the deal moves to `offer`."""
    return ok(await offers.decide_offer(session, user, offer_id, accept=True), "Offer accepted.")


@router.post(
    "/offers/{offer_id}/reject", response_model=DataResponse[OfferRead], responses=_CHANGE_ERRORS
)
async def reject_offer(
    offer_id: OfferIdPath, session: SessionDep, user: SignedIn
) -> DataResponse[OfferRead]:
    """Reject the other side's pending offer."""
    return ok(await offers.decide_offer(session, user, offer_id, accept=False), "Offer rejected.")


@router.post(
    "/offers/{offer_id}/withdraw", response_model=DataResponse[OfferRead], responses=_CHANGE_ERRORS
)
async def withdraw_offer(
    offer_id: OfferIdPath, session: SessionDep, user: SignedIn
) -> DataResponse[OfferRead]:
    """Withdraw your pending offer."""
    return ok(await offers.withdraw_offer(session, user, offer_id), "Offer withdrawn.")


@router.get(
    "/deals/{deal_id}/documents",
    response_model=ListResponse[DocumentRead],
    responses=error_responses(401, 404, 409),
)
async def deal_documents(
    deal_id: DealIdPath, session: SessionDep, user: SignedIn, page: PageDep
) -> ListResponse[DocumentRead]:
    """The business's documents, for the deal's two sides (for the buyer once both accepted the
    NDA, or straight away when the listing needs none: else 409 `NDA_NOT_SIGNED`)."""
    items, total = await diligence.deal_documents(session, user, deal_id, page)
    return page_response(items, total=total, params=page)


@router.get(
    "/deals/{deal_id}/documents/{document_id}",
    response_class=Response,
    responses={
        200: {
            "description": "The file, as an attachment.",
            "content": {"application/pdf": {}, "image/png": {}, "image/jpeg": {}},
        },
        **error_responses(401, 404, 409),
    },
)
async def open_deal_document(
    deal_id: DealIdPath,
    document_id: Annotated[uuid.UUID, Path(description="The document's id.")],
    *,
    runtime: RuntimeDep,
    user: SignedIn,
) -> Response:
    """Download one of the business's documents; the buyer's downloads are logged for the owner,
    and the first moves the deal to `diligence`."""
    download = await diligence.open_deal_document(
        runtime.database, runtime.storage, user, deal_id, document_id
    )
    return attachment(download)


@router.get(
    "/deals/{deal_id}/document-access",
    response_model=ListResponse[DocumentAccessRead],
    responses=_READ_ERRORS,
)
async def document_access(
    deal_id: DealIdPath, session: SessionDep, user: SignedIn, page: PageDep
) -> ListResponse[DocumentAccessRead]:
    """Which of the business's documents the buyer opened, and when, newest first."""
    items, total = await diligence.access_log(session, user, deal_id, page)
    return page_response(items, total=total, params=page)
