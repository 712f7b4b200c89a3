"""Owner pages for business profiles: the list, the profile form (identifiers checked as you
type), the profile's page with financials by year, documents, valuations and listings."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Final

import pydantic
from fastapi import Query
from fastapi.responses import Response
from starlette.datastructures import FormData

from msmebazaar.msme.schemas import DocumentKind, FinancialsInput, LegalForm, MsmeCreate, MsmeUpdate
from msmebazaar.msme.service import (
    MAX_DOCUMENT_BYTES,
    SECTORS,
    ConflictAllowance,
    create_profile,
    download_document,
    get_financials,
    insider_documents,
    list_mine,
    list_owned,
    owned_profile,
    save_financials,
    update_owned_profile,
    upload_owned_document,
)
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.exceptions import AppError
from msmebazaar.shared.india import STATE_NAMES
from msmebazaar.shared.pagination import PageParams
from msmebazaar.shared.runtime import Runtime, RuntimeDep
from msmebazaar.valuation.schemas import ValuationCreate
from msmebazaar.valuation.service import create_valuation, list_profile_valuations
from msmebazaar.web.context import OwnerVisit, SignedInVisit, Visit
from msmebazaar.web.forms import (
    FormDep,
    FormErrors,
    app_error_fields,
    file_field,
    schema_errors,
    text_field,
)
from msmebazaar.web.pages import file_download, in_savepoint, page_router, parse_id
from msmebazaar.web.profile_form import (
    financial_values,
    fiscal_years,
    form_values,
    identifier_errors,
    profile_values,
    typed_values,
)
from msmebazaar.web.texts import has_text

router = page_router(prefix="/my/businesses")
documents_router = page_router()

ALL: Final = PageParams(1, 100)


def _form_page(
    visit: Visit,
    values: dict[str, str],
    errors: dict[str, str],
    *,
    profile_id: uuid.UUID | None,
    status: int = 200,
    version: int | None = None,
) -> Response:
    return visit.render(
        "owner/profile_form.html",
        status=status,
        values=values,
        errors=errors,
        profile_id=profile_id,
        version=version,
        legal_forms=list(LegalForm),
        sectors=SECTORS,
        states=STATE_NAMES,
    )


@router.get("")
async def my_businesses(visit: OwnerVisit, session: SessionDep) -> Response:
    """Your business profiles and their listings."""
    viewer = visit.user
    profiles, _ = await list_owned(session, viewer.id, ALL)
    listings, _ = await list_mine(session, viewer, ALL)
    return visit.render("owner/businesses.html", profiles=profiles, listings=listings)


@router.get("/new")
async def new_profile_form(visit: OwnerVisit) -> Response:
    """An empty profile form."""
    return _form_page(visit, form_values(None), {}, profile_id=None)


def _checked_values(visit: Visit, form: FormData) -> dict[str, Any]:
    values, errors = profile_values(visit, form)
    errors |= identifier_errors(visit, values)
    if errors:
        raise FormErrors(errors)
    return values


def _explained(visit: Visit, form: FormData, exc: AppError) -> dict[str, str]:
    """A service's refusal, with identifier failures in our plain words where we have them."""
    values, _ = profile_values(visit, form)
    return app_error_fields(visit, exc) | identifier_errors(visit, values)


def _allowance(runtime: Runtime) -> ConflictAllowance:
    # The API's daily allowance of identifier conflicts: the form is no way around it. A refused
    # claim's audit event is committed with the page's unit of work (the savepoint is undone).
    return ConflictAllowance(runtime.rate_limiter)


@router.post("/new")
async def create_profile_page(
    runtime: RuntimeDep, visit: OwnerVisit, session: SessionDep, form: FormDep
) -> Response:
    """Create a profile (pending until an admin verifies it)."""
    viewer, allowance = visit.user, _allowance(runtime)
    try:
        data = MsmeCreate.model_validate(
            {k: v for k, v in _checked_values(visit, form).items() if v is not None}
        )
        created = await in_savepoint(
            session, lambda: create_profile(session, viewer, data, allowance=allowance)
        )
    except FormErrors as exc:
        return _form_page(visit, typed_values(form), exc.fields, profile_id=None, status=422)
    except pydantic.ValidationError as exc:
        errors = schema_errors(visit, exc)
        return _form_page(visit, typed_values(form), errors, profile_id=None, status=422)
    except AppError as exc:
        errors = _explained(visit, form, exc)
        return _form_page(
            visit, typed_values(form), errors, profile_id=None, status=exc.status_code
        )
    return visit.redirect(f"/my/businesses/{created.id}", flash="flash.profile_created")


# A refused upload is answered with a redirect to the business page (a reload never posts the
# file again, and the address bar shows the page): the refusal travels as its code.
_UPLOAD_FIELD_REFUSALS: Final = {
    "FILE_REQUIRED": ("file", "form.file_required"),
    "KIND_REQUIRED": ("kind", "form.choose"),
}


def _upload_refusal(visit: Visit, code: str | None) -> dict[str, str]:
    """The message of a refused upload's code (only codes we word ourselves are shown)."""
    if not code:
        return {}
    if code in _UPLOAD_FIELD_REFUSALS:
        field, key = _UPLOAD_FIELD_REFUSALS[code]
        return {field: visit.t(key)}
    key = f"error.{code}"
    known = code.replace("_", "").isalpha() and code.isupper() and has_text(key)
    return {"file": visit.t(key if known else "business.upload_refused")}


def _refused_upload(visit: Visit, msme_id: uuid.UUID, code: str) -> Response:
    return visit.redirect(f"/my/businesses/{msme_id}?upload_error={code}#documents")


@router.get("/{msme_id}")
async def business_page(
    msme_id: str,
    visit: OwnerVisit,
    session: SessionDep,
    upload_error: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """One profile: its status, financials by year, documents, valuations and listings."""
    errors = _upload_refusal(visit, upload_error)
    return await _business_page(visit, session, parse_id(msme_id), errors, {})


async def _business_page(
    visit: Visit,
    session: SessionDep,
    msme_id: uuid.UUID,
    errors: dict[str, str],
    typed: dict[str, str],
    *,
    status: int = 200,
) -> Response:
    viewer = visit.user
    profile = await owned_profile(session, viewer, msme_id)
    documents, _ = await insider_documents(session, viewer, msme_id, ALL)
    valuations, _ = await list_profile_valuations(
        session, viewer, msme_id, PageParams(1, 5), visit.language
    )
    listings, _ = await list_mine(session, viewer, ALL)
    return visit.render(
        "owner/business.html",
        status=status,
        profile=profile,
        financials=await get_financials(session, msme_id),
        documents=documents,
        valuations=valuations,
        listings=[item for item in listings if item.msme_id == msme_id],
        fiscal_years=fiscal_years(),
        document_kinds=list(DocumentKind),
        errors=errors,
        typed=typed,
    )


@router.get("/{msme_id}/edit")
async def edit_profile_form(msme_id: str, visit: OwnerVisit, session: SessionDep) -> Response:
    """The profile form, filled in."""
    profile = await owned_profile(session, visit.user, parse_id(msme_id))
    return _form_page(
        visit, form_values(profile), {}, profile_id=profile.id, version=profile.version
    )


@router.post("/{msme_id}/edit")
async def update_profile_page(
    msme_id: str, runtime: RuntimeDep, visit: OwnerVisit, session: SessionDep, form: FormDep
) -> Response:
    """Save the profile; a change to the name or an identifier sends it back for verification."""
    identifier, viewer, allowance = parse_id(msme_id), visit.user, _allowance(runtime)
    version = text_field(form, "version")
    try:
        values = _checked_values(visit, form) | {
            "version": int(version) if version and version.isdigit() else None
        }
        data = MsmeUpdate.model_validate(values)
        await in_savepoint(
            session,
            lambda: update_owned_profile(session, viewer, identifier, data, allowance=allowance),
        )
    except FormErrors as exc:
        errors = exc.fields
    except pydantic.ValidationError as exc:
        errors = schema_errors(visit, exc)
    except AppError as exc:
        errors = _explained(visit, form, exc)
    else:
        return visit.redirect(f"/my/businesses/{identifier}", flash="flash.profile_saved")
    return _form_page(
        visit,
        typed_values(form),
        errors,
        profile_id=identifier,
        status=422,
        version=int(version) if version and version.isdigit() else None,
    )


@router.post("/{msme_id}/financials")
async def save_financials_page(
    msme_id: str, visit: OwnerVisit, session: SessionDep, form: FormDep
) -> Response:
    """Store one fiscal year's figures (amounts as "45 lakh" or "1,20,000")."""
    identifier, viewer = parse_id(msme_id), visit.user
    year = text_field(form, "fiscal_year") or ""
    figures, errors = financial_values(visit, form)
    if not errors:
        try:
            data = FinancialsInput.model_validate(figures)
            await in_savepoint(
                session, lambda: save_financials(session, viewer, identifier, year, data)
            )
        except pydantic.ValidationError as exc:
            errors = schema_errors(visit, exc)
        except AppError as exc:
            errors = app_error_fields(visit, exc)
    if errors:
        return await _business_page(
            visit, session, identifier, errors, typed_values(form), status=422
        )
    return visit.redirect(f"/my/businesses/{identifier}#financials", flash="flash.financials_saved")


@router.post("/{msme_id}/documents")
async def upload_document_page(
    msme_id: str, runtime: RuntimeDep, visit: OwnerVisit, session: SessionDep, form: FormDep
) -> Response:
    """Upload a document (PDF, PNG or JPEG, at most 10 MB; 50 documents and 200 MB a profile)."""
    identifier, viewer = parse_id(msme_id), visit.user
    upload = file_field(form, "file")
    kind = text_field(form, "kind")
    if upload is None:
        return _refused_upload(visit, identifier, "FILE_REQUIRED")
    if kind is None or kind not in {item.value for item in DocumentKind}:
        return _refused_upload(visit, identifier, "KIND_REQUIRED")
    data = await upload.read(MAX_DOCUMENT_BYTES + 1)
    storage = runtime.storage
    try:
        stored = await in_savepoint(
            session,
            lambda: upload_owned_document(
                session,
                storage,
                viewer,
                identifier,
                kind=DocumentKind(kind),
                filename=upload.filename,
                data=data,
            ),
        )
    except AppError as exc:
        if exc.status_code == 404:
            raise
        # Too large, the profile's limit or space reached, not a PDF/PNG/JPEG: said in words
        # on the business page.
        return _refused_upload(visit, identifier, exc.code)
    flash = "flash.document_uploaded" if stored.created else "flash.document_already_there"
    return visit.redirect(f"/my/businesses/{identifier}#documents", flash=flash)


@router.post("/{msme_id}/valuations")
async def run_valuation_page(
    msme_id: str, visit: OwnerVisit, session: SessionDep, form: FormDep
) -> Response:
    """Value the business from its stored financials."""
    identifier, viewer = parse_id(msme_id), visit.user
    try:
        valuation = await in_savepoint(
            session,
            lambda: create_valuation(
                session, viewer, ValuationCreate(msme_id=identifier), visit.language
            ),
        )
    except AppError as exc:
        errors = {"valuation": app_error_fields(visit, exc).popitem()[1]}
        return await _business_page(visit, session, identifier, errors, {}, status=422)
    return visit.redirect(f"/valuations/{valuation.id}")


@documents_router.get("/documents/{document_id}")
async def download_document_page(
    document_id: str, runtime: RuntimeDep, visit: SignedInVisit
) -> Response:
    """A document's file (owner, admins, and buyers whose deal is cleared; their download is
    logged in the deal)."""
    download = await download_document(
        runtime.database, runtime.storage, parse_id(document_id), visit.user
    )
    return file_download(download)
