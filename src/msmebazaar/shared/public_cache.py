"""A short-lived shared cache of public answers: the same GET answered to everyone for a second
or two from the cache (Redis in production), so a crowd of readers does not reach the database.

A route opts in with the `PublicCacheDep` dependency, which marks its answer
`Cache-Control: public, max-age=N` (N = `PUBLIC_CACHE_SECONDS`); only a route whose answer is
the same for every caller — anonymous or signed in, in any language — may do so. The middleware
keeps such 200 answers for N seconds from when computing them began, keyed by path, query string
(parameters sorted) and the language `Accept-Language` resolves to, and serves them unchanged
(`X-Cache: hit`, with `Age`) until they expire: N is the bound on staleness (a listing closed,
rejected or hidden with its suspended owner leaves the cached pages within N seconds).
Within one process, concurrent misses on one key wait for the first instead of each querying;
an answer read once is kept in memory until the shared copy expires (so the bound holds across
processes on one host; across hosts it is N plus their clock skew); and past half its life the
copy's successor is computed once while every reader is still served the copy, so a hot page
under a flood never has a moment when every reader waits for the database. Served apps compute
it in the background (`renew_in_background`): no reader waits for it, so a popular search costs
its readers a cache hit, never a query. Under tests the request that found the copy old computes
it instead, as their one shared database connection cannot serve two tasks. Under overload the
renewal takes a slot reserved for cache fills (`AdmissionLimitMiddleware`), and if it is turned
away or fails anyway, the copy that is still valid is served: cached pages are not shed.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import structlog
from fastapi import Depends, Request, Response
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from msmebazaar.shared.i18n import resolve_language
from msmebazaar.shared.metrics import PUBLIC_CACHE
from msmebazaar.shared.middleware import CACHE_FILL
from msmebazaar.shared.runtime import runtime_of

logger = structlog.get_logger("msmebazaar.public_cache")

KEY_PREFIX = "public:v2:"  # v2: answers carry when computing began (v1 kept when it ended)
MAX_BODY_BYTES = 512 * 1024  # a bigger answer is served, not stored (nor held while streamed)
MAX_LOCAL_BYTES = 32 * 1024 * 1024  # memory one process spends on copies beside the shared cache
ENTRY_OVERHEAD_BYTES = 1024  # key, headers and objects of one copy, charged beside its body
MAX_PUBLIC_PATHS = 1_024  # paths learnt to answer publicly (ours are a handful of fixed ones)
_KEPT_HEADERS = frozenset({"content-type", "cache-control"})
_CALLER_HEADERS = frozenset({b"authorization", b"cookie"})


def now_seconds() -> float:
    """The wall clock the cache's expiry times are read against (one place, so tests can move
    it instead of sleeping)."""
    return time.time()


async def mark_public(request: Request, response: Response) -> None:
    """FastAPI dependency: this route's 200 answer is the same for everyone; cache it briefly."""
    seconds = runtime_of(request.app).settings.app.public_cache_ttl
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
    computed_at: float  # wall clock when computing began: expiry and `Age` count from it
    expires_at: float  # wall clock: a copy kept in a process never outlives the shared one

    @property
    def renew_at(self) -> float:
        """Half way to expiry: from then on, one request computes its successor."""
        return (self.computed_at + self.expires_at) / 2

    @property
    def size(self) -> int:
        """Bytes this copy holds in memory, as charged against `MAX_LOCAL_BYTES`."""
        return sys.getsizeof(self.body) + ENTRY_OVERHEAD_BYTES

    def dumps(self) -> str:
        """The answer as stored in the cache."""
        fields = [
            *(self.status, self.headers, self.body, self.route),
            *(self.computed_at, self.expires_at),
        ]
        return json.dumps(fields)

    @classmethod
    def loads(cls, raw: str) -> CachedAnswer | None:
        """The stored answer, or `None` when it cannot be read (then it is recomputed)."""
        try:
            status, headers, body, route, computed_at, expires_at = json.loads(raw)
            pairs = [(str(k), str(v)) for k, v in headers]
            times = float(computed_at), float(expires_at)
            return cls(int(status), pairs, str(body), str(route), *times)
        except (ValueError, TypeError):
            return None


Future = asyncio.Future[CachedAnswer | None]  # a leader's answer, awaited by the readers after it


@dataclass(frozen=True)
class _Route:
    path: str  # read by `middleware.route_template`


def cache_key(scope: Scope) -> str:
    """The key of a GET: path, query string and the language asked for (hashed: bounded size)."""
    # The language, not the raw header: "hi-IN,hi;q=0.9" and "hi" get the same answer.
    language = resolve_language(accept_language=Headers(scope=scope).get("accept-language"))
    query = _sorted_query(scope.get("query_string", b""))
    material = b"\0".join((scope["path"].encode(), query, language.encode()))
    return KEY_PREFIX + hashlib.sha256(material).hexdigest()


def _sorted_query(query: bytes) -> bytes:
    # `?a=1&b=2` and `?b=2&a=1` ask the same, so they share a copy; the sort is stable, so
    # repeated names keep their order (`?a=1&a=2` may mean something else than `?a=2&a=1`).
    params: list[bytes] = sorted((p for p in query.split(b"&") if p), key=_param_name)
    return b"&".join(params)


def _param_name(param: bytes) -> bytes:
    return param.partition(b"=")[0]


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

    def __init__(
        self, app: ASGIApp, *, route_of: Callable[[Scope], str], renew_in_background: bool = False
    ) -> None:
        self.app = app
        self.route_of = route_of
        self.renew_in_background = renew_in_background
        self._renewals: set[asyncio.Task[None]] = set()
        self._public_paths: set[str] = set()
        self._pending: dict[str, Future] = {}
        # Answers read or stored by this process, until they expire: a hot page is then served
        # without even a round trip to Redis, i.e. without yielding the event loop. Kept in
        # insertion order, which is nearly expiry order: pruned from the front.
        self._local: dict[str, CachedAnswer] = {}
        self._local_bytes = 0

    @property
    def kept_bytes(self) -> int:
        """Memory held by this process's copies (at most `MAX_LOCAL_BYTES`)."""
        return self._local_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        if scope["path"] not in self._public_paths:
            # Not (yet) known to answer publicly: computed, and learnt if it does.
            await self._compute(None, scope, receive, send)
            return
        key = cache_key(scope)
        answer, lead = await self._cached(key)
        if answer is not None and lead:  # an old copy: served, its successor computed behind it
            self._renew(key, scope)
            await _serve(answer, scope, send)
        elif answer is not None:
            await _serve(answer, scope, send)
        elif lead:
            await self._lead(key, scope, receive, send)
        else:
            await self._compute(key, scope, receive, send)

    async def _cached(self, key: str) -> tuple[CachedAnswer | None, bool]:
        """This process's copy or the one being computed; else whether the caller must lead
        (its computation is shared) or just compute (the last one could not be stored)."""
        local, now = self._local.get(key), now_seconds()
        pending = self._pending.get(key)
        if local is not None and local.expires_at > now:
            # Past half its life it is renewed once; the others keep being served this copy, so
            # a hot page never has a moment when every reader waits for the database.
            if now < local.renew_at or pending:
                return local, False
            return (local, True) if self.renew_in_background else (None, True)
        if pending is None:
            return None, True
        return await asyncio.shield(pending), False

    async def _lead(self, key: str, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer the request that the readers after it wait for (registered before yielding,
        so they wait instead of querying too): from the shared cache, or computed."""
        future: Future = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        answer = None
        try:
            answer = await self._shared(scope, key)
            if answer is None:
                scope[CACHE_FILL] = True  # may take a reserved admission slot
                await self._compute(key, scope, receive, send, future)
                return
        finally:
            self._settle(key, future, answer)
        await _serve(answer, scope, send)

    def _renew(self, key: str, scope: Scope) -> None:
        """Compute an old copy's successor in a task of its own, on a copy of the request (no
        body: a GET), registered so no other reader of this process starts another."""
        future: Future = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        # As an anonymous caller: the answer is the same for everyone, and the reader's token or
        # cookie may have lapsed by the time the renewal runs.
        headers = [(k, v) for k, v in scope["headers"] if k not in _CALLER_HEADERS]
        state = dict(scope.get("state", {}))
        request = dict(scope) | {"headers": headers, "state": state, CACHE_FILL: True}
        task = asyncio.create_task(self._renewal(key, request, future), name="public-cache-renew")
        self._renewals.add(task)
        task.add_done_callback(self._renewals.discard)

    async def _renewal(self, key: str, scope: Scope, future: Future) -> None:
        answer = None
        try:
            answer = await self._shared(scope, key)  # another process renewed it already
            if answer is None:
                await self._compute(key, scope, _no_body, _nowhere, future)
        except Exception:  # the copy stays served until it expires; the next reader retries
            logger.exception("public_cache_renewal_failed")
        finally:
            self._settle(key, future, answer)

    async def _shared(self, scope: Scope, key: str) -> CachedAnswer | None:
        """The answer another process stored, unless this process's own copy is as recent."""
        raw = await runtime_of(scope["app"]).cache.get(key)
        answer = CachedAnswer.loads(raw) if raw is not None else None
        local = self._local.get(key)
        if answer is None or answer.expires_at <= now_seconds():
            return None  # the store may keep a copy a little past its time (clock skew)
        if local is not None and answer.expires_at <= local.expires_at:
            return None
        self._keep(key, answer)
        return answer

    async def _compute(
        self,
        key: str | None,
        scope: Scope,
        receive: Receive,
        send: Send,
        future: Future | None = None,
    ) -> None:
        """Run the app, passing its answer on; store it if the route marked it public. A leader
        renewing a copy that is still valid serves that copy if its own answer is not a 200
        (shed under overload, or failed)."""
        started = now_seconds()
        fallback = self._valid_copy(key, started) if future is not None and key else None
        recorder = _Recorder(send, withhold_failure=fallback is not None)
        try:
            await self.app(scope, receive, recorder)
        except Exception:
            if fallback is not None and recorder.withheld:
                await _serve(fallback, scope, send)  # the app logged the error already
            raise
        if fallback is not None and recorder.withheld:
            await _serve(fallback, scope, send)
            return
        answer = self._answer(scope, recorder, started)
        if answer is None:
            return
        key = key or cache_key(scope)  # only for an answer to keep: most paths never need it
        self._keep(key, answer)
        if future is not None:
            self._settle(key, future, answer)  # the readers waiting need not wait for Redis
        await runtime_of(scope["app"]).cache.set(key, answer.dumps(), answer.expires_at - started)
        PUBLIC_CACHE.labels("miss").inc()

    def _answer(self, scope: Scope, recorder: _Recorder, started: float) -> CachedAnswer | None:
        """The recorded answer as a copy to keep, or `None` when it may not be kept."""
        body, headers = recorder.body(), recorder.headers
        if body is None or headers is None:
            return None
        expires_at = started + _max_age(headers)
        if expires_at <= now_seconds():
            return None  # computing took longer than the copy may live
        if len(self._public_paths) < MAX_PUBLIC_PATHS:
            self._public_paths.add(scope["path"])
        kept = [(k, v) for k, v in headers if k in _KEPT_HEADERS]
        return CachedAnswer(200, kept, body.decode(), self.route_of(scope), started, expires_at)

    def _valid_copy(self, key: str, now: float) -> CachedAnswer | None:
        local = self._local.get(key)
        return local if local is not None and local.expires_at > now else None

    def _keep(self, key: str, answer: CachedAnswer) -> None:
        self._forget(key)  # re-inserted at the end, in expiry order
        now, size = now_seconds(), answer.size
        while self._local:
            oldest_key, oldest = next(iter(self._local.items()))
            if oldest.expires_at > now and self._local_bytes + size <= MAX_LOCAL_BYTES:
                break
            self._forget(oldest_key)
        self._local[key] = answer
        self._local_bytes += size

    def _forget(self, key: str) -> None:
        answer = self._local.pop(key, None)
        if answer is not None:
            self._local_bytes -= answer.size

    def _settle(self, key: str, future: Future, answer: CachedAnswer | None) -> None:
        if self._pending.get(key) is future:
            del self._pending[key]
        if not future.done():
            future.set_result(answer)


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _nowhere(_: Message) -> None:
    """The `send` of a background renewal: its answer is kept, not sent to anyone."""


class _Recorder:
    """The `send` of a computed answer: passes it on, keeping its body only when the answer is
    one to store (decided at its start) and only up to `MAX_BODY_BYTES`, so streamed exports
    and downloads go through without being held. With `withhold_failure`, an answer other than
    200 is dropped instead: the caller is served the valid copy."""

    def __init__(self, send: Send, *, withhold_failure: bool) -> None:
        self.send = send
        self.withhold_failure = withhold_failure
        self.withheld = False
        self.headers: list[tuple[str, str]] | None = None  # set while the body is kept
        self.chunks: list[bytes] = []
        self.size = 0
        self.complete = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.withheld = self.withhold_failure and message["status"] != 200
            self.headers = _storable_headers(message)
        elif message["type"] == "http.response.body" and self.headers is not None:
            self._record(message)
        if not self.withheld:
            await self.send(message)

    def _record(self, message: Message) -> None:
        chunk = message.get("body", b"")
        self.size += len(chunk)
        if self.size > MAX_BODY_BYTES:
            self.headers, self.chunks = None, []  # too big to store: stop holding it
            return
        self.chunks.append(chunk)
        self.complete = not message.get("more_body", False)

    def body(self) -> bytes | None:
        """The whole body when it is one to store, else `None`."""
        return b"".join(self.chunks) if self.headers is not None and self.complete else None


def _storable_headers(start: Message) -> list[tuple[str, str]] | None:
    # A 200 marked public, JSON only (stored as text), and never an answer that sets a cookie.
    if start["status"] != 200:
        return None
    headers = [(k.decode().lower(), v.decode()) for k, v in start.get("headers", [])]
    kinds = [v for k, v in headers if k == "content-type"]
    json_body = bool(kinds) and kinds[0].startswith("application/json")
    no_cookie = all(k != "set-cookie" for k, _ in headers)
    return headers if json_body and no_cookie and _max_age(headers) > 0 else None


async def _serve(
    answer: CachedAnswer, scope: Scope, send: Callable[[Message], Awaitable[None]]
) -> None:
    PUBLIC_CACHE.labels("hit").inc()
    scope["route"] = _Route(answer.route)
    body = answer.body.encode()
    # `Age` tells browsers and proxies how much of max-age is spent, so they do not keep a
    # nearly expired copy for another full max-age.
    age = max(0, int(now_seconds() - answer.computed_at))
    headers = [(k.encode(), v.encode()) for k, v in answer.headers]
    headers += [(b"content-length", str(len(body)).encode()), (b"x-cache", b"hit")]
    headers.append((b"age", str(age).encode()))
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
