"""Public pages: the marketplace home with search and filters, a listing's public card, sector
pages, the static files and the identifier checks the profile form calls as the owner types."""

from __future__ import annotations

from typing import Any, Final

import pydantic
from fastapi import Request
from fastapi.responses import Response

from msmebazaar.auth.service import UserRole
from msmebazaar.msme.schemas import (
    DealType,
    InterestCreate,
    ListingCard,
    ListingSearch,
    ListingSort,
)
from msmebazaar.msme.service import (
    SECTORS,
    DiscoveryFilters,
    ListingPage,
    discover,
    get_sector,
    interest_limit_reached,
    interest_sent,
    search_public_listings,
    send_interest,
    view_listing,
)
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.exceptions import AppError, NotFoundError
from msmebazaar.shared.india import STATE_NAMES, InvalidIdentifier, parse_inr_amount
from msmebazaar.shared.pagination import PageParams
from msmebazaar.valuation.service import sector_multiples
from msmebazaar.web.context import BuyerVisit, Visit, VisitDep
from msmebazaar.web.forms import FormDep, app_error_fields, schema_errors, text_field
from msmebazaar.web.identifiers import CHECKED_FIELDS, explain
from msmebazaar.web.pages import in_savepoint, page_number, page_router, parse_id
from msmebazaar.web.static_files import static_files

router = page_router()

PAGE_SIZE: Final = 12
MAX_PAGE: Final = 500
_FILTERS: Final = ("q", "sector", "state", "deal_type", "price_min", "price_max", "sort")
# The listing's owner (or an admin) sees the owner's box instead: no interest to show or send.
_NO_INTEREST_BOX: Final[dict[str, Any]] = {
    "interest": None,
    "limit_reached": False,
    "can_send": False,
    "errors": {},
    "message": "",
}


def _page_number(raw: str | None) -> int:
    return page_number(raw, MAX_PAGE)


def _deal_type(raw: str | None) -> DealType | None:
    return DealType(raw) if raw and raw in {item.value for item in DealType} else None


def _search_filters(visit: Visit, query: dict[str, str]) -> tuple[ListingSearch, dict[str, str]]:
    """The search the query string asks for; unreadable filters are dropped and explained."""
    errors: dict[str, str] = {}
    amounts: dict[str, int | None] = {}
    for name in ("price_min", "price_max"):
        raw = query.get(name, "").strip()
        try:
            amounts[name] = parse_inr_amount(raw) if raw else None
        except InvalidIdentifier:
            errors[name], amounts[name] = visit.t("form.amount_invalid"), None
    deal_type = query.get("deal_type") or None
    sort = query.get("sort") or ListingSort.NEWEST.value
    search = ListingSearch(
        q=(query.get("q") or "").strip()[:200] or None,
        sector=query.get("sector") if get_sector(query.get("sector", "")) else None,
        state=query.get("state") if query.get("state") in STATE_NAMES else None,
        deal_type=_deal_type(deal_type),
        price_min=amounts["price_min"],
        price_max=amounts["price_max"],
        sort=ListingSort(sort) if sort in ListingSort.__members__.values() else ListingSort.NEWEST,
    )
    return search, errors


async def _search(visit: Visit, session: SessionDep, query: dict[str, str]) -> dict[str, Any]:
    search, errors = _search_filters(visit, query)
    page = _page_number(query.get("page"))
    found = ListingPage([], 0)
    try:
        found = await search_public_listings(session, search, PageParams(page, PAGE_SIZE))
    except AppError as exc:  # crossed ranges: show the form with the reason
        errors |= app_error_fields(visit, exc)
    cards, total = found.cards, found.total
    pages = max(1, -(-total // PAGE_SIZE))
    if not found.total_exact:  # at least `total` match: the pages go on past the count
        pages = max(pages, page + 1)
    kept = {name: query[name] for name in _FILTERS if query.get(name)}
    return {
        "cards": cards,
        "total": total,
        "total_exact": found.total_exact,
        "page": page,
        "pages": pages,
        "filters": kept,
        "errors": errors,
        "sectors": SECTORS,
        "states": STATE_NAMES,
        "deal_types": list(DealType),
        "sorts": list(ListingSort),
    }


@router.get("/")
async def home(request: Request, visit: VisitDep, session: SessionDep) -> Response:
    """The marketplace: search and filter active listings."""
    context = await _search(visit, session, dict(request.query_params))
    if request.headers.get("x-partial") == "results":
        return visit.render("public/_results.html", **context)
    return visit.render("public/home.html", **context)


@router.get("/listings/{listing_id}")
async def listing_page(listing_id: str, visit: VisitDep, session: SessionDep) -> Response:
    """One listing's card: public fields for everyone, identity for those allowed to see it."""
    view = await view_listing(session, parse_id(listing_id), visit.viewer)
    if not isinstance(view, ListingCard):  # the owner's own listing, or an admin's view
        return visit.render(
            "public/listing.html", card=view.card, detail=view.listing, **_NO_INTEREST_BOX
        )
    box = await _interest_box(visit, session, view)
    return visit.render("public/listing.html", card=view, detail=None, **box)


async def _interest_box(
    visit: Visit,
    session: SessionDep,
    card: ListingCard,
    errors: dict[str, str] | None = None,
    message: str = "",
) -> dict[str, Any]:
    """What the interest box shows: the live interest, the sentence at the cap, or the form."""
    may_send = visit.has_role(UserRole.BUYER, UserRole.INVESTOR)
    interest, limit_reached = None, False
    if visit.viewer is not None:
        interest = await interest_sent(session, visit.viewer.id, card.id)
        if may_send and interest is None:
            # A form the service would refuse with INTEREST_LIMIT_REACHED is not offered.
            limit_reached = await interest_limit_reached(session, visit.viewer.id, card.id)
    return {
        "interest": interest,
        "limit_reached": limit_reached,
        "can_send": may_send and interest is None and not limit_reached,
        "errors": errors or {},
        "message": message,
    }


@router.post("/listings/{listing_id}/interest")
async def send_interest_page(
    listing_id: str, visit: BuyerVisit, session: SessionDep, form: FormDep
) -> Response:
    """Send an interest in an active listing (buyers and investors)."""
    identifier = parse_id(listing_id)
    message = text_field(form, "message") or ""
    viewer = visit.user
    try:
        body = InterestCreate(message=message)
        await in_savepoint(session, lambda: send_interest(session, viewer, identifier, body))
    except pydantic.ValidationError as exc:
        errors = schema_errors(visit, exc)
        return await _interest_form_again(visit, session, identifier, message, errors)
    except AppError as exc:
        errors = app_error_fields(visit, exc)
        return await _interest_form_again(visit, session, identifier, message, errors)
    return visit.redirect(f"/listings/{identifier}", flash="flash.interest_sent")


async def _interest_form_again(
    visit: Visit, session: SessionDep, listing_id: Any, message: str, errors: dict[str, str]
) -> Response:
    # The box shows what stands now: a refused send may have met the cap or a live interest.
    view = await view_listing(session, listing_id, visit.viewer)
    card = view if isinstance(view, ListingCard) else view.card
    box = await _interest_box(visit, session, card, errors, message)
    return visit.render("public/listing.html", status=422, card=card, detail=None, **box)


@router.get("/sectors")
async def sectors_page(visit: VisitDep) -> Response:
    """Every sector, with the valuation multiple in use for it."""
    multiples = {row.code: row for row in sector_multiples().sectors}
    return visit.render("public/sectors.html", sectors=SECTORS, multiples=multiples)


@router.get("/sectors/{code}")
async def sector_page(
    code: str, request: Request, visit: VisitDep, session: SessionDep
) -> Response:
    """One sector: its active listings, verified businesses and valuation multiple."""
    sector = get_sector(code)
    if sector is None:
        raise NotFoundError()
    query = dict(request.query_params) | {"sector": sector.code}
    context = await _search(visit, session, query)
    businesses, business_total = await discover(
        session, DiscoveryFilters(sector=sector.code), PageParams(1, 6)
    )
    multiple = next(row for row in sector_multiples().sectors if row.code == sector.code)
    return visit.render(
        "public/sector.html",
        sector=sector,
        multiple=multiple,
        businesses=businesses,
        business_total=business_total,
        **context,
    )


@router.get("/check/{field}")
async def check_identifier(field: str, request: Request, visit: VisitDep) -> Response:
    """The verdict on a GSTIN, PAN or Udyam number as typed (the profile form asks as you type)."""
    if field not in CHECKED_FIELDS:
        raise NotFoundError()
    query = request.query_params
    verdict = explain(
        field,
        query.get("value"),
        pan=query.get("pan"),
        state=query.get("state"),
        lang=visit.language,
    )
    return visit.render("owner/_identifier_hint.html", field=field, verdict=verdict)


@router.get("/static/{name}")
async def static_file(name: str, request: Request) -> Response:
    """A CSS or JavaScript file; cached for a year when asked for by its versioned URL."""
    found = static_files().get(name)
    if found is None:
        raise NotFoundError()
    etag = f'"{found.digest}"'
    versioned = request.query_params.get("v") == found.digest
    headers = {
        "ETag": etag,
        "Cache-Control": "public, max-age=31536000, immutable" if versioned else "no-cache",
    }
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(found.body, media_type=found.content_type, headers=headers)
