"""Document schemas: what an upload records about a file."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class DocumentKind(StrEnum):
    GST_CERTIFICATE = "gst_certificate"
    UDYAM_CERTIFICATE = "udyam_certificate"
    PAN_CARD = "pan_card"
    FINANCIAL_STATEMENT = "financial_statement"
    ITR = "itr"
    OTHER = "other"


class DocumentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    msme_id: uuid.UUID
    kind: DocumentKind
    filename: str = Field(description="The uploaded name, made safe.", examples=["gst.pdf"])
    content_type: str = Field(
        description="Detected from the file's bytes: application/pdf, image/png or image/jpeg."
    )
    size: int = Field(description="Bytes.")
    sha256: str = Field(description="Hex SHA-256 of the bytes, to check a download.")
    created_at: datetime
