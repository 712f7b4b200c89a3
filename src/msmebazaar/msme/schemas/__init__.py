"""The msme service's public schemas: other services may import this package and `service` only.

Each area's schemas live in their own module; every public one is re-exported here.
"""

from __future__ import annotations

# --- profiles, sectors, financials, documents (engineer A) ---
from msmebazaar.msme.classification import Classification

# --- listings, interests (engineer B) ---
from msmebazaar.msme.schemas.deals import (
    MESSAGE_MAX_CHARS,
    DealClose,
    DealFunnel,
    DealRead,
    DealStage,
    DocumentAccessRead,
    MessageCreate,
    MessageRead,
    NdaRead,
    OfferCreate,
    OfferRead,
    OfferStatus,
)
from msmebazaar.msme.schemas.documents import DocumentKind, DocumentRead
from msmebazaar.msme.schemas.financials import FinancialsInput, FinancialsRead
from msmebazaar.msme.schemas.interests import (
    Contact,
    InterestCreate,
    InterestRead,
    InterestReceived,
    InterestSent,
    InterestStatus,
)
from msmebazaar.msme.schemas.listings import (
    DealType,
    ListingCard,
    ListingCreate,
    ListingDetail,
    ListingIdentity,
    ListingModeration,
    ListingRead,
    ListingSearch,
    ListingSort,
    ListingStatus,
    ListingUpdate,
    ModerationDecision,
)
from msmebazaar.msme.schemas.profiles import (
    LegalForm,
    MsmeCard,
    MsmeCreate,
    MsmeRead,
    MsmeUpdate,
    SectorRead,
    VerificationStatus,
)
from msmebazaar.msme.schemas.review import (
    CheckOutcome,
    DealTypeFlow,
    DuplicateProfile,
    FunnelCounts,
    IdentifierCheck,
    IdentifierCheckName,
    InterestCounts,
    InterestExport,
    ListingCounts,
    ListingExport,
    ProfileCounts,
    TransferOutcome,
    VerificationCase,
    VerificationOutcome,
)

__all__ = [
    "MESSAGE_MAX_CHARS",
    "CheckOutcome",
    "Classification",
    "Contact",
    "DealClose",
    "DealFunnel",
    "DealRead",
    "DealStage",
    "DealType",
    "DealTypeFlow",
    "DocumentAccessRead",
    "DocumentKind",
    "DocumentRead",
    "DuplicateProfile",
    "FinancialsInput",
    "FinancialsRead",
    "FunnelCounts",
    "IdentifierCheck",
    "IdentifierCheckName",
    "InterestCounts",
    "InterestCreate",
    "InterestExport",
    "InterestRead",
    "InterestReceived",
    "InterestSent",
    "InterestStatus",
    "LegalForm",
    "ListingCard",
    "ListingCounts",
    "ListingCreate",
    "ListingDetail",
    "ListingExport",
    "ListingIdentity",
    "ListingModeration",
    "ListingRead",
    "ListingSearch",
    "ListingSort",
    "ListingStatus",
    "ListingUpdate",
    "MessageCreate",
    "MessageRead",
    "ModerationDecision",
    "MsmeCard",
    "MsmeCreate",
    "MsmeRead",
    "MsmeUpdate",
    "NdaRead",
    "OfferCreate",
    "OfferRead",
    "OfferStatus",
    "ProfileCounts",
    "SectorRead",
    "TransferOutcome",
    "VerificationCase",
    "VerificationOutcome",
    "VerificationStatus",
]
