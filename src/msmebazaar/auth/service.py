"""The auth service's public face: the only module (with `schemas`) other services import.

It re-exports the request dependencies (`CurrentUser`, `OptionalUser`, `require_role`) and the
functions other services call with ids (`get_user`, `set_user_status`).
"""

from __future__ import annotations

from msmebazaar.auth.dependencies import (
    CodecDep,
    CurrentUser,
    OptionalUser,
    current_user,
    get_codec,
    optional_user,
    require_role,
)
from msmebazaar.auth.otp import parse_phone
from msmebazaar.auth.schemas import Principal, UserRead, UserRole, UserStatus
from msmebazaar.auth.sessions import logout, refresh_tokens
from msmebazaar.auth.signin import request_code, verify_code
from msmebazaar.auth.users import create_or_promote_admin, get_user, set_user_status, update_me

__all__ = [
    "CodecDep",
    "CurrentUser",
    "OptionalUser",
    "Principal",
    "UserRead",
    "UserRole",
    "UserStatus",
    "create_or_promote_admin",
    "current_user",
    "get_codec",
    "get_user",
    "logout",
    "optional_user",
    "parse_phone",
    "refresh_tokens",
    "request_code",
    "require_role",
    "set_user_status",
    "update_me",
    "verify_code",
]
