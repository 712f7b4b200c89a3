"""Structured JSON logs (structlog) with the request context, and PII masked before output.

Phone numbers, OTP codes, tokens and secrets never reach a log line in clear: the masking
processor runs last before rendering, on every event, including those from the standard library.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any

import sentry_sdk
import structlog

from msmebazaar.shared.config import ObservabilitySettings

_SENSITIVE_KEYS = re.compile(
    r"(otp|code|token|secret|password|authorization|cookie|api_key|signature)", re.IGNORECASE
)
# Indian mobiles in any common spelling: +91 98765 43210, 09876543210, 9876543210; not a run of
# digits inside a longer token (a request id's hex, a UUID), which is no phone number.
_PHONE = re.compile(r"(?<![0-9A-Za-z])(?:\+?91[\s-]?|0)?([6-9]\d{4})[\s-]?(\d{5})(?![0-9A-Za-z])")
_BEARER = re.compile(r"(?i)bearer\s+[A-Za-z0-9._~+/=-]+")
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_MASK = "***"
_HANDLER_NAME = "msmebazaar"


def mask_text(text: str) -> str:
    """Mask phone numbers and bearer tokens inside free text, keeping the last 4 phone digits."""
    text = _BEARER.sub("Bearer ***", text)
    text = _JWT.sub(_MASK, text)
    return _PHONE.sub(lambda m: "******" + m.group(2)[-4:], text)


def mask_value(key: str, value: Any) -> Any:
    """Mask one logged value: wholly when its key names a secret, else the PII inside it."""
    if _SENSITIVE_KEYS.search(key) and key not in {"status_code", "error_code"}:
        return _MASK
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, int) and not isinstance(value, bool):
        # A phone number kept as a number is still a phone number.
        masked = mask_text(str(value))
        return value if masked == str(value) else masked
    if isinstance(value, Mapping):
        return {str(k): mask_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_value(key, v) for v in value]
    return value


# Fields the logging pipeline itself writes (never from a request: not even the request id,
# which a caller may choose): nothing in them to mask.
_OWN_FIELDS = frozenset({"level", "logger", "timestamp"})


def mask_pii(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: mask PII and secrets in every field of the event."""
    for key, value in list(event_dict.items()):
        if key in _OWN_FIELDS:
            continue
        if key in {"event", "exception"}:
            event_dict[key] = mask_text(value) if isinstance(value, str) else value
        else:
            event_dict[key] = mask_value(key, value)
    return event_dict


_ERROR_METHODS = frozenset({"error", "critical", "exception"})


def capture_logged_exception(
    _: Any, method_name: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: an error logged with an exception also goes to Sentry when it is on
    (`shared/sentry.py`), and the log line records the Sentry event id."""
    exc_info = event_dict.get("exc_info")
    if not exc_info or method_name not in _ERROR_METHODS or not sentry_sdk.is_initialized():
        return event_dict
    error = exc_info if isinstance(exc_info, BaseException | tuple) else None
    event_id = sentry_sdk.capture_exception(error)
    if event_id:
        event_dict["sentry_event_id"] = event_id
    return event_dict


def configure_logging(settings: ObservabilitySettings) -> None:
    """Route structlog and the standard library through one JSON (or console) renderer."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        capture_logged_exception,
        structlog.processors.format_exc_info,
        mask_pii,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if settings.log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        # Below the level, an event is dropped before any processor works on it (the access
        # log is one event a request).
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    handler.set_name(_HANDLER_NAME)
    root = logging.getLogger()
    # Replace our own handler (configure may run once per app built), keep anyone else's.
    root.handlers[:] = [h for h in root.handlers if h.get_name() != _HANDLER_NAME] + [handler]
    root.setLevel(settings.log_level)
    # Our access log replaces uvicorn's, which would print raw paths and query strings.
    logging.getLogger("uvicorn.access").disabled = True
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
