"""The notifications service's errors, each with its status and stable code."""

from __future__ import annotations

from msmebazaar.shared.exceptions import AppError, NotFoundError, RateLimitedError


class NotificationNotFoundError(NotFoundError):
    default_code = "NOTIFICATION_NOT_FOUND"
    default_message = "No such notification."


class TooManyStreamsError(RateLimitedError):
    default_code = "TOO_MANY_STREAMS"
    default_message = "You have too many live streams open; close one and try again."


class StreamsFullError(AppError):
    status_code = 503
    default_code = "STREAMS_FULL"
    default_message = "This server holds as many live streams as it can; try again shortly."
