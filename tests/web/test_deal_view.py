"""What a deal page offers each viewer: the stage tracker, and the offer form or the sentence
saying why there is none (the service still decides; the page only offers what it would take)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from msmebazaar.msme.schemas import DealRead, DealStage, DealType, OfferRead, OfferStatus
from msmebazaar.web.deal_view import days_between, deal_choices, stage_steps

OWNER, BUYER, ADMIN = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
NOW = datetime(2026, 3, 12, 10, tzinfo=UTC)


def _deal(stage: DealStage = DealStage.NDA_SIGNED, *, signed: bool = True) -> DealRead:
    return DealRead(
        id=uuid.uuid4(),
        listing_id=uuid.uuid4(),
        interest_id=uuid.uuid4(),
        owner_id=OWNER,
        buyer_id=BUYER,
        stage=stage,
        nda={
            "owner_accepted_at": NOW if signed else None,
            "buyer_accepted_at": NOW if signed else None,
            "signed": signed,
        },
        headline="A spice blender",
        deal_type=DealType.FULL_SALE,
        asking_price=4_50_00_000,
        nda_required=True,
        documents_open=signed,
        stage_changed_at=NOW,
        created_at=NOW,
        updated_at=NOW,
    )


def _offer(side: str, status: OfferStatus = OfferStatus.PENDING) -> OfferRead:
    fields: dict[str, Any] = {
        "id": uuid.uuid4(),
        "deal_id": uuid.uuid4(),
        "author_id": OWNER if side == "owner" else BUYER,
        "side": side,
        "amount": 10**7,
        "stake_percent": None,
        "terms": "cash",
        "valid_until": NOW + timedelta(days=9),
        "status": status,
        "counters_id": None,
        "created_at": NOW,
        "decided_at": None,
    }
    return OfferRead.model_validate(fields)


def test_the_tracker_marks_the_steps_before_the_stage_done_and_names_how_it_closed() -> None:
    steps = stage_steps(DealStage.CLOSED_LOST)
    diligence = stage_steps(DealStage.DILIGENCE)

    assert [(s.key, s.state) for s in steps][-2:] == [("offer", "done"), ("closed_lost", "current")]
    assert [s.state for s in diligence] == ["done", "done", "current", "todo", "todo"]
    assert diligence[-1].key == "closed"


def test_days_at_a_stage_count_whole_days_and_never_go_negative() -> None:
    assert days_between(NOW - timedelta(days=3, hours=5), NOW) == 3
    assert days_between(NOW + timedelta(minutes=1), NOW) == 0
    assert days_between((NOW - timedelta(days=1)).replace(tzinfo=None), NOW) == 1


@pytest.mark.parametrize(
    ("viewer", "signed", "offers", "form", "note"),
    [
        (BUYER, False, [], None, "deal_room.offers_after_nda"),
        (BUYER, True, [], "offer", None),
        (OWNER, True, [], None, "deal_room.owner_counters_only"),
        (OWNER, True, ["buyer"], "counter", None),
        (BUYER, True, ["buyer"], None, "deal_room.offer_awaits_answer"),
        (BUYER, True, ["owner"], "counter", None),
        (ADMIN, True, ["buyer"], None, None),
    ],
)
def test_each_side_gets_the_offer_form_the_service_would_take(
    viewer: uuid.UUID, signed: bool, offers: list[str], form: str | None, note: str | None
) -> None:
    choices = deal_choices(_deal(signed=signed), viewer, [_offer(side) for side in offers])

    assert (choices.offer_form, choices.offer_note) == (form, note)


def test_only_the_other_side_answers_an_offer_and_only_its_author_withdraws_it() -> None:
    pending, old = _offer("buyer"), _offer("buyer", OfferStatus.REJECTED)
    as_owner = deal_choices(_deal(), OWNER, [old, pending])
    as_buyer = deal_choices(_deal(), BUYER, [old, pending])
    as_admin = deal_choices(_deal(), ADMIN, [old, pending])

    assert (as_owner.may_decide(pending), as_owner.may_withdraw(pending)) == (True, False)
    assert (as_buyer.may_decide(pending), as_buyer.may_withdraw(pending)) == (False, True)
    assert not as_owner.may_decide(old)
    assert (as_admin.may_decide(pending), as_admin.may_withdraw(pending), as_admin.acts) == (
        False,
        False,
        False,
    )


def test_a_closed_deal_offers_nothing() -> None:
    choices = deal_choices(_deal(DealStage.CLOSED_WON, signed=False), BUYER, [])

    assert (choices.acts, choices.may_accept_nda, choices.offer_form) == (False, False, None)
