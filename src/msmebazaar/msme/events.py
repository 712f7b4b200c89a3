"""Domain events the msme service publishes (stored with the commit, delivered by the dispatcher:
`shared/events.py`, `shared/dispatch.py`; listed in docs/architecture.md)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import ClassVar

from msmebazaar.shared.events import DomainEvent


@dataclass(frozen=True)
class ListingChanged(DomainEvent):
    """A listing was created, edited or changed status (match re-embeds it, admin audits it)."""

    event_name: ClassVar[str] = "msme.listing_changed"

    listing_id: uuid.UUID
    msme_id: uuid.UUID
    status: str


@dataclass(frozen=True)
class InterestChanged(DomainEvent):
    """An interest was sent, accepted, declined or withdrawn."""

    event_name: ClassVar[str] = "msme.interest_changed"

    interest_id: uuid.UUID
    listing_id: uuid.UUID
    buyer_id: uuid.UUID
    status: str


@dataclass(frozen=True)
class VerificationReset(DomainEvent):
    """An owner's change to the legal name or an identifier sent a verified or rejected profile
    back to `pending` (admin audits it and its queue grows)."""

    event_name: ClassVar[str] = "msme.verification_reset"

    msme_id: uuid.UUID
    owner_id: uuid.UUID
    editor_id: uuid.UUID
    editor_role: str
    previous_status: str
    changed_fields: tuple[str, ...]


@dataclass(frozen=True)
class IdentifierConflicted(DomainEvent):
    """A user claimed a GSTIN or Udyam number that another live profile holds, and was refused
    (admin audits it beside that profile, where a dispute will be decided)."""

    event_name: ClassVar[str] = "msme.identifier_conflicted"

    msme_id: uuid.UUID  # the profile holding the identifier
    field: str
    user_id: uuid.UUID
    user_role: str
    claiming_msme_id: uuid.UUID | None  # the profile being edited; None for a new one


@dataclass(frozen=True)
class DealNoticeDue(DomainEvent):
    """One side of a deal should hear that something happened in it: a new `message` (the
    first of a burst), the other side's acceptance of the NDA (`nda_accepted`), a new `offer`
    or counter-offer, or an answer to their offer (`offer_accepted`, `offer_rejected`). The
    notifications service tells them, with a link, never the content."""

    event_name: ClassVar[str] = "msme.deal_notice_due"

    deal_id: uuid.UUID
    recipient_id: uuid.UUID
    kind: str
    headline: str
