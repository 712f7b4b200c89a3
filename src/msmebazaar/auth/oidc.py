"""Single sign-on with OpenID Connect (Google first; any one other issuer by settings).

The flow is the authorization-code flow with PKCE (authlib's OAuth 2.0 parameters and S256
challenge; our own httpx client for the requests, so one HTTP stack serves the app; joserfc checks
the ID token):

1. `start`: a random `state` (the browser's own sign-in, against CSRF), `nonce` (binds the ID
   token to it) and PKCE verifier, kept in a signed cookie for 10 minutes, and the redirect to
   the issuer.
2. `finish`: the callback's `state` must equal the cookie's; the code is exchanged (with the
   verifier) for an ID token whose signature (the issuer's JWKS), issuer, audience, expiry and
   nonce are checked, and whose email the issuer says it verified.
3. The identity (issuer + its stable `sub`) then signs in the user it is linked to, or is linked
   to the signed-in user who started it from their account page. An identity linked to nobody
   waits (signed cookie, 15 minutes) for a phone sign-in: the phone stays every account's anchor,
   so a new account is made only once its phone is verified.
"""

from __future__ import annotations

import hmac
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri, prepare_token_request
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.cookies import CookieSigner
from msmebazaar.auth.devices import notify_security_change
from msmebazaar.auth.exceptions import (
    IdentityNotFoundError,
    OidcAlreadyLinkedError,
    OidcEmailUnverifiedError,
    OidcProviderUnknownError,
    OidcTokenInvalidError,
    OidcUnavailableError,
)
from msmebazaar.auth.models import OidcIdentity, User
from msmebazaar.auth.schemas import LinkedIdentity
from msmebazaar.shared.config import OidcSettings
from msmebazaar.shared.db import Database, dialect_insert, utcnow
from msmebazaar.shared.metrics import counter

GOOGLE_ISSUER = "https://accounts.google.com"
# Google's ID tokens may name their issuer without the scheme (Google's OpenID Connect docs).
_ISSUER_ALIASES = {GOOGLE_ISSUER: ("accounts.google.com",)}
_LABELS = {"google": "Google"}
SCOPE = "openid email profile"
# The cookies of a sign-in under way (signed by `CookieSigner.seal`).
STATE_COOKIE = "mb_oidc"  # state, nonce and PKCE verifier of the redirect under way
STATE_SECONDS = 600
LINK_COOKIE = "mb_oidc_link"  # a verified identity waiting for a phone sign-in to link it
LINK_SECONDS = 900
MFA_COOKIE = "mb_mfa"  # a sign-in waiting for its second factor on the portal's form
# What each sealed cookie is for (a cookie sealed for one is refused for another).
STATE_PURPOSE, LINK_PURPOSE, MFA_PURPOSE = "oidc-state", "oidc-link", "oidc-mfa"
_METADATA_SECONDS = 3600.0
_LEEWAY_SECONDS = 60  # clock skew allowed on the ID token's times
_MAX_SUBJECT = 255  # OpenID Connect Core §2: `sub` is at most 255 ASCII characters

OIDC_LOGINS = counter(
    "auth_oidc_logins_total",
    "OpenID Connect callbacks, by provider and result (signed_in, mfa_required, linked, "
    "pending_phone, or the refusal: state_invalid, denied, token_invalid, email_unverified, "
    "already_linked, provider_unavailable, account_suspended...).",
    ("provider", "result"),
)


@dataclass(frozen=True)
class Provider:
    """An OpenID Connect issuer we sign in with, and our client there."""

    name: str
    label: str
    issuer: str
    client_id: str
    client_secret: str


def providers(settings: OidcSettings) -> dict[str, Provider]:
    """The configured providers by name (Google when its client is set, and the other one)."""
    found: dict[str, Provider] = {}
    if settings.google_client_id and settings.google_client_secret:
        secret = settings.google_client_secret.get_secret_value()
        found["google"] = Provider(
            "google", "Google", GOOGLE_ISSUER, settings.google_client_id, secret
        )
    if settings.provider_name and settings.issuer and settings.client_id and settings.client_secret:
        found[settings.provider_name] = Provider(
            settings.provider_name,
            settings.provider_label or settings.provider_name.title(),
            settings.issuer.rstrip("/"),
            settings.client_id,
            settings.client_secret.get_secret_value(),
        )
    return found


def provider_of(settings: OidcSettings, name: str) -> Provider:
    """The configured provider called `name`; 404 `OIDC_PROVIDER_UNKNOWN` otherwise."""
    found = providers(settings).get(name)
    if found is None:
        raise OidcProviderUnknownError()
    return found


@dataclass(frozen=True)
class Identity:
    """An account at a provider, as its verified ID token says."""

    provider: str
    issuer: str
    subject: str
    email: str
    name: str | None


@dataclass
class Directory:
    """Each provider's discovery document and signing keys, fetched when first needed and
    again after an hour (or at once for a key id not seen: the issuer rotated its keys)."""

    timeout: float
    _metadata: dict[str, tuple[float, dict[str, Any]]] = field(default_factory=dict)
    _keys: dict[str, KeySet] = field(default_factory=dict)

    async def _get(self, url: str) -> dict[str, Any]:
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.get(url)
                response.raise_for_status()
                document = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise OidcUnavailableError() from exc
        if not isinstance(document, dict):
            raise OidcUnavailableError()
        return document

    async def metadata(self, provider: Provider) -> dict[str, Any]:
        """The provider's discovery document (`/.well-known/openid-configuration`)."""
        cached = self._metadata.get(provider.name)
        if cached is not None and time.monotonic() - cached[0] < _METADATA_SECONDS:
            return cached[1]
        document = await self._get(f"{provider.issuer}/.well-known/openid-configuration")
        needed = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
        if any(not isinstance(document.get(name), str) for name in needed):
            raise OidcUnavailableError()
        if document["issuer"].rstrip("/") != provider.issuer:  # OpenID Discovery §4.3
            raise OidcUnavailableError()
        self._metadata[provider.name] = (time.monotonic(), document)
        self._keys.pop(provider.name, None)
        return document

    async def keys(self, provider: Provider, *, refresh: bool = False) -> KeySet:
        """The provider's signing keys (its JWKS)."""
        if refresh or provider.name not in self._keys:
            document = await self._get((await self.metadata(provider))["jwks_uri"])
            try:
                self._keys[provider.name] = KeySet.import_key_set(document)  # type: ignore[arg-type]
            except (JoseError, ValueError, TypeError, KeyError) as exc:
                raise OidcUnavailableError() from exc
        return self._keys[provider.name]


async def authorization_url(
    directory: Directory,
    provider: Provider,
    *,
    redirect_uri: str,
    state: str,
    nonce: str,
    verifier: str,
    choose_account: bool = False,
) -> str:
    """Where to send the browser to sign in at the provider (PKCE: only the verifier's S256
    challenge leaves us). `choose_account` makes the provider ask which account (linking one
    should never pick silently whichever account the browser is signed in to)."""
    endpoint = (await directory.metadata(provider))["authorization_endpoint"]
    extra = {"prompt": "select_account"} if choose_account else {}
    return str(
        prepare_grant_uri(
            endpoint,
            provider.client_id,
            "code",
            redirect_uri=redirect_uri,
            scope=SCOPE,
            state=state,
            nonce=nonce,
            code_challenge=create_s256_code_challenge(verifier),
            code_challenge_method="S256",
            **extra,
        )
    )


async def _token_response(
    directory: Directory, provider: Provider, endpoint: str, body: str
) -> dict[str, Any]:
    try:
        async with httpx.AsyncClient(timeout=directory.timeout) as client:
            response = await client.post(
                endpoint,
                content=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/json",
                },
            )
    except httpx.HTTPError as exc:
        raise OidcUnavailableError() from exc
    if response.status_code >= 500:
        raise OidcUnavailableError()
    try:
        answer = response.json()
    except ValueError as exc:
        raise OidcTokenInvalidError() from exc
    if response.status_code != 200 or not isinstance(answer, dict):  # a spent or forged code
        raise OidcTokenInvalidError()
    return answer


async def verified_identity(
    directory: Directory,
    provider: Provider,
    *,
    code: str,
    verifier: str,
    nonce: str,
    redirect_uri: str,
) -> Identity:
    """Exchange the callback's code (with the PKCE verifier) for the ID token and check it;
    the identity it proves."""
    metadata = await directory.metadata(provider)
    body = prepare_token_request(
        "authorization_code",
        code=code,
        redirect_uri=redirect_uri,
        code_verifier=verifier,
        client_id=provider.client_id,  # client_secret_post, which Google and others accept
        client_secret=provider.client_secret,
    )
    token = await _token_response(directory, provider, metadata["token_endpoint"], body)
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise OidcTokenInvalidError()
    claims = await _checked_claims(directory, provider, metadata, id_token, nonce)
    if claims.get("email_verified") not in (True, "true") or not isinstance(
        claims.get("email"), str
    ):
        raise OidcEmailUnverifiedError()
    name = claims.get("name")
    return Identity(
        provider=provider.name,
        issuer=provider.issuer,
        subject=str(claims["sub"]),
        email=str(claims["email"])[:254],
        name=name[:120] if isinstance(name, str) and name.strip() else None,
    )


async def _checked_claims(
    directory: Directory, provider: Provider, metadata: dict[str, Any], id_token: str, nonce: str
) -> dict[str, Any]:
    """The ID token's claims once its signature, issuer, audience (and authorized party when
    it names several), times, subject and nonce hold (OpenID Connect Core §3.1.3.7)."""
    algorithms = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = [alg for alg in algorithms if isinstance(alg, str) and alg != "none"]
    issuers = [metadata["issuer"], *_ISSUER_ALIASES.get(provider.issuer, ())]
    try:
        try:
            decoded = jwt.decode(id_token, await directory.keys(provider), algorithms=algorithms)
        except JoseError:  # perhaps signed with a key published since: fetch the keys once more
            keys = await directory.keys(provider, refresh=True)
            decoded = jwt.decode(id_token, keys, algorithms=algorithms)
        registry = jwt.JWTClaimsRegistry(
            leeway=_LEEWAY_SECONDS,
            iss={"essential": True, "values": issuers},
            aud={"essential": True, "value": provider.client_id},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
        )
        registry.validate(decoded.claims)
    except (JoseError, ValueError, TypeError) as exc:
        raise OidcTokenInvalidError() from exc
    claims = dict(decoded.claims)
    if not _bound_to_us(claims, provider, nonce):
        raise OidcTokenInvalidError()
    return claims


def _bound_to_us(claims: dict[str, Any], provider: Provider, nonce: str) -> bool:
    """Whether the token was made for this sign-in: its nonce (a string, equal to ours), an
    `azp` of ours when it names several audiences, and a subject we can store whole."""
    sent_nonce, subject = claims.get("nonce"), claims.get("sub")
    if not isinstance(sent_nonce, str) or not hmac.compare_digest(
        sent_nonce.encode(), nonce.encode()
    ):
        return False
    audiences = claims.get("aud")
    if (
        isinstance(audiences, list)
        and len(audiences) > 1
        and claims.get("azp") != provider.client_id
    ):
        return False
    return isinstance(subject, str) and 0 < len(subject) <= _MAX_SUBJECT


# --- identities and their users -------------------------------------------------------------------


async def user_of_identity(session: AsyncSession, identity: Identity) -> User | None:
    """The user an identity is linked to (its use recorded), or None."""
    row = await session.scalar(
        select(OidcIdentity).where(
            OidcIdentity.issuer == identity.issuer, OidcIdentity.subject == identity.subject
        )
    )
    if row is None:
        return None
    row.last_used_at = utcnow()
    row.email = identity.email  # the address may have changed at the provider
    return await session.get(User, row.user_id)


async def link_identity(session: AsyncSession, user_id: uuid.UUID, identity: Identity) -> None:
    """Link an identity to a user (and give the user its email if they have none); 409
    `OIDC_ALREADY_LINKED` when it is another user's, or the user has one of that provider."""
    values = {
        "id": uuid.uuid4(),
        "user_id": user_id,
        "provider": identity.provider,
        "issuer": identity.issuer,
        "subject": identity.subject,
        "email": identity.email,
        "created_at": utcnow(),
    }
    insert = dialect_insert(session, OidcIdentity).values(**values).on_conflict_do_nothing()
    linked: Any = await session.execute(insert.returning(OidcIdentity.id))
    if linked.first() is None:
        owner = await session.scalar(
            select(OidcIdentity.user_id).where(
                OidcIdentity.issuer == identity.issuer,
                OidcIdentity.subject == identity.subject,
            )
        )
        if owner != user_id:  # another user's, or this user has another of that provider
            raise OidcAlreadyLinkedError()
        return  # linked already: nothing to do
    await session.execute(
        update(User)
        .where(User.id == user_id, User.email.is_(None))
        .values(email=identity.email)
        .execution_options(synchronize_session=False)
    )
    user = await session.get_one(User, user_id)
    label = _LABELS.get(identity.provider, identity.provider.title())
    notify_security_change(session, user.phone, user.language, "account_linked", provider=label)


async def linked_identities(session: AsyncSession, user_id: uuid.UUID) -> list[LinkedIdentity]:
    """The user's linked accounts, oldest first."""
    rows = await session.scalars(
        select(OidcIdentity)
        .where(OidcIdentity.user_id == user_id)
        .order_by(OidcIdentity.created_at)
    )
    return [LinkedIdentity.model_validate(row) for row in rows]


async def unlink_identity(session: AsyncSession, user_id: uuid.UUID, provider: str) -> None:
    """Unlink the user's account of `provider`; 404 `IDENTITY_NOT_FOUND` when there is none."""
    result: Any = await session.execute(
        delete(OidcIdentity).where(
            OidcIdentity.user_id == user_id, OidcIdentity.provider == provider
        )
    )
    if not result.rowcount:
        raise IdentityNotFoundError()


def pending_identity(signer: CookieSigner, cookie: str | None) -> Identity | None:
    """The verified identity a browser's cookie holds, waiting for a phone sign-in, or None."""
    payload = signer.unseal(LINK_PURPOSE, cookie)
    return identity_from(payload) if payload is not None else None


def pending_mfa_token(signer: CookieSigner, cookie: str | None) -> str | None:
    """The `mfa_token` of a provider sign-in waiting for its second factor, or None."""
    payload = signer.unseal(MFA_PURPOSE, cookie)
    return payload.get("mfa_token") if payload is not None else None


async def link_pending_identity(database: Database, user_id: uuid.UUID, identity: Identity) -> bool:
    """Link a pending identity to the user who just signed in with their phone; False when it
    was linked to someone else meanwhile (or they have one of that provider already)."""
    try:
        async with database.session() as session:
            await link_identity(session, user_id, identity)
    except OidcAlreadyLinkedError:
        return False
    OIDC_LOGINS.labels(identity.provider, "linked").inc()
    return True


def sign_in_choices(settings: OidcSettings) -> list[tuple[str, str]]:
    """The providers to offer on the sign-in page: (name, label)."""
    return [(provider.name, provider.label) for provider in providers(settings).values()]


def identity_payload(identity: Identity) -> dict[str, str]:
    """An identity as a sealed cookie carries it (waiting for a phone sign-in)."""
    return {
        "provider": identity.provider,
        "issuer": identity.issuer,
        "subject": identity.subject,
        "email": identity.email,
        "name": identity.name or "",
    }


def identity_from(payload: dict[str, str]) -> Identity | None:
    """The identity a sealed cookie carried, or None for anything else."""
    try:
        return Identity(
            payload["provider"],
            payload["issuer"],
            payload["subject"],
            payload["email"],
            payload["name"] or None,
        )
    except KeyError:
        return None
