"""The portal's cookie names and the browser's random CSRF cookie.

The session cookie and the CSRF tokens are signed by auth (`auth.service.CookieSigner`), with
keys derived from auth's secret there; the portal only sets and clears the cookies. Each browser
gets a random `mb_csrf` cookie; forms carry auth's HMAC of it bound to the sign-in session.
"""

from __future__ import annotations

import secrets

from msmebazaar.auth.service import CSRF_COOKIE, DEVICE_COOKIE, SESSION_COOKIE
from msmebazaar.auth.service import browser_device_id as device_id

LANGUAGE_COOKIE = "mb_lang"
FLASH_COOKIE = "mb_flash"
DEVICE_COOKIE_SECONDS = 2 * 365 * 24 * 3600
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_CSRF_COOKIE_BYTES = 32


def new_csrf_cookie() -> str:
    """A fresh random CSRF cookie value."""
    return secrets.token_urlsafe(_CSRF_COOKIE_BYTES)


def csrf_cookie_valid(value: str | None) -> bool:
    """Whether a CSRF cookie looks like one we set (43 URL-safe characters)."""
    return (
        bool(value)
        and len(value or "") == 43
        and (value or "").replace("-", "").replace("_", "").isalnum()
    )


__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "DEVICE_COOKIE",
    "DEVICE_COOKIE_SECONDS",
    "FLASH_COOKIE",
    "LANGUAGE_COOKIE",
    "SESSION_COOKIE",
    "csrf_cookie_valid",
    "device_id",
    "new_csrf_cookie",
]
