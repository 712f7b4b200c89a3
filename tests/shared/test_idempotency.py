"""`Idempotency-Key`: a retried POST gets the first answer and has no second effect."""

from __future__ import annotations

import json

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.shared.idempotency import PENDING_SECONDS, _digest
from msmebazaar.shared.runtime import runtime_of
from tests.shared.routes import notes


async def _count(connection: AsyncConnection) -> int:
    return int(await connection.scalar(select(func.count()).select_from(notes)) or 0)


async def test_a_retry_with_the_same_key_replays_the_first_answer_without_a_second_write(
    kernel_client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    headers = {"Idempotency-Key": "create-note-1"}

    first = await kernel_client.post("/test/notes/hello", headers=headers)
    retry = await kernel_client.post("/test/notes/hello", headers=headers)

    assert first.status_code == retry.status_code == 200
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert await _count(db_connection) == 1


async def test_without_a_key_a_repeat_is_a_new_request(
    kernel_client: httpx.AsyncClient,
) -> None:
    await kernel_client.post("/test/notes/twice")

    repeat = await kernel_client.post("/test/notes/twice")

    assert repeat.status_code == 409


async def test_the_same_key_on_a_different_request_is_refused(
    kernel_client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    headers = {"Idempotency-Key": "reused"}
    await kernel_client.post("/test/notes/one", headers=headers)

    other = await kernel_client.post("/test/notes/two", headers=headers)

    assert other.status_code == 422
    assert other.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert await _count(db_connection) == 1


async def test_keys_are_scoped_to_the_caller(
    kernel_client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    await kernel_client.post(
        "/test/notes/alice", headers={"Idempotency-Key": "k", "Authorization": "Bearer alice"}
    )

    bob = await kernel_client.post(
        "/test/notes/alice", headers={"Idempotency-Key": "k", "Authorization": "Bearer bob"}
    )

    assert bob.status_code == 409  # Bob's request really ran: the note already exists
    assert "Idempotent-Replayed" not in bob.headers


async def test_errors_below_500_are_replayed_too(
    kernel_client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    headers = {"Idempotency-Key": "failing"}

    first = await kernel_client.post("/test/notes/nope?fail=true", headers=headers)
    retry = await kernel_client.post("/test/notes/nope?fail=true", headers=headers)

    assert first.status_code == retry.status_code == 409
    assert retry.headers["Idempotent-Replayed"] == "true"


async def test_a_request_still_running_answers_409_in_progress(
    kernel_client: httpx.AsyncClient, app: FastAPI
) -> None:
    caller = "ip:127.0.0.1"
    record_key = "idem:" + _digest(caller.encode(), b"busy")
    fingerprint = _digest(b"POST", b"/test/notes/busy", b"", b"")
    pending = json.dumps({"state": "pending", "fingerprint": fingerprint})
    await runtime_of(app).cache.set(record_key, pending, PENDING_SECONDS)

    response = await kernel_client.post("/test/notes/busy", headers={"Idempotency-Key": "busy"})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "IDEMPOTENCY_IN_PROGRESS"
    assert response.headers["Retry-After"] == "1"


async def test_a_malformed_key_is_422(kernel_client: httpx.AsyncClient) -> None:
    response = await kernel_client.post("/test/notes/x", headers={"Idempotency-Key": "has spaces"})

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "header.Idempotency-Key"


async def test_server_errors_are_not_remembered_so_a_retry_runs_again(
    kernel_client: httpx.AsyncClient,
) -> None:
    headers = {"Idempotency-Key": "k500"}

    first = await kernel_client.post("/test/boom", headers=headers)
    retry = await kernel_client.post("/test/boom", headers=headers)

    assert first.status_code == retry.status_code == 500
    assert "Idempotent-Replayed" not in retry.headers


async def test_answers_marked_no_store_are_never_kept_for_replay(
    kernel_client: httpx.AsyncClient,
) -> None:
    headers = {"Idempotency-Key": "token-pair"}

    first = await kernel_client.post("/test/secrets", headers=headers)
    retry = await kernel_client.post("/test/secrets", headers=headers)

    assert first.status_code == retry.status_code == 200
    assert retry.json()["data"] != first.json()["data"]
    assert "Idempotent-Replayed" not in retry.headers
