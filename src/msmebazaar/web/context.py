"""Who is visiting and in which language: the `Visit` every page receives.

A visit reads the session cookie (and checks the auth session behind it on every request, as a
bearer token is checked), the language (the user's saved choice, else the `mb_lang` cookie, else
`Accept-Language`), the CSRF token, a one-shot flash message and, for a signed-in visitor, the
header bell's count of unread notifications. Pages answer through it, so the cookies it must set
or clear always reach the browser.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeGuard
from urllib.parse import quote

import structlog
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.exc import SQLAlchemyError

from msmebazaar.auth.service import (
    Principal,
    SessionRef,
    UserRole,
    lacks_second_factor,
    principal_of_session,
    signer_of,
)
from msmebazaar.notifications.service import unread_count
from msmebazaar.shared.config import Settings
from msmebazaar.shared.exceptions import AuthenticationError, PermissionDeniedError
from msmebazaar.shared.i18n import LanguageCode, resolve_language
from msmebazaar.shared.runtime import Runtime, runtime_of
from msmebazaar.web.rendering import render_template
from msmebazaar.web.security import (
    CSRF_COOKIE,
    FLASH_COOKIE,
    LANGUAGE_COOKIE,
    SESSION_COOKIE,
    csrf_cookie_valid,
    new_csrf_cookie,
)
from msmebazaar.web.texts import has_text, text

logger = structlog.get_logger("msmebazaar.web")

_YEAR = 365 * 24 * 3600
_FLASH_SECONDS = 120
# Pages: scripts, styles and images only from us; no framing; forms only to us.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class SignInRequired(Exception):  # noqa: N818 - a control-flow signal, not an error
    """The page needs a signed-in visitor: answered with a redirect to the sign-in page."""


class SecondFactorRequired(Exception):  # noqa: N818 - a control-flow signal, not an error
    """The visitor's role needs a second factor their sign-in has not proved (an admin who has
    not set one up): answered with a redirect to the account page, where they set it up."""


# Where such a visitor may still go: their account (to set it up), signing out, the language.
SECOND_FACTOR_SETUP_PATHS = ("/account", "/signout", "/language", "/signin", "/static")


@dataclass
class Visit:
    """One request to the portal: the visitor, their language, and the answer's cookies."""

    request: Request
    viewer: Principal | None
    language: LanguageCode
    csrf_cookie: str
    flash: str | None = None
    pending_flash: str | None = None
    # The bell's number: the signed-in visitor's unread notifications (None: not counted).
    unread: int | None = None
    _cookie_changes: list[Callable[[Response], None]] = field(default_factory=list)

    @property
    def runtime(self) -> Runtime:
        """The app's runtime (`shared/runtime.py`)."""
        return runtime_of(self.request.app)

    @property
    def settings(self) -> Settings:
        return self.runtime.settings

    @property
    def csrf_token(self) -> str:
        session_id = self.viewer.session_id if self.viewer else None
        return signer_of(self.runtime).csrf_token(self.csrf_cookie, session_id)

    @property
    def user(self) -> Principal:
        """The signed-in visitor (pages behind a role gate); SignInRequired for anyone else."""
        if self.viewer is None:
            raise SignInRequired()
        return self.viewer

    def has_role(self, *roles: UserRole) -> bool:
        """Whether the visitor is signed in with one of `roles` (admins always are)."""
        return self.viewer is not None and self.viewer.role in {*roles, UserRole.ADMIN}

    def t(self, key: str, **params: Any) -> str:
        """A text in the visitor's language."""
        return text(key, self.language, **params)

    def set_cookie(self, name: str, value: str, max_age: int) -> None:
        """Set a cookie on the answer: httpOnly, SameSite=Lax, Secure in production."""
        secure = self.settings.is_production

        def apply(response: Response) -> None:
            response.set_cookie(
                name, value, max_age=max_age, httponly=True, samesite="lax", secure=secure
            )

        self._cookie_changes.append(apply)

    def delete_cookie(self, name: str) -> None:
        """Remove a cookie from the browser."""
        secure = self.settings.is_production
        self._cookie_changes.append(
            lambda response: response.delete_cookie(
                name, httponly=True, samesite="lax", secure=secure
            )
        )

    def set_flash(self, key: str) -> None:
        """A message (a catalog key) for the next page shown: this one if it renders a page,
        else the one the browser goes to next."""
        self.pending_flash = key

    def finish(self, response: Response) -> Response:
        """Apply the cookie changes and the headers every page answer carries."""
        if self.pending_flash:
            self.set_cookie(FLASH_COOKIE, self.pending_flash, _FLASH_SECONDS)
            self.pending_flash = None
        for change in self._cookie_changes:
            change(response)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Vary"] = "Cookie, Accept-Language"
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return response

    def render(self, template: str, *, status: int = 200, **context: Any) -> Response:
        """A page from `template`, with what every page needs in its context."""
        if self.pending_flash:
            self.flash, self.pending_flash = self.pending_flash, None
        body = render_template(template, {**self.page_context(), **context})
        return self.finish(HTMLResponse(body, status_code=status))

    def page_context(self) -> dict[str, Any]:
        """The names every template may use."""
        return {
            "lang": self.language,
            "viewer": self.viewer,
            "csrf_token": self.csrf_token,
            "flash": self.flash,
            "path": self.request.url.path,
            "current_url": _local_url(self.request),
            "roles": UserRole,
            "unread": self.unread,
            "otp_echo": self.settings.auth.otp_echo and not self.settings.is_production,
        }

    def redirect(self, url: str, *, flash: str | None = None) -> Response:
        """303 See Other to a page of ours (never elsewhere), with an optional flash."""
        if flash:
            self.set_flash(flash)
        return self.finish(RedirectResponse(safe_next(url), status_code=303))


def _local_url(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def safe_next(url: str | None, default: str = "/") -> str:
    """`url` when it is a path on this site ("/my/businesses"), else `default` (no open
    redirects: "//evil.example", "https://…" and "/\\evil" are refused)."""
    if not url or not url.startswith("/") or url.startswith(("//", "/\\")):
        return default
    if any(ord(char) < 32 for char in url):
        return default
    return url


def sign_in_url(next_url: str) -> str:
    """The sign-in page, coming back to `next_url` afterwards."""
    return f"/signin?next={quote(safe_next(next_url), safe='/')}"


async def _viewer(runtime: Runtime, ref: SessionRef | None) -> tuple[Principal | None, str]:
    """The principal behind a session cookie, and why there is none ("", "ended", "suspended")."""
    if ref is None:
        return None, ""
    try:
        principal = await principal_of_session(runtime, ref)
    except AuthenticationError:
        return None, "ended"
    except PermissionDeniedError:
        return None, "suspended"
    return principal, ""


def _language(request: Request, viewer: Principal | None) -> LanguageCode:
    return resolve_language(
        saved=viewer.user.language.value if viewer is not None else None,
        remembered=request.cookies.get(LANGUAGE_COOKIE),
        accept_language=request.headers.get("accept-language"),
    )


async def current_visit(request: Request) -> Visit:
    """FastAPI dependency: this request's visit; a visitor who must first set up a second
    factor may only go where they set it up (`SECOND_FACTOR_SETUP_PATHS`)."""
    visit = await visit_of(request)
    viewer = visit.viewer
    setting_up = request.url.path.startswith(SECOND_FACTOR_SETUP_PATHS)
    if viewer is not None and lacks_second_factor(viewer) and not setting_up:
        raise SecondFactorRequired()
    return visit


async def visit_of(request: Request) -> Visit:
    """This request's visit (built once per request), wherever the visitor may go."""
    existing: Visit | None = getattr(request.state, "web_visit", None)
    if existing is not None:
        return existing
    runtime = runtime_of(request.app)
    signer = signer_of(runtime)
    cookie = request.cookies.get(SESSION_COOKIE)
    viewer, ended = await _viewer(runtime, signer.read_session(cookie))
    if viewer is not None:
        request.state.user_id = str(viewer.id)  # read by the access log
    csrf = request.cookies.get(CSRF_COOKIE)
    fresh_csrf = not csrf_cookie_valid(csrf)
    visit = Visit(request, viewer, _language(request, viewer), csrf or "")
    if fresh_csrf:
        visit.csrf_cookie = new_csrf_cookie()
        visit.set_cookie(CSRF_COOKIE, visit.csrf_cookie, _YEAR)
    if cookie and viewer is None:
        visit.delete_cookie(SESSION_COOKIE)
    flash = request.cookies.get(FLASH_COOKIE)
    if flash:
        visit.delete_cookie(FLASH_COOKIE)
        visit.flash = flash if has_text(flash) else None
    if ended == "suspended":
        visit.set_flash("flash.account_suspended")
    request.state.web_visit = visit
    if _shows_bell(viewer) and "x-partial" not in request.headers:
        visit.unread = await _unread(runtime, viewer)
    return visit


def _shows_bell(viewer: Principal | None) -> TypeGuard[Principal]:
    """Whether the header has a bell: for signed-in people, but not admins, whom nothing
    notifies (their header holds admin links only)."""
    return viewer is not None and viewer.role is not UserRole.ADMIN


async def _unread(runtime: Runtime, viewer: Principal) -> int | None:
    """The bell's count: one indexed count per page. A fragment fetched by a script
    (`X-Partial`) shows no header, so it is not counted. The bell never fails a page: if the
    database cannot answer, the bell shows no number (and the page's own queries decide)."""
    try:
        async with runtime.database.read_session() as session:
            return await unread_count(session, viewer.id)
    except (SQLAlchemyError, OSError) as exc:
        logger.warning("bell_count_failed", error=type(exc).__name__)
        return None


def anonymous_visit(request: Request) -> Visit:
    """A visit that asks nobody who the visitor is (no database, no cookies set): for error
    pages answered before the app runs, such as overload and rate limits."""
    csrf = request.cookies.get(CSRF_COOKIE)
    return Visit(request, None, _language(request, None), csrf or new_csrf_cookie())


VisitDep = Annotated[Visit, Depends(current_visit)]


async def signed_in_visit(visit: VisitDep) -> Visit:
    """A visit by a signed-in user; others are sent to the sign-in page."""
    if visit.viewer is None:
        raise SignInRequired()
    return visit


SignedInVisit = Annotated[Visit, Depends(signed_in_visit)]


def _role_gate(*roles: UserRole) -> Callable[[Visit], Any]:
    async def gate(visit: SignedInVisit) -> Visit:
        if not visit.has_role(*roles):
            raise PermissionDeniedError(code="ROLE_REQUIRED")
        return visit

    return gate


OwnerVisit = Annotated[Visit, Depends(_role_gate(UserRole.MSME_OWNER))]
BuyerVisit = Annotated[Visit, Depends(_role_gate(UserRole.BUYER, UserRole.INVESTOR))]
AdminVisit = Annotated[Visit, Depends(_role_gate())]


def language_cookie_age() -> int:
    """How long the anonymous visitor's language choice is kept (a year)."""
    return _YEAR
