"""The Meta Cloud API webhook: the handshake, signatures, hostile bodies, retries, statuses."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from sqlalchemy import func, select
from tests.whatsapp.helpers import (
    VERIFY_TOKEN,
    WEBHOOK,
    MetaChat,
    meta_envelope,
    meta_message,
    meta_signature,
    meta_status,
    post_meta,
    replies_to,
)

from msmebazaar.shared.config import ObservabilitySettings
from msmebazaar.shared.db import Database
from msmebazaar.shared.logging import configure_logging
from msmebazaar.shared.metrics import REGISTRY
from msmebazaar.whatsapp import processing
from msmebazaar.whatsapp.models import InboundMessage, OutboundMessage


def _rejected(reason: str) -> float:
    value = REGISTRY.get_sample_value("whatsapp_webhook_rejected_total", {"reason": reason})
    return value or 0.0


async def _stored(database: Database) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(InboundMessage)) or 0)


def test_the_known_hmac_sha256_vector_is_reproduced() -> None:
    assert meta_signature(b"test", "secret") == (
        "sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914"
    )


async def test_handshake_echoes_the_challenge_for_our_verify_token(
    client: httpx.AsyncClient,
) -> None:
    params = {
        "hub.mode": "subscribe",
        "hub.verify_token": VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }

    response = await client.get(WEBHOOK, params=params)

    assert response.status_code == 200
    assert response.text == "1158201444"
    assert response.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.challenge": "1"},
        {},
    ],
    ids=["wrong-token", "wrong-mode", "no-token", "nothing"],
)
async def test_handshake_without_our_verify_token_is_403(
    client: httpx.AsyncClient, params: dict[str, str]
) -> None:
    response = await client.get(WEBHOOK, params=params)

    assert response.status_code == 403
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == "WEBHOOK_VERIFY_TOKEN_INVALID"


@pytest.mark.parametrize(
    ("signature", "reason"),
    [
        (None, "missing_signature"),
        ("sha256=" + "0" * 64, "bad_signature"),
        ("md5=abc", "bad_signature"),
        (meta_signature(b"another body"), "bad_signature"),
    ],
    ids=["missing", "wrong", "not-sha256", "another-body"],
)
async def test_a_missing_or_wrong_signature_is_403_and_nothing_is_stored(
    client: httpx.AsyncClient, database: Database, phone: str, signature: str | None, reason: str
) -> None:
    before = _rejected(reason)
    body = meta_envelope([meta_message(phone, text={"body": "Hi"})])

    response = await post_meta(client, body, signature=signature)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "WEBHOOK_SIGNATURE_INVALID"
    assert await _stored(database) == 0
    assert _rejected(reason) == before + 1


async def test_a_signature_over_a_changed_body_is_refused(
    client: httpx.AsyncClient, database: Database, phone: str
) -> None:
    signed = json.dumps(meta_envelope([meta_message(phone, text={"body": "Hi"})])).encode()
    tampered = signed.replace(b"Hi", b"Yo")

    response = await post_meta(client, tampered, signature=meta_signature(signed))

    assert response.status_code == 403
    assert await _stored(database) == 0


@pytest.mark.parametrize(
    "body", [b"{not json", b"[1, 2]", b"\xff\xfe", b""], ids=["broken", "array", "binary", "empty"]
)
async def test_a_signed_body_that_is_not_a_json_object_is_400_never_500(
    client: httpx.AsyncClient, database: Database, body: bytes
) -> None:
    response = await post_meta(client, body)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "WEBHOOK_PAYLOAD_INVALID"
    assert await _stored(database) == 0


async def test_an_empty_unsigned_body_is_403(client: httpx.AsyncClient) -> None:
    response = await client.post(WEBHOOK, content=b"")

    assert response.status_code == 403


@pytest.mark.parametrize(
    "body",
    [{}, {"object": "page"}, {"entry": "x"}, {"entry": [{"changes": [{"value": []}]}]}],
    ids=["empty-object", "other-object", "entry-not-list", "value-not-object"],
)
async def test_json_of_another_shape_is_acknowledged_and_ignored(
    client: httpx.AsyncClient, database: Database, body: dict[str, object]
) -> None:
    response = await post_meta(client, body)

    assert response.status_code == 200
    assert response.json()["data"] == {"received": 0, "duplicates": 0, "statuses": 0, "ignored": 0}
    assert await _stored(database) == 0


async def test_a_duplicate_delivery_is_stored_and_answered_once(
    client: httpx.AsyncClient, database: Database, phone: str
) -> None:
    body = meta_envelope([meta_message(phone, message_id="wamid.RETRY1", text={"body": "Hi"})])

    first = await post_meta(client, body)
    again = await post_meta(client, body)

    assert first.json()["data"]["received"] == 1
    assert again.status_code == 200
    assert again.json()["data"] == {"received": 0, "duplicates": 1, "statuses": 0, "ignored": 0}
    assert await _stored(database) == 1
    assert len(await replies_to(database, "meta", "wamid.RETRY1")) == 1


async def test_unknown_message_types_get_a_request_to_type_and_reactions_are_ignored(
    meta_chat: MetaChat, client: httpx.AsyncClient, database: Database, phone: str
) -> None:
    await meta_chat.say("Hi")
    image = meta_message(phone, "image", image={"id": "1", "mime_type": "image/jpeg"})
    reaction = meta_message(phone, "reaction", reaction={"message_id": "x", "emoji": "👍"})
    odd = meta_message(phone, "hologram")

    response = await post_meta(client, meta_envelope([image, reaction, odd]))

    assert response.status_code == 200
    assert response.json()["data"] == {"received": 2, "duplicates": 0, "statuses": 0, "ignored": 1}
    replies = await replies_to(database, "meta", image["id"])
    assert "text and button replies only" in replies[0].body
    assert [o.id for o in replies[0].options] == ["lang:en", "lang:hi"]  # the question again


async def test_a_button_and_a_list_reply_move_the_conversation(meta_chat: MetaChat) -> None:
    await meta_chat.say("Hi")
    role_question = await meta_chat.tap("lang:en")  # an interactive button_reply
    await meta_chat.tap("role:msme_owner")
    await meta_chat.say("Asha Textiles")
    await meta_chat.tap("skip")
    sectors = await meta_chat.say("space mining")  # not understood: the list of sectors

    place_question = await meta_chat.tap("sector:textiles")  # an interactive list_reply

    assert role_question.kind == "buttons"
    assert sectors.kind == "list"
    assert "city and state" in place_question.body


async def _delivered_reply(database: Database, phone: str) -> OutboundMessage:
    async with database.session() as session:
        return (
            await session.scalars(select(OutboundMessage).where(OutboundMessage.phone == phone))
        ).one()


async def test_status_callbacks_are_answered_200_and_recorded_on_the_reply(
    meta_chat: MetaChat, client: httpx.AsyncClient, database: Database, phone: str
) -> None:
    await meta_chat.say("Hi")
    reply = await _delivered_reply(database, phone)
    ref = str(reply.outbox_id)
    statuses = [
        meta_status("wamid.OUT1", "delivered", ref),
        meta_status("wamid.OUT1", "sent", ref),  # late: never moves a message back
        meta_status("wamid.OUT1", "read", ref),
    ]

    response = await post_meta(client, meta_envelope(statuses=statuses))

    assert response.status_code == 200
    assert response.json()["data"]["statuses"] == 3
    recorded = await _delivered_reply(database, phone)
    assert (recorded.status, recorded.provider_message_id) == ("read", "wamid.OUT1")
    assert recorded.status_at is not None


async def test_a_failed_status_is_recorded_with_its_error_and_found_by_message_id(
    meta_chat: MetaChat, client: httpx.AsyncClient, database: Database, phone: str
) -> None:
    await meta_chat.say("Hi")
    ref = str((await _delivered_reply(database, phone)).outbox_id)
    await post_meta(client, meta_envelope(statuses=[meta_status("wamid.OUT2", "sent", ref)]))
    failed = meta_status(
        "wamid.OUT2", "failed", None, errors=[{"code": 131047, "title": "Re-engagement message"}]
    )

    response = await post_meta(client, meta_envelope(statuses=[failed]))

    assert response.status_code == 200
    recorded = await _delivered_reply(database, phone)
    assert recorded.status == "failed"
    assert recorded.error == "131047 Re-engagement message"


async def test_statuses_of_messages_we_did_not_send_are_acknowledged(
    client: httpx.AsyncClient,
) -> None:
    body = meta_envelope(statuses=[meta_status("wamid.UNKNOWN", "delivered", "not-a-uuid")])

    response = await post_meta(client, body)

    assert response.status_code == 200
    assert response.json()["data"]["statuses"] == 1


async def test_phone_numbers_and_message_text_are_never_logged(
    meta_chat: MetaChat,
    client: httpx.AsyncClient,
    phone: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = logging.getLogger()
    handlers = root.handlers[:]
    configure_logging(ObservabilitySettings(log_format="json", log_level="INFO"))
    try:
        await meta_chat.say("Hi")
        await meta_chat.tap("lang:en")
        await meta_chat.tap("role:msme_owner")
        await meta_chat.say("Secret Spice Works")

        async def broken(*_: object) -> None:
            raise RuntimeError("engine bug")

        monkeypatch.setattr(processing, "handle", broken)
        await post_meta(client, meta_envelope([meta_message(phone, text={"body": "Hidden Text"})]))
    finally:
        root.handlers[:] = handlers

    output = capsys.readouterr().out
    assert "whatsapp_message_failed" in output  # the failure is logged, without the PII
    digits = phone.removeprefix("+")
    assert digits not in output
    assert digits[2:] not in output
    assert "Secret Spice Works" not in output
    assert "Hidden Text" not in output
