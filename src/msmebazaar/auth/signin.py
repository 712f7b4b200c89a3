"""The sign-in flow: ask for a code, then `sign_in` with it (the API then gets tokens, the
portal a cookie)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from msmebazaar.auth.devices import device_hash, is_new_device, notify_new_device
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
    Principal,
    UserRead,
    UserStatus,
)
from msmebazaar.auth.sessions import open_session
from msmebazaar.auth.tokens import TokenCodec
from msmebazaar.auth.users import record_login, user_for_sign_in
from msmebazaar.shared.config import Settings
from msmebazaar.shared.db import Database
from msmebazaar.shared.ratelimit import RateLimiter
from msmebazaar.shared.security import ip_prefix


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


@dataclass(frozen=True, slots=True)
class SignIn:
    """A completed sign-in: the principal (the user and the session it opened) and whether
    this sign-in created the user. Carries no credential: the caller asks auth for one (API
    tokens through `issue_tokens`, the portal's cookie through `CookieSigner`)."""

    principal: Principal
    new_user: bool

    @property
    def session_id(self) -> uuid.UUID:
        """The auth session this sign-in opened."""
        return self.principal.session_id


async def sign_in(
    database: Database,
    codec: TokenCodec,
    settings: Settings,
    request: OtpVerify,
    *,
    phone: str,
    language: Language,
    user_agent: str | None,
    client_ip: str | None = None,
    device_id: str | None = None,
) -> SignIn:
    """Check the code and complete the sign-in, creating the user on first sign-in: the one
    place a sign-in completes. A spent try is committed even when the answer is an error, so
    wrong guesses always count."""
    if request.role is not None and request.role not in SELF_SERVICE_ROLES:
        raise RoleNotAllowedError("The admin role is given only by an administrator.")
    signed_in: SignIn | None = None
    error: Exception | None = None
    async with database.session() as session:
        check = await check_code(session, codec, phone, request.code, settings.auth)
        if check is CodeCheck.LOCKED:
            error = await locked_error(session, phone, settings.auth)
        elif check is CodeCheck.VALID:
            user, created = await user_for_sign_in(
                session, phone=phone, role=request.role, name=request.name, language=language
            )
            if user.status == UserStatus.SUSPENDED:
                error = AccountSuspendedError()
            else:
                if not created and await is_new_device(session, user.id, user_agent, device_id):
                    network = ip_prefix(client_ip)
                    notify_new_device(session, user, user_agent=user_agent, network=network)
                session_id = await open_session(
                    session,
                    user.id,
                    user_agent=user_agent,
                    client_ip=client_ip,
                    device_hash=device_hash(device_id),
                )
                principal = Principal(user=UserRead.model_validate(user), session_id=session_id)
                signed_in = SignIn(principal, new_user=created)
    if signed_in is not None:  # counted once committed
        record_check(CodeCheck.VALID.value)
        record_login(signed_in.principal.role)
        return signed_in
    record_check("suspended" if isinstance(error, AccountSuspendedError) else check.value)
    raise error or OtpInvalidError()
