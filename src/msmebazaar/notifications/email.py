"""Email notifications: the message as MIME (plain text and HTML, in the user's language) and
its delivery over SMTP with `aiosmtplib` (`SMTP_URL`, `EMAIL_FROM`). In development without an
SMTP server the email is printed instead, like the console SMS."""

from __future__ import annotations

import html
import json
import sys
import urllib.parse
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

import aiosmtplib

from msmebazaar.shared.config import Settings
from msmebazaar.shared.messaging import DeliveryError, MessageProvider, OutboundMessage

EMAIL_CHANNEL = "email"


@dataclass(frozen=True)
class EmailContent:
    """What one email says: its subject, its text, the link to open and where to change the
    settings that sent it."""

    subject: str
    text: str
    link: str
    open_label: str
    footer: str
    preferences: str
    language: str

    def dumps(self) -> str:
        """As the outbox stores it."""
        return json.dumps(self.__dict__, ensure_ascii=False)

    @classmethod
    def loads(cls, body: str) -> EmailContent:
        """Read back what `dumps` stored."""
        return cls(**json.loads(body))


def compose(content: EmailContent, *, to: str, sender: str) -> EmailMessage:
    """The MIME message: a text part and an HTML part saying the same."""
    message = EmailMessage()
    domain = parseaddr(sender)[1].rpartition("@")[2] or "msmebazaar.in"
    message["From"] = sender
    message["To"] = to
    message["Subject"] = content.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to it
    message["List-Unsubscribe"] = f"<{content.preferences}>"
    message.set_content(
        f"{content.text}\n\n{content.open_label} {content.link}\n\n-- \n{content.footer}\n"
    )
    message.add_alternative(_html(content), subtype="html")
    # After the parts: setting the content moves `Content-*` headers into the first part.
    message["Content-Language"] = content.language
    return message


def _html(content: EmailContent) -> str:
    text, link = html.escape(content.text), html.escape(content.link, quote=True)
    footer = html.escape(content.footer)
    return (
        f'<!doctype html><html lang="{html.escape(content.language)}"><body>'
        f'<p>{text}</p><p><a href="{link}">{html.escape(content.open_label)} {link}</a></p>'
        f'<p style="color:#555;font-size:12px">{footer}</p></body></html>'
    )


@dataclass(frozen=True)
class SmtpServer:
    """Where `SMTP_URL` points: `smtp://` (STARTTLS when offered) or `smtps://` (TLS at once)."""

    hostname: str
    port: int
    username: str | None
    password: str | None
    implicit_tls: bool

    @classmethod
    def parse(cls, url: str) -> SmtpServer:
        """Read an `SMTP_URL`; `ValueError` when it is not one."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("SMTP_URL must look like smtp://user:password@host:587")
        implicit = parts.scheme == "smtps"
        return cls(
            hostname=parts.hostname,
            port=parts.port or (465 if implicit else 587),
            username=urllib.parse.unquote(parts.username) if parts.username else None,
            password=urllib.parse.unquote(parts.password) if parts.password else None,
            implicit_tls=implicit,
        )


class SmtpEmailProvider:
    """Sends each email in its own SMTP session (the outbox worker sends a handful at a time)."""

    name = "smtp"

    def __init__(self, server: SmtpServer, *, sender: str, timeout: float) -> None:
        self._server = server
        self._sender = sender
        self._timeout = timeout

    async def send(self, message: OutboundMessage) -> str:
        """Deliver the email; a refused address is final, a busy or unreachable server is not."""
        email = compose(EmailContent.loads(message.body), to=message.to, sender=self._sender)
        server = self._server
        try:
            await aiosmtplib.send(
                email,
                hostname=server.hostname,
                port=server.port,
                username=server.username,
                password=server.password,
                use_tls=server.implicit_tls,
                # With a password, STARTTLS is required (never sent in clear to a server that
                # does not offer it, or to an attacker who strips the offer); else if offered.
                start_tls=False if server.implicit_tls else (True if server.username else None),
                timeout=self._timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            # 4xx (greylisting, a full mailbox) asks us to come back; 5xx is final.
            temporary = all(refusal.code < 500 for refusal in exc.recipients)
            raise DeliveryError("smtp refused the recipient", retryable=temporary) from exc
        except aiosmtplib.SMTPResponseException as exc:
            # 5xx is a permanent refusal (RFC 5321 §4.2.1); 4xx asks us to try later.
            raise DeliveryError(f"smtp {exc.code}", retryable=exc.code < 500) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"smtp {type(exc).__name__}", retryable=True) from exc
        return str(email["Message-ID"])

    async def close(self) -> None:
        """Nothing held between sends."""


class ConsoleEmailProvider:
    """Development only: prints the email's subject, text and link."""

    name = "console"

    async def send(self, message: OutboundMessage) -> str:
        """Print the email to standard output."""
        content = EmailContent.loads(message.body)
        sys.stdout.write(
            f"[email to {message.to}] {content.subject}: {content.text} {content.link}\n"
        )
        sys.stdout.flush()
        return f"console-{message.id}"

    async def close(self) -> None:
        """Nothing to release."""


def create_email_provider(settings: Settings) -> MessageProvider | None:
    """The configured email sender: SMTP, the console in development, none in production."""
    notify = settings.notify
    if notify.smtp_url is not None:
        server = SmtpServer.parse(notify.smtp_url.get_secret_value())
        return SmtpEmailProvider(
            server, sender=notify.email_from, timeout=notify.smtp_timeout_seconds
        )
    return None if settings.is_production else ConsoleEmailProvider()
