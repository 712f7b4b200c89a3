"""Which events become which notifications, for whom, linking where (DESIGN.md §3 lists the
kinds). One subscription takes them all, in commit order: a user's notifications are then
numbered in the order they happened, which the live stream's resumption relies on."""

from __future__ import annotations

from typing import Any

from msmebazaar.admin.service import OwnerDecisionMade
from msmebazaar.auth.service import UserRole, get_user
from msmebazaar.match.service import ListingMatched
from msmebazaar.msme.service import DealNoticeDue, InterestChanged, listing_facts
from msmebazaar.notifications.delivery import Notice, Notifier
from msmebazaar.notifications.kinds import Kind
from msmebazaar.notifications.texts import TEXTS, reason_text
from msmebazaar.shared.dispatch import Delivery, Subscription
from msmebazaar.shared.exceptions import NotFoundError

OWNER_INTERESTS = "/my/interests"
BUYER_INTERESTS = "/buyer/interests"

_DECISIONS: dict[str, tuple[Kind, str]] = {
    "verification.approve": (Kind.PROFILE_VERIFIED, "/my/businesses/{id}"),
    "verification.reject": (Kind.PROFILE_REJECTED, "/my/businesses/{id}"),
    "listing.approve": (Kind.LISTING_APPROVED, "/my/listings/{id}"),
    "listing.reject": (Kind.LISTING_REJECTED, "/my/listings/{id}"),
}
_DEAL_NOTICES: dict[str, tuple[Kind, str]] = {
    "message": (Kind.DEAL_MESSAGE, "body"),
    "nda_accepted": (Kind.NDA_ACCEPTED, "body"),
    "offer": (Kind.OFFER_RECEIVED, "body"),
    "offer_accepted": (Kind.OFFER_DECIDED, "accepted"),
    "offer_rejected": (Kind.OFFER_DECIDED, "rejected"),
}


async def on_interest_changed(event: InterestChanged, delivery: Delivery) -> None:
    """A new interest tells the owner; an answer tells the buyer (a withdrawal tells nobody)."""
    if event.status not in ("pending", "accepted", "declined"):
        return
    async with delivery.database.session() as session:
        facts = await listing_facts(session, event.listing_id)
        if facts is None:
            return
        if event.status != "pending":
            kind = Kind.INTEREST_ACCEPTED if event.status == "accepted" else Kind.INTEREST_DECLINED
            notice = Notice(event.buyer_id, kind, BUYER_INTERESTS, {"name": facts.headline})
        else:
            try:
                buyer = await get_user(session, event.buyer_id)
                owner = await get_user(session, facts.owner_id)
            except NotFoundError:  # an account deleted since: nobody to tell, or about whom
                return
            role = "investor" if buyer.role is UserRole.INVESTOR else "buyer"
            who = TEXTS.text(f"role.{role}", owner.language)
            params = {"name": facts.headline, "role": who}
            notice = Notice(facts.owner_id, Kind.INTEREST_RECEIVED, OWNER_INTERESTS, params)
    await Notifier(delivery).send(notice)


async def on_deal_notice_due(event: DealNoticeDue, delivery: Delivery) -> None:
    """Something happened in a deal that its other side should hear of."""
    known = _DEAL_NOTICES.get(event.kind)
    if known is None:
        return
    kind, variant = known
    notice = Notice(
        event.recipient_id,
        kind,
        f"/deals/{event.deal_id}",
        {"name": event.headline},
        variant=variant,
    )
    await Notifier(delivery).send(notice)


async def on_owner_decision(event: OwnerDecisionMade, delivery: Delivery) -> None:
    """An admin verified or rejected an owner's profile, or approved or rejected a listing."""
    known = _DECISIONS.get(event.decision)
    if known is None:
        return
    kind, link = known
    params = {"name": event.name, "reason": reason_text(event.reason)}
    await Notifier(delivery).send(
        Notice(event.owner_id, kind, link.format(id=event.subject_id), params)
    )


async def on_listing_matched(event: ListingMatched, delivery: Delivery) -> None:
    """A new listing matches buyers' mandates: each buyer hears of it once, and their phone and
    email at most once a day per mandate."""
    notifier = Notifier(delivery)
    async with delivery.database.session() as session:
        languages = {}
        for match in event.matches:
            try:
                languages[match.owner_id] = (await get_user(session, match.owner_id)).language
            except NotFoundError:
                continue
    for match in event.matches:
        language = languages.get(match.owner_id)
        if language is None:
            continue
        grade = match.grade if match.grade in ("excellent", "good") else "good"
        params: dict[str, Any] = {
            "name": event.headline,
            "mandate": match.mandate_title,
            "grade": TEXTS.text(f"grade.{grade}", language),
        }
        await notifier.send(
            Notice(
                match.owner_id,
                Kind.NEW_MATCH,
                f"/buyer/mandates/{match.mandate_id}",
                params,
                topic=f"mandate:{match.mandate_id}",
            )
        )


_HANDLERS: dict[type, Any] = {
    InterestChanged: on_interest_changed,
    DealNoticeDue: on_deal_notice_due,
    OwnerDecisionMade: on_owner_decision,
    ListingMatched: on_listing_matched,
}


async def on_event(event: Any, delivery: Delivery) -> None:
    """Hand the event to the handler of its type."""
    await _HANDLERS[type(event)](event, delivery)


# The one subscription of the service: its name is its cursor's identity (never rename it).
SUBSCRIPTION = Subscription(
    "notifications.inbox",
    tuple(_HANDLERS),
    on_event,
    # Users hear of what happens from now on, not of every event still kept from before.
    replay=False,
)
