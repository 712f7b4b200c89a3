"""The error hierarchy every service raises; handlers render each as the error envelope.

Services raise these (never `HTTPException`): the status code and the stable `code` travel with
the error, so routers stay thin and the API's error codes live next to the rules that raise them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar


class AppError(Exception):
    """Base of every error the API answers on purpose: a status, a stable code and a message."""

    status_code: ClassVar[int] = 400
    default_code: ClassVar[str] = "BAD_REQUEST"
    default_message: ClassVar[str] = "The request could not be processed."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        details: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.message = message or self.default_message
        self.code = code or self.default_code
        self.details = details
        self.headers = dict(headers or {})
        super().__init__(self.message)


class BadRequestError(AppError):
    status_code = 400
    default_code = "BAD_REQUEST"


class AuthenticationError(AppError):
    status_code = 401
    default_code = "AUTHENTICATION_REQUIRED"
    default_message = "Sign in to do this."

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.headers.setdefault("WWW-Authenticate", "Bearer")


class PermissionDeniedError(AppError):
    status_code = 403
    default_code = "FORBIDDEN"
    default_message = "You are not allowed to do this."


class NotFoundError(AppError):
    status_code = 404
    default_code = "NOT_FOUND"
    default_message = "Not found."


class ConflictError(AppError):
    status_code = 409
    default_code = "CONFLICT"
    default_message = "This conflicts with the current state."


class PayloadTooLargeError(AppError):
    status_code = 413
    default_code = "PAYLOAD_TOO_LARGE"
    default_message = "The request body is too large."


class UnsupportedMediaTypeError(AppError):
    status_code = 415
    default_code = "UNSUPPORTED_MEDIA_TYPE"
    default_message = "This content type is not supported."


class ValidationError(AppError):
    """A domain rule failed (422); `details` lists `{field, message}` items."""

    status_code = 422
    default_code = "VALIDATION_ERROR"
    default_message = "Some fields are invalid."

    @classmethod
    def for_field(cls, field: str, message: str, *, code: str | None = None) -> ValidationError:
        """One failed rule on one field, answered with that rule's own code."""
        return cls(message, code=code, details=[{"field": field, "message": message}])


class RateLimitedError(AppError):
    status_code = 429
    default_code = "RATE_LIMITED"
    default_message = "Too many requests. Try again later."

    def __init__(self, message: str | None = None, *, retry_after: int, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = max(1, int(retry_after))
        self.headers["Retry-After"] = str(self.retry_after)
        if self.details is None:
            self.details = {"retry_after": self.retry_after}


class ExternalServiceError(AppError):
    """A dependency (database, Redis, SMS provider...) is down or failed."""

    status_code = 503
    default_code = "SERVICE_UNAVAILABLE"
    default_message = "A service we depend on is unavailable. Try again shortly."


class InternalError(AppError):
    status_code = 500
    default_code = "INTERNAL_ERROR"
    default_message = "Something went wrong on our side. It has been logged."
