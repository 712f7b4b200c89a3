"""Domain events the auth service publishes (stored with the commit, delivered by the dispatcher:
`shared/events.py`, `shared/dispatch.py`; listed in docs/architecture.md)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import ClassVar

from msmebazaar.shared.events import DomainEvent


@dataclass(frozen=True)
class UserRoleChanged(DomainEvent):
    """A user switched their own role (`PATCH /auth/me`); admin audits it.

    Changes an admin makes through the admin service are audited there, in their own
    transaction, and are not announced again.
    """

    event_name: ClassVar[str] = "auth.user_role_changed"

    user_id: uuid.UUID
    before: str
    after: str


@dataclass(frozen=True)
class SessionEnded(DomainEvent):
    """A user ended one of their own sign-ins (`DELETE /auth/sessions/{id}`); admin audits it."""

    event_name: ClassVar[str] = "auth.session_ended"

    user_id: uuid.UUID
    user_role: str
    session_id: uuid.UUID
    ended_from_session_id: uuid.UUID  # the sign-in that asked (itself, when it ended itself)


@dataclass(frozen=True)
class SecondFactorChanged(DomainEvent):
    """A user turned two-step sign-in on or off, or signed in with a recovery code, or an
    operator removed it for them; admin audits it."""

    event_name: ClassVar[str] = "auth.second_factor_changed"

    ENABLED: ClassVar[str] = "enabled"
    DISABLED: ClassVar[str] = "disabled"
    RECOVERY_CODE_USED: ClassVar[str] = "recovery_code_used"
    RESET: ClassVar[str] = "reset"  # removed by an operator (`msmebazaar reset-second-factor`)

    user_id: uuid.UUID
    user_role: str
    change: str  # ENABLED, DISABLED, RECOVERY_CODE_USED or RESET
    session_id: uuid.UUID  # the sign-in that did it (all zeros for an operator's command)
