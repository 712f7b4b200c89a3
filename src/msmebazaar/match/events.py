"""Domain events the match service publishes (stored with the commit; `shared/events.py`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import ClassVar

from msmebazaar.shared.events import DomainEvent


@dataclass(frozen=True)
class MandateMatched:
    """One buyer's best mandate for a new listing, and how well it matched."""

    mandate_id: uuid.UUID
    owner_id: uuid.UUID
    mandate_title: str
    score: float
    grade: str


@dataclass(frozen=True)
class ListingMatched(DomainEvent):
    """A listing went live and matches these buyers' mandates at grade `good` or better (each
    buyer once per listing, by their best mandate): the notifications service tells them."""

    event_name: ClassVar[str] = "match.listing_matched"

    listing_id: uuid.UUID
    headline: str
    matches: tuple[MandateMatched, ...]
