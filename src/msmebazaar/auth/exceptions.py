"""The auth service's errors, each with its stable code."""

from __future__ import annotations

from msmebazaar.shared.exceptions import (
    AuthenticationError,
    BadRequestError,
    PermissionDeniedError,
    RateLimitedError,
    ValidationError,
)


class PhoneInvalidError(ValidationError):
    # Raised with the failed rule's message on the `phone` field (`auth.otp.parse_phone`).
    default_code = "PHONE_INVALID"
    default_message = "Enter a valid 10-digit Indian mobile number."


class OtpInvalidError(BadRequestError):
    # One answer for "no such code", "expired" and "wrong code": nothing to probe.
    default_code = "OTP_INVALID"
    default_message = "That code is not valid. Check it or ask for a new one."


class OtpAttemptsExceededError(RateLimitedError):
    default_code = "OTP_ATTEMPTS_EXCEEDED"
    default_message = "Too many wrong codes. Ask for a new code."


class RoleNotAllowedError(PermissionDeniedError):
    default_code = "ROLE_NOT_ALLOWED"
    default_message = "You cannot choose this role."


class AccountSuspendedError(PermissionDeniedError):
    default_code = "ACCOUNT_SUSPENDED"
    default_message = "This account is suspended. Contact support."


class InvalidTokenError(AuthenticationError):
    default_code = "INVALID_TOKEN"
    default_message = "The token is invalid. Sign in again."


class TokenExpiredError(AuthenticationError):
    default_code = "TOKEN_EXPIRED"
    default_message = "The token has expired."


class SessionRevokedError(AuthenticationError):
    default_code = "SESSION_REVOKED"
    default_message = "This session has ended. Sign in again."


class RefreshTokenReusedError(AuthenticationError):
    default_code = "REFRESH_TOKEN_REUSED"
    default_message = "This refresh token was already used; every session it belongs to has ended."
