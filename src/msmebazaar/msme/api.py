"""The msme service as the app mounts it."""

from __future__ import annotations

from msmebazaar.msme.cli import app as cli
from msmebazaar.msme.routes.deals import router as deals_router
from msmebazaar.msme.routes.documents import router as documents_router
from msmebazaar.msme.routes.financials import router as financials_router
from msmebazaar.msme.routes.interests import router as interests_router
from msmebazaar.msme.routes.listings import router as listings_router
from msmebazaar.msme.routes.profiles import router as profiles_router
from msmebazaar.services import ServiceSpec

SERVICE = ServiceSpec(
    name="msme",
    # Order matters: fixed paths such as /msmes/sectors must come before /msmes/{msme_id}.
    cli=cli,
    routers=[
        profiles_router,
        financials_router,
        documents_router,
        listings_router,
        interests_router,
        deals_router,
    ],
    tags=[
        {
            "name": "msme",
            "description": "Business profiles, identifiers, classification, financials, "
            "documents, listings and interests.",
        },
        {
            "name": "listings",
            "description": "Offers to sell or raise money: lifecycle, public cards, search.",
        },
        {
            "name": "interests",
            "description": "Buyers' and investors' interest in listings; accept to share contacts.",
        },
        {
            "name": "deals",
            "description": "The deal room an accepted interest opens: mutual NDA, messages, "
            "offers and counter-offers, closing as won or lost. Its two sides (and admins, to "
            "read) only.",
        },
    ],
)
