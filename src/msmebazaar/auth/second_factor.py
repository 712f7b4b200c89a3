"""The second factor: a TOTP authenticator (RFC 6238: 30-second steps, 6 digits, one step either
side accepted) and ten single-use recovery codes.

- The TOTP secret is stored encrypted (Fernet, keys from `MFA_ENCRYPTION_KEY`), and is on only
  once a first code proved the user's app holds it.
- A code is accepted once: the last accepted step is kept, and a code of that step or an earlier
  one is refused (a compare-and-set, so two requests racing with one code cannot both pass).
- Recovery codes are stored as keyed hashes and spent by a compare-and-set as well.

Every check counts against per-user and per-address limits (`MFA_MAX_PER_*_PER_HOUR`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from datetime import datetime
from typing import Any, Literal

import pyotp
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.devices import notify_security_change
from msmebazaar.auth.events import SecondFactorChanged
from msmebazaar.auth.exceptions import (
    MfaAlreadyEnabledError,
    MfaCodeInvalidError,
    MfaNotEnabledError,
    MfaSetupRequiredError,
)
from msmebazaar.auth.models import AuthSession, RecoveryCode, TotpFactor, User
from msmebazaar.auth.schemas import Principal, SecondFactorStatus, TotpSetup, UserRole
from msmebazaar.auth.sessions import forget_session, forget_user_sessions, revoke_user_sessions
from msmebazaar.auth.tokens import TokenCodec
from msmebazaar.shared.cache import Cache
from msmebazaar.shared.config import AuthSettings
from msmebazaar.shared.db import dialect_insert, utcnow
from msmebazaar.shared.events import publish
from msmebazaar.shared.metrics import counter
from msmebazaar.shared.ratelimit import RateLimiter

ISSUER = "MSMEBazaar"
STEP_SECONDS = 30
DIGITS = 6
RECOVERY_CODE_COUNT = 10
# Lower case letters and digits that cannot be misread for one another (no 0/o, 1/l/i).
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_HALF = 5  # shown as "xxxxx-xxxxx": about 49 bits

# Roles that may not act without a second factor (DESIGN.md §3): everything they can do is
# everyone's data.
REQUIRED_FOR = frozenset({UserRole.ADMIN})

MFA_VERIFIED = counter(
    "auth_mfa_verified_total",
    "Second-factor code checks, by result (totp, recovery_code, invalid, locked, token_invalid).",
    ("result",),
)

Factor = Literal["totp", "recovery_code"]
SECOND_FACTOR_RESET = "second_factor_reset"  # why the sessions of a reset user ended
OPERATOR_SESSION = uuid.UUID(int=0)  # a change made by an operator's command, in no sign-in


def required_for(role: UserRole) -> bool:
    """Whether a role needs a second factor to act."""
    return role in REQUIRED_FOR


class SecretBox:
    """Encrypts and decrypts TOTP secrets with the configured Fernet keys (the first encrypts,
    every one decrypts, so keys rotate without a migration)."""

    def __init__(self, settings: AuthSettings) -> None:
        if settings.mfa_encryption_key is not None:
            keys = [k.strip() for k in settings.mfa_encryption_key.get_secret_value().split(",")]
        else:  # development and tests only: production refuses to start without the setting
            material = settings.jwt_secret.get_secret_value().encode()
            derived = hmac.new(material, b"msmebazaar/totp-secret", hashlib.sha256).digest()
            keys = [base64.urlsafe_b64encode(derived).decode()]
        self._fernet = MultiFernet([Fernet(key) for key in keys])

    def seal(self, secret: str) -> str:
        """The secret, encrypted for storage."""
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        """The secret stored as `sealed` (a key that is gone is a configuration error)."""
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken as exc:
            raise RuntimeError("A TOTP secret does not open with MFA_ENCRYPTION_KEY") from exc


def _normalized(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The 30-second step whose code `code` is (this one or one either side), or None."""
    if len(code) != DIGITS or not (code.isascii() and code.isdigit()):  # "१२३४५६" is digits too
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    current = totp.timecode(now)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _new_recovery_code() -> str:
    chars = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(2 * _RECOVERY_HALF))
    return f"{chars[:_RECOVERY_HALF]}-{chars[_RECOVERY_HALF:]}"


async def enforce_check_limits(
    limiter: RateLimiter, settings: AuthSettings, *, user_id: uuid.UUID, client_ip: str
) -> None:
    """Count one second-factor check against the user's and the address's hourly limits
    (429 beyond them). Fails closed like the OTP throttles: no unthrottled guessing."""
    await limiter.enforce(
        f"{settings.mfa_max_per_ip_per_hour}/hour",
        "mfa-ip",
        client_ip,
        message="Too many second-factor codes from your network. Try again later.",
        fail_open=False,
    )
    await limiter.enforce(
        f"{settings.mfa_max_per_user_per_hour}/hour",
        "mfa-user",
        user_id.hex,
        message="Too many second-factor codes for this account. Try again later.",
        fail_open=False,
    )


async def _factor(
    session: AsyncSession, user_id: uuid.UUID, *, lock: bool = False
) -> TotpFactor | None:
    """The user's factor row; `lock` holds it (PostgreSQL) for a change that reads, then writes
    more than the row (recovery codes), so two such changes run one after the other."""
    statement = select(TotpFactor).where(TotpFactor.user_id == user_id)
    return await session.scalar(statement.with_for_update() if lock else statement)


async def is_enabled(session: AsyncSession, user_id: uuid.UUID) -> bool:
    """Whether the user has two-step sign-in on."""
    enabled = await session.scalar(
        select(TotpFactor.enabled_at).where(TotpFactor.user_id == user_id)
    )
    return enabled is not None


async def status(session: AsyncSession, principal: Principal) -> SecondFactorStatus:
    """Whether the caller's two-step sign-in is on, and how many recovery codes are left."""
    factor = await _factor(session, principal.id)
    left = await session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == principal.id, RecoveryCode.used_at.is_(None))
    )
    enabled_at = factor.enabled_at if factor is not None else None
    return SecondFactorStatus(
        enabled=enabled_at is not None,
        enabled_at=enabled_at,
        recovery_codes_left=int(left or 0) if enabled_at is not None else 0,
        required=required_for(principal.role),
    )


async def setup_totp(
    session: AsyncSession, settings: AuthSettings, principal: Principal
) -> TotpSetup:
    """A new secret for the caller's authenticator app, kept until a first code proves it
    (replacing an earlier set-up not finished); 409 while two-step sign-in is on."""
    secret = pyotp.random_base32()  # 160 bits, as RFC 4226 recommends
    values: dict[str, Any] = {
        "secret_encrypted": SecretBox(settings).seal(secret),
        "created_at": utcnow(),
        "last_used_step": None,
    }
    insert = dialect_insert(session, TotpFactor).values(user_id=principal.id, **values)
    upsert = insert.on_conflict_do_update(
        index_elements=[TotpFactor.user_id], set_=values, where=TotpFactor.enabled_at.is_(None)
    ).returning(TotpFactor.user_id)
    if (await session.execute(upsert)).first() is None:
        raise MfaAlreadyEnabledError()
    return _setup_of(secret, principal)


async def pending_totp(
    session: AsyncSession, settings: AuthSettings, principal: Principal
) -> TotpSetup | None:
    """The caller's set-up not yet proved by a first code (to show its QR code again), or None."""
    factor = await _factor(session, principal.id)
    if factor is None or factor.enabled_at is not None:
        return None
    return _setup_of(SecretBox(settings).open(factor.secret_encrypted), principal)


def _setup_of(secret: str, principal: Principal) -> TotpSetup:
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    # The label shows in the app; the last four digits tell two accounts apart without the
    # whole number.
    label = f"{principal.user.phone[:3]} …{principal.user.phone[-4:]}"
    uri = totp.provisioning_uri(name=label, issuer_name=ISSUER)
    return TotpSetup(secret=secret, otpauth_uri=uri)


async def _claim_step(
    session: AsyncSession, factor: TotpFactor, step: int, *, enabling: bool
) -> bool:
    """Record `step` as the last accepted one unless it (or a later one) already was, and the
    secret is still the one the code was checked against (a set-up may have replaced it)."""
    unused = (TotpFactor.last_used_step.is_(None)) | (TotpFactor.last_used_step < step)
    on = TotpFactor.enabled_at.is_(None) if enabling else TotpFactor.enabled_at.is_not(None)
    values: dict[str, Any] = {"last_used_step": step}
    if enabling:
        values["enabled_at"] = utcnow()
    result: Any = await session.execute(
        update(TotpFactor)
        .where(
            TotpFactor.user_id == factor.user_id,
            TotpFactor.secret_encrypted == factor.secret_encrypted,
            on,
            unused,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)


async def enable_totp(
    session: AsyncSession,
    cache: Cache,
    codec: TokenCodec,
    settings: AuthSettings,
    *,
    principal: Principal,
    code: str,
) -> list[str]:
    """Turn two-step sign-in on with a first code from the app; the ten recovery codes (the
    only time they are shown). The sign-in doing it counts as having proved it."""
    factor = await _factor(session, principal.id, lock=True)
    if factor is None:
        raise MfaSetupRequiredError()
    if factor.enabled_at is not None:
        raise MfaAlreadyEnabledError()
    secret = SecretBox(settings).open(factor.secret_encrypted)
    step = _matching_step(secret, _normalized(code), utcnow())
    if step is None:
        MFA_VERIFIED.labels("invalid").inc()
        raise MfaCodeInvalidError()
    if not await _claim_step(session, factor, step, enabling=True):
        raise MfaAlreadyEnabledError()  # another request turned it on a moment ago
    codes = await _new_recovery_codes(session, codec, principal.id)
    await _mark_session(session, principal.session_id)
    user = principal.user
    notify_security_change(session, user.phone, user.language.value, "second_factor_on")
    await forget_session(cache, principal.session_id)
    _announce(session, principal, SecondFactorChanged.ENABLED)
    MFA_VERIFIED.labels("totp").inc()
    return codes


def _announce(session: AsyncSession, principal: Principal, change: str) -> None:
    event = SecondFactorChanged(principal.id, principal.role.value, change, principal.session_id)
    publish(session, event)


async def renew_recovery_codes(
    session: AsyncSession,
    codec: TokenCodec,
    settings: AuthSettings,
    principal: Principal,
    code: str,
) -> list[str]:
    """Ten new recovery codes for a current code (or a recovery code); the old ones stop
    working."""
    factor = await _factor(session, principal.id, lock=True)
    if factor is None or factor.enabled_at is None:
        raise MfaNotEnabledError()
    await _spend(session, codec, settings, principal, code)
    return await _new_recovery_codes(session, codec, principal.id)


async def _spend(
    session: AsyncSession,
    codec: TokenCodec,
    settings: AuthSettings,
    principal: Principal,
    code: str,
) -> Factor:
    used = await check_code(session, codec, settings, principal.id, code)
    MFA_VERIFIED.labels(used or "invalid").inc()
    if used is None:
        raise MfaCodeInvalidError()
    return used


async def _new_recovery_codes(
    session: AsyncSession, codec: TokenCodec, user_id: uuid.UUID
) -> list[str]:
    await session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    now = utcnow()
    session.add_all(
        RecoveryCode(
            id=uuid.uuid4(),
            user_id=user_id,
            code_hash=codec.mfa_hash(_normalized(code)),
            created_at=now,
        )
        for code in codes
    )
    await session.flush()
    return codes


async def _mark_session(session: AsyncSession, session_id: uuid.UUID) -> None:
    await session.execute(
        update(AuthSession)
        .where(AuthSession.id == session_id)
        .values(second_factor_at=utcnow())
        .execution_options(synchronize_session=False)
    )


async def check_code(
    session: AsyncSession,
    codec: TokenCodec,
    settings: AuthSettings,
    user_id: uuid.UUID,
    code: str,
) -> Factor | None:
    """Spend a code of the user's second factor: "totp" or "recovery_code" when it was right
    and not used before, else None (wrong, reused, expired or malformed: one answer)."""
    factor = await _factor(session, user_id)
    if factor is None or factor.enabled_at is None:
        return None
    normalized = _normalized(code)
    now = utcnow()
    if normalized.isascii() and normalized.isdigit():
        step = _matching_step(SecretBox(settings).open(factor.secret_encrypted), normalized, now)
        if step is not None and await _claim_step(session, factor, step, enabling=False):
            return "totp"
        return None
    spent: Any = await session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user_id,
            RecoveryCode.code_hash == codec.mfa_hash(normalized),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return "recovery_code" if spent.rowcount else None


async def disable_totp(
    session: AsyncSession,
    cache: Cache,
    codec: TokenCodec,
    settings: AuthSettings,
    *,
    principal: Principal,
    code: str,
) -> None:
    """Turn two-step sign-in off with a current code (or a recovery code): the secret and the
    recovery codes are deleted, and no sign-in counts as having proved a second factor."""
    factor = await _factor(session, principal.id, lock=True)
    if factor is None or factor.enabled_at is None:
        raise MfaNotEnabledError()
    await _spend(session, codec, settings, principal, code)
    await session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == principal.id))
    await session.execute(delete(TotpFactor).where(TotpFactor.user_id == principal.id))
    await session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == principal.id)
        .values(second_factor_at=None)
        .execution_options(synchronize_session=False)
    )
    await forget_user_sessions(session, cache, principal.id)
    _announce(session, principal, SecondFactorChanged.DISABLED)


async def reset_for_user(session: AsyncSession, cache: Cache, user_id: uuid.UUID) -> bool:
    """Remove a user's second factor for them, when they lost both the app and the recovery
    codes (an operator's command, after checking who they are): the factor and the codes go,
    every sign-in of theirs ends, and they set it up again. False when they had none."""
    factor = await _factor(session, user_id, lock=True)
    user = await session.get(User, user_id)
    if factor is None or user is None:
        return False
    await session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    await session.execute(delete(TotpFactor).where(TotpFactor.user_id == user_id))
    await revoke_user_sessions(session, cache, user_id, SECOND_FACTOR_RESET)
    change = SecondFactorChanged.RESET
    publish(session, SecondFactorChanged(user_id, user.role, change, OPERATOR_SESSION))
    return True
