"""Single sign-on with OpenID Connect against a mocked Google (respx: the discovery document, the
JWKS, the token endpoint and ID tokens signed with the test's own RSA key): state, nonce and
PKCE; signing in a linked account; linking from the account page or after a phone sign-in; each
forged or unverified answer refused, never with a session."""

from __future__ import annotations

import base64
import hashlib
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
import respx
from asgi_lifespan import LifespanManager
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from pydantic import SecretStr
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.app import create_app
from msmebazaar.auth.models import OidcIdentity, User
from msmebazaar.shared.cache import Cache
from msmebazaar.shared.config import OidcSettings, Settings
from msmebazaar.shared.db import Database
from msmebazaar.shared.metrics import REGISTRY
from msmebazaar.shared.outbox import OutboxMessage
from msmebazaar.shared.ratelimit import RateLimiter
from tests.auth.factories import bearer, make_user, new_phone, rows, sign_in
from tests.web.helpers import phone_step, submit, visible_text, web_enrol_totp, web_sign_in

ISSUER = "https://accounts.google.com"
CLIENT_ID = "msmebazaar-test.apps.googleusercontent.com"
TOKEN_URL = "https://oauth2.googleapis.com/token"
JWKS_URL = "https://www.googleapis.com/oauth2/v3/certs"
START = "/api/v1/auth/oidc/google/start"
CALLBACK = "/api/v1/auth/oidc/google/callback"
IDENTITIES = "/api/v1/auth/identities"


@dataclass
class Google:
    """The mocked issuer: what its token endpoint answers next, and the requests it got."""

    key: RSAKey
    claims: dict[str, Any] = field(default_factory=dict)
    signing_key: RSAKey | None = None  # another key, to forge a signature
    token_requests: list[dict[str, list[str]]] = field(default_factory=list)

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "sub": "10769150350006150715113082367",
            "email": "meera@example.in",
            "email_verified": True,
            "name": "Meera Shah",
            "iat": now,
            "exp": now + 3600,
            "nonce": nonce,
        } | self.claims
        key = self.signing_key or self.key
        return jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, key)


@pytest.fixture
def google() -> Iterator[Google]:
    issuer = Google(RSAKey.generate_key(2048, parameters={"kid": "test-key"}))
    nonces: dict[str, str] = {}

    def token(request: httpx.Request) -> httpx.Response:
        form = parse_qs(request.content.decode())
        issuer.token_requests.append(form)
        nonce = nonces.get(form["code"][0], "")
        return httpx.Response(200, json={"access_token": "at", "token_type": "Bearer",
                                         "id_token": issuer.id_token(nonce)})  # fmt: skip

    with respx.mock(assert_all_called=False) as mock:
        mock.get(f"{ISSUER}/.well-known/openid-configuration").respond(json={
            "issuer": ISSUER,
            "authorization_endpoint": "https://accounts.google.com/o/oauth2/v2/auth",
            "token_endpoint": TOKEN_URL,
            "jwks_uri": JWKS_URL,
            "id_token_signing_alg_values_supported": ["RS256"],
        })  # fmt: skip
        mock.get(JWKS_URL).respond(json=KeySet([issuer.key]).as_dict(private=False))
        mock.post(TOKEN_URL).mock(side_effect=token)
        issuer.nonces = nonces  # type: ignore[attr-defined]
        yield issuer


@pytest.fixture
async def sso_app(
    settings: Settings, database: Database, cache: Cache, rate_limiter: RateLimiter
) -> AsyncIterator[Any]:
    changed = settings.model_copy(deep=True)
    changed.oidc = OidcSettings(
        google_client_id=CLIENT_ID, google_client_secret=SecretStr("test-secret")
    )
    app = create_app(changed, database=database, cache=cache, rate_limiter=rate_limiter)
    async with LifespanManager(app):
        yield app


@pytest.fixture
async def browser(sso_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=sso_app, client=("203.0.113.9", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def _start(browser: httpx.AsyncClient, **params: str) -> dict[str, str]:
    """Start a sign-in: the authorization request's parameters."""
    response = await browser.get(START, params=params)
    assert response.status_code == 303, response.text
    query = parse_qs(urlparse(response.headers["location"]).query)
    return {name: values[0] for name, values in query.items()}


async def _callback(
    browser: httpx.AsyncClient, google: Google, request: dict[str, str], code: str = "the-code"
) -> httpx.Response:
    google.nonces[code] = request["nonce"]  # type: ignore[attr-defined]
    return await browser.get(CALLBACK, params={"code": code, "state": request["state"]})


async def _link(connection: Any, database: Database, user_id: uuid.UUID, **fields: str) -> None:
    async with database.session() as session:
        session.add(
            OidcIdentity(
                id=uuid.uuid4(),
                user_id=user_id,
                provider="google",
                issuer=ISSUER,
                subject=fields.get("subject", "10769150350006150715113082367"),
                email="meera@example.in",
            )
        )


def _logins(result: str) -> float:
    labels = {"provider": "google", "result": result}
    return REGISTRY.get_sample_value("auth_oidc_logins_total", labels) or 0.0


# --- the request ---------------------------------------------------------------------------------


async def test_start_sends_the_browser_to_google_with_state_nonce_and_pkce(
    browser: httpx.AsyncClient, google: Google
) -> None:
    response = await browser.get(START, params={"next": "/buyer/mandates"})

    assert response.status_code == 303
    location = urlparse(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        "https://accounts.google.com/o/oauth2/v2/auth"
    )
    query = {name: values[0] for name, values in parse_qs(location.query).items()}
    assert query["response_type"] == "code"
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"].endswith(CALLBACK)
    assert query["scope"] == "openid email profile"
    assert query["code_challenge_method"] == "S256"
    assert len(query["state"]) >= 32
    assert len(query["nonce"]) >= 32
    assert "mb_oidc" in response.cookies
    assert "secret" not in response.headers["location"]


async def test_an_unknown_or_unconfigured_provider_is_404(
    browser: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    unknown = await browser.get("/api/v1/auth/oidc/facebook/start")
    unconfigured = await client.get(START)  # the default app has no Google client

    for response in (unknown, unconfigured):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "OIDC_PROVIDER_UNKNOWN"


# --- signing in ----------------------------------------------------------------------------------


async def test_a_linked_google_account_signs_in_with_pkce(
    browser: httpx.AsyncClient, google: Google, database: Database
) -> None:
    user = await make_user(database, role="buyer", name="Meera")
    await _link(None, database, user.id)
    request = await _start(browser, next="/buyer/mandates")
    signed_in_before = _logins("signed_in")

    response = await _callback(browser, google, request)

    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/buyer/mandates"
    assert "mb_session" in response.cookies
    verifier = google.token_requests[0]["code_verifier"][0]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    assert challenge.decode() == request["code_challenge"]
    page = await browser.get("/account")
    assert page.status_code == 200
    assert "Meera" in visible_text(page.text)
    assert _logins("signed_in") == signed_in_before + 1
    replayed = await _callback(browser, google, request)  # the state cookie was used up
    assert replayed.status_code == 400


@pytest.mark.parametrize(
    ("claims", "code"),
    [
        ({"nonce": "another-nonce"}, "OIDC_TOKEN_INVALID"),
        ({"aud": "someone-else.apps.googleusercontent.com"}, "OIDC_TOKEN_INVALID"),
        ({"iss": "https://evil.example"}, "OIDC_TOKEN_INVALID"),
        ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}, "OIDC_TOKEN_INVALID"),
        ({"email_verified": False}, "OIDC_EMAIL_UNVERIFIED"),
        ({"email": None}, "OIDC_EMAIL_UNVERIFIED"),
    ],
)
async def test_an_id_token_that_fails_a_check_signs_nobody_in(
    browser: httpx.AsyncClient,
    google: Google,
    database: Database,
    claims: dict[str, Any],
    code: str,
) -> None:
    user = await make_user(database, role="buyer")
    await _link(None, database, user.id)
    google.claims = claims
    request = await _start(browser)

    response = await _callback(browser, google, request)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert "mb_session" not in response.cookies


async def test_an_id_token_signed_by_another_key_is_refused(
    browser: httpx.AsyncClient, google: Google, database: Database
) -> None:
    user = await make_user(database, role="buyer")
    await _link(None, database, user.id)
    google.signing_key = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
    request = await _start(browser)

    response = await _callback(browser, google, request)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "OIDC_TOKEN_INVALID"


@pytest.mark.parametrize("state", [None, "forged-state", ""])
async def test_a_callback_without_its_own_state_is_refused(
    browser: httpx.AsyncClient, google: Google, state: str | None
) -> None:
    await _start(browser)
    params = {"code": "the-code"} | ({"state": state} if state is not None else {})

    response = await browser.get(CALLBACK, params=params)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "OIDC_STATE_INVALID"
    assert "mb_session" not in response.cookies
    assert google.token_requests == []  # the code is never even exchanged


async def test_a_callback_in_another_browser_is_refused(
    browser: httpx.AsyncClient, sso_app: Any, google: Google
) -> None:
    request = await _start(browser)
    transport = httpx.ASGITransport(app=sso_app, client=("198.51.100.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
        response = await _callback(other, google, request)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "OIDC_STATE_INVALID"


async def test_a_refusal_at_google_is_a_clear_400(
    browser: httpx.AsyncClient, google: Google
) -> None:
    request = await _start(browser)

    response = await browser.get(
        CALLBACK, params={"error": "access_denied", "state": request["state"]}
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "OIDC_DENIED"


async def test_google_unreachable_is_503(browser: httpx.AsyncClient) -> None:
    with respx.mock() as mock:
        mock.get(f"{ISSUER}/.well-known/openid-configuration").mock(
            side_effect=httpx.ConnectError("down")
        )
        response = await browser.get(START)

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "OIDC_PROVIDER_UNAVAILABLE"


async def test_a_suspended_user_is_refused(
    browser: httpx.AsyncClient, google: Google, database: Database
) -> None:
    user = await make_user(database, role="buyer", status="suspended")
    await _link(None, database, user.id)

    response = await _callback(browser, google, await _start(browser))

    assert response.status_code == 403
    assert "mb_session" not in response.cookies


# --- linking -------------------------------------------------------------------------------------


async def test_an_unlinked_account_waits_for_a_phone_sign_in_then_signs_in_alone(
    browser: httpx.AsyncClient, google: Google, db_connection: AsyncConnection
) -> None:
    answer = await _callback(browser, google, await _start(browser, next="/buyer/mandates"))

    assert answer.status_code == 303
    assert answer.headers["location"] == "/signin?next=/buyer/mandates"
    assert "mb_session" not in answer.cookies
    page = await browser.get("/signin")
    assert "meera@example.in" in visible_text(page.text)  # what will be linked, said first
    phone = await web_sign_in(browser, role="buyer", name="Meera")
    question = await browser.get("/account/link")
    assert "Link that account to this one" in visible_text(question.text)
    assert await rows(db_connection, select(OidcIdentity.id)) == []  # asked, not assumed
    confirmed = await submit(browser, "/account/link", {"decision": "link"})
    assert confirmed.headers["location"] == "/account#linked-accounts"
    (linked,) = await rows(db_connection, select(OidcIdentity.user_id, OidcIdentity.email))
    (user,) = await rows(db_connection, select(User.id, User.email).where(User.phone == phone))
    assert (linked.user_id, user.email) == (user.id, "meera@example.in")

    await submit(browser, "/signout")
    again = await _callback(browser, google, await _start(browser), code="second-code")
    assert again.status_code == 303
    assert "mb_session" in again.cookies


async def test_linking_from_the_account_page_needs_the_portal_signed_in(
    browser: httpx.AsyncClient, google: Google, database: Database
) -> None:
    refused = await browser.get(START, params={"link": "true"})
    await web_sign_in(browser, role="buyer", name="Meera")

    linked = await _callback(browser, google, await _start(browser, link="true"))

    assert refused.status_code == 401
    assert linked.status_code == 303
    assert linked.headers["location"] == "/account#linked-accounts"
    page = visible_text((await browser.get("/account")).text)
    assert "Google : meera@example.in" in page


async def test_an_account_linked_to_someone_else_is_not_linked_again(
    browser: httpx.AsyncClient, google: Google, database: Database
) -> None:
    other = await make_user(database, role="buyer")
    await _link(None, database, other.id)
    await web_sign_in(browser, role="buyer", name="Meera")

    response = await _callback(browser, google, await _start(browser, link="true"))

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "OIDC_ALREADY_LINKED"


async def test_the_api_lists_and_unlinks_my_accounts(
    browser: httpx.AsyncClient, database: Database
) -> None:
    tokens = await sign_in(browser, new_phone(), role="buyer")
    user_id = uuid.UUID(tokens["user"]["id"])
    await _link(None, database, user_id)

    listed = await browser.get(IDENTITIES, headers=bearer(tokens))
    unlinked = await browser.delete(f"{IDENTITIES}/google", headers=bearer(tokens))
    again = await browser.delete(f"{IDENTITIES}/google", headers=bearer(tokens))

    assert [item["email"] for item in listed.json()["data"]] == ["meera@example.in"]
    assert unlinked.status_code == 200
    assert again.status_code == 404
    assert again.json()["error"]["code"] == "IDENTITY_NOT_FOUND"


async def test_with_two_step_on_google_sign_in_still_asks_for_the_app_code(
    browser: httpx.AsyncClient, google: Google, database: Database
) -> None:
    phone = new_phone()
    await web_sign_in(browser, phone, role="buyer", name="Meera")
    app = await web_enrol_totp(browser)
    async with database.session() as session:
        user_id = await session.scalar(select(User.id).where(User.phone == phone))
    assert user_id is not None
    await _link(None, database, user_id)
    await submit(browser, "/signout")

    answer = await _callback(browser, google, await _start(browser))
    form = await browser.get(answer.headers["location"])

    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/signin/2fa")
    assert "mb_session" not in answer.cookies
    assert form.status_code == 200
    token = form.text.split('name="mfa_token" value="')[1].split('"')[0]
    done = await submit(browser, "/signin/2fa", {"mfa_token": token, "code": app.code()})
    assert done.status_code == 303
    assert (await browser.get("/account")).status_code == 200


async def test_the_second_factor_page_without_a_sign_in_under_way_starts_over(
    browser: httpx.AsyncClient,
) -> None:
    response = await browser.get("/signin/2fa")

    assert response.status_code == 200
    text = visible_text(response.text)
    assert "That sign-in has expired. Sign in again." in text
    assert "Mobile number" in text


async def test_a_phone_account_gets_the_google_email_only_when_it_has_none(
    browser: httpx.AsyncClient, google: Google, database: Database
) -> None:
    phone = new_phone()
    user = await make_user(database, phone=phone, role="buyer")
    async with database.session() as session:
        await session.execute(update(User).where(User.id == user.id).values(email="own@example.in"))
    await _callback(browser, google, await _start(browser))
    await phone_step(browser, phone)
    await submit(browser, "/account/link", {"decision": "link"})

    async with database.session() as session:
        linked = await session.scalar(select(OidcIdentity.user_id))
    assert linked == user.id
    async with database.session() as session:
        email = await session.scalar(select(User.email).where(User.id == user.id))
    assert email == "own@example.in"


async def test_declining_the_link_or_signing_out_leaves_nothing_linked(
    browser: httpx.AsyncClient, google: Google, db_connection: AsyncConnection
) -> None:
    await _callback(browser, google, await _start(browser))
    await web_sign_in(browser, role="buyer", name="Meera")
    declined = await submit(browser, "/account/link", {"decision": "cancel"})
    await _callback(browser, google, await _start(browser), code="second-code")
    await submit(browser, "/signout")  # a shared computer: the next person signs in
    next_person = await phone_step(browser, new_phone(), role="buyer", name="Ravi")

    assert declined.headers["location"] == "/account#linked-accounts"
    assert next_person.headers["location"] != "/account/link"
    assert await rows(db_connection, select(OidcIdentity.id)) == []


async def test_linking_tells_the_user_by_sms(
    browser: httpx.AsyncClient, google: Google, db_connection: AsyncConnection
) -> None:
    phone = await web_sign_in(browser, role="buyer", name="Meera")

    await _callback(browser, google, await _start(browser, link="true"))

    sent = await rows(
        db_connection,
        select(OutboxMessage.body).where(
            OutboxMessage.recipient == phone, OutboxMessage.template == "auth_account_linked"
        ),
    )
    assert len(sent) == 1
    assert "Google account was linked" in sent[0].body


@pytest.mark.parametrize(
    "claims",
    [
        {"nonce": ["another"]},
        {"aud": [CLIENT_ID, "other-client"]},  # several audiences and no `azp` of ours
        {"sub": "x" * 256},
    ],
)
async def test_tokens_bound_to_another_sign_in_are_refused(
    browser: httpx.AsyncClient, google: Google, database: Database, claims: dict[str, Any]
) -> None:
    user = await make_user(database, role="buyer")
    await _link(None, database, user.id)
    google.claims = claims

    response = await _callback(browser, google, await _start(browser))

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "OIDC_TOKEN_INVALID"
    assert "mb_oidc=" in response.headers["set-cookie"]  # the state is spent either way


async def test_google_tokens_naming_the_issuer_without_https_are_accepted(
    browser: httpx.AsyncClient, google: Google, database: Database
) -> None:
    user = await make_user(database, role="buyer")
    await _link(None, database, user.id)
    google.claims = {"iss": "accounts.google.com", "aud": [CLIENT_ID, "x"], "azp": CLIENT_ID}

    response = await _callback(browser, google, await _start(browser))

    assert response.status_code == 303


@pytest.mark.parametrize("cookie", ["a.\u00e9", "x" * 3000, "abc", "a.b.c.d"])
async def test_tampered_cookies_never_break_the_pages(
    browser: httpx.AsyncClient, cookie: str
) -> None:
    names = ("mb_oidc_link", "mb_mfa", "mb_session")
    raw = "; ".join(f"{name}={cookie}" for name in names).encode("latin-1")  # as a browser may

    signin = await browser.get("/signin", headers=[(b"cookie", raw)])
    second = await browser.get("/signin/2fa", headers=[(b"cookie", raw)])

    assert signin.status_code == 200
    assert second.status_code == 200
