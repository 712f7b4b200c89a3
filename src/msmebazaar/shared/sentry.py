"""Error tracking: exceptions logged at error level go to Sentry when `SENTRY_DSN` is set.

Nothing is initialised, patched or sent without a DSN. With one, every event carries the request
id and the service that raised it as tags, and passes through the same PII masking as the logs:
no request bodies, no local variables, phone numbers and tokens masked in every text.

Exceptions reach Sentry through the logs (`shared/logging.py`'s `capture_logged_exception`), so
a stack trace is captured exactly where the app already logs one: the last-resort 500 handler and
the outbox worker's provider errors. Sentry's own logging integration stays off: it would see
structlog's event dictionaries without their exceptions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.logging import LoggingIntegration
from sentry_sdk.transport import Transport
from sentry_sdk.types import Event, Hint

from msmebazaar import __version__
from msmebazaar.shared.config import Settings
from msmebazaar.shared.context import current_request_id
from msmebazaar.shared.logging import mask_text, mask_value


def service_tag(services: Sequence[str]) -> str:
    """The `service` tag of a process: its one service, or the served ones joined by commas."""
    return ",".join(services) or "none"


def init_sentry(
    settings: Settings, services: Sequence[str], *, transport: Transport | None = None
) -> bool:
    """Start error tracking when `SENTRY_DSN` is set; return whether it is on."""
    dsn = settings.observability.sentry_dsn
    if dsn is None or not dsn.get_secret_value():
        return False
    tag = service_tag(services)

    def before_send(event: Event, _hint: Hint) -> Event:
        return scrub_event(event, service=tag, request_id=current_request_id())

    sentry_sdk.init(
        dsn=dsn.get_secret_value(),
        environment=settings.environment.value,
        release=f"msmebazaar@{__version__}",
        include_local_variables=False,  # locals hold phone numbers, codes and tokens
        max_request_body_size="never",
        auto_enabling_integrations=False,  # no patching of FastAPI, SQLAlchemy, Redis, httpx
        disabled_integrations=[LoggingIntegration()],
        before_send=before_send,
        transport=transport,
    )
    return True


def scrub_event(event: Event, *, service: str, request_id: str) -> Event:
    """Tag an event with the service and request id, and mask PII in its texts."""
    tags = event.setdefault("tags", {})
    tags["service"] = service
    if request_id != "-":
        tags["request_id"] = request_id
    logentry: Any = event.get("logentry")  # typed read-only by the SDK; ours to edit here
    if logentry and isinstance(logentry.get("message"), str):
        logentry["message"] = mask_text(logentry["message"])
    for exception in event.get("exception", {}).get("values", []):
        if isinstance(exception.get("value"), str):
            exception["value"] = mask_text(exception["value"])
    if "extra" in event:
        event["extra"] = {key: mask_value(key, value) for key, value in event["extra"].items()}
    return event
