"""Documents of a profile: checked uploads (size, real file type), listing and downloads.

The type is read from the file's first bytes, never from its name or the declared content type,
so a renamed executable is refused. Bytes go to the app's `Storage`; the row keeps the SHA-256.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.service import Principal
from msmebazaar.msme.exceptions import DocumentNotFoundError
from msmebazaar.msme.models import Document, Msme
from msmebazaar.msme.privacy import identity_visible, profile_visible
from msmebazaar.msme.schemas.documents import DocumentKind, DocumentRead
from msmebazaar.shared.db import utcnow
from msmebazaar.shared.exceptions import PayloadTooLargeError, UnsupportedMediaTypeError
from msmebazaar.shared.metrics import counter
from msmebazaar.shared.pagination import PageParams, paginate
from msmebazaar.shared.storage import Storage, StorageNotFoundError

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

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


async def upload_document(
    session: AsyncSession, storage: Storage, msme: Msme, uploader: Principal, upload: Upload
) -> DocumentRead:
    """Check and store a file for the profile; 413 above 10 MB, 415 unless PDF/PNG/JPEG."""
    if len(upload.data) > MAX_DOCUMENT_BYTES:
        raise PayloadTooLargeError("A document may be at most 10 MB.")
    content_type, extensions = detect_type(upload.data)
    document_id = uuid.uuid4()
    key = f"msmes/{msme.id}/{document_id}"
    document = Document(
        id=document_id,
        msme_id=msme.id,
        kind=upload.kind.value,
        filename=safe_filename(upload.filename, extensions),
        content_type=content_type,
        size=len(upload.data),
        sha256=hashlib.sha256(upload.data).hexdigest(),
        storage_key=key,
        uploaded_by=uploader.id,
        created_at=utcnow(),
    )
    await storage.put(key, upload.data, content_type)
    session.add(document)
    try:
        await session.flush()
    except Exception:
        await storage.delete(key)  # the row was refused: leave no orphan file behind
        raise
    DOCUMENTS_UPLOADED.labels(kind=upload.kind.value).inc()
    return DocumentRead.model_validate(document)


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


async def download_document(
    session: AsyncSession, storage: Storage, document_id: uuid.UUID, viewer: Principal
) -> Download:
    """A document's bytes for its profile's owner, admins and accepted buyers; 404 for others."""
    document = await session.get(Document, document_id)
    if document is None:
        raise DocumentNotFoundError()
    msme = await session.get(Msme, document.msme_id)
    if (
        msme is None
        or msme.deleted_at is not None
        or not await profile_visible(session, msme, viewer)
        or not await identity_visible(session, msme, viewer)
    ):
        raise DocumentNotFoundError()
    try:
        data = await storage.get(document.storage_key)
    except StorageNotFoundError as exc:
        raise DocumentNotFoundError("The file of this document is missing.") from exc
    return Download(document.filename, document.content_type, data)
