"""POST/GET /valuations, GET /msmes/{id}/valuations, GET /valuations/sectors."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.msme.service import SECTORS
from msmebazaar.shared.db import Database
from msmebazaar.valuation.data import current_version
from msmebazaar.valuation.models import Valuation
from tests.auth.factories import Actor
from tests.msme.factories import MSMES, make_interest, make_listing, make_msme
from tests.valuation.factories import VALUATIONS, ad_hoc_payload, profile_with_years, year_payload


async def _stored(connection: AsyncConnection) -> Any:
    """The one stored valuation row (columns by name)."""
    return (await connection.execute(select(*Valuation.__table__.c))).one()


async def _count_valuations(database: Database) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(Valuation)) or 0)


async def _count(connection: AsyncConnection) -> int:
    return int(await connection.scalar(select(func.count()).select_from(Valuation)) or 0)


async def test_ad_hoc_valuation_is_created_and_stored_without_a_business(
    client: httpx.AsyncClient, buyer: Actor, db_connection: AsyncConnection
) -> None:
    response = await client.post(VALUATIONS, json=ad_hoc_payload(), headers=buyer.headers)

    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert data["msme_id"] is None
    assert data["currency"] == "INR"
    assert 0 < data["low"] <= data["base"] <= data["high"]
    assert 0 <= data["confidence"] <= 1
    assert {m["method"] for m in data["methods"]} == {
        "ebitda_multiple",
        "revenue_multiple",
        "dcf",
        "net_assets",
    }
    assert abs(sum(m["weight"] for m in data["methods"]) - 1) < 1e-9
    assert all(m["explanation"] for m in data["methods"])
    assert any("Damodaran" in text for text in data["assumptions"])
    assert data["data_version"] == current_version()
    assert data["market_evidence"]["basis"] == "sde"  # ₹1.2 crore EBITDA + owner's salary
    assert any("usually sell for" in text for text in data["assumptions"])
    stored = await _stored(db_connection)
    assert (stored.msme_id, stored.created_by, stored.base) == (None, buyer.id, data["base"])
    assert stored.inputs["sector"] == "food_processing"


async def test_ad_hoc_valuation_needs_a_signed_in_caller(client: httpx.AsyncClient) -> None:
    response = await client.post(VALUATIONS, json=ad_hoc_payload())

    assert response.status_code == 401


async def test_texts_come_in_the_callers_saved_language(
    client: httpx.AsyncClient, buyer: Actor
) -> None:
    changed = await client.patch("/api/v1/auth/me", json={"language": "hi"}, headers=buyer.headers)
    assert changed.status_code == 200, changed.text

    response = await client.post(VALUATIONS, json=ad_hoc_payload(), headers=buyer.headers)

    data = response.json()["data"]
    assert any("डामोदरन" in text for text in data["assumptions"])
    assert "उद्यम मूल्य" in data["methods"][0]["explanation"]
    english = await client.get(
        f"{VALUATIONS}/{data['id']}", headers=buyer.headers | {"Accept-Language": "en"}
    )
    assert english.json()["data"]["assumptions"] == data["assumptions"]  # saved language wins


async def test_unknown_sector_is_422_and_nothing_is_stored(
    client: httpx.AsyncClient, buyer: Actor, db_connection: AsyncConnection
) -> None:
    response = await client.post(
        VALUATIONS, json=ad_hoc_payload(sector="space_mining"), headers=buyer.headers
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "SECTOR_UNKNOWN"
    assert response.json()["error"]["details"][0]["field"] == "sector"
    assert await _count(db_connection) == 0


async def test_revenue_above_ten_thousand_crore_is_422_naming_the_field(
    client: httpx.AsyncClient, buyer: Actor
) -> None:
    body = ad_hoc_payload(financials=[year_payload(revenue=10_001 * 10**7)])

    response = await client.post(VALUATIONS, json=body, headers=buyer.headers)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "REVENUE_TOO_LARGE"
    assert error["details"][0]["field"] == "financials.0.revenue"


async def test_ad_hoc_without_financials_is_422_naming_what_is_needed(
    client: httpx.AsyncClient, buyer: Actor
) -> None:
    response = await client.post(
        VALUATIONS, json={"sector": "food_processing"}, headers=buyer.headers
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "FINANCIALS_REQUIRED"
    assert response.json()["error"]["details"][0]["field"] == "financials"


async def test_revenue_only_is_valued_with_lower_confidence(
    client: httpx.AsyncClient, buyer: Actor
) -> None:
    full = await client.post(VALUATIONS, json=ad_hoc_payload(), headers=buyer.headers)
    thin_body = ad_hoc_payload(
        financials=[{"fiscal_year": "2024-25", "revenue": 8_00_00_000, "ebitda": 1_20_00_000}]
    )
    thin = await client.post(VALUATIONS, json=thin_body, headers=buyer.headers)

    assert thin.status_code == 201
    full_data, thin_data = full.json()["data"], thin.json()["data"]
    assert thin_data["confidence"] < full_data["confidence"]
    assert thin_data["range_spread"] > full_data["range_spread"]
    assert any("taken as zero" in text for text in thin_data["assumptions"])


async def test_negative_ebitda_skips_ebitda_and_dcf_and_says_so(
    client: httpx.AsyncClient, buyer: Actor
) -> None:
    body = ad_hoc_payload(financials=[year_payload(ebitda=-30_00_000, owner_salary=None)])

    response = await client.post(VALUATIONS, json=body, headers=buyer.headers)

    assert response.status_code == 201
    methods = {m["method"]: m for m in response.json()["data"]["methods"]}
    for name in ("ebitda_multiple", "dcf"):
        assert methods[name]["available"] is False
        assert methods[name]["weight"] == 0
        assert methods[name]["explanation"].startswith("Skipped")
    # Valued on revenue and net assets (here the net-asset floor carries it all).
    assert methods["revenue_multiple"]["weight"] + methods["net_assets"]["weight"] == 1


async def test_duplicate_fiscal_years_are_422(client: httpx.AsyncClient, buyer: Actor) -> None:
    body = ad_hoc_payload(financials=[year_payload(), year_payload()])

    response = await client.post(VALUATIONS, json=body, headers=buyer.headers)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "FISCAL_YEAR_DUPLICATE"


async def test_an_empty_request_is_422_saying_what_to_send(
    client: httpx.AsyncClient, buyer: Actor
) -> None:
    response = await client.post(VALUATIONS, json={}, headers=buyer.headers)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALUATION_INPUT_REQUIRED"


async def test_msme_id_with_ad_hoc_figures_is_422(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)
    body = ad_hoc_payload(msme_id=str(msme.id))

    response = await client.post(VALUATIONS, json=body, headers=owner.headers)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALUATION_INPUT_AMBIGUOUS"


async def test_owner_values_their_profile_from_its_stored_financials(
    client: httpx.AsyncClient, owner: Actor, database: Database, db_connection: AsyncConnection
) -> None:
    msme = await profile_with_years(database, owner.id)

    response = await client.post(VALUATIONS, json={"msme_id": str(msme.id)}, headers=owner.headers)

    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert data["msme_id"] == str(msme.id)
    assert data["high"] / data["low"] <= 1.8  # three complete years, verified
    stored = await _stored(db_connection)
    assert [y["fiscal_year"] for y in stored.inputs["years"]] == ["2024-25", "2023-24", "2022-23"]
    assert stored.inputs["verified"] is True


async def test_admin_values_any_profile(
    client: httpx.AsyncClient, owner: Actor, admin: Actor, database: Database
) -> None:
    msme = await profile_with_years(database, owner.id)

    response = await client.post(VALUATIONS, json={"msme_id": str(msme.id)}, headers=admin.headers)

    assert response.status_code == 201


async def test_another_owner_gets_404_for_a_profile_they_cannot_see(
    client: httpx.AsyncClient,
    owner: Actor,
    other_owner: Actor,
    database: Database,
    db_connection: AsyncConnection,
) -> None:
    msme = await profile_with_years(database, owner.id, verification_status="pending")

    response = await client.post(
        VALUATIONS, json={"msme_id": str(msme.id)}, headers=other_owner.headers
    )

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "MSME_NOT_FOUND"
    assert await _count(db_connection) == 0


async def test_another_user_gets_403_for_a_public_profile(
    client: httpx.AsyncClient, owner: Actor, buyer: Actor, database: Database
) -> None:
    msme = await profile_with_years(database, owner.id)

    response = await client.post(VALUATIONS, json={"msme_id": str(msme.id)}, headers=buyer.headers)

    assert response.status_code == 403


async def test_an_accepted_buyer_gets_the_same_answer_as_from_msme(
    client: httpx.AsyncClient, owner: Actor, buyer: Actor, database: Database
) -> None:
    # One rule (msme's `owned_profile`) for both services: an accepted buyer of an anonymous
    # listing may see the profile, so changing or valuing it is 403, not 404.
    msme = await profile_with_years(database, owner.id)
    listing = await make_listing(database, msme, anonymous=True)
    await make_interest(database, listing, buyer.id)

    valued = await client.post(VALUATIONS, json={"msme_id": str(msme.id)}, headers=buyer.headers)
    changed = await client.patch(f"{MSMES}/{msme.id}", json={"employees": 3}, headers=buyer.headers)

    assert (valued.status_code, changed.status_code) == (403, 403)
    assert valued.json()["error"]["code"] == changed.json()["error"]["code"] == "MSME_FORBIDDEN"
    assert await _count_valuations(database) == 0


async def test_unknown_profile_is_404(client: httpx.AsyncClient, owner: Actor) -> None:
    response = await client.post(
        VALUATIONS, json={"msme_id": str(uuid.uuid4())}, headers=owner.headers
    )

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "MSME_NOT_FOUND"


async def test_profile_without_financials_is_422_naming_them(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id)

    response = await client.post(VALUATIONS, json={"msme_id": str(msme.id)}, headers=owner.headers)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "FINANCIALS_REQUIRED"


async def test_creator_reads_their_valuation_and_others_get_404(
    client: httpx.AsyncClient, buyer: Actor, other_owner: Actor, admin: Actor
) -> None:
    created = await client.post(VALUATIONS, json=ad_hoc_payload(), headers=buyer.headers)
    url = f"{VALUATIONS}/{created.json()['data']['id']}"

    mine = await client.get(url, headers=buyer.headers)
    theirs = await client.get(url, headers=other_owner.headers)
    admins = await client.get(url, headers=admin.headers)

    assert mine.status_code == 200
    assert mine.json()["data"] == created.json()["data"]
    assert theirs.status_code == 404
    assert theirs.json()["error"]["code"] == "VALUATION_NOT_FOUND"
    assert admins.status_code == 200


async def test_profile_owner_reads_a_valuation_an_admin_ran(
    client: httpx.AsyncClient, owner: Actor, admin: Actor, database: Database
) -> None:
    msme = await profile_with_years(database, owner.id)
    created = await client.post(VALUATIONS, json={"msme_id": str(msme.id)}, headers=admin.headers)

    response = await client.get(
        f"{VALUATIONS}/{created.json()['data']['id']}", headers=owner.headers
    )

    assert response.status_code == 200


async def test_malformed_valuation_id_is_422(client: httpx.AsyncClient, buyer: Actor) -> None:
    response = await client.get(f"{VALUATIONS}/not-a-uuid", headers=buyer.headers)

    assert response.status_code == 422


async def test_history_lists_a_profiles_valuations_newest_first_with_pages(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await profile_with_years(database, owner.id)
    ids = []
    for _ in range(3):
        created = await client.post(
            VALUATIONS, json={"msme_id": str(msme.id)}, headers=owner.headers
        )
        ids.append(created.json()["data"]["id"])

    response = await client.get(
        f"/api/v1/msmes/{msme.id}/valuations?page=1&page_size=2", headers=owner.headers
    )

    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["data"]] == ids[::-1][:2]
    assert body["pagination"] == {"page": 1, "page_size": 2, "total": 3, "pages": 2}


async def test_history_of_someone_elses_hidden_profile_is_404(
    client: httpx.AsyncClient, owner: Actor, other_owner: Actor, database: Database
) -> None:
    msme = await make_msme(database, owner.id, verification_status="pending")

    response = await client.get(f"/api/v1/msmes/{msme.id}/valuations", headers=other_owner.headers)

    assert response.status_code == 404


async def test_sector_multiples_are_public_with_source_and_date(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{VALUATIONS}/sectors")

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["data_version"] == current_version()
    assert {s["code"] for s in data["sectors"]} == {sector.code for sector in SECTORS}
    software = next(s for s in data["sectors"] if s["code"] == "software")
    assert software["sector_group"] == "software"
    assert [band["basis"] for band in software["private_multiples"]][-1] == "ebitda"
    assert any(source["id"] == "bizbuysell_insight_2022" for source in data["sources"])
    assert any(source["updated"] == "2026-01-05" for source in data["sources"])
    restaurants = next(s for s in data["sectors"] if s["code"] == "restaurants")
    assert (restaurants["ev_ebitda"], restaurants["ev_ebitda_used"]) == (104.11, 20.0)


async def test_metrics_count_valuations_by_method_mix(
    client: httpx.AsyncClient, buyer: Actor
) -> None:
    await client.post(VALUATIONS, json=ad_hoc_payload(), headers=buyer.headers)

    text = (await client.get("/metrics")).text

    assert 'valuations_total{method_mix="dcf+ebitda_multiple+net_assets+revenue_multiple"}' in text
    assert "valuation_duration_seconds_count" in text


async def test_a_profiles_open_listing_is_compared_with_the_range(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await profile_with_years(database, owner.id)
    await make_listing(database, msme, asking_price=1_000_00_00_000)  # ₹1,000 Cr: far above

    response = await client.post(VALUATIONS, json={"msme_id": str(msme.id)}, headers=owner.headers)

    comparison = response.json()["data"]["asking_price_comparison"]
    assert comparison["asking_price"] == 1_000_00_00_000
    assert comparison["position"] == "above"
    assert comparison["difference"] == 1_000_00_00_000 - response.json()["data"]["high"]


async def test_a_stake_is_scaled_to_the_whole_business_before_comparing(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await profile_with_years(database, owner.id)
    await make_listing(
        database, msme, deal_type="stake_sale", asking_price=1_00_00_000, stake_percent=25.0
    )

    response = await client.post(VALUATIONS, json={"msme_id": str(msme.id)}, headers=owner.headers)

    comparison = response.json()["data"]["asking_price_comparison"]
    assert comparison["stake_percent"] == 25.0
    assert comparison["implied_value"] == 4_00_00_000


async def test_a_debt_raise_is_not_compared_with_the_value_of_the_business(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await profile_with_years(database, owner.id)
    await make_listing(database, msme, deal_type="debt", asking_price=50_00_000)

    response = await client.post(VALUATIONS, json={"msme_id": str(msme.id)}, headers=owner.headers)

    assert response.json()["data"]["asking_price_comparison"] is None


def _pdf(marker: str) -> bytes:
    return f"%PDF-1.7\n% {marker}\n%%EOF\n".encode()


async def test_uploaded_financial_statements_raise_the_confidence(
    client: httpx.AsyncClient, owner: Actor, database: Database
) -> None:
    msme = await profile_with_years(database, owner.id)
    before = await client.post(VALUATIONS, json={"msme_id": str(msme.id)}, headers=owner.headers)
    for year in ("2023-24", "2024-25", "2022-23"):
        upload = await client.post(
            f"/api/v1/msmes/{msme.id}/documents",
            data={"kind": "financial_statement"},
            # Each year's own file: an identical one would not be stored again.
            files={"file": (f"accounts-{year}.pdf", _pdf(year), "application/pdf")},
            headers=owner.headers,
        )
        assert upload.status_code == 201, upload.text

    after = await client.post(VALUATIONS, json={"msme_id": str(msme.id)}, headers=owner.headers)

    assert after.json()["data"]["confidence"] > before.json()["data"]["confidence"]
