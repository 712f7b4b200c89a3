"""The portal's cookie signing and CSRF tokens."""

from __future__ import annotations

import uuid

from pydantic import SecretStr

from msmebazaar.auth.service import CookieSigner, SessionRef
from msmebazaar.shared.config import AuthSettings
from msmebazaar.web.context import safe_next
from msmebazaar.web.security import csrf_cookie_valid, new_csrf_cookie

NOW = 1_800_000_000.0


def _signer(secret: str = "a" * 40) -> CookieSigner:
    return CookieSigner(AuthSettings(jwt_secret=SecretStr(secret)))


def test_a_session_cookie_names_its_session_and_user() -> None:
    ref = SessionRef(uuid.uuid4(), uuid.uuid4())
    signer = _signer()

    assert signer.read_session(signer.session_cookie(ref, now=NOW), now=NOW + 60) == ref


def test_a_cookie_expires_with_the_refresh_tokens() -> None:
    signer = _signer()
    cookie = signer.session_cookie(SessionRef(uuid.uuid4(), uuid.uuid4()), now=NOW)

    assert signer.read_session(cookie, now=NOW + signer.session_seconds + 1) is None


def test_a_changed_or_foreign_cookie_is_refused() -> None:
    signer = _signer()
    cookie = signer.session_cookie(SessionRef(uuid.uuid4(), uuid.uuid4()), now=NOW)
    session_hex, user_hex, expires, mac = cookie.split(".")
    other_user = uuid.uuid4().hex

    assert signer.read_session(f"{session_hex}.{other_user}.{expires}.{mac}", now=NOW) is None
    assert (
        signer.read_session(f"{session_hex}.{user_hex}.{int(expires) + 99}.{mac}", now=NOW) is None
    )
    assert _signer("b" * 40).read_session(cookie, now=NOW) is None
    assert signer.read_session("x" * 500, now=NOW) is None
    assert signer.read_session("", now=NOW) is None


def test_a_csrf_token_is_bound_to_the_browser_and_the_session() -> None:
    signer = _signer()
    cookie, session = new_csrf_cookie(), uuid.uuid4()
    token = signer.csrf_token(cookie, session)

    assert signer.csrf_valid(token, cookie, session)
    assert not signer.csrf_valid(token, cookie, None)
    assert not signer.csrf_valid(token, new_csrf_cookie(), session)
    assert not signer.csrf_valid(None, cookie, session)
    assert csrf_cookie_valid(cookie)
    assert not csrf_cookie_valid("short")


def test_only_paths_on_this_site_are_followed_after_an_action() -> None:
    assert safe_next("/my/listings?x=1") == "/my/listings?x=1"
    for hostile in ("//evil.example", "https://evil.example", "/\\evil.example", "", None, "/a\nb"):
        assert safe_next(hostile) == "/"
