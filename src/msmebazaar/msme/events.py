"""Domain events the msme service publishes (delivered after the commit, `shared/events.py`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from msmebazaar.shared.events import DomainEvent


@dataclass(frozen=True)
class ListingChanged(DomainEvent):
    """A listing was created, edited or changed status (match re-embeds it, admin audits it)."""

    listing_id: uuid.UUID
    msme_id: uuid.UUID
    status: str


@dataclass(frozen=True)
class InterestChanged(DomainEvent):
    """An interest was sent, accepted, declined or withdrawn."""

    interest_id: uuid.UUID
    listing_id: uuid.UUID
    buyer_id: uuid.UUID
    status: str


@dataclass(frozen=True)
class VerificationReset(DomainEvent):
    """An owner's change to the legal name or an identifier sent a verified or rejected profile
    back to `pending` (admin audits it and its queue grows)."""

    msme_id: uuid.UUID
    owner_id: uuid.UUID
    editor_id: uuid.UUID
    editor_role: str
    previous_status: str
    changed_fields: tuple[str, ...]
