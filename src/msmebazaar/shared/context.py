"""Per-request context (request id, user id) readable anywhere without passing it around."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")


def accept_or_new_request_id(incoming: str | None) -> str:
    """The caller's `X-Request-ID` when it is short and plain, otherwise a fresh one."""
    if incoming and _SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def current_request_id() -> str:
    """The id of the request being served, or `-` outside one."""
    return request_id_var.get()
