"""`Idempotency-Key` on POST: a retried request gets the first answer instead of a second effect.

The key is scoped to the caller (their Authorization header, or their address when anonymous) and
bound to the request it first came with: the same key with a different method, path or body is
refused (422), and a retry while the first is still running waits its turn (409). Answers below
500 are kept for 24 hours; a 5xx is forgotten so the client may retry, and an answer marked
`Cache-Control: no-store` (a token pair) is never kept. The record lives in the
cache (Redis in production, shared by every process); if Redis is down, requests proceed without
the guarantee rather than fail.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from msmebazaar.shared.cache import Cache
from msmebazaar.shared.errors import error_response
from msmebazaar.shared.runtime import runtime_of
from msmebazaar.shared.security import client_ip

HEADER = "idempotency-key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEEP_SECONDS = 24 * 3600
PENDING_SECONDS = 60
MAX_STORED_BODY = 1024 * 1024
_SANE_KEY = re.compile(r"^[A-Za-z0-9._:\-]{1,255}$")


def _digest(*parts: bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(hashlib.sha256(part).digest())
    return hasher.hexdigest()


class IdempotencyMiddleware:
    """Replays the first answer to a POST retried with the same `Idempotency-Key`."""

    def __init__(self, app: ASGIApp, *, trusted_proxies: list[str]) -> None:
        self.app = app
        self.trusted_proxies = trusted_proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = Headers(scope=scope).get(HEADER) if scope["type"] == "http" else None
        if key is None or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        if not _SANE_KEY.fullmatch(key):
            detail = [
                {"field": "header.Idempotency-Key", "message": "Use 1–255 letters, digits, ._:-"}
            ]
            await error_response(422, "VALIDATION_ERROR", "Invalid Idempotency-Key.", detail)(
                scope, receive, send
            )
            return
        body, more = await _read_body(receive)
        if more is not None:  # the client went away mid-body: nothing to protect
            await self.app(scope, _replay_receive(body, more), send)
            return
        await self._guarded(scope, key, body, send)

    async def _guarded(self, scope: Scope, key: str, body: bytes, send: Send) -> None:
        cache: Cache = runtime_of(scope["app"]).cache
        record_key = "idem:" + _digest(self._caller(scope).encode(), key.encode())
        fingerprint = _digest(
            scope["method"].encode(), scope["path"].encode(), scope["query_string"], body
        )
        pending = json.dumps({"state": "pending", "fingerprint": fingerprint})
        if not await cache.add(record_key, pending, PENDING_SECONDS):
            await self._answer_existing(scope, await cache.get(record_key), fingerprint, send)
            return
        captured = _CapturedResponse(send)
        try:
            await self.app(scope, _replay_receive(body, None), captured.send)
        finally:
            await self._remember(cache, record_key, fingerprint, captured)

    @staticmethod
    async def _remember(
        cache: Cache, record_key: str, fingerprint: str, captured: _CapturedResponse
    ) -> None:
        if (
            captured.status is None
            or captured.status >= 500
            or captured.too_large
            or captured.no_store
        ):
            await cache.delete(record_key)
            return
        record = {
            "state": "done",
            "fingerprint": fingerprint,
            "status": captured.status,
            "headers": captured.headers,
            "body": base64.b64encode(bytes(captured.body)).decode(),
        }
        await cache.set(record_key, json.dumps(record), KEEP_SECONDS)

    async def _answer_existing(
        self, scope: Scope, raw: str | None, fingerprint: str, send: Send
    ) -> None:
        record: dict[str, Any] = json.loads(raw) if raw else {"state": "pending"}
        if record.get("fingerprint", fingerprint) != fingerprint:
            message = "This Idempotency-Key was used with a different request."
            response = error_response(422, "IDEMPOTENCY_KEY_REUSED", message)
        elif record["state"] == "pending":
            message = "A request with this Idempotency-Key is still being processed."
            response = error_response(
                409, "IDEMPOTENCY_IN_PROGRESS", message, None, {"Retry-After": "1"}
            )
        else:
            await _replay(record, send)
            return
        await response(scope, _empty_receive, send)

    def _caller(self, scope: Scope) -> str:
        authorization = Headers(scope=scope).get("authorization")
        if authorization:
            return "auth:" + authorization
        return "ip:" + client_ip(scope, self.trusted_proxies)


class _CapturedResponse:
    """Passes a response through while keeping a copy of its status, headers and body."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.status: int | None = None
        self.headers: list[list[str]] = []
        self.body = bytearray()
        self.too_large = False
        self.no_store = False  # secrets (token pairs) are never kept for replay

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = [
                [name.decode("latin-1"), value.decode("latin-1")]
                for name, value in message.get("headers", [])
                if name.lower() not in {b"x-request-id", b"content-length"}
            ]
            self.no_store = any(
                name.lower() == "cache-control" and "no-store" in value.lower()
                for name, value in self.headers
            )
        elif message["type"] == "http.response.body" and not self.too_large:
            self.body.extend(message.get("body", b""))
            self.too_large = len(self.body) > MAX_STORED_BODY
        await self._send(message)


async def _replay(record: dict[str, Any], send: Send) -> None:
    body = base64.b64decode(record["body"])
    headers = [
        (name.encode("latin-1"), value.encode("latin-1")) for name, value in record["headers"]
    ]
    headers += [
        (b"content-length", str(len(body)).encode()),
        (REPLAYED_HEADER.lower().encode(), b"true"),
    ]
    await send({"type": "http.response.start", "status": record["status"], "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _read_body(receive: Receive) -> tuple[bytes, Message | None]:
    """The whole request body; or what arrived before a disconnect, with that message."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), message
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks), None


def _replay_receive(body: bytes, final: Message | None) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return final or {"type": "http.disconnect"}

    return receive


async def _empty_receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}
