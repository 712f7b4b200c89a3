"""My account: name, email and role; where I am signed in (ending a sign-in); and two-step
sign-in (setting up an authenticator app with a QR code drawn on the server, the recovery codes
shown once, turning it off). Auth's rules and limits, as in the API."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pydantic
import segno
from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.schemas import TotpCode, UserUpdate
from msmebazaar.auth.service import (
    LINK_COOKIE,
    SessionNotFoundError,
    disable_totp,
    enable_totp,
    end_session,
    enforce_check_limits,
    get_codec,
    lacks_second_factor,
    link_pending_identity,
    linked_identities,
    list_sessions,
    pending_identity,
    pending_totp,
    renew_recovery_codes,
    second_factor_status,
    setup_totp,
    sign_in_choices,
    signer_of,
    unlink_identity,
    update_me,
)
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.exceptions import AppError
from msmebazaar.shared.security import client_ip
from msmebazaar.web.context import SignedInVisit, Visit
from msmebazaar.web.forms import FormDep, app_error_fields, schema_errors, text_field
from msmebazaar.web.pages import in_savepoint, page_router
from msmebazaar.web.routes.signin import ROLE_CHOICES
from msmebazaar.web.security import SESSION_COOKIE

router = page_router()
T = TypeVar("T")
NO_STORE = "no-store"  # pages holding a secret or recovery codes are never cached


@router.get("/account")
async def account_page(visit: SignedInVisit, session: SessionDep) -> Response:
    """Your name, email, language and role, and where you are signed in."""
    return await _account_page(visit, session, errors={}, values=None)


async def _account_page(
    visit: Visit,
    session: AsyncSession,
    *,
    errors: dict[str, str],
    values: dict[str, str | None] | None,
    two_step_errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    sessions = await list_sessions(session, visit.user, visit.runtime.settings.auth)
    return visit.render(
        "auth/account.html",
        status=status,
        errors=errors,
        role_choices=ROLE_CHOICES,
        values=values,
        sessions=sessions,
        two_step=await second_factor_status(session, visit.user),
        **await _linked_accounts(visit, session),
        two_step_errors=two_step_errors or {},
    )


async def _linked_accounts(visit: Visit, session: AsyncSession) -> dict[str, Any]:
    identities = await linked_identities(session, visit.user.id)
    providers = sign_in_choices(visit.settings.oidc)
    return {
        "identities": identities,
        "providers": providers,
        "provider_labels": dict(providers),
        "linked_names": {item.provider for item in identities},
    }


@router.get("/account/link")
async def link_page(request: Request, visit: SignedInVisit) -> Response:
    """Whether to link the provider's account that started this sign-in to this account (asked,
    never assumed: the browser may have been someone else's a moment ago)."""
    pending = pending_identity(signer_of(visit.runtime), request.cookies.get(LINK_COOKIE))
    if pending is None:
        return visit.redirect("/account#linked-accounts")
    labels = dict(sign_in_choices(visit.settings.oidc))
    return visit.render(
        "auth/link.html", pending=pending, label=labels.get(pending.provider, pending.provider)
    )


@router.post("/account/link")
async def link_or_not(request: Request, visit: SignedInVisit, form: FormDep) -> Response:
    """Link the waiting account (`decision=link`) or forget it (anything else)."""
    pending = pending_identity(signer_of(visit.runtime), request.cookies.get(LINK_COOKIE))
    visit.delete_cookie(LINK_COOKIE)
    if pending is None or text_field(form, "decision") != "link":
        return visit.redirect("/account#linked-accounts")
    if lacks_second_factor(visit.user):
        return visit.redirect("/account#two-step", flash="flash.two_step_required")
    linked = await link_pending_identity(visit.runtime.database, visit.user.id, pending)
    flash = "flash.account_linked" if linked else "flash.link_refused"
    return visit.redirect("/account#linked-accounts", flash=flash)


@router.post("/account/identities/{provider}/unlink")
async def unlink_account(
    provider: str, visit: SignedInVisit, session: SessionDep, form: FormDep
) -> Response:
    """Unlink an account at a provider: signing in there no longer signs in here."""
    try:
        await in_savepoint(session, lambda: unlink_identity(session, visit.user.id, provider[:32]))
    except AppError:
        return visit.redirect("/account#linked-accounts")
    return visit.redirect("/account#linked-accounts", flash="flash.unlinked")


@router.post("/account/sessions/{session_id}/end")
async def end_sign_in(
    session_id: uuid.UUID, visit: SignedInVisit, session: SessionDep, form: FormDep
) -> Response:
    """End one of your sign-ins (this browser's too): it can no longer use your account."""
    if lacks_second_factor(visit.user):  # as the API: only once two-step sign-in is set up
        return visit.redirect("/account#two-step", flash="flash.two_step_required")
    try:
        ended = await end_session(session, visit.runtime.cache, visit.user, session_id)
    except SessionNotFoundError:
        return visit.redirect("/account#sign-ins", flash="flash.session_not_found")
    if ended.current:
        visit.delete_cookie(SESSION_COOKIE)
        return visit.redirect("/", flash="flash.session_ended")
    return visit.redirect("/account#sign-ins", flash="flash.session_ended")


@router.post("/account")
async def update_account(
    request: Request, visit: SignedInVisit, session: SessionDep, form: FormDep
) -> Response:
    """Change your name, email or role (among owner, buyer and investor)."""
    viewer = visit.user
    values = {
        "name": text_field(form, "name"),
        "email": text_field(form, "email"),
        "role": text_field(form, "role"),
    }
    try:
        fields: dict[str, str | None] = {
            key: value for key, value in values.items() if value is not None
        }
        if values["email"] is None:
            fields["email"] = None
        changes = UserUpdate.model_validate(fields)
        cache = visit.runtime.cache
        await in_savepoint(session, lambda: update_me(session, cache, viewer, changes))
    except pydantic.ValidationError as exc:
        errors = schema_errors(visit, exc)
    except AppError as exc:
        errors = app_error_fields(visit, exc)
    else:
        return visit.redirect("/account", flash="flash.account_saved")
    return await _account_page(visit, session, errors=errors, values=values, status=422)


def qr_code(uri: str) -> str:
    """The `otpauth://` URI as a QR code, an SVG `data:` URI for an <img> (no script, no CDN)."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=5, border=2))


@router.post("/account/2fa/setup")
async def start_setup(visit: SignedInVisit, session: SessionDep, form: FormDep) -> Response:
    """Make a new authenticator secret (kept until a first code proves it) and show it."""
    settings = visit.settings.auth
    try:
        await in_savepoint(session, lambda: setup_totp(session, settings, visit.user))
    except AppError:  # already on: the account page says so
        return visit.redirect("/account#two-step")
    return visit.redirect("/account/2fa/setup")


@router.get("/account/2fa/setup")
async def setup_page(visit: SignedInVisit, session: SessionDep) -> Response:
    """The QR code (and the key, for typing) of the set-up under way, and its code form."""
    return await _setup_page(visit, session, errors={})


async def _setup_page(
    visit: Visit, session: AsyncSession, *, errors: dict[str, str], status: int = 200
) -> Response:
    setup = await pending_totp(session, visit.settings.auth, visit.user)
    if setup is None:  # nothing under way (never started, or already on)
        return visit.redirect("/account#two-step")
    response = visit.render(
        "auth/totp_setup.html",
        status=status,
        secret=setup.secret,
        qr=qr_code(setup.otpauth_uri),
        errors=errors,
    )
    response.headers["Cache-Control"] = NO_STORE
    return response


async def _code(request: Request, visit: Visit, form: FormDep) -> str:
    """The code posted, once within auth's hourly limits (422 for a malformed one)."""
    code = TotpCode(code=text_field(form, "code") or "").code
    runtime = visit.runtime
    await enforce_check_limits(
        runtime.rate_limiter,
        runtime.settings.auth,
        user_id=visit.user.id,
        client_ip=client_ip(request.scope, runtime.settings.app.trusted_proxies),
    )
    return code


def _code_errors(visit: Visit, exc: Exception) -> dict[str, str]:
    if isinstance(exc, pydantic.ValidationError):
        return {"code": visit.t("error.MFA_CODE_INVALID")}
    if isinstance(exc, AppError) and exc.code == "MFA_CODE_INVALID":
        return {"code": visit.t("error.MFA_CODE_INVALID")}
    return app_error_fields(visit, exc) if isinstance(exc, AppError) else {}


def _recovery_codes_page(visit: Visit, codes: list[str]) -> Response:
    response = visit.render("auth/recovery_codes.html", codes=codes)
    response.headers["Cache-Control"] = NO_STORE
    return response


async def _with_code(
    request: Request,
    visit: Visit,
    session: AsyncSession,
    form: FormDep,
    action: Callable[[str], Awaitable[T]],
) -> T | Exception:
    """`action` run with the posted code (within the hourly limits) in a savepoint, or the
    error that stopped it (the page shows it; nothing it wrote is kept)."""
    try:
        code = await _code(request, visit, form)
        return await in_savepoint(session, lambda: action(code))
    except (pydantic.ValidationError, AppError) as exc:
        return exc


def _status(exc: Exception) -> int:
    return exc.status_code if isinstance(exc, AppError) else 422


@router.post("/account/2fa/enable")
async def turn_on(
    request: Request, visit: SignedInVisit, session: SessionDep, form: FormDep
) -> Response:
    """Turn two-step sign-in on with the app's first code; show the recovery codes once."""
    runtime, codec = visit.runtime, await get_codec(request)
    outcome = await _with_code(
        request,
        visit,
        session,
        form,
        lambda code: enable_totp(
            session, runtime.cache, codec, runtime.settings.auth, principal=visit.user, code=code
        ),
    )
    if isinstance(outcome, Exception):
        errors = _code_errors(visit, outcome)
        return await _setup_page(visit, session, errors=errors, status=_status(outcome))
    return _recovery_codes_page(visit, outcome)


@router.post("/account/2fa/disable")
async def turn_off(
    request: Request, visit: SignedInVisit, session: SessionDep, form: FormDep
) -> Response:
    """Turn two-step sign-in off with a current code or a recovery code."""
    runtime, codec = visit.runtime, await get_codec(request)
    outcome = await _with_code(
        request,
        visit,
        session,
        form,
        lambda code: disable_totp(
            session, runtime.cache, codec, runtime.settings.auth, principal=visit.user, code=code
        ),
    )
    if isinstance(outcome, Exception):
        return await _account_with_errors(visit, session, outcome)
    return visit.redirect("/account#two-step", flash="flash.two_step_off")


@router.post("/account/2fa/recovery-codes")
async def new_recovery_codes(
    request: Request, visit: SignedInVisit, session: SessionDep, form: FormDep
) -> Response:
    """Replace the recovery codes (a current code proves it is you); show the new ones once."""
    settings, codec = visit.settings.auth, await get_codec(request)
    outcome = await _with_code(
        request,
        visit,
        session,
        form,
        lambda code: renew_recovery_codes(session, codec, settings, visit.user, code),
    )
    if isinstance(outcome, Exception):
        return await _account_with_errors(visit, session, outcome)
    return _recovery_codes_page(visit, outcome)


async def _account_with_errors(visit: Visit, session: AsyncSession, exc: Exception) -> Response:
    status = _status(exc)
    errors = _code_errors(visit, exc)
    return await _account_page(
        visit, session, errors={}, values=None, two_step_errors=errors, status=status
    )
