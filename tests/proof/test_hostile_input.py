"""Hostile bodies and strings: oversized, deeply nested, malformed JSON, and SQL or HTML
injection in every text field. Each is a clear 4xx, or stored and returned exactly as sent (JSON
is the only encoding we apply; browsers are told not to sniff); never a 500, never a changed
database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.msme.models import Msme
from msmebazaar.shared.db import Database
from tests.auth.factories import ME, Actor
from tests.match.factories import MANDATES, mandate_payload
from tests.msme.factories import MSMES, listing_payload, make_listing, make_msme, profile_payload

LISTINGS = "/api/v1/listings"
MAX_BODY = 11 * 1024 * 1024
HOSTILE = [
    "Robert'); DROP TABLE msmes;--",
    "' OR '1'='1' --",  # fields are stripped of surrounding spaces, by design
    "x%' UNION SELECT phone, id FROM users --",
    "<script>alert('owned')</script><img src=x onerror=alert(1)>",
    '"><svg/onload=alert(document.cookie)>',
    "{{7*7}} ${7*7} <%= 7*7 %>",
    "\u202eevil\u202c right-to-left and emoji 🙂",
    "back\\slash and `backtick` and $(whoami)",
]


def _sane(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text
    assert response.json()["success"] is (response.status_code < 400)
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-content-type-options"] == "nosniff"


async def _msme_count(connection: AsyncConnection) -> int:
    return int(await connection.scalar(select(func.count()).select_from(Msme)) or 0)


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        b'{"legal_name": "unterminated',
        b"\xff\xfe not utf-8",
        b'{"legal_name": 1' + b"0" * 5000 + b"}",
        b"null",
        b"",
    ],
    ids=["deep_arrays", "deep_objects", "truncated", "not_utf8", "huge_int", "null", "empty"],
)
async def test_malformed_or_deeply_nested_json_is_a_clear_4xx(
    client: httpx.AsyncClient, db_connection: AsyncConnection, owner: Actor, body: bytes
) -> None:
    before = await _msme_count(db_connection)
    headers = owner.headers | {"Content-Type": "application/json"}

    response = await client.post(MSMES, content=body, headers=headers)

    _sane(response)
    assert response.status_code in (400, 422)
    assert await _msme_count(db_connection) == before


async def _chunks(total: int) -> AsyncIterator[bytes]:
    sent = 0
    while sent < total:
        chunk = b"a" * min(1024 * 1024, total - sent)
        sent += len(chunk)
        yield chunk


@pytest.mark.parametrize("declared", [True, False], ids=["content_length", "streamed"])
async def test_an_oversized_body_is_413_without_reading_it_all(
    client: httpx.AsyncClient, owner: Actor, declared: bool
) -> None:
    size = MAX_BODY + 1024
    headers = owner.headers | {"Content-Type": "application/json"}
    content: Any = b"a" * size if declared else _chunks(size)

    response = await client.post(MSMES, content=content, headers=headers)

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"


@pytest.mark.parametrize("field", ["asking_price", "stake_percent"])
async def test_numbers_beyond_any_column_are_422_not_500(
    client: httpx.AsyncClient, database: Database, owner: Actor, field: str
) -> None:
    msme = await make_msme(database, owner.id)
    body = listing_payload(msme.id, deal_type="stake_sale", stake_percent=25) | {field: 10**30}

    response = await client.post(LISTINGS, json=body, headers=owner.headers)

    _sane(response)
    assert response.status_code == 422


async def test_injection_strings_in_profile_fields_are_stored_and_returned_verbatim(
    client: httpx.AsyncClient, owner: Actor
) -> None:
    fields = ("trade_name", "sub_sector", "description", "products")
    for text in HOSTILE:
        created = await client.post(
            MSMES, json=profile_payload(**dict.fromkeys(fields, text)), headers=owner.headers
        )
        _sane(created)
        assert created.status_code == 201, (text, created.text)

        read = await client.get(f"{MSMES}/{created.json()['data']['id']}", headers=owner.headers)

        _sane(read)
        stored = {field: read.json()["data"][field] for field in fields}
        assert stored == dict.fromkeys(fields, text)


async def test_injection_strings_in_listing_mandate_and_name_fields_round_trip(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    msme = await make_msme(database, owner.id)
    for text in HOSTILE:
        body = listing_payload(
            msme.id, anonymous=False, headline=f"Snacks {text}", summary=text * 2
        )
        listing = await client.post(LISTINGS, json=body, headers=owner.headers)
        _sane(listing)
        assert listing.status_code == 201, (text, listing.text)
        assert listing.json()["data"]["summary"] == text * 2

        mandate = await client.post(
            MANDATES, json=mandate_payload(title=f"Buy {text}", thesis=text), headers=buyer.headers
        )
        _sane(mandate)
        assert mandate.status_code == 201, (text, mandate.text)
        read = await client.get(f"{MANDATES}/{mandate.json()['data']['id']}", headers=buyer.headers)
        assert (read.json()["data"]["title"], read.json()["data"]["thesis"]) == (
            f"Buy {text}",
            text,
        )

        renamed = await client.patch(ME, json={"name": text[:80]}, headers=buyer.headers)
        _sane(renamed)
        assert renamed.status_code == 200, (text, renamed.text)
        assert (await client.get(ME, headers=buyer.headers)).json()["data"]["name"] == text[:80]


async def test_injection_strings_in_interest_messages_and_search_are_harmless(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    msme = await make_msme(database, owner.id)
    for text in HOSTILE:
        listing = await make_listing(database, msme, anonymous=False)
        sent = await client.post(
            f"{LISTINGS}/{listing.id}/interests",
            json={"message": f"Hello, {text}"},
            headers=buyer.headers,
        )
        _sane(sent)
        assert sent.status_code == 201, (text, sent.text)
        received = await client.get("/api/v1/interests/received", headers=owner.headers)
        assert received.json()["data"][0]["message"] == f"Hello, {text}"

        for path in (LISTINGS, MSMES):
            found = await client.get(path, params={"q": text})
            _sane(found)
            assert found.status_code == 200, (text, path)


async def test_a_nul_byte_in_a_text_field_is_refused_or_kept_never_500(
    client: httpx.AsyncClient, owner: Actor
) -> None:
    created = await client.post(
        MSMES, json=profile_payload(description="null\u0000byte"), headers=owner.headers
    )
    _sane(created)
    assert created.status_code in (201, 422)
