"""IDOR: every route that takes an id, tried with another user's id by every non-admin role that
is not a party to it. Each answers 404 (may not see) or 403 (may see, may not change), never a
success, and nothing the victim owns changes.

The bodies are valid, so a missing ownership check would show as a success, not hide behind 422.
A new id-bearing route fails `test_every_id_bearing_route_is_attacked` until it is added here.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.auth.models import AuthSession, OidcIdentity
from msmebazaar.match.models import Mandate
from msmebazaar.msme.models import (
    Deal,
    DealMessage,
    Document,
    DocumentAccess,
    Financials,
    Interest,
    Listing,
    Msme,
    NdaAcceptance,
    Offer,
)
from msmebazaar.notifications.models import Notification
from msmebazaar.shared.db import Database
from msmebazaar.valuation.models import Valuation
from tests.auth.factories import Actor, signed_in
from tests.match.factories import MANDATES, mandate_payload
from tests.msme.factories import (
    MSMES,
    financials_payload,
    make_financials,
    make_interest,
    make_listing,
    make_msme,
)
from tests.proof.access import API, ROUTES, WEB, Access

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
UPLOAD: dict[str, Any] = {
    "files": {"file": ("pan.pdf", PDF, "application/pdf")},
    "data": {"kind": "pan_card"},
}

# Valid requests per id-bearing route: what an attacker would send to change or read it.
OFFER = {
    "amount": 4_00_00_000,
    "terms": "cash",
    "valid_until": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
}
ATTACKS: dict[tuple[str, str], dict[str, Any]] = {
    ("GET", f"{API}/msmes/{{msme_id}}"): {},
    ("PATCH", f"{API}/msmes/{{msme_id}}"): {"json": {"employees": 1}},
    ("DELETE", f"{API}/msmes/{{msme_id}}"): {},
    ("PUT", f"{API}/msmes/{{msme_id}}/financials/{{fiscal_year}}"): {
        "json": financials_payload(revenue=1)
    },
    ("GET", f"{API}/msmes/{{msme_id}}/financials"): {},
    ("POST", f"{API}/msmes/{{msme_id}}/documents"): UPLOAD,
    ("GET", f"{API}/msmes/{{msme_id}}/documents"): {},
    ("GET", f"{API}/documents/{{document_id}}/download"): {},
    ("GET", f"{API}/msmes/{{msme_id}}/valuations"): {},
    ("GET", f"{API}/listings/{{listing_id}}"): {},
    ("PATCH", f"{API}/listings/{{listing_id}}"): {"json": {"headline": "Hijacked listing"}},
    ("POST", f"{API}/listings/{{listing_id}}/submit"): {},
    ("POST", f"{API}/listings/{{listing_id}}/close"): {},
    ("POST", f"{API}/listings/{{listing_id}}/interests"): {
        "json": {"message": "Let me in, I am a buyer."}
    },
    ("POST", f"{API}/interests/{{interest_id}}/accept"): {},
    ("POST", f"{API}/interests/{{interest_id}}/decline"): {},
    ("POST", f"{API}/interests/{{interest_id}}/withdraw"): {},
    ("GET", f"{API}/valuations/{{valuation_id}}"): {},
    ("GET", f"{API}/valuations/{{valuation_id}}/report.pdf"): {},
    ("GET", f"{API}/mandates/{{mandate_id}}"): {},
    ("PATCH", f"{API}/mandates/{{mandate_id}}"): {"json": {"title": "Hijacked mandate"}},
    ("DELETE", f"{API}/mandates/{{mandate_id}}"): {},
    ("GET", f"{API}/matches/mandates/{{mandate_id}}"): {},
    ("GET", f"{API}/matches/listings/{{listing_id}}"): {},
    ("DELETE", f"{API}/auth/sessions/{{session_id}}"): {},
    ("DELETE", f"{API}/auth/identities/{{provider}}"): {},
    ("POST", f"{API}/notifications/{{notification_id}}/read"): {},
    ("GET", f"{API}/deals/{{deal_id}}"): {},
    ("GET", f"{API}/deals/{{deal_id}}/nda"): {},
    ("POST", f"{API}/deals/{{deal_id}}/nda/accept"): {},
    ("POST", f"{API}/deals/{{deal_id}}/messages"): {"json": {"body": "let us talk elsewhere"}},
    ("GET", f"{API}/deals/{{deal_id}}/messages"): {},
    ("POST", f"{API}/deals/{{deal_id}}/close"): {"json": {"outcome": "lost", "reason": "mine"}},
    ("GET", f"{API}/deals/{{deal_id}}/offers"): {},
    ("POST", f"{API}/deals/{{deal_id}}/offers"): {"json": OFFER},
    ("POST", f"{API}/offers/{{offer_id}}/accept"): {},
    ("POST", f"{API}/offers/{{offer_id}}/reject"): {},
    ("POST", f"{API}/offers/{{offer_id}}/withdraw"): {},
    ("GET", f"{API}/deals/{{deal_id}}/documents"): {},
    ("GET", f"{API}/deals/{{deal_id}}/documents/{{document_id}}"): {},
    ("GET", f"{API}/deals/{{deal_id}}/document-access"): {},
}
# Id-bearing paths whose parameter names no one's resource: a sign-in provider (`google`).
NOT_A_RESOURCE = {
    ("GET", f"{API}/auth/oidc/{{provider}}/start"),
    ("GET", f"{API}/auth/oidc/{{provider}}/callback"),
}
# Id-bearing routes that are not attackable this way: admins' (the matrix proves them admin
# only) and providers' (signed webhooks).
# Probes and docs name no one's resource (`/docs/assets/{name}` is a file of the docs pages).
NOT_OWNED = {Access.ADMIN, Access.WEBHOOK, Access.OPS, *WEB}


@dataclass
class Victims:
    ids: dict[str, str]


async def _victims(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> Victims:
    """A private world: the owner's pending profile with figures, a document, a draft listing and
    a valuation; the buyer's mandate and pending interest in a third party's listing."""
    msme = await make_msme(database, owner.id, verification_status="pending")
    await make_financials(database, msme.id)
    listing = await make_listing(database, msme, status="draft")
    uploaded = await client.post(f"{MSMES}/{msme.id}/documents", headers=owner.headers, **UPLOAD)
    assert uploaded.status_code == 201, uploaded.text
    valued = await client.post(
        f"{API}/valuations", json={"msme_id": str(msme.id)}, headers=owner.headers
    )
    assert valued.status_code == 201, valued.text
    mandate = await client.post(MANDATES, json=mandate_payload(), headers=buyer.headers)
    assert mandate.status_code == 201, mandate.text
    third = await signed_in(client, database, "msme_owner")
    elsewhere = await make_listing(database, await make_msme(database, third.id))
    interest = await make_interest(database, elsewhere, buyer.id, status="pending")
    # The owner's deal with the buyer: the owner accepts the buyer's interest in their listing.
    wanted = await make_listing(database, msme)
    proposal = await make_interest(database, wanted, buyer.id, status="pending")
    accepted = await client.post(f"{API}/interests/{proposal.id}/accept", headers=owner.headers)
    assert accepted.status_code == 200, accepted.text
    (deal,) = (await client.get(f"{API}/deals", headers=owner.headers)).json()["data"]
    for actor in (owner, buyer):
        await client.post(f"{API}/deals/{deal['id']}/nda/accept", headers=actor.headers)
    offered = await client.post(
        f"{API}/deals/{deal['id']}/offers", json=OFFER, headers=buyer.headers
    )
    assert offered.status_code == 201, offered.text
    # The buyer's NDA acceptance is one of the owner's notifications.
    notices = await client.get(f"{API}/notifications", headers=owner.headers)
    notice_id = notices.json()["data"][0]["id"]
    sessions = await client.get(f"{API}/auth/sessions", headers=owner.headers)
    (owners_session,) = sessions.json()["data"]
    async with database.session() as session:  # the owner's Google account, linked
        session.add(
            OidcIdentity(
                id=uuid.uuid4(),
                user_id=owner.id,
                provider="google",
                issuer="https://accounts.google.com",
                subject="owner-at-google",
                email="owner@example.in",
            )
        )
    return Victims(
        {
            "msme_id": str(msme.id),
            "fiscal_year": "2024-25",
            "listing_id": str(listing.id),
            "document_id": uploaded.json()["data"]["id"],
            "valuation_id": valued.json()["data"]["id"],
            "mandate_id": mandate.json()["data"]["id"],
            "interest_id": str(interest.id),
            "session_id": owners_session["id"],
            "provider": "google",
            "deal_id": deal["id"],
            "offer_id": offered.json()["data"]["id"],
            "notification_id": notice_id,
        }
    )


async def _snapshot(connection: AsyncConnection, ids: dict[str, str]) -> dict[str, Any]:
    """Everything the attacks could have changed, read straight from the database."""

    async def one(statement: Any) -> Any:
        return tuple((await connection.execute(statement)).one())

    msme_id = uuid.UUID(ids["msme_id"])
    return {
        "msme": await one(
            select(Msme.version, Msme.employees, Msme.deleted_at).where(Msme.id == msme_id)
        ),
        "financials": await one(
            select(func.count(), func.sum(Financials.revenue)).where(Financials.msme_id == msme_id)
        ),
        "documents": await one(select(func.count()).where(Document.msme_id == msme_id)),
        "valuations": await one(select(func.count()).where(Valuation.msme_id == msme_id)),
        "listing": await one(
            select(
                Listing.version, Listing.headline, Listing.status, Listing.interests_count
            ).where(Listing.id == uuid.UUID(ids["listing_id"]))
        ),
        "mandate": await one(
            select(Mandate.version, Mandate.title).where(Mandate.id == uuid.UUID(ids["mandate_id"]))
        ),
        "interest": await one(
            select(Interest.status).where(Interest.id == uuid.UUID(ids["interest_id"]))
        ),
        "session": await one(
            select(AuthSession.revoked_at).where(AuthSession.id == uuid.UUID(ids["session_id"]))
        ),
        "deal": await one(
            select(Deal.stage, Deal.updated_at).where(Deal.id == uuid.UUID(ids["deal_id"]))
        ),
        "deal_messages": await one(select(func.count()).select_from(DealMessage)),
        "nda_acceptances": await one(select(func.count()).select_from(NdaAcceptance)),
        "offers": await one(select(func.count(), func.min(Offer.status)).select_from(Offer)),
        "document_accesses": await one(select(func.count()).select_from(DocumentAccess)),
        "identities": await one(
            select(func.count()).where(OidcIdentity.subject == "owner-at-google")
        ),
        "notification": await one(
            select(Notification.read_at).where(Notification.id == uuid.UUID(ids["notification_id"]))
        ),
    }


def _fill(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{([a-z_]+)\}", lambda match: ids[match.group(1)], path)


def test_every_id_bearing_route_is_attacked() -> None:
    id_bearing = {
        key
        for key, rule in ROUTES.items()
        if "{" in key[1] and rule.access not in NOT_OWNED and key not in NOT_A_RESOURCE
    }
    missing = sorted(id_bearing - set(ATTACKS))
    assert not missing, (
        f"add an attack for each of these routes to tests/proof/test_idor.py: {missing}"
    )


async def test_no_user_reaches_another_users_resources_by_id(
    client: httpx.AsyncClient,
    database: Database,
    db_connection: AsyncConnection,
    owner: Actor,
    buyer: Actor,
    *,
    other_owner: Actor,
    investor: Actor,
) -> None:
    victims = await _victims(client, database, owner, buyer)
    before = await _snapshot(db_connection, victims.ids)

    leaks = []
    for (method, path), request in ATTACKS.items():
        for attacker in (other_owner, investor):
            url = _fill(path, victims.ids)
            response = await client.request(method, url, headers=attacker.headers, **request)
            if response.status_code not in (403, 404):
                leaks.append(f"{method} {path} as {attacker.role}: {response.status_code}")
    assert not leaks, "\n".join(leaks)
    assert await _snapshot(db_connection, victims.ids) == before
