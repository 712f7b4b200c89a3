"""Limits on reading a request: how long its body may take to arrive, and how big and how deep
a JSON body may be before anything validates it (issue 18).

A body that stops half-way would otherwise hold an admission slot for as long as its client
keeps the connection open; a JSON object of half a million unknown keys would block the event
loop for seconds while it is validated and answered key by key. Both are refused here in the
error envelope (or the portal's error page), cheaply and before the app runs.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

import pydantic_core
import structlog
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from msmebazaar.shared.errors import Refusal, send_refusal

logger = structlog.get_logger("msmebazaar.requests")

_DISCONNECT: Final[Message] = {"type": "http.disconnect"}


def is_json_body(headers: Headers) -> bool:
    """FastAPI's rule for a body it parses as JSON: no content type, `application/json` or
    `application/*+json`."""
    content_type = headers.get("content-type")
    if not content_type:
        return True
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def has_body(headers: Headers) -> bool:
    """Whether the request says it carries a body (a length above 0, or chunks)."""
    length = headers.get("content-length")
    return "transfer-encoding" in headers or bool(length and length.strip("0 "))


@dataclass(frozen=True, slots=True)
class JsonLimits:
    """How deep a JSON document may nest, how many object keys it may hold in all, and how many
    items any one array may hold."""

    max_depth: int = 32
    max_keys: int = 10_000
    max_array_items: int = 1000


class JsonLimitError(ValueError):
    """A JSON document past one of the limits; the message says which."""


def parse_json_within(body: bytes | str, limits: JsonLimits) -> Any:
    """Parse JSON, refusing documents past `limits` (JsonLimitError); other malformed input
    raises ValueError as `json.loads` would. Parsed in Rust (pydantic-core), whose own nesting
    limit (200) stops a bracket bomb while parsing, before any Python recursion."""
    try:
        document = pydantic_core.from_json(body, allow_inf_nan=True)
    except ValueError as exc:
        if "recursion limit" in str(exc):
            raise JsonLimitError(_too_deep(limits)) from exc
        raise
    problem = structure_problem(document, limits)
    if problem:
        raise JsonLimitError(problem)
    return document


def _too_deep(limits: JsonLimits) -> str:
    return f"The JSON body nests deeper than {limits.max_depth} levels."


def structure_problem(document: Any, limits: JsonLimits) -> str | None:
    """What makes a parsed document break `limits`, or None. Walks it without recursion and
    stops at the first problem."""
    keys = 0
    stack: list[tuple[Any, int]] = [(document, 1)] if isinstance(document, dict | list) else []
    while stack:
        value, depth = stack.pop()
        if depth > limits.max_depth:
            return _too_deep(limits)
        children: Iterable[Any]
        if isinstance(value, dict):
            keys += len(value)
            if keys > limits.max_keys:
                return f"The JSON body has more than {limits.max_keys} keys."
            children = value.values()
        else:
            if len(value) > limits.max_array_items:
                return f"A JSON array in the body has more than {limits.max_array_items} items."
            children = value
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return None


class JsonBodyLimitMiddleware:
    """Read a JSON body whole (it is small: MAX_JSON_BODY_BYTES), refuse it with 422 when it
    is past the JSON limits, else hand it on to the app as it came. Bodies that are not JSON
    (forms, uploads) pass untouched; malformed JSON is left to FastAPI's own 422."""

    def __init__(self, app: ASGIApp, *, limits: JsonLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _json_to_read(Headers(scope=scope)):
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        if body is None:
            return  # the client left, or was already answered (408, 413)
        try:
            parse_json_within(body, self.limits)
        except JsonLimitError as exc:
            details = [{"field": "body", "message": str(exc)}]
            await send_refusal(
                scope, receive, send, Refusal(422, "VALIDATION_ERROR", str(exc), details)
            )
            return
        except ValueError:
            pass  # not JSON at all: FastAPI answers it as such
        await self.app(scope, _replay(body, receive), send)


def _json_to_read(headers: Headers) -> bool:
    return has_body(headers) and is_json_body(headers)


async def _read_body(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the body read already, then whatever comes next (a disconnect)."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        if pending:
            return pending.pop()
        return await receive()

    return replay


class BodyTimeoutMiddleware:
    """Answer 408 `REQUEST_TIMEOUT` to a body that stops or trickles, and let the app go.

    No wait for the next part of a body may pass `timeout` seconds, and once `timeout` seconds
    have passed since the app first asked for it, the body must have come at `min_rate` bytes a
    second on average (0: no rate). On expiry the 408 goes out with `Connection: close`, the app
    is told the client has gone (it stops reading and returns, freeing its admission slot), and
    anything it still tries to send is dropped."""

    def __init__(self, app: ASGIApp, *, timeout: float, min_rate: int) -> None:
        self.app = app
        self.timeout = timeout
        self.min_rate = min_rate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.timeout <= 0:
            await self.app(scope, receive, send)
            return
        reader = _TimedBody(self, scope, receive, send)
        await self.app(scope, reader.receive, reader.send)

    def deadline(self, began: float, last: float, received: int) -> float:
        """When the next part of a body must have arrived (loop time)."""
        deadline = last + self.timeout
        if self.min_rate > 0:
            deadline = min(deadline, began + self.timeout + received / self.min_rate)
        return deadline


class _TimedBody:
    """One request's body, read against the clock of `BodyTimeoutMiddleware`."""

    def __init__(
        self, limits: BodyTimeoutMiddleware, scope: Scope, receive: Receive, send: Send
    ) -> None:
        self.limits, self.scope, self._receive, self._send = limits, scope, receive, send
        self.began = self.last = math.nan
        self.received = 0
        self.complete = self.timed_out = self.started = False

    async def receive(self) -> Message:
        if self.timed_out:
            return _DISCONNECT
        if self.complete:
            return await self._receive()  # a listener for the client leaving: no clock
        now = asyncio.get_running_loop().time()
        if math.isnan(self.began):
            self.began = self.last = now  # the clock starts when the app first asks
        wait = self.limits.deadline(self.began, self.last, self.received) - now
        try:
            message = await asyncio.wait_for(self._receive(), timeout=max(wait, 0.001))
        except TimeoutError:
            return await self._expire()
        self.last = asyncio.get_running_loop().time()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            self.complete = not message.get("more_body", False)
        return message

    async def _expire(self) -> Message:
        self.timed_out = True
        logger.warning("request_body_timeout", received_bytes=self.received)
        if not self.started:
            self.started = True
            message = "The request body did not arrive in time. Send it again."
            refusal = Refusal(408, "REQUEST_TIMEOUT", message, None, {"Connection": "close"})
            await send_refusal(self.scope, self._receive, self._send, refusal)
        return _DISCONNECT

    async def send(self, message: Message) -> None:
        if self.timed_out:
            return
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)
