"""The portal keeps the API's limits (issue 18, findings 4 and 6): a profile's document limit
and space are refused in plain words (never a 500), an identical file is kept once, and claims
of another profile's GSTIN through the profile form are audited and limited per day."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import func, select

from msmebazaar.admin.models import AuditEntry
from msmebazaar.msme.conflicts import CONFLICTS_PER_DAY
from msmebazaar.msme.documents import MAX_DOCUMENTS_PER_PROFILE
from msmebazaar.msme.models import Document
from msmebazaar.shared.db import Database
from tests.auth.factories import make_user
from tests.msme.factories import make_documents, make_msme
from tests.web.helpers import submit, visible_text
from tests.web.test_owner import _create_profile, _profile_form

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def _documents(database: Database, msme_id: uuid.UUID) -> int:
    async with database.read_session() as session:
        statement = select(func.count()).select_from(Document).where(Document.msme_id == msme_id)
        return int(await session.scalar(statement) or 0)


async def test_a_document_past_the_profiles_limit_is_refused_in_plain_words(
    owner_browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _create_profile(owner_browser, database)
    await make_documents(database, msme, MAX_DOCUMENTS_PER_PROFILE)

    response = await submit(
        owner_browser,
        f"/my/businesses/{msme.id}/documents",
        {"kind": "gst_certificate"},
        files={"file": ("gst.pdf", PDF, "application/pdf")},
    )

    assert response.status_code == 303  # back to the business page, the refusal in words
    page = await owner_browser.get(response.headers["location"].split("#")[0])
    assert "This business already has 50 documents" in visible_text(page.text)
    assert await _documents(database, msme.id) == MAX_DOCUMENTS_PER_PROFILE


async def test_an_identical_file_is_kept_once_and_the_owner_is_told(
    owner_browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _create_profile(owner_browser, database)
    path = f"/my/businesses/{msme.id}/documents"
    files = {"file": ("gst.pdf", PDF, "application/pdf")}

    first = await submit(owner_browser, path, {"kind": "gst_certificate"}, files=files)
    again = await submit(owner_browser, path, {"kind": "gst_certificate"}, files=files)

    assert (first.status_code, again.status_code) == (303, 303)
    page = await owner_browser.get(again.headers["location"])
    assert "on the profile already" in visible_text(page.text)
    assert await _documents(database, msme.id) == 1


async def test_claims_of_another_profiles_gstin_in_the_form_are_audited_and_limited(
    owner_browser: httpx.AsyncClient, database: Database
) -> None:
    holder = await make_msme(database, (await make_user(database)).id)
    assert holder.gstin is not None
    assert holder.pan is not None
    claim = _profile_form(gstin=holder.gstin, pan=holder.pan)

    refused = [await submit(owner_browser, "/my/businesses/new", claim) for _ in range(5)]
    limited = await submit(owner_browser, "/my/businesses/new", claim)

    assert [response.status_code for response in refused] == [409] * CONFLICTS_PER_DAY
    assert "already on another business profile" in visible_text(refused[0].text)
    assert limited.status_code == 429
    assert "Too many tries" in visible_text(limited.text)
    async with database.read_session() as session:
        audited = await session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.action == "msme.identifier_conflict",
                AuditEntry.target_id == holder.id,
            )
        )
    assert audited == CONFLICTS_PER_DAY
