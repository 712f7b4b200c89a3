"""Document endpoints: upload (multipart), list, and download for those allowed to see them."""

from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Path, UploadFile
from fastapi.responses import Response

from msmebazaar.msme import documents, service
from msmebazaar.msme.dependencies import InsiderMsme, MsmeIdPath, SignedIn
from msmebazaar.msme.schemas.documents import DocumentKind, DocumentRead
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.pagination import PageDep, page_response
from msmebazaar.shared.responses import DataResponse, ListResponse, error_responses, ok
from msmebazaar.shared.runtime import RuntimeDep

router = APIRouter(tags=["msme"])


@router.post(
    "/msmes/{msme_id}/documents",
    status_code=201,
    response_model=DataResponse[DocumentRead],
    responses={
        200: {
            "description": "The same file (same SHA-256) was on the profile already: the "
            "existing document, nothing stored again.",
            "model": DataResponse[DocumentRead],
        },
        **error_responses(401, 403, 404, 409, 413, 415),
    },
)
async def upload_document(
    runtime: RuntimeDep,
    response: Response,
    *,
    msme_id: MsmeIdPath,
    user: SignedIn,
    kind: Annotated[DocumentKind, Form(description="What the document is.")],
    file: Annotated[UploadFile, File(description="PDF, PNG or JPEG, at most 10 MB.")],
) -> DataResponse[DocumentRead]:
    """Upload a document to a profile you own (PDF, PNG or JPEG, at most 10 MB; a profile
    holds at most 50 documents and 200 MB); a file already there is returned with 200."""
    # One byte past the limit is enough to know the file is too large.
    data = await file.read(documents.MAX_DOCUMENT_BYTES + 1)
    upload = documents.Upload(kind=kind, filename=file.filename, data=data)
    database, storage = runtime.database, runtime.storage
    stored = await service.store_owned_document(database, storage, user, msme_id, upload)
    if not stored.created:
        response.status_code = 200
        return ok(stored.document, "This file is on the profile already.")
    return ok(stored.document, "Document uploaded.")


@router.get(
    "/msmes/{msme_id}/documents",
    response_model=ListResponse[DocumentRead],
    responses=error_responses(401, 404),
)
async def list_documents(
    msme: InsiderMsme, session: SessionDep, page: PageDep
) -> ListResponse[DocumentRead]:
    """A profile's documents (owner, admins, and buyers whose deal is cleared)."""
    items, total = await documents.list_documents(session, msme.id, page)
    return page_response(items, total=total, params=page)


@router.get(
    "/documents/{document_id}/download",
    response_class=Response,
    responses={
        200: {
            "description": "The file, as an attachment.",
            "content": {"application/pdf": {}, "image/png": {}, "image/jpeg": {}},
        },
        **error_responses(401, 404, 409),
    },
)
async def download_document(
    *,
    document_id: Annotated[uuid.UUID, Path(description="The document's id.")],
    runtime: RuntimeDep,
    user: SignedIn,
) -> Response:
    """Download a document's file (owner, admins, and buyers whose deal is cleared: both sides
    accepted the NDA, or the listing needs none); a buyer's download is logged in the deal."""
    download = await service.download_document(runtime.database, runtime.storage, document_id, user)
    return attachment(download)


def attachment(download: documents.Download) -> Response:
    """A document's file as a download that no cache keeps."""
    fallback = documents.ascii_filename(download.filename)
    disposition = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(download.filename)}"
    )
    return Response(
        content=download.data,
        media_type=download.content_type,
        headers={"Content-Disposition": disposition, "Cache-Control": "private, no-store"},
    )
