"""The auth service's errors, each with its stable code."""

from __future__ import annotations

from msmebazaar.shared.exceptions import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ExternalServiceError,
    NotFoundError,
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


class MfaCodeInvalidError(BadRequestError):
    # One answer for a wrong, reused, expired or malformed code: nothing to probe.
    default_code = "MFA_CODE_INVALID"
    default_message = (
        "That code is not valid. Enter the current code from your app or a recovery code."
    )


class MfaTokenInvalidError(AuthenticationError):
    default_code = "MFA_TOKEN_INVALID"
    default_message = "This sign-in has expired or was already used. Sign in again."


class MfaAttemptsExceededError(RateLimitedError):
    default_code = "MFA_ATTEMPTS_EXCEEDED"
    default_message = "Too many wrong codes. Sign in again."


class MfaEnrollmentRequiredError(PermissionDeniedError):
    default_code = "MFA_ENROLLMENT_REQUIRED"
    default_message = (
        "Admins need a second factor: set one up (POST /api/v1/auth/2fa/totp/setup), "
        "or sign in again with it."
    )


class MfaAlreadyEnabledError(ConflictError):
    default_code = "MFA_ALREADY_ENABLED"
    default_message = "Two-step sign-in is already on. Turn it off first to set up a new app."


class MfaNotEnabledError(ConflictError):
    default_code = "MFA_NOT_ENABLED"
    default_message = "Two-step sign-in is not on."


class MfaSetupRequiredError(ConflictError):
    default_code = "MFA_SETUP_REQUIRED"
    default_message = "Start the set-up first (POST /api/v1/auth/2fa/totp/setup)."


class OidcProviderUnknownError(NotFoundError):
    default_code = "OIDC_PROVIDER_UNKNOWN"
    default_message = "No such sign-in provider here."


class OidcStateInvalidError(BadRequestError):
    # A callback without the browser's own sign-in under way (missing, forged or expired state).
    default_code = "OIDC_STATE_INVALID"
    default_message = "This sign-in was not started here, or took too long. Start it again."


class OidcDeniedError(BadRequestError):
    default_code = "OIDC_DENIED"
    default_message = "The sign-in provider did not sign you in. Start it again."


class OidcTokenInvalidError(BadRequestError):
    # The ID token failed a check: signature, issuer, audience, expiry or nonce.
    default_code = "OIDC_TOKEN_INVALID"
    default_message = "The sign-in provider's answer could not be trusted. Start it again."


class OidcEmailUnverifiedError(BadRequestError):
    default_code = "OIDC_EMAIL_UNVERIFIED"
    default_message = "That account's email address is not verified with the provider."


class OidcAlreadyLinkedError(ConflictError):
    default_code = "OIDC_ALREADY_LINKED"
    default_message = (
        "That account is linked to another MSMEBazaar account, or yours already has one of "
        "that provider linked. Unlink it first."
    )


class OidcUnavailableError(ExternalServiceError):
    default_code = "OIDC_PROVIDER_UNAVAILABLE"
    default_message = "The sign-in provider cannot be reached. Try again shortly."


class IdentityNotFoundError(NotFoundError):
    default_code = "IDENTITY_NOT_FOUND"
    default_message = "No account of that provider is linked to yours."
