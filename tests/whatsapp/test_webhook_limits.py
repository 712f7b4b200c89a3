"""Issue 18, findings 2 and 7 on the webhooks: a signed Meta body of deeply nested brackets or
too many keys is a 4xx, never a 500, whatever content type it claims; a Twilio form of too many
fields is a 400 before its signature is even computed."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import func, select
from tests.whatsapp.helpers import TWILIO, WEBHOOK, meta_signature

from msmebazaar.shared.db import Database
from msmebazaar.whatsapp.models import InboundMessage

BOMBS = {
    "brackets": b"[" * 100_000 + b"]" * 100_000,
    "objects": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "keys": json.dumps({f"key{i:06d}": 0 for i in range(20_000)}).encode(),
    "array": json.dumps({"entry": [{}] * 5000}).encode(),
}


async def _stored(database: Database) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(InboundMessage)) or 0)


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
@pytest.mark.parametrize("bomb", sorted(BOMBS))
async def test_a_signed_meta_bomb_is_a_4xx_never_a_500(
    client: httpx.AsyncClient, database: Database, bomb: str, content_type: str
) -> None:
    body = BOMBS[bomb]
    headers = {"Content-Type": content_type, "X-Hub-Signature-256": meta_signature(body)}

    response = await client.post(WEBHOOK, content=body, headers=headers)

    # As JSON the body is refused before the webhook runs (422); claiming another type, the
    # webhook's own parser refuses it (400).
    assert response.status_code == (422 if content_type == "application/json" else 400)
    assert response.json()["success"] is False
    assert len(response.content) < 2000
    assert await _stored(database) == 0


async def test_a_twilio_form_of_too_many_fields_is_400(client: httpx.AsyncClient) -> None:
    body = "&".join(f"f{i}=x" for i in range(5000)).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "x"}

    response = await client.post(TWILIO, content=body, headers=headers)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "WEBHOOK_PAYLOAD_INVALID"
