"""The notifications service's tables: the inbox, the channels each user chose, and what was sent
where (for the once-a-day cap on new matches and for the digest)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from msmebazaar.shared.db import Base, UUIDPrimaryKey, utcnow
from msmebazaar.shared.events import Position


class Notification(Base):
    """One thing that happened, for one user, in their language, with a link into the portal.

    `seq` orders a user's notifications as they were committed (one handler writes them, one
    event at a time), so it is the live stream's event id: a stream resumed with
    `Last-Event-ID: n` sends exactly those after n."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_id_seq", "user_id", "seq"),
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(Position, primary_key=True, autoincrement=True)
    id: Mapped[uuid.UUID] = mapped_column(unique=True)
    user_id: Mapped[uuid.UUID]
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(String(1000))
    link: Mapped[str] = mapped_column(String(300))
    # What a cap counts by (a new match's mandate): at most one message a day per topic.
    topic: Mapped[str | None] = mapped_column(String(64))
    # Sent later in the day's digest rather than now (the user's choice at the time).
    in_digest: Mapped[bool] = mapped_column(default=False)
    read_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChannelChoice(Base):
    """A user's choice for one kind on one channel; without a row the kind's default holds."""

    __tablename__ = "notification_channel_choices"

    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    enabled: Mapped[bool]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DigestChoice(Base):
    """A user who takes one message a day instead of one per notification: when the last
    digest went (claimed by a compare-and-set, so two processes never send one twice) and the
    `seq` it covered up to (the next one takes what came after, committed or not when the last
    one looked: seqs are given in commit order)."""

    __tablename__ = "notification_digests"

    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=False)
    sent_at: Mapped[datetime | None]
    digested_seq: Mapped[int] = mapped_column(Position, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ChannelSend(UUIDPrimaryKey, Base):
    """A message queued for a notification on one channel (the outbox delivers it)."""

    __tablename__ = "notification_sends"
    __table_args__ = (Index("ix_notification_sends_topic", "user_id", "topic", "channel", "day"),)

    notification_seq: Mapped[int] = mapped_column(Position)
    user_id: Mapped[uuid.UUID]
    channel: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str | None] = mapped_column(String(64))
    day: Mapped[str] = mapped_column(String(10))  # India's calendar day it goes out on
    outbox_id: Mapped[uuid.UUID]
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
