"""Deal rooms through the API (DESIGN.md §3 "Deals"): accepting an interest opens one; both
sides accept the NDA (recorded once, with the text's version and hash); messages, masked
before the NDA; closing; and nobody else sees any of it."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.msme.deals import mask_contacts
from msmebazaar.msme.models import Deal, NdaAcceptance, Offer
from msmebazaar.shared.db import Database
from msmebazaar.shared.metrics import REGISTRY
from tests.auth.factories import Actor, rows
from tests.msme.deal_flows import API, offer_body, open_deal, signed_deal
from tests.msme.factories import make_interest, make_listing, make_msme


def _deals_entering(stage: str) -> float:
    return REGISTRY.get_sample_value("deals_total", {"stage": stage}) or 0.0


async def test_accepting_an_interest_opens_a_deal_both_sides_see(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    before = _deals_entering("introduced")

    deal_id = await open_deal(client, database, owner, buyer)
    as_owner = await client.get(f"{API}/deals/{deal_id}", headers=owner.headers)

    assert as_owner.status_code == 200
    deal = as_owner.json()["data"]
    assert deal["stage"] == "introduced"
    assert (deal["owner_id"], deal["buyer_id"]) == (str(owner.id), str(buyer.id))
    assert deal["nda"] == {"owner_accepted_at": None, "buyer_accepted_at": None, "signed": False}
    assert deal["headline"]
    assert _deals_entering("introduced") == before + 1


async def test_a_declined_interest_opens_no_deal(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    listing = await make_listing(database, await make_msme(database, owner.id))
    interest = await make_interest(database, listing, buyer.id, status="pending")

    await client.post(f"{API}/interests/{interest.id}/decline", headers=owner.headers)

    assert (await client.get(f"{API}/deals", headers=buyer.headers)).json()["data"] == []


async def test_nobody_else_sees_or_touches_a_deal(
    client: httpx.AsyncClient,
    database: Database,
    owner: Actor,
    buyer: Actor,
    *,
    other_owner: Actor,
    investor: Actor,
    admin: Actor,
) -> None:
    deal_id = await open_deal(client, database, owner, buyer)

    for stranger in (other_owner, investor):
        for method, path, body in [
            ("GET", f"/deals/{deal_id}", None),
            ("GET", f"/deals/{deal_id}/nda", None),
            ("POST", f"/deals/{deal_id}/nda/accept", None),
            ("GET", f"/deals/{deal_id}/messages", None),
            ("POST", f"/deals/{deal_id}/messages", {"body": "hello"}),
            ("POST", f"/deals/{deal_id}/close", {"outcome": "lost", "reason": "not mine"}),
        ]:
            response = await client.request(
                method, f"{API}{path}", json=body, headers=stranger.headers
            )
            assert response.status_code == 404, (method, path, response.text)
            assert response.json()["error"]["code"] == "DEAL_NOT_FOUND"
        assert (await client.get(f"{API}/deals", headers=stranger.headers)).json()["data"] == []
    admin_read = await client.get(f"{API}/deals/{deal_id}", headers=admin.headers)
    admin_writes = await client.post(
        f"{API}/deals/{deal_id}/messages", json={"body": "hi"}, headers=admin.headers
    )
    admin_closes = await client.post(
        f"{API}/deals/{deal_id}/close",
        json={"outcome": "lost", "reason": "admin"},
        headers=admin.headers,
    )
    assert admin_read.status_code == 200
    for refused in (admin_writes, admin_closes):
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "DEAL_FORBIDDEN"


async def test_the_nda_is_versioned_text_in_each_language_with_its_hash(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    deal_id = await open_deal(client, database, owner, buyer)

    await client.patch(f"{API}/auth/me", json={"language": "hi"}, headers=buyer.headers)
    english = await client.get(f"{API}/deals/{deal_id}/nda", headers=owner.headers)
    hindi = await client.get(f"{API}/deals/{deal_id}/nda", headers=buyer.headers)

    for response, language in ((english, "en"), (hindi, "hi")):
        nda = response.json()["data"]
        assert nda["language"] == language
        assert nda["version"] == "2026-12-v1"
        assert nda["sha256"] == hashlib.sha256(nda["text"].encode()).hexdigest()
    assert "NON-DISCLOSURE" in english.json()["data"]["text"]
    assert "गोपनीयता" in hindi.json()["data"]["text"]


async def test_both_ndas_sign_the_deal_and_each_is_recorded_once(
    client: httpx.AsyncClient,
    database: Database,
    db_connection: AsyncConnection,
    owner: Actor,
    buyer: Actor,
) -> None:
    deal_id = await open_deal(client, database, owner, buyer)
    url = f"{API}/deals/{deal_id}/nda/accept"

    first = await client.post(url, headers={**owner.headers, "User-Agent": "Laptop"})
    again = await client.post(url, headers=owner.headers)
    half = (await client.get(f"{API}/deals/{deal_id}", headers=buyer.headers)).json()["data"]
    await client.patch(f"{API}/auth/me", json={"language": "hi"}, headers=buyer.headers)
    buyers = await client.post(url, headers=buyer.headers)
    deal = (await client.get(f"{API}/deals/{deal_id}", headers=buyer.headers)).json()["data"]

    assert first.status_code == again.status_code == buyers.status_code == 200
    assert again.json()["data"] == first.json()["data"]  # accepting twice changes nothing
    assert half["stage"] == "introduced"
    assert deal["stage"] == "nda_signed"
    assert deal["nda"]["signed"] is True
    stored = await rows(
        db_connection,
        select(
            NdaAcceptance.user_id,
            NdaAcceptance.version,
            NdaAcceptance.language,
            NdaAcceptance.text_sha256,
            NdaAcceptance.ip_address,
            NdaAcceptance.user_agent,
        ).where(NdaAcceptance.deal_id == uuid.UUID(deal_id)),
    )
    assert len(stored) == 2
    by_user = {row.user_id: row for row in stored}
    assert by_user[owner.id].user_agent == "Laptop"
    assert by_user[owner.id].ip_address == "203.0.113.0/24"  # the network, not the address
    assert by_user[buyer.id].language == "hi"
    assert by_user[owner.id].text_sha256 != by_user[buyer.id].text_sha256  # each its own text


async def test_messages_are_in_order_paged_by_after_and_masked_before_the_nda(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    deal_id = await open_deal(client, database, owner, buyer)
    url = f"{API}/deals/{deal_id}/messages"
    said = [
        (buyer, "Call me on +91 98765 43210 or mail ravi@example.in"),
        (owner, "See www.example.com/about for the plant"),
        (buyer, "Fine, thank you"),
    ]
    for actor, body in said:
        sent = await client.post(url, json={"body": body}, headers=actor.headers)
        assert sent.status_code == 201, sent.text

    seen = (await client.get(url, headers=owner.headers)).json()["data"]
    newer = (await client.get(url, params={"after": 2}, headers=owner.headers)).json()["data"]
    for actor in (owner, buyer):
        await client.post(f"{API}/deals/{deal_id}/nda/accept", headers=actor.headers)
    after_nda = (await client.get(url, headers=owner.headers)).json()["data"]

    assert [m["position"] for m in seen] == [1, 2, 3]
    assert [m["mine"] for m in seen] == [False, True, False]
    assert "98765" not in seen[0]["body"]
    assert "ravi@example.in" not in seen[0]["body"]
    assert "example.com" not in seen[1]["body"]
    assert [m["masked"] for m in seen] == [True, True, False]
    assert seen[2]["body"] == "Fine, thank you"
    assert [m["position"] for m in newer] == [3]
    assert after_nda[0]["body"] == said[0][1]


@pytest.mark.parametrize(
    "body", [{"body": ""}, {"body": "   "}, {"body": "x" * 4001}, {}, {"body": 5}, {"text": "hi"}]
)
async def test_empty_huge_or_malformed_messages_are_422(
    client: httpx.AsyncClient,
    database: Database,
    owner: Actor,
    buyer: Actor,
    body: dict[str, Any],
) -> None:
    deal_id = await open_deal(client, database, owner, buyer)

    response = await client.post(
        f"{API}/deals/{deal_id}/messages", json=body, headers=buyer.headers
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    listed = await client.get(f"{API}/deals/{deal_id}/messages", headers=buyer.headers)
    assert listed.json()["data"] == []


async def test_a_closed_deal_takes_nothing_more(
    client: httpx.AsyncClient,
    database: Database,
    db_connection: AsyncConnection,
    owner: Actor,
    buyer: Actor,
) -> None:
    deal_id = await open_deal(client, database, owner, buyer)

    closed = await client.post(
        f"{API}/deals/{deal_id}/close",
        json={"outcome": "won", "reason": "Signed the share purchase agreement."},
        headers=owner.headers,
    )
    again = await client.post(
        f"{API}/deals/{deal_id}/close",
        json={"outcome": "lost", "reason": "changed mind"},
        headers=buyer.headers,
    )
    message = await client.post(
        f"{API}/deals/{deal_id}/messages", json={"body": "one more"}, headers=buyer.headers
    )
    nda = await client.post(f"{API}/deals/{deal_id}/nda/accept", headers=buyer.headers)

    assert closed.status_code == 200
    assert closed.json()["data"]["stage"] == "closed_won"
    assert closed.json()["data"]["closed_reason"] == "Signed the share purchase agreement."
    for refused in (again, message, nda):
        assert refused.status_code == 409
        assert refused.json()["error"]["code"] == "DEAL_CLOSED"
    (stored,) = await rows(db_connection, select(Deal.stage, Deal.closed_by))
    assert (stored.stage, stored.closed_by) == ("closed_won", owner.id)


@pytest.mark.parametrize(
    "body",
    [{"outcome": "maybe", "reason": "x" * 5}, {"outcome": "won"}, {"outcome": "won", "reason": ""}],
)
async def test_a_bad_close_is_422(
    client: httpx.AsyncClient,
    database: Database,
    owner: Actor,
    buyer: Actor,
    body: dict[str, Any],
) -> None:
    deal_id = await open_deal(client, database, owner, buyer)

    response = await client.post(f"{API}/deals/{deal_id}/close", json=body, headers=owner.headers)

    assert response.status_code == 422


async def test_a_malformed_deal_id_is_422(client: httpx.AsyncClient, buyer: Actor) -> None:
    response = await client.get(f"{API}/deals/not-a-uuid", headers=buyer.headers)

    assert response.status_code == 422


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("ring 9876543210 today", "9876543210"),
        ("ring (022) 2345-6789", "2345-6789"),
        ("mail a.b+c@firm.co.in", "firm.co.in"),
        ("see https://x.example/deck.pdf", "x.example"),
        ("visit acme-foods.in/plant", "acme-foods.in"),
        ("whatsapp +91-98765-43210", "43210"),
        ("try 98765/43210", "43210"),
        ("short link bit.ly/x9", "bit.ly"),
        ("insta @acme_foods_official", "acme_foods_official"),
        ("0 98765 43210 after 6", "43210"),
    ],
)
def test_contact_details_are_masked(text: str, hidden: str) -> None:
    masked, changed = mask_contacts(text)

    assert changed
    assert hidden not in masked


@pytest.mark.parametrize(
    "text",
    [
        "Revenue was 4.5 crore in 2024-25",
        "We employ 42 people",
        "EBITDA 12%",
        "Asking 150000000 for all of it",
        "FY 2022-23 2023-24 audited",
        "Meet 12.05.2024 10:30",
        "e.g.in the plant",
        "UDYAM-MH-19-0012345",
        "account 123456789012",
        "₹9876543210 of turnover",
    ],
)
def test_figures_are_not_mistaken_for_contacts(text: str) -> None:
    assert mask_contacts(text) == (text, False)


# --- offers -------------------------------------------------------------------------------------


async def test_offer_counter_and_acceptance_move_the_deal_tooffer_body(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    deal_id = await signed_deal(client, database, owner, buyer)
    url = f"{API}/deals/{deal_id}/offers"
    accepted_before = REGISTRY.get_sample_value("offers_total", {"status": "accepted"}) or 0.0

    owner_first = await client.post(url, json=offer_body(), headers=owner.headers)
    first = await client.post(url, json=offer_body(5_00_00_000), headers=buyer.headers)
    second = await client.post(url, json=offer_body(5_20_00_000), headers=buyer.headers)
    counter = await client.post(url, json=offer_body(5_80_00_000), headers=owner.headers)
    own = await client.post(
        f"{API}/offers/{counter.json()['data']['id']}/accept", headers=owner.headers
    )
    taken = await client.post(
        f"{API}/offers/{counter.json()['data']['id']}/accept", headers=buyer.headers
    )
    listed = (await client.get(url, headers=owner.headers)).json()["data"]
    deal = (await client.get(f"{API}/deals/{deal_id}", headers=buyer.headers)).json()["data"]

    assert owner_first.status_code == 403
    assert owner_first.json()["error"]["code"] == "OFFER_FORBIDDEN"
    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "OFFER_PENDING"
    assert counter.status_code == 201
    assert counter.json()["data"]["counters_id"] == first.json()["data"]["id"]
    assert own.status_code == 403
    assert taken.status_code == 200
    assert [(o["side"], o["amount"], o["status"]) for o in listed] == [
        ("buyer", 5_00_00_000, "countered"),
        ("owner", 5_80_00_000, "accepted"),
    ]
    assert deal["stage"] == "offer"
    assert (REGISTRY.get_sample_value("offers_total", {"status": "accepted"}) or 0.0) == (
        accepted_before + 1
    )


async def test_an_offer_may_be_withdrawn_by_its_author_or_rejected_once(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    deal_id = await signed_deal(client, database, owner, buyer)
    url = f"{API}/deals/{deal_id}/offers"
    first = (await client.post(url, json=offer_body(), headers=buyer.headers)).json()["data"]

    not_theirs = await client.post(f"{API}/offers/{first['id']}/withdraw", headers=owner.headers)
    withdrawn = await client.post(f"{API}/offers/{first['id']}/withdraw", headers=buyer.headers)
    late = await client.post(f"{API}/offers/{first['id']}/reject", headers=owner.headers)
    second = (await client.post(url, json=offer_body(), headers=buyer.headers)).json()["data"]
    rejected = await client.post(f"{API}/offers/{second['id']}/reject", headers=owner.headers)

    assert not_theirs.status_code == 403
    assert withdrawn.json()["data"]["status"] == "withdrawn"
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "OFFER_STATUS_CONFLICT"
    assert rejected.json()["data"]["status"] == "rejected"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"amount": 0}, "amount"),
        ({"amount": -5}, "amount"),
        ({"amount": "lots"}, "amount"),
        ({"amount": 10**16}, "amount"),
        ({"terms": ""}, "terms"),
        ({"valid_until": "tomorrow"}, "valid_until"),
        ({"valid_until": "2020-01-01T00:00:00Z"}, "valid_until"),
        ({"valid_until": "2030-01-01T00:00:00"}, "valid_until"),  # no zone
        ({"stake_percent": 40}, "stake_percent"),  # a full sale has no stake
        ({"extra": 1}, "extra"),
    ],
)
async def test_bad_offers_are_422_and_store_nothing(
    client: httpx.AsyncClient,
    database: Database,
    *,
    owner: Actor,
    buyer: Actor,
    fields: dict[str, Any],
    field: str,
) -> None:
    deal_id = await signed_deal(client, database, owner, buyer)

    response = await client.post(
        f"{API}/deals/{deal_id}/offers", json=offer_body() | fields, headers=buyer.headers
    )

    assert response.status_code == 422, response.text
    assert field in {item["field"] for item in response.json()["error"]["details"]}
    assert (await client.get(f"{API}/deals/{deal_id}/offers", headers=buyer.headers)).json()[
        "data"
    ] == []


async def test_a_stake_sale_offer_names_its_stake(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    listing = await make_listing(
        database, await make_msme(database, owner.id), deal_type="stake_sale", stake_percent=40
    )
    interest = await make_interest(database, listing, buyer.id, status="pending")
    await client.post(f"{API}/interests/{interest.id}/accept", headers=owner.headers)
    (deal,) = (await client.get(f"{API}/deals", headers=buyer.headers)).json()["data"]
    for actor in (owner, buyer):
        await client.post(f"{API}/deals/{deal['id']}/nda/accept", headers=actor.headers)
    url = f"{API}/deals/{deal['id']}/offers"

    without = await client.post(url, json=offer_body(), headers=buyer.headers)
    with_stake = await client.post(
        url, json=offer_body(stake_percent=33.333), headers=buyer.headers
    )

    assert without.status_code == 422
    assert with_stake.status_code == 201
    assert with_stake.json()["data"]["stake_percent"] == 33.33


async def test_offers_on_a_closed_deal_or_of_strangers_are_refused(
    client: httpx.AsyncClient,
    database: Database,
    owner: Actor,
    buyer: Actor,
    investor: Actor,
) -> None:
    deal_id = await signed_deal(client, database, owner, buyer)
    url = f"{API}/deals/{deal_id}/offers"
    offer = (await client.post(url, json=offer_body(), headers=buyer.headers)).json()["data"]

    stranger = await client.post(f"{API}/offers/{offer['id']}/accept", headers=investor.headers)
    unknown = await client.post(f"{API}/offers/{uuid.uuid4()}/accept", headers=owner.headers)
    await client.post(
        f"{API}/deals/{deal_id}/close",
        json={"outcome": "lost", "reason": "price"},
        headers=buyer.headers,
    )
    after_close = await client.post(url, json=offer_body(), headers=buyer.headers)

    assert stranger.status_code == 404
    assert stranger.json()["error"]["code"] == "OFFER_NOT_FOUND"
    assert unknown.status_code == 404
    assert after_close.status_code == 409
    assert after_close.json()["error"]["code"] == "DEAL_CLOSED"


async def test_a_lapsed_offer_cannot_be_accepted(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    deal_id = await signed_deal(client, database, owner, buyer)
    offer = (
        await client.post(f"{API}/deals/{deal_id}/offers", json=offer_body(), headers=buyer.headers)
    ).json()["data"]
    async with database.session() as session:
        await session.execute(
            update(Offer)
            .where(Offer.id == uuid.UUID(offer["id"]))
            .values(valid_until=datetime.now(UTC) - timedelta(minutes=1))
        )

    listed = (await client.get(f"{API}/deals/{deal_id}/offers", headers=owner.headers)).json()
    response = await client.post(f"{API}/offers/{offer['id']}/accept", headers=owner.headers)
    counter = await client.post(
        f"{API}/deals/{deal_id}/offers", json=offer_body(), headers=owner.headers
    )
    fresh = await client.post(
        f"{API}/deals/{deal_id}/offers", json=offer_body(), headers=buyer.headers
    )

    assert listed["data"][0]["status"] == "expired"
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "OFFER_EXPIRED"
    assert counter.status_code == 403  # nothing pending to counter: it lapsed
    assert fresh.status_code == 201  # the buyer is not stuck behind it


async def test_offers_wait_for_the_nda_and_end_with_an_acceptance(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    deal_id = await open_deal(client, database, owner, buyer)
    url = f"{API}/deals/{deal_id}/offers"

    early = await client.post(url, json=offer_body(), headers=buyer.headers)
    for actor in (owner, buyer):
        await client.post(f"{API}/deals/{deal_id}/nda/accept", headers=actor.headers)
    offer = (await client.post(url, json=offer_body(), headers=buyer.headers)).json()["data"]
    await client.post(f"{API}/offers/{offer['id']}/accept", headers=owner.headers)
    late = await client.post(url, json=offer_body(6_00_00_000), headers=buyer.headers)

    assert early.status_code == 409
    assert early.json()["error"]["code"] == "NDA_NOT_SIGNED"
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "OFFER_STATUS_CONFLICT"


async def test_closing_lapses_the_pendingoffer_body(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    deal_id = await signed_deal(client, database, owner, buyer)
    await client.post(f"{API}/deals/{deal_id}/offers", json=offer_body(), headers=buyer.headers)

    closed = await client.post(
        f"{API}/deals/{deal_id}/close",
        json={"outcome": "lost", "reason": "no deal"},
        headers=owner.headers,
    )
    listed = (await client.get(f"{API}/deals/{deal_id}/offers", headers=buyer.headers)).json()
    assert closed.status_code == 200, closed.text

    assert [o["status"] for o in listed["data"]] == ["expired"]


async def test_withdrawing_an_accepted_interest_closes_its_deal(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    deal_id = await open_deal(client, database, owner, buyer)
    (deal,) = (await client.get(f"{API}/deals", headers=buyer.headers)).json()["data"]

    await client.post(f"{API}/interests/{deal['interest_id']}/withdraw", headers=buyer.headers)
    closed = (await client.get(f"{API}/deals/{deal_id}", headers=owner.headers)).json()["data"]
    message = await client.post(
        f"{API}/deals/{deal_id}/messages", json={"body": "still there?"}, headers=buyer.headers
    )

    assert closed["stage"] == "closed_lost"
    assert closed["closed_reason"] == "The buyer withdrew their interest."
    assert message.status_code == 409


async def test_a_close_reason_is_masked_before_the_nda(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    deal_id = await open_deal(client, database, owner, buyer)

    closed = await client.post(
        f"{API}/deals/{deal_id}/close",
        json={"outcome": "lost", "reason": "Call me on 98765 43210 instead"},
        headers=owner.headers,
    )

    assert "98765" not in closed.json()["data"]["closed_reason"]
