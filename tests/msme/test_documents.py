"""Documents: uploads checked by size and magic bytes, listed and downloaded by insiders only."""

from __future__ import annotations

import hashlib
import uuid

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.msme.documents import ascii_filename, safe_filename
from msmebazaar.msme.models import Document
from msmebazaar.shared.db import Database
from msmebazaar.shared.metrics import REGISTRY
from msmebazaar.shared.storage import LocalStorage
from tests.auth.factories import Actor, rows
from tests.msme.factories import (
    MSMES,
    make_deal,
    make_interest,
    make_listing,
    make_msme,
    sign_nda,
)

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 64


def _documents_url(msme_id: object) -> str:
    return f"{MSMES}/{msme_id}/documents"


async def _upload(
    client: httpx.AsyncClient,
    actor: Actor,
    msme_id: object,
    data: bytes = PDF,
    *,
    filename: str = "gst-certificate.pdf",
    kind: str = "gst_certificate",
    declared: str = "application/pdf",
) -> httpx.Response:
    return await client.post(
        _documents_url(msme_id),
        data={"kind": kind},
        files={"file": (filename, data, declared)},
        headers=actor.headers,
    )


async def _count(connection: AsyncConnection) -> int:
    return int((await connection.execute(select(func.count()).select_from(Document))).scalar_one())


@pytest.mark.parametrize(
    ("data", "filename", "content_type"),
    [
        (PDF, "gst.pdf", "application/pdf"),
        (PNG, "pan.png", "image/png"),
        (JPEG, "udyam.jpg", "image/jpeg"),
    ],
)
async def test_owner_uploads_a_pdf_png_or_jpeg(
    *,
    client: httpx.AsyncClient,
    owner: Actor,
    database: Database,
    storage: LocalStorage,
    data: bytes,
    filename: str,
    content_type: str,
) -> None:
    msme = await make_msme(database, owner.id)

    response = await _upload(client, owner, msme.id, data, filename=filename, declared="text/plain")

    assert response.status_code == 201, response.text
    document = response.json()["data"]
    assert document["msme_id"] == str(msme.id)
    assert (document["filename"], document["content_type"]) == (filename, content_type)
    assert (document["size"], document["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    assert await storage.get(f"msmes/{msme.id}/{document['id']}") == data


async def test_an_upload_counts_in_the_metric_by_kind(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)
    labels = {"kind": "itr"}
    before = REGISTRY.get_sample_value("msme_documents_uploaded_total", labels) or 0

    await _upload(client, owner, msme.id, kind="itr")

    assert REGISTRY.get_sample_value("msme_documents_uploaded_total", labels) == before + 1


async def test_an_exe_renamed_pdf_is_415_and_nothing_is_stored(
    client: httpx.AsyncClient,
    owner: Actor,
    database: Database,
    db_connection: AsyncConnection,
    storage: LocalStorage,
) -> None:
    msme = await make_msme(database, owner.id)

    response = await _upload(client, owner, msme.id, EXE, filename="statement.pdf")

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert await _count(db_connection) == 0
    assert not storage.root.exists() or not any(storage.root.rglob("*"))


@pytest.mark.parametrize("data", [b"", b"hello, plain text", b"GIF89a" + b"\x00" * 10])
async def test_other_file_types_are_415(
    client: httpx.AsyncClient, owner: Actor, database: Database, data: bytes
) -> None:
    msme = await make_msme(database, owner.id)

    response = await _upload(client, owner, msme.id, data)

    assert response.status_code == 415


async def test_a_file_over_10_mb_is_413(
    client: httpx.AsyncClient, owner: Actor, database: Database, db_connection: AsyncConnection
) -> None:
    msme = await make_msme(database, owner.id)
    data = PDF + b"0" * (10 * 1024 * 1024)

    response = await _upload(client, owner, msme.id, data)

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert await _count(db_connection) == 0


async def test_a_body_far_over_the_limit_is_refused_before_it_is_read(
    client: httpx.AsyncClient, owner: Actor, database: Database, db_connection: AsyncConnection
) -> None:
    msme = await make_msme(database, owner.id)

    response = await _upload(client, owner, msme.id, PDF + b"0" * (12 * 1024 * 1024))

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert await _count(db_connection) == 0


async def test_a_file_of_exactly_10_mb_is_accepted(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)
    data = PDF + b"0" * (10 * 1024 * 1024 - len(PDF))

    response = await _upload(client, owner, msme.id, data)

    assert response.status_code == 201
    assert response.json()["data"]["size"] == 10 * 1024 * 1024


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"kind": "passport"}, "kind"), ({}, "kind")],
)
async def test_an_unknown_or_missing_kind_is_422(
    client: httpx.AsyncClient,
    owner: Actor,
    database: Database,
    fields: dict[str, str],
    field: str,
) -> None:
    msme = await make_msme(database, owner.id)

    response = await client.post(
        _documents_url(msme.id),
        data=fields,
        files={"file": ("a.pdf", PDF, "application/pdf")},
        headers=owner.headers,
    )

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == field


async def test_a_missing_file_is_422(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)

    response = await client.post(
        _documents_url(msme.id), data={"kind": "other"}, headers=owner.headers
    )

    assert response.status_code == 422


async def test_strangers_cannot_upload(
    client: httpx.AsyncClient, owner: Actor, buyer: Actor, database: Database
) -> None:
    visible = await make_msme(database, owner.id)
    hidden = await make_msme(database, owner.id, verification_status="pending")

    forbidden = await _upload(client, buyer, visible.id)
    unseen = await _upload(client, buyer, hidden.id)
    unknown = await _upload(client, buyer, uuid.uuid4())

    assert (forbidden.status_code, unseen.status_code, unknown.status_code) == (403, 404, 404)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("gst.pdf", "gst.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\me\\GST Cert.PDF", "GST Cert.pdf"),
        ("invoice.exe", "invoice.exe.pdf"),
        ("", "document.pdf"),
        (None, "document.pdf"),
        ("..", "document.pdf"),
        ("प्रमाणपत्र.pdf", "प्रमाणपत्र.pdf"),
        ('a"b<c>;\r\n.pdf', "a_b_c_.pdf"),
        (".pdf", "pdf.pdf"),
    ],
)
def test_filenames_are_made_safe(raw: str | None, expected: str) -> None:
    assert safe_filename(raw, (".pdf",)) == expected


def test_a_hindi_filename_downloads_with_an_ascii_fallback_and_the_utf8_name() -> None:
    assert ascii_filename("जीएसटी प्रमाणपत्र.pdf") == "document.pdf"
    assert ascii_filename("GST प्रमाणपत्र.pdf") == "GST.pdf"


# --- listing and download -----------------------------------------------------------------------


async def test_owner_lists_and_downloads_a_document(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)
    uploaded = (await _upload(client, owner, msme.id)).json()["data"]

    listed = await client.get(_documents_url(msme.id), headers=owner.headers)
    download = await client.get(
        f"/api/v1/documents/{uploaded['id']}/download", headers=owner.headers
    )

    assert [item["id"] for item in listed.json()["data"]] == [uploaded["id"]]
    assert download.status_code == 200
    assert download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith(
        'attachment; filename="gst-certificate.pdf"'
    )


async def test_an_accepted_buyer_downloads_and_others_get_404(
    *,
    client: httpx.AsyncClient,
    owner: Actor,
    buyer: Actor,
    investor: Actor,
    admin: Actor,
    database: Database,
) -> None:
    msme = await make_msme(database, owner.id)
    listing = await make_listing(database, msme, anonymous=True)
    interest = await make_interest(database, listing, buyer.id, status="accepted")
    await make_interest(database, listing, investor.id, status="pending")
    deal = await make_deal(database, listing, interest)
    uploaded = (await _upload(client, owner, msme.id)).json()["data"]
    url = f"/api/v1/documents/{uploaded['id']}/download"

    before_nda = await client.get(url, headers=buyer.headers)
    await sign_nda(database, deal)
    accepted = await client.get(url, headers=buyer.headers)
    as_admin = await client.get(url, headers=admin.headers)
    pending = await client.get(url, headers=investor.headers)
    pending_list = await client.get(_documents_url(msme.id), headers=investor.headers)

    assert before_nda.json()["error"]["code"] == "NDA_NOT_SIGNED"
    assert (accepted.status_code, as_admin.status_code) == (200, 200)
    assert accepted.content == PDF
    assert (pending.status_code, pending_list.status_code) == (404, 404)
    assert pending.json()["error"]["code"] == "DOCUMENT_NOT_FOUND"


async def test_a_named_profiles_documents_stay_private_to_the_public(
    client: httpx.AsyncClient, owner: Actor, buyer: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)
    uploaded = (await _upload(client, owner, msme.id)).json()["data"]

    listed = await client.get(_documents_url(msme.id), headers=buyer.headers)
    download = await client.get(
        f"/api/v1/documents/{uploaded['id']}/download", headers=buyer.headers
    )
    unsigned = await client.get(f"/api/v1/documents/{uploaded['id']}/download")

    assert (listed.status_code, download.status_code, unsigned.status_code) == (404, 404, 401)


async def test_documents_of_a_deleted_profile_cannot_be_downloaded(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)
    uploaded = (await _upload(client, owner, msme.id)).json()["data"]
    await client.delete(f"{MSMES}/{msme.id}", headers=owner.headers)

    response = await client.get(
        f"/api/v1/documents/{uploaded['id']}/download", headers=owner.headers
    )

    assert response.status_code == 404


async def test_an_unknown_or_malformed_document_id(client: httpx.AsyncClient, owner: Actor) -> None:
    unknown = await client.get(f"/api/v1/documents/{uuid.uuid4()}/download", headers=owner.headers)
    malformed = await client.get("/api/v1/documents/xyz/download", headers=owner.headers)

    assert (unknown.status_code, malformed.status_code) == (404, 422)


async def test_a_document_whose_file_vanished_is_404(
    client: httpx.AsyncClient,
    owner: Actor,
    database: Database,
    db_connection: AsyncConnection,
    storage: LocalStorage,
) -> None:
    msme = await make_msme(database, owner.id)
    uploaded = (await _upload(client, owner, msme.id)).json()["data"]
    (key,) = await rows(db_connection, select(Document.storage_key))
    await storage.delete(key.storage_key)

    response = await client.get(
        f"/api/v1/documents/{uploaded['id']}/download", headers=owner.headers
    )

    assert response.status_code == 404
