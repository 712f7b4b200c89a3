"""Deal-room pages (DESIGN.md §3 "Deals"): my deals, and one deal for either side — its stage,
the NDA, messages (new ones fetched every few seconds while the page is open), offers and
counter-offers, the business's documents and who opened them, and closing. Every action goes
through msme's deal service, which decides who may do it; an admin reads, never acts."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Final

import pydantic
from fastapi import Request
from fastapi.responses import Response

from msmebazaar.msme.schemas import (
    DealRead,
    DocumentRead,
    MessageCreate,
    MessageRead,
    OfferCreate,
    OfferRead,
)
from msmebazaar.msme.service import (
    accept_nda,
    access_log,
    close_deal,
    deal_documents,
    decide_offer,
    list_deals,
    list_messages,
    list_offers,
    make_offer,
    nda_of,
    open_deal_document,
    read_deal,
    send_message,
    withdraw_offer,
)
from msmebazaar.shared.db import SessionDep, utcnow
from msmebazaar.shared.exceptions import AppError, NotFoundError
from msmebazaar.shared.pagination import PageParams
from msmebazaar.shared.security import client_ip, ip_prefix
from msmebazaar.web.context import SignedInVisit, Visit
from msmebazaar.web.deal_forms import (
    closing,
    default_values,
    message_body,
    offer_fields,
    offer_refusal,
)
from msmebazaar.web.deal_view import (
    ListingTerms,
    days_between,
    deal_choices,
    stage_steps,
    summaries,
)
from msmebazaar.web.forms import FormDep, app_error_fields, schema_errors
from msmebazaar.web.pages import file_download, in_savepoint, page_router, parse_id
from msmebazaar.web.routes.owner_listings import STAKE_DEALS

router = page_router(prefix="/deals")

ALL: Final = PageParams(1, 100)
MESSAGES_SHOWN: Final = 100
NEW_MESSAGES: Final = PageParams(1, 50)
ACCESS_SHOWN: Final = PageParams(1, 100)
POLL_SECONDS: Final = 10
_DECISIONS: Final = {
    "accept": "flash.offer_accepted",
    "reject": "flash.offer_rejected",
    "withdraw": "flash.offer_withdrawn",
}


@router.get("")
async def my_deals(visit: SignedInVisit, session: SessionDep) -> Response:
    """Your deals, as owner or buyer, most recently active first."""
    viewer = visit.user
    deals, total = await list_deals(session, viewer, ALL)
    return visit.render("deals/list.html", rows=summaries(deals, viewer.id, utcnow()), total=total)


@router.get("/{deal_id}")
async def deal_page(deal_id: str, visit: SignedInVisit, session: SessionDep) -> Response:
    """One deal: its stage, the NDA, messages, offers, documents, who opened them, closing."""
    return await _deal_page(visit, session, parse_id(deal_id))


async def _deal_page(
    visit: Visit,
    session: SessionDep,
    deal_id: uuid.UUID,
    *,
    failed: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    """The deal page; after a refused form, `failed` names it and `errors` say why."""
    viewer = visit.user
    deal = await read_deal(session, viewer, deal_id)
    offers = await list_offers(session, viewer, deal_id)
    messages, message_total = await _latest_messages(session, visit, deal_id)
    accesses, access_total = await access_log(session, viewer, deal_id, ACCESS_SHOWN)
    return visit.render(
        "deals/deal.html",
        status=status,
        deal=deal,
        steps=stage_steps(deal.stage),
        days=days_between(deal.stage_changed_at, utcnow()),
        choices=deal_choices(deal, viewer.id, offers),
        nda=await nda_of(session, viewer, deal_id, visit.language),
        messages=messages,
        message_total=message_total,
        poll_seconds=POLL_SECONDS,
        offers=offers,
        terms=_listing_terms(deal),
        documents=await _documents(session, visit, deal),
        accesses=accesses,
        access_total=access_total,
        failed=failed,
        errors=errors or {},
        values=default_values() | (values or {}),
    )


def _listing_terms(deal: DealRead) -> ListingTerms:
    """What the offer form needs of the deal's listing."""
    deal_type = deal.deal_type.value
    return ListingTerms(deal_type, deal.asking_price, stake_needed=deal_type in STAKE_DEALS)


async def _latest_messages(
    session: SessionDep, visit: Visit, deal_id: uuid.UUID
) -> tuple[list[MessageRead], int]:
    """The last `MESSAGES_SHOWN` messages, oldest first, and how many there are in all (a
    deal's messages are numbered 1, 2, 3… without gaps, so the last ones follow `total - N`)."""
    viewer, page = visit.user, PageParams(1, MESSAGES_SHOWN)
    messages, total = await list_messages(session, viewer, deal_id, after=0, params=page)
    if total <= MESSAGES_SHOWN:
        return messages, total
    after = total - MESSAGES_SHOWN
    latest, _ = await list_messages(session, viewer, deal_id, after=after, params=page)
    return latest, total


async def _documents(session: SessionDep, visit: Visit, deal: DealRead) -> list[DocumentRead]:
    """The business's documents, or none while they are closed to the viewer (the buyer waits
    on the NDA, the deal was lost, the profile is back in review or deleted): the rest of the
    deal room stays open, so that its two sides can still talk and close it."""
    viewer = visit.user
    if viewer.id == deal.buyer_id and not deal.documents_open:
        return []
    try:
        documents, _ = await deal_documents(session, viewer, deal.id, ALL)
    except AppError:
        return []
    return documents


async def _refused(
    visit: Visit,
    session: SessionDep,
    deal_id: uuid.UUID,
    failed: str,
    exc: AppError,
    *,
    values: dict[str, str] | None = None,
) -> Response:
    """The deal page again, saying why the service refused (a 404 stays a 404 page)."""
    if exc.status_code == 404:
        raise exc
    errors = app_error_fields(visit, exc)
    return await _deal_page(
        visit,
        session,
        deal_id,
        failed=failed,
        errors=errors,
        values=values,
        status=exc.status_code,
    )


async def _act(
    visit: Visit,
    session: SessionDep,
    deal_id: uuid.UUID,
    failed: str,
    action: Callable[[], Awaitable[Any]],
    *,
    done: str,
    flash: str,
) -> Response:
    """Run one service action in a savepoint: back to the deal page's section `done` with
    `flash`, or the page again with the refusal."""
    try:
        await in_savepoint(session, action)
    except AppError as exc:
        return await _refused(visit, session, deal_id, failed, exc)
    return visit.redirect(f"/deals/{deal_id}#{done}", flash=flash)


@router.post("/{deal_id}/nda")
async def accept_nda_page(
    deal_id: str, request: Request, visit: SignedInVisit, session: SessionDep, form: FormDep
) -> Response:
    """Accept the NDA's current text, in your language (recorded once: when, its version and
    hash, your network)."""
    identifier, viewer = parse_id(deal_id), visit.user
    address = client_ip(request.scope, visit.settings.app.trusted_proxies)

    async def accept() -> Any:
        return await accept_nda(
            session,
            viewer,
            identifier,
            language=visit.language,
            ip_address=ip_prefix(address),
            user_agent=request.headers.get("user-agent"),
        )

    return await _act(
        visit, session, identifier, "nda", accept, done="nda", flash="flash.nda_accepted"
    )


@router.post("/{deal_id}/messages")
async def send_message_page(
    deal_id: str, visit: SignedInVisit, session: SessionDep, form: FormDep
) -> Response:
    """Write to the other side (plain text, up to 4,000 characters)."""
    identifier, viewer = parse_id(deal_id), visit.user
    typed, body, errors = message_body(visit, form)
    if errors:
        return await _deal_page(
            visit,
            session,
            identifier,
            failed="message",
            errors=errors,
            values={"body": typed},
            status=422,
        )
    try:
        message = MessageCreate(body=body)
        await in_savepoint(session, lambda: send_message(session, viewer, identifier, message))
    except AppError as exc:
        return await _refused(visit, session, identifier, "message", exc, values={"body": typed})
    return visit.redirect(f"/deals/{identifier}#message-form", flash="flash.message_sent")


@router.get("/{deal_id}/messages")
async def new_messages(
    deal_id: str, request: Request, visit: SignedInVisit, session: SessionDep
) -> Response:
    """The messages after `?after=` (a position), for the deal page to add as they arrive: an
    HTML fragment, or 204 when there is nothing new. A browser sent here goes to the page."""
    identifier, viewer = parse_id(deal_id), visit.user
    if request.headers.get("x-partial") != "messages":
        return visit.redirect(f"/deals/{identifier}#messages")
    raw = request.query_params.get("after", "")
    # ASCII digits only: `str.isdigit` also accepts "²", which `int` refuses.
    after = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else 0
    messages, _ = await list_messages(session, viewer, identifier, after=after, params=NEW_MESSAGES)
    if not messages:
        return visit.finish(Response(status_code=204))
    deal = await read_deal(session, viewer, identifier)
    return visit.render("deals/_messages.html", messages=messages, deal=deal)


@router.post("/{deal_id}/offers")
async def make_offer_page(
    deal_id: str, visit: SignedInVisit, session: SessionDep, form: FormDep
) -> Response:
    """Make an offer (the buyer), or counter the buyer's pending one (the owner)."""
    identifier, viewer = parse_id(deal_id), visit.user
    terms = _listing_terms(await read_deal(session, viewer, identifier))
    fields, errors = offer_fields(visit, form, stake_needed=terms.stake_needed)
    offer: OfferRead | None = None
    status = 422
    if not errors:
        try:
            data = OfferCreate.model_validate(fields)
            offer = await in_savepoint(
                session, lambda: make_offer(session, viewer, identifier, data)
            )
        except pydantic.ValidationError as exc:
            errors = schema_errors(visit, exc)
        except AppError as exc:
            if exc.status_code == 404:
                raise
            errors, status = offer_refusal(visit, exc), exc.status_code
    if offer is None:
        typed = {name: value for name, value in form.items() if isinstance(value, str)}
        return await _deal_page(
            visit, session, identifier, failed="offer", errors=errors, values=typed, status=status
        )
    flash = "flash.offer_countered" if offer.counters_id else "flash.offer_sent"
    return visit.redirect(f"/deals/{identifier}#offers", flash=flash)


@router.post("/{deal_id}/offers/{offer_id}/{decision}")
async def decide_offer_page(
    deal_id: str,
    offer_id: str,
    decision: str,
    *,
    visit: SignedInVisit,
    session: SessionDep,
    form: FormDep,
) -> Response:
    """Accept or reject the other side's pending offer, or withdraw your own."""
    identifier, offer, viewer = parse_id(deal_id), parse_id(offer_id), visit.user
    if decision not in _DECISIONS:
        raise NotFoundError()
    # The offer must be this deal's (404 for anyone who may not see the deal).
    if all(item.id != offer for item in await list_offers(session, viewer, identifier)):
        raise NotFoundError(code="OFFER_NOT_FOUND")

    async def decide() -> Any:
        if decision == "withdraw":
            return await withdraw_offer(session, viewer, offer)
        return await decide_offer(session, viewer, offer, accept=decision == "accept")

    return await _act(
        visit, session, identifier, "offers", decide, done="offers", flash=_DECISIONS[decision]
    )


@router.post("/{deal_id}/close")
async def close_deal_page(
    deal_id: str, visit: SignedInVisit, session: SessionDep, form: FormDep
) -> Response:
    """Close the deal as done (won) or not (lost), saying why."""
    identifier, viewer = parse_id(deal_id), visit.user
    data, errors = closing(visit, form)
    if data is None:
        typed = {name: value for name, value in form.items() if isinstance(value, str)}
        return await _deal_page(
            visit, session, identifier, failed="close", errors=errors, values=typed, status=422
        )
    return await _act(
        visit,
        session,
        identifier,
        "close",
        lambda: close_deal(session, viewer, identifier, data),
        done="stage",
        flash="flash.deal_closed",
    )


@router.get("/{deal_id}/documents/{document_id}")
async def deal_document_page(deal_id: str, document_id: str, visit: SignedInVisit) -> Response:
    """A document of the deal's business; the buyer's opening is logged for the owner to see."""
    runtime = visit.runtime
    download = await open_deal_document(
        runtime.database, runtime.storage, visit.user, parse_id(deal_id), parse_id(document_id)
    )
    return file_download(download)
