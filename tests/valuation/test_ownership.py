"""A profile's valuations follow the profile (issue 18, finding 8): after an admin moves it to
its rightful owner, the previous owner gets 404 for its valuations, their list and their PDFs,
and the new owner reads them all. An ad hoc valuation (no profile) stays with its creator."""

from __future__ import annotations

import httpx

from msmebazaar.shared.db import Database
from tests.auth.factories import Actor
from tests.valuation.factories import ad_hoc_payload, profile_with_years

VALUATIONS = "/api/v1/valuations"


def _reads(valuation_id: str, msme_id: object) -> dict[str, str]:
    return {
        "detail": f"{VALUATIONS}/{valuation_id}",
        "report": f"{VALUATIONS}/{valuation_id}/report.pdf",
        "list": f"/api/v1/msmes/{msme_id}/valuations",
    }


async def _transfer(client: httpx.AsyncClient, admin: Actor, msme_id: object, to: Actor) -> None:
    response = await client.post(
        f"/api/v1/admin/msmes/{msme_id}/transfer",
        json={"owner_id": str(to.id), "reason": "The rightful owner showed the GST certificate."},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text


async def test_after_a_transfer_the_previous_owner_gets_404_for_the_valuations(
    client: httpx.AsyncClient,
    owner: Actor,
    other_owner: Actor,
    admin: Actor,
    database: Database,
) -> None:
    msme = await profile_with_years(database, owner.id)
    created = await client.post(VALUATIONS, json={"msme_id": str(msme.id)}, headers=owner.headers)
    assert created.status_code == 201, created.text
    reads = _reads(created.json()["data"]["id"], msme.id)
    for url in reads.values():
        assert (await client.get(url, headers=owner.headers)).status_code == 200, url

    await _transfer(client, admin, msme.id, other_owner)

    for name, url in reads.items():
        refused = await client.get(url, headers=owner.headers)
        assert refused.status_code == 404, (name, refused.text)
        expected = "MSME_NOT_FOUND" if name == "list" else "VALUATION_NOT_FOUND"
        assert refused.json()["error"]["code"] == expected
        assert (await client.get(url, headers=other_owner.headers)).status_code == 200, name
    listed = await client.get(reads["list"], headers=other_owner.headers)
    assert [item["id"] for item in listed.json()["data"]] == [created.json()["data"]["id"]]


async def test_valuations_the_admin_ran_are_read_by_the_profiles_owner(
    client: httpx.AsyncClient, owner: Actor, admin: Actor, database: Database
) -> None:
    msme = await profile_with_years(database, owner.id)
    created = await client.post(VALUATIONS, json={"msme_id": str(msme.id)}, headers=admin.headers)
    assert created.status_code == 201, created.text

    for url in _reads(created.json()["data"]["id"], msme.id).values():
        assert (await client.get(url, headers=owner.headers)).status_code == 200, url


async def test_an_ad_hoc_valuation_stays_with_its_creator(
    client: httpx.AsyncClient, owner: Actor, other_owner: Actor
) -> None:
    created = await client.post(VALUATIONS, json=ad_hoc_payload(), headers=owner.headers)
    assert created.status_code == 201, created.text
    valuation_id = created.json()["data"]["id"]

    for url in (f"{VALUATIONS}/{valuation_id}", f"{VALUATIONS}/{valuation_id}/report.pdf"):
        assert (await client.get(url, headers=owner.headers)).status_code == 200
        assert (await client.get(url, headers=other_owner.headers)).status_code == 404


async def test_another_owner_gets_404_for_a_public_profiles_valuation_list(
    client: httpx.AsyncClient, owner: Actor, other_owner: Actor, database: Database
) -> None:
    msme = await profile_with_years(database, owner.id)  # verified: anyone may see the profile

    response = await client.get(f"/api/v1/msmes/{msme.id}/valuations", headers=other_owner.headers)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "MSME_NOT_FOUND"
