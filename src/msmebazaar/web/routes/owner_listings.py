"""Owner pages for listings (status and reasons for rejection; create, edit, submit, close) and
for the interests buyers sent (accept or decline)."""

from __future__ import annotations

import uuid
from typing import Any, Final

import pydantic
from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from msmebazaar.match.service import mandates_for_listing
from msmebazaar.msme.schemas import DealType, ListingCreate, ListingRead, ListingUpdate
from msmebazaar.msme.service import (
    close_owned_listing,
    create_listing,
    deals_of_interests,
    decide_interest,
    list_mine,
    list_owned,
    list_received,
    owned_listing,
    submit_owned_listing,
    update_owned_listing,
)
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.exceptions import AppError
from msmebazaar.shared.pagination import PageParams
from msmebazaar.web.context import OwnerVisit, Visit
from msmebazaar.web.forms import (
    FormDep,
    amount_field,
    app_error_fields,
    float_field,
    schema_errors,
    text_field,
)
from msmebazaar.web.pages import in_savepoint, page_router, parse_id
from msmebazaar.web.profile_form import amount_text, typed_values

router = page_router(prefix="/my")

ALL: Final = PageParams(1, 100)
MATCHES_SHOWN: Final = 5
# Deals that sell a share of the company: the form asks for the stake (as the schema does).
STAKE_DEALS: Final = frozenset({DealType.STAKE_SALE.value, DealType.INVESTMENT.value})


@router.get("/listings")
async def my_listings(visit: OwnerVisit, session: SessionDep) -> Response:
    """Your listings with their status, counts and reasons for rejection."""
    listings, _ = await list_mine(session, visit.user, ALL)
    return visit.render("owner/listings.html", listings=listings)


async def _listing_form(
    visit: Visit,
    session: SessionDep,
    values: dict[str, str],
    errors: dict[str, str],
    *,
    listing: ListingRead | None = None,
    status: int = 200,
) -> Response:
    profiles, _ = await list_owned(session, visit.user.id, ALL)
    return visit.render(
        "owner/listing_form.html",
        status=status,
        values=values,
        errors=errors,
        listing=listing,
        profiles=profiles,
        deal_types=list(DealType),
    )


@router.get("/listings/new")
async def new_listing_form(request: Request, visit: OwnerVisit, session: SessionDep) -> Response:
    """A new listing of one of your businesses."""
    values = {
        "msme_id": request.query_params.get("msme_id", ""),
        "anonymous": "on",
        "nda_required": "on",
    }
    return await _listing_form(visit, session, values, {})


def _listing_fields(visit: Visit, form: FormData) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    fields = {
        "deal_type": text_field(form, "deal_type"),
        "asking_price": amount_field(visit, form, "asking_price", errors),
        "stake_percent": float_field(visit, form, "stake_percent", errors),
        "anonymous": form.get("anonymous") == "on",
        "nda_required": form.get("nda_required") == "on",
        "headline": text_field(form, "headline"),
        "summary": text_field(form, "summary"),
    }
    if fields["deal_type"] == DealType.FULL_SALE.value:
        fields["stake_percent"] = None  # the whole business: a stake typed anyway is ignored
    elif fields["deal_type"] in STAKE_DEALS and fields["stake_percent"] is None:
        errors.setdefault("stake_percent", visit.t("error.STAKE_PERCENT_REQUIRED"))
    for name in ("deal_type", "asking_price", "headline", "summary"):
        if fields[name] is None:
            errors.setdefault(name, visit.t("form.required"))
    return fields, errors


@router.post("/listings/new")
async def create_listing_page(visit: OwnerVisit, session: SessionDep, form: FormDep) -> Response:
    """Create a draft listing."""
    viewer = visit.user
    fields, errors = _listing_fields(visit, form)
    if not errors:
        try:
            data = ListingCreate.model_validate(fields | {"msme_id": text_field(form, "msme_id")})
            created = await in_savepoint(session, lambda: create_listing(session, viewer, data))
        except pydantic.ValidationError as exc:
            errors = schema_errors(visit, exc)
        except AppError as exc:
            errors = app_error_fields(visit, exc)
        else:
            return visit.redirect(f"/my/listings/{created.id}", flash="flash.listing_created")
    return await _listing_form(visit, session, typed_values(form), errors, status=422)


@router.get("/listings/{listing_id}")
async def listing_detail(listing_id: str, visit: OwnerVisit, session: SessionDep) -> Response:
    """One of your listings: status, reasons, and the buyers' mandates that match it."""
    viewer = visit.user
    listing = await owned_listing(session, viewer, parse_id(listing_id))
    matches = await mandates_for_listing(
        session, visit.runtime, viewer, listing.id, limit=MATCHES_SHOWN, language=visit.language
    )
    return visit.render("owner/listing.html", listing=listing, matches=matches)


@router.get("/listings/{listing_id}/edit")
async def edit_listing_form(listing_id: str, visit: OwnerVisit, session: SessionDep) -> Response:
    """The listing form, filled in (drafts and rejected listings only)."""
    listing = await owned_listing(session, visit.user, parse_id(listing_id))
    values = {
        "deal_type": listing.deal_type.value,
        "asking_price": amount_text(listing.asking_price),
        "stake_percent": "" if listing.stake_percent is None else f"{listing.stake_percent:g}",
        "anonymous": "on" if listing.anonymous else "",
        "nda_required": "on" if listing.nda_required else "",
        "headline": listing.headline,
        "summary": listing.summary,
        "version": str(listing.version),
    }
    return await _listing_form(visit, session, values, {}, listing=listing)


@router.post("/listings/{listing_id}/edit")
async def update_listing_page(
    listing_id: str, visit: OwnerVisit, session: SessionDep, form: FormDep
) -> Response:
    """Save a draft or rejected listing."""
    identifier, viewer = parse_id(listing_id), visit.user
    fields, errors = _listing_fields(visit, form)
    version = text_field(form, "version")
    if not errors:
        try:
            data = ListingUpdate.model_validate(
                fields | {"version": int(version) if version and version.isdigit() else None}
            )
            await in_savepoint(
                session, lambda: update_owned_listing(session, viewer, identifier, data)
            )
        except pydantic.ValidationError as exc:
            errors = schema_errors(visit, exc)
        except AppError as exc:
            errors = app_error_fields(visit, exc)
        else:
            return visit.redirect(f"/my/listings/{identifier}", flash="flash.listing_saved")
    listing = await owned_listing(session, viewer, identifier)
    return await _listing_form(
        visit, session, typed_values(form), errors, listing=listing, status=422
    )


async def _listing_action(
    visit: Visit, session: SessionDep, listing_id: uuid.UUID, action: str
) -> Response:
    viewer = visit.user
    run = submit_owned_listing if action == "submit" else close_owned_listing
    try:
        await in_savepoint(session, lambda: run(session, viewer, listing_id))
    except AppError as exc:
        if exc.status_code in (404, 403):
            raise
        listing = await owned_listing(session, viewer, listing_id)
        matches = await mandates_for_listing(
            session, visit.runtime, viewer, listing_id, limit=MATCHES_SHOWN, language=visit.language
        )
        errors = app_error_fields(visit, exc)
        return visit.render(
            "owner/listing.html",
            status=exc.status_code,
            listing=listing,
            matches=matches,
            action_errors=list(errors.values()),
        )
    return visit.redirect(f"/my/listings/{listing_id}", flash=f"flash.listing_{action}")


@router.post("/listings/{listing_id}/submit")
async def submit_listing_page(
    listing_id: str, visit: OwnerVisit, session: SessionDep, form: FormDep
) -> Response:
    """Send the listing to the admins for review (anonymous ones are scanned first)."""
    return await _listing_action(visit, session, parse_id(listing_id), "submit")


@router.post("/listings/{listing_id}/close")
async def close_listing_page(
    listing_id: str, visit: OwnerVisit, session: SessionDep, form: FormDep
) -> Response:
    """Close the listing: it leaves search and takes no more interests."""
    return await _listing_action(visit, session, parse_id(listing_id), "close")


@router.get("/interests")
async def interests_received(visit: OwnerVisit, session: SessionDep) -> Response:
    """Interests buyers sent in your listings; their contact, and the deal room, once you
    accept."""
    interests, _ = await list_received(session, visit.user, ALL)
    deal_ids = await deals_of_interests(session, visit.user, (i.id for i in interests))
    return visit.render("owner/interests.html", interests=interests, deal_ids=deal_ids)


@router.post("/interests/{interest_id}/{decision}")
async def decide_interest_page(
    interest_id: str, decision: str, visit: OwnerVisit, session: SessionDep, form: FormDep
) -> Response:
    """Accept (share contacts) or decline an interest."""
    if decision not in ("accept", "decline"):
        return visit.redirect("/my/interests")
    viewer = visit.user
    identifier = parse_id(interest_id)
    await decide_interest(session, viewer, identifier, accept=decision == "accept")
    flash = "flash.interest_accepted" if decision == "accept" else "flash.interest_declined"
    return visit.redirect("/my/interests", flash=flash)
