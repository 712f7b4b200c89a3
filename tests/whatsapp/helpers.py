"""Test helpers: provider payloads signed exactly as Meta and Twilio sign them, and chat drivers
that talk to the bot through a webhook (or the simulator) and read its replies back."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import uuid
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlalchemy import select
from tests.auth.factories import new_phone
from twilio.request_validator import RequestValidator

from msmebazaar.shared.db import Database
from msmebazaar.whatsapp.messages import Reply
from msmebazaar.whatsapp.models import Conversation, InboundMessage, OutboundMessage

META_SECRET = "meta-app-secret-for-tests"
VERIFY_TOKEN = "verify-token-for-tests"
META_ACCESS_TOKEN = "meta-access-token-for-tests"
META_PHONE_NUMBER_ID = "106540352242922"
TWILIO_SID = "AC" + "0" * 32
TWILIO_TOKEN = "twilio-auth-token-for-tests"
TWILIO_FROM = "whatsapp:+14155238886"
PUBLIC_BASE_URL = "https://api.msmebazaar.example"

WEBHOOK = "/api/v1/whatsapp/webhook"
TWILIO = "/api/v1/whatsapp/twilio"
TWILIO_STATUS = "/api/v1/whatsapp/twilio/status"
SIMULATE = "/api/v1/whatsapp/simulate"

_ids = itertools.count(1)


def new_mobile() -> str:
    """An Indian mobile in E.164, unique in the run."""
    return new_phone()


def meta_signature(body: bytes, secret: str = META_SECRET) -> str:
    """`X-Hub-Signature-256` as Meta computes it: HMAC-SHA256 of the raw body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def meta_envelope(
    messages: list[dict[str, Any]] | None = None, statuses: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A Meta webhook body (`whatsapp_business_account`) with these messages and statuses."""
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {
            "display_phone_number": "15550001111",
            "phone_number_id": META_PHONE_NUMBER_ID,
        },
    }
    if messages is not None:
        value["messages"] = messages
        value["contacts"] = [{"profile": {"name": "Asha"}, "wa_id": messages[0]["from"]}]
    if statuses is not None:
        value["statuses"] = statuses
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": value}]}],
    }


def meta_message(
    phone: str, kind: str = "text", message_id: str | None = None, **content: Any
) -> dict[str, Any]:
    """One message object as Meta sends it (`from` is the number without +)."""
    return {
        "from": phone.removeprefix("+"),
        "id": message_id or f"wamid.TEST{next(_ids):012d}",
        "timestamp": "1767225600",
        "type": kind,
        **content,
    }


def meta_status(wamid: str, status: str, ref: str | None = None, **extra: Any) -> dict[str, Any]:
    """One status object (sent, delivered, read, failed) as Meta sends it."""
    body: dict[str, Any] = {
        "id": wamid,
        "status": status,
        "timestamp": "1767225700",
        "recipient_id": "919800000001",
        **extra,
    }
    if ref is not None:
        body["biz_opaque_callback_data"] = ref
    return body


async def post_meta(
    client: httpx.AsyncClient, body: bytes | dict[str, Any], signature: str | None = "sign"
) -> httpx.Response:
    """POST to the Meta webhook, signed with the app secret unless `signature` says otherwise."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if signature == "sign":
        headers["X-Hub-Signature-256"] = meta_signature(raw)
    elif signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return await client.post(WEBHOOK, content=raw, headers=headers)


def twilio_signature(path: str, params: dict[str, str], token: str = TWILIO_TOKEN) -> str:
    """`X-Twilio-Signature` as Twilio computes it, by Twilio's own library, over the public URL."""
    return str(RequestValidator(token).compute_signature(PUBLIC_BASE_URL + path, params))


async def post_twilio(
    client: httpx.AsyncClient,
    params: dict[str, str],
    path: str = TWILIO,
    signature: str | None = "sign",
) -> httpx.Response:
    """POST a form to a Twilio webhook path, signed unless `signature` says otherwise."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature == "sign":
        headers["X-Twilio-Signature"] = twilio_signature(path, params)
    elif signature is not None:
        headers["X-Twilio-Signature"] = signature
    return await client.post(path, content=urlencode(params).encode(), headers=headers)


def twilio_message(phone: str, body: str, sid: str | None = None, **extra: str) -> dict[str, str]:
    """The form Twilio posts for an inbound WhatsApp message."""
    return {
        "SmsMessageSid": sid or f"SM{uuid.uuid4().hex}",
        "MessageSid": sid or f"SM{uuid.uuid4().hex}",
        "AccountSid": TWILIO_SID,
        "From": f"whatsapp:{phone}",
        "To": TWILIO_FROM,
        "Body": body,
        "NumMedia": "0",
        "ProfileName": "Asha",
        "WaId": phone.removeprefix("+"),
        **extra,
    }


async def replies_to(database: Database, provider: str, message_id: str) -> list[Reply]:
    """The bot's replies to one received message, in order."""
    async with database.session() as session:
        inbound_id = await session.scalar(
            select(InboundMessage.id).where(
                InboundMessage.provider == provider,
                InboundMessage.provider_message_id == message_id,
            )
        )
        rows = await session.scalars(
            select(OutboundMessage)
            .where(OutboundMessage.inbound_id == inbound_id)
            .order_by(OutboundMessage.created_at)
        )
        return [Reply.from_payload(row.payload) for row in rows]


async def conversation_of(database: Database, phone: str) -> Conversation | None:
    async with database.session() as session:
        return await session.scalar(select(Conversation).where(Conversation.phone == phone))


class Chat:
    """A user talking to the bot; `last` is the bot's last reply."""

    def __init__(self, client: httpx.AsyncClient, database: Database, phone: str) -> None:
        self.client = client
        self.database = database
        self.phone = phone
        self.last: Reply | None = None

    async def say(self, text: str) -> Reply:
        """Send text; return the (last) reply."""
        raise NotImplementedError

    async def tap(self, option_id: str) -> Reply:
        """Choose an option of the last reply by typing its number (as on providers without
        interactive messages)."""
        assert self.last is not None
        ids = [option.id for option in self.last.options]
        assert option_id in ids, f"{option_id} not offered: {ids}"
        return await self.say(str(ids.index(option_id) + 1))

    def _remember(self, replies: list[Reply]) -> Reply:
        assert replies, "the bot did not answer"
        self.last = replies[-1]
        return replies[-1]


class MetaChat(Chat):
    """Through the Meta webhook; options are tapped as interactive replies."""

    async def send(self, message: dict[str, Any]) -> Reply:
        response = await post_meta(self.client, meta_envelope([message]))
        assert response.status_code == 200, response.text
        return self._remember(await replies_to(self.database, "meta", message["id"]))

    async def say(self, text: str) -> Reply:
        return await self.send(meta_message(self.phone, text={"body": text}))

    async def tap(self, option_id: str) -> Reply:
        assert self.last is not None
        option = next(o for o in self.last.options if o.id == option_id)
        field = "button_reply" if self.last.kind == "buttons" else "list_reply"
        interactive = {"type": field, field: {"id": option.id, "title": option.title}}
        return await self.send(meta_message(self.phone, "interactive", interactive=interactive))


class TwilioChat(Chat):
    """Through the Twilio webhook; options are numbered in the text, so numbers are typed."""

    async def say(self, text: str) -> Reply:
        form = twilio_message(self.phone, text)
        response = await post_twilio(self.client, form)
        assert response.status_code == 200, response.text
        assert "<Response" in response.text
        return self._remember(await replies_to(self.database, "twilio", form["MessageSid"]))


class SimulatorChat(Chat):
    """Through `POST /whatsapp/simulate`."""

    async def say(self, text: str) -> Reply:
        response = await self.client.post(SIMULATE, json={"from": self.phone, "text": text})
        assert response.status_code == 200, response.text
        replies = [Reply.from_payload(reply) for reply in response.json()["data"]["replies"]]
        return self._remember(replies)
