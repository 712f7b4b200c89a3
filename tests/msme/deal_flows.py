"""Deal rooms opened and moved the real way, through the API, for tests of deals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from msmebazaar.shared.db import Database
from tests.auth.factories import Actor
from tests.msme.factories import make_interest, make_listing, make_msme

API = "/api/v1"


async def open_deal(
    client: httpx.AsyncClient,
    database: Database,
    owner: Actor,
    buyer: Actor,
    **listing_fields: Any,
) -> str:
    """A deal opened the real way: the owner accepts the buyer's pending interest."""
    listing = await make_listing(database, await make_msme(database, owner.id), **listing_fields)
    interest = await make_interest(database, listing, buyer.id, status="pending")
    accepted = await client.post(f"{API}/interests/{interest.id}/accept", headers=owner.headers)
    assert accepted.status_code == 200, accepted.text
    deals = await client.get(f"{API}/deals", headers=buyer.headers)
    (deal,) = [d for d in deals.json()["data"] if d["interest_id"] == str(interest.id)]
    return str(deal["id"])


async def signed_deal(
    client: httpx.AsyncClient,
    database: Database,
    owner: Actor,
    buyer: Actor,
    **listing_fields: Any,
) -> str:
    """A deal whose NDA both sides accepted (offers come after it)."""
    deal_id = await open_deal(client, database, owner, buyer, **listing_fields)
    for actor in (owner, buyer):
        signed = await client.post(f"{API}/deals/{deal_id}/nda/accept", headers=actor.headers)
        assert signed.status_code == 200, signed.text
    return deal_id


def offer_body(amount: int = 5_50_00_000, *, days: int = 14, **fields: Any) -> dict[str, Any]:
    valid_until = (datetime.now(UTC) + timedelta(days=days)).isoformat()
    return {
        "amount": amount,
        "terms": "All cash, 60 days to close.",
        "valid_until": valid_until,
    } | (fields)


PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


async def close_deal(
    client: httpx.AsyncClient, deal_id: str, actor: Actor, outcome: str, reason: str
) -> httpx.Response:
    """`actor` closes the deal as `won` or `lost`, saying why."""
    return await client.post(
        f"{API}/deals/{deal_id}/close",
        json={"outcome": outcome, "reason": reason},
        headers=actor.headers,
    )


async def listing_of(client: httpx.AsyncClient, deal_id: str, actor: Actor) -> str:
    """The id of the deal's listing."""
    deal = await client.get(f"{API}/deals/{deal_id}", headers=actor.headers)
    return str(deal.json()["data"]["listing_id"])


async def business_of(client: httpx.AsyncClient, deal_id: str, owner: Actor) -> str:
    """The id of the deal's business profile (read by its owner)."""
    listing_id = await listing_of(client, deal_id, owner)
    listing = await client.get(f"{API}/listings/{listing_id}", headers=owner.headers)
    return str(listing.json()["data"]["listing"]["msme_id"])


async def upload_document(
    client: httpx.AsyncClient, owner: Actor, msme_id: str, filename: str = "accounts-2025.pdf"
) -> str:
    """The owner puts a PDF financial statement on the profile; its document id."""
    response = await client.post(
        f"{API}/msmes/{msme_id}/documents",
        data={"kind": "financial_statement"},
        files={"file": (filename, PDF, "application/pdf")},
        headers=owner.headers,
    )
    assert response.status_code == 201, response.text
    return str(response.json()["data"]["id"])
