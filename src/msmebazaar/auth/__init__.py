"""Auth: users, roles, phone OTP sign-in, JWT access tokens and rotating refresh tokens.

Other services import only `msmebazaar.auth.service` and `msmebazaar.auth.schemas`.
"""
