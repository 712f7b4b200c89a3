"""Request dependencies that load a profile and check who may see or change it.

Chained (fastapi-best-practices): `valid_msme_id` (exists, not deleted) → `visible_msme` (the
caller may see it, else 404) → `owned_msme` (the caller owns it or is an admin, else 403) or
`insider_msme` (owner, admin or accepted buyer, else 404).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Path

from msmebazaar.auth.service import OptionalUser, Principal
from msmebazaar.msme.exceptions import MsmeNotFoundError
from msmebazaar.msme.models import Msme
from msmebazaar.msme.privacy import identity_visible, is_insider, profile_visible
from msmebazaar.msme.repository import get_live_msme
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.exceptions import AuthenticationError, PermissionDeniedError


async def signed_in(user: OptionalUser) -> Principal:
    """The caller, who must be signed in (401 otherwise); shares `OptionalUser`'s one lookup."""
    if user is None:
        raise AuthenticationError()
    return user


SignedIn = Annotated[Principal, Depends(signed_in)]

MsmeIdPath = Annotated[uuid.UUID, Path(description="The business profile's id.")]


async def valid_msme_id(msme_id: MsmeIdPath, session: SessionDep) -> Msme:
    """The live profile named in the path; 404 `MSME_NOT_FOUND` when absent or deleted."""
    return await get_live_msme(session, msme_id)


ValidMsme = Annotated[Msme, Depends(valid_msme_id)]


async def visible_msme(msme: ValidMsme, session: SessionDep, viewer: OptionalUser) -> Msme:
    """The profile if the caller may see it (privacy rules), else 404 as if it did not exist."""
    if not await profile_visible(session, msme, viewer):
        raise MsmeNotFoundError()
    return msme


VisibleMsme = Annotated[Msme, Depends(visible_msme)]


async def owned_msme(user: SignedIn, msme: VisibleMsme) -> Msme:
    """The profile if the caller owns it or is an admin; 403 for others who may see it."""
    if not is_insider(msme, user):
        raise PermissionDeniedError(
            "Only the profile's owner or an admin may change it.", code="MSME_FORBIDDEN"
        )
    return msme


OwnedMsme = Annotated[Msme, Depends(owned_msme)]


async def insider_msme(user: SignedIn, msme: VisibleMsme, session: SessionDep) -> Msme:
    """The profile if the caller may see its private data (owner, admin, accepted buyer), or 404."""
    if not await identity_visible(session, msme, user):
        raise MsmeNotFoundError()
    return msme


InsiderMsme = Annotated[Msme, Depends(insider_msme)]
