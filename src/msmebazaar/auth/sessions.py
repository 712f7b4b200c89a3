"""Sign-in sessions: refresh-token families, rotation with reuse detection, logout, liveness."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.exceptions import (
    AccountSuspendedError,
    InvalidTokenError,
    RefreshTokenReusedError,
    SessionRevokedError,
    TokenExpiredError,
)
from msmebazaar.auth.models import AuthSession, RefreshToken, User
from msmebazaar.auth.schemas import Principal, TokenResponse, UserRead, UserStatus
from msmebazaar.auth.tokens import (
    MAX_REFRESH_TOKEN_LENGTH,
    AccessClaims,
    TokenCodec,
    new_refresh_token,
    refresh_token_hash,
)
from msmebazaar.shared.cache import Cache
from msmebazaar.shared.counts import CountKind, count_later
from msmebazaar.shared.db import Database, utcnow
from msmebazaar.shared.security import ip_prefix

_REVOKED = "revoked"
# Why a session ended (`auth_sessions.revoked_reason`), where more than one module reads it.
REUSED = "refresh_token_reuse"  # a spent refresh token came back: the family is presumed stolen
ENDED_BY_USER = "ended_by_user"  # DELETE /auth/sessions/{id}
# A revoked session never comes back, so its marker may outlive the liveness cache by far; writing
# it (rather than deleting the entry) also wins over a request that read the session just before.
_REVOKED_MARKER_SECONDS = 300


def session_cache_key(session_id: uuid.UUID) -> str:
    """The liveness cache's key for a session. Versioned by the snapshot's form: a release that
    changes the form changes the key, so pods of two releases never read each other's entries
    (the database stays the truth; an entry lives `AUTH_SESSION_CACHE_SECONDS`)."""
    return f"auth:session:v2:{session_id}"


def _token_pair(
    codec: TokenCodec, user: UserRead, session_id: uuid.UUID, token: RefreshToken, raw: str
) -> TokenResponse:
    access = codec.issue_access(
        user_id=user.id,
        session_id=session_id,
        role=user.role,
        jti=token.id.hex,
        issued=token.issued_at,
    )
    return TokenResponse(
        access_token=access,
        refresh_token=raw,
        expires_in=codec.settings.access_token_ttl_seconds,
        refresh_expires_in=codec.settings.refresh_token_ttl_seconds,
        user=user,
    )


def _new_token(
    codec: TokenCodec, session_id: uuid.UUID, raw: str, now: datetime, parent: uuid.UUID | None
) -> RefreshToken:
    ttl = timedelta(seconds=codec.settings.refresh_token_ttl_seconds)
    return RefreshToken(
        id=uuid.uuid4(),
        session_id=session_id,
        parent_id=parent,
        token_hash=refresh_token_hash(raw),
        # Whole seconds: the access token's `iat` is too, and a grace-window replay re-derives
        # the identical token from this row.
        issued_at=now.replace(microsecond=0),
        expires_at=now + ttl,
    )


async def open_session(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    user_agent: str | None = None,
    client_ip: str | None = None,
    device_hash: str | None = None,
    second_factor: bool = False,
) -> uuid.UUID:
    """Open a sign-in session (a row of the session table, no tokens yet); its id."""
    now = utcnow()
    auth_session = AuthSession(
        id=uuid.uuid4(),
        user_id=user_id,
        created_at=now,
        last_seen_at=now,
        user_agent=(user_agent or "")[:255],
        ip_prefix=ip_prefix(client_ip),
        device_hash=device_hash,
        second_factor_at=now if second_factor else None,
    )
    session.add(auth_session)
    await session.flush()  # no ORM relationships here, so the flushes set the insert order
    return auth_session.id


async def _first_pair(
    session: AsyncSession, codec: TokenCodec, principal: Principal
) -> TokenResponse:
    raw = new_refresh_token()
    token = _new_token(codec, principal.session_id, raw, utcnow(), parent=None)
    session.add(token)
    await session.flush()
    return _token_pair(codec, principal.user, principal.session_id, token, raw)


async def issue_tokens(
    database: Database, codec: TokenCodec, principal: Principal
) -> TokenResponse:
    """The first access and refresh tokens of a signed-in principal's session (the API's
    sign-in; the portal uses a cookie instead, so its sessions have no refresh token)."""
    async with database.session() as session:
        return await _first_pair(session, codec, principal)


async def start_session(
    session: AsyncSession, codec: TokenCodec, user: User, *, user_agent: str | None = None
) -> TokenResponse:
    """Open a sign-in session (a new refresh-token family) and issue its first pair."""
    session_id = await open_session(session, user.id, user_agent=user_agent)
    principal = Principal(user=UserRead.model_validate(user), session_id=session_id)
    return await _first_pair(session, codec, principal)


async def refresh_tokens(
    database: Database, codec: TokenCodec, cache: Cache, raw: str, *, grace_seconds: float
) -> TokenResponse:
    """Spend a refresh token for a new pair; a spent token's reuse ends its whole family,
    except a racing duplicate inside the grace window, which gets the same new pair."""
    if len(raw) > MAX_REFRESH_TOKEN_LENGTH:
        raise InvalidTokenError("The refresh token is invalid.")
    async with database.session() as session:
        result = await _rotate(session, codec, raw, grace_seconds)
    if isinstance(result, uuid.UUID):  # the family was revoked (and committed): answer 401
        await cache.set(session_cache_key(result), _REVOKED, _REVOKED_MARKER_SECONDS)
        raise RefreshTokenReusedError()
    return result


async def _rotate(
    session: AsyncSession, codec: TokenCodec, raw: str, grace_seconds: float
) -> TokenResponse | uuid.UUID:
    now = utcnow()
    spend = (
        update(RefreshToken)
        .where(RefreshToken.token_hash == refresh_token_hash(raw), RefreshToken.used_at.is_(None))
        .values(used_at=now)
        .returning(RefreshToken.id, RefreshToken.session_id, RefreshToken.expires_at)
        .execution_options(synchronize_session=False)
    )
    spent = (await session.execute(spend)).one_or_none()
    if spent is None:
        return await _replay(session, codec, raw, now, grace_seconds)
    token_id, session_id, expires_at = spent
    if expires_at <= now:
        raise TokenExpiredError("The refresh token has expired. Sign in again.")
    auth_session, user = await _live_session(session, session_id)
    auth_session.last_refreshed_at = auth_session.last_seen_at = now
    successor_raw = codec.successor_refresh_token(raw)
    successor = _new_token(codec, session_id, successor_raw, now, parent=token_id)
    session.add(successor)
    await session.flush()
    return _token_pair(codec, UserRead.model_validate(user), session_id, successor, successor_raw)


async def _live_session(session: AsyncSession, session_id: uuid.UUID) -> tuple[AuthSession, User]:
    row = (
        await session.execute(
            select(AuthSession, User)
            .join(User, User.id == AuthSession.user_id)
            .where(AuthSession.id == session_id)
        )
    ).one()
    auth_session, user = row
    if auth_session.revoked_at is not None:
        raise SessionRevokedError()
    if user.status == UserStatus.SUSPENDED:
        raise AccountSuspendedError()
    return auth_session, user


async def _replay(
    session: AsyncSession, codec: TokenCodec, raw: str, now: datetime, grace_seconds: float
) -> TokenResponse | uuid.UUID:
    token = await session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == refresh_token_hash(raw))
    )
    if token is None or token.used_at is None:
        raise InvalidTokenError("The refresh token is invalid.")
    if now - token.used_at <= timedelta(seconds=grace_seconds):
        child = await session.scalar(select(RefreshToken).where(RefreshToken.parent_id == token.id))
        child_raw = codec.successor_refresh_token(raw)
        if (
            child is not None
            and child.used_at is None
            and child.token_hash == refresh_token_hash(child_raw)
        ):
            _, user = await _live_session(session, token.session_id)
            user_read = UserRead.model_validate(user)
            return _token_pair(codec, user_read, token.session_id, child, child_raw)
    await _revoke(session, [token.session_id], REUSED, now)
    return token.session_id


async def _revoke(
    session: AsyncSession, session_ids: list[uuid.UUID], reason: str, now: datetime
) -> int:
    if not session_ids:
        return 0
    result: Any = await session.execute(
        update(AuthSession)
        .where(AuthSession.id.in_(session_ids), AuthSession.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)


async def logout(session: AsyncSession, cache: Cache, principal: Principal, raw: str) -> int:
    """End the caller's session and the family of the given refresh token, if it is theirs."""
    families = {principal.session_id}
    if len(raw) <= MAX_REFRESH_TOKEN_LENGTH:
        owned = await session.scalar(
            select(RefreshToken.session_id)
            .join(AuthSession, AuthSession.id == RefreshToken.session_id)
            .where(
                RefreshToken.token_hash == refresh_token_hash(raw),
                AuthSession.user_id == principal.id,
            )
        )
        if owned is not None:
            families.add(owned)
    return await end_sessions(session, cache, sorted(families), "logout")


async def end_sessions(
    session: AsyncSession, cache: Cache, session_ids: list[uuid.UUID], reason: str
) -> int:
    """End sessions at once: their refresh tokens and portal cookies stop working, and their
    access tokens fail the next liveness check (the cached check is overwritten); how many."""
    ended = await _revoke(session, session_ids, reason, utcnow())
    for session_id in session_ids:
        await cache.set(session_cache_key(session_id), _REVOKED, _REVOKED_MARKER_SECONDS)
    return ended


async def revoke_user_sessions(
    session: AsyncSession, cache: Cache, user_id: uuid.UUID, reason: str
) -> int:
    """End every open session of a user at once (a suspension): their refresh tokens stop
    working and their access tokens fail the next liveness check; how many were ended."""
    open_sessions = list(
        await session.scalars(
            select(AuthSession.id).where(
                AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)
            )
        )
    )
    ended = await _revoke(session, open_sessions, reason, utcnow())
    for session_id in open_sessions:
        await cache.set(session_cache_key(session_id), _REVOKED, _REVOKED_MARKER_SECONDS)
    return ended


async def forget_session(cache: Cache, session_id: uuid.UUID) -> None:
    """Drop the cached liveness of one session (after a change to what it may do)."""
    await cache.delete(session_cache_key(session_id))


async def forget_user_sessions(session: AsyncSession, cache: Cache, user_id: uuid.UUID) -> None:
    """Drop the cached liveness of every open session of a user (after a change to the user)."""
    open_sessions = await session.scalars(
        select(AuthSession.id).where(
            AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)
        )
    )
    for session_id in open_sessions:
        await cache.delete(session_cache_key(session_id))


async def load_principal(
    database: Database, cache: Cache, claims: AccessClaims, *, cache_seconds: float
) -> Principal:
    """The live session and user behind verified claims; cached for `cache_seconds`."""
    return await session_principal(
        database,
        cache,
        user_id=claims.user_id,
        session_id=claims.session_id,
        cache_seconds=cache_seconds,
    )


async def session_principal(
    database: Database,
    cache: Cache,
    *,
    user_id: uuid.UUID,
    session_id: uuid.UUID,
    cache_seconds: float,
) -> Principal:
    """The user of a live sign-in session (an access token's, or the web portal's cookie's):
    401 once it is revoked (logout, token reuse), 403 while the user is suspended."""
    key = session_cache_key(session_id)
    cached = await cache.get(key) if cache_seconds > 0 else None
    snapshot = _read_snapshot(cached) if cached is not None else None
    if snapshot is None:  # not cached (or unreadable)
        value = await _session_snapshot(database, session_id)
        if cache_seconds > 0:
            await cache.set(key, value, cache_seconds)
        snapshot = _read_snapshot(value)
    if not isinstance(snapshot, _Snapshot):
        raise SessionRevokedError()
    if snapshot.user.id != user_id:
        raise InvalidTokenError()
    if snapshot.user.status == UserStatus.SUSPENDED:
        raise AccountSuspendedError()
    return Principal(
        user=snapshot.user, session_id=session_id, second_factor=snapshot.second_factor
    )


class _Snapshot(BaseModel):
    """What the liveness cache keeps of a live session: its user, and whether it proved a
    second factor."""

    user: UserRead
    second_factor: bool


def _read_snapshot(value: str) -> _Snapshot | str | None:
    """A cached entry: the revoked marker, a snapshot, or None for what this code cannot read."""
    if value == _REVOKED:
        return _REVOKED
    try:
        return _Snapshot.model_validate_json(value)
    except ValidationError:
        return None


async def _session_snapshot(database: Database, session_id: uuid.UUID) -> str:
    statement = (
        select(AuthSession.revoked_at, AuthSession.second_factor_at, User)
        .join(User, User.id == AuthSession.user_id)
        .where(AuthSession.id == session_id)
    )
    async with database.read_session() as session:
        row = (await session.execute(statement)).one_or_none()
        if row is not None and row[0] is None:
            count_later(session, SESSIONS_SEEN, session_id)  # "last seen", written in a batch
    if row is None or row[0] is not None:
        return _REVOKED
    user = UserRead.model_validate(row[2])
    return _Snapshot(user=user, second_factor=row[1] is not None).model_dump_json()


async def _mark_seen(session: AsyncSession, seen: dict[Any, int]) -> None:
    await session.execute(
        update(AuthSession)
        .where(AuthSession.id.in_(list(seen)))
        .values(last_seen_at=utcnow())
        .execution_options(synchronize_session=False)
    )


# A session's liveness is read once per `AUTH_SESSION_CACHE_SECONDS`: each read marks it seen.
SESSIONS_SEEN = CountKind("auth sessions seen", _mark_seen)
