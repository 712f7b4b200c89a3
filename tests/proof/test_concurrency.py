"""Racing writes on committed data (two connections, real locks): each race leaves a state that
some serial order of the successful requests would have produced, and no update is lost.

Profiles, listings and mandates carry a `version`; a stale one answers 409 `VERSION_CONFLICT`.
Interest decisions are status transitions that must happen once.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import httpx
from sqlalchemy import func, select, text

from msmebazaar.auth.models import User
from msmebazaar.match.models import Mandate
from msmebazaar.msme.interests import MAX_INTERESTS_PER_BUYER_PER_LISTING
from msmebazaar.msme.models import Interest, Listing, Msme
from msmebazaar.shared.db import Database
from msmebazaar.shared.outbox import OutboxMessage
from tests.auth.factories import Actor, signed_in
from tests.match.factories import MANDATES, mandate_payload
from tests.msme.factories import MSMES, make_interest, make_listing, make_msme

API = "/api/v1"
LISTINGS = f"{API}/listings"
INTERESTS = "/api/v1/interests"
_T = TypeVar("_T")


async def _race(*requests: Awaitable[_T]) -> list[_T]:
    return list(await asyncio.gather(*requests))


def _race_codes(database: Database, domain_code: str) -> set[str]:
    # PostgreSQL: the loser waits for the winner's row lock, then the domain rule refuses it.
    # SQLite: the loser waits for the one writer (`Database.session`), then the rule refuses it.
    # Never a generic 409 CONFLICT for a race the user did nothing to cause.
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


_CAP = MAX_INTERESTS_PER_BUYER_PER_LISTING
_ATTEMPTS = 100  # a bound, not a plan: each device stops once the cap refuses it
_MAX_WRITE_PAUSE_SECONDS = 0.15


def _code(response: httpx.Response) -> str | None:
    return response.json()["error"]["code"] if response.status_code >= 400 else None


async def _withdraw(
    client: httpx.AsyncClient, database: Database, buyer: Actor, interest_id: str
) -> list[httpx.Response]:
    # Once: a withdrawal that raced another writer waited for it; it is never refused for it.
    return [await client.post(f"{INTERESTS}/{interest_id}/withdraw", headers=buyer.headers)]


async def _device(
    client: httpx.AsyncClient, database: Database, buyer: Actor, listing_id: uuid.UUID
) -> list[httpx.Response]:
    # One of a buyer's devices: send, withdraw what it sent, send again, until the cap refuses
    # it. Several run at once, so each send overlaps other sends, withdrawals and re-sends.
    answers: list[httpx.Response] = []
    for attempt in range(_ATTEMPTS):
        sent = await client.post(
            f"{LISTINGS}/{listing_id}/interests",
            json={"message": f"Still interested, try {attempt}"},
            headers=buyer.headers,
        )
        answers.append(sent)
        if sent.status_code == 201:
            answers += await _withdraw(client, database, buyer, sent.json()["data"]["id"])
        elif _code(sent) == "INTEREST_LIMIT_REACHED":
            break
    return answers


def _check_answers(database: Database, answers: list[httpx.Response]) -> tuple[int, int]:
    """Every answer is a success or an expected refusal; returns (sends, withdrawals) that won."""
    refusals = {"INTEREST_ALREADY_SENT", "INTEREST_LIMIT_REACHED"}
    sent = withdrawn = 0
    for answer in answers:
        if answer.request.url.path.endswith("/withdraw"):
            assert answer.status_code == 200 or _code(answer) == "CONFLICT", answer.text
            withdrawn += answer.status_code == 200
        else:
            assert answer.status_code == 201 or _code(answer) in refusals, answer.text
            sent += answer.status_code == 201
    return sent, withdrawn


@asynccontextmanager
async def _slow_interest_writes(database: Database, listing_id: uuid.UUID) -> AsyncIterator[None]:
    """On PostgreSQL, each new interest in the listing waits a random while before it is written.

    A send reads what the buyer sent before, then writes. Uneven pauses between the two (a slow,
    uneven disk) let one device's send and withdrawal commit while another device's send, which
    read before them, is still on its way: a missing lock then shows on almost every run, not
    once in a thousand. SQLite has one writer at a time, so the pause would change nothing."""
    if database.engine.dialect.name != "postgresql":
        yield
        return
    name = f"slow_interest_{uuid.uuid4().hex}"
    statements = (
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql "
        f"AS $$ BEGIN PERFORM pg_sleep(random() * {_MAX_WRITE_PAUSE_SECONDS}); RETURN NEW; END $$",
        f"CREATE TRIGGER {name} BEFORE INSERT ON interests FOR EACH ROW "
        f"WHEN (NEW.listing_id = '{listing_id}'::uuid) EXECUTE FUNCTION {name}()",
    )
    async with database.engine.begin() as connection:
        for statement in statements:
            await connection.execute(text(statement))
    try:
        yield
    finally:
        async with database.engine.begin() as connection:
            await connection.execute(text(f"DROP TRIGGER {name} ON interests"))
            await connection.execute(text(f"DROP FUNCTION {name}()"))


async def test_one_buyers_overlapping_sends_and_withdrawals_never_pass_the_cap(
    committed_client: httpx.AsyncClient, committed_db: Database
) -> None:
    owner = await signed_in(committed_client, committed_db, "msme_owner")
    buyers = [await signed_in(committed_client, committed_db, "buyer") for _ in range(2)]
    listing = await make_listing(committed_db, await make_msme(committed_db, owner.id))

    async with _slow_interest_writes(committed_db, listing.id):
        devices = await _race(
            *(
                _device(committed_client, committed_db, buyer, listing.id)
                for buyer, count in zip(buyers, (4, 2), strict=True)
                for _ in range(count)
            )
        )

    # Each device kept trying until the cap refused it: every buyer reached it, none passed it.
    assert all(_code(answers[-1]) == "INTEREST_LIMIT_REACHED" for answers in devices)
    sent, withdrawn = _check_answers(committed_db, [a for answers in devices for a in answers])
    async with committed_db.session() as session:
        rows = (
            await session.execute(
                select(Interest.buyer_id, Interest.status).where(Interest.listing_id == listing.id)
            )
        ).all()
        counted = await session.scalar(
            select(Listing.interests_count).where(Listing.id == listing.id)
        )
    per_buyer = {buyer.id: [status for who, status in rows if who == buyer.id] for buyer in buyers}
    assert [len(statuses) for statuses in per_buyer.values()] == [_CAP, _CAP]
    assert all(sum(s != "withdrawn" for s in statuses) <= 1 for statuses in per_buyer.values())
    assert (len(rows), sum(status == "withdrawn" for _, status in rows)) == (sent, withdrawn)
    assert counted == len(buyers)  # buyers, not interests
    assert await _messages_to(committed_db, owner, "interest_received") == sent
