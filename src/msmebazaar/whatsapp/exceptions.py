"""Errors the whatsapp service answers with."""

from __future__ import annotations

from msmebazaar.shared.exceptions import BadRequestError, PermissionDeniedError


class WebhookSignatureError(PermissionDeniedError):
    """403: the webhook's signature is missing, wrong, or cannot be checked (no secret set)."""

    default_code = "WEBHOOK_SIGNATURE_INVALID"
    default_message = "The webhook signature is missing or does not match."

    def __init__(self, reason: str, message: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason


class WebhookVerifyTokenError(PermissionDeniedError):
    default_code = "WEBHOOK_VERIFY_TOKEN_INVALID"
    default_message = "The verify token does not match."


class WebhookPayloadError(BadRequestError):
    """400: a signed body that is not what the provider sends (not JSON, not a form...)."""

    default_code = "WEBHOOK_PAYLOAD_INVALID"
    default_message = "The webhook body could not be read."
