"""Notifications (DESIGN.md §3 "Notifications"):

- `notifications`: each user's inbox; `seq` is the commit order, the live stream's event id.
- `notification_channel_choices`: a user's channel choice for one kind (defaults otherwise).
- `notification_digests`: users taking one digest a day, and when the last one went.
- `notification_sends`: messages queued per notification and channel (the daily cap of new
  matches per mandate counts these).

New tables only: nothing existing is rewritten. The event handlers change hands: the
`notifications.inbox` handler starts at the newest stored event (so nobody is told again of what
happened before, and nothing committed between this migration and the first worker of the new
build is missed), and the retired `whatsapp.deal_notice` cursor goes (a cursor nobody moves
would keep every event from being pruned).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-08 00:30:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from msmebazaar.shared.db import UTCDateTime

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("seq", _SEQ, autoincrement=True, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.String(1000), nullable=False),
        sa.Column("link", sa.String(300), nullable=False),
        sa.Column("topic", sa.String(64), nullable=True),
        sa.Column("in_digest", sa.Boolean(), nullable=False),
        sa.Column("read_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_notifications")),
        sa.UniqueConstraint("id", name=op.f("uq_notifications_id")),
        sqlite_autoincrement=True,  # a seq is never given twice: it is a stream's event id
    )
    op.create_index("ix_notifications_user_id_seq", "notifications", ["user_id", "seq"])
    op.create_index("ix_notifications_user_id_read_at", "notifications", ["user_id", "read_at"])
    op.create_table(
        "notification_channel_choices",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint(
            "user_id", "kind", "channel", name=op.f("pk_notification_channel_choices")
        ),
    )
    op.create_table(
        "notification_digests",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("digested_seq", _SEQ, nullable=False, server_default="0"),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_digests")),
    )
    op.create_table(
        "notification_sends",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("notification_seq", _SEQ, nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("topic", sa.String(64), nullable=True),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("outbox_id", sa.Uuid(), nullable=False),
        sa.Column("queued_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_sends")),
    )
    op.create_index(
        "ix_notification_sends_topic",
        "notification_sends",
        ["user_id", "topic", "channel", "day"],
    )
    _hand_over_cursors()


_HANDLERS = sa.table(
    "event_handlers",
    sa.column("handler", sa.String()),
    sa.column("position", _SEQ),
    sa.column("attempts", sa.Integer()),
    sa.column("next_attempt_at", UTCDateTime()),
    sa.column("updated_at", UTCDateTime()),
)
_EVENTS = sa.table("domain_events", sa.column("position", _SEQ))


def _hand_over_cursors() -> None:
    bind = op.get_bind()
    op.execute(_HANDLERS.delete().where(_HANDLERS.c.handler == "whatsapp.deal_notice"))
    taken = bind.scalar(
        sa.select(_HANDLERS.c.handler).where(_HANDLERS.c.handler == "notifications.inbox")
    )
    if taken is None:
        newest = bind.scalar(sa.select(sa.func.max(_EVENTS.c.position))) or 0
        now = datetime.now(UTC)
        row = {"handler": "notifications.inbox", "position": newest, "attempts": 0}
        op.bulk_insert(_HANDLERS, [row | {"next_attempt_at": now, "updated_at": now}])


def downgrade() -> None:
    op.execute(_HANDLERS.delete().where(_HANDLERS.c.handler == "notifications.inbox"))
    op.drop_table("notification_sends")
    op.drop_table("notification_digests")
    op.drop_table("notification_channel_choices")
    op.drop_index("ix_notifications_user_id_read_at", table_name="notifications")
    op.drop_index("ix_notifications_user_id_seq", table_name="notifications")
    op.drop_table("notifications")
