"""Preferences: every kind's channels with their defaults, changed a kind and a channel at a
time (what is left out stays), the digest, and bad input refused with a 4xx."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from msmebazaar.notifications.kinds import DEFAULTS, Kind
from tests.auth.factories import Actor
from tests.notifications.helpers import API, NOTIFICATIONS

PREFERENCES = f"{NOTIFICATIONS}/preferences"


async def _preferences(client: httpx.AsyncClient, actor: Actor) -> dict[str, Any]:
    response = await client.get(PREFERENCES, headers=actor.headers)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def test_every_kind_starts_at_its_defaults(client: httpx.AsyncClient, owner: Actor) -> None:
    data = await _preferences(client, owner)

    assert set(data["kinds"]) == {kind.value for kind in Kind}
    for kind, channels in DEFAULTS.items():
        assert data["kinds"][kind.value] == {ch.value: on for ch, on in channels.items()}
    assert data["kinds"]["nda_accepted"] == {"sms": False, "whatsapp": False, "email": True}
    assert (data["digest"], data["email_address"], data["email_available"]) == (
        False,
        None,
        True,
    )
    assert data["quiet_hours"] == "22:00-08:00 Asia/Kolkata"


async def test_a_change_touches_only_what_it_names_and_can_be_undone(
    client: httpx.AsyncClient, owner: Actor
) -> None:
    first = await client.patch(
        PREFERENCES, json={"kinds": {"new_match": {"sms": False}}}, headers=owner.headers
    )
    second = await client.patch(
        PREFERENCES,
        json={"kinds": {"deal_message": {"email": False}}, "digest": True},
        headers=owner.headers,
    )
    data = await _preferences(client, owner)

    assert (first.status_code, second.status_code) == (200, 200)
    assert data["kinds"]["new_match"] == {"sms": False, "whatsapp": True, "email": True}
    assert data["kinds"]["deal_message"] == {"sms": True, "whatsapp": True, "email": False}
    assert data["digest"] is True
    await client.patch(
        PREFERENCES, json={"kinds": {"new_match": {"sms": True}}}, headers=owner.headers
    )
    assert (await _preferences(client, owner))["kinds"]["new_match"]["sms"] is True


async def test_the_account_email_shows_where_email_goes(
    client: httpx.AsyncClient, owner: Actor
) -> None:
    await client.patch(f"{API}/auth/me", json={"email": "asha@example.in"}, headers=owner.headers)

    assert (await _preferences(client, owner))["email_address"] == "asha@example.in"


async def test_one_users_choices_are_not_anothers(
    client: httpx.AsyncClient, owner: Actor, buyer: Actor
) -> None:
    await client.patch(
        PREFERENCES, json={"kinds": {"new_match": {"sms": False}}}, headers=owner.headers
    )

    assert (await _preferences(client, buyer))["kinds"]["new_match"]["sms"] is True


@pytest.mark.parametrize(
    "body",
    [
        {"kinds": {"coupon_sale": {"sms": False}}},
        {"kinds": {"new_match": {"pigeon": True}}},
        {"kinds": {"new_match": {"sms": "sometimes"}}},
        {"kinds": {"new_match": None}},
        {"kinds": ["new_match"]},
        {"digest": "daily"},
        {"colour": "blue"},
    ],
)
async def test_bad_preferences_are_422_and_change_nothing(
    client: httpx.AsyncClient, owner: Actor, body: dict[str, Any]
) -> None:
    before = await _preferences(client, owner)

    response = await client.patch(PREFERENCES, json=body, headers=owner.headers)

    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert await _preferences(client, owner) == before
