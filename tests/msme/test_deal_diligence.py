"""Deal rooms, part two, through the API (DESIGN.md §3 "Deals"): documents reach the buyer once
both accepted the NDA (or at once when the listing needs none), every view is logged for the
owner and the first moves the deal to `diligence`; an accepted offer shows the listing as
`under_offer` until the deal closes; the other side hears of messages and offers by SMS with a
link; admins list every deal."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.msme.models import Deal
from msmebazaar.shared.db import Database
from msmebazaar.shared.outbox import OutboxMessage
from tests.auth.factories import Actor, rows
from tests.msme.deal_flows import (
    API,
    PDF,
    business_of,
    close_deal,
    listing_of,
    offer_body,
    open_deal,
    signed_deal,
    upload_document,
)


async def _stage(client: httpx.AsyncClient, deal_id: str, actor: Actor) -> str:
    deal = await client.get(f"{API}/deals/{deal_id}", headers=actor.headers)
    return str(deal.json()["data"]["stage"])


async def test_documents_wait_for_both_ndas_and_each_view_is_logged_for_the_owner(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    deal_id = await open_deal(client, database, owner, buyer)
    document_id = await upload_document(client, owner, await business_of(client, deal_id, owner))
    listed_url = f"{API}/deals/{deal_id}/documents"
    file_url = f"{listed_url}/{document_id}"

    early_list = await client.get(listed_url, headers=buyer.headers)
    early_file = await client.get(file_url, headers=buyer.headers)
    early_deal = (await client.get(f"{API}/deals/{deal_id}", headers=buyer.headers)).json()
    owner_view = await client.get(file_url, headers=owner.headers)  # the owner is not logged
    for actor in (owner, buyer):
        await client.post(f"{API}/deals/{deal_id}/nda/accept", headers=actor.headers)
    listed = await client.get(listed_url, headers=buyer.headers)
    first = await client.get(file_url, headers=buyer.headers)
    second = await client.get(file_url, headers=buyer.headers)
    log = await client.get(f"{API}/deals/{deal_id}/document-access", headers=owner.headers)

    for refused in (early_list, early_file):
        assert refused.status_code == 409
        assert refused.json()["error"]["code"] == "NDA_NOT_SIGNED"
    assert early_deal["data"]["nda_required"] is True
    assert early_deal["data"]["documents_open"] is False
    assert owner_view.status_code == 200
    assert [d["id"] for d in listed.json()["data"]] == [document_id]
    assert (first.status_code, first.content) == (200, PDF)
    assert "attachment" in first.headers["content-disposition"]
    assert second.status_code == 200
    entries = log.json()["data"]
    assert [(e["document_id"], e["user_id"]) for e in entries] == [
        (document_id, str(buyer.id)),
        (document_id, str(buyer.id)),
    ]
    assert entries[0]["filename"] == "accounts-2025.pdf"
    assert await _stage(client, deal_id, owner) == "diligence"


async def test_a_download_from_the_profile_is_logged_in_the_deal_too(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    deal_id = await signed_deal(client, database, owner, buyer)
    document_id = await upload_document(client, owner, await business_of(client, deal_id, owner))

    response = await client.get(f"{API}/documents/{document_id}/download", headers=buyer.headers)
    log = await client.get(f"{API}/deals/{deal_id}/document-access", headers=owner.headers)

    assert response.status_code == 200
    assert [e["document_id"] for e in log.json()["data"]] == [document_id]
    assert await _stage(client, deal_id, buyer) == "diligence"


async def test_a_listing_without_the_nda_requirement_opens_its_documents_at_once(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    deal_id = await open_deal(client, database, owner, buyer, nda_required=False)
    document_id = await upload_document(client, owner, await business_of(client, deal_id, owner))

    deal = (await client.get(f"{API}/deals/{deal_id}", headers=buyer.headers)).json()["data"]
    opened = await client.get(
        f"{API}/deals/{deal_id}/documents/{document_id}", headers=buyer.headers
    )

    assert (deal["nda_required"], deal["documents_open"]) == (False, True)
    assert opened.status_code == 200
    assert await _stage(client, deal_id, buyer) == "diligence"


async def test_strangers_see_no_documents_and_no_log(
    client: httpx.AsyncClient,
    database: Database,
    owner: Actor,
    buyer: Actor,
    *,
    other_owner: Actor,
    investor: Actor,
) -> None:
    deal_id = await signed_deal(client, database, owner, buyer)
    document_id = await upload_document(client, owner, await business_of(client, deal_id, owner))
    other_deal = await signed_deal(client, database, other_owner, investor)

    for stranger in (other_owner, investor):
        for path in (
            f"/deals/{deal_id}/documents",
            f"/deals/{deal_id}/documents/{document_id}",
            f"/deals/{deal_id}/document-access",
        ):
            response = await client.get(f"{API}{path}", headers=stranger.headers)
            assert response.status_code == 404, (path, response.text)
    # A document of another business is not reachable through one's own deal either.
    crossed = await client.get(
        f"{API}/deals/{other_deal}/documents/{document_id}", headers=investor.headers
    )
    assert crossed.status_code == 404
    assert crossed.json()["error"]["code"] == "DOCUMENT_NOT_FOUND"


async def test_an_accepted_offer_shows_the_listing_under_offer_until_the_deal_is_lost(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor, investor: Actor
) -> None:
    deal_id = await signed_deal(client, database, owner, buyer)
    listing_id = (await client.get(f"{API}/deals/{deal_id}", headers=buyer.headers)).json()["data"][
        "listing_id"
    ]
    offer = await client.post(
        f"{API}/deals/{deal_id}/offers", json=offer_body(), headers=buyer.headers
    )
    await client.post(f"{API}/offers/{offer.json()['data']['id']}/accept", headers=owner.headers)

    card = (await client.get(f"{API}/listings/{listing_id}")).json()["data"]
    found = (await client.get(f"{API}/listings", params={"q": card["headline"]})).json()["data"]
    mine = await client.get(f"{API}/listings/{listing_id}", headers=owner.headers)
    await close_deal(client, deal_id, buyer, "lost", "Financing fell through.")
    after = (await client.get(f"{API}/listings/{listing_id}")).json()["data"]

    assert card["status"] == "under_offer"
    assert [(item["id"], item["status"]) for item in found] == [(listing_id, "under_offer")]
    assert mine.json()["data"]["listing"]["status"] == "under_offer"
    assert after["status"] == "active"


async def test_one_accepted_offer_per_listing_and_a_won_deal_closes_the_listing(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor, investor: Actor
) -> None:
    first = await signed_deal(client, database, owner, buyer)
    listing_id = (await client.get(f"{API}/deals/{first}", headers=owner.headers)).json()["data"][
        "listing_id"
    ]
    second = await _second_deal(client, database, owner, investor, listing_id)
    offers = []
    for deal_id, actor in ((first, buyer), (second, investor)):
        made = await client.post(
            f"{API}/deals/{deal_id}/offers", json=offer_body(), headers=actor.headers
        )
        offers.append(made.json()["data"]["id"])

    accepted = await client.post(f"{API}/offers/{offers[0]}/accept", headers=owner.headers)
    refused = await client.post(f"{API}/offers/{offers[1]}/accept", headers=owner.headers)
    won = await close_deal(client, first, owner, "won", "Sold: share purchase signed.")
    mine = await client.get(f"{API}/listings/{listing_id}", headers=owner.headers)
    public = await client.get(f"{API}/listings/{listing_id}")

    assert accepted.status_code == 200
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "LISTING_UNDER_OFFER"
    assert won.status_code == 200
    assert mine.json()["data"]["listing"]["status"] == "closed"
    assert public.status_code == 404


async def _second_deal(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor, listing_id: str
) -> str:
    """A second buyer's deal on the same listing, NDA signed."""
    sent = await client.post(
        f"{API}/listings/{listing_id}/interests",
        json={"message": "We would like to know more about this business."},
        headers=buyer.headers,
    )
    assert sent.status_code == 201, sent.text
    accepted = await client.post(
        f"{API}/interests/{sent.json()['data']['id']}/accept", headers=owner.headers
    )
    assert accepted.status_code == 200, accepted.text
    deals = (await client.get(f"{API}/deals", headers=buyer.headers)).json()["data"]
    (deal_id,) = [d["id"] for d in deals if d["listing_id"] == listing_id]
    for actor in (owner, buyer):
        await client.post(f"{API}/deals/{deal_id}/nda/accept", headers=actor.headers)
    return str(deal_id)


DEAL_KINDS = ("deal_message", "nda_accepted", "offer_received", "offer_decided")


async def _notices(connection: AsyncConnection, phone: str) -> list[tuple[str, str]]:
    statement = (
        select(OutboxMessage.template, OutboxMessage.body)
        .where(
            OutboxMessage.recipient == phone,
            OutboxMessage.channel == "sms",
            OutboxMessage.template.in_(DEAL_KINDS),
        )
        .order_by(OutboxMessage.created_at)
    )
    return [(row[0], row[1]) for row in await rows(connection, statement)]


async def test_messages_and_offers_reach_the_other_side_by_sms_with_a_link(
    client: httpx.AsyncClient,
    database: Database,
    db_connection: AsyncConnection,
    owner: Actor,
    buyer: Actor,
) -> None:
    deal_id = await signed_deal(client, database, owner, buyer)
    messages = f"{API}/deals/{deal_id}/messages"

    await client.post(messages, json={"body": "Can we see the GST returns?"}, headers=buyer.headers)
    await client.post(messages, json={"body": "And the bank statements."}, headers=buyer.headers)
    await client.post(messages, json={"body": "Uploading today."}, headers=owner.headers)
    offer = await client.post(
        f"{API}/deals/{deal_id}/offers", json=offer_body(), headers=buyer.headers
    )
    await client.post(f"{API}/offers/{offer.json()['data']['id']}/reject", headers=owner.headers)

    to_owner = await _notices(db_connection, owner.phone)
    to_buyer = await _notices(db_connection, buyer.phone)
    # Two messages in a row are one notice; the body of a message never leaves the platform.
    # The NDA's acceptance is in the inbox only (no SMS unless chosen).
    assert [template for template, _ in to_owner] == ["deal_message", "offer_received"]
    assert [template for template, _ in to_buyer] == ["deal_message", "offer_decided"]
    for _, body in to_owner + to_buyer:
        assert f"/deals/{deal_id}" in body
        assert "GST returns" not in body
        assert "Uploading" not in body


async def test_admins_list_every_deal_by_stage_and_others_may_not(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor, admin: Actor
) -> None:
    ended = await open_deal(client, database, owner, buyer)
    await close_deal(client, ended, buyer, "lost", "Not for us.")  # at its stage the longest
    introduced = await open_deal(client, database, owner, buyer)
    signed = await signed_deal(client, database, owner, buyer)

    everything = await client.get(f"{API}/admin/deals", headers=admin.headers)
    at_nda = await client.get(
        f"{API}/admin/deals", params={"stage": "nda_signed"}, headers=admin.headers
    )
    bad_stage = await client.get(
        f"{API}/admin/deals", params={"stage": "done"}, headers=admin.headers
    )
    as_owner = await client.get(f"{API}/admin/deals", headers=owner.headers)

    # Open deals first, each group the longest at its stage first.
    assert [d["id"] for d in everything.json()["data"]] == [introduced, signed, ended]
    assert [d["id"] for d in at_nda.json()["data"]] == [signed]
    assert bad_stage.status_code == 422
    assert as_owner.status_code == 403


async def test_deal_rows_keep_when_the_nda_was_signed(
    client: httpx.AsyncClient,
    database: Database,
    db_connection: AsyncConnection,
    owner: Actor,
    buyer: Actor,
) -> None:
    deal_id = await signed_deal(client, database, owner, buyer)

    (signed_at,) = (
        await rows(db_connection, select(Deal.nda_signed_at).where(Deal.id == uuid.UUID(deal_id)))
    )[0]

    assert signed_at is not None


async def test_a_deleted_profile_or_a_lost_deal_closes_the_documents(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor, investor: Actor
) -> None:
    deal_id = await signed_deal(client, database, owner, buyer)
    msme_id = await business_of(client, deal_id, owner)
    document_id = await upload_document(client, owner, msme_id)
    lost = await _second_deal(
        client, database, owner, investor, await listing_of(client, deal_id, owner)
    )
    await close_deal(client, lost, investor, "lost", "Not for us.")

    after_loss = await client.get(
        f"{API}/deals/{lost}/documents/{document_id}", headers=investor.headers
    )
    deleted = await client.delete(f"{API}/msmes/{msme_id}", headers=owner.headers)
    after_deletion = [
        await client.get(f"{API}/deals/{deal_id}{path}", headers=buyer.headers)
        for path in ("/documents", f"/documents/{document_id}")
    ]

    assert after_loss.status_code == 409
    assert after_loss.json()["error"]["code"] == "DEAL_CLOSED"
    assert deleted.status_code == 200, deleted.text
    assert [r.status_code for r in after_deletion] == [404, 404]


async def test_a_sold_business_is_not_sold_again(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor, investor: Actor
) -> None:
    first = await signed_deal(client, database, owner, buyer)
    second = await _second_deal(
        client, database, owner, investor, await listing_of(client, first, owner)
    )
    late_offer = await client.post(
        f"{API}/deals/{second}/offers", json=offer_body(), headers=investor.headers
    )
    await close_deal(client, first, owner, "won", "Sold.")

    accepted = await client.post(
        f"{API}/offers/{late_offer.json()['data']['id']}/accept", headers=owner.headers
    )
    won_again = await close_deal(client, second, owner, "won", "Sold too.")
    lost = await close_deal(client, second, owner, "lost", "Sold to another.")

    for refused in (accepted, won_again):
        assert refused.status_code == 409
        assert refused.json()["error"]["code"] == "LISTING_SOLD"
    assert lost.status_code == 200


async def test_withdrawing_the_interest_of_a_deal_under_offer_puts_the_listing_back(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    deal_id = await signed_deal(client, database, owner, buyer)
    deal = (await client.get(f"{API}/deals/{deal_id}", headers=buyer.headers)).json()["data"]
    offer = await client.post(
        f"{API}/deals/{deal_id}/offers", json=offer_body(), headers=buyer.headers
    )
    await client.post(f"{API}/offers/{offer.json()['data']['id']}/accept", headers=owner.headers)
    before = (await client.get(f"{API}/listings/{deal['listing_id']}")).json()["data"]["status"]

    withdrawn = await client.post(
        f"{API}/interests/{deal['interest_id']}/withdraw", headers=buyer.headers
    )
    after = (await client.get(f"{API}/listings/{deal['listing_id']}")).json()["data"]["status"]
    mine = await client.get(f"{API}/listings/{deal['listing_id']}", headers=owner.headers)

    assert (before, withdrawn.status_code, after) == ("under_offer", 200, "active")
    assert mine.json()["data"]["listing"]["version"] == 1  # under offer is not an owner's edit


async def test_the_same_message_sent_twice_at_once_is_stored_once(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    deal_id = await signed_deal(client, database, owner, buyer)
    url = f"{API}/deals/{deal_id}/messages"

    first = await client.post(url, json={"body": "Shall we meet?"}, headers=buyer.headers)
    again = await client.post(url, json={"body": "Shall we meet? "}, headers=buyer.headers)
    reply = await client.post(url, json={"body": "Yes."}, headers=owner.headers)
    asked_again = await client.post(url, json={"body": "Shall we meet?"}, headers=buyer.headers)
    listed = (await client.get(url, headers=owner.headers)).json()["data"]

    assert again.json()["data"]["id"] == first.json()["data"]["id"]
    assert reply.status_code == asked_again.status_code == 201
    assert [m["body"] for m in listed] == ["Shall we meet?", "Yes.", "Shall we meet?"]
