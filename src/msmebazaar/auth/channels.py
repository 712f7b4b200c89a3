"""Users whose phone another channel has proven: a WhatsApp sender's number is verified by
WhatsApp itself (Meta and Twilio deliver a message only from the number's own account), so such
a user needs no OTP. Used by the whatsapp service's onboarding."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.models import User
from msmebazaar.auth.schemas import Language, Principal, UserRead, UserRole
from msmebazaar.auth.users import user_for_sign_in

# The session id of a principal acting outside any sign-in session (no tokens were issued).
NO_SESSION = uuid.UUID(int=0)


async def find_user_by_phone(session: AsyncSession, phone: str) -> UserRead | None:
    """The user of an E.164 phone number, or None."""
    user = await session.scalar(select(User).where(User.phone == phone))
    return None if user is None else UserRead.model_validate(user)


async def user_for_verified_phone(
    session: AsyncSession, *, phone: str, role: UserRole, language: Language
) -> UserRead:
    """The user of a phone another channel verified: created with `role` on first contact; an
    existing one is reused with its role unchanged (a role change needs the user's consent:
    `update_me`)."""
    user, _ = await user_for_sign_in(session, phone=phone, role=role, name=None, language=language)
    return UserRead.model_validate(user)


def acting_principal(user: UserRead) -> Principal:
    """A principal for calling other services on `user`'s behalf outside a sign-in session."""
    return Principal(user=user, session_id=NO_SESSION)
