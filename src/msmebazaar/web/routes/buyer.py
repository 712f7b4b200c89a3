"""Buyer and investor pages: mandates (what you look for), the listings matched to each with
score, grade and reasons, and the interests you sent."""

from __future__ import annotations

from typing import Any, Final

import pydantic
from fastapi.responses import Response
from starlette.datastructures import FormData

from msmebazaar.match.schemas import MandateCreate, MandateRead, MandateUpdate
from msmebazaar.match.service import (
    create_mandate,
    delete_mandate,
    get_mandate,
    list_mine,
    listings_for_mandate,
    update_mandate,
)
from msmebazaar.msme.schemas import DealType
from msmebazaar.msme.service import SECTORS, deals_of_interests, list_sent, withdraw_interest
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.exceptions import AppError
from msmebazaar.shared.india import STATE_NAMES
from msmebazaar.shared.pagination import PageParams
from msmebazaar.web.context import BuyerVisit, Visit
from msmebazaar.web.forms import (
    FormDep,
    amount_field,
    app_error_fields,
    checked_values,
    int_field,
    schema_errors,
    text_field,
)
from msmebazaar.web.pages import in_savepoint, page_router, parse_id
from msmebazaar.web.profile_form import amount_text

router = page_router(prefix="/buyer")

ALL: Final = PageParams(1, 100)
MATCHES_SHOWN: Final = 20
_AMOUNTS: Final = ("ticket_min", "ticket_max", "revenue_min", "revenue_max")
_CHOICES: Final = ("deal_types", "sectors", "exclude_sectors", "states")


def _form_page(
    visit: Visit,
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    mandate: MandateRead | None = None,
    status: int = 200,
) -> Response:
    return visit.render(
        "buyer/mandate_form.html",
        status=status,
        values=values,
        errors=errors,
        mandate=mandate,
        deal_types=list(DealType),
        sectors=SECTORS,
        states=STATE_NAMES,
    )


def _mandate_fields(visit: Visit, form: FormData) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    sector_codes = [sector.code for sector in SECTORS]
    fields: dict[str, Any] = {
        "title": text_field(form, "title"),
        "deal_types": checked_values(form, "deal_types", [d.value for d in DealType]),
        "sectors": checked_values(form, "sectors", sector_codes),
        "exclude_sectors": checked_values(form, "exclude_sectors", sector_codes),
        "states": checked_values(form, "states", STATE_NAMES),
        "ebitda_positive_only": form.get("ebitda_positive_only") == "on",
        "min_years": int_field(visit, form, "min_years", errors),
        "thesis": text_field(form, "thesis") or "",
        "public_profile": form.get("public_profile") == "on",
    }
    for name in _AMOUNTS:
        fields[name] = amount_field(visit, form, name, errors)
    return fields, errors


def _typed(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {name: value for name, value in form.items() if isinstance(value, str)}
    for name in _CHOICES:
        values[name] = [value for value in form.getlist(name) if isinstance(value, str)]
    return values


def _stored(mandate: MandateRead) -> dict[str, Any]:
    values: dict[str, Any] = mandate.model_dump(mode="json")
    for name in _AMOUNTS:
        amount = getattr(mandate, name)
        values[name] = "" if amount is None else amount_text(amount)
    values["min_years"] = "" if mandate.min_years is None else str(mandate.min_years)
    values["ebitda_positive_only"] = "on" if mandate.ebitda_positive_only else ""
    values["public_profile"] = "on" if mandate.public_profile else ""
    values["active"] = "on" if mandate.active else ""
    return values


@router.get("/mandates")
async def my_mandates(visit: BuyerVisit, session: SessionDep) -> Response:
    """Your mandates."""
    mandates, _ = await list_mine(session, visit.user, ALL)
    return visit.render("buyer/mandates.html", mandates=mandates)


@router.get("/mandates/new")
async def new_mandate_form(visit: BuyerVisit) -> Response:
    """An empty mandate form."""
    return _form_page(visit, {name: [] for name in _CHOICES}, {})


@router.post("/mandates/new")
async def create_mandate_page(visit: BuyerVisit, session: SessionDep, form: FormDep) -> Response:
    """Create a mandate; its matches are ranked at once."""
    viewer = visit.user
    fields, errors = _mandate_fields(visit, form)
    if not errors:
        try:
            data = MandateCreate.model_validate(fields)
            created = await in_savepoint(
                session, lambda: create_mandate(session, visit.runtime, viewer, data)
            )
        except pydantic.ValidationError as exc:
            errors = schema_errors(visit, exc)
        except AppError as exc:
            errors = app_error_fields(visit, exc)
        else:
            return visit.redirect(f"/buyer/mandates/{created.id}", flash="flash.mandate_created")
    return _form_page(visit, _typed(form), errors, status=422)


@router.get("/mandates/{mandate_id}")
async def mandate_page(mandate_id: str, visit: BuyerVisit, session: SessionDep) -> Response:
    """A mandate and the active listings ranked for it, each scored and explained."""
    viewer = visit.user
    mandate = await get_mandate(session, viewer, parse_id(mandate_id))
    matches = await listings_for_mandate(
        session, visit.runtime, viewer, mandate.id, limit=MATCHES_SHOWN, language=visit.language
    )
    return visit.render("buyer/mandate.html", mandate=mandate, matches=matches)


@router.get("/mandates/{mandate_id}/edit")
async def edit_mandate_form(mandate_id: str, visit: BuyerVisit, session: SessionDep) -> Response:
    """The mandate form, filled in."""
    mandate = await get_mandate(session, visit.user, parse_id(mandate_id))
    return _form_page(visit, _stored(mandate), {}, mandate=mandate)


@router.post("/mandates/{mandate_id}/edit")
async def update_mandate_page(
    mandate_id: str, visit: BuyerVisit, session: SessionDep, form: FormDep
) -> Response:
    """Save a mandate (send back the version you read: a stale one is refused)."""
    identifier, viewer = parse_id(mandate_id), visit.user
    fields, errors = _mandate_fields(visit, form)
    version = text_field(form, "version")
    fields |= {
        "active": form.get("active") == "on",
        "version": int(version) if version and version.isdigit() else None,
    }
    if not errors:
        try:
            data = MandateUpdate.model_validate(fields)
            await in_savepoint(
                session, lambda: update_mandate(session, visit.runtime, viewer, identifier, data)
            )
        except pydantic.ValidationError as exc:
            errors = schema_errors(visit, exc)
        except AppError as exc:
            errors = app_error_fields(visit, exc)
        else:
            return visit.redirect(f"/buyer/mandates/{identifier}", flash="flash.mandate_saved")
    mandate = await get_mandate(session, viewer, identifier)
    return _form_page(visit, _typed(form), errors, mandate=mandate, status=422)


@router.post("/mandates/{mandate_id}/delete")
async def delete_mandate_page(
    mandate_id: str, visit: BuyerVisit, session: SessionDep, form: FormDep
) -> Response:
    """Delete a mandate."""
    await delete_mandate(session, visit.user, parse_id(mandate_id))
    return visit.redirect("/buyer/mandates", flash="flash.mandate_deleted")


@router.get("/interests")
async def interests_sent(visit: BuyerVisit, session: SessionDep) -> Response:
    """Interests you sent; accepted ones name the business and its owner, and lead to the
    deal room."""
    interests, _ = await list_sent(session, visit.user, ALL)
    deal_ids = await deals_of_interests(session, visit.user, (i.id for i in interests))
    return visit.render("buyer/interests.html", interests=interests, deal_ids=deal_ids)


@router.post("/interests/{interest_id}/withdraw")
async def withdraw_interest_page(
    interest_id: str, visit: BuyerVisit, session: SessionDep, form: FormDep
) -> Response:
    """Withdraw an interest you sent."""
    await withdraw_interest(session, visit.user, parse_id(interest_id))
    return visit.redirect("/buyer/interests", flash="flash.interest_withdrawn")
