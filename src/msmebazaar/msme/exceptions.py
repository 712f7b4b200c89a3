"""The msme service's errors, each with its stable code (DESIGN.md §3)."""

from __future__ import annotations

from msmebazaar.shared.exceptions import (
    ConflictError,
    NotFoundError,
    PayloadTooLargeError,
    RateLimitedError,
)

# Where the real owner of an identifier goes when someone else registered it first.
DISPUTE_HELP = (
    "If it is yours, contact support with your {certificate} to raise a dispute: "
    "an admin will review both claims and resolve who owns it."
)


class MsmeNotFoundError(NotFoundError):
    default_code = "MSME_NOT_FOUND"
    default_message = "No such business profile."


class DocumentNotFoundError(NotFoundError):
    default_code = "DOCUMENT_NOT_FOUND"
    default_message = "No such document."


class VersionConflictError(ConflictError):
    default_code = "VERSION_CONFLICT"
    default_message = (
        "This was changed by someone else since you loaded it. "
        "Reload it and apply your change again."
    )


class IdentifierTakenError(ConflictError):
    """An identifier that must be unique is already on another live profile."""

    default_code = "IDENTIFIER_ALREADY_REGISTERED"
    default_message = "This identifier is already registered to another business profile."


class GstinAlreadyRegisteredError(IdentifierTakenError):
    default_code = "GSTIN_ALREADY_REGISTERED"
    default_message = "This GSTIN is already registered to another business profile. " + (
        DISPUTE_HELP.format(certificate="GST registration certificate")
    )


class UdyamAlreadyRegisteredError(IdentifierTakenError):
    default_code = "UDYAM_ALREADY_REGISTERED"
    default_message = "This Udyam number is already registered to another business profile. " + (
        DISPUTE_HELP.format(certificate="Udyam registration certificate")
    )


class IdentifierConflictLimitError(RateLimitedError):
    default_message = (
        "You have claimed too many identifiers that are registered to other business profiles "
        "today. Try again after the wait, or contact support to raise a dispute."
    )


class DocumentLimitReachedError(ConflictError):
    default_code = "DOCUMENT_LIMIT_REACHED"
    default_message = "This profile holds as many documents as a profile may."


class DocumentQuotaExceededError(PayloadTooLargeError):
    default_code = "DOCUMENT_QUOTA_EXCEEDED"
    default_message = "This file would take the profile's documents past their space."


# --- listings and interests (engineer B) -------------------------------------------------------


class ListingNotFoundError(NotFoundError):
    default_code = "LISTING_NOT_FOUND"
    default_message = "No such listing."


class ListingNotEditableError(ConflictError):
    default_code = "LISTING_NOT_EDITABLE"
    default_message = "Only a draft or a rejected listing can be changed; close it and list again."


class ListingStatusConflictError(ConflictError):
    default_code = "LISTING_STATUS_CONFLICT"
    default_message = "The listing is not in a status that allows this."


class MsmeNotVerifiedError(ConflictError):
    default_code = "MSME_NOT_VERIFIED"
    default_message = (
        "The business profile is not verified yet, so its listing cannot go live. "
        "Verify the profile first, then approve the listing."
    )


class InterestNotFoundError(NotFoundError):
    default_code = "INTEREST_NOT_FOUND"
    default_message = "No such interest."


class InterestAlreadySentError(ConflictError):
    default_code = "INTEREST_ALREADY_SENT"
    default_message = "You have already sent an interest in this listing."


class InterestLimitReachedError(ConflictError):
    default_code = "INTEREST_LIMIT_REACHED"
    default_message = "You have sent as many interests in this listing as one buyer may."


class InterestStatusConflictError(ConflictError):
    default_code = "INTEREST_STATUS_CONFLICT"
    default_message = "The interest is not in a status that allows this."


class DealNotFoundError(NotFoundError):
    default_code = "DEAL_NOT_FOUND"
    default_message = "No such deal of yours."


class DealClosedError(ConflictError):
    default_code = "DEAL_CLOSED"
    default_message = "This deal is closed: nothing more can be added to it."


class OfferNotFoundError(NotFoundError):
    default_code = "OFFER_NOT_FOUND"
    default_message = "No such offer in a deal of yours."


class OfferStatusConflictError(ConflictError):
    default_code = "OFFER_STATUS_CONFLICT"
    default_message = "This offer is no longer pending."


class OfferPendingError(ConflictError):
    default_code = "OFFER_PENDING"
    default_message = "Your last offer is still pending: withdraw it, or wait for the answer."


class OfferExpiredError(ConflictError):
    default_code = "OFFER_EXPIRED"
    default_message = "This offer lapsed at its valid-until time."


class ListingTakenError(ConflictError):
    """Another deal of the listing has an accepted offer or was won."""

    default_code = "LISTING_UNDER_OFFER"
    default_message = "Another deal for this listing has an accepted offer."


class NdaNotSignedError(ConflictError):
    default_code = "NDA_NOT_SIGNED"
    default_message = "Both sides accept the NDA before offers are made."
