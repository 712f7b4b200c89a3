"""Business profile endpoints (DESIGN.md §3 "MSME"): thin, each one service call."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from msmebazaar.auth.service import OptionalUser, Principal, UserRole, require_role
from msmebazaar.msme import profiles, service
from msmebazaar.msme.classification import Classification
from msmebazaar.msme.conflicts import ConflictAllowance
from msmebazaar.msme.dependencies import MsmeIdPath, OwnedMsme, SignedIn, VisibleMsme
from msmebazaar.msme.schemas.profiles import (
    MsmeCard,
    MsmeCreate,
    MsmeRead,
    MsmeUpdate,
    SectorRead,
)
from msmebazaar.msme.sectors import SECTORS
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.pagination import PageDep, page_response
from msmebazaar.shared.public_cache import PublicCacheDep
from msmebazaar.shared.responses import DataResponse, ListResponse, error_responses, ok
from msmebazaar.shared.runtime import RuntimeDep

router = APIRouter(prefix="/msmes", tags=["msme"])

OwnerDep = Annotated[Principal, Depends(require_role(UserRole.MSME_OWNER))]


async def conflict_allowance(runtime: RuntimeDep) -> ConflictAllowance:
    """Each user's daily allowance of identifier conflicts, on the app's rate limiter."""
    return ConflictAllowance(runtime.rate_limiter)


AllowanceDep = Annotated[ConflictAllowance, Depends(conflict_allowance)]


@router.get("/sectors", response_model=ListResponse[SectorRead])
async def list_sectors() -> ListResponse[SectorRead]:
    """The fixed sector taxonomy: codes to use in `sector`, names in English and Hindi."""
    items = [SectorRead.model_validate(sector) for sector in SECTORS]
    return ListResponse[SectorRead](
        data=items,
        pagination={"page": 1, "page_size": len(items), "total": len(items), "pages": 1},
    )


@router.get("/mine", response_model=ListResponse[MsmeRead], responses=error_responses(401))
async def list_my_profiles(
    session: SessionDep, user: SignedIn, page: PageDep
) -> ListResponse[MsmeRead]:
    """Your business profiles, newest first."""
    items, total = await profiles.list_owned(session, user.id, page)
    return page_response(items, total=total, params=page)


@router.get("", response_model=ListResponse[MsmeCard], dependencies=[PublicCacheDep])
async def discover_profiles(
    session: SessionDep,
    page: PageDep,
    *,
    sector: Annotated[str | None, Query(max_length=40, description="A sector code.")] = None,
    state: Annotated[str | None, Query(max_length=60, description="State, full name.")] = None,
    city: Annotated[str | None, Query(max_length=100)] = None,
    classification: Classification | None = None,
    verified: Annotated[
        bool | None, Query(description="Only verified profiles are public; `false` finds none.")
    ] = None,
    q: Annotated[
        str | None, Query(max_length=100, description="Words in the name, products, description.")
    ] = None,
) -> ListResponse[MsmeCard]:
    """Discover verified businesses (profiles with an anonymous listing are not listed)."""
    filters = profiles.DiscoveryFilters(
        sector=sector,
        state=state,
        city=city,
        classification=classification,
        verified=verified,
        q=q,
    )
    items, total = await profiles.discover(session, filters, page)
    return page_response(items, total=total, params=page)


@router.post(
    "",
    status_code=201,
    response_model=DataResponse[MsmeRead],
    responses=error_responses(401, 403, 409, 429),
)
async def create_profile(
    body: MsmeCreate, runtime: RuntimeDep, owner: OwnerDep, allowance: AllowanceDep
) -> DataResponse[MsmeRead]:
    """Create a business profile (`pending` until an admin verifies it)."""
    created = await service.register_profile(runtime.database, allowance, owner, body)
    return ok(created, "Profile created.")


@router.get(
    "/{msme_id}",
    response_model=DataResponse[MsmeRead | MsmeCard],
    responses=error_responses(401, 404),  # 401: a bad token is refused, not ignored
)
async def get_profile(
    msme: VisibleMsme, session: SessionDep, viewer: OptionalUser
) -> DataResponse[MsmeRead | MsmeCard]:
    """A business profile, if you may see it (else 404); visitors get its public card."""
    return ok(await profiles.view_profile(session, msme, viewer))


@router.patch(
    "/{msme_id}",
    response_model=DataResponse[MsmeRead],
    responses=error_responses(401, 403, 404, 409, 429),
)
async def update_profile(
    msme_id: MsmeIdPath,
    body: MsmeUpdate,
    runtime: RuntimeDep,
    user: SignedIn,
    allowance: AllowanceDep,
) -> DataResponse[MsmeRead]:
    """Change a profile you own; send `version` to refuse a stale edit (409)."""
    database = runtime.database
    changed = await service.change_owned_profile(database, allowance, user, msme_id, body)
    return ok(changed, "Profile updated.")


@router.delete(
    "/{msme_id}", response_model=DataResponse[None], responses=error_responses(401, 403, 404)
)
async def delete_profile(msme: OwnedMsme, session: SessionDep) -> DataResponse[None]:
    """Delete a profile you own (it disappears from every view)."""
    await profiles.delete_profile(session, msme)
    return ok(None, "Profile deleted.")
