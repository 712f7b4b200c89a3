"""Email notifications reach a real SMTP server (aiosmtpd, started by the test) through the
outbox: the content and headers as sent, STARTTLS-less local delivery, and a refused address is
final while a busy server is tried again."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from msmebazaar.notifications.email import (
    ConsoleEmailProvider,
    SmtpEmailProvider,
    SmtpServer,
    create_email_provider,
)
from msmebazaar.shared.config import Environment, OutboxSettings, Settings
from msmebazaar.shared.db import Database
from msmebazaar.shared.metrics import REGISTRY
from msmebazaar.shared.outbox import FAILED, PENDING, SENT, OutboxMessage, OutboxWorker
from tests.auth.factories import Actor
from tests.notifications.helpers import API, listing_of, send_interest
from tests.proof.servers import free_port

SENDER = "MSMEBazaar <no-reply@msmebazaar.in>"


class Capture:
    """An SMTP server's handler that keeps what it is given, or refuses as told."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse_rcpt: str | None = None
        self.refuse_data: str | None = None

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.refuse_data:
            return self.refuse_data
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)
        return "250 Message accepted"


@pytest.fixture
def smtp() -> Iterator[tuple[Capture, int]]:
    handler = Capture()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def _provider(port: int) -> SmtpEmailProvider:
    server = SmtpServer.parse(f"smtp://127.0.0.1:{port}")
    return SmtpEmailProvider(server, sender=SENDER, timeout=5)


def _delivered(channel: str, status: str) -> float:
    labels = {"channel": channel, "status": status}
    return REGISTRY.get_sample_value("notifications_delivered_total", labels) or 0.0


async def _deliver(database: Database, port: int) -> None:
    worker = OutboxWorker(database, {"email": _provider(port)}, OutboxSettings())
    await worker.run_once()


async def _emails(database: Database) -> list[OutboxMessage]:
    async with database.read_session() as session:
        return list(
            await session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "email"))
        )


async def _interest_with_email(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    changed = await client.patch(
        f"{API}/auth/me", json={"email": "asha@example.in"}, headers=owner.headers
    )
    assert changed.status_code == 200
    await send_interest(client, await listing_of(database, owner), buyer)


async def test_the_owner_gets_an_email_with_the_link_and_proper_headers(
    client: httpx.AsyncClient,
    database: Database,
    owner: Actor,
    buyer: Actor,
    smtp: tuple[Capture, int],
) -> None:
    handler, port = smtp
    await _interest_with_email(client, database, owner, buyer)
    before = _delivered("email", "sent")

    await _deliver(database, port)

    [message] = handler.messages
    assert message["To"] == "asha@example.in"
    assert message["From"] == SENDER
    assert message["Subject"] == "New interest in your listing"
    assert message["Message-ID"].endswith("@msmebazaar.in>")
    assert message["Content-Language"] == "en"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe"] == "<http://127.0.0.1:8000/notifications/preferences>"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    assert "A buyer is interested" in text.get_content()
    assert "http://127.0.0.1:8000/my/interests" in text.get_content()
    assert 'href="http://127.0.0.1:8000/my/interests"' in html.get_content()
    assert [row.status for row in await _emails(database)] == [SENT]
    assert _delivered("email", "sent") == before + 1


async def test_a_hindi_speaker_gets_a_hindi_email(
    client: httpx.AsyncClient,
    database: Database,
    owner: Actor,
    buyer: Actor,
    smtp: tuple[Capture, int],
) -> None:
    handler, port = smtp
    await client.patch(f"{API}/auth/me", json={"language": "hi"}, headers=owner.headers)
    await _interest_with_email(client, database, owner, buyer)

    await _deliver(database, port)

    [message] = handler.messages
    assert message["Subject"] == "आपकी लिस्टिंग में नई रुचि"
    assert message["Content-Language"] == "hi"


async def test_a_refused_address_is_given_up_and_a_busy_server_tried_again(
    client: httpx.AsyncClient,
    database: Database,
    owner: Actor,
    buyer: Actor,
    smtp: tuple[Capture, int],
) -> None:
    handler, port = smtp
    await _interest_with_email(client, database, owner, buyer)
    handler.refuse_data = "451 Try again later"
    failed_before = _delivered("email", "failed")

    await _deliver(database, port)
    assert [row.status for row in await _emails(database)] == [PENDING]

    handler.refuse_data, handler.refuse_rcpt = None, "550 No such user"
    async with database.session() as session:  # due again now, not after the backoff
        row = (await _emails(database))[0]
        stored = await session.get(OutboxMessage, row.id)
        assert stored is not None
        stored.next_attempt_at = row.created_at
    await _deliver(database, port)

    assert [row.status for row in await _emails(database)] == [FAILED]
    assert handler.messages == []
    assert _delivered("email", "failed") == failed_before + 2


async def test_a_greylisted_address_is_tried_again(
    client: httpx.AsyncClient,
    database: Database,
    owner: Actor,
    buyer: Actor,
    smtp: tuple[Capture, int],
) -> None:
    handler, port = smtp
    await _interest_with_email(client, database, owner, buyer)
    handler.refuse_rcpt = "450 4.2.0 Greylisted, come back later"

    await _deliver(database, port)

    assert [row.status for row in await _emails(database)] == [PENDING]


async def test_no_address_no_email(
    client: httpx.AsyncClient, database: Database, owner: Actor, buyer: Actor
) -> None:
    await send_interest(client, await listing_of(database, owner), buyer)

    assert await _emails(database) == []


def test_the_smtp_url_decides_the_server_and_tls() -> None:
    plain = SmtpServer.parse("smtp://mailer%40x.in:p%40ss@mail.example.in")
    implicit = SmtpServer.parse("smtps://mail.example.in")

    assert (plain.hostname, plain.port, plain.implicit_tls) == ("mail.example.in", 587, False)
    assert (plain.username, plain.password) == ("mailer@x.in", "p@ss")
    assert (implicit.port, implicit.implicit_tls) == (465, True)
    with pytest.raises(ValueError, match="SMTP_URL"):
        SmtpServer.parse("http://mail.example.in")


def test_without_an_smtp_server_development_prints_and_production_sends_none(
    settings: Settings,
) -> None:
    assert isinstance(create_email_provider(settings), ConsoleEmailProvider)
    configured = settings.model_copy(
        update={"notify": settings.notify.model_copy(update={"smtp_url": None})}
    )
    production = configured.model_copy(
        update={"app": settings.app.model_copy(update={"environment": Environment.PRODUCTION})}
    )
    assert create_email_provider(production) is None
