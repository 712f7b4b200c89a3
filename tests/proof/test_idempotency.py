"""Every POST that creates something (every route answering 201, found from the app) honours
`Idempotency-Key`: the same key and body replay the first answer and create nothing more; the
same key with another body is 422 `IDEMPOTENCY_KEY_REUSED`.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.match.models import Mandate
from msmebazaar.msme.models import DealMessage, Document, Interest, Listing, Msme, Offer
from msmebazaar.shared.db import Database
from msmebazaar.valuation.models import Valuation
from tests.auth.factories import Actor
from tests.match.factories import mandate_payload
from tests.msme.factories import (
    listing_payload,
    make_deal_room,
    make_financials,
    make_listing,
    make_msme,
    profile_payload,
)
from tests.proof.access import API

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@dataclass
class Creation:
    """Two different valid requests creating a `model` row, and who sends them."""

    model: type[Any]
    caller: str
    first: dict[str, Any]
    other: dict[str, Any]
    path_ids: dict[str, str]


Builder = Callable[[Database, dict[str, Actor]], Awaitable[Creation]]


async def _profile(database: Database, actors: dict[str, Actor]) -> Creation:
    return Creation(Msme, "owner", {"json": profile_payload()}, {"json": profile_payload()}, {})


async def _document(database: Database, actors: dict[str, Actor]) -> Creation:
    msme = await make_msme(database, actors["owner"].id)

    def upload(kind: str) -> dict[str, Any]:
        return {"files": {"file": ("doc.pdf", PDF, "application/pdf")}, "data": {"kind": kind}}

    return Creation(
        Document, "owner", upload("pan_card"), upload("other"), {"msme_id": str(msme.id)}
    )


async def _listing(database: Database, actors: dict[str, Actor]) -> Creation:
    msme = await make_msme(database, actors["owner"].id)
    return Creation(
        Listing,
        "owner",
        {"json": listing_payload(msme.id)},
        {"json": listing_payload(msme.id, asking_price=7_00_00_000)},
        {},
    )


async def _interest(database: Database, actors: dict[str, Actor]) -> Creation:
    listing = await make_listing(database, await make_msme(database, actors["owner"].id))
    return Creation(
        Interest,
        "buyer",
        {"json": {"message": "We would like to know more about it."}},
        {"json": {"message": "A different note about the same listing."}},
        {"listing_id": str(listing.id)},
    )


async def _valuation(database: Database, actors: dict[str, Actor]) -> Creation:
    msme = await make_msme(database, actors["owner"].id)
    await make_financials(database, msme.id)
    other = await make_msme(database, actors["owner"].id)
    await make_financials(database, other.id)
    return Creation(
        Valuation,
        "owner",
        {"json": {"msme_id": str(msme.id)}},
        {"json": {"msme_id": str(other.id)}},
        {},
    )


async def _mandate(database: Database, actors: dict[str, Actor]) -> Creation:
    return Creation(
        Mandate,
        "buyer",
        {"json": mandate_payload()},
        {"json": mandate_payload(title="Another mandate")},
        {},
    )


def _offer_body(amount: int) -> dict[str, Any]:
    valid_until = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    return {"json": {"amount": amount, "terms": "cash", "valid_until": valid_until}}


async def _message(database: Database, actors: dict[str, Actor]) -> Creation:
    deal = await make_deal_room(database, actors["owner"].id, actors["buyer"].id)
    return Creation(
        DealMessage,
        "buyer",
        {"json": {"body": "Could we see the ITRs?"}},
        {"json": {"body": "And the GST returns?"}},
        {"deal_id": str(deal.id)},
    )


async def _offer(database: Database, actors: dict[str, Actor]) -> Creation:
    owner, buyer = actors["owner"].id, actors["buyer"].id
    deal = await make_deal_room(database, owner, buyer, nda_signed=True)
    return Creation(
        Offer,
        "buyer",
        _offer_body(4_00_00_000),
        _offer_body(4_10_00_000),
        {"deal_id": str(deal.id)},
    )


CREATIONS: dict[str, Builder] = {
    f"{API}/msmes": _profile,
    f"{API}/msmes/{{msme_id}}/documents": _document,
    f"{API}/listings": _listing,
    f"{API}/listings/{{listing_id}}/interests": _interest,
    f"{API}/valuations": _valuation,
    f"{API}/mandates": _mandate,
    f"{API}/deals/{{deal_id}}/messages": _message,
    f"{API}/deals/{{deal_id}}/offers": _offer,
}


def creating_routes(app: FastAPI) -> set[str]:
    """Paths of the POST routes that answer 201."""
    return {
        str(route.path)
        for route in iter_route_contexts(app.routes)
        if isinstance(route.original_route, APIRoute)
        and "POST" in (route.methods or set())
        and route.status_code == 201
    }


def test_every_creating_route_is_proved_idempotent(app: FastAPI) -> None:
    assert creating_routes(app) == set(CREATIONS)


async def _count(connection: AsyncConnection, model: type[Any]) -> int:
    return int(await connection.scalar(select(func.count()).select_from(model)) or 0)


def _frozen(client: httpx.AsyncClient, url: str, key: str, **request: Any) -> httpx.Request:
    """The request as bytes, so a retry sends exactly the same body (multipart included)."""
    built = client.build_request("POST", url, **request)
    body = built.read()
    headers = dict(built.headers) | {"Idempotency-Key": key}
    return httpx.Request("POST", built.url, headers=headers, content=body)


async def test_a_retried_creation_replays_the_first_answer_and_creates_nothing(
    app: FastAPI,
    client: httpx.AsyncClient,
    database: Database,
    db_connection: AsyncConnection,
    *,
    owner: Actor,
    buyer: Actor,
) -> None:
    actors = {"owner": owner, "buyer": buyer}
    for path, build in sorted(CREATIONS.items()):
        creation = await build(database, actors)
        url = path.format(**creation.path_ids)
        headers = actors[creation.caller].headers
        key = f"proof-{uuid.uuid4()}"
        before = await _count(db_connection, creation.model)

        request = _frozen(client, url, key, headers=headers, **creation.first)
        first = await client.send(request)
        retry = await client.send(request)  # the same bytes, as a client's retry sends them
        changed = await client.send(_frozen(client, url, key, headers=headers, **creation.other))

        assert first.status_code == 201, (path, first.text)
        assert (retry.status_code, retry.json()) == (201, first.json()), path
        assert retry.headers["Idempotent-Replayed"] == "true"
        assert changed.status_code == 422, (path, changed.text)
        assert changed.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
        assert await _count(db_connection, creation.model) == before + 1, path

        fresh = await client.send(
            _frozen(client, url, f"proof-{uuid.uuid4()}", headers=headers, **creation.other)
        )
        # A new key is a new request, judged on its own (one interest per buyer and listing; a
        # file already on the profile is answered with the stored document, 200).
        assert "Idempotent-Replayed" not in fresh.headers
        assert fresh.status_code in (200, 201, 409), (path, fresh.text)
