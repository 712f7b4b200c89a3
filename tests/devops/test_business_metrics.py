"""The counters the business dashboard adds to the services: signups (first sign-in only) and deal
flow in rupees (each listing's asking price as it enters a status)."""

from __future__ import annotations

import httpx

from msmebazaar.shared.metrics import REGISTRY
from tests.auth.factories import Actor, new_phone, sign_in
from tests.msme.factories import listing_payload, profile_payload


def _value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_a_signup_is_counted_once_by_role_and_a_later_sign_in_is_not(
    client: httpx.AsyncClient,
) -> None:
    phone = new_phone()
    before = _value("auth_signups_total", role="investor")

    await sign_in(client, phone, role="investor", name="Meera")
    await sign_in(client, phone)

    assert _value("auth_signups_total", role="investor") == before + 1


async def test_listing_value_adds_the_asking_price_of_each_listing_entering_a_status(
    client: httpx.AsyncClient, owner: Actor
) -> None:
    drafts = _value("listing_value_rupees_total", status="draft")
    submitted = _value("listing_value_rupees_total", status="submitted")
    profile = await client.post("/api/v1/msmes", json=profile_payload(), headers=owner.headers)
    assert profile.status_code == 201, profile.text
    body = listing_payload(profile.json()["data"]["id"], asking_price=4_50_00_000)

    created = await client.post("/api/v1/listings", json=body, headers=owner.headers)
    listing_id = created.json()["data"]["id"]
    submit = await client.post(f"/api/v1/listings/{listing_id}/submit", headers=owner.headers)

    assert (created.status_code, submit.status_code) == (201, 200)
    assert _value("listing_value_rupees_total", status="draft") == drafts + 4_50_00_000
    assert _value("listing_value_rupees_total", status="submitted") == submitted + 4_50_00_000
