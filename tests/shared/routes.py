"""Test-only routes that exercise the kernel: errors, validation, transactions and pagination."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from msmebazaar.shared import exceptions
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.pagination import PageDep, page_response, paginate
from msmebazaar.shared.responses import DataResponse, ListResponse, ok

notes_metadata = MetaData()
notes = Table(
    "test_notes",
    notes_metadata,
    Column("id", Integer, primary_key=True),
    Column("body", String(50), nullable=False, unique=True),
)

router = APIRouter(prefix="/test")


class Financials(BaseModel):
    revenue: int = Field(ge=0)


class Profile(BaseModel):
    name: str = Field(min_length=2)
    financials: list[Financials]


ERRORS: dict[str, exceptions.AppError] = {
    "not_found": exceptions.NotFoundError("No such MSME.", code="MSME_NOT_FOUND"),
    "conflict": exceptions.ConflictError("Stale.", code="VERSION_CONFLICT"),
    "forbidden": exceptions.PermissionDeniedError(),
    "unauthenticated": exceptions.AuthenticationError(),
    "rate_limited": exceptions.RateLimitedError(retry_after=42),
    "unavailable": exceptions.ExternalServiceError(),
    "rule": exceptions.ValidationError.for_field(
        "gstin", "The PAN inside the GSTIN differs.", code="GSTIN_PAN_MISMATCH"
    ),
}


@router.get("/errors/{kind}")
async def raise_error(kind: str) -> None:
    raise ERRORS[kind]


@router.get("/boom")
@router.post("/boom")
async def boom() -> None:
    raise RuntimeError("secret internals: +919876543210")


@router.get("/db-down")
async def db_down() -> None:
    raise OperationalError("SELECT 1", {}, ConnectionRefusedError("refused"))


@router.get("/race")
async def race() -> None:
    raise IntegrityError("INSERT", {}, ValueError("duplicate key"))


@router.post("/profiles", response_model=DataResponse[Profile])
async def create_profile(
    profile: Profile, limit: Annotated[int, Query(ge=1)] = 1
) -> DataResponse[Profile]:
    return ok(profile)


@router.post("/notes/{body}")
async def add_note(body: str, session: SessionDep, fail: bool = False) -> DataResponse[str]:
    await session.execute(insert(notes).values(body=body))
    await session.flush()
    if fail:
        raise exceptions.ConflictError("Changed my mind.")
    return ok(body)


@router.get("/notes", response_model=ListResponse[str])
async def list_notes(session: SessionDep, page: PageDep) -> ListResponse[str]:
    rows, total = await paginate(session, select(notes.c.body).order_by(notes.c.body), page)
    return page_response([str(row) for row in rows], total=total, params=page)


@router.post("/secrets")
async def issue_secret(response: Response) -> DataResponse[str]:
    response.headers["Cache-Control"] = "no-store"
    return ok(uuid.uuid4().hex)


@router.get("/things/{thing_id}")
async def thing(thing_id: int) -> DataResponse[int]:
    return ok(thing_id)
