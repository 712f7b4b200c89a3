"""FastAPI dependencies every service uses: the signed-in user, roles, and the token codec."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

import structlog
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from msmebazaar.auth.exceptions import InvalidTokenError
from msmebazaar.auth.schemas import Principal, UserRole
from msmebazaar.auth.sessions import load_principal
from msmebazaar.auth.tokens import TokenCodec
from msmebazaar.shared.config import Settings
from msmebazaar.shared.exceptions import AuthenticationError, PermissionDeniedError

bearer_scheme = HTTPBearer(
    auto_error=False,
    bearerFormat="JWT",
    description="The `access_token` from `POST /api/v1/auth/otp/verify` or `/auth/token/refresh`.",
)
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]


async def get_codec(request: Request) -> TokenCodec:
    """The app's token codec, built once from its settings (any service may need it first)."""
    codec: TokenCodec | None = getattr(request.app.state, "auth_codec", None)
    if codec is None:
        settings: Settings = request.app.state.settings
        codec = TokenCodec(settings.auth)
        request.app.state.auth_codec = codec
    return codec


CodecDep = Annotated[TokenCodec, Depends(get_codec)]


async def _authenticate(request: Request, token: str, codec: TokenCodec) -> Principal:
    claims = codec.decode_access(token)
    state = request.app.state
    principal = await load_principal(
        state.db,
        state.cache,
        claims,
        cache_seconds=state.settings.auth.session_cache_seconds,
    )
    request.state.user_id = str(principal.id)  # read by the access log
    structlog.contextvars.bind_contextvars(user_id=str(principal.id))
    return principal


async def current_user(request: Request, credentials: BearerDep, codec: CodecDep) -> Principal:
    """The signed-in caller; 401 without a valid bearer token, 403 when suspended."""
    if credentials is None:
        if request.headers.get("authorization"):
            raise InvalidTokenError("Send the token as `Authorization: Bearer <token>`.")
        raise AuthenticationError()
    return await _authenticate(request, credentials.credentials, codec)


async def optional_user(
    request: Request, credentials: BearerDep, codec: CodecDep
) -> Principal | None:
    """The caller when a token is sent (a bad one is still 401), else `None` (public pages)."""
    if credentials is None and not request.headers.get("authorization"):
        return None
    return await current_user(request, credentials, codec)


CurrentUser = Annotated[Principal, Depends(current_user)]
OptionalUser = Annotated[Principal | None, Depends(optional_user)]


def require_role(*roles: UserRole) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting callers with one of `roles`; admins are always admitted."""
    allowed = frozenset(roles) | {UserRole.ADMIN}

    async def dependency(user: CurrentUser) -> Principal:
        if user.role not in allowed:
            names = ", ".join(sorted(role.value for role in roles)) or "admin"
            raise PermissionDeniedError(f"This needs the role {names}.")
        return user

    return dependency
