"""Auth request and response schemas, and the signed-in principal other services receive."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

PHONE_EXAMPLE = "+919876543210"


class UserRole(StrEnum):
    MSME_OWNER = "msme_owner"
    BUYER = "buyer"
    INVESTOR = "investor"
    ADMIN = "admin"


# The roles a user may give themselves; `admin` comes only from `msmebazaar create-admin`.
SELF_SERVICE_ROLES = frozenset({UserRole.MSME_OWNER, UserRole.BUYER, UserRole.INVESTOR})


class UserStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


class Language(StrEnum):
    EN = "en"
    HI = "hi"


PhoneInput = Annotated[
    str,
    Field(
        min_length=1,
        max_length=32,
        description="Indian mobile number, e.g. `9876543210` or `+91 98765 43210`.",
        examples=[PHONE_EXAMPLE],
    ),
]
PersonName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=120),
    Field(description="The person's name.", examples=["Asha Patel"]),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OtpRequest(_Strict):
    phone: PhoneInput


class OtpRequested(BaseModel):
    expires_in: int = Field(description="Seconds the code stays valid.", examples=[300])
    resend_after: int = Field(description="Seconds before another code may be requested.")
    debug_code: str | None = Field(
        None, description="The code itself; only outside production with `AUTH_OTP_ECHO` on."
    )


class OtpVerify(_Strict):
    phone: PhoneInput
    code: str = Field(pattern=r"^[0-9]{6}$", description="The 6-digit code.", examples=["123456"])
    role: UserRole | None = Field(
        None,
        description="Role of a new user (default `msme_owner`; `admin` is refused). "
        "Ignored for an existing user.",
    )
    name: PersonName | None = None


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    phone: str = Field(description="E.164 mobile number.", examples=[PHONE_EXAMPLE])
    name: str | None
    email: str | None
    role: UserRole
    status: UserStatus
    language: Language
    phone_verified_at: datetime | None
    last_login_at: datetime | None
    created_at: datetime
    updated_at: datetime


class TokenResponse(BaseModel):
    mfa_required: Literal[False] = Field(
        False, description="False: signed in (see `MfaRequired` for the second-factor step)."
    )
    access_token: str = Field(description="JWT for `Authorization: Bearer ...`.")
    refresh_token: str = Field(description="Opaque; spent on use, exchanged for a new pair.")
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the scheme name, not a secret
    expires_in: int = Field(description="Seconds until the access token expires.")
    refresh_expires_in: int = Field(description="Seconds until the refresh token expires.")
    user: UserRead


class MfaRequired(BaseModel):
    """The phone code was right and the account has a second factor: finish with
    `POST /auth/2fa/verify {mfa_token, code}`."""

    mfa_required: Literal[True] = True
    mfa_token: str = Field(description="Single use; ends after five wrong codes or its expiry.")
    expires_in: int = Field(description="Seconds the `mfa_token` stays valid.", examples=[300])


SecondFactorCode = Annotated[
    str,
    Field(
        min_length=6,
        max_length=32,
        pattern=r"^[A-Za-z0-9 -]+$",
        description="The 6-digit code your authenticator app shows, or a recovery code.",
        examples=["123456"],
    ),
]


class MfaVerify(_Strict):
    mfa_token: str = Field(min_length=1, max_length=128)
    code: SecondFactorCode


class TotpCode(_Strict):
    code: SecondFactorCode


class TotpSetup(BaseModel):
    """A new authenticator secret, not yet on: prove it with `POST /auth/2fa/totp/enable`."""

    secret: str = Field(description="Base32, for typing into an authenticator app.")
    otpauth_uri: str = Field(
        description="The same secret as an `otpauth://totp/...` URI (what the QR code holds)."
    )


class RecoveryCodes(BaseModel):
    recovery_codes: list[str] = Field(
        description="Ten single-use codes for when the phone with the app is lost: shown once."
    )


class SecondFactorStatus(BaseModel):
    """Whether two-step sign-in is on, and how many recovery codes are left."""

    enabled: bool
    enabled_at: datetime | None
    recovery_codes_left: int
    required: bool = Field(description="Whether the role needs it (admins).")


class LinkedIdentity(BaseModel):
    """An account at a sign-in provider (Google...) linked to mine."""

    model_config = ConfigDict(from_attributes=True)

    provider: str = Field(examples=["google"])
    email: str = Field(description="The address the provider verified.")
    created_at: datetime
    last_used_at: datetime | None


class RefreshRequest(_Strict):
    refresh_token: str = Field(min_length=1, max_length=256)


class LogoutRequest(_Strict):
    refresh_token: str = Field(min_length=1, max_length=256)


class LogoutResult(BaseModel):
    sessions_ended: int = Field(description="Sign-in sessions ended by this call.")


class SessionRead(BaseModel):
    """One of my live sign-ins (an app's tokens or a browser's cookie)."""

    id: uuid.UUID
    device: str | None = Field(description="The browser or app it signed in from, as it said.")
    ip_prefix: str | None = Field(
        description="The network it signed in from (a /24 or /48), never the address itself.",
        examples=["203.0.113.0/24"],
    )
    created_at: datetime
    last_seen_at: datetime = Field(description="When it was last used (to a minute or so).")
    current: bool = Field(description="Whether this is the sign-in making the request.")


class UserUpdate(_Strict):
    """Fields left out are unchanged; `email: null` clears the email."""

    name: PersonName | None = None
    email: EmailStr | None = Field(None, examples=["asha@example.in"])
    language: Language | None = None
    role: UserRole | None = Field(None, description="`msme_owner`, `buyer` or `investor`.")


class Principal(BaseModel):
    """The signed-in caller: the user as of at most a few seconds ago, and the session."""

    user: UserRead
    session_id: uuid.UUID
    second_factor: bool = Field(
        False, description="Whether this sign-in proved a second factor (admins need one)."
    )

    @property
    def id(self) -> uuid.UUID:
        return self.user.id

    @property
    def role(self) -> UserRole:
        return self.user.role
