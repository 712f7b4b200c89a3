"""The analytics overview on a seeded marketplace whose true figures each test computes itself,
the period's rules, and the CSV exports."""

from __future__ import annotations

import csv
import io
import uuid
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.auth.models import User
from msmebazaar.msme.models import Deal, Listing, NdaAcceptance, Offer
from msmebazaar.shared.db import Database
from tests.admin.factories import FIRST, LAST, Seeded, ist_day, ist_instant, seed_marketplace
from tests.admin.helpers import ADMIN, admin_actions, audit_rows
from tests.auth.factories import Actor, make_user, new_phone
from tests.match.factories import MANDATES, MATCHES, active_listing, mandate_payload
from tests.msme.factories import make_deal_room

OVERVIEW = f"{ADMIN}/analytics/overview"
EXPORT = f"{ADMIN}/analytics/export"
PERIOD = {"from": FIRST.isoformat(), "to": LAST.isoformat()}


def _in_period(instant: Any) -> bool:
    return instant is not None and FIRST <= ist_day(instant) <= LAST


def _true_funnel(seeded: Seeded) -> dict[str, int]:
    """The funnel by its definition, from the seeded facts alone."""
    cohort = [u for u in seeded.users if u.role == "msme_owner" and _in_period(u.created_at)]
    live = [p for p in seeded.profiles if p.deleted_at is None]
    accepted_listings = {i.listing_id for i in seeded.interests if i.status == "accepted"}
    reached = {
        u.id: [
            any(p.owner_id == u.id for p in live),
            any(p.owner_id == u.id and p.verification_status == "verified" for p in live),
            any(x.owner_id == u.id and x.published_at for x in seeded.listings),
            any(x.owner_id == u.id and x.id in accepted_listings for x in seeded.listings),
        ]
        for u in cohort
    }
    names = ["created_profile", "verified", "listed", "interest_accepted"]
    counts = {"signed_up": len(cohort)}
    for k, name in enumerate(names):
        counts[name] = sum(all(flags[: k + 1]) for flags in reached.values())
    return counts


async def _overview(client: httpx.AsyncClient, admin: Actor) -> dict[str, Any]:
    response = await client.get(OVERVIEW, params=PERIOD, headers=admin.headers)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


# 0: PostgreSQL joins each stage's owners; the default: it probes per user (SQLite always does).
@pytest.mark.parametrize("probe_limit", [0, 20_000])
async def test_funnel_counts_each_stage_within_the_last_on_a_seeded_marketplace(
    client: httpx.AsyncClient,
    database: Database,
    admin: Actor,
    monkeypatch: pytest.MonkeyPatch,
    probe_limit: int,
) -> None:
    monkeypatch.setattr("msmebazaar.msme.stats.PROBE_COHORT_LIMIT", probe_limit)
    seeded = await seed_marketplace(database)
    truth = _true_funnel(seeded)
    # The seed must exercise every stage, and the cumulative rule must matter.
    assert truth["signed_up"] > truth["created_profile"] > truth["verified"] > 0
    assert truth["listed"] > truth["interest_accepted"] > 0
    owners_of_published = {x.owner_id for x in seeded.listings if x.published_at}
    assert len(owners_of_published) > truth["listed"]

    funnel = (await _overview(client, admin))["funnel"]

    assert {key: funnel[key] for key in truth} == truth
    assert "Each stage" in funnel["definition"]


async def test_the_seller_funnel_counts_only_business_owners_as_sign_ups(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    signed_up = ist_instant(FIRST + timedelta(days=2), 600)
    async with database.session() as session:
        for role in ("msme_owner", "msme_owner", "buyer", "investor", "admin"):
            session.add(User(id=uuid.uuid4(), phone=new_phone(), role=role, status="active",
                             language="en", created_at=signed_up))  # fmt: skip

    data = await _overview(client, admin)

    # Five sign-ups in the period, but only the two owners can sell.
    assert data["users"]["signups"] == 5
    assert data["funnel"]["signed_up"] == 2
    assert "msme_owner" in data["funnel"]["definition"]


async def test_user_figures_count_roles_statuses_and_signups_per_india_day(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    seeded = await seed_marketplace(database)
    everyone = [*seeded.users]
    roles = Counter(u.role for u in everyone) + Counter({"admin": 1})  # the signed-in admin
    statuses = Counter(u.status for u in everyone) + Counter({"active": 1})
    per_day = Counter(ist_day(u.created_at) for u in everyone if _in_period(u.created_at))

    users = (await _overview(client, admin))["users"]

    assert users["by_role"] == dict(roles)
    assert users["by_status"] == dict(statuses)
    assert users["total"] == len(everyone) + 1
    days = [FIRST + timedelta(days=n) for n in range((LAST - FIRST).days + 1)]
    assert users["signups_per_day"] == [
        {"date": day.isoformat(), "count": per_day.get(day, 0)} for day in days
    ]
    assert users["signups"] == sum(per_day.values())


async def test_profile_listing_and_deal_flow_figures_match_the_seeded_facts(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    seeded = await seed_marketplace(database)
    live = [p for p in seeded.profiles if p.deleted_at is None]
    public = [x for x in seeded.listings if x.status == "active" and not x.owner_suspended]
    value = sum(x.asking_price for x in public)
    assert any(x.owner_suspended for x in seeded.listings)

    data = await _overview(client, admin)

    profiles, listings, flow = data["profiles"], data["listings"], data["deal_flow"]
    assert profiles["total"] == len(live)
    assert profiles["by_status"] == dict(Counter(p.verification_status for p in live))
    assert profiles["by_sector"] == dict(Counter(p.sector for p in live))
    assert profiles["by_state"] == dict(Counter(p.state for p in live))
    assert profiles["verification_queue"] == sum(p.verification_status == "pending" for p in live)
    assert listings["by_status"] == dict(Counter(x.status for x in seeded.listings))
    assert listings["by_deal_type"] == dict(Counter(x.deal_type for x in seeded.listings))
    assert listings["hidden"] == sum(x.owner_suspended for x in seeded.listings)
    assert flow["active_listings"] == len(public)
    assert flow["asking_value"] == value
    assert flow["asking_value_crore"] == round(value / 10_000_000, 2)
    assert flow["asking_value_text"].startswith("₹")
    assert flow["by_deal_type"] == {
        deal: {
            "count": sum(x.deal_type == deal for x in public),
            "asking_value": sum(x.asking_price for x in public if x.deal_type == deal),
        }
        for deal in {x.deal_type for x in public}
    }


async def test_period_figures_count_interests_valuations_mandates_and_matches_served(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    seeded = await seed_marketplace(database)
    accepted = [i for i in seeded.interests if i.status == "accepted"]

    data = await _overview(client, admin)

    assert data["period"] == {**PERIOD, "timezone": "Asia/Kolkata"}
    assert data["interests"] == {
        "sent": sum(_in_period(i.created_at) for i in seeded.interests),
        "accepted": sum(_in_period(i.decided_at) for i in accepted),
        "sent_total": len(seeded.interests),
        "accepted_total": len(accepted),
    }
    assert data["valuations"] == {
        "total": len(seeded.valuations),
        "in_period": sum(_in_period(v.created_at) for v in seeded.valuations),
        "profiles_valued": len({v.msme_id for v in seeded.valuations} - {None}),
    }
    assert data["mandates"] == {"total": 4, "active": 3}
    assert data["matches_served"] == {
        "requests": 9,
        "matches": 45,
        "requests_by_direction": {"mandate": 5, "listing": 4},
        "matches_by_direction": {"mandate": 36, "listing": 9},
    }


async def test_a_signup_late_at_night_in_india_counts_on_that_india_day(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    user = await make_user(database)
    late = ist_instant(FIRST, 23 * 60 + 50)  # 23:50 IST is 18:20 UTC the same day
    early = ist_instant(FIRST + timedelta(days=1), 10)  # 00:10 IST is 18:40 UTC the day before
    async with database.session() as session:
        stored = await session.get(type(user), user.id)
        assert stored is not None
        stored.created_at = late
        session.add(type(user)(id=uuid.uuid4(), phone="+919700000001", role="buyer",
                               status="active", language="en", created_at=early))  # fmt: skip

    users = (await _overview(client, admin))["users"]

    by_day = {item["date"]: item["count"] for item in users["signups_per_day"]}
    assert by_day[FIRST.isoformat()] == 1
    assert by_day[(FIRST + timedelta(days=1)).isoformat()] == 1


async def test_the_period_defaults_to_the_last_30_days(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    response = await client.get(OVERVIEW, headers=admin.headers)

    assert response.status_code == 200
    data = response.json()["data"]
    assert len(data["users"]["signups_per_day"]) == 30
    assert data["period"]["to"] == data["users"]["signups_per_day"][-1]["date"]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"from": "2026-03-10", "to": "2026-03-01"}, "INVALID_DATE_RANGE"),
        ({"from": "2024-01-01", "to": "2026-03-01"}, "DATE_RANGE_TOO_LONG"),
        ({"from": "yesterday"}, "VALIDATION_ERROR"),
        ({"to": "2026-02-30"}, "VALIDATION_ERROR"),
    ],
)
async def test_bad_periods_are_422(
    client: httpx.AsyncClient, admin: Actor, params: dict[str, str], code: str
) -> None:
    response = await client.get(OVERVIEW, params=params, headers=admin.headers)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == code


# --- exports --------------------------------------------------------------------------------


async def _export(client: httpx.AsyncClient, admin: Actor, dataset: str) -> list[dict[str, str]]:
    async with client.stream(
        "GET", EXPORT, params={"dataset": dataset, "format": "csv"}, headers=admin.headers
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        assert f"msmebazaar-{dataset}-" in response.headers["content-disposition"]
        text = "".join([chunk async for chunk in response.aiter_text()])
    return list(csv.DictReader(io.StringIO(text)))


async def test_export_streams_every_listing_across_internal_pages(
    client: httpx.AsyncClient,
    database: Database,
    admin: Actor,
    db_connection: AsyncConnection,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seeded = await seed_marketplace(database)
    monkeypatch.setattr("msmebazaar.admin.analytics.export.BATCH", 7)
    before = admin_actions("data.exported")

    rows = await _export(client, admin, "listings")

    assert len(rows) == len(seeded.listings) > 7
    assert {row["id"] for row in rows} == {str(x.id) for x in seeded.listings}
    first = next(x for x in seeded.listings if str(x.id) == rows[0]["id"])
    assert rows[0]["asking_price"] == str(first.asking_price)
    assert rows[0]["owner_suspended"] == str(first.owner_suspended)
    assert admin_actions("data.exported") == before + 1


async def test_export_of_users_neutralises_spreadsheet_formulas(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    user = await make_user(database, name='=HYPERLINK("http://evil")')

    rows = await _export(client, admin, "users")

    row = next(r for r in rows if r["id"] == str(user.id))
    assert row["name"] == '\'=HYPERLINK("http://evil")'
    assert row["phone"] == user.phone


async def test_export_of_interests_is_audited(
    client: httpx.AsyncClient, database: Database, admin: Actor, db_connection: AsyncConnection
) -> None:
    seeded = await seed_marketplace(database)

    rows = await _export(client, admin, "interests")

    assert {row["id"] for row in rows} == {str(i.id) for i in seeded.interests}
    assert set(rows[0]) == {"id", "listing_id", "buyer_id", "status", "created_at", "decided_at"}
    exported = [r for r in await audit_rows(db_connection, None) if r.action == "data.exported"]
    assert [r.after for r in exported] == [{"dataset": "interests", "format": "csv"}]


@pytest.mark.parametrize(
    "params", [{"dataset": "payments"}, {"dataset": "users", "format": "xlsx"}, {}]
)
async def test_bad_export_requests_are_422(
    client: httpx.AsyncClient, admin: Actor, params: dict[str, str]
) -> None:
    response = await client.get(EXPORT, params=params, headers=admin.headers)

    assert response.status_code == 422


async def test_match_rankings_served_are_counted_for_the_overview(
    client: httpx.AsyncClient, database: Database, admin: Actor, buyer: Actor, owner: Actor
) -> None:
    listing = await active_listing(database, owner.id)
    hidden = await active_listing(database, owner.id, headline="Another snacks maker for sale")
    async with database.session() as session:
        await session.execute(
            update(Listing).where(Listing.id == hidden.id).values(owner_suspended=True)
        )
    created = await client.post(MANDATES, json=mandate_payload(), headers=buyer.headers)
    mandate_id = created.json()["data"]["id"]

    ranked = await client.get(f"{MATCHES}/mandates/{mandate_id}", headers=buyer.headers)
    again = await client.get(f"{MATCHES}/mandates/{mandate_id}", headers=buyer.headers)
    seller = await client.get(f"{MATCHES}/listings/{listing.id}", headers=owner.headers)

    assert [m["listing"]["id"] for m in ranked.json()["data"]] == [str(listing.id)]
    assert again.status_code == seller.status_code == 200
    await database.flush_counts()  # the app does this every second, off the request
    served = (await client.get(OVERVIEW, headers=admin.headers)).json()["data"]["matches_served"]
    assert served["requests_by_direction"] == {"mandate": 2, "listing": 1}
    assert served["matches_by_direction"] == {
        "mandate": 2,
        "listing": len(seller.json()["data"]),
    }


async def test_the_overview_is_kept_a_minute_unless_asked_fresh(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    first = (await client.get(OVERVIEW, params=PERIOD, headers=admin.headers)).json()["data"]
    await make_user(database, role="investor")

    kept = (await client.get(OVERVIEW, params=PERIOD, headers=admin.headers)).json()["data"]
    fresh = await client.get(OVERVIEW, params=PERIOD | {"fresh": "true"}, headers=admin.headers)

    assert kept == first
    assert fresh.json()["data"]["users"]["total"] == first["users"]["total"] + 1
    assert fresh.json()["data"]["generated_at"] > first["generated_at"]
    again = (await client.get(OVERVIEW, params=PERIOD, headers=admin.headers)).json()["data"]
    assert again == fresh.json()["data"]


async def _dated_deal(
    database: Database,
    opened: datetime,
    *,
    stage: str,
    nda_after: timedelta | None = None,
    one_nda: bool = False,
    offer_after: timedelta | None = None,
    closed_after: timedelta | None = None,
) -> None:
    """A deal opened at `opened`, whose steps came the given times after (NDA after opening,
    offer after the NDA, closing after opening)."""
    owner, buyer = await make_user(database), await make_user(database, role="buyer")
    deal = await make_deal_room(database, owner.id, buyer.id)
    changed = opened + closed_after if closed_after else opened
    async with database.session() as session:
        await session.execute(
            update(Deal)
            .where(Deal.id == deal.id)
            .values(created_at=opened, stage=stage, stage_changed_at=changed)
        )
        if nda_after is None:
            return
        for user_id in [owner.id] if one_nda else [owner.id, buyer.id]:
            session.add(NdaAcceptance(id=uuid.uuid4(), deal_id=deal.id, user_id=user_id,
                                      version="v", language="en", text_sha256="h",
                                      accepted_at=opened + nda_after))  # fmt: skip
        if offer_after:
            decided = opened + nda_after + offer_after
            session.add(Offer(id=uuid.uuid4(), deal_id=deal.id, author_id=buyer.id, side="buyer",
                              amount=1, terms="t", valid_until=decided, status="accepted",
                              created_at=decided, decided_at=decided))  # fmt: skip


async def test_the_deal_funnel_follows_the_periods_deals_through_each_step(
    client: httpx.AsyncClient, database: Database, admin: Actor
) -> None:
    day = timedelta(days=1)
    opened = ist_instant(FIRST + day, 600)
    await _dated_deal(database, opened, stage="closed_won", nda_after=2 * day,
                      offer_after=3 * day, closed_after=10 * day)  # fmt: skip
    await _dated_deal(database, opened, stage="nda_signed", nda_after=4 * day)
    await _dated_deal(database, opened, stage="closed_lost", closed_after=6 * day)
    await _dated_deal(database, opened, stage="introduced", nda_after=day, one_nda=True)
    await _dated_deal(database, ist_instant(FIRST - 3 * day, 600), stage="closed_won",
                      closed_after=day)  # before the period  # fmt: skip

    deals = (await _overview(client, admin))["deals"]

    assert {key: value for key, value in deals.items() if key != "definition"} == {
        "opened": 4,
        "nda_signed": 2,
        "offer_accepted": 1,
        "won": 1,
        "lost": 1,
        "median_days_to_nda": 3.0,  # 2 and 4 days
        "median_days_to_offer": 3.0,
        "median_days_to_close": 8.0,  # 10 and 6 days
    }
