"""The auth service as the app and the CLI see it."""

from __future__ import annotations

from msmebazaar.auth.cli import app as cli
from msmebazaar.auth.oidc_router import router as oidc_router
from msmebazaar.auth.router import router
from msmebazaar.services import ServiceSpec

SERVICE = ServiceSpec(
    name="auth",
    routers=[router, oidc_router],
    cli=cli,
    tags=[
        {
            "name": "auth",
            "description": "Sign in with a phone OTP (and a second factor when on), or with "
            "Google or another OpenID Connect provider; access and rotating refresh tokens; "
            "your profile, role and sign-ins.",
        }
    ],
)
