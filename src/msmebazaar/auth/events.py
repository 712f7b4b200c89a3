"""Domain events the auth service publishes (delivered after the commit, `shared/events.py`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from msmebazaar.shared.events import DomainEvent


@dataclass(frozen=True)
class UserRoleChanged(DomainEvent):
    """A user switched their own role (`PATCH /auth/me`); admin audits it.

    Changes an admin makes through the admin service are audited there, in their own
    transaction, and are not announced again.
    """

    user_id: uuid.UUID
    before: str
    after: str
