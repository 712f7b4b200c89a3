"""Admin endpoints (DESIGN.md §3 "Admin"): thin, each one service call; all need role admin."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import StreamingResponse

from msmebazaar.admin import moderation, profiles, users
from msmebazaar.admin.analytics.export import csv_chunks, start_export
from msmebazaar.admin.analytics.overview import cached_overview
from msmebazaar.admin.analytics.period import period_of
from msmebazaar.admin.audit import AuditFilters, list_entries
from msmebazaar.admin.events import failed_events
from msmebazaar.admin.schemas import (
    AdminUserChange,
    AdminUserUpdate,
    AnalyticsOverview,
    AuditAction,
    AuditEntryRead,
    ExportDataset,
    ExportFormat,
    FailedEventRead,
    ModerationDecisionCreate,
    ModerationResult,
    TransferCreate,
    TransferResult,
    VerificationDecisionCreate,
    VerificationQueueItem,
    VerificationResult,
)
from msmebazaar.auth.service import (
    Principal,
    UserRead,
    UserRole,
    UserSearch,
    UserStatus,
    require_role,
    search_users,
)
from msmebazaar.msme import service as msme_service
from msmebazaar.msme.schemas import DealRead, DealStage, VerificationStatus
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.pagination import PageDep, page_response
from msmebazaar.shared.responses import DataResponse, ListResponse, error_responses, ok
from msmebazaar.shared.runtime import RuntimeDep

AdminDep = Annotated[Principal, Depends(require_role())]
router = APIRouter(prefix="/admin", tags=["admin"], responses=error_responses(401, 403))

MsmeId = Annotated[uuid.UUID, Path(description="The business profile's id.")]
ListingId = Annotated[uuid.UUID, Path(description="The listing's id.")]
UserId = Annotated[uuid.UUID, Path(description="The user's id.")]


@router.get("/verifications", response_model=ListResponse[VerificationQueueItem])
async def verification_queue(
    admin: AdminDep,
    session: SessionDep,
    page: PageDep,
    status: VerificationStatus = VerificationStatus.PENDING,
) -> ListResponse[VerificationQueueItem]:
    """Profiles awaiting review (or decided ones), oldest first, with checks, documents and
    other users' refused claims of their identifiers."""
    items, total = await profiles.review_queue(session, status, page)
    return page_response(items, total=total, params=page)


@router.post(
    "/msmes/{msme_id}/verify",
    response_model=DataResponse[VerificationResult],
    responses=error_responses(404, 409),
)
async def verify_profile(
    msme_id: MsmeId, body: VerificationDecisionCreate, admin: AdminDep, session: SessionDep
) -> DataResponse[VerificationResult]:
    """Approve or reject a pending profile (a rejection needs a reason); the owner is told."""
    result = await profiles.decide(session, admin, msme_id, body)
    return ok(result, f"Profile {result.profile.verification_status.value}.")


@router.post(
    "/msmes/{msme_id}/transfer",
    response_model=DataResponse[TransferResult],
    responses=error_responses(404, 409),
)
async def transfer_profile(
    msme_id: MsmeId, body: TransferCreate, admin: AdminDep, session: SessionDep
) -> DataResponse[TransferResult]:
    """Move a profile, its identifiers and listings to the rightful owner (a dispute)."""
    return ok(await profiles.transfer(session, admin, msme_id, body), "Profile transferred.")


@router.post(
    "/listings/{listing_id}/moderate",
    response_model=DataResponse[ModerationResult],
    responses=error_responses(404, 409),
)
async def moderate_listing(
    listing_id: ListingId, body: ModerationDecisionCreate, admin: AdminDep, session: SessionDep
) -> DataResponse[ModerationResult]:
    """Approve a submitted listing (its profile must be verified) or reject it with a reason."""
    result = await moderation.moderate(session, admin, listing_id, body)
    return ok(result, f"Listing {result.listing.status.value}.")


@router.get("/deals", response_model=ListResponse[DealRead])
async def list_deals(
    admin: AdminDep, session: SessionDep, page: PageDep, stage: DealStage | None = None
) -> ListResponse[DealRead]:
    """Every deal room, optionally at one stage: open ones first, the longest at their stage
    first."""
    items, total = await msme_service.all_deals(session, stage, page)
    return page_response(items, total=total, params=page)


@router.get("/users", response_model=ListResponse[UserRead])
async def list_users(
    admin: AdminDep,
    session: SessionDep,
    page: PageDep,
    *,
    q: Annotated[
        str | None, Query(max_length=100, description="Part of a name, email or phone.")
    ] = None,
    role: UserRole | None = None,
    status: UserStatus | None = None,
) -> ListResponse[UserRead]:
    """Users, newest first, filtered by text, role and status."""
    items, total = await search_users(session, UserSearch(q=q, role=role, status=status), page)
    return page_response(items, total=total, params=page)


@router.patch(
    "/users/{user_id}",
    response_model=DataResponse[AdminUserChange],
    responses=error_responses(404, 409),
)
async def update_user(
    user_id: UserId,
    body: AdminUserUpdate,
    runtime: RuntimeDep,
    admin: AdminDep,
    session: SessionDep,
) -> DataResponse[AdminUserChange]:
    """Suspend or reactivate a user, or change their role (never yourself, nor the last admin)."""
    changed = await users.update_user(session, runtime.cache, admin, user_id, body)
    return ok(changed, "User updated.")


@router.get("/analytics/overview", response_model=DataResponse[AnalyticsOverview])
async def analytics_overview(
    runtime: RuntimeDep,
    admin: AdminDep,
    session: SessionDep,
    *,
    first: Annotated[
        date | None, Query(alias="from", description="First day (India), default 30 days back.")
    ] = None,
    last: Annotated[date | None, Query(alias="to", description="Last day, default today.")] = None,
    fresh: Annotated[
        bool, Query(description="Recompute now instead of using figures up to a minute old.")
    ] = False,
) -> DataResponse[AnalyticsOverview]:
    """The platform's figures: users, profiles, listings, deal flow, matches and the funnel."""
    cache, period = runtime.cache, period_of(first, last)
    return ok(await cached_overview(session, cache, period, fresh=fresh))


@router.get(
    "/analytics/export",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "The dataset as CSV."}},
)
async def analytics_export(
    runtime: RuntimeDep,
    admin: AdminDep,
    dataset: ExportDataset,
    format: ExportFormat = ExportFormat.CSV,
) -> StreamingResponse:
    """Download listings, users or interests as CSV, streamed page by page (audited)."""
    database = runtime.database
    filename = await start_export(database, admin, dataset, format)
    return StreamingResponse(
        csv_chunks(database, dataset),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/audit-log", response_model=ListResponse[AuditEntryRead])
async def audit_log(
    admin: AdminDep,
    session: SessionDep,
    page: PageDep,
    *,
    actor: Annotated[uuid.UUID | None, Query(description="Who acted (a user id).")] = None,
    target: Annotated[uuid.UUID | None, Query(description="The user, profile or listing.")] = None,
    action: AuditAction | None = None,
) -> ListResponse[AuditEntryRead]:
    """The audit log, newest first: every admin action and sensitive change."""
    filters = AuditFilters(actor=actor, target=target, action=action)
    items, total = await list_entries(session, filters, page)
    return page_response(items, total=total, params=page)


@router.get("/events/failed", response_model=ListResponse[FailedEventRead])
async def failed_event_list(
    admin: AdminDep,
    session: SessionDep,
    page: PageDep,
    handler: Annotated[
        str | None, Query(max_length=100, description="Only this handler's dead letters.")
    ] = None,
) -> ListResponse[FailedEventRead]:
    """Domain events a handler gave up after its last try (dead letters), newest first."""
    items, total = await failed_events(session, page, handler)
    return page_response(items, total=total, params=page)
