"""Auth tables: users, pending OTP challenges, sign-in sessions and their refresh tokens, and
second factors (TOTP, recovery codes, the sign-ins waiting for one)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from msmebazaar.shared.db import Base, Timestamps, UUIDPrimaryKey, utcnow

ROLES = ("msme_owner", "buyer", "investor", "admin")
STATUSES = ("active", "suspended")
LANGUAGES = ("en", "hi")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class User(UUIDPrimaryKey, Timestamps, Base):
    """A person who signs in with a mobile number; one role at a time."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(_one_of("role", ROLES), name="role"),
        CheckConstraint(_one_of("status", STATUSES), name="status"),
        CheckConstraint(_one_of("language", LANGUAGES), name="language"),
        # Admin analytics: signups per day and a period's signup cohort (id and role ride
        # along for an index-only scan), and users by role and status.
        Index("ix_users_created_at", "created_at", "role", "id"),
        Index("ix_users_role_status", "role", "status"),
    )

    phone: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(16), default="msme_owner", index=True)
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    language: Mapped[str] = mapped_column(String(2), default="en")
    phone_verified_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]


class OtpChallenge(Base):
    """The one live code of a phone: a keyed hash, its expiry and the tries spent on it."""

    __tablename__ = "otp_challenges"

    phone: Mapped[str] = mapped_column(String(16), primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class AuthSession(UUIDPrimaryKey, Base):
    """One sign-in (a refresh-token family): the `sid` of its access tokens."""

    __tablename__ = "auth_sessions"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_refreshed_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(32))
    user_agent: Mapped[str | None] = mapped_column(String(255))
    # Where it came from (a /24 or /48 network, never the address) and when last used.
    ip_prefix: Mapped[str | None] = mapped_column(String(64))
    last_seen_at: Mapped[datetime | None]
    # SHA-256 of the device id the browser or app keeps (`auth.devices.device_hash`).
    device_hash: Mapped[str | None] = mapped_column(String(64))
    # When this sign-in proved a second factor (at sign-in, or by turning TOTP on in it).
    second_factor_at: Mapped[datetime | None]


class RefreshToken(UUIDPrimaryKey, Base):
    """One refresh token of a family, stored only as its SHA-256; spent once used."""

    __tablename__ = "refresh_tokens"
    __table_args__ = (Index("ix_refresh_tokens_parent_id", "parent_id"),)

    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("auth_sessions.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[uuid.UUID | None]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class TotpFactor(Base):
    """A user's TOTP authenticator: the secret (encrypted), on once a first code proved it."""

    __tablename__ = "totp_factors"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    secret_encrypted: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    enabled_at: Mapped[datetime | None]
    # The last 30-second step whose code was accepted: a code is accepted once.
    last_used_step: Mapped[int | None] = mapped_column(BigInteger)


class RecoveryCode(UUIDPrimaryKey, Base):
    """One single-use recovery code, stored only as its keyed hash."""

    __tablename__ = "recovery_codes"
    __table_args__ = (UniqueConstraint("user_id", "code_hash"),)

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]


class MfaChallenge(UUIDPrimaryKey, Base):
    """A sign-in whose phone code was right, waiting for its second factor (`mfa_token`)."""

    __tablename__ = "mfa_challenges"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class OidcIdentity(UUIDPrimaryKey, Base):
    """An account at an OpenID Connect issuer (Google...) linked to a user: signing in there
    signs in here. The phone stays the account's anchor; this is one more way in."""

    __tablename__ = "oidc_identities"
    __table_args__ = (
        UniqueConstraint("issuer", "subject"),
        UniqueConstraint("user_id", "provider"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    provider: Mapped[str] = mapped_column(String(32))
    # Who vouches for the account (a `sub` is unique only within its issuer), and its `sub`:
    # stable, unlike the email.
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
