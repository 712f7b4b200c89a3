"""Every list endpoint: `page` from 1, `page_size` 20 by default and at most 100, totals and pages;
a page past the end is 200 with an empty list."""

from __future__ import annotations

import httpx
import pytest

from msmebazaar.shared.responses import Pagination


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
