"""Every list endpoint: `page` from 1, `page_size` 20 by default and at most 100, totals and pages;
a page past the end is 200 with an empty list."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest
from fastapi import FastAPI

from msmebazaar.shared.db import Database
from msmebazaar.shared.pagination import MAX_PAGE
from msmebazaar.shared.responses import Pagination
from tests.auth.factories import Actor, signed_in


async def _add_notes(http: httpx.AsyncClient, count: int) -> None:
    for index in range(count):
        response = await http.post(f"/test/notes/note-{index:02d}")
        assert response.status_code == 200


async def test_first_page_uses_the_default_size_and_reports_totals(
    kernel_client: httpx.AsyncClient,
) -> None:
    await _add_notes(kernel_client, 25)

    body = (await kernel_client.get("/test/notes")).json()

    assert len(body["data"]) == 20
    assert body["data"][0] == "note-00"
    assert body["pagination"] == {"page": 1, "page_size": 20, "total": 25, "pages": 2}


async def test_last_page_holds_the_remainder(kernel_client: httpx.AsyncClient) -> None:
    await _add_notes(kernel_client, 25)

    body = (await kernel_client.get("/test/notes?page=2")).json()

    assert body["data"] == [f"note-{index:02d}" for index in range(20, 25)]


async def test_page_past_the_end_is_empty_not_an_error(kernel_client: httpx.AsyncClient) -> None:
    await _add_notes(kernel_client, 3)

    response = await kernel_client.get("/test/notes?page=9&page_size=2")

    assert response.status_code == 200
    assert response.json()["data"] == []
    assert response.json()["pagination"] == {"page": 9, "page_size": 2, "total": 3, "pages": 2}


@pytest.mark.parametrize("query", ["page_size=101", "page_size=0", "page=0", "page=x"])
async def test_out_of_range_paging_is_422(kernel_client: httpx.AsyncClient, query: str) -> None:
    response = await kernel_client.get(f"/test/notes?{query}")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


def test_pages_round_up() -> None:
    assert Pagination.of(page=1, page_size=20, total=0).pages == 0
    assert Pagination.of(page=1, page_size=20, total=20).pages == 1
    assert Pagination.of(page=1, page_size=20, total=21).pages == 2


# --- page numbers whose offset no database can hold (issue 18, finding 9) --------------------

HUGE_PAGE = 2116128816516163072  # schemathesis's: its offset overflowed SQLite's 64-bit INTEGER


def _names_page(response: httpx.Response) -> bool:
    body = response.json()
    return body["error"]["code"] == "VALIDATION_ERROR" and any(
        item["field"] in {"page", "query.page"} for item in body["error"]["details"]
    )


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("/api/v1/listings/mine", "msme_owner"),
        ("/api/v1/msmes/mine", "msme_owner"),
        ("/api/v1/mandates/mine", "buyer"),
        ("/api/v1/interests/mine", "buyer"),
        ("/api/v1/interests/received", "msme_owner"),
        ("/api/v1/msmes", None),
        ("/api/v1/listings", None),
    ],
)
async def test_a_page_beyond_any_offset_is_422_naming_page(
    client: httpx.AsyncClient, database: Database, path: str, role: str | None
) -> None:
    headers = (await signed_in(client, database, role)).headers if role else {}

    response = await client.get(path, params={"page": HUGE_PAGE}, headers=headers)

    assert response.status_code == 422, response.text
    assert _names_page(response)


async def test_the_last_page_allowed_is_an_empty_page(
    client: httpx.AsyncClient, owner: Actor
) -> None:
    response = await client.get(
        "/api/v1/msmes/mine", params={"page": MAX_PAGE}, headers=owner.headers
    )

    assert response.status_code == 200, response.text
    assert response.json()["data"] == []
    assert (
        await client.get("/api/v1/msmes/mine", params={"page": MAX_PAGE + 1}, headers=owner.headers)
    ).status_code == 422


async def test_no_list_endpoint_answers_500_for_a_huge_page(
    app: FastAPI, client: httpx.AsyncClient, admin: Actor
) -> None:
    paged = [
        path
        for path, operations in app.openapi()["paths"].items()
        if any(p["name"] == "page" for p in operations.get("get", {}).get("parameters", []))
    ]
    assert "/api/v1/listings/mine" in paged

    for path in paged:
        url = re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path)
        response = await client.get(url, params={"page": HUGE_PAGE}, headers=admin.headers)

        assert response.status_code < 500, (path, response.text)
        if "{" not in path:  # no id to look up first: the page itself is refused
            assert response.status_code == 422, (path, response.text)
            assert _names_page(response), path
