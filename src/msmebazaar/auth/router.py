"""Auth endpoints (DESIGN.md §3 "Auth"): thin, each one service call."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from msmebazaar.auth import service
from msmebazaar.auth.schemas import (
    Language,
    LogoutRequest,
    LogoutResult,
    OtpRequest,
    OtpRequested,
    OtpVerify,
    RefreshRequest,
    TokenResponse,
    UserRead,
    UserUpdate,
)
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.responses import DataResponse, error_responses, ok
from msmebazaar.shared.security import client_ip

router = APIRouter(prefix="/auth", tags=["auth"])
NO_STORE = "no-store"  # token responses must not be cached anywhere (RFC 6749 §5.1)


def _language(request: Request) -> Language:
    header = request.headers.get("accept-language", "").strip().lower()
    return Language.HI if header.startswith("hi") else Language.EN


@router.post(
    "/otp/request",
    response_model=DataResponse[OtpRequested],
    response_model_exclude_none=True,
    responses=error_responses(429),
)
async def request_otp(
    body: OtpRequest, request: Request, codec: service.CodecDep
) -> DataResponse[OtpRequested]:
    """Send a 6-digit sign-in code by SMS to an Indian mobile number."""
    state = request.app.state
    result = await service.request_code(
        state.db,
        state.rate_limiter,
        codec,
        state.settings,
        phone=service.parse_phone(body.phone),
        client_ip=client_ip(request.scope, state.settings.app.trusted_proxies),
    )
    return ok(result, "Code sent.")


@router.post(
    "/otp/verify",
    response_model=DataResponse[TokenResponse],
    responses=error_responses(400, 403, 429),
)
async def verify_otp(
    body: OtpVerify, request: Request, response: Response, codec: service.CodecDep
) -> DataResponse[TokenResponse]:
    """Sign in with the code; the first sign-in of a phone creates its user."""
    response.headers["Cache-Control"] = NO_STORE
    tokens = await service.verify_code(
        request.app.state.db,
        codec,
        request.app.state.settings,
        body,
        phone=service.parse_phone(body.phone),
        language=_language(request),
        user_agent=request.headers.get("user-agent"),
    )
    return ok(tokens, "Signed in.")


@router.post(
    "/token/refresh",
    response_model=DataResponse[TokenResponse],
    responses=error_responses(401, 403),
)
async def refresh_token(
    body: RefreshRequest, request: Request, response: Response, codec: service.CodecDep
) -> DataResponse[TokenResponse]:
    """Exchange a refresh token for a new pair; the old one is spent."""
    response.headers["Cache-Control"] = NO_STORE
    state = request.app.state
    tokens = await service.refresh_tokens(
        state.db,
        codec,
        state.cache,
        body.refresh_token,
        grace_seconds=state.settings.auth.refresh_reuse_grace_seconds,
    )
    return ok(tokens, "Tokens refreshed.")


@router.post("/logout", response_model=DataResponse[LogoutResult], responses=error_responses(401))
async def logout(
    body: LogoutRequest, request: Request, session: SessionDep, user: service.CurrentUser
) -> DataResponse[LogoutResult]:
    """End this sign-in session and the refresh-token family given."""
    ended = await service.logout(session, request.app.state.cache, user, body.refresh_token)
    return ok(LogoutResult(sessions_ended=ended), "Signed out.")


@router.get("/me", response_model=DataResponse[UserRead], responses=error_responses(401, 403))
async def read_me(user: service.CurrentUser) -> DataResponse[UserRead]:
    """The signed-in user."""
    return ok(user.user)


@router.patch("/me", response_model=DataResponse[UserRead], responses=error_responses(401, 403))
async def update_me(
    body: UserUpdate, request: Request, session: SessionDep, user: service.CurrentUser
) -> DataResponse[UserRead]:
    """Change your name, email, language, or role among msme_owner, buyer and investor."""
    updated = await service.update_me(session, request.app.state.cache, user, body)
    return ok(updated, "Profile updated.")
