"""The auth service's public face: the only module (with `schemas`) other services import.

It re-exports the request dependencies (`CurrentUser`, `OptionalUser`, `require_role`), the
functions other services call with ids (`get_user`, `set_user_status`), the one way a sign-in
completes (`sign_in`) with the credentials auth issues for it (`issue_tokens` for the API, the
portal's `CookieSigner`), and the errors callers may tell apart.
"""

from __future__ import annotations

from msmebazaar.auth.admin_users import (
    LastAdminError,
    SelfChangeError,
    UserChange,
    UserCounts,
    UserSearch,
    change_user,
    search_users,
    signup_cohort,
    user_counts,
    users_after,
)
from msmebazaar.auth.channels import acting_principal, find_user_by_phone, user_for_verified_phone
from msmebazaar.auth.cookies import CookieSigner, SessionRef
from msmebazaar.auth.dependencies import (
    CallerLanguage,
    CodecDep,
    CurrentUser,
    OptionalUser,
    codec_of,
    current_user,
    get_codec,
    optional_user,
    require_role,
)
from msmebazaar.auth.devices import SessionNotFoundError, end_session, list_sessions
from msmebazaar.auth.events import SessionEnded, UserRoleChanged
from msmebazaar.auth.exceptions import (
    AccountSuspendedError,
    OtpAttemptsExceededError,
    OtpInvalidError,
    PhoneInvalidError,
    RoleNotAllowedError,
)
from msmebazaar.auth.otp import parse_phone
from msmebazaar.auth.schemas import Principal, UserRead, UserRole, UserStatus
from msmebazaar.auth.sessions import issue_tokens, logout, refresh_tokens, session_principal
from msmebazaar.auth.signin import SignIn, request_code, sign_in
from msmebazaar.auth.tokens import TokenCodec
from msmebazaar.auth.users import create_or_promote_admin, get_user, set_user_status, update_me

__all__ = [
    "AccountSuspendedError",
    "CallerLanguage",
    "CodecDep",
    "CookieSigner",
    "CurrentUser",
    "LastAdminError",
    "OptionalUser",
    "OtpAttemptsExceededError",
    "OtpInvalidError",
    "PhoneInvalidError",
    "Principal",
    "RoleNotAllowedError",
    "SelfChangeError",
    "SessionEnded",
    "SessionNotFoundError",
    "SessionRef",
    "SignIn",
    "TokenCodec",
    "UserChange",
    "UserCounts",
    "UserRead",
    "UserRole",
    "UserRoleChanged",
    "UserSearch",
    "UserStatus",
    "acting_principal",
    "change_user",
    "codec_of",
    "create_or_promote_admin",
    "current_user",
    "end_session",
    "find_user_by_phone",
    "get_codec",
    "get_user",
    "issue_tokens",
    "list_sessions",
    "logout",
    "optional_user",
    "parse_phone",
    "refresh_tokens",
    "request_code",
    "require_role",
    "search_users",
    "session_principal",
    "set_user_status",
    "sign_in",
    "signup_cohort",
    "update_me",
    "user_counts",
    "user_for_verified_phone",
    "users_after",
]
