"""Each profile's documents are bounded (issue 18, finding 4): at most 50 and 200 MB in all, an
identical file is not stored twice (the existing document, 200), a refused upload leaves no file
behind, and uploads arriving at once never pass the limits (on SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import func, select

from msmebazaar.app import create_app
from msmebazaar.msme.documents import MAX_DOCUMENTS_PER_PROFILE, MAX_PROFILE_DOCUMENT_BYTES
from msmebazaar.msme.models import Document
from msmebazaar.shared.cache import MemoryCache
from msmebazaar.shared.config import DatabaseSettings, RedisSettings, StorageSettings
from msmebazaar.shared.db import Database, upgrade_database
from msmebazaar.shared.ratelimit import create_rate_limiter
from msmebazaar.shared.storage import LocalStorage
from tests.auth.factories import Actor, signed_in
from tests.conftest import TEST_DATABASE_URL, make_settings
from tests.databases import scratch_postgres_database
from tests.msme.factories import MSMES, make_documents, make_msme


def _pdf(marker: object, padding: int = 0) -> bytes:
    return f"%PDF-1.7\n% {marker}\n".encode() + b"0" * padding + b"\n%%EOF\n"


async def _upload(
    client: httpx.AsyncClient, actor: Actor, msme_id: object, data: bytes
) -> httpx.Response:
    return await client.post(
        f"{MSMES}/{msme_id}/documents",
        data={"kind": "financial_statement"},
        files={"file": ("accounts.pdf", data, "application/pdf")},
        headers=actor.headers,
    )


async def _document_count(database: Database, msme_id: uuid.UUID) -> int:
    async with database.read_session() as session:
        statement = select(func.count()).select_from(Document).where(Document.msme_id == msme_id)
        return int(await session.scalar(statement) or 0)


def _files(root: Path, msme_id: uuid.UUID) -> list[Path]:
    folder = root / "msmes" / str(msme_id)
    return sorted(folder.iterdir()) if folder.exists() else []


async def test_an_identical_file_returns_the_existing_document_with_200(
    client: httpx.AsyncClient, owner: Actor, database: Database, storage: LocalStorage
) -> None:
    msme = await make_msme(database, owner.id)
    data = _pdf("gst")

    first = await _upload(client, owner, msme.id, data)
    again = await _upload(client, owner, msme.id, data)

    assert first.status_code == 201, first.text
    assert again.status_code == 200, again.text
    assert again.json()["data"] == first.json()["data"]
    assert again.json()["message"] == "This file is on the profile already."
    assert await _document_count(database, msme.id) == 1
    assert len(_files(storage.root, msme.id)) == 1


async def test_the_same_file_on_another_profile_is_its_own_document(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    first, second = await make_msme(database, owner.id), await make_msme(database, owner.id)

    answers = [await _upload(client, owner, msme.id, _pdf("gst")) for msme in (first, second)]

    assert [answer.status_code for answer in answers] == [201, 201]


async def test_the_fifty_first_document_is_409_and_nothing_is_stored(
    client: httpx.AsyncClient, owner: Actor, database: Database, storage: LocalStorage
) -> None:
    msme = await make_msme(database, owner.id)
    await make_documents(database, msme, MAX_DOCUMENTS_PER_PROFILE)

    response = await _upload(client, owner, msme.id, _pdf("one too many"))

    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert error["code"] == "DOCUMENT_LIMIT_REACHED"
    assert "50 documents" in response.json()["message"]
    assert await _document_count(database, msme.id) == MAX_DOCUMENTS_PER_PROFILE
    assert _files(storage.root, msme.id) == []


async def test_a_file_past_the_profiles_200_mb_is_413_and_nothing_is_stored(
    client: httpx.AsyncClient, owner: Actor, database: Database, storage: LocalStorage
) -> None:
    msme = await make_msme(database, owner.id)
    data = _pdf("statement", padding=2048)
    # 20 rows filling all but (just under) the size of `data`.
    await make_documents(
        database, msme, 20, size=(MAX_PROFILE_DOCUMENT_BYTES - len(data)) // 20 + 1
    )

    response = await _upload(client, owner, msme.id, data)

    assert response.status_code == 413, response.text
    assert response.json()["error"]["code"] == "DOCUMENT_QUOTA_EXCEEDED"
    assert "200 MB" in response.json()["message"]
    assert await _document_count(database, msme.id) == 20
    assert _files(storage.root, msme.id) == []
    # A smaller file still fits in what is left.
    assert (await _upload(client, owner, msme.id, _pdf("small"))).status_code == 201


async def test_a_file_already_there_is_returned_even_when_the_profile_is_full(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)
    data = _pdf("kept")
    assert (await _upload(client, owner, msme.id, data)).status_code == 201
    await make_documents(database, msme, MAX_DOCUMENTS_PER_PROFILE - 1)

    response = await _upload(client, owner, msme.id, data)

    assert response.status_code == 200, response.text


# --- uploads at once, on a database whose writes really commit ---------------------------------


@pytest.fixture(scope="module")
async def committed_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """The run's backend with real commits and connections: a SQLite file, or a new PostgreSQL
    database of this module's own beside the test database, dropped afterwards (a kept one
    would hold the GSTINs an earlier run's factories made, and this run's repeat them)."""
    if TEST_DATABASE_URL:
        async with scratch_postgres_database(TEST_DATABASE_URL, "documents") as url:
            upgrade_database(url)
            yield url
        return
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('documents') / 'races.db'}"
    upgrade_database(url)
    yield url


@pytest.fixture
async def racing(
    committed_url: str, tmp_path: Path
) -> AsyncIterator[tuple[httpx.AsyncClient, Database, Path]]:
    database = Database.from_settings(DatabaseSettings(url=committed_url))
    settings = make_settings(committed_url)
    settings.storage = StorageSettings(url=f"file://{tmp_path / 'documents'}")
    limiter = create_rate_limiter(RedisSettings(url=None))
    app = create_app(settings, database=database, cache=MemoryCache(), rate_limiter=limiter)
    try:
        async with LifespanManager(app):
            transport = httpx.ASGITransport(app=app, client=("198.51.100.31", 50000))
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                yield http, database, tmp_path / "documents"
    finally:
        await database.dispose()


async def test_uploads_at_once_never_pass_the_document_limit(
    racing: tuple[httpx.AsyncClient, Database, Path],
) -> None:
    client, database, root = racing
    owner = await signed_in(client, database, "msme_owner")
    msme = await make_msme(database, owner.id)
    await make_documents(database, msme, MAX_DOCUMENTS_PER_PROFILE - 2)

    responses = await asyncio.gather(
        *(_upload(client, owner, msme.id, _pdf(f"race {index}")) for index in range(8))
    )

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201, 201] + [409] * 6, [response.text for response in responses]
    assert await _document_count(database, msme.id) == MAX_DOCUMENTS_PER_PROFILE
    assert len(_files(root, msme.id)) == 2  # the refused ones left no file


async def test_one_file_sent_many_times_at_once_is_stored_once(
    racing: tuple[httpx.AsyncClient, Database, Path],
) -> None:
    client, database, root = racing
    owner = await signed_in(client, database, "msme_owner")
    msme = await make_msme(database, owner.id)

    responses = await asyncio.gather(
        *(_upload(client, owner, msme.id, _pdf("the same")) for _ in range(6))
    )

    assert sorted(response.status_code for response in responses) == [200] * 5 + [201]
    assert len({response.json()["data"]["id"] for response in responses}) == 1
    assert await _document_count(database, msme.id) == 1
    assert len(_files(root, msme.id)) == 1
