"""The sign-in flow: ask for a code, then `sign_in` with it, then, when the account has a second
factor, `complete_second_factor` (the API then gets tokens, the portal a cookie)."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth import second_factor
from msmebazaar.auth.devices import device_hash, is_new_device, notify_new_device
from msmebazaar.auth.events import SecondFactorChanged
from msmebazaar.auth.exceptions import (
    AccountSuspendedError,
    MfaAttemptsExceededError,
    MfaCodeInvalidError,
    MfaTokenInvalidError,
    OtpInvalidError,
    RoleNotAllowedError,
)
from msmebazaar.auth.models import MfaChallenge, User
from msmebazaar.auth.oidc import Identity, user_of_identity
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
    MfaRequired,
    MfaVerify,
    OtpRequested,
    OtpVerify,
    Principal,
    UserRead,
    UserStatus,
)
from msmebazaar.auth.second_factor import MFA_VERIFIED
from msmebazaar.auth.sessions import open_session
from msmebazaar.auth.tokens import TokenCodec
from msmebazaar.auth.users import record_login, user_for_sign_in
from msmebazaar.shared.config import AuthSettings, Settings
from msmebazaar.shared.db import Database, utcnow
from msmebazaar.shared.events import publish
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
) -> SignIn | MfaRequired:
    """Check the code and complete the sign-in, creating the user on first sign-in; when the
    account has a second factor, the sign-in waits for it instead (`MfaRequired`, finished by
    `complete_second_factor`). A spent try is committed even when the answer is an error, so
    wrong guesses always count."""
    if request.role is not None and request.role not in SELF_SERVICE_ROLES:
        raise RoleNotAllowedError("The admin role is given only by an administrator.")
    outcome: SignIn | MfaRequired | None = None
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
            elif not created and await second_factor.is_enabled(session, user.id):
                outcome = await open_challenge(session, codec, settings.auth, user.id)
            else:
                place = Place(user_agent, client_ip, device_id)
                outcome = await _complete(session, user, place, new_user=created)
    if outcome is not None:  # counted once committed
        record_check(CodeCheck.VALID.value)
        if isinstance(outcome, SignIn):
            record_login(outcome.principal.role)
        return outcome
    record_check("suspended" if isinstance(error, AccountSuspendedError) else check.value)
    raise error or OtpInvalidError()


@dataclass(frozen=True, slots=True)
class Place:
    """Where a sign-in comes from: the client's words for itself, its address and device id."""

    user_agent: str | None
    client_ip: str | None
    device_id: str | None


async def _complete(
    session: AsyncSession,
    user: User,
    place: Place,
    *,
    new_user: bool,
    second_factor_used: bool = False,
) -> SignIn:
    """Open the session of a sign-in that passed every check, telling the user of a new device."""
    user.last_login_at = utcnow()
    if not new_user and await is_new_device(session, user.id, place.user_agent, place.device_id):
        network = ip_prefix(place.client_ip)
        notify_new_device(session, user, user_agent=place.user_agent, network=network)
    session_id = await open_session(
        session,
        user.id,
        user_agent=place.user_agent,
        client_ip=place.client_ip,
        device_hash=device_hash(place.device_id),
        second_factor=second_factor_used,
    )
    principal = Principal(
        user=UserRead.model_validate(user), session_id=session_id, second_factor=second_factor_used
    )
    return SignIn(principal, new_user=new_user)


async def open_challenge(
    session: AsyncSession, codec: TokenCodec, settings: AuthSettings, user_id: uuid.UUID
) -> MfaRequired:
    """A sign-in waiting for the user's second factor: its single-use `mfa_token`."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        MfaChallenge(
            id=uuid.uuid4(),
            user_id=user_id,
            token_hash=codec.mfa_hash(token),
            attempts=0,
            created_at=now,
            expires_at=now + timedelta(seconds=settings.mfa_token_ttl_seconds),
        )
    )
    await session.flush()
    return MfaRequired(mfa_token=token, expires_in=settings.mfa_token_ttl_seconds)


def _open_challenge_of(codec: TokenCodec, token: str) -> ColumnElement[bool]:
    return and_(
        MfaChallenge.token_hash == codec.mfa_hash(token),
        MfaChallenge.used_at.is_(None),
        MfaChallenge.expires_at > utcnow(),
    )


async def complete_second_factor(
    database: Database,
    codec: TokenCodec,
    limiter: RateLimiter,
    settings: Settings,
    request: MfaVerify,
    *,
    place: Place,
) -> SignIn:
    """Finish a sign-in waiting for its second factor with a TOTP or a recovery code. The
    `mfa_token` is claimed for the check (so two requests cannot both use it) and given back
    with one more wrong try when the code is wrong; the fifth wrong try ends it."""
    async with database.read_session() as session:
        user_id = await session.scalar(
            select(MfaChallenge.user_id).where(_open_challenge_of(codec, request.mfa_token))
        )
    if user_id is None:
        MFA_VERIFIED.labels("token_invalid").inc()
        raise MfaTokenInvalidError()
    await second_factor.enforce_check_limits(
        limiter, settings.auth, user_id=user_id, client_ip=place.client_ip or "unknown"
    )
    outcome: SignIn | Exception
    async with database.session() as session:
        outcome = await _check_challenge(session, codec, settings.auth, request, place)
    if isinstance(outcome, Exception):
        raise outcome
    record_login(outcome.principal.role)
    return outcome


async def _check_challenge(
    session: AsyncSession,
    codec: TokenCodec,
    settings: AuthSettings,
    request: MfaVerify,
    place: Place,
) -> SignIn | Exception:
    # The error is returned, not raised, so the spent try is committed with it.
    claim = (
        update(MfaChallenge)
        .where(_open_challenge_of(codec, request.mfa_token))
        .values(used_at=utcnow())
        .returning(MfaChallenge.id, MfaChallenge.user_id, MfaChallenge.attempts)
        .execution_options(synchronize_session=False)
    )
    claimed = (await session.execute(claim)).one_or_none()
    if claimed is None:  # used or ended by a request a moment ago
        MFA_VERIFIED.labels("token_invalid").inc()
        return MfaTokenInvalidError()
    challenge_id, user_id, attempts = claimed
    used = await second_factor.check_code(session, codec, settings, user_id, request.code)
    if used is None:
        tries = attempts + 1
        ended = tries >= settings.mfa_max_attempts
        given_back: dict[str, object] = {"attempts": tries} | ({} if ended else {"used_at": None})
        await session.execute(
            update(MfaChallenge)
            .where(MfaChallenge.id == challenge_id)
            .values(**given_back)
            .execution_options(synchronize_session=False)
        )
        MFA_VERIFIED.labels("locked" if ended else "invalid").inc()
        if ended:  # a new sign-in needs a new phone code, so the wait is the resend cooldown
            return MfaAttemptsExceededError(retry_after=settings.otp_resend_cooldown_seconds)
        return MfaCodeInvalidError()
    user = await session.get_one(User, user_id)
    if user.status == UserStatus.SUSPENDED:
        return AccountSuspendedError()
    MFA_VERIFIED.labels(used).inc()
    signed_in = await _complete(session, user, place, new_user=False, second_factor_used=True)
    if used == "recovery_code":
        change = SecondFactorChanged.RECOVERY_CODE_USED
        publish(session, SecondFactorChanged(user.id, user.role, change, signed_in.session_id))
    return signed_in


async def sign_in_with_identity(
    database: Database,
    codec: TokenCodec,
    settings: Settings,
    identity: Identity,
    place: Place,
) -> SignIn | MfaRequired | None:
    """Sign in the user an OpenID Connect identity is linked to (waiting for the second factor
    when they have one on); None when it is linked to nobody yet."""
    async with database.session() as session:
        user = await user_of_identity(session, identity)
        if user is None:
            return None
        if user.status == UserStatus.SUSPENDED:
            raise AccountSuspendedError()
        if await second_factor.is_enabled(session, user.id):
            return await open_challenge(session, codec, settings.auth, user.id)
        signed_in = await _complete(session, user, place, new_user=False)
    record_login(signed_in.principal.role)
    return signed_in
