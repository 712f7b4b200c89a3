"""My sign-ins: the live sessions of a user (an app's tokens or a browser's cookie), ending one
of them, and the notice a user gets when their account is signed in from a device it has not
been signed in from before."""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.events import SessionEnded
from msmebazaar.auth.models import AuthSession, User
from msmebazaar.auth.schemas import Principal, SessionRead
from msmebazaar.auth.sessions import ENDED_BY_USER, REUSED, end_sessions
from msmebazaar.shared.cache import Cache
from msmebazaar.shared.config import AuthSettings
from msmebazaar.shared.db import utcnow
from msmebazaar.shared.events import publish
from msmebazaar.shared.exceptions import NotFoundError
from msmebazaar.shared.i18n import Catalog
from msmebazaar.shared.india import india_time_text
from msmebazaar.shared.outbox import enqueue

NOTICES = Catalog(
    {
        "new_device": {
            "en": (
                "MSMEBazaar: your account was signed in on {device} ({network}) at {time}. "
                "Not you? End that sign-in under Account, Sign-ins."
            ),
            "hi": (
                "MSMEBazaar: आपके खाते में {time} पर {device} ({network}) से साइन इन हुआ। "
                "यह आप नहीं थे? खाता, साइन-इन में जाकर उसे बंद करें।"
            ),
        },
        "unknown_device": {"en": "an unknown device", "hi": "एक अनजान डिवाइस"},
        "account_linked": {
            "en": (
                "MSMEBazaar: your {provider} account was linked at {time}; it can now sign in "
                "to your account. Not you? Unlink it under Account, Linked accounts."
            ),
            "hi": (
                "MSMEBazaar: {time} पर आपका {provider} खाता जोड़ा गया; अब उससे आपके खाते में साइन इन "
                "हो सकता है। यह आप नहीं थे? खाता, जुड़े खाते में जाकर उसे हटाएँ।"
            ),
        },
        "second_factor_on": {
            "en": (
                "MSMEBazaar: two-step sign-in was turned on for your account at {time}. "
                "Not you? Contact support at once."
            ),
            "hi": (
                "MSMEBazaar: {time} पर आपके खाते में दो-चरण साइन-इन चालू किया गया। "
                "यह आप नहीं थे? तुरंत सहायता से संपर्क करें।"
            ),
        },
        "unknown_network": {"en": "unknown network", "hi": "अनजान नेटवर्क"},
    }
)
KNOWN_DEVICES_CHECKED = 200  # a user's most recent sign-ins that make a device known
_DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{16,128}")


class SessionNotFoundError(NotFoundError):
    """Not one of the caller's live sign-ins (or no such session at all: the same answer)."""

    def __init__(self) -> None:
        super().__init__("No such sign-in of yours.", code="SESSION_NOT_FOUND")


def _live(settings: AuthSettings, now: datetime) -> ColumnElement[bool]:
    # A session lives while it is not revoked and its refresh tokens (and the portal cookie,
    # which lasts as long) can still be used.
    used = func.coalesce(AuthSession.last_refreshed_at, AuthSession.created_at)
    return and_(
        AuthSession.revoked_at.is_(None),
        used > now - timedelta(seconds=settings.refresh_token_ttl_seconds),
    )


def _read(row: AuthSession, principal: Principal) -> SessionRead:
    seen = max(t for t in (row.created_at, row.last_refreshed_at, row.last_seen_at) if t)
    return SessionRead(
        id=row.id,
        device=row.user_agent or None,
        ip_prefix=row.ip_prefix,
        created_at=row.created_at,
        last_seen_at=seen,
        current=row.id == principal.session_id,
    )


async def list_sessions(
    session: AsyncSession, principal: Principal, settings: AuthSettings
) -> list[SessionRead]:
    """The caller's live sign-ins, the most recently used first."""
    rows = await session.scalars(
        select(AuthSession)
        .where(AuthSession.user_id == principal.id, _live(settings, utcnow()))
        .order_by(AuthSession.created_at.desc(), AuthSession.id)
    )
    found = [_read(row, principal) for row in rows]
    return sorted(found, key=lambda item: item.last_seen_at, reverse=True)


async def end_session(
    session: AsyncSession,
    cache: Cache,
    principal: Principal,
    session_id: uuid.UUID,
) -> SessionRead:
    """End one of the caller's sign-ins at once (tokens and portal cookie alike); 404 for any
    other session, so no one learns whether another user's session exists. Any sign-in not
    yet ended may be ended: its tokens keep the expiry they were issued with."""
    row = await session.scalar(
        select(AuthSession).where(
            AuthSession.id == session_id,
            AuthSession.user_id == principal.id,
            AuthSession.revoked_at.is_(None),
        )
    )
    if row is None:
        raise SessionNotFoundError()
    ended = _read(row, principal)
    if await end_sessions(session, cache, [row.id], ENDED_BY_USER) == 0:
        raise SessionNotFoundError()  # ended by a request a moment ago: announced by that one
    event = SessionEnded(principal.id, principal.role.value, row.id, principal.session_id)
    publish(session, event)
    return ended


# Browser and system families, most specific first: a notice names the family, never the
# free text a client sent (which anyone can set), and a browser's update is not a new device.
_BROWSERS = (
    ("MSMEBazaarApp", "MSMEBazaar app"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def device_family(user_agent: str | None) -> str | None:
    """ "Chrome on Android", "Firefox on Linux", ...; None when nothing known is recognised."""
    agent = user_agent or ""
    browser = next((name for mark, name in _BROWSERS if mark in agent), None)
    system = next((name for mark, name in _SYSTEMS if mark in agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system


def device_hash(device_id: str | None) -> str | None:
    """What is stored of a device id (its SHA-256), or None when there is none or it is not
    one a browser or app of ours would send (16–128 URL-safe characters)."""
    if device_id is None or not _DEVICE_ID.fullmatch(device_id):
        return None
    return hashlib.sha256(device_id.encode()).hexdigest()


async def is_new_device(
    session: AsyncSession, user_id: uuid.UUID, user_agent: str | None, device_id: str | None
) -> bool:
    """Whether none of the user's earlier sign-ins came from this device: the same device id
    when the browser (its cookie) or app (`X-Device-Id`) keeps one, else the same browser and
    system family. An unknown device is always new, and a sign-in the user ended (or that was
    stolen: a reused refresh token) does not make its device known."""
    hashed = device_hash(device_id)
    family = device_family(user_agent)
    if hashed is None and family is None:
        return True
    earlier = await session.execute(
        select(AuthSession.device_hash, AuthSession.user_agent)
        .where(
            AuthSession.user_id == user_id,
            or_(
                AuthSession.revoked_reason.is_(None),
                AuthSession.revoked_reason.not_in([ENDED_BY_USER, REUSED]),
            ),
        )
        .order_by(AuthSession.created_at.desc())
        .limit(KNOWN_DEVICES_CHECKED)
    )
    if hashed is not None:
        return all(known != hashed for known, _ in earlier)
    return all(device_family(agent) != family for _, agent in earlier)


def notify_security_change(
    session: AsyncSession, phone: str, language: str, notice: str, **params: str
) -> None:
    """Queue the SMS telling a user of a change to how their account is signed in to
    (`account_linked`, `second_factor_on`)."""
    body = NOTICES.text(notice, language, time=india_time_text(utcnow()), **params)
    enqueue(session, "sms", phone, body, template=f"auth_{notice}")


def notify_new_device(
    session: AsyncSession, user: User, *, user_agent: str | None, network: str | None
) -> None:
    """Queue the SMS telling a user their account was signed in on a new device."""
    language = user.language
    device = device_family(user_agent) or NOTICES.text("unknown_device", language)
    body = NOTICES.text(
        "new_device",
        language,
        device=device,
        network=network or NOTICES.text("unknown_network", language),
        time=india_time_text(utcnow()),
    )
    enqueue(session, "sms", user.phone, body, template="auth_new_device")
