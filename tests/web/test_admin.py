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


async def test_the_overview_draws_signups_the_funnels_and_deal_flow(
    admin_browser: httpx.AsyncClient, database: Database
) -> None:
    owner = await make_user(database)
    msme = await make_msme(database, owner.id)
    await make_listing(database, msme, asking_price=25 * 10**7)

    page = await admin_browser.get("/admin")

    assert page.status_code == 200
    assert page.text.count('<svg class="chart"') == 4
    text = visible_text(page.text)
    assert "Signups per day" in text
    assert "Seller funnel" in text
    assert "Deal funnel" in text
    assert "₹25 Cr" in text


async def test_the_admin_pages_are_for_admins_only(owner_browser: httpx.AsyncClient) -> None:
    for path in ("/admin", "/admin/verifications", "/admin/listings", "/admin/users"):
        assert (await owner_browser.get(path)).status_code == 403


async def test_the_admin_menu_holds_only_admin_links(admin_browser: httpx.AsyncClient) -> None:
    page = await admin_browser.get("/admin")

    for link in ("/my/businesses", "/my/listings", "/my/interests", "/buyer/mandates"):
        assert f'href="{link}"' not in page.text, link
    assert 'href="/admin/users"' in page.text


async def test_the_user_filter_is_labelled_role(admin_browser: httpx.AsyncClient) -> None:
    page = await admin_browser.get("/admin/users")

    assert "I am a" not in page.text
    assert ">Role</label>" in page.text


async def _in_hindi(browser: httpx.AsyncClient) -> None:
    assert (await submit(browser, "/language", {"language": "hi"})).status_code == 303


async def test_the_queue_prints_the_businesss_udyam_number_not_its_pattern(
    admin_browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _pending_profile(database)
    assert msme.udyam_number

    text = visible_text((await admin_browser.get("/admin/verifications")).text)

    assert f"{msme.udyam_number}: the format is right" in text
    assert "UDYAM-XX-00-0000000" not in text


async def test_deal_flow_without_live_listings_says_so_instead_of_an_empty_chart(
    admin_browser: httpx.AsyncClient,
) -> None:
    page = await admin_browser.get("/admin")

    assert 'data-testid="deal-flow-empty"' in page.text
    assert "No live listings yet" in visible_text(page.text)
    assert page.text.count('<svg class="chart"') == 3


async def test_a_hindi_overview_reads_in_hindi_cohort_and_crore_labels_alike(
    admin_browser: httpx.AsyncClient, database: Database
) -> None:
    owner = await make_user(database)
    msme = await make_msme(database, owner.id)
    await make_listing(database, msme, asking_price=48 * 10**6)
    await _in_hindi(admin_browser)

    page = await admin_browser.get("/admin")

    text = visible_text(page.text)
    assert "समूह: इस अवधि में साइन अप करने वाले व्यवसाय मालिक" in text
    assert "Cohort" not in text
    assert "₹4.8 करोड़" in page.text
    assert " Cr<" not in page.text
    assert " Cr " not in text


async def test_state_names_read_in_hindi_on_a_hindi_page(
    admin_browser: httpx.AsyncClient, database: Database
) -> None:
    owner = await make_user(database)
    await make_msme(database, owner.id, verification_status="pending", state="Maharashtra")
    await _in_hindi(admin_browser)

    text = visible_text((await admin_browser.get("/admin/verifications")).text)

    assert "महाराष्ट्र · " in text  # the profile's line; stored names stay English


async def test_the_audit_log_page_shows_a_decision_made_on_the_queue(
    admin_browser: httpx.AsyncClient, database: Database
) -> None:
    msme = await _pending_profile(database)
    await submit(admin_browser, f"/admin/verifications/{msme.id}", {"decision": "approve"})

    page = await admin_browser.get("/admin/audit-log")
    only_it = await admin_browser.get(f"/admin/audit-log?target={msme.id}")
    none = await admin_browser.get("/admin/audit-log?action=data.exported")

    assert page.status_code == 200
    assert 'href="/admin/audit-log" aria-current="page"' in page.text
    assert "Profile verification decided" in visible_text(page.text)
    assert only_it.text.count('data-testid="audit-entry"') == 1
    assert "No audit entry matches." in visible_text(none.text)


async def test_the_overview_links_csv_exports_that_download_and_are_audited(
    admin_browser: httpx.AsyncClient, database: Database
) -> None:
    await make_user(database, name="Exported Person")
    page = await admin_browser.get("/admin")
    for dataset in ("listings", "users", "interests"):
        assert f'href="/admin/exports/{dataset}.csv"' in page.text

    download = await admin_browser.get("/admin/exports/users.csv")
    log = await admin_browser.get("/admin/audit-log?action=data.exported")

    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert "Exported Person" in download.text
    assert log.text.count('data-testid="audit-entry"') == 1
    assert (await admin_browser.get("/admin/exports/secrets.csv")).status_code == 404
