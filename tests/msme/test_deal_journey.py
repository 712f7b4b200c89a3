"""The deal journey through the API alone, as another client would walk it (the portal's
Chromium test walks the same one): an interest accepted, both NDAs, messages, a document the
buyer opens and the owner sees opened, an offer, the owner's counter, the buyer's acceptance,
the owner's close as won, and the admin's funnel counting the deal at every step."""

from __future__ import annotations

import httpx

from msmebazaar.shared.db import Database
from tests.auth.factories import Actor
from tests.msme.deal_flows import (
    API,
    business_of,
    close_deal,
    offer_body,
    open_deal,
    upload_document,
)


async def test_from_an_accepted_interest_to_a_won_deal_through_the_api(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor, admin: Actor
) -> None:
    deal_id = await open_deal(client, database, owner, buyer)
    deal_url = f"{API}/deals/{deal_id}"
    document_id = await upload_document(client, owner, await business_of(client, deal_id, owner))

    for actor in (owner, buyer):
        assert (
            await client.post(f"{deal_url}/nda/accept", headers=actor.headers)
        ).status_code == 200
    for actor, body in ((buyer, "May we see the accounts?"), (owner, "They are uploaded.")):
        sent = await client.post(f"{deal_url}/messages", json={"body": body}, headers=actor.headers)
        assert sent.status_code == 201
    opened = await client.get(f"{deal_url}/documents/{document_id}", headers=buyer.headers)
    seen = (await client.get(f"{deal_url}/document-access", headers=owner.headers)).json()["data"]
    offer = await client.post(
        f"{deal_url}/offers", json=offer_body(4_20_00_000), headers=buyer.headers
    )
    counter = await client.post(
        f"{deal_url}/offers", json=offer_body(4_60_00_000), headers=owner.headers
    )
    accepted = await client.post(
        f"{API}/offers/{counter.json()['data']['id']}/accept", headers=buyer.headers
    )
    closed = await close_deal(client, deal_id, owner, "won", "Share purchase agreement signed.")
    overview = await client.get(
        f"{API}/admin/analytics/overview", params={"fresh": "true"}, headers=admin.headers
    )

    assert opened.status_code == 200
    assert [entry["document_id"] for entry in seen] == [document_id]
    assert (offer.status_code, counter.status_code, accepted.status_code) == (201, 201, 200)
    assert closed.json()["data"]["stage"] == "closed_won"
    funnel = overview.json()["data"]["deals"]
    assert (funnel["opened"], funnel["nda_signed"], funnel["offer_accepted"], funnel["won"]) == (
        1,
        1,
        1,
        1,
    )
