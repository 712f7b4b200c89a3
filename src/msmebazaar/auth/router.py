"""Auth endpoints (DESIGN.md §3 "Auth"): thin, each one service call."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth import service
from msmebazaar.auth.schemas import (
    Language,
    LogoutRequest,
    LogoutResult,
    MfaRequired,
    MfaVerify,
    OtpRequest,
    OtpRequested,
    OtpVerify,
    Principal,
    RecoveryCodes,
    RefreshRequest,
    SecondFactorStatus,
    SessionRead,
    TokenResponse,
    TotpCode,
    TotpSetup,
    UserRead,
    UserUpdate,
)
from msmebazaar.auth.tokens import TokenCodec
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.i18n import HeaderLanguage
from msmebazaar.shared.pagination import PageDep, page_response
from msmebazaar.shared.responses import DataResponse, ListResponse, error_responses, ok
from msmebazaar.shared.runtime import Runtime, RuntimeDep
from msmebazaar.shared.security import client_ip

router = APIRouter(prefix="/auth", tags=["auth"])
NO_STORE = "no-store"  # token responses must not be cached anywhere (RFC 6749 §5.1)
# An app's own random install id (16–128 URL-safe characters), so its sign-ins are one device.
DEVICE_ID_HEADER = "x-device-id"


@router.post(
    "/otp/request",
    response_model=DataResponse[OtpRequested],
    response_model_exclude_none=True,
    responses=error_responses(429),
)
async def request_otp(
    body: OtpRequest, request: Request, runtime: RuntimeDep, codec: service.CodecDep
) -> DataResponse[OtpRequested]:
    """Send a 6-digit sign-in code by SMS to an Indian mobile number."""
    result = await service.request_code(
        runtime.database,
        runtime.rate_limiter,
        codec,
        runtime.settings,
        phone=service.parse_phone(body.phone),
        client_ip=client_ip(request.scope, runtime.settings.app.trusted_proxies),
    )
    return ok(result, "Code sent.")


@router.post(
    "/otp/verify",
    response_model=DataResponse[TokenResponse | MfaRequired],
    responses=error_responses(400, 403, 429),
)
async def verify_otp(
    body: OtpVerify,
    *,
    request: Request,
    response: Response,
    runtime: RuntimeDep,
    codec: service.CodecDep,
    language: HeaderLanguage,
) -> DataResponse[TokenResponse | MfaRequired]:
    """Sign in with the code; the first sign-in of a phone creates its user. With two-step
    sign-in on, the answer is `{mfa_required: true, mfa_token}` instead of tokens: finish with
    `POST /auth/2fa/verify`. An app may send its install id as `X-Device-Id`, so the user is
    told only of sign-ins from new devices."""
    response.headers["Cache-Control"] = NO_STORE
    place = _place(request, runtime)
    signed_in = await service.sign_in(
        runtime.database,
        codec,
        runtime.settings,
        body,
        phone=service.parse_phone(body.phone),
        language=Language(language),
        user_agent=place.user_agent,
        client_ip=place.client_ip,
        device_id=place.device_id,
    )
    if isinstance(signed_in, MfaRequired):
        return ok(signed_in, "Enter the code from your authenticator app.")
    tokens = await service.issue_tokens(runtime.database, codec, signed_in.principal)
    return ok(tokens, "Signed in.")


def _place(request: Request, runtime: Runtime) -> service.Place:
    return service.Place(
        user_agent=request.headers.get("user-agent"),
        client_ip=client_ip(request.scope, runtime.settings.app.trusted_proxies),
        device_id=request.headers.get(DEVICE_ID_HEADER),
    )


@router.post(
    "/2fa/verify",
    response_model=DataResponse[TokenResponse],
    responses=error_responses(400, 401, 403, 429),
)
async def verify_second_factor(
    body: MfaVerify,
    request: Request,
    response: Response,
    runtime: RuntimeDep,
    codec: service.CodecDep,
) -> DataResponse[TokenResponse]:
    """Finish a sign-in with the code from your authenticator app or a recovery code."""
    response.headers["Cache-Control"] = NO_STORE
    signed_in = await service.complete_second_factor(
        runtime.database,
        codec,
        runtime.rate_limiter,
        runtime.settings,
        body,
        place=_place(request, runtime),
    )
    tokens = await service.issue_tokens(runtime.database, codec, signed_in.principal)
    return ok(tokens, "Signed in.")


@router.get("/2fa", response_model=DataResponse[SecondFactorStatus], responses=error_responses(401))
async def second_factor_status(
    session: SessionDep, user: service.EnrollingUser
) -> DataResponse[SecondFactorStatus]:
    """Whether my two-step sign-in is on, and how many recovery codes are left."""
    return ok(await service.second_factor_status(session, user))


@router.post(
    "/2fa/totp/setup", response_model=DataResponse[TotpSetup], responses=error_responses(401, 409)
)
async def set_up_totp(
    response: Response, runtime: RuntimeDep, session: SessionDep, user: service.EnrollingUser
) -> DataResponse[TotpSetup]:
    """A new secret for an authenticator app (and its `otpauth://` URI for a QR code); it is
    on only once `POST /auth/2fa/totp/enable` proves the app holds it."""
    response.headers["Cache-Control"] = NO_STORE
    return ok(await service.setup_totp(session, runtime.settings.auth, user), "Scan the code.")


@dataclass(frozen=True)
class CodeCaller:
    """A signed-in caller about to spend a second-factor code, within the hourly limits."""

    user: Principal
    runtime: Runtime
    session: AsyncSession
    codec: TokenCodec


async def code_caller(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    codec: service.CodecDep,
    user: service.EnrollingUser,
) -> CodeCaller:
    """FastAPI dependency: the caller, once this code check is counted against their and their
    address's hourly limits (429 beyond them)."""
    await service.enforce_check_limits(
        runtime.rate_limiter,
        runtime.settings.auth,
        user_id=user.id,
        client_ip=client_ip(request.scope, runtime.settings.app.trusted_proxies),
    )
    return CodeCaller(user, runtime, session, codec)


CodeCallerDep = Annotated[CodeCaller, Depends(code_caller)]


@router.post(
    "/2fa/totp/enable",
    response_model=DataResponse[RecoveryCodes],
    responses=error_responses(400, 401, 409, 429),
)
async def enable_totp(
    body: TotpCode, response: Response, caller: CodeCallerDep
) -> DataResponse[RecoveryCodes]:
    """Turn two-step sign-in on with the app's current code; answers the ten recovery codes,
    shown this once."""
    response.headers["Cache-Control"] = NO_STORE
    codes = await service.enable_totp(
        caller.session,
        caller.runtime.cache,
        caller.codec,
        caller.runtime.settings.auth,
        principal=caller.user,
        code=body.code,
    )
    return ok(RecoveryCodes(recovery_codes=codes), "Two-step sign-in is on.")


@router.post(
    "/2fa/totp/disable",
    response_model=DataResponse[SecondFactorStatus],
    responses=error_responses(400, 401, 409, 429),
)
async def disable_totp(body: TotpCode, caller: CodeCallerDep) -> DataResponse[SecondFactorStatus]:
    """Turn two-step sign-in off with a current code or a recovery code."""
    await service.disable_totp(
        caller.session,
        caller.runtime.cache,
        caller.codec,
        caller.runtime.settings.auth,
        principal=caller.user,
        code=body.code,
    )
    status = await service.second_factor_status(caller.session, caller.user)
    return ok(status, "Two-step sign-in is off.")


@router.post(
    "/2fa/recovery-codes",
    response_model=DataResponse[RecoveryCodes],
    responses=error_responses(400, 401, 409, 429),
)
async def renew_recovery_codes(
    body: TotpCode, response: Response, caller: CodeCallerDep
) -> DataResponse[RecoveryCodes]:
    """Ten new recovery codes for a current code (the old ones stop working), shown once."""
    response.headers["Cache-Control"] = NO_STORE
    codes = await service.renew_recovery_codes(
        caller.session, caller.codec, caller.runtime.settings.auth, caller.user, body.code
    )
    return ok(RecoveryCodes(recovery_codes=codes), "New recovery codes made.")


@router.post(
    "/token/refresh",
    response_model=DataResponse[TokenResponse],
    responses=error_responses(401, 403),
)
async def refresh_token(
    body: RefreshRequest, response: Response, runtime: RuntimeDep, codec: service.CodecDep
) -> DataResponse[TokenResponse]:
    """Exchange a refresh token for a new pair; the old one is spent."""
    response.headers["Cache-Control"] = NO_STORE
    tokens = await service.refresh_tokens(
        runtime.database,
        codec,
        runtime.cache,
        body.refresh_token,
        grace_seconds=runtime.settings.auth.refresh_reuse_grace_seconds,
    )
    return ok(tokens, "Tokens refreshed.")


@router.post("/logout", response_model=DataResponse[LogoutResult], responses=error_responses(401))
async def logout(
    body: LogoutRequest, runtime: RuntimeDep, session: SessionDep, user: service.EnrollingUser
) -> DataResponse[LogoutResult]:
    """End this sign-in session and the refresh-token family given."""
    ended = await service.logout(session, runtime.cache, user, body.refresh_token)
    return ok(LogoutResult(sessions_ended=ended), "Signed out.")


@router.get("/me", response_model=DataResponse[UserRead], responses=error_responses(401, 403))
async def read_me(user: service.EnrollingUser) -> DataResponse[UserRead]:
    """The signed-in user."""
    return ok(user.user)


@router.patch("/me", response_model=DataResponse[UserRead], responses=error_responses(401, 403))
async def update_me(
    body: UserUpdate, runtime: RuntimeDep, session: SessionDep, user: service.EnrollingUser
) -> DataResponse[UserRead]:
    """Change your name, email, language, or role among msme_owner, buyer and investor."""
    updated = await service.update_me(session, runtime.cache, user, body)
    return ok(updated, "Profile updated.")


@router.get("/sessions", response_model=ListResponse[SessionRead], responses=error_responses(401))
async def my_sessions(
    runtime: RuntimeDep, session: SessionDep, user: service.EnrollingUser, page: PageDep
) -> ListResponse[SessionRead]:
    """My live sign-ins (apps and browsers): device, network, when made and last used."""
    found = await service.list_sessions(session, user, runtime.settings.auth)
    shown = found[page.offset : page.offset + page.page_size]
    return page_response(shown, total=len(found), params=page)


@router.delete(
    "/sessions/{session_id}",
    response_model=DataResponse[SessionRead],
    responses=error_responses(401, 404),
)
async def end_my_session(
    session_id: Annotated[uuid.UUID, Path(description="One of my sign-ins' id.")],
    runtime: RuntimeDep,
    session: SessionDep,
    user: service.CurrentUser,
) -> DataResponse[SessionRead]:
    """End one of my sign-ins at once: its tokens and its portal cookie stop working."""
    ended = await service.end_session(session, runtime.cache, user, session_id)
    return ok(ended, "Signed out of that sign-in.")
