"""Token and code cryptography: JWT access tokens, opaque refresh tokens, keyed hashes of
OTP codes, recovery codes and `mfa_token`s."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import secrets
import time
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization

from msmebazaar.auth.exceptions import InvalidTokenError, TokenExpiredError
from msmebazaar.shared.config import AuthSettings, ConfigError

ACCESS_TYPE = "access"
REQUIRED_CLAIMS = ("sub", "sid", "role", "jti", "iat", "exp", "iss", "type")
MAX_REFRESH_TOKEN_LENGTH = 128
_LEEWAY_SECONDS = 5
_MIN_HMAC_KEY_BYTES = 32
_VERIFIED_TOKENS_KEPT = 10_000


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID
    role: str
    jti: str
    expires_at: float  # POSIX seconds, leeway included


def _keys(settings: AuthSettings) -> tuple[str, str]:
    """(signing key, verifying key) for the configured algorithm."""
    if settings.jwt_algorithm == "HS256":
        secret = settings.jwt_secret.get_secret_value()
        return secret, secret
    if settings.jwt_private_key is None:
        raise ConfigError("JWT_ALGORITHM=RS256 needs JWT_PRIVATE_KEY (PEM)")
    private_pem = settings.jwt_private_key.get_secret_value()
    if settings.jwt_public_key:
        return private_pem, settings.jwt_public_key
    private_key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    public_pem = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private_pem, public_pem.decode()


class TokenCodec:
    """Signs and checks access tokens; derives the keyed hashes of codes and refresh tokens."""

    def __init__(self, settings: AuthSettings) -> None:
        self.settings = settings
        self.algorithm = settings.jwt_algorithm
        self._signing_key, self._verifying_key = _keys(settings)
        self._verified: dict[str, AccessClaims] = {}
        self._short_key = self.algorithm == "HS256" and len(self._signing_key) < _MIN_HMAC_KEY_BYTES
        material = (
            settings.otp_hash_key.get_secret_value() if settings.otp_hash_key else self._signing_key
        ).encode()
        # Separate keys per purpose, so one use can never stand in for another.
        self._otp_key = hmac.new(material, b"msmebazaar/otp", hashlib.sha256).digest()
        self._refresh_key = hmac.new(material, b"msmebazaar/refresh", hashlib.sha256).digest()
        self._mfa_key = hmac.new(material, b"msmebazaar/mfa", hashlib.sha256).digest()

    def issue_access(
        self, *, user_id: uuid.UUID, session_id: uuid.UUID, role: str, jti: str, issued: datetime
    ) -> str:
        """A signed access token; the same inputs always give the same token."""
        iat = int(issued.timestamp())
        claims = {
            "sub": str(user_id),
            "sid": str(session_id),
            "role": role,
            "jti": jti,
            "iat": iat,
            "exp": iat + self.settings.access_token_ttl_seconds,
            "iss": self.settings.jwt_issuer,
            "type": ACCESS_TYPE,
        }
        with self._quiet_short_key():
            return jwt.encode(claims, self._signing_key, algorithm=self.algorithm)

    @contextlib.contextmanager
    def _quiet_short_key(self) -> Iterator[None]:
        # Production refuses HS256 secrets under 32 characters (config.production_problems); the
        # short development default would otherwise make PyJWT warn on every token.
        if not self._short_key:
            yield
            return
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", jwt.InsecureKeyLengthWarning)
            yield

    def decode_access(self, token: str) -> AccessClaims:
        """Check signature, algorithm, issuer, expiry and type; 401 with a specific code if bad.

        A token already verified by this process is recognised without redoing the work (a
        client sends the same token with every request for 15 minutes) until it expires."""
        known = self._verified.get(token)
        if known is not None and time.time() < known.expires_at:
            return known
        claims = self._verify(token)
        if len(self._verified) >= _VERIFIED_TOKENS_KEPT:
            self._verified.pop(next(iter(self._verified)))  # the oldest entry
        self._verified[token] = claims
        return claims

    def _verify(self, token: str) -> AccessClaims:
        try:
            with self._quiet_short_key():
                claims: dict[str, Any] = jwt.decode(
                    token,
                    self._verifying_key,
                    algorithms=[self.algorithm],  # never "none", never the other family
                    issuer=self.settings.jwt_issuer,
                    leeway=_LEEWAY_SECONDS,
                    options={"require": list(REQUIRED_CLAIMS)},
                )
        except jwt.ExpiredSignatureError as exc:
            raise TokenExpiredError() from exc
        except jwt.PyJWTError as exc:
            raise InvalidTokenError() from exc
        if claims.get("type") != ACCESS_TYPE:
            raise InvalidTokenError("This is not an access token.")
        try:
            return AccessClaims(
                user_id=uuid.UUID(str(claims["sub"])),
                session_id=uuid.UUID(str(claims["sid"])),
                role=str(claims["role"]),
                jti=str(claims["jti"]),
                expires_at=float(claims["exp"]) + _LEEWAY_SECONDS,
            )
        except (TypeError, ValueError) as exc:
            raise InvalidTokenError() from exc

    def otp_hash(self, phone: str, code: str) -> str:
        """The keyed hash stored for a phone's code (the code itself is never stored)."""
        return hmac.new(self._otp_key, f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()

    def mfa_hash(self, value: str) -> str:
        """The keyed hash stored for a recovery code or an `mfa_token` (never the value)."""
        return hmac.new(self._mfa_key, value.encode(), hashlib.sha256).hexdigest()

    def successor_refresh_token(self, token: str) -> str:
        """The refresh token that replaces `token` on rotation. Deterministic, so a racing
        duplicate refresh inside the grace window can be given the very same pair; unguessable
        without the server key."""
        digest = hmac.new(self._refresh_key, token.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def new_refresh_token() -> str:
    """A fresh opaque refresh token (256 random bits)."""
    return secrets.token_urlsafe(32)


def refresh_token_hash(token: str) -> str:
    """What the database keeps of a refresh token."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_otp_code() -> str:
    """Six digits from the operating system's CSPRNG."""
    return f"{secrets.randbelow(1_000_000):06d}"
