"""Documents of a profile: checked uploads (size, real file type, the profile's quota), listing
and downloads.

The type is read from the file's first bytes, never from its name or the declared content type,
so a renamed executable is refused. Bytes go to the app's `Storage`; the row keeps the SHA-256.
A profile holds at most `MAX_DOCUMENTS_PER_PROFILE` documents and `MAX_PROFILE_DOCUMENT_BYTES`
in all, and a file identical to one it holds (same SHA-256) is not stored again (DESIGN.md §3).
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.service import Principal
from msmebazaar.msme.exceptions import (
    DocumentLimitReachedError,
    DocumentNotFoundError,
    DocumentQuotaExceededError,
)
from msmebazaar.msme.models import Document, Msme
from msmebazaar.msme.schemas.documents import DocumentKind, DocumentRead
from msmebazaar.shared.db import utcnow
from msmebazaar.shared.exceptions import PayloadTooLargeError, UnsupportedMediaTypeError
from msmebazaar.shared.metrics import counter
from msmebazaar.shared.pagination import PageParams, paginate
from msmebazaar.shared.storage import Storage, StorageNotFoundError

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_DOCUMENTS_PER_PROFILE = 50
MAX_PROFILE_DOCUMENT_BYTES = 200 * 1024 * 1024

DOCUMENTS_UPLOADED = counter(
    "msme_documents_uploaded_total", "Documents uploaded to profiles, by kind.", ("kind",)
)

# (magic bytes at offset 0, content type, canonical extensions, the first one preferred)
_SIGNATURES: tuple[tuple[bytes, str, tuple[str, ...]], ...] = (
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
)
_MAX_FILENAME = 120


def detect_type(data: bytes) -> tuple[str, tuple[str, ...]]:
    """The content type and extensions that the file's magic bytes say; 415 for anything else."""
    for magic, content_type, extensions in _SIGNATURES:
        if data.startswith(magic):
            return content_type, extensions
    raise UnsupportedMediaTypeError("Only PDF, PNG and JPEG files are accepted.")


def _keep(char: str) -> bool:
    # Letters, marks and digits of any script (Hindi names stay readable), and a few separators.
    return char in "._- " or unicodedata.category(char)[0] in "LMN"


def safe_filename(raw: str | None, extensions: tuple[str, ...]) -> str:
    """A harmless display name: no folders, no control or special characters, a true extension."""
    name = PurePosixPath((raw or "").replace("\\", "/")).name
    name = unicodedata.normalize("NFC", name)
    name = re.sub(r"_+", "_", "".join(c if _keep(c) else "_" for c in name)).strip(" ._")
    stem, extension = os.path.splitext(name or "document")
    if extension.lower() in extensions and stem:
        return stem[:_MAX_FILENAME] + extension.lower()
    # Whatever the name claims, the bytes decide: "invoice.exe" holding a PDF is "invoice.exe.pdf".
    return (name or "document")[:_MAX_FILENAME] + extensions[0]


def ascii_filename(filename: str) -> str:
    """An ASCII stand-in for HTTP headers (`filename=`); `filename*=` carries the real name."""
    stem, extension = os.path.splitext(filename)
    ascii_stem = stem.encode("ascii", "ignore").decode().strip(" ._") or "document"
    return ascii_stem + extension


@dataclass(frozen=True, slots=True)
class Upload:
    kind: DocumentKind
    filename: str | None
    data: bytes


@dataclass(frozen=True, slots=True)
class Uploaded:
    """The document an upload left on the profile; `created` is False when the same file was
    there already (the existing document, nothing stored again)."""

    document: DocumentRead
    created: bool


def storage_key(msme_id: uuid.UUID, document_id: uuid.UUID) -> str:
    """Where a document's bytes are stored."""
    return f"msmes/{msme_id}/{document_id}"


async def _lock_profile(session: AsyncSession, msme_id: uuid.UUID) -> None:
    """Serialise uploads to one profile, so the quota holds however many arrive at once.

    PostgreSQL: a row lock on the profile (READ COMMITTED: each later statement sees what the
    uploads before ours committed). SQLite: every unit that may write already holds the one
    writer (`Database.session`), and FOR UPDATE does not exist there (SQLAlchemy omits it)."""
    await session.execute(select(Msme.id).where(Msme.id == msme_id).with_for_update())


async def _existing(session: AsyncSession, msme_id: uuid.UUID, sha256: str) -> Document | None:
    statement = (
        select(Document)
        .where(Document.msme_id == msme_id, Document.sha256 == sha256)
        .order_by(Document.created_at, Document.id)
        .limit(1)
    )
    return await session.scalar(statement)


async def _check_quota(session: AsyncSession, msme_id: uuid.UUID, size: int) -> None:
    """409 at `MAX_DOCUMENTS_PER_PROFILE` documents; 413 past `MAX_PROFILE_DOCUMENT_BYTES`."""
    count, used = (
        await session.execute(
            select(func.count(), func.coalesce(func.sum(Document.size), 0)).where(
                Document.msme_id == msme_id
            )
        )
    ).one()
    if count >= MAX_DOCUMENTS_PER_PROFILE:
        raise DocumentLimitReachedError(
            f"This profile already holds {MAX_DOCUMENTS_PER_PROFILE} documents, the most a "
            "profile may hold.",
            details={"limit": MAX_DOCUMENTS_PER_PROFILE, "count": count},
        )
    if used + size > MAX_PROFILE_DOCUMENT_BYTES:
        megabytes = MAX_PROFILE_DOCUMENT_BYTES // (1024 * 1024)
        raise DocumentQuotaExceededError(
            f"This file would take the profile's documents past {megabytes} MB in all, the "
            f"most a profile may store ({_megabytes(used)} MB are used).",
            details={"limit_bytes": MAX_PROFILE_DOCUMENT_BYTES, "used_bytes": int(used)},
        )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


async def upload_document(
    session: AsyncSession, storage: Storage, msme: Msme, uploader: Principal, upload: Upload
) -> Uploaded:
    """Check and store a file for the profile; 413 above 10 MB or past the profile's space,
    409 at its document limit, 415 unless PDF/PNG/JPEG; a file it holds already is returned."""
    if len(upload.data) > MAX_DOCUMENT_BYTES:
        raise PayloadTooLargeError("A document may be at most 10 MB.")
    content_type, extensions = detect_type(upload.data)
    sha256 = hashlib.sha256(upload.data).hexdigest()
    await _lock_profile(session, msme.id)
    existing = await _existing(session, msme.id, sha256)
    if existing is not None:
        return Uploaded(DocumentRead.model_validate(existing), created=False)
    await _check_quota(session, msme.id, len(upload.data))
    document_id = uuid.uuid4()
    key = storage_key(msme.id, document_id)
    document = Document(
        id=document_id,
        msme_id=msme.id,
        kind=upload.kind.value,
        filename=safe_filename(upload.filename, extensions),
        content_type=content_type,
        size=len(upload.data),
        sha256=sha256,
        storage_key=key,
        uploaded_by=uploader.id,
        created_at=utcnow(),
    )
    await storage.put(key, upload.data, content_type)
    session.add(document)
    try:
        await session.flush()
    except BaseException:
        await storage.delete(key)  # the row was refused: leave no orphan file behind
        raise
    DOCUMENTS_UPLOADED.labels(kind=upload.kind.value).inc()
    return Uploaded(DocumentRead.model_validate(document), created=True)


async def list_documents(
    session: AsyncSession, msme_id: uuid.UUID, params: PageParams
) -> tuple[list[DocumentRead], int]:
    """A profile's documents, newest first."""
    statement = (
        select(Document)
        .where(Document.msme_id == msme_id)
        .order_by(Document.created_at.desc(), Document.id)
    )
    rows, total = await paginate(session, statement, params)
    return [DocumentRead.model_validate(row) for row in rows], total


@dataclass(frozen=True, slots=True)
class Download:
    filename: str
    content_type: str
    data: bytes


async def read_document_file(storage: Storage, document: Document) -> Download:
    """A document's bytes from storage (no permission check: callers apply the rules)."""
    try:
        data = await storage.get(document.storage_key)
    except StorageNotFoundError as exc:
        raise DocumentNotFoundError("The file of this document is missing.") from exc
    return Download(document.filename, document.content_type, data)
