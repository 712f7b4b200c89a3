"""Request dependencies of the match routes: the caller's language, the index, the embedder."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from msmebazaar.auth.service import CurrentUser, Principal, UserRole, require_role
from msmebazaar.match.config import MatchSettings, get_match_settings
from msmebazaar.match.embedders import Embedder
from msmebazaar.match.index import ListingIndex
from msmebazaar.match.runtime import get_embedder
from msmebazaar.shared.i18n import LanguageCode, negotiate_language


# Every dependency here is `async def` though none awaits: FastAPI runs a plain `def` one in a
# worker thread on each request: a thread hop per dependency per request, under load.
async def caller_language(
    user: CurrentUser,
    accept_language: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> LanguageCode:
    """The signed-in user's language, else `Accept-Language`, else English."""
    return negotiate_language(accept_language, user.user.language.value)


async def listing_index(request: Request) -> ListingIndex:
    """This app's in-process listing index (made at start-up)."""
    index: ListingIndex = request.app.state.match_index
    return index


async def embedder() -> Embedder:
    """The process's embedder (`get_embedder`, as a dependency)."""
    return get_embedder()


async def match_settings() -> MatchSettings:
    """The match settings (`get_match_settings`, as a dependency)."""
    return get_match_settings()


CallerLanguage = Annotated[LanguageCode, Depends(caller_language)]
IndexDep = Annotated[ListingIndex, Depends(listing_index)]
EmbedderDep = Annotated[Embedder, Depends(embedder)]
MatchSettingsDep = Annotated[MatchSettings, Depends(match_settings)]
MandateHolder = Annotated[Principal, Depends(require_role(UserRole.BUYER, UserRole.INVESTOR))]
