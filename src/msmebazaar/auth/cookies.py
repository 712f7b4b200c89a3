"""The web portal's session cookie and CSRF tokens, signed with keys derived here from auth's
secret (the portal never sees the secret itself).

The session cookie names a row of auth's session table (the same table as the API's refresh
tokens), so logging out, a revoked token family and a suspension end a browser's session exactly
as they end an app's. It carries no secret of its own: only an HMAC over the session id, the user
id and an expiry, keyed by the server's JWT key material.

CSRF: forms carry an HMAC of the browser's random CSRF cookie bound to the sign-in session (a
signed double submit). A cross-site page can neither read the cookie nor compute the token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import time
import uuid
from dataclasses import dataclass

from msmebazaar.auth.schemas import Principal
from msmebazaar.shared.config import AuthSettings
from msmebazaar.shared.runtime import Runtime

_MAX_COOKIE_CHARS = 256
_MAX_SEALED_CHARS = 2048

# The browser's cookies auth reads or writes (the portal sets the same ones).
SESSION_COOKIE = "mb_session"
CSRF_COOKIE = "mb_csrf"
# The browser's own random id, kept for years: a sign-in from a browser without it is a new
# device to the account (auth tells the user by SMS).
DEVICE_COOKIE = "mb_device"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _key_material(settings: AuthSettings) -> bytes:
    if settings.jwt_algorithm == "RS256" and settings.jwt_private_key is not None:
        return settings.jwt_private_key.get_secret_value().encode()
    return settings.jwt_secret.get_secret_value().encode()


_RANDOM_ID = re.compile(r"[A-Za-z0-9_-]{43}")


def browser_device_id(current: str | None) -> str:
    """This browser's device id: the one its cookie holds, or a new random one."""
    if current and _RANDOM_ID.fullmatch(current):
        return current
    return secrets.token_urlsafe(32)


@dataclass(frozen=True, slots=True)
class SessionRef:
    """What a valid session cookie names: an auth session and its user."""

    session_id: uuid.UUID
    user_id: uuid.UUID

    @classmethod
    def of(cls, principal: Principal) -> SessionRef:
        """The session a signed-in principal acts in."""
        return cls(principal.session_id, principal.id)


class CookieSigner:
    """Signs and checks the session cookie and CSRF tokens (one key per purpose)."""

    def __init__(self, settings: AuthSettings) -> None:
        material = _key_material(settings)
        self._session_key = hmac.new(material, b"msmebazaar/web-session", hashlib.sha256).digest()
        self._csrf_key = hmac.new(material, b"msmebazaar/web-csrf", hashlib.sha256).digest()
        self._sealing_key = hmac.new(material, b"msmebazaar/web-sealed", hashlib.sha256).digest()
        self.session_seconds = settings.refresh_token_ttl_seconds

    def _mac(self, payload: str) -> str:
        return _b64(hmac.new(self._session_key, payload.encode(), hashlib.sha256).digest())

    def session_cookie(self, ref: SessionRef, *, now: float | None = None) -> str:
        """The cookie value for a sign-in session, valid as long as its refresh tokens."""
        expires = int(now if now is not None else time.time()) + self.session_seconds
        payload = f"{ref.session_id.hex}.{ref.user_id.hex}.{expires}"
        return f"{payload}.{self._mac(payload)}"

    def read_session(self, value: str | None, *, now: float | None = None) -> SessionRef | None:
        """The session a cookie names, or None when it is absent, forged or expired."""
        if not value or len(value) > _MAX_COOKIE_CHARS:
            return None
        parts = value.split(".")
        if len(parts) != 4:
            return None
        payload, mac = ".".join(parts[:3]), parts[3]
        if not hmac.compare_digest(mac.encode(), self._mac(payload).encode()):
            return None
        session_hex, user_hex, expires = parts[:3]
        if not expires.isdigit() or int(expires) <= (now if now is not None else time.time()):
            return None
        try:
            return SessionRef(uuid.UUID(hex=session_hex), uuid.UUID(hex=user_hex))
        except ValueError:
            return None

    def csrf_token(self, csrf_cookie: str, session_id: uuid.UUID | None) -> str:
        """The token forms carry: bound to the browser's CSRF cookie and its sign-in session."""
        binding = f"{csrf_cookie}|{session_id.hex if session_id else ''}"
        return _b64(hmac.new(self._csrf_key, binding.encode(), hashlib.sha256).digest())

    def csrf_valid(
        self, token: str | None, csrf_cookie: str | None, session_id: uuid.UUID | None
    ) -> bool:
        """Whether a submitted token matches this browser and session (constant time)."""
        if not token or not csrf_cookie or len(token) > _MAX_COOKIE_CHARS:
            return False
        expected = self.csrf_token(csrf_cookie, session_id)
        return hmac.compare_digest(token.encode(), expected.encode())  # bytes: any text is safe

    def seal(self, purpose: str, payload: dict[str, str], seconds: int) -> str:
        """A cookie value carrying `payload` for `seconds`, readable only by `unseal` with the
        same purpose: signed, not encrypted (put nothing secret from the browser in it)."""
        body = dict(payload, _p=purpose, _e=str(int(time.time()) + seconds))
        data = _b64(json.dumps(body, separators=(",", ":"), sort_keys=True).encode())
        mac = _b64(hmac.new(self._sealing_key, data.encode(), hashlib.sha256).digest())
        return f"{data}.{mac}"

    def unseal(self, purpose: str, value: str | None) -> dict[str, str] | None:
        """The payload `seal` put in a cookie for `purpose`, or None when absent, forged,
        expired or sealed for another purpose."""
        if not value or len(value) > _MAX_SEALED_CHARS or value.count(".") != 1:
            return None
        data, mac = value.split(".")
        expected = _b64(hmac.new(self._sealing_key, data.encode(), hashlib.sha256).digest())
        if not hmac.compare_digest(mac.encode(), expected.encode()):
            return None
        try:
            body = json.loads(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
        except ValueError:
            return None
        if not isinstance(body, dict) or body.pop("_p", None) != purpose:
            return None
        expires = body.pop("_e", "")
        if not str(expires).isdigit() or int(expires) <= time.time():
            return None
        return {str(key): str(item) for key, item in body.items()}


def signer_of(runtime: Runtime) -> CookieSigner:
    """The app's cookie signer, keyed from auth's secret, built once from its settings."""
    return runtime.part(CookieSigner, lambda: CookieSigner(runtime.settings.auth))
