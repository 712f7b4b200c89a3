"""Admin pages: the analytics overview with charts and CSV exports, the verification queue
(automatic checks and documents side by side), listing moderation, every deal room, users and
the audit log.
Every decision goes through the admin service, so it is audited and the owner is told exactly
as through the API."""

from __future__ import annotations

import uuid
from typing import Any, Final
from urllib.parse import urlencode

import pydantic
from fastapi import Request
from fastapi.responses import Response, StreamingResponse

from msmebazaar.admin.schemas import (
    AdminUserUpdate,
    AuditAction,
    ExportDataset,
    ExportFormat,
    ModerationDecisionCreate,
    VerificationDecisionCreate,
)
from msmebazaar.admin.service import (
    AuditFilters,
    csv_chunks,
    decide,
    list_entries,
    moderate,
    overview,
    period_of,
    review_queue,
    start_export,
    update_user,
)
from msmebazaar.auth.service import UserRole, UserSearch, UserStatus, search_users
from msmebazaar.msme.schemas import DealStage, VerificationStatus
from msmebazaar.msme.service import all_deals, listings_in_review
from msmebazaar.shared.db import SessionDep, utcnow
from msmebazaar.shared.exceptions import AppError, NotFoundError
from msmebazaar.shared.pagination import MAX_PAGE, PageParams
from msmebazaar.shared.runtime import RuntimeDep
from msmebazaar.web.admin_view import analytics_charts
from msmebazaar.web.context import AdminVisit, Visit
from msmebazaar.web.deal_view import summaries
from msmebazaar.web.forms import FormDep, app_error_fields, schema_errors, text_field
from msmebazaar.web.pages import in_savepoint, page_number, page_router, parse_id

router = page_router(prefix="/admin")

QUEUE_PAGE: Final = PageParams(1, 10)
USERS_PAGE: Final = PageParams(1, 50)
AUDIT_PAGE_SIZE: Final = 25
DEALS_PAGE_SIZE: Final = 25


@router.get("")
async def analytics_page(visit: AdminVisit, session: SessionDep) -> Response:
    """The platform at a glance: signups per day, the funnel, deal flow in crore."""
    figures = await overview(session, period_of(None, None))
    return visit.render(
        "admin/overview.html",
        figures=figures,
        charts=analytics_charts(visit, figures),
        datasets=list(ExportDataset),
    )


@router.get("/exports/{dataset}.csv")
async def export_page(dataset: str, runtime: RuntimeDep, visit: AdminVisit) -> Response:
    """Download listings, users or interests as CSV: the API's export, audited the same way."""
    if dataset not in set(ExportDataset):
        raise NotFoundError()
    chosen, database = ExportDataset(dataset), runtime.database
    filename = await start_export(database, visit.user, chosen, ExportFormat.CSV)
    return visit.finish(
        StreamingResponse(
            csv_chunks(database, chosen),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    )


def _audit_filters(request: Request) -> AuditFilters:
    query = request.query_params
    action = query.get("action")

    def an_id(name: str) -> uuid.UUID | None:
        try:
            return uuid.UUID(query.get(name) or "")
        except ValueError:
            return None

    return AuditFilters(
        actor=an_id("actor"),
        target=an_id("target"),
        action=AuditAction(action) if action in set(AuditAction) else None,
    )


def _page_number(request: Request) -> int:
    return page_number(request.query_params.get("page"), MAX_PAGE)


@router.get("/audit-log")
async def audit_log_page(request: Request, visit: AdminVisit, session: SessionDep) -> Response:
    """The audit log, newest first: every admin action and sensitive change, filtered by
    action, actor or target (the API's `GET /admin/audit-log`)."""
    filters, number = _audit_filters(request), _page_number(request)
    entries, total = await list_entries(session, filters, PageParams(number, AUDIT_PAGE_SIZE))
    return visit.render(
        "admin/audit_log.html",
        entries=entries,
        total=total,
        filters=filters,
        actions=list(AuditAction),
        page_number=number,
        more=number * AUDIT_PAGE_SIZE < total,
        query_for=lambda page: _audit_query(filters, page),
    )


def _audit_query(filters: AuditFilters, page: int) -> str:
    """The audit log's query string for `page`, keeping the filters."""
    kept = {
        "action": filters.action.value if filters.action else None,
        "actor": str(filters.actor) if filters.actor else None,
        "target": str(filters.target) if filters.target else None,
    }
    return urlencode({name: value for name, value in kept.items() if value} | {"page": page})


@router.get("/verifications")
async def verification_queue_page(
    request: Request, visit: AdminVisit, session: SessionDep
) -> Response:
    """Profiles to verify, oldest first, each with its checks and documents side by side."""
    raw = request.query_params.get("status", VerificationStatus.PENDING.value)
    status = (
        VerificationStatus(raw) if raw in set(VerificationStatus) else VerificationStatus.PENDING
    )
    cases, total = await review_queue(session, status, QUEUE_PAGE)
    return visit.render(
        "admin/verifications.html",
        cases=cases,
        total=total,
        queue_status=status,
        errors={},
        failed=None,
    )


async def _decision_failed(
    visit: Visit, session: SessionDep, msme_id: Any, errors: dict[str, str]
) -> Response:
    cases, total = await review_queue(session, VerificationStatus.PENDING, QUEUE_PAGE)
    return visit.render(
        "admin/verifications.html",
        status=422,
        cases=cases,
        total=total,
        queue_status=VerificationStatus.PENDING,
        errors=errors,
        failed=msme_id,
    )


@router.post("/verifications/{msme_id}")
async def decide_verification_page(
    msme_id: str, visit: AdminVisit, session: SessionDep, form: FormDep
) -> Response:
    """Approve or reject a profile (a rejection needs a reason); the owner is told."""
    identifier, admin = parse_id(msme_id), visit.user
    try:
        body = VerificationDecisionCreate(
            decision=text_field(form, "decision") or "", reason=text_field(form, "reason")
        )
        await in_savepoint(session, lambda: decide(session, admin, identifier, body))
    except pydantic.ValidationError as exc:
        return await _decision_failed(visit, session, identifier, schema_errors(visit, exc))
    except AppError as exc:
        if exc.status_code == 404:
            raise
        return await _decision_failed(visit, session, identifier, app_error_fields(visit, exc))
    return visit.redirect("/admin/verifications", flash="flash.verification_decided")


@router.get("/listings")
async def moderation_page(visit: AdminVisit, session: SessionDep) -> Response:
    """Submitted listings waiting for a decision, oldest first."""
    items, total = await listings_in_review(session, QUEUE_PAGE)
    return visit.render("admin/listings.html", items=items, total=total, errors={}, failed=None)


@router.post("/listings/{listing_id}")
async def moderate_listing_page(
    listing_id: str, visit: AdminVisit, session: SessionDep, form: FormDep
) -> Response:
    """Approve a listing (its profile must be verified) or reject it with a reason."""
    identifier, admin = parse_id(listing_id), visit.user
    try:
        body = ModerationDecisionCreate(
            decision=text_field(form, "decision") or "", reason=text_field(form, "reason")
        )
        await in_savepoint(session, lambda: moderate(session, admin, identifier, body))
    except (pydantic.ValidationError, AppError) as exc:
        if isinstance(exc, AppError) and exc.status_code == 404:
            raise
        errors = (
            schema_errors(visit, exc)
            if isinstance(exc, pydantic.ValidationError)
            else app_error_fields(visit, exc)
        )
        items, total = await listings_in_review(session, QUEUE_PAGE)
        return visit.render(
            "admin/listings.html",
            status=422,
            items=items,
            total=total,
            errors=errors,
            failed=identifier,
        )
    return visit.redirect("/admin/listings", flash="flash.listing_moderated")


@router.get("/deals")
async def deals_page(request: Request, visit: AdminVisit, session: SessionDep) -> Response:
    """Every deal room, optionally at one stage, those longest at their stage first (each
    opens read-only: admins read a deal, its two sides act in it)."""
    raw, number = request.query_params.get("stage", ""), _page_number(request)
    stage = DealStage(raw) if raw in set(DealStage) else None
    deals, total = await all_deals(session, stage, PageParams(number, DEALS_PAGE_SIZE))
    return visit.render(
        "admin/deals.html",
        rows=summaries(deals, visit.user.id, utcnow()),
        total=total,
        stage=stage,
        stages=list(DealStage),
        page_number=number,
        more=number * DEALS_PAGE_SIZE < total,
        query_for=lambda page: _deals_query(stage, page),
    )


def _deals_query(stage: DealStage | None, page: int) -> str:
    """The deal list's query string for `page`, keeping the stage filter."""
    return urlencode(({"stage": stage.value} if stage else {}) | {"page": page})


def _user_search(request: Request) -> UserSearch:
    query = request.query_params
    role, status = query.get("role"), query.get("status")
    return UserSearch(
        q=(query.get("q") or "").strip()[:100] or None,
        role=UserRole(role) if role in set(UserRole) else None,
        status=UserStatus(status) if status in set(UserStatus) else None,
    )


async def _users_page(
    request: Request,
    visit: Visit,
    session: SessionDep,
    *,
    errors: dict[str, str],
    failed: Any = None,
    status: int = 200,
) -> Response:
    search = _user_search(request)
    users, total = await search_users(session, search, USERS_PAGE)
    return visit.render(
        "admin/users.html",
        status=status,
        users=users,
        total=total,
        search=search,
        role_list=list(UserRole),
        status_list=list(UserStatus),
        errors=errors,
        failed=failed,
    )


@router.get("/users")
async def users_page(request: Request, visit: AdminVisit, session: SessionDep) -> Response:
    """Users, newest first, by name, phone or email, role and status."""
    return await _users_page(request, visit, session, errors={})


@router.post("/users/{user_id}")
async def update_user_page(
    user_id: str,
    *,
    request: Request,
    runtime: RuntimeDep,
    visit: AdminVisit,
    session: SessionDep,
    form: FormDep,
) -> Response:
    """Suspend, reactivate or change the role of a user (never yourself, nor the last admin)."""
    identifier, admin = parse_id(user_id), visit.user
    cache = runtime.cache
    try:
        body = AdminUserUpdate(
            status=text_field(form, "status"),
            role=text_field(form, "role"),
            reason=text_field(form, "reason"),
        )
        await in_savepoint(session, lambda: update_user(session, cache, admin, identifier, body))
    except pydantic.ValidationError as exc:
        errors = schema_errors(visit, exc)
    except AppError as exc:
        if exc.status_code == 404:
            raise
        errors = app_error_fields(visit, exc)
    else:
        return visit.redirect("/admin/users", flash="flash.user_updated")
    return await _users_page(request, visit, session, errors=errors, failed=identifier, status=422)
