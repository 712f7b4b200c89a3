"""The portal's cookie names and the browser's random CSRF cookie.

The session cookie and the CSRF tokens are signed by auth (`auth.service.CookieSigner`), with
keys derived from auth's secret there; the portal only sets and clears the cookies. Each browser
gets a random `mb_csrf` cookie; forms carry auth's HMAC of it bound to the sign-in session.
"""

from __future__ import annotations

import secrets

SESSION_COOKIE = "mb_session"
CSRF_COOKIE = "mb_csrf"
LANGUAGE_COOKIE = "mb_lang"
FLASH_COOKIE = "mb_flash"
# The browser's own random id, kept for years: a sign-in from a browser without it is a new
# device to the account (auth tells the user by SMS).
DEVICE_COOKIE = "mb_device"
DEVICE_COOKIE_SECONDS = 2 * 365 * 24 * 3600
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_CSRF_COOKIE_BYTES = 32


def new_csrf_cookie() -> str:
    """A fresh random CSRF cookie value."""
    return secrets.token_urlsafe(_CSRF_COOKIE_BYTES)


def device_id(current: str | None) -> str:
    """This browser's device id: the one its cookie holds, or a new random one."""
    if current and csrf_cookie_valid(current):  # the same shape: 43 URL-safe characters
        return current
    return secrets.token_urlsafe(_CSRF_COOKIE_BYTES)


def csrf_cookie_valid(value: str | None) -> bool:
    """Whether a CSRF cookie looks like one we set (43 URL-safe characters)."""
    return (
        bool(value)
        and len(value or "") == 43
        and (value or "").replace("-", "").replace("_", "").isalnum()
    )
