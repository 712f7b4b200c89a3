"""Forged, tampered and confused bearer tokens, sent to protected routes of the running app:
each is 401 in the envelope (INVALID_TOKEN, or TOKEN_EXPIRED), never a success and never a 500.

The forgeries start from a real token of a real buyer, so the only thing wrong with each is the
thing being tested.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import jwt
import pytest
from asgi_lifespan import LifespanManager
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import SecretStr

from msmebazaar.app import create_app
from msmebazaar.shared.cache import Cache
from msmebazaar.shared.config import Settings
from msmebazaar.shared.db import Database
from msmebazaar.shared.ratelimit import RateLimiter
from tests.auth.factories import sign_in

PROTECTED = ("/api/v1/auth/me", "/api/v1/msmes/mine", "/api/v1/mandates/mine")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _parts(token: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    header, payload, signature = token.split(".")
    pad = "=" * (-len(payload) % 4)
    claims = json.loads(base64.urlsafe_b64decode(payload + pad))
    pad_header = "=" * (-len(header) % 4)
    return json.loads(base64.urlsafe_b64decode(header + pad_header)), claims, signature


def _hs256(header: dict[str, Any], claims: dict[str, Any], key: bytes) -> str:
    """Sign by hand: PyJWT refuses some of the keys an attacker would use (a PEM public key)."""
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def _rsa_pem() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def _alg_none(token: str) -> str:
    header, claims, _ = _parts(token)
    unsigned = _b64(json.dumps(header | {"alg": "none"}).encode())
    return f"{unsigned}.{_b64(json.dumps(claims).encode())}."


def _promoted(token: str) -> str:
    _, claims, signature = _parts(token)
    forged = _b64(json.dumps(claims | {"role": "admin"}).encode())
    return f"{token.split('.', maxsplit=1)[0]}.{forged}.{signature}"


def _wrong_secret(token: str) -> str:
    header, claims, _ = _parts(token)
    return _hs256(header, claims, b"a-guess-at-the-secret-that-is-long-enough")


def _rs256_from_a_stranger(token: str) -> str:
    _, claims, _ = _parts(token)
    private, _ = _rsa_pem()
    return jwt.encode(claims, private, algorithm="RS256")


def _expired(token: str, secret: str) -> str:
    header, claims, _ = _parts(token)
    past = int(time.time()) - 3600
    return _hs256(header, claims | {"iat": past - 900, "exp": past}, secret.encode())


def _other_issuer(token: str, secret: str) -> str:
    header, claims, _ = _parts(token)
    return _hs256(header, claims | {"iss": "someone-else"}, secret.encode())


def _not_an_access_token(token: str, secret: str) -> str:
    header, claims, _ = _parts(token)
    return _hs256(header, claims | {"type": "refresh"}, secret.encode())


def _without_session(token: str, secret: str) -> str:
    header, claims, _ = _parts(token)
    claims.pop("sid")
    return _hs256(header, claims, secret.encode())


FORGERIES: dict[str, Callable[[str, str], str]] = {
    "alg_none": lambda token, _: _alg_none(token),
    "role_promoted_keeping_the_signature": lambda token, _: _promoted(token),
    "signed_with_a_guessed_secret": lambda token, _: _wrong_secret(token),
    "rs256_signed_by_a_stranger": lambda token, _: _rs256_from_a_stranger(token),
    "expired": _expired,
    "issued_by_someone_else": _other_issuer,
    "not_an_access_token": _not_an_access_token,
    "missing_a_required_claim": _without_session,
    "truncated": lambda token, _: token[: len(token) // 2],
    "signature_stripped": lambda token, _: token.rsplit(".", 1)[0] + ".",
}


async def test_every_forged_or_tampered_token_is_401(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    tokens = await sign_in(client, role="buyer", name="Real Buyer")
    secret = settings.auth.jwt_secret.get_secret_value()
    genuine = {"Authorization": f"Bearer {tokens['access_token']}"}

    wrong = []
    for name, forge in sorted(FORGERIES.items()):
        forged = {"Authorization": f"Bearer {forge(tokens['access_token'], secret)}"}
        expected = "TOKEN_EXPIRED" if name == "expired" else "INVALID_TOKEN"
        for path in PROTECTED:
            response = await client.get(path, headers=forged)
            answer = (response.status_code, response.json()["error"]["code"])
            if answer != (401, expected):
                wrong.append(f"{name} on {path}: {answer}")
    assert not wrong, "\n".join(wrong)
    assert (await client.get(PROTECTED[0], headers=genuine)).status_code == 200


@pytest.fixture
async def rs256_client(
    settings: Settings, database: Database, cache: Cache, rate_limiter: RateLimiter
) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    """The app signing with RS256; yields the client and the public key (which is public)."""
    private, public = _rsa_pem()
    changed = settings.model_copy(deep=True)
    changed.auth = changed.auth.model_copy(
        update={
            "jwt_algorithm": "RS256",
            "jwt_private_key": SecretStr(private),
            "jwt_public_key": public,
        }
    )
    app = create_app(changed, database=database, cache=cache, rate_limiter=rate_limiter)
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            yield http, public


async def test_alg_confusion_hs256_signed_with_the_rs256_public_key_is_401(
    rs256_client: tuple[httpx.AsyncClient, str],
) -> None:
    client, public_pem = rs256_client
    tokens = await sign_in(client, role="buyer", name="Real Buyer")
    header, claims, _ = _parts(tokens["access_token"])
    assert header["alg"] == "RS256"
    forged = _hs256(header | {"alg": "HS256"}, claims | {"role": "admin"}, public_pem.encode())

    response = await client.get(PROTECTED[0], headers={"Authorization": f"Bearer {forged}"})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "INVALID_TOKEN"
    genuine = await client.get(
        PROTECTED[0], headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert genuine.status_code == 200
