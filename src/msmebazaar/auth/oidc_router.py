"""Single sign-on endpoints (DESIGN.md §3 "Accounts, second factor and single sign-on"): the
browser's redirect to the provider and back, and my linked accounts. The callback signs the
browser in to the portal (its session cookie) and sends it on to a portal page."""

from __future__ import annotations

import hmac
import secrets
import uuid
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from msmebazaar.auth import oidc
from msmebazaar.auth.cookies import (
    CSRF_COOKIE,
    DEVICE_COOKIE,
    SESSION_COOKIE,
    CookieSigner,
    SessionRef,
    browser_device_id,
    signer_of,
)
from msmebazaar.auth.dependencies import (
    CodecDep,
    EnrollingUser,
    principal_of_session,
    require_second_factor,
)
from msmebazaar.auth.exceptions import OidcDeniedError, OidcStateInvalidError
from msmebazaar.auth.schemas import LinkedIdentity, MfaRequired, Principal
from msmebazaar.auth.signin import Place, SignIn, sign_in_with_identity
from msmebazaar.auth.tokens import TokenCodec
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.exceptions import AppError, AuthenticationError
from msmebazaar.shared.pagination import PageDep, page_response
from msmebazaar.shared.responses import DataResponse, ListResponse, error_responses, ok
from msmebazaar.shared.runtime import Runtime, RuntimeDep
from msmebazaar.shared.security import client_ip

router = APIRouter(prefix="/auth", tags=["auth"])
ProviderName = Annotated[
    str, Path(max_length=32, description="`google`, or the other configured provider.")
]
_DEVICE_SECONDS = 2 * 365 * 24 * 3600


def _directory(runtime: Runtime) -> oidc.Directory:
    timeout = runtime.settings.oidc.http_timeout_seconds
    return runtime.part(oidc.Directory, lambda: oidc.Directory(timeout))


def _callback_url(runtime: Runtime, provider: str) -> str:
    base = runtime.settings.app.public_base_url.rstrip("/")
    return f"{base}/api/v1/auth/oidc/{provider}/callback"


def _local(next_url: str | None) -> str:
    """A path on this site to go on to (no open redirects), else the portal's home."""
    if not next_url or not next_url.startswith("/") or next_url.startswith(("//", "/\\")):
        return "/"
    return next_url if all(ord(char) >= 32 for char in next_url) else "/"


def _set(response: Response, runtime: Runtime, name: str, value: str, seconds: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=seconds,
        httponly=True,
        samesite="lax",  # the provider's redirect back is a top-level GET: Lax cookies go along
        secure=runtime.settings.is_production,
    )


async def _portal_principal(request: Request, runtime: Runtime) -> Principal | None:
    ref = signer_of(runtime).read_session(request.cookies.get(SESSION_COOKIE))
    if ref is None:
        return None
    try:
        return await principal_of_session(runtime, ref)
    except AppError:
        return None


@router.get(
    "/oidc/{provider}/start",
    status_code=303,
    response_class=RedirectResponse,
    responses=error_responses(401, 404, 503),
)
async def start_oidc(
    provider: ProviderName,
    request: Request,
    runtime: RuntimeDep,
    next_url: Annotated[str | None, Query(alias="next", max_length=512)] = None,
    link: Annotated[
        bool, Query(description="Link the account to mine (portal signed in).")
    ] = False,
) -> Response:
    """Go to the provider to sign in (or, with `link`, to link that account to mine)."""
    chosen = oidc.provider_of(runtime.settings.oidc, provider)
    state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
    sealed = {"provider": chosen.name, "state": state, "nonce": nonce, "verifier": verifier}
    sealed["next"] = _local(next_url)
    if link:
        principal = await _portal_principal(request, runtime)
        if principal is None:
            raise AuthenticationError("Sign in first to link an account to yours.")
        require_second_factor(principal)  # an admin sets up two-step sign-in before anything
        sealed |= {"session_id": principal.session_id.hex, "user_id": principal.id.hex}
    url = await oidc.authorization_url(
        _directory(runtime),
        chosen,
        redirect_uri=_callback_url(runtime, chosen.name),
        state=state,
        nonce=nonce,
        verifier=verifier,
        choose_account=link,
    )
    response = RedirectResponse(url, status_code=303)
    cookie = signer_of(runtime).seal(oidc.STATE_PURPOSE, sealed, oidc.STATE_SECONDS)
    _set(response, runtime, oidc.STATE_COOKIE, cookie, oidc.STATE_SECONDS)
    return response


@router.get(
    "/oidc/{provider}/callback",
    status_code=303,
    response_class=RedirectResponse,
    responses=error_responses(400, 403, 404, 409, 503),
)
async def finish_oidc(
    provider: ProviderName,
    *,
    request: Request,
    runtime: RuntimeDep,
    codec: CodecDep,
    code: Annotated[str | None, Query(max_length=2048)] = None,
    state: Annotated[str | None, Query(max_length=512)] = None,
    error: Annotated[str | None, Query(max_length=256)] = None,
) -> Response:
    """Where the provider sends the browser back: checks the answer, then signs in (or links)
    and goes on to the portal; never a session when a check fails."""
    chosen = oidc.provider_of(runtime.settings.oidc, provider)
    try:
        response = await _finish(
            request, runtime, codec, chosen, code=code, state=state, error=error
        )
    except AppError as exc:
        oidc.OIDC_LOGINS.labels(chosen.name, exc.code.lower().removeprefix("oidc_")).inc()
        # The sign-in under way is over either way: its state is never tried again.
        exc.headers["Set-Cookie"] = (
            f"{oidc.STATE_COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=lax"
        )
        raise
    response.delete_cookie(oidc.STATE_COOKIE)  # used once
    return response


async def _finish(
    request: Request,
    runtime: Runtime,
    codec: TokenCodec,
    chosen: oidc.Provider,
    *,
    code: str | None,
    state: str | None,
    error: str | None,
) -> Response:
    sealed = signer_of(runtime).unseal(oidc.STATE_PURPOSE, request.cookies.get(oidc.STATE_COOKIE))
    if (
        sealed is None
        or state is None
        or sealed.get("provider") != chosen.name
        or not hmac.compare_digest(state.encode(), sealed.get("state", "").encode())
    ):
        raise OidcStateInvalidError()
    if error is not None or not code:
        raise OidcDeniedError()
    identity = await oidc.verified_identity(
        _directory(runtime),
        chosen,
        code=code,
        verifier=sealed["verifier"],
        nonce=sealed["nonce"],
        redirect_uri=_callback_url(runtime, chosen.name),
    )
    if "session_id" in sealed:
        return await _link(runtime, sealed, identity)
    return await _sign_in(request, runtime, codec, identity, sealed["next"])


async def _link(runtime: Runtime, sealed: dict[str, str], identity: oidc.Identity) -> Response:
    """Link the identity to the signed-in user who started it (still signed in)."""
    ref = SessionRef(uuid.UUID(hex=sealed["session_id"]), uuid.UUID(hex=sealed["user_id"]))
    principal = require_second_factor(await principal_of_session(runtime, ref))
    async with runtime.database.session() as session:
        await oidc.link_identity(session, principal.id, identity)
    oidc.OIDC_LOGINS.labels(identity.provider, "linked").inc()
    return RedirectResponse("/account#linked-accounts", status_code=303)


async def _sign_in(
    request: Request, runtime: Runtime, codec: TokenCodec, identity: oidc.Identity, next_url: str
) -> Response:
    device = browser_device_id(request.cookies.get(DEVICE_COOKIE))
    place = Place(
        user_agent=request.headers.get("user-agent"),
        client_ip=client_ip(request.scope, runtime.settings.app.trusted_proxies),
        device_id=device,
    )
    signer = signer_of(runtime)
    outcome = await sign_in_with_identity(
        runtime.database, codec, runtime.settings, identity, place
    )
    back = quote(next_url, safe="/")
    if outcome is None:  # linked to nobody: a phone sign-in first, which links it
        response = RedirectResponse(f"/signin?next={back}", status_code=303)
        sealed = signer.seal(oidc.LINK_PURPOSE, oidc.identity_payload(identity), oidc.LINK_SECONDS)
        _set(response, runtime, oidc.LINK_COOKIE, sealed, oidc.LINK_SECONDS)
        oidc.OIDC_LOGINS.labels(identity.provider, "pending_phone").inc()
        return response
    if isinstance(outcome, MfaRequired):
        response = RedirectResponse(f"/signin/2fa?next={back}", status_code=303)
        sealed = signer.seal(oidc.MFA_PURPOSE, {"mfa_token": outcome.mfa_token}, outcome.expires_in)
        _set(response, runtime, oidc.MFA_COOKIE, sealed, outcome.expires_in)
        oidc.OIDC_LOGINS.labels(identity.provider, "mfa_required").inc()
        return response
    response = RedirectResponse(next_url, status_code=303)
    _signed_in_cookies(response, runtime, signer, outcome, device)
    oidc.OIDC_LOGINS.labels(identity.provider, "signed_in").inc()
    return response


def _signed_in_cookies(
    response: Response, runtime: Runtime, signer: CookieSigner, signed_in: SignIn, device: str
) -> None:
    cookie = signer.session_cookie(SessionRef.of(signed_in.principal))
    _set(response, runtime, SESSION_COOKIE, cookie, signer.session_seconds)
    _set(response, runtime, DEVICE_COOKIE, device, _DEVICE_SECONDS)
    response.delete_cookie(CSRF_COOKIE)  # the portal makes the browser a new one
    response.delete_cookie(oidc.LINK_COOKIE)  # no one else's account waits to be linked here


@router.get(
    "/identities",
    response_model=ListResponse[LinkedIdentity],
    responses=error_responses(401),
)
async def my_identities(
    session: SessionDep, user: EnrollingUser, page: PageDep
) -> ListResponse[LinkedIdentity]:
    """My accounts at sign-in providers (Google...) linked to this one."""
    found = await oidc.linked_identities(session, user.id)
    return page_response(
        found[page.offset : page.offset + page.page_size], total=len(found), params=page
    )


@router.delete(
    "/identities/{provider}",
    response_model=DataResponse[None],
    responses=error_responses(401, 404),
)
async def unlink_identity(
    provider: ProviderName, session: SessionDep, user: EnrollingUser
) -> DataResponse[None]:
    """Unlink my account at `provider`: signing in there no longer signs in here."""
    await oidc.unlink_identity(session, user.id, provider)
    return ok(None, "Unlinked.")
