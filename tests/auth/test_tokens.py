"""Access tokens: claims, and a specific 401 for every kind of bad token."""

from __future__ import annotations

import base64
import json
import time
import uuid
from datetime import timedelta

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import SecretStr

from msmebazaar.auth.exceptions import InvalidTokenError, TokenExpiredError
from msmebazaar.auth.tokens import AccessClaims, TokenCodec
from msmebazaar.shared.config import AuthSettings, Settings
from msmebazaar.shared.db import utcnow
from tests.auth.factories import ME, bearer, sign_in


def _claims(token: str) -> dict[str, object]:
    payload = token.split(".")[1]
    decoded: dict[str, object] = json.loads(base64.urlsafe_b64decode(payload + "=="))
    return decoded


async def test_access_token_carries_the_documented_claims(client: httpx.AsyncClient) -> None:
    tokens = await sign_in(client, role="investor")

    claims = _claims(tokens["access_token"])

    assert set(claims) == {"sub", "sid", "role", "jti", "iat", "exp", "iss", "type"}
    assert claims["sub"] == tokens["user"]["id"]
    assert claims["role"] == "investor"
    assert claims["type"] == "access"
    assert claims["iss"] == "msmebazaar"
    assert claims["exp"] == claims["iat"] + 900  # type: ignore[operator]


async def test_me_without_a_token_is_401_authentication_required(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(ME)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "AUTHENTICATION_REQUIRED"
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_a_non_bearer_authorization_header_is_401_invalid_token(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(ME, headers={"Authorization": "Basic dXNlcjpwYXNz"})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "INVALID_TOKEN"


async def test_expired_access_token_is_401_token_expired(
    client: httpx.AsyncClient, codec: TokenCodec
) -> None:
    tokens = await sign_in(client)
    claims = _claims(tokens["access_token"])
    expired = codec.issue_access(
        user_id=uuid.UUID(str(claims["sub"])),
        session_id=uuid.UUID(str(claims["sid"])),
        role="msme_owner",
        jti="old",
        issued=utcnow() - timedelta(hours=1),
    )

    response = await client.get(ME, headers={"Authorization": f"Bearer {expired}"})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "TOKEN_EXPIRED"


async def test_tampered_token_is_401_invalid_token(client: httpx.AsyncClient) -> None:
    tokens = await sign_in(client, role="buyer")
    header, _, signature = tokens["access_token"].split(".")
    claims = _claims(tokens["access_token"]) | {"role": "admin"}
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()

    response = await client.get(
        ME, headers={"Authorization": f"Bearer {header}.{forged_payload}.{signature}"}
    )

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "INVALID_TOKEN"


async def test_alg_none_token_is_401_invalid_token(client: httpx.AsyncClient) -> None:
    tokens = await sign_in(client)
    unsigned = jwt.encode(_claims(tokens["access_token"]), key="", algorithm="none")

    response = await client.get(ME, headers={"Authorization": f"Bearer {unsigned}"})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "INVALID_TOKEN"


@pytest.mark.filterwarnings("ignore::jwt.InsecureKeyLengthWarning")
async def test_token_of_another_type_is_401_invalid_token(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    tokens = await sign_in(client)
    claims = _claims(tokens["access_token"]) | {"type": "refresh"}
    secret = settings.auth.jwt_secret.get_secret_value()
    other_type = jwt.encode(claims, secret, algorithm="HS256")

    response = await client.get(ME, headers={"Authorization": f"Bearer {other_type}"})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "INVALID_TOKEN"


@pytest.mark.parametrize("garbage", ["not-a-jwt", "a.b.c", "Bearer", "eyJ" * 40])
async def test_garbage_bearer_token_is_401_never_500(
    client: httpx.AsyncClient, garbage: str
) -> None:
    response = await client.get(ME, headers={"Authorization": f"Bearer {garbage}"})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "INVALID_TOKEN"


async def test_token_for_a_session_that_does_not_exist_is_401(
    client: httpx.AsyncClient, codec: TokenCodec
) -> None:
    tokens = await sign_in(client)
    orphan = codec.issue_access(
        user_id=uuid.UUID(tokens["user"]["id"]),
        session_id=uuid.uuid4(),
        role="msme_owner",
        jti="x",
        issued=utcnow(),
    )

    response = await client.get(ME, headers={"Authorization": f"Bearer {orphan}"})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "SESSION_REVOKED"


async def test_me_answers_with_a_valid_token(client: httpx.AsyncClient) -> None:
    tokens = await sign_in(client)

    response = await client.get(ME, headers=bearer(tokens))

    assert response.status_code == 200


def _rsa_settings() -> AuthSettings:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return AuthSettings(jwt_algorithm="RS256", jwt_private_key=SecretStr(pem))


def test_rs256_tokens_verify_with_the_derived_public_key() -> None:
    codec = TokenCodec(_rsa_settings())
    user_id, session_id = uuid.uuid4(), uuid.uuid4()

    token = codec.issue_access(
        user_id=user_id, session_id=session_id, role="buyer", jti="j", issued=utcnow()
    )

    assert jwt.get_unverified_header(token)["alg"] == "RS256"
    claims = codec.decode_access(token)
    assert (claims.user_id, claims.session_id, claims.role) == (user_id, session_id, "buyer")


def test_rs256_codec_refuses_hs256_tokens_signed_with_the_public_key() -> None:
    settings = _rsa_settings()
    codec = TokenCodec(settings)
    public_pem = serialization.load_pem_private_key(
        settings.jwt_private_key.get_secret_value().encode(),  # type: ignore[union-attr]
        password=None,
    ).public_key()
    claims: dict[str, object] = {"sub": str(uuid.uuid4()), "sid": str(uuid.uuid4())}
    claims |= {"role": "admin", "jti": "j", "iat": 1, "exp": 2**31, "iss": "msmebazaar"}
    claims |= {"type": "access"}
    pem_bytes = public_pem.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    forged = jwt.api_jws.PyJWS().encode(
        json.dumps(claims).encode(), key=pem_bytes.hex(), algorithm="HS256"
    )

    with pytest.raises(InvalidTokenError):
        codec.decode_access(forged)


def test_the_same_inputs_give_the_same_access_token(codec: TokenCodec) -> None:
    user_id, session_id, issued = uuid.uuid4(), uuid.uuid4(), utcnow()

    first = codec.issue_access(
        user_id=user_id, session_id=session_id, role="buyer", jti="j", issued=issued
    )
    second = codec.issue_access(
        user_id=user_id, session_id=session_id, role="buyer", jti="j", issued=issued
    )

    assert first == second


def test_a_remembered_token_is_refused_once_it_expires(codec: TokenCodec) -> None:
    issued = utcnow() - timedelta(hours=1)
    token = codec.issue_access(
        user_id=uuid.uuid4(), session_id=uuid.uuid4(), role="buyer", jti="j", issued=issued
    )
    codec._verified[token] = AccessClaims(  # as if verified while it was still valid
        user_id=uuid.uuid4(),
        session_id=uuid.uuid4(),
        role="buyer",
        jti="j",
        expires_at=time.time() - 1,
    )

    with pytest.raises(TokenExpiredError):
        codec.decode_access(token)


def test_a_verified_token_is_recognised_again(codec: TokenCodec) -> None:
    token = codec.issue_access(
        user_id=uuid.uuid4(), session_id=uuid.uuid4(), role="buyer", jti="j", issued=utcnow()
    )

    assert codec.decode_access(token) == codec.decode_access(token)
