"""Signing in with a phone and a one-time code (auth's rules and limits), signing out, the
language switch and the account page."""

from __future__ import annotations

import time
from typing import Annotated, Final
from urllib.parse import quote

import pydantic
from fastapi import Query, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from msmebazaar.auth.schemas import (
    SELF_SERVICE_ROLES,
    Language,
    MfaRequired,
    MfaVerify,
    OtpVerify,
    UserRole,
    UserUpdate,
)
from msmebazaar.auth.service import (
    LINK_COOKIE,
    MFA_COOKIE,
    MfaAttemptsExceededError,
    MfaCodeInvalidError,
    MfaTokenInvalidError,
    OtpInvalidError,
    PhoneInvalidError,
    Place,
    SessionRef,
    SignIn,
    complete_second_factor,
    get_codec,
    logout,
    parse_phone,
    pending_identity,
    pending_mfa_token,
    request_code,
    sign_in,
    sign_in_choices,
    signer_of,
    update_me,
)
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.exceptions import AppError
from msmebazaar.shared.security import client_ip
from msmebazaar.web.context import (
    SignedInVisit,
    Visit,
    VisitDep,
    language_cookie_age,
    safe_next,
    sign_in_url,
)
from msmebazaar.web.forms import FormDep, app_error_fields, schema_errors, text_field
from msmebazaar.web.pages import in_savepoint, page_router
from msmebazaar.web.security import (
    CSRF_COOKIE,
    DEVICE_COOKIE,
    DEVICE_COOKIE_SECONDS,
    LANGUAGE_COOKIE,
    SESSION_COOKIE,
    device_id,
    new_csrf_cookie,
)

router = page_router()

HOME_OF_ROLE: Final = {
    UserRole.MSME_OWNER: "/my/businesses",
    UserRole.BUYER: "/buyer/mandates",
    UserRole.INVESTOR: "/buyer/mandates",
    UserRole.ADMIN: "/admin",
}
ROLE_CHOICES: Final = (UserRole.MSME_OWNER, UserRole.BUYER, UserRole.INVESTOR)


@router.get("/signin")
async def signin_page(
    visit: VisitDep, next_url: Annotated[str | None, Query(alias="next")] = None
) -> Response:
    """Ask for the mobile number."""
    if visit.viewer is not None:
        return visit.redirect(safe_next(next_url, HOME_OF_ROLE[visit.viewer.role]))
    return _phone_form(visit, "", safe_next(next_url, ""), {})


def _phone_form(
    visit: Visit,
    phone: str,
    next_url: str,
    errors: dict[str, str],
    *,
    status: int = 200,
    notice: str | None = None,
) -> Response:
    """The sign-in page: the phone form, the providers to sign in with, and the account of a
    provider waiting for this phone sign-in to be linked."""
    pending = pending_identity(signer_of(visit.runtime), visit.request.cookies.get(LINK_COOKIE))
    return visit.render(
        "auth/signin.html",
        status=status,
        phone=phone,
        next=next_url,
        errors=errors,
        providers=sign_in_choices(visit.settings.oidc),
        pending=pending,
        notice=notice,
    )


@router.post("/signin")
async def send_code(request: Request, visit: VisitDep, form: FormDep) -> Response:
    """Send a sign-in code by SMS (the same limits as the API)."""
    raw_phone = text_field(form, "phone") or ""
    next_url = safe_next(text_field(form, "next"), "")
    runtime = visit.runtime
    try:
        phone = parse_phone(raw_phone)
        issued = await request_code(
            runtime.database,
            runtime.rate_limiter,
            await get_codec(request),
            runtime.settings,
            phone=phone,
            client_ip=client_ip(request.scope, runtime.settings.app.trusted_proxies),
        )
    except AppError as exc:
        errors = app_error_fields(visit, exc) | _phone_error(visit, exc)
        return _phone_form(visit, raw_phone, next_url, errors, status=exc.status_code)
    resend_at = int(time.time()) + issued.resend_after
    return _code_form(visit, phone, next_url, issued.debug_code, {}, resend_at=resend_at)


def _phone_error(visit: Visit, exc: AppError) -> dict[str, str]:
    return {"phone": visit.t("signin.phone_invalid")} if isinstance(exc, PhoneInvalidError) else {}


def _resend_at(visit: Visit, form: FormData) -> int:
    """When the page said a new code may be asked for (the page's own echo: only shown, the
    server keeps the real limit), never further off than the limit itself."""
    raw, now = text_field(form, "resend_at") or "", int(time.time())
    cooldown = visit.settings.auth.otp_resend_cooldown_seconds
    return min(int(raw), now + cooldown) if raw.isdigit() else now


def _code_form(
    visit: Visit,
    phone: str,
    next_url: str,
    debug_code: str | None,
    errors: dict[str, str],
    *,
    resend_at: int,
    status: int = 200,
) -> Response:
    return visit.render(
        "auth/verify.html",
        status=status,
        phone=phone,
        next=next_url,
        debug_code=debug_code,
        errors=errors,
        resend_at=resend_at,
        resend_after=max(0, resend_at - int(time.time())),
    )


@router.post("/signin/verify")
async def check_code(request: Request, visit: VisitDep, form: FormDep) -> Response:
    """Check the code; the first sign-in of a phone creates the user, who then chooses a role
    on the welcome page (a role posted here, as scripts may, is used instead)."""
    next_url = safe_next(text_field(form, "next"), "")
    raw_phone = text_field(form, "phone") or ""
    role = text_field(form, "role")
    runtime = visit.runtime
    resend_at = _resend_at(visit, form)
    try:
        phone = parse_phone(raw_phone)
        body = OtpVerify(
            phone=phone,
            code=text_field(form, "code") or "",
            role=UserRole(role) if role in {r.value for r in SELF_SERVICE_ROLES} else None,
            name=text_field(form, "name"),
        )
        # Whether the user is new is told only once the code was right: no anonymous caller
        # learns whether a number has an account.
        device = device_id(request.cookies.get(DEVICE_COOKIE))
        signed_in = await sign_in(
            runtime.database,
            await get_codec(request),
            runtime.settings,
            body,
            phone=phone,
            language=Language(visit.language),
            user_agent=request.headers.get("user-agent"),
            client_ip=client_ip(request.scope, runtime.settings.app.trusted_proxies),
            device_id=device,
        )
    except pydantic.ValidationError as exc:
        errors = schema_errors(visit, exc)
        return _code_form(visit, raw_phone, next_url, None, errors, resend_at=resend_at, status=422)
    except AppError as exc:
        errors = app_error_fields(visit, exc)
        if isinstance(exc, OtpInvalidError):
            errors = {"code": visit.t("error.OTP_INVALID")}
        return _code_form(
            visit, raw_phone, next_url, None, errors, resend_at=resend_at, status=exc.status_code
        )
    if isinstance(signed_in, MfaRequired):
        return _second_factor_form(visit, signed_in.mfa_token, next_url, {})
    return await _signed_in(visit, signed_in, device, next_url, role_chosen=body.role is not None)


async def _signed_in(
    visit: Visit, signed_in: SignIn, device: str, next_url: str, *, role_chosen: bool
) -> Response:
    """The browser's cookies for a completed sign-in, and the page it goes on to: first the
    question whether to link a provider's account waiting for this phone sign-in."""
    signer = signer_of(visit.runtime)
    flash = "flash.signed_in"
    visit.delete_cookie(MFA_COOKIE)
    visit.set_cookie(
        SESSION_COOKIE,
        signer.session_cookie(SessionRef.of(signed_in.principal)),
        signer.session_seconds,
    )
    visit.set_cookie(CSRF_COOKIE, new_csrf_cookie(), language_cookie_age())  # a new browser secret
    visit.set_cookie(DEVICE_COOKIE, device, DEVICE_COOKIE_SECONDS)
    if pending_identity(signer, visit.request.cookies.get(LINK_COOKIE)) is not None:
        return visit.redirect("/account/link", flash=flash)
    if signed_in.new_user and not role_chosen:
        welcome = f"/welcome?next={quote(next_url, safe='/')}" if next_url else "/welcome"
        return visit.redirect(welcome, flash=flash)
    home = HOME_OF_ROLE[signed_in.principal.role]
    return visit.redirect(safe_next(next_url, home), flash=flash)


def _second_factor_form(
    visit: Visit, mfa_token: str, next_url: str, errors: dict[str, str], status: int = 200
) -> Response:
    response = visit.render(
        "auth/second_factor.html", status=status, mfa_token=mfa_token, next=next_url, errors=errors
    )
    response.headers["Cache-Control"] = "no-store"  # the page holds the sign-in's token
    return response


@router.get("/signin/2fa")
async def second_factor_page(
    request: Request, visit: VisitDep, next_url: Annotated[str | None, Query(alias="next")] = None
) -> Response:
    """The second-factor step of a sign-in begun at a provider (Google...)."""
    mfa_token = pending_mfa_token(signer_of(visit.runtime), request.cookies.get(MFA_COOKIE))
    if mfa_token is None:  # none under way (or it expired): start again here
        notice = visit.t("flash.sign_in_again")
        return _phone_form(visit, "", safe_next(next_url, ""), {}, notice=notice)
    return _second_factor_form(visit, mfa_token, safe_next(next_url, ""), {})


@router.post("/signin/2fa")
async def check_second_factor(request: Request, visit: VisitDep, form: FormDep) -> Response:
    """Finish a sign-in with the authenticator app's code or a recovery code."""
    next_url = safe_next(text_field(form, "next"), "")
    mfa_token = (text_field(form, "mfa_token") or "")[:128]
    runtime = visit.runtime
    device = device_id(request.cookies.get(DEVICE_COOKIE))
    try:
        body = MfaVerify(mfa_token=mfa_token, code=text_field(form, "code") or "")
        place = Place(
            user_agent=request.headers.get("user-agent"),
            client_ip=client_ip(request.scope, runtime.settings.app.trusted_proxies),
            device_id=device,
        )
        signed_in = await complete_second_factor(
            runtime.database,
            await get_codec(request),
            runtime.rate_limiter,
            runtime.settings,
            body,
            place=place,
        )
    except pydantic.ValidationError:
        errors = {"code": visit.t("error.MFA_CODE_INVALID")}
        return _second_factor_form(visit, mfa_token, next_url, errors, status=422)
    except (MfaTokenInvalidError, MfaAttemptsExceededError) as exc:  # this sign-in is over
        again = sign_in_url(next_url) if next_url else "/signin"
        ended = isinstance(exc, MfaTokenInvalidError)
        return visit.redirect(
            again, flash="flash.sign_in_again" if ended else "flash.too_many_codes"
        )
    except AppError as exc:
        errors = app_error_fields(visit, exc)
        if isinstance(exc, MfaCodeInvalidError):
            errors = {"code": visit.t("error.MFA_CODE_INVALID")}
        return _second_factor_form(visit, mfa_token, next_url, errors, status=exc.status_code)
    return await _signed_in(visit, signed_in, device, next_url, role_chosen=True)


def _welcome_page(
    visit: Visit, next_url: str, errors: dict[str, str], form: FormData | None, status: int = 200
) -> Response:
    viewer = visit.user
    return visit.render(
        "auth/welcome.html",
        status=status,
        next=next_url,
        errors=errors,
        role_choices=ROLE_CHOICES,
        chosen_role=(text_field(form, "role") if form else None) or viewer.role.value,
        name=(text_field(form, "name") if form else None) or viewer.user.name or "",
    )


@router.get("/welcome")
async def welcome_page(
    visit: SignedInVisit, next_url: Annotated[str | None, Query(alias="next")] = None
) -> Response:
    """A new user's first page: how they will use MSMEBazaar (their role) and their name."""
    if visit.user.role is UserRole.ADMIN:
        return visit.redirect(HOME_OF_ROLE[UserRole.ADMIN])
    return _welcome_page(visit, safe_next(next_url, ""), {}, None)


@router.post("/welcome")
async def choose_role(
    request: Request, visit: SignedInVisit, session: SessionDep, form: FormDep
) -> Response:
    """Keep the chosen role and name (the same change as the account page), then go on."""
    viewer, next_url = visit.user, safe_next(text_field(form, "next"), "")
    if viewer.role is UserRole.ADMIN:
        return visit.redirect(HOME_OF_ROLE[UserRole.ADMIN])
    fields = {"role": text_field(form, "role") or viewer.role.value}
    if name := text_field(form, "name"):
        fields["name"] = name
    try:
        changes = UserUpdate.model_validate(fields)
        cache = visit.runtime.cache
        await in_savepoint(session, lambda: update_me(session, cache, viewer, changes))
    except pydantic.ValidationError as exc:
        return _welcome_page(visit, next_url, schema_errors(visit, exc), form, status=422)
    except AppError as exc:
        return _welcome_page(visit, next_url, app_error_fields(visit, exc), form, status=422)
    role = changes.role or viewer.role
    return visit.redirect(safe_next(next_url, HOME_OF_ROLE[role]))


@router.post("/signout")
async def sign_out(
    request: Request, visit: VisitDep, session: SessionDep, form: FormDep
) -> Response:
    """End this sign-in session (the same as the API's logout)."""
    if visit.viewer is not None:
        await logout(session, visit.runtime.cache, visit.viewer, "")
    for name in (SESSION_COOKIE, LINK_COOKIE, MFA_COOKIE):  # nothing of this visitor stays
        visit.delete_cookie(name)
    return visit.redirect("/", flash="flash.signed_out")


@router.post("/language")
async def choose_language(
    request: Request, visit: VisitDep, session: SessionDep, form: FormDep
) -> Response:
    """Switch between English and Hindi: kept on the user, or in a cookie for visitors."""
    chosen = text_field(form, "language")
    if chosen not in ("en", "hi"):
        chosen = "en"
    visit.set_cookie(LANGUAGE_COOKIE, chosen, language_cookie_age())
    if visit.viewer is not None:
        changes = UserUpdate(language=Language(chosen))
        await update_me(session, visit.runtime.cache, visit.viewer, changes)
    return visit.redirect(safe_next(text_field(form, "next")))
