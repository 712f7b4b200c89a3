"""The auth service as the app and the CLI see it."""

from __future__ import annotations

from msmebazaar.auth.cli import app as cli
from msmebazaar.auth.router import router
from msmebazaar.services import ServiceSpec

SERVICE = ServiceSpec(
    name="auth",
    routers=[router],
    cli=cli,
    tags=[
        {
            "name": "auth",
            "description": "Sign in with a phone OTP; access and rotating refresh tokens; "
            "your profile and role.",
        }
    ],
)
