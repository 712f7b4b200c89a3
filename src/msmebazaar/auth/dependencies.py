"""FastAPI dependencies every service uses: the signed-in user, their language, roles, and the
token codec."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

import structlog
from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from msmebazaar.auth.cookies import SESSION_COOKIE, SessionRef, signer_of
from msmebazaar.auth.exceptions import InvalidTokenError, MfaEnrollmentRequiredError
from msmebazaar.auth.schemas import Principal, UserRole
from msmebazaar.auth.second_factor import required_for
from msmebazaar.auth.sessions import load_principal, session_principal
from msmebazaar.auth.tokens import TokenCodec
from msmebazaar.shared.exceptions import AuthenticationError, PermissionDeniedError
from msmebazaar.shared.i18n import LanguageCode, resolve_language
from msmebazaar.shared.runtime import Runtime, runtime_of

bearer_scheme = HTTPBearer(
    auto_error=False,
    bearerFormat="JWT",
    description="The `access_token` from `POST /api/v1/auth/otp/verify` or `/auth/token/refresh`.",
)
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]


def codec_of(runtime: Runtime) -> TokenCodec:
    """The app's token codec, built once from its settings (any service may need it first)."""
    return runtime.part(TokenCodec, lambda: TokenCodec(runtime.settings.auth))


async def get_codec(request: Request) -> TokenCodec:
    """FastAPI dependency: the app's token codec (`codec_of`)."""
    return codec_of(runtime_of(request.app))


CodecDep = Annotated[TokenCodec, Depends(get_codec)]


async def _authenticate(request: Request, token: str, codec: TokenCodec) -> Principal:
    claims = codec.decode_access(token)
    runtime = runtime_of(request.app)
    principal = await load_principal(
        runtime.database,
        runtime.cache,
        claims,
        cache_seconds=runtime.settings.auth.session_cache_seconds,
    )
    request.state.user_id = str(principal.id)  # read by the access log
    structlog.contextvars.bind_contextvars(user_id=str(principal.id))
    return principal


async def enrolling_user(request: Request, credentials: BearerDep, codec: CodecDep) -> Principal:
    """The signed-in caller, even one who must still set up a second factor: only for what
    that set-up needs (the second-factor routes, my account, my sign-ins, logout)."""
    if credentials is None:
        if request.headers.get("authorization"):
            raise InvalidTokenError("Send the token as `Authorization: Bearer <token>`.")
        raise AuthenticationError()
    return await _authenticate(request, credentials.credentials, codec)


def lacks_second_factor(principal: Principal) -> bool:
    """Whether the principal's role needs a second factor this sign-in has not proved."""
    return required_for(principal.role) and not principal.second_factor


def require_second_factor(principal: Principal) -> Principal:
    """`principal`, unless `lacks_second_factor` (403 `MFA_ENROLLMENT_REQUIRED`)."""
    if lacks_second_factor(principal):
        raise MfaEnrollmentRequiredError()
    return principal


async def current_user(request: Request, credentials: BearerDep, codec: CodecDep) -> Principal:
    """The signed-in caller; 401 without a valid bearer token, 403 when suspended, and 403
    `MFA_ENROLLMENT_REQUIRED` for an admin whose sign-in has no second factor."""
    return require_second_factor(await enrolling_user(request, credentials, codec))


async def optional_user(
    request: Request, credentials: BearerDep, codec: CodecDep
) -> Principal | None:
    """The caller when a token is sent (a bad one is still 401), else `None` (public pages)."""
    if credentials is None and not request.headers.get("authorization"):
        return None
    return await current_user(request, credentials, codec)


async def principal_of_session(runtime: Runtime, ref: SessionRef) -> Principal:
    """The user behind a portal session (a cookie's), read as every session check reads it:
    401 once the session ended, 403 for a suspended account."""
    return await session_principal(
        runtime.database,
        runtime.cache,
        user_id=ref.user_id,
        session_id=ref.session_id,
        cache_seconds=runtime.settings.auth.session_cache_seconds,
    )


async def token_or_cookie_user(
    request: Request, credentials: BearerDep, codec: CodecDep
) -> Principal:
    """The signed-in caller by bearer token, else by the portal's session cookie: for a read the
    browser opens by itself (an `EventSource` sends no headers). Only for GET routes: a cookie
    alone never authorizes a change (a cross-site page could send it)."""
    if credentials is not None or request.headers.get("authorization"):
        return await current_user(request, credentials, codec)
    runtime = runtime_of(request.app)
    ref = signer_of(runtime).read_session(request.cookies.get(SESSION_COOKIE))
    if ref is None:
        raise AuthenticationError()
    principal = await principal_of_session(runtime, ref)
    request.state.user_id = str(principal.id)  # read by the access log
    return require_second_factor(principal)


CurrentUser = Annotated[Principal, Depends(current_user)]
TokenOrCookieUser = Annotated[Principal, Depends(token_or_cookie_user)]
EnrollingUser = Annotated[Principal, Depends(enrolling_user)]
OptionalUser = Annotated[Principal | None, Depends(optional_user)]


async def caller_language(  # async: a plain `def` dependency costs a worker-thread hop
    user: CurrentUser,
    accept_language: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> LanguageCode:
    """The signed-in caller's saved language, else `Accept-Language`, else English."""
    return resolve_language(saved=user.user.language, accept_language=accept_language)


CallerLanguage = Annotated[LanguageCode, Depends(caller_language)]


def require_role(*roles: UserRole) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting callers with one of `roles`; admins are always admitted."""
    allowed = frozenset(roles) | {UserRole.ADMIN}

    async def dependency(user: CurrentUser) -> Principal:
        if user.role not in allowed:
            names = ", ".join(sorted(role.value for role in roles)) or "admin"
            raise PermissionDeniedError(f"This needs the role {names}.")
        return user

    return dependency
