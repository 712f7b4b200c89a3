"""A short-lived shared cache of public answers: the same GET answered to everyone for a second
or two from the cache (Redis in production), so a crowd of readers does not reach the database.

A route opts in with the `PublicCacheDep` dependency, which marks its answer
`Cache-Control: public, max-age=N` (N = `PUBLIC_CACHE_SECONDS`); only a route whose answer is
the same for every caller — anonymous or signed in, in any language — may do so. The middleware
keeps such 200 answers for N seconds, keyed by path, query string and `Accept-Language`, and
serves them unchanged (`X-Cache: hit`) until they expire: N is the bound on staleness (a listing
closed, rejected or hidden with its suspended owner leaves the cached pages within N seconds).
Within one process, concurrent misses on one key wait for the first instead of each querying;
an answer read once is kept in memory until the shared copy expires (so the bound holds across
processes on one host; across hosts it is N plus their clock skew); and past half its life one
request computes its successor while the others are still served the copy, so a hot page under
a flood never has a moment when every reader waits for the database.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Request, Response
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from msmebazaar.shared.cache import Cache
from msmebazaar.shared.metrics import PUBLIC_CACHE

KEY_PREFIX = "public:v1:"
MAX_BODY_BYTES = 512 * 1024  # a bigger answer is served, not stored
MAX_LOCAL_ANSWERS = 512  # answers one process keeps beside the shared cache (tens of MB at most)
MAX_PUBLIC_PATHS = 1_024  # paths learnt to answer publicly (ours are a handful of fixed ones)
_KEPT_HEADERS = frozenset({"content-type", "cache-control"})


def now_seconds() -> float:
    """The wall clock the cache's expiry times are read against (one place, so tests can move
    it instead of sleeping)."""
    return time.time()


async def mark_public(request: Request, response: Response) -> None:
    """FastAPI dependency: this route's 200 answer is the same for everyone; cache it briefly."""
    seconds = request.app.state.settings.app.public_cache_ttl
    if seconds > 0:
        response.headers["Cache-Control"] = f"public, max-age={seconds}"


# For a route's `dependencies=[...]`.
PublicCacheDep = Depends(mark_public)


@dataclass(frozen=True)
class CachedAnswer:
    status: int
    headers: list[tuple[str, str]]
    body: str
    route: str  # the route template, so metrics and the access log label a hit like a miss
    expires_at: float  # wall clock: a copy kept in a process never outlives the shared one
    renew_at: float  # half way to expiry: from then on, one request computes its successor

    def dumps(self) -> str:
        """The answer as stored in the cache."""
        fields = [self.status, self.headers, self.body, self.route, self.expires_at, self.renew_at]
        return json.dumps(fields)

    @classmethod
    def loads(cls, raw: str) -> CachedAnswer | None:
        """The stored answer, or `None` when it cannot be read (then it is recomputed)."""
        try:
            status, headers, body, route, expires_at, renew_at = json.loads(raw)
            pairs = [(str(k), str(v)) for k, v in headers]
            times = float(expires_at), float(renew_at)
            return cls(int(status), pairs, str(body), str(route), *times)
        except (ValueError, TypeError):
            return None


@dataclass(frozen=True)
class _Route:
    path: str  # read by `middleware.route_template`


def cache_key(scope: Scope) -> str:
    """The key of a GET: path, raw query string and `Accept-Language` (hashed: bounded size)."""
    language = Headers(scope=scope).get("accept-language", "")
    material = b"\0".join(
        (scope["path"].encode(), scope.get("query_string", b""), language.encode())
    )
    return KEY_PREFIX + hashlib.sha256(material).hexdigest()


def _max_age(headers: list[tuple[str, str]]) -> float:
    """Seconds from `Cache-Control: public, max-age=N`; 0 when the answer is not public."""
    for name, value in headers:
        if name == "cache-control":
            parts = [part.strip() for part in value.split(",")]
            ages = [p.removeprefix("max-age=") for p in parts if p.startswith("max-age=")]
            if "public" in parts and ages and ages[0].isdigit():
                return float(ages[0])
    return 0.0


class PublicCacheMiddleware:
    """Serve and store answers that routes marked public (see the module docstring).

    Which paths answer publicly is learnt from their answers, so every other request passes
    straight through: no cache round trip, and no waiting behind another caller's request."""

    def __init__(self, app: ASGIApp, *, route_of: Callable[[Scope], str]) -> None:
        self.app = app
        self.route_of = route_of
        self._public_paths: set[str] = set()
        self._pending: dict[str, asyncio.Future[CachedAnswer | None]] = {}
        # Answers read or stored by this process, until they expire: a hot page is then served
        # without even a round trip to Redis, i.e. without yielding the event loop.
        self._local: dict[str, CachedAnswer] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        key = cache_key(scope)
        answer, lead = await self._cached(key) if scope["path"] in self._public_paths else _PASS
        if answer is None and not lead:
            await self._compute(key, scope, receive, send)
            return
        if answer is None:
            # This request leads, and became so before yielding: the readers after it wait for
            # its answer (or keep the copy that has not expired) instead of querying too.
            future = asyncio.get_running_loop().create_future()
            self._pending[key] = future
            try:
                answer = await self._shared(scope, key)
                if answer is None:
                    answer = await self._compute(key, scope, receive, send)
                    return
            finally:
                del self._pending[key]
                future.set_result(answer)
        PUBLIC_CACHE.labels("hit").inc()
        await _replay(answer, scope, send)

    async def _cached(self, key: str) -> tuple[CachedAnswer | None, bool]:
        """This process's copy or the one being computed; else whether the caller must lead
        (its computation is shared) or just compute (the last one could not be stored)."""
        local, now = self._local.get(key), now_seconds()
        pending = self._pending.get(key)
        if local is not None and local.expires_at > now:
            # Past half its life one request renews it; the others keep being served this copy,
            # so a hot page never has a moment when every reader waits for the database.
            return (local, False) if now < local.renew_at or pending else (None, True)
        if pending is None:
            return None, True
        return await asyncio.shield(pending), False

    async def _shared(self, scope: Scope, key: str) -> CachedAnswer | None:
        """The answer another process stored, unless this process's own copy is as recent."""
        raw = await scope["app"].state.cache.get(key)
        answer = CachedAnswer.loads(raw) if raw is not None else None
        local = self._local.get(key)
        if answer is None or answer.expires_at <= now_seconds():
            return None  # the store may keep a copy a little past its time (clock skew)
        if local is not None and answer.expires_at <= local.expires_at:
            return None
        self._keep(key, answer)
        return answer

    def _keep(self, key: str, answer: CachedAnswer) -> None:
        if len(self._local) >= MAX_LOCAL_ANSWERS:
            now = now_seconds()
            self._local = {k: a for k, a in self._local.items() if a.expires_at > now}
            if len(self._local) >= MAX_LOCAL_ANSWERS:
                self._local.clear()
        self._local[key] = answer

    async def _compute(
        self, key: str, scope: Scope, receive: Receive, send: Send
    ) -> CachedAnswer | None:
        """Run the app, passing its answer on; store it if the route marked it public."""
        captured: dict[str, Any] = {"chunks": []}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["start"] = message
            elif message["type"] == "http.response.body":
                captured["chunks"].append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        return await self._store(scope["app"].state.cache, key, scope, captured)

    async def _store(
        self, cache: Cache, key: str, scope: Scope, captured: dict[str, Any]
    ) -> CachedAnswer | None:
        start = captured.get("start")
        if start is None or start["status"] != 200:
            return None
        headers = [(k.decode().lower(), v.decode()) for k, v in start.get("headers", [])]
        seconds = _max_age(headers)
        if seconds <= 0 or not _storable(headers):
            return None
        if len(self._public_paths) < MAX_PUBLIC_PATHS:
            self._public_paths.add(scope["path"])
        body = b"".join(captured["chunks"])
        if len(body) > MAX_BODY_BYTES:
            return None
        kept = [(k, v) for k, v in headers if k in _KEPT_HEADERS]
        now = now_seconds()
        route = self.route_of(scope)
        answer = CachedAnswer(200, kept, body.decode(), route, now + seconds, now + seconds / 2)
        self._keep(key, answer)
        await cache.set(key, answer.dumps(), seconds)
        PUBLIC_CACHE.labels("miss").inc()
        return answer


_PASS: tuple[CachedAnswer | None, bool] = (None, False)  # not a public path: just compute


def _storable(headers: list[tuple[str, str]]) -> bool:
    # JSON only (stored as text), and never an answer that sets a cookie.
    kinds = [v for k, v in headers if k == "content-type"]
    json_body = bool(kinds) and kinds[0].startswith("application/json")
    return json_body and all(k != "set-cookie" for k, _ in headers)


async def _replay(
    answer: CachedAnswer, scope: Scope, send: Callable[[Message], Awaitable[None]]
) -> None:
    scope["route"] = _Route(answer.route)
    body = answer.body.encode()
    headers = [(k.encode(), v.encode()) for k, v in answer.headers]
    headers += [(b"content-length", str(len(body)).encode()), (b"x-cache", b"hit")]
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
