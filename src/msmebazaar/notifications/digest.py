"""The daily digest: a user who chose it gets, once a day after 08:00 India time, one message per
channel listing what happened since the last one, instead of a message per notification. Every
app process serving notifications looks every few minutes; a compare-and-set on the user's
`sent_at` lets exactly one of them send each digest, and the digest covers the notifications
after the last `seq` the previous one covered (seqs are given in commit order, so none is
skipped for having committed while a digest was being read)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import datetime, timedelta

import structlog
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.service import UserRead, UserStatus, get_user
from msmebazaar.notifications.delivery import email_content
from msmebazaar.notifications.email import EMAIL_CHANNEL
from msmebazaar.notifications.kinds import Channel, Kind
from msmebazaar.notifications.models import DigestChoice, Notification
from msmebazaar.notifications.preferences import channels_for, email_available
from msmebazaar.notifications.quiet import is_quiet, next_morning
from msmebazaar.notifications.texts import TEXTS, cut
from msmebazaar.shared.config import Settings
from msmebazaar.shared.db import Database, utcnow
from msmebazaar.shared.exceptions import NotFoundError
from msmebazaar.shared.outbox import enqueue
from msmebazaar.whatsapp.service import queue_notice

logger = structlog.get_logger("msmebazaar.notifications")

DIGEST_TEMPLATE = "notification_digest"
CHECK_SECONDS = 300.0
DIGEST_LIMIT = 200  # notifications one digest lists at most (the inbox has them all)
TITLES_IN_SMS = 3


def this_morning(now: datetime) -> datetime:
    """The latest 08:00 India time at or before `now`."""
    return next_morning(now) - timedelta(days=1)


async def send_digests(database: Database, settings: Settings, now: datetime | None = None) -> int:
    """Send every digest that is due; how many users got one. Nothing is sent in quiet hours."""
    now = now or utcnow()
    if is_quiet(now):
        return 0
    morning = this_morning(now)
    async with database.read_session() as session:
        due = (
            await session.execute(
                select(DigestChoice.user_id, DigestChoice.sent_at).where(
                    DigestChoice.enabled.is_(True),
                    or_(DigestChoice.sent_at.is_(None), DigestChoice.sent_at < morning),
                )
            )
        ).all()
    sent = 0
    for user_id, last in due:
        async with database.session("notification digest") as session:
            if await _claim(session, user_id, last, now):
                sent += await _send_one(session, settings, user_id)
    return sent


async def _claim(
    session: AsyncSession, user_id: uuid.UUID, last: datetime | None, now: datetime
) -> bool:
    """Move the user's `sent_at` from `last` to `now`; `False` if another process did first."""
    same = DigestChoice.sent_at.is_(None) if last is None else DigestChoice.sent_at == last
    result = await session.execute(
        update(DigestChoice)
        .where(DigestChoice.user_id == user_id, DigestChoice.enabled.is_(True), same)
        .values(sent_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def _send_one(session: AsyncSession, settings: Settings, user_id: uuid.UUID) -> int:
    """The user's digest of what came after the last one (claimed in this unit); 1 if sent."""
    covered = await session.scalar(
        select(DigestChoice.digested_seq).where(DigestChoice.user_id == user_id)
    )
    rows = list(
        await session.scalars(
            select(Notification)
            .where(
                Notification.user_id == user_id,
                Notification.in_digest.is_(True),
                Notification.seq > (covered or 0),
            )
            .order_by(Notification.seq)
            .limit(DIGEST_LIMIT)
        )
    )
    if not rows:
        return 0
    await session.execute(
        update(DigestChoice)
        .where(DigestChoice.user_id == user_id)
        .values(digested_seq=rows[-1].seq)
        .execution_options(synchronize_session=False)
    )
    try:
        user = await get_user(session, user_id)
    except NotFoundError:
        return 0
    if user.status is not UserStatus.ACTIVE:
        return 0
    channels: set[Channel] = set()
    for kind in {Kind(row.kind) for row in rows}:
        channels |= await channels_for(session, user_id, kind)
    await _queue(session, settings, user, rows, channels)
    return 1


async def _queue(
    session: AsyncSession,
    settings: Settings,
    user: UserRead,
    rows: list[Notification],
    channels: set[Channel],
) -> None:
    language, count = user.language.value, len(rows)
    inbox = settings.app.public_base_url.rstrip("/") + "/notifications"
    if Channel.EMAIL in channels and user.email and email_available(settings):
        lines = [f"• {row.title}: {row.body}" for row in rows]
        subject = TEXTS.text("digest.subject", language, count=count)
        content = email_content(settings, language, subject, "\n".join(lines), inbox)
        enqueue(session, EMAIL_CHANNEL, user.email, content.dumps(), template=DIGEST_TEMPLATE)
    if channels & {Channel.SMS, Channel.WHATSAPP}:
        titles = "; ".join(dict.fromkeys(row.title for row in rows[-TITLES_IN_SMS:]))
        text = TEXTS.text("digest.sms", language, count=count, titles=cut(titles, 120), url=inbox)
        if Channel.WHATSAPP in channels and await queue_notice(
            session, user.phone, text, template=DIGEST_TEMPLATE
        ):
            return
        if Channel.SMS in channels:
            enqueue(session, "sms", user.phone, text, template=DIGEST_TEMPLATE)


class DigestLoop:
    """Sends due digests every `CHECK_SECONDS` in a task of this process."""

    def __init__(self, database: Database, settings: Settings) -> None:
        self.database = database
        self.settings = settings
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Begin looking (the first look is at once)."""
        self._task = asyncio.create_task(self._run(), name="notification-digests")

    async def _run(self) -> None:
        while True:
            try:
                await send_digests(self.database, self.settings)
            except Exception as exc:  # a database outage only delays the digest
                logger.warning("notification_digest_failed", error=type(exc).__name__)
            await asyncio.sleep(CHECK_SECONDS)

    async def stop(self) -> None:
        """Stop looking."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
