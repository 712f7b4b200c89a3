"""Signing in with a phone and a one-time code (auth's rules and limits), signing out, the
language switch and the account page."""

from __future__ import annotations

from typing import Annotated, Final

import pydantic
from fastapi import Query, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from msmebazaar.auth.schemas import SELF_SERVICE_ROLES, Language, OtpVerify, UserRole, UserUpdate
from msmebazaar.auth.service import (
    get_codec,
    logout,
    parse_phone,
    request_code,
    update_me,
    verify_code,
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
    signer_of,
)
from msmebazaar.web.forms import FormDep, app_error_fields, schema_errors, text_field
from msmebazaar.web.pages import in_savepoint, page_router
from msmebazaar.web.security import (
    CSRF_COOKIE,
    LANGUAGE_COOKIE,
    SESSION_COOKIE,
    SessionRef,
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
    return visit.render("auth/signin.html", phone="", next=safe_next(next_url, ""), errors={})


@router.post("/signin")
async def send_code(request: Request, visit: VisitDep, form: FormDep) -> Response:
    """Send a sign-in code by SMS (the same limits as the API)."""
    raw_phone = text_field(form, "phone") or ""
    next_url = safe_next(text_field(form, "next"), "")
    state = request.app.state
    try:
        phone = parse_phone(raw_phone)
        issued = await request_code(
            state.db,
            state.rate_limiter,
            await get_codec(request),
            state.settings,
            phone=phone,
            client_ip=client_ip(request.scope, state.settings.app.trusted_proxies),
        )
    except AppError as exc:
        return visit.render(
            "auth/signin.html",
            status=exc.status_code,
            phone=raw_phone,
            next=next_url,
            errors=app_error_fields(visit, exc) | _phone_error(visit, exc),
        )
    return _code_form(visit, phone, next_url, issued.debug_code, {})


def _phone_error(visit: Visit, exc: AppError) -> dict[str, str]:
    return {"phone": visit.t("signin.phone_invalid")} if exc.code == "PHONE_INVALID" else {}


def _code_form(
    visit: Visit,
    phone: str,
    next_url: str,
    debug_code: str | None,
    errors: dict[str, str],
    *,
    status: int = 200,
    form: FormData | None = None,
) -> Response:
    return visit.render(
        "auth/verify.html",
        status=status,
        phone=phone,
        next=next_url,
        debug_code=debug_code,
        errors=errors,
        role_choices=ROLE_CHOICES,
        chosen_role=(text_field(form, "role") if form else None) or UserRole.MSME_OWNER.value,
        name=(text_field(form, "name") if form else None) or "",
    )


@router.post("/signin/verify")
async def check_code(request: Request, visit: VisitDep, form: FormDep) -> Response:
    """Check the code; the first sign-in of a phone creates the user with the chosen role."""
    next_url = safe_next(text_field(form, "next"), "")
    raw_phone = text_field(form, "phone") or ""
    role = text_field(form, "role")
    state = request.app.state
    try:
        phone = parse_phone(raw_phone)
        body = OtpVerify(
            phone=phone,
            code=text_field(form, "code") or "",
            role=UserRole(role) if role in {r.value for r in SELF_SERVICE_ROLES} else None,
            name=text_field(form, "name"),
        )
        codec = await get_codec(request)
        tokens = await verify_code(
            state.db,
            codec,
            state.settings,
            body,
            phone=phone,
            language=Language(visit.language),
            user_agent=request.headers.get("user-agent"),
        )
    except pydantic.ValidationError as exc:
        errors = schema_errors(visit, exc)
        return _code_form(visit, raw_phone, next_url, None, errors, status=422, form=form)
    except AppError as exc:
        errors = app_error_fields(visit, exc)
        if exc.code == "OTP_INVALID":
            errors = {"code": visit.t("error.OTP_INVALID")}
        return _code_form(
            visit, raw_phone, next_url, None, errors, status=exc.status_code, form=form
        )
    session_id = codec.decode_access(tokens.access_token).session_id
    signer = signer_of(state)
    visit.set_cookie(
        SESSION_COOKIE,
        signer.session_cookie(SessionRef(session_id, tokens.user.id)),
        signer.session_seconds,
    )
    visit.set_cookie(CSRF_COOKIE, new_csrf_cookie(), language_cookie_age())  # a new browser secret
    return visit.redirect(
        safe_next(next_url, HOME_OF_ROLE[tokens.user.role]), flash="flash.signed_in"
    )


@router.post("/signout")
async def sign_out(
    request: Request, visit: VisitDep, session: SessionDep, form: FormDep
) -> Response:
    """End this sign-in session (the same as the API's logout)."""
    if visit.viewer is not None:
        await logout(session, request.app.state.cache, visit.viewer, "")
    visit.delete_cookie(SESSION_COOKIE)
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
        await update_me(session, request.app.state.cache, visit.viewer, changes)
    return visit.redirect(safe_next(text_field(form, "next")))


@router.get("/account")
async def account_page(visit: SignedInVisit) -> Response:
    """Your name, email, language and role."""
    return visit.render("auth/account.html", errors={}, role_choices=ROLE_CHOICES, values=None)


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
        cache = request.app.state.cache
        await in_savepoint(session, lambda: update_me(session, cache, viewer, changes))
    except pydantic.ValidationError as exc:
        errors = schema_errors(visit, exc)
    except AppError as exc:
        errors = app_error_fields(visit, exc)
    else:
        return visit.redirect("/account", flash="flash.account_saved")
    return visit.render(
        "auth/account.html", status=422, errors=errors, role_choices=ROLE_CHOICES, values=values
    )
