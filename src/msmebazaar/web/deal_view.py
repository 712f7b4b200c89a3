"""What a deal page shows and offers, worked out from the deal as msme's service reads it: the
viewer's side, the stage tracker, how long the deal has sat at its stage, and which forms and
buttons the viewer gets. The service still decides every action; these only keep the page from
offering what it would refuse."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final, Literal

from msmebazaar.msme.schemas import DealRead, DealStage, OfferRead, OfferStatus

Side = Literal["owner", "buyer"]
StepState = Literal["done", "current", "todo"]

CLOSED: Final = frozenset({DealStage.CLOSED_WON, DealStage.CLOSED_LOST})
# The tracker's steps, in order; the last one is "closed" until the deal is won or lost.
_TRACK: Final = (
    DealStage.INTRODUCED,
    DealStage.NDA_SIGNED,
    DealStage.DILIGENCE,
    DealStage.OFFER,
)


@dataclass(frozen=True)
class Step:
    """One step of the stage tracker: its text key's last part and where the deal is."""

    key: str
    state: StepState


def stage_steps(stage: DealStage) -> list[Step]:
    """The tracker: introduced → nda_signed → diligence → offer → closed_won | closed_lost.
    Steps before the deal's stage are done (a deal may skip diligence: an offer without
    opening a document)."""
    closed = stage in CLOSED
    current = len(_TRACK) if closed else _TRACK.index(stage)
    steps = [
        Step(step.value, "done" if index < current else "current" if index == current else "todo")
        for index, step in enumerate(_TRACK)
    ]
    steps.append(Step(stage.value if closed else "closed", "current" if closed else "todo"))
    return steps


def side_of(deal: DealRead, user_id: uuid.UUID) -> Side | None:
    """The viewer's side of the deal; None for an admin reading it."""
    if user_id == deal.owner_id:
        return "owner"
    if user_id == deal.buyer_id:
        return "buyer"
    return None


def days_between(start: datetime, now: datetime) -> int:
    """Whole days from `start` to `now` (a naive time is UTC, as stored)."""
    aware = start if start.tzinfo is not None else start.replace(tzinfo=UTC)
    return max(0, (now - aware).days)


@dataclass(frozen=True)
class DealSummary:
    """A deal in a list: the viewer's side (None for admins) and days at its stage."""

    deal: DealRead
    side: Side | None
    days_at_stage: int


def summaries(deals: list[DealRead], user_id: uuid.UUID, now: datetime) -> list[DealSummary]:
    """Deals as the lists show them."""
    return [
        DealSummary(deal, side_of(deal, user_id), days_between(deal.stage_changed_at, now))
        for deal in deals
    ]


@dataclass(frozen=True)
class ListingTerms:
    """What the offer form shows of the deal's listing: its deal type, its asking price, and
    whether an offer names a stake (stake sales and investments)."""

    deal_type: str | None
    asking_price: int | None
    stake_needed: bool


@dataclass(frozen=True)
class DealChoices:
    """What the viewer may do in the deal now (nothing, for an admin)."""

    user_id: uuid.UUID
    side: Side | None
    is_open: bool
    may_accept_nda: bool
    offer_form: Literal["offer", "counter"] | None
    offer_note: str | None  # a text key: why there is no offer form
    pending: OfferRead | None

    @property
    def acts(self) -> bool:
        """A party to an open deal: may write, and close it."""
        return self.side is not None and self.is_open

    def may_decide(self, offer: OfferRead) -> bool:
        """Accept or reject: the other side's pending offer."""
        return self._pending(offer) and offer.author_id != self.user_id

    def may_withdraw(self, offer: OfferRead) -> bool:
        """Withdraw: one's own pending offer."""
        return self._pending(offer) and offer.author_id == self.user_id

    def _pending(self, offer: OfferRead) -> bool:
        return self.acts and self.pending is not None and offer.id == self.pending.id


def deal_choices(deal: DealRead, user_id: uuid.UUID, offers: list[OfferRead]) -> DealChoices:
    """The forms and buttons a deal page offers `user_id`."""
    side = side_of(deal, user_id)
    is_open = deal.stage not in CLOSED
    pending = next((offer for offer in offers if offer.status is OfferStatus.PENDING), None)
    accepted_at = {"owner": deal.nda.owner_accepted_at, "buyer": deal.nda.buyer_accepted_at}
    form, note = _offer_form(deal, side, pending) if side and is_open else (None, None)
    return DealChoices(
        user_id=user_id,
        side=side,
        is_open=is_open,
        may_accept_nda=side is not None and is_open and accepted_at[side] is None,
        offer_form=form,
        offer_note=note,
        pending=pending,
    )


def _offer_form(
    deal: DealRead, side: Side, pending: OfferRead | None
) -> tuple[Literal["offer", "counter"] | None, str | None]:
    """Which offer form a party gets (the buyer offers; the owner counters the buyer's
    pending offer), or the text key saying why none."""
    if not deal.nda.signed:
        return None, "deal_room.offers_after_nda"
    if deal.stage is DealStage.OFFER:
        return None, "deal_room.offer_was_accepted"
    if pending is not None and pending.side == side:
        return None, "deal_room.offer_awaits_answer"
    if side == "owner" and pending is None:
        return None, "deal_room.owner_counters_only"
    return ("counter" if pending is not None else "offer"), None
