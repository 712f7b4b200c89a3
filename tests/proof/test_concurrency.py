"""Racing writes on committed data (two connections, real locks): each race leaves a state that
some serial order of the successful requests would have produced, and no update is lost.

Profiles, listings and mandates carry a `version`; a stale one answers 409 `VERSION_CONFLICT`.
Interest decisions are status transitions that must happen once.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from sqlalchemy import func, select

from msmebazaar.auth.models import User
from msmebazaar.match.models import Mandate
from msmebazaar.msme.models import Interest, Listing, Msme
from msmebazaar.shared.db import Database
from msmebazaar.shared.outbox import OutboxMessage
from tests.auth.factories import Actor, signed_in
from tests.match.factories import MANDATES, mandate_payload
from tests.msme.factories import MSMES, make_interest, make_listing, make_msme

API = "/api/v1"
LISTINGS = f"{API}/listings"
INTERESTS = "/api/v1/interests"


async def _race(*requests: Any) -> list[httpx.Response]:
    return list(await asyncio.gather(*requests))


def _race_codes(database: Database, domain_code: str) -> set[str]:
    # PostgreSQL: the loser waits for the winner's row lock, then the domain rule refuses it.
    # SQLite: a transaction that read before the winner committed may not write at all; the
    # engine refuses it (BUSY_SNAPSHOT), answered as the generic 409 CONFLICT.
    if database.engine.dialect.name == "sqlite":
        return {domain_code, "CONFLICT"}
    return {domain_code}


def _one_won(
    database: Database, responses: list[httpx.Response], loser_code: str
) -> httpx.Response:
    statuses = sorted(response.status_code for response in responses)
    assert statuses in ([200, 409], [201, 409]), [response.text for response in responses]
    loser = next(response for response in responses if response.status_code == 409)
    assert loser.json()["error"]["code"] in _race_codes(database, loser_code)
    return next(response for response in responses if response.status_code != 409)


async def _get(database: Database, model: type[Any], row_id: uuid.UUID) -> Any:
    async with database.session() as session:
        return await session.get(model, row_id)


async def test_racing_edits_of_one_listing_keep_exactly_one(
    committed_client: httpx.AsyncClient, committed_db: Database
) -> None:
    owner = await signed_in(committed_client, committed_db, "msme_owner")
    admin = await signed_in(committed_client, committed_db, "admin")
    msme = await make_msme(committed_db, owner.id)
    listing = await make_listing(committed_db, msme, status="draft")

    responses = await _race(
        *(
            committed_client.patch(
                f"{LISTINGS}/{listing.id}",
                json={"version": 1, "headline": f"Snacks maker, edited by the {who}"},
                headers=actor.headers,
            )
            for who, actor in (("owner", owner), ("admin", admin))
        )
    )

    winner = _one_won(committed_db, responses, "VERSION_CONFLICT").json()["data"]
    stored = await _get(committed_db, Listing, listing.id)
    assert (stored.headline, stored.version) == (winner["headline"], 2)


async def test_racing_edits_of_one_profile_keep_exactly_one(
    committed_client: httpx.AsyncClient, committed_db: Database
) -> None:
    owner = await signed_in(committed_client, committed_db, "msme_owner")
    admin = await signed_in(committed_client, committed_db, "admin")
    msme = await make_msme(committed_db, owner.id)

    responses = await _race(
        *(
            committed_client.patch(
                f"{MSMES}/{msme.id}",
                json={"version": 1, "employees": employees},
                headers=actor.headers,
            )
            for employees, actor in ((50, owner), (60, admin))
        )
    )

    winner = _one_won(committed_db, responses, "VERSION_CONFLICT").json()["data"]
    stored = await _get(committed_db, Msme, msme.id)
    assert (stored.employees, stored.version) == (winner["employees"], 2)


async def test_racing_edits_of_one_mandate_from_two_devices_keep_exactly_one(
    committed_client: httpx.AsyncClient, committed_db: Database
) -> None:
    buyer = await signed_in(committed_client, committed_db, "buyer")
    created = await committed_client.post(MANDATES, json=mandate_payload(), headers=buyer.headers)
    assert created.status_code == 201, created.text
    mandate_id = created.json()["data"]["id"]

    responses = await _race(
        *(
            committed_client.patch(
                f"{MANDATES}/{mandate_id}",
                json={"version": 1, "title": title},
                headers=buyer.headers,
            )
            for title in ("Snacks in the west", "Snacks anywhere")
        )
    )

    winner = _one_won(committed_db, responses, "VERSION_CONFLICT").json()["data"]
    stored = await _get(committed_db, Mandate, uuid.UUID(mandate_id))
    assert (stored.title, stored.version) == (winner["title"], 2)


async def _pending_interest(
    client: httpx.AsyncClient, database: Database
) -> tuple[Actor, Actor, Interest]:
    owner = await signed_in(client, database, "msme_owner")
    buyer = await signed_in(client, database, "buyer")
    listing = await make_listing(database, await make_msme(database, owner.id))
    interest = await make_interest(database, listing, buyer.id, status="pending")
    return owner, buyer, interest


async def _messages_to(database: Database, actor: Actor, template: str) -> int:
    async with database.session() as session:
        phone = await session.scalar(select(User.phone).where(User.id == actor.id))
        count = await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.recipient == phone, OutboxMessage.template == template)
        )
    return int(count or 0)


async def test_racing_accept_and_decline_decide_an_interest_once(
    committed_client: httpx.AsyncClient, committed_db: Database
) -> None:
    owner, buyer, interest = await _pending_interest(committed_client, committed_db)

    responses = await _race(
        committed_client.post(f"{INTERESTS}/{interest.id}/accept", headers=owner.headers),
        committed_client.post(f"{INTERESTS}/{interest.id}/decline", headers=owner.headers),
    )

    winner = _one_won(committed_db, responses, "INTEREST_STATUS_CONFLICT").json()["data"]
    stored = await _get(committed_db, Interest, interest.id)
    assert stored.status == winner["status"]
    decided = [
        await _messages_to(committed_db, buyer, f"interest_{kind}")
        for kind in ("accepted", "declined")
    ]
    assert sorted(decided) == [0, 1]  # the buyer is told one decision, the one that stands


async def test_a_withdrawal_racing_an_acceptance_is_never_overwritten(
    committed_client: httpx.AsyncClient, committed_db: Database
) -> None:
    owner, buyer, interest = await _pending_interest(committed_client, committed_db)

    accept, withdraw = await _race(
        committed_client.post(f"{INTERESTS}/{interest.id}/accept", headers=owner.headers),
        committed_client.post(f"{INTERESTS}/{interest.id}/withdraw", headers=buyer.headers),
    )

    stored = await _get(committed_db, Interest, interest.id)
    # The serial orders: accept then withdraw (both 200, withdrawn), withdraw then a refused
    # accept (withdrawn), or an accept then a withdrawal refused as a lost race (accepted, and
    # the buyer may withdraw again). Never a withdrawal answered 200 and then overwritten.
    assert (accept.status_code, withdraw.status_code) in ((200, 200), (409, 200), (200, 409))
    assert stored.status == ("withdrawn" if withdraw.status_code == 200 else "accepted")


async def test_racing_interests_from_one_buyer_store_one(
    committed_client: httpx.AsyncClient, committed_db: Database
) -> None:
    owner = await signed_in(committed_client, committed_db, "msme_owner")
    buyer = await signed_in(committed_client, committed_db, "buyer")
    listing = await make_listing(committed_db, await make_msme(committed_db, owner.id))

    responses = await _race(
        *(
            committed_client.post(
                f"{LISTINGS}/{listing.id}/interests",
                json={"message": f"Interested ({n})"},
                headers=buyer.headers,
            )
            for n in range(2)
        )
    )

    _one_won(committed_db, responses, "INTEREST_ALREADY_SENT")
    async with committed_db.session() as session:
        stored = await session.scalar(
            select(func.count()).select_from(Interest).where(Interest.listing_id == listing.id)
        )
        counted = await session.scalar(
            select(Listing.interests_count).where(Listing.id == listing.id)
        )
    assert (stored, counted) == (1, 1)


def _one_admin_won(
    database: Database, responses: list[httpx.Response], *loser_codes: str
) -> httpx.Response:
    # The loser either waited for the winner's row and was refused by the rule (not pending any
    # more), or lost on the row's version.
    codes = {code for loser in loser_codes for code in _race_codes(database, loser)}
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200, 409], [response.text for response in responses]
    loser = next(response for response in responses if response.status_code == 409)
    assert loser.json()["error"]["code"] in codes | {"VERSION_CONFLICT"}
    return next(response for response in responses if response.status_code == 200)


async def test_two_admins_deciding_one_verification_decide_it_once(
    committed_client: httpx.AsyncClient, committed_db: Database
) -> None:
    owner = await signed_in(committed_client, committed_db, "msme_owner")
    admins = [await signed_in(committed_client, committed_db, "admin") for _ in range(2)]
    msme = await make_msme(committed_db, owner.id, verification_status="pending")

    responses = await _race(
        committed_client.post(
            f"{API}/admin/msmes/{msme.id}/verify",
            json={"decision": "approve"},
            headers=admins[0].headers,
        ),
        committed_client.post(
            f"{API}/admin/msmes/{msme.id}/verify",
            json={"decision": "reject", "reason": "The PAN belongs to someone else."},
            headers=admins[1].headers,
        ),
    )

    _one_admin_won(committed_db, responses, "VERIFICATION_NOT_PENDING")
    stored = await _get(committed_db, Msme, msme.id)
    winner = next(response for response in responses if response.status_code == 200)
    expected = "verified" if winner.request.content.find(b"approve") >= 0 else "rejected"
    assert (stored.verification_status, stored.version) == (expected, 2)


async def test_two_admins_moderating_one_listing_decide_it_once(
    committed_client: httpx.AsyncClient, committed_db: Database
) -> None:
    owner = await signed_in(committed_client, committed_db, "msme_owner")
    admins = [await signed_in(committed_client, committed_db, "admin") for _ in range(2)]
    listing = await make_listing(
        committed_db, await make_msme(committed_db, owner.id), status="submitted"
    )

    responses = await _race(
        committed_client.post(
            f"{API}/admin/listings/{listing.id}/moderate",
            json={"decision": "approve"},
            headers=admins[0].headers,
        ),
        committed_client.post(
            f"{API}/admin/listings/{listing.id}/moderate",
            json={"decision": "reject", "reason": "The summary names the business."},
            headers=admins[1].headers,
        ),
    )

    _one_admin_won(committed_db, responses, "LISTING_STATUS_CONFLICT")
    stored = await _get(committed_db, Listing, listing.id)
    winner = next(response for response in responses if response.status_code == 200)
    expected = "active" if winner.request.content.find(b"approve") >= 0 else "rejected"
    assert (stored.status, stored.version) == (expected, 2)
