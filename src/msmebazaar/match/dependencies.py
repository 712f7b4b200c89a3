"""Request dependencies of the match routes: who may hold a mandate (the caller's language is
auth's `CallerLanguage`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from msmebazaar.auth.service import Principal, UserRole, require_role

MandateHolder = Annotated[Principal, Depends(require_role(UserRole.BUYER, UserRole.INVESTOR))]
