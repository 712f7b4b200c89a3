"""Auth endpoints (DESIGN.md §3 "Auth"): thin, each one service call."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from msmebazaar.auth import service
from msmebazaar.auth.schemas import (
    Language,
    LogoutRequest,
    LogoutResult,
    OtpRequest,
    OtpRequested,
    OtpVerify,
    RefreshRequest,
    SessionRead,
    TokenResponse,
    UserRead,
    UserUpdate,
)
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.i18n import HeaderLanguage
from msmebazaar.shared.pagination import PageDep, page_response
from msmebazaar.shared.responses import DataResponse, ListResponse, error_responses, ok
from msmebazaar.shared.runtime import RuntimeDep
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
    response_model=DataResponse[TokenResponse],
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
) -> DataResponse[TokenResponse]:
    """Sign in with the code; the first sign-in of a phone creates its user. An app may send
    its install id as `X-Device-Id`, so the user is told only of sign-ins from new devices."""
    response.headers["Cache-Control"] = NO_STORE
    signed_in = await service.sign_in(
        runtime.database,
        codec,
        runtime.settings,
        body,
        phone=service.parse_phone(body.phone),
        language=Language(language),
        user_agent=request.headers.get("user-agent"),
        client_ip=client_ip(request.scope, runtime.settings.app.trusted_proxies),
        device_id=request.headers.get(DEVICE_ID_HEADER),
    )
    tokens = await service.issue_tokens(runtime.database, codec, signed_in.principal)
    return ok(tokens, "Signed in.")


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
    body: LogoutRequest, runtime: RuntimeDep, session: SessionDep, user: service.CurrentUser
) -> DataResponse[LogoutResult]:
    """End this sign-in session and the refresh-token family given."""
    ended = await service.logout(session, runtime.cache, user, body.refresh_token)
    return ok(LogoutResult(sessions_ended=ended), "Signed out.")


@router.get("/me", response_model=DataResponse[UserRead], responses=error_responses(401, 403))
async def read_me(user: service.CurrentUser) -> DataResponse[UserRead]:
    """The signed-in user."""
    return ok(user.user)


@router.patch("/me", response_model=DataResponse[UserRead], responses=error_responses(401, 403))
async def update_me(
    body: UserUpdate, runtime: RuntimeDep, session: SessionDep, user: service.CurrentUser
) -> DataResponse[UserRead]:
    """Change your name, email, language, or role among msme_owner, buyer and investor."""
    updated = await service.update_me(session, runtime.cache, user, body)
    return ok(updated, "Profile updated.")


@router.get("/sessions", response_model=ListResponse[SessionRead], responses=error_responses(401))
async def my_sessions(
    runtime: RuntimeDep, session: SessionDep, user: service.CurrentUser, page: PageDep
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
