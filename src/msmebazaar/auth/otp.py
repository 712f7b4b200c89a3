"""Phone OTP: issuing codes behind throttles, and checking them in constant time."""

from __future__ import annotations

import enum
import hmac
import math
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.exceptions import OtpAttemptsExceededError, PhoneInvalidError
from msmebazaar.auth.models import OtpChallenge
from msmebazaar.auth.tokens import TokenCodec, new_otp_code
from msmebazaar.shared.config import AuthSettings, SmsSettings
from msmebazaar.shared.db import dialect_insert, utcnow
from msmebazaar.shared.exceptions import RateLimitedError
from msmebazaar.shared.india import InvalidIdentifier, normalize_indian_mobile
from msmebazaar.shared.metrics import counter
from msmebazaar.shared.outbox import enqueue
from msmebazaar.shared.ratelimit import RateLimiter

OTP_REQUESTED = counter("auth_otp_requested_total", "Sign-in codes issued (and queued to send).")
OTP_VERIFIED = counter(
    "auth_otp_verified_total",
    "Sign-in code checks, by result (success, invalid, expired, locked, suspended).",
    ("result",),
)

SMS_TEXT = (
    "{code} is your MSMEBazaar sign-in code. It expires in {minutes} minutes. Never share it."
)


# The OTP throttles fail closed: while their store (Redis) is unreachable no code is sent (503),
# since an unthrottled sender is an SMS-pumping hole; the cache and the global per-IP limit fail
# open instead, so everything else keeps serving (tests/proof/test_faults_redis.py).
FAIL_OPEN = False


async def enforce_ip_limit(limiter: RateLimiter, client_ip: str, settings: AuthSettings) -> None:
    """429 once a client address has asked for `OTP_MAX_PER_IP_PER_HOUR` codes this hour."""
    await limiter.enforce(
        f"{settings.otp_max_per_ip_per_hour}/hour",
        "otp-ip",
        client_ip,
        message="Too many codes requested from your network. Try again later.",
        fail_open=FAIL_OPEN,
    )


def parse_phone(raw: str) -> str:
    """The E.164 form of an Indian mobile number, or 422 `PHONE_INVALID` on `phone`."""
    try:
        return normalize_indian_mobile(raw)
    except InvalidIdentifier as exc:
        raise PhoneInvalidError.for_field("phone", exc.message) from exc


@dataclass(frozen=True)
class IssuedCode:
    code: str
    expires_in: int
    resend_after: int


async def issue_code(
    session: AsyncSession,
    limiter: RateLimiter,
    codec: TokenCodec,
    *,
    phone: str,
    settings: AuthSettings,
    sms: SmsSettings,
) -> IssuedCode:
    """Replace the phone's code with a new one and queue the SMS, within the per-phone
    throttles (the caller has checked the per-IP one)."""
    code = new_otp_code()
    if not await _replace_code(session, codec, phone, code, settings):
        raise RateLimitedError(
            "Wait before asking for another code.",
            code="OTP_RESEND_COOLDOWN",
            retry_after=await _cooldown_left(session, phone, settings),
        )
    # Counted only once the cooldown passed, so impatient taps do not use up the hour; a refusal
    # here rolls the new code back and the previous one stays valid.
    phone_key = codec.otp_hash(phone, "rate-limit")[:32]  # no phone numbers in Redis keys
    hourly = await limiter.hit(
        f"{settings.otp_max_per_phone_per_hour}/hour", "otp-phone", phone_key, fail_open=FAIL_OPEN
    )
    if not hourly.allowed:
        raise RateLimitedError(
            "Too many codes for this number. Try again later.",
            code="OTP_PHONE_LIMIT",
            retry_after=hourly.retry_after,
        )
    minutes = max(1, settings.otp_ttl_seconds // 60)
    text = SMS_TEXT.format(code=code, minutes=minutes)
    enqueue(session, "sms", phone, text, template=sms.dlt_template_id, sensitive=True)
    OTP_REQUESTED.inc()
    return IssuedCode(code, settings.otp_ttl_seconds, settings.otp_resend_cooldown_seconds)


async def _replace_code(
    session: AsyncSession, codec: TokenCodec, phone: str, code: str, settings: AuthSettings
) -> bool:
    """Upsert the phone's challenge unless its last code is younger than the cooldown; atomic,
    so two racing requests cannot both send."""
    now = utcnow()
    values = dialect_insert(session, OtpChallenge).values(
        phone=phone,
        code_hash=codec.otp_hash(phone, code),
        attempts=0,
        sent_at=now,
        expires_at=now + timedelta(seconds=settings.otp_ttl_seconds),
    )
    cutoff = now - timedelta(seconds=settings.otp_resend_cooldown_seconds)
    statement = values.on_conflict_do_update(
        index_elements=[OtpChallenge.phone],
        set_={
            "code_hash": values.excluded.code_hash,
            "attempts": 0,
            "sent_at": values.excluded.sent_at,
            "expires_at": values.excluded.expires_at,
        },
        where=OtpChallenge.sent_at <= cutoff,
    ).returning(OtpChallenge.phone)
    return (await session.execute(statement)).first() is not None


async def _cooldown_left(session: AsyncSession, phone: str, settings: AuthSettings) -> int:
    sent_at = await session.scalar(select(OtpChallenge.sent_at).where(OtpChallenge.phone == phone))
    if sent_at is None:
        return 1
    ready_at = sent_at + timedelta(seconds=settings.otp_resend_cooldown_seconds)
    return max(1, math.ceil((ready_at - utcnow()).total_seconds()))


class CodeCheck(enum.Enum):
    VALID = "success"
    INVALID = "invalid"
    EXPIRED = "expired"
    LOCKED = "locked"


async def check_code(
    session: AsyncSession, codec: TokenCodec, phone: str, code: str, settings: AuthSettings
) -> CodeCheck:
    """Spend one try on the phone's code; a valid code is consumed. The try is counted by the
    first statement (an atomic increment), so racing guesses cannot exceed the limit."""
    expected = codec.otp_hash(phone, code)  # computed on every path: no timing difference
    spend = (
        update(OtpChallenge)
        .where(OtpChallenge.phone == phone)
        .values(attempts=OtpChallenge.attempts + 1)
        .returning(OtpChallenge.code_hash, OtpChallenge.expires_at, OtpChallenge.attempts)
        .execution_options(synchronize_session=False)
    )
    row = (await session.execute(spend)).one_or_none()
    if row is None:
        return CodeCheck.INVALID
    code_hash, expires_at, attempts = row
    matches = hmac.compare_digest(code_hash, expected)
    if attempts > settings.otp_max_attempts:
        return CodeCheck.LOCKED
    if expires_at <= utcnow():
        return CodeCheck.EXPIRED
    if not matches:
        return CodeCheck.INVALID
    await session.execute(delete(OtpChallenge).where(OtpChallenge.phone == phone))
    return CodeCheck.VALID


async def locked_error(session: AsyncSession, phone: str, settings: AuthSettings) -> Exception:
    """429 for a dead code: a new one may be asked for once the resend cooldown has passed."""
    return OtpAttemptsExceededError(retry_after=await _cooldown_left(session, phone, settings))


def record_check(result: str) -> None:
    """Count one code check by its result."""
    OTP_VERIFIED.labels(result).inc()


__all__ = ["CodeCheck", "IssuedCode", "check_code", "issue_code", "parse_phone", "record_check"]
