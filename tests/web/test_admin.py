"""Admin pages: verification with checks and documents side by side, moderation, users and the
analytics overview; every decision through the admin service."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from msmebazaar.auth.models import User
from msmebazaar.msme.models import Listing, Msme
from msmebazaar.shared.db import Database
from tests.auth.factories import make_user
from tests.msme.factories import make_listing, make_msme
from tests.web.helpers import submit, visible_text


async def _pending_profile(database: Database) -> Msme:
    owner = await make_user(database, name="Ramesh Gupta")
    return await make_msme(
        database, owner.id, verification_status="pending", legal_name="Zenith Spices Pvt Ltd"
    )


async def test_the_queue_shows_each_profiles_checks_beside_its_documents(
    admin_browser: httpx.AsyncClient, database: Database
) -> None:
    await _pending_profile(database)

    page = await admin_browser.get("/admin/verifications")

    assert page.status_code == 200
    text = visible_text(page.text)
    assert "Zenith Spices Pvt Ltd" in text
    assert "GSTIN check character" in text
    assert "Passed" in text
    assert 'class="side-by-side"' in page.text


async def test_approving_a_profile_verifies_it(
    admin_browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _pending_profile(database)

    response = await submit(
        admin_browser, f"/admin/verifications/{msme.id}", {"decision": "approve"}
    )

    assert response.status_code == 303
    async with database.session() as session:
        stored = await session.get(Msme, msme.id)
    assert stored is not None
    assert stored.verification_status == "verified"


async def test_rejecting_without_a_reason_is_refused_and_nothing_changes(
    admin_browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _pending_profile(database)

    response = await submit(
        admin_browser, f"/admin/verifications/{msme.id}", {"decision": "reject", "reason": ""}
    )

    assert response.status_code == 422
    async with database.session() as session:
        stored = await session.get(Msme, msme.id)
    assert stored is not None
    assert stored.verification_status == "pending"


async def test_moderation_approves_and_rejects_submitted_listings_with_reasons(
    admin_browser: httpx.AsyncClient, database: Database
) -> None:
    owner = await make_user(database)
    msme = await make_msme(database, owner.id)
    good = await make_listing(database, msme, status="submitted", headline="Good listing here")
    bad = await make_listing(database, msme, status="submitted", headline="Listing to reject")
    page = await admin_browser.get("/admin/listings")
    assert "Good listing here" in visible_text(page.text)

    approved = await submit(admin_browser, f"/admin/listings/{good.id}", {"decision": "approve"})
    rejected = await submit(
        admin_browser,
        f"/admin/listings/{bad.id}",
        {"decision": "reject", "reason": "Add the last two years of figures."},
    )

    assert (approved.status_code, rejected.status_code) == (303, 303)
    async with database.session() as session:
        good_row, bad_row = await session.get(Listing, good.id), await session.get(Listing, bad.id)
    assert good_row is not None
    assert good_row.status == "active"
    assert bad_row is not None
    assert bad_row.status == "rejected"
    assert bad_row.rejection_reason == "Add the last two years of figures."


async def test_suspending_a_user_ends_their_web_session(
    admin_browser: httpx.AsyncClient, owner_browser: httpx.AsyncClient, database: Database
) -> None:
    async with database.session() as session:
        owner = await session.scalar(select(User).where(User.role == "msme_owner"))
    assert owner is not None
    assert (await owner_browser.get("/my/businesses")).status_code == 200

    response = await submit(
        admin_browser,
        f"/admin/users/{owner.id}",
        {"status": "suspended", "role": "msme_owner", "reason": "Fraud report"},
    )

    assert response.status_code == 303
    assert (await owner_browser.get("/my/businesses")).status_code == 303


async def test_users_can_be_found_by_name(
    admin_browser: httpx.AsyncClient, database: Database
) -> None:
    await make_user(database, name="Kavita Rao")

    page = await admin_browser.get("/admin/users", params={"q": "Kavita"})

    assert "Kavita Rao" in visible_text(page.text)


async def test_an_admin_cannot_suspend_themself(
    admin_browser: httpx.AsyncClient, database: Database
) -> None:
    async with database.session() as session:
        admin = await session.scalar(select(User).where(User.role == "admin"))
    assert admin is not None

    response = await submit(
        admin_browser, f"/admin/users/{admin.id}", {"status": "suspended", "role": "admin"}
    )

    assert response.status_code == 422
    assert "You cannot suspend yourself" in visible_text(response.text)


async def test_the_overview_draws_signups_the_funnel_and_deal_flow(
    admin_browser: httpx.AsyncClient, database: Database
) -> None:
    owner = await make_user(database)
    msme = await make_msme(database, owner.id)
    await make_listing(database, msme, asking_price=25 * 10**7)

    page = await admin_browser.get("/admin")

    assert page.status_code == 200
    assert page.text.count('<svg class="chart"') == 3
    text = visible_text(page.text)
    assert "Signups per day" in text
    assert "Seller funnel" in text
    assert "₹25.0 Cr" in text


async def test_the_admin_pages_are_for_admins_only(owner_browser: httpx.AsyncClient) -> None:
    for path in ("/admin", "/admin/verifications", "/admin/listings", "/admin/users"):
        assert (await owner_browser.get(path)).status_code == 403
