"""The auth service's public face: the only module (with `schemas`) other services import.

It re-exports the request dependencies (`CurrentUser`, `OptionalUser`, `require_role`), the
functions other services call with ids (`get_user`, `set_user_status`), the one way a sign-in
completes (`sign_in`, then `complete_second_factor` when the account has a second factor) with
the credentials auth issues for it (`issue_tokens` for the API, the
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
from msmebazaar.auth.cookies import (
    CSRF_COOKIE,
    DEVICE_COOKIE,
    SESSION_COOKIE,
    CookieSigner,
    SessionRef,
    browser_device_id,
    signer_of,
)
from msmebazaar.auth.dependencies import (
    CallerLanguage,
    CodecDep,
    CurrentUser,
    EnrollingUser,
    OptionalUser,
    TokenOrCookieUser,
    codec_of,
    current_user,
    get_codec,
    lacks_second_factor,
    optional_user,
    principal_of_session,
    require_role,
    require_second_factor,
    token_or_cookie_user,
)
from msmebazaar.auth.devices import SessionNotFoundError, end_session, list_sessions
from msmebazaar.auth.events import SecondFactorChanged, SessionEnded, UserRoleChanged
from msmebazaar.auth.exceptions import (
    AccountSuspendedError,
    MfaAttemptsExceededError,
    MfaCodeInvalidError,
    MfaTokenInvalidError,
    OtpAttemptsExceededError,
    OtpInvalidError,
    PhoneInvalidError,
    RoleNotAllowedError,
)
from msmebazaar.auth.oidc import (
    LINK_COOKIE,
    MFA_COOKIE,
    Identity,
    link_pending_identity,
    linked_identities,
    pending_identity,
    pending_mfa_token,
    sign_in_choices,
    unlink_identity,
)
from msmebazaar.auth.otp import parse_phone
from msmebazaar.auth.schemas import MfaRequired, Principal, UserRead, UserRole, UserStatus
from msmebazaar.auth.second_factor import (
    disable_totp,
    enable_totp,
    enforce_check_limits,
    pending_totp,
    renew_recovery_codes,
    setup_totp,
)
from msmebazaar.auth.second_factor import status as second_factor_status
from msmebazaar.auth.sessions import issue_tokens, logout, refresh_tokens, session_principal
from msmebazaar.auth.signin import Place, SignIn, complete_second_factor, request_code, sign_in
from msmebazaar.auth.tokens import TokenCodec
from msmebazaar.auth.users import create_or_promote_admin, get_user, set_user_status, update_me

__all__ = [
    "CSRF_COOKIE",
    "DEVICE_COOKIE",
    "LINK_COOKIE",
    "MFA_COOKIE",
    "SESSION_COOKIE",
    "AccountSuspendedError",
    "CallerLanguage",
    "CodecDep",
    "CookieSigner",
    "CurrentUser",
    "EnrollingUser",
    "Identity",
    "LastAdminError",
    "MfaAttemptsExceededError",
    "MfaCodeInvalidError",
    "MfaRequired",
    "MfaTokenInvalidError",
    "OptionalUser",
    "OtpAttemptsExceededError",
    "OtpInvalidError",
    "PhoneInvalidError",
    "Place",
    "Principal",
    "RoleNotAllowedError",
    "SecondFactorChanged",
    "SelfChangeError",
    "SessionEnded",
    "SessionNotFoundError",
    "SessionRef",
    "SignIn",
    "TokenCodec",
    "TokenOrCookieUser",
    "UserChange",
    "UserCounts",
    "UserRead",
    "UserRole",
    "UserRoleChanged",
    "UserSearch",
    "UserStatus",
    "acting_principal",
    "browser_device_id",
    "change_user",
    "codec_of",
    "complete_second_factor",
    "create_or_promote_admin",
    "current_user",
    "disable_totp",
    "enable_totp",
    "end_session",
    "enforce_check_limits",
    "find_user_by_phone",
    "get_codec",
    "get_user",
    "issue_tokens",
    "lacks_second_factor",
    "link_pending_identity",
    "linked_identities",
    "list_sessions",
    "logout",
    "optional_user",
    "parse_phone",
    "pending_identity",
    "pending_mfa_token",
    "pending_totp",
    "principal_of_session",
    "refresh_tokens",
    "renew_recovery_codes",
    "request_code",
    "require_role",
    "require_second_factor",
    "search_users",
    "second_factor_status",
    "session_principal",
    "set_user_status",
    "setup_totp",
    "sign_in",
    "sign_in_choices",
    "signer_of",
    "signup_cohort",
    "token_or_cookie_user",
    "unlink_identity",
    "update_me",
    "user_counts",
    "user_for_verified_phone",
    "users_after",
]
