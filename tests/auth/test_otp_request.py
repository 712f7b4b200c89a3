"""POST /auth/otp/request: codes, their storage, the SMS in the outbox, and every throttle."""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.auth.models import OtpChallenge
from msmebazaar.auth.tokens import TokenCodec
from msmebazaar.shared.db import utcnow
from msmebazaar.shared.outbox import OutboxMessage
from tests.auth.conftest import ClientFactory
from tests.auth.factories import OTP_REQUEST, new_phone, request_code, rows


async def test_request_answers_expiry_resend_delay_and_echoed_code(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(OTP_REQUEST, json={"phone": new_phone()})

    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    assert body["data"]["expires_in"] == 300
    assert body["data"]["resend_after"] == 60
    assert len(body["data"]["debug_code"]) == 6
    assert body["data"]["debug_code"].isdigit()


async def test_request_accepts_local_spellings_and_stores_e164(
    client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    response = await client.post(OTP_REQUEST, json={"phone": "098765 43210"})

    assert response.status_code == 200
    stored = await rows(db_connection, select(OtpChallenge.phone))
    assert [row.phone for row in stored] == ["+919876543210"]


async def test_code_is_stored_only_as_a_keyed_hash(
    client: httpx.AsyncClient, db_connection: AsyncConnection, codec: TokenCodec
) -> None:
    phone = new_phone()

    code = await request_code(client, phone)

    (row,) = await rows(db_connection, select(OtpChallenge).where(OtpChallenge.phone == phone))
    assert code not in row.code_hash
    assert row.code_hash == codec.otp_hash(phone, code)
    unkeyed = hashlib.sha256(f"{phone}:{code}".encode()).hexdigest()
    assert not hmac.compare_digest(row.code_hash, unkeyed)
    assert row.attempts == 0
    assert row.expires_at - row.sent_at == timedelta(seconds=300)


async def test_request_queues_the_sms_in_the_outbox(
    client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    phone = new_phone()

    code = await request_code(client, phone)

    (message,) = await rows(db_connection, select(OutboxMessage))
    assert message.channel == "sms"
    assert message.recipient == phone
    assert code in message.body
    assert message.sensitive is True
    assert message.status == "pending"


async def test_debug_code_is_absent_when_echo_is_off(client_with: ClientFactory) -> None:
    async with client_with(otp_echo=False) as client:
        response = await client.post(OTP_REQUEST, json={"phone": new_phone()})

    assert response.status_code == 200
    assert "debug_code" not in response.json()["data"]


@pytest.mark.parametrize("phone", ["12345", "+1 202 555 0101", "98765abcde", "+91 20 2612 3456"])
async def test_malformed_phone_is_422_phone_invalid(
    client: httpx.AsyncClient, db_connection: AsyncConnection, phone: str
) -> None:
    response = await client.post(OTP_REQUEST, json={"phone": phone})

    assert response.status_code == 422
    body = response.json()
    assert body["error"]["code"] == "PHONE_INVALID"
    assert body["error"]["details"][0]["field"] == "phone"
    assert await rows(db_connection, select(OtpChallenge)) == []


async def test_body_that_is_not_an_object_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post(OTP_REQUEST, json=["+919876543210"])

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


async def test_huge_body_is_413(client_with: ClientFactory) -> None:
    async with client_with(app_fields={"max_body_bytes": 2048}) as client:
        response = await client.post(OTP_REQUEST, json={"phone": "9" * 5000})

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_resend_within_cooldown_is_429_with_retry_after(
    client: httpx.AsyncClient, db_connection: AsyncConnection, codec: TokenCodec
) -> None:
    phone = new_phone()
    first = await request_code(client, phone)

    response = await client.post(OTP_REQUEST, json={"phone": phone})

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "OTP_RESEND_COOLDOWN"
    assert 55 <= int(response.headers["Retry-After"]) <= 60
    (row,) = await rows(db_connection, select(OtpChallenge.code_hash))
    assert row.code_hash == codec.otp_hash(phone, first)
    assert len(await rows(db_connection, select(OutboxMessage.id))) == 1


async def test_request_after_cooldown_replaces_the_code(
    client: httpx.AsyncClient, db_connection: AsyncConnection, codec: TokenCodec
) -> None:
    phone = new_phone()
    await request_code(client, phone)
    await db_connection.execute(
        update(OtpChallenge).values(sent_at=utcnow() - timedelta(seconds=61), attempts=3)
    )

    second = await request_code(client, phone)

    (row,) = await rows(db_connection, select(OtpChallenge))
    assert row.code_hash == codec.otp_hash(phone, second)
    assert row.attempts == 0


async def test_more_requests_per_phone_per_hour_than_allowed_is_429(
    client_with: ClientFactory, db_connection: AsyncConnection
) -> None:
    phone = new_phone()
    async with client_with(otp_max_per_phone_per_hour=2, otp_resend_cooldown_seconds=0) as client:
        statuses = [
            (await client.post(OTP_REQUEST, json={"phone": phone})).status_code for _ in range(2)
        ]
        response = await client.post(OTP_REQUEST, json={"phone": phone})

    assert statuses == [200, 200]
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "OTP_PHONE_LIMIT"
    assert int(response.headers["Retry-After"]) > 0
    assert len(await rows(db_connection, select(OutboxMessage.id))) == 2


async def test_more_requests_per_ip_per_hour_than_allowed_is_429(
    client_with: ClientFactory,
) -> None:
    async with client_with(otp_max_per_ip_per_hour=2) as client:
        for _ in range(2):
            assert (await client.post(OTP_REQUEST, json={"phone": new_phone()})).is_success
        response = await client.post(OTP_REQUEST, json={"phone": new_phone()})

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "RATE_LIMITED"
    assert "Retry-After" in response.headers


async def test_forwarded_for_from_an_untrusted_peer_does_not_dodge_the_ip_limit(
    client_with: ClientFactory,
) -> None:
    async with client_with(otp_max_per_ip_per_hour=1) as client:
        await client.post(OTP_REQUEST, json={"phone": new_phone()})
        response = await client.post(
            OTP_REQUEST, json={"phone": new_phone()}, headers={"X-Forwarded-For": "198.51.100.9"}
        )

    assert response.status_code == 429


async def test_forwarded_for_from_a_trusted_proxy_limits_each_client_apart(
    client_with: ClientFactory,
) -> None:
    proxy = {"trusted_proxies": ["10.0.0.0/8"]}
    async with client_with(peer="10.0.0.2", app_fields=proxy, otp_max_per_ip_per_hour=1) as client:
        first = await client.post(
            OTP_REQUEST, json={"phone": new_phone()}, headers={"X-Forwarded-For": "198.51.100.1"}
        )
        other_client = await client.post(
            OTP_REQUEST, json={"phone": new_phone()}, headers={"X-Forwarded-For": "198.51.100.2"}
        )
        same_client = await client.post(
            OTP_REQUEST, json={"phone": new_phone()}, headers={"X-Forwarded-For": "198.51.100.1"}
        )

    assert (first.status_code, other_client.status_code) == (200, 200)
    assert same_client.status_code == 429


async def test_phone_and_code_never_reach_the_logs_in_clear(client: httpx.AsyncClient) -> None:
    root = logging.getLogger()
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    handler.setFormatter(root.handlers[0].formatter)  # the app's JSON renderer and masking
    root.addHandler(handler)
    phone = new_phone()
    try:
        code = await request_code(client, phone)
        await client.post("/api/v1/auth/otp/verify", json={"phone": phone, "code": code})
    finally:
        root.removeHandler(handler)

    logged = captured.getvalue()
    assert "otp/verify" in logged
    assert phone[3:] not in logged
    assert code not in logged
