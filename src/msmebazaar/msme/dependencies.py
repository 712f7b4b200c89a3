"""Request dependencies that load a profile or listing named in the path for the caller.

Each is one call into `access.py`, where the rule lives (the portal and WhatsApp reach the same
rules through `service.py`): `VisibleMsme` (the caller may see it, else 404), `OwnedMsme` (owner
or admin, else 403 or 404), `InsiderMsme` (owner, admin or accepted buyer, else 404) and
`OwnedListing` (owner or admin, else 403 or 404).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Path

from msmebazaar.auth.service import OptionalUser, Principal
from msmebazaar.msme import access
from msmebazaar.msme.models import Listing, Msme
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.exceptions import AuthenticationError


async def signed_in(user: OptionalUser) -> Principal:
    """The caller, who must be signed in (401 otherwise); shares `OptionalUser`'s one lookup."""
    if user is None:
        raise AuthenticationError()
    return user


SignedIn = Annotated[Principal, Depends(signed_in)]

MsmeIdPath = Annotated[uuid.UUID, Path(description="The business profile's id.")]
ListingIdPath = Annotated[uuid.UUID, Path(description="The listing's id.")]


async def visible_msme(msme_id: MsmeIdPath, session: SessionDep, viewer: OptionalUser) -> Msme:
    """The profile in the path if the caller may see it, else 404 as if it did not exist."""
    return await access.visible_profile(session, viewer, msme_id)


VisibleMsme = Annotated[Msme, Depends(visible_msme)]


async def owned_msme(user: SignedIn, msme_id: MsmeIdPath, session: SessionDep) -> Msme:
    """The profile in the path if the caller owns it or is an admin (else 403 or 404)."""
    return await access.owned_profile(session, user, msme_id)


OwnedMsme = Annotated[Msme, Depends(owned_msme)]


async def insider_msme(user: SignedIn, msme_id: MsmeIdPath, session: SessionDep) -> Msme:
    """The profile in the path if the caller may see its private data (else 404)."""
    return await access.insider_profile(session, user, msme_id)


InsiderMsme = Annotated[Msme, Depends(insider_msme)]


async def owned_listing(user: SignedIn, listing_id: ListingIdPath, session: SessionDep) -> Listing:
    """The listing in the path if the caller owns it or is an admin (else 403 or 404)."""
    return await access.owned_listing(session, user, listing_id)


OwnedListing = Annotated[Listing, Depends(owned_listing)]
