"""Writing a notification and sending it where the user asked: the one place every kind passes.

A notification is stored in the event handler's unit of work, so it exists exactly when the
event was taken (at most once per event and user, even across a crash and retry). In the same
unit the messages for the user's channels go to the outbox — SMS or WhatsApp for the phone (one
of the two: WhatsApp while the user's window is open, else SMS), email to the account's address —
each held until 08:00 India time if due in quiet hours, and none at all for a user who takes the
daily digest (`digest.py` sends that). Once the unit commits, open streams are told
(`broker.py`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.service import UserRead, UserStatus, get_user
from msmebazaar.notifications.broker import Broker
from msmebazaar.notifications.email import EMAIL_CHANNEL, EmailContent
from msmebazaar.notifications.inbox import as_read, newest_seq, unread_count
from msmebazaar.notifications.kinds import Channel, Kind
from msmebazaar.notifications.metrics import NOTIFICATIONS_CREATED
from msmebazaar.notifications.models import ChannelSend, Notification
from msmebazaar.notifications.preferences import channels_for, digest_enabled, email_available
from msmebazaar.notifications.quiet import india_day, release_time
from msmebazaar.notifications.texts import TEXTS, body_of, cut, title_of
from msmebazaar.shared.config import Settings
from msmebazaar.shared.db import utcnow
from msmebazaar.shared.dispatch import Delivery
from msmebazaar.shared.exceptions import NotFoundError
from msmebazaar.shared.outbox import enqueue
from msmebazaar.whatsapp.service import queue_notice

SMS_CHARS = 320  # two SMS segments of Latin text; a Hindi notice is cut at the same length
PHONE_CHANNELS = {Channel.SMS, Channel.WHATSAPP}
PREFERENCES_PATH = "/notifications/preferences"


@dataclass(frozen=True)
class Notice:
    """What to tell one user: the kind, the values its text needs, where it links, and the
    topic a daily cap counts by (a new match's mandate)."""

    user_id: uuid.UUID
    kind: Kind
    link: str
    params: dict[str, str] = field(default_factory=dict)
    variant: str = "body"  # which of the kind's texts (an offer's answer has two)
    topic: str | None = None


class Notifier:
    """Notifications written in one delivery's unit of work, announced once it commits."""

    def __init__(self, delivery: Delivery) -> None:
        self.database = delivery.database
        self.settings: Settings = delivery.runtime.settings
        self.broker = delivery.runtime.part(Broker, lambda: Broker.from_settings(self.settings))
        self._published: list[dict[str, Any]] = []
        self._kinds: list[Kind] = []
        delivery.after_commit(self._announce)

    async def send(self, notice: Notice) -> Notification | None:
        """Store the notice for its user and queue their channels' messages; `None` when the
        user is gone."""
        async with self.database.session() as session:
            user = await _recipient(session, notice.user_id)
            if user is None:
                return None
            previous = await newest_seq(session, user.id)  # the stream's check for a gap
            row = await self._store(session, user, notice)
            if user.status is UserStatus.ACTIVE and not row.in_digest:
                await self._queue_channels(session, user, notice, row)
            message = {
                "user_id": str(user.id),
                "seq": row.seq,
                "prev_seq": previous,
                "notification": as_read(row).model_dump(mode="json"),
                "unread": await unread_count(session, user.id),
            }
        self._published.append(message)
        self._kinds.append(notice.kind)
        return row

    async def _store(self, session: AsyncSession, user: UserRead, notice: Notice) -> Notification:
        language = user.language.value
        row = Notification(
            id=uuid.uuid4(),
            user_id=user.id,
            kind=notice.kind.value,
            title=title_of(notice.kind, language),
            body=body_of(notice.kind, language, notice.variant, **notice.params),
            link=notice.link,
            topic=notice.topic,
            in_digest=await digest_enabled(session, user.id),
            created_at=utcnow(),
        )
        session.add(row)
        await session.flush()  # gives it its `seq`
        return row

    async def _queue_channels(
        self, session: AsyncSession, user: UserRead, notice: Notice, row: Notification
    ) -> None:
        channels = await channels_for(session, user.id, notice.kind)
        now = utcnow()
        release = release_time(now)
        url = self.settings.app.public_base_url.rstrip("/") + row.link
        send = _Send(user, row, url, release, release if release > now else None)
        if Channel.EMAIL in channels:
            await self._queue_email(session, send)
        if channels & {Channel.SMS, Channel.WHATSAPP}:
            await self._queue_phone(session, send, channels)

    async def _queue_email(self, session: AsyncSession, send: _Send) -> None:
        user, row = send.user, send.row
        if not user.email or not email_available(self.settings):
            return
        if await _capped(session, send, {Channel.EMAIL}):
            return
        content = email_content(self.settings, user.language.value, row.title, row.body, send.url)
        queued = enqueue(
            session,
            EMAIL_CHANNEL,
            user.email,
            content.dumps(),
            template=row.kind,
            not_before=send.held,
        )
        _record_send(session, send, Channel.EMAIL, queued.id)

    async def _queue_phone(
        self, session: AsyncSession, send: _Send, channels: set[Channel]
    ) -> None:
        """One message to the phone: WhatsApp inside the user's window, else SMS."""
        user, row = send.user, send.row
        if await _capped(session, send, PHONE_CHANNELS):  # the phone is one place to cap
            return
        text = sms_text(user.language.value, row.body, send.url)
        if Channel.WHATSAPP in channels:
            sent = await queue_notice(
                session, user.phone, text, template=row.kind, not_before=send.held
            )
            if sent is not None:
                _record_send(session, send, Channel.WHATSAPP, sent)
                return
        if Channel.SMS in channels:
            queued = enqueue(
                session, "sms", user.phone, text, template=row.kind, not_before=send.held
            )
            _record_send(session, send, Channel.SMS, queued.id)

    async def _announce(self) -> None:
        for kind in self._kinds:
            NOTIFICATIONS_CREATED.labels(kind.value).inc()
        if self._published:
            await self.broker.publish(self._published)


async def _recipient(session: AsyncSession, user_id: uuid.UUID) -> UserRead | None:
    try:
        return await get_user(session, user_id)
    except NotFoundError:  # the account was deleted: nobody to tell
        return None


@dataclass(frozen=True)
class _Send:
    """One notification on its way to a user's channels: the link in full, when the messages
    may go (`release`), and `held` when that is later than now (quiet hours)."""

    user: UserRead
    row: Notification
    url: str
    release: datetime
    held: datetime | None


def sms_text(language: str, body: str, url: str) -> str:
    """A notice for the phone within `SMS_CHARS`: the body is shortened, never the link."""
    empty = TEXTS.text("sms", language, body="", url=url)
    return TEXTS.text("sms", language, body=cut(body, SMS_CHARS - len(empty)), url=url)


def email_content(
    settings: Settings, language: str, subject: str, text: str, link: str
) -> EmailContent:
    """An email's content in `language`, with the link to open and to the preferences."""
    preferences = settings.app.public_base_url.rstrip("/") + PREFERENCES_PATH
    return EmailContent(
        subject=subject,
        text=text,
        link=link,
        open_label=TEXTS.text("email.open", language),
        footer=TEXTS.text("email.footer", language, url=preferences),
        preferences=preferences,
        language=language,
    )


async def _capped(session: AsyncSession, send: _Send, channels: set[Channel]) -> bool:
    """Whether the notification's topic already had a message on one of `channels` that day."""
    row = send.row
    if row.topic is None:
        return False
    found = await session.scalar(
        select(ChannelSend.id)
        .where(
            ChannelSend.user_id == row.user_id,
            ChannelSend.topic == row.topic,
            ChannelSend.channel.in_([channel.value for channel in channels]),
            ChannelSend.day == india_day(send.release),
        )
        .limit(1)
    )
    return found is not None


def _record_send(
    session: AsyncSession, send: _Send, channel: Channel, outbox_id: uuid.UUID
) -> None:
    session.add(
        ChannelSend(
            id=uuid.uuid4(),
            notification_seq=send.row.seq,
            user_id=send.row.user_id,
            channel=channel.value,
            topic=send.row.topic,
            day=india_day(send.release),
            outbox_id=outbox_id,
            queued_at=utcnow(),
        )
    )
