"""Each event becomes a notification for the user it concerns, in their language, with a link;
the inbox lists, filters and marks them read, and only ever the caller's own."""

from __future__ import annotations

import uuid

import httpx
import pytest

from msmebazaar.shared.db import Database
from msmebazaar.shared.metrics import REGISTRY
from tests.auth.factories import Actor
from tests.msme.deal_flows import offer_body, open_deal, signed_deal
from tests.msme.factories import make_msme
from tests.notifications.helpers import (
    API,
    NOTIFICATIONS,
    inbox,
    listing_of,
    send_interest,
    stored,
)

UNKNOWN = uuid.UUID("00000000-0000-4000-8000-000000000001")


def _created(kind: str) -> float:
    return REGISTRY.get_sample_value("notifications_created_total", {"kind": kind}) or 0.0


async def test_an_interest_tells_the_owner_with_a_link_to_their_interests(
    client: httpx.AsyncClient, database: Database, owner: Actor, investor: Actor
) -> None:
    listing = await listing_of(database, owner)
    before = _created("interest_received")

    await send_interest(client, listing, investor)

    page = await inbox(client, owner)
    [item] = page["data"]
    assert item["kind"] == "interest_received"
    assert item["title"] == "New interest in your listing"
    assert "An investor is interested" in item["body"]
    assert listing.headline in item["body"]
    assert (item["link"], item["read"]) == ("/my/interests", False)
    assert page["pagination"]["total"] == 1
    assert (await inbox(client, investor))["data"] == []  # nothing for the sender
    assert _created("interest_received") == before + 1


async def test_accepting_and_declining_tell_the_buyer(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor, investor: Actor
) -> None:
    listing = await listing_of(database, owner)
    accepted = await send_interest(client, listing, buyer)
    declined = await send_interest(client, listing, investor)

    await client.post(f"{API}/interests/{accepted}/accept", headers=owner.headers)
    await client.post(f"{API}/interests/{declined}/decline", headers=owner.headers)

    assert [n.kind for n in await stored(database, buyer.id)] == ["interest_accepted"]
    assert [n.kind for n in await stored(database, investor.id)] == ["interest_declined"]
    assert [n.link for n in await stored(database, buyer.id)] == ["/buyer/interests"]


async def test_a_withdrawal_tells_nobody(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    listing = await listing_of(database, owner)
    interest = await send_interest(client, listing, buyer)

    await client.post(f"{API}/interests/{interest}/withdraw", headers=buyer.headers)

    assert [n.kind for n in await stored(database, owner.id)] == ["interest_received"]


async def test_deal_events_tell_the_other_side_and_link_to_the_deal(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    deal_id = await signed_deal(client, database, owner, buyer)
    await client.post(
        f"{API}/deals/{deal_id}/messages", json={"body": "GST returns?"}, headers=buyer.headers
    )
    offer = await client.post(
        f"{API}/deals/{deal_id}/offers", json=offer_body(), headers=buyer.headers
    )
    await client.post(f"{API}/offers/{offer.json()['data']['id']}/accept", headers=owner.headers)

    to_owner = [n for n in await stored(database, owner.id) if n.link == f"/deals/{deal_id}"]
    to_buyer = [n for n in await stored(database, buyer.id) if n.link == f"/deals/{deal_id}"]
    assert [n.kind for n in to_owner] == ["nda_accepted", "deal_message", "offer_received"]
    assert [n.kind for n in to_buyer] == ["nda_accepted", "offer_decided"]
    assert "was accepted" in to_buyer[-1].body
    assert all("GST returns" not in n.body for n in to_owner)  # the message stays in the room


async def test_admin_decisions_tell_the_owner_with_the_reason(
    client: httpx.AsyncClient, database: Database, owner: Actor, admin: Actor
) -> None:
    pending = await make_msme(database, owner.id, verification_status="pending")
    submitted = await listing_of(database, owner, status="submitted")

    verified = await client.post(
        f"{API}/admin/msmes/{pending.id}/verify",
        json={"decision": "reject", "reason": "The GST certificate is unreadable"},
        headers=admin.headers,
    )
    moderated = await client.post(
        f"{API}/admin/listings/{submitted.id}/moderate",
        json={"decision": "approve"},
        headers=admin.headers,
    )

    assert (verified.status_code, moderated.status_code) == (200, 200), verified.text
    found = {n.kind: n for n in await stored(database, owner.id)}
    assert set(found) == {"profile_rejected", "listing_approved"}
    assert "The GST certificate is unreadable." in found["profile_rejected"].body
    assert found["profile_rejected"].link == f"/my/businesses/{pending.id}"
    assert found["listing_approved"].link == f"/my/listings/{submitted.id}"


async def test_a_hindi_speaker_reads_hindi(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    await client.patch(f"{API}/auth/me", json={"language": "hi"}, headers=owner.headers)
    listing = await listing_of(database, owner)

    await send_interest(client, listing, buyer)

    [item] = (await inbox(client, owner))["data"]
    assert item["title"] == "आपकी लिस्टिंग में नई रुचि"
    assert "खरीदार" in item["body"]


async def test_the_inbox_is_newest_first_filters_unread_and_pages(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    for _ in range(3):
        await send_interest(client, await listing_of(database, owner), buyer)
    first, *_ = await stored(database, owner.id)

    marked = await client.post(f"{NOTIFICATIONS}/{first.id}/read", headers=owner.headers)

    assert marked.status_code == 200
    assert marked.json()["data"]["read"] is True
    everything = await inbox(client, owner)
    assert [item["seq"] for item in everything["data"]] == sorted(
        (item["seq"] for item in everything["data"]), reverse=True
    )
    unread = await inbox(client, owner, unread="true")
    assert len(unread["data"]) == 2
    assert str(first.id) not in {item["id"] for item in unread["data"]}
    assert [i["id"] for i in (await inbox(client, owner, unread="false"))["data"]] == [
        str(first.id)
    ]
    paged = await inbox(client, owner, page=2, page_size=2)
    assert (len(paged["data"]), paged["pagination"]["total"]) == (1, 3)


async def test_marking_read_twice_changes_nothing_and_all_read_marks_the_rest(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    for _ in range(2):
        await send_interest(client, await listing_of(database, owner), buyer)
    first = (await stored(database, owner.id))[0]
    await client.post(f"{NOTIFICATIONS}/{first.id}/read", headers=owner.headers)
    read_at = (await stored(database, owner.id))[0].read_at

    again = await client.post(f"{NOTIFICATIONS}/{first.id}/read", headers=owner.headers)
    everything = await client.post(f"{NOTIFICATIONS}/read-all", headers=owner.headers)

    assert again.status_code == 200
    assert (await stored(database, owner.id))[0].read_at == read_at
    assert everything.json()["data"] == {"marked": 1, "unread": 0}


async def test_nobody_reads_or_marks_another_users_notification(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor, other_owner: Actor
) -> None:
    await send_interest(client, await listing_of(database, owner), buyer)
    [mine] = await stored(database, owner.id)

    theirs = await client.post(f"{NOTIFICATIONS}/{mine.id}/read", headers=other_owner.headers)
    all_theirs = await client.post(f"{NOTIFICATIONS}/read-all", headers=other_owner.headers)

    assert theirs.status_code == 404
    assert theirs.json()["error"]["code"] == "NOTIFICATION_NOT_FOUND"
    assert all_theirs.json()["data"]["marked"] == 0
    assert (await stored(database, owner.id))[0].read_at is None
    assert (await inbox(client, other_owner))["data"] == []


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("POST", f"{NOTIFICATIONS}/not-a-uuid/read", 422),
        ("POST", f"{NOTIFICATIONS}/{UNKNOWN}/read", 404),
        ("GET", f"{NOTIFICATIONS}?unread=perhaps", 422),
        ("GET", f"{NOTIFICATIONS}?page_size=1000", 422),
    ],
)
async def test_bad_requests_are_4xx_in_the_envelope(
    client: httpx.AsyncClient, owner: Actor, method: str, path: str, status: int
) -> None:
    response = await client.request(method, path, headers=owner.headers)

    assert response.status_code == status
    assert response.json()["success"] is False


async def test_signed_out_callers_get_401(client: httpx.AsyncClient) -> None:
    for method, path in [
        ("GET", NOTIFICATIONS),
        ("POST", f"{NOTIFICATIONS}/read-all"),
        ("GET", f"{NOTIFICATIONS}/preferences"),
        ("GET", f"{NOTIFICATIONS}/stream"),
    ]:
        assert (await client.request(method, path)).status_code == 401, path


async def test_opening_a_deal_is_no_notification_of_its_own(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    await open_deal(client, database, owner, buyer)

    assert [n.kind for n in await stored(database, buyer.id)] == ["interest_accepted"]
