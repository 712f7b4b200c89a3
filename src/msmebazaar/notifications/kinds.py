"""The kinds of notification and which channels each uses until the user says otherwise: one
table, so a newcomer finds every kind's defaults in one place."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    INTEREST_RECEIVED = "interest_received"
    INTEREST_ACCEPTED = "interest_accepted"
    INTEREST_DECLINED = "interest_declined"
    DEAL_MESSAGE = "deal_message"
    NDA_ACCEPTED = "nda_accepted"
    OFFER_RECEIVED = "offer_received"
    OFFER_DECIDED = "offer_decided"
    PROFILE_VERIFIED = "profile_verified"
    PROFILE_REJECTED = "profile_rejected"
    LISTING_APPROVED = "listing_approved"
    LISTING_REJECTED = "listing_rejected"
    NEW_MATCH = "new_match"


class Channel(StrEnum):
    """Where a notification may go besides the in-app inbox (which is always on)."""

    SMS = "sms"
    WHATSAPP = "whatsapp"
    EMAIL = "email"


# What a user gets before choosing: everything by email (when the account has an address), and
# on the phone what was sent by SMS before notifications were a service — decisions, interests,
# offers, the first message of a burst and new matches. WhatsApp reaches a user only while their
# 24-hour conversation window is open (Meta allows free text only then); it then replaces the
# SMS of the same notification, so a phone is never told twice.
_QUIET_ON_PHONE = {Kind.NDA_ACCEPTED}
DEFAULTS: dict[Kind, dict[Channel, bool]] = {
    kind: {
        Channel.SMS: kind not in _QUIET_ON_PHONE,
        Channel.WHATSAPP: kind not in _QUIET_ON_PHONE,
        Channel.EMAIL: True,
    }
    for kind in Kind
}
