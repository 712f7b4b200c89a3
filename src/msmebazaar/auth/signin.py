"""The sign-in flow: ask for a code, verify it, get tokens."""

from __future__ import annotations

from msmebazaar.auth.exceptions import AccountSuspendedError, OtpInvalidError, RoleNotAllowedError
from msmebazaar.auth.otp import (
    CodeCheck,
    check_code,
    enforce_ip_limit,
    issue_code,
    locked_error,
    record_check,
)
from msmebazaar.auth.schemas import (
    SELF_SERVICE_ROLES,
    Language,
    OtpRequested,
    OtpVerify,
    TokenResponse,
    UserStatus,
)
from msmebazaar.auth.sessions import start_session
from msmebazaar.auth.tokens import TokenCodec
from msmebazaar.auth.users import record_login, user_for_sign_in
from msmebazaar.shared.config import Settings
from msmebazaar.shared.db import Database
from msmebazaar.shared.ratelimit import RateLimiter


async def request_code(
    database: Database,
    limiter: RateLimiter,
    codec: TokenCodec,
    settings: Settings,
    *,
    phone: str,
    client_ip: str,
) -> OtpRequested:
    """Issue a sign-in code for a phone and queue its SMS; echo it only when allowed."""
    await enforce_ip_limit(limiter, client_ip, settings.auth)
    async with database.session() as session:
        issued = await issue_code(
            session, limiter, codec, phone=phone, settings=settings.auth, sms=settings.sms
        )
    echo = settings.auth.otp_echo and not settings.is_production
    return OtpRequested(
        expires_in=issued.expires_in,
        resend_after=issued.resend_after,
        debug_code=issued.code if echo else None,
    )


async def verify_code(
    database: Database,
    codec: TokenCodec,
    settings: Settings,
    request: OtpVerify,
    *,
    phone: str,
    language: Language,
    user_agent: str | None,
) -> TokenResponse:
    """Check the code and sign in, creating the user on first sign-in. A spent try is
    committed even when the answer is an error, so wrong guesses always count."""
    if request.role is not None and request.role not in SELF_SERVICE_ROLES:
        raise RoleNotAllowedError("The admin role is given only by an administrator.")
    tokens: TokenResponse | None = None
    error: Exception | None = None
    async with database.session() as session:
        check = await check_code(session, codec, phone, request.code, settings.auth)
        if check is CodeCheck.LOCKED:
            error = await locked_error(session, phone, settings.auth)
        elif check is CodeCheck.VALID:
            user = await user_for_sign_in(
                session, phone=phone, role=request.role, name=request.name, language=language
            )
            if user.status == UserStatus.SUSPENDED:
                error = AccountSuspendedError()
            else:
                tokens = await start_session(session, codec, user, user_agent=user_agent)
    if tokens is not None:  # counted once committed
        record_check(CodeCheck.VALID.value)
        record_login(tokens.user.role)
        return tokens
    record_check("suspended" if isinstance(error, AccountSuspendedError) else check.value)
    raise error or OtpInvalidError()
