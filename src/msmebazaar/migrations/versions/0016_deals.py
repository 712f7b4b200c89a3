"""Deal rooms (DESIGN.md §3 "Deals"): `deals`, one per accepted interest, with its stage;
`nda_acceptances`, each party's immutable acceptance of the deal's NDA; `deal_messages`, the
parties' messages in order; `offers`, the prices put and countered. Accepted interests from before get their deal here, at
`introduced`.

New tables, then one read of the accepted interests and one bulk insert of their deals (a row
per accepted interest: a few thousand at most today): nothing existing is locked or rewritten.
An interest the previous release accepts while this one rolls out gets no deal (a known gap:
run the rollout with the old pods drained first).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from msmebazaar.shared.db import UTCDateTime

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAGES = ("introduced", "nda_signed", "diligence", "offer", "closed_won", "closed_lost")


def upgrade() -> None:
    op.create_table(
        "deals",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("listing_id", sa.Uuid(), nullable=False),
        sa.Column("interest_id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("buyer_id", sa.Uuid(), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("stage_changed_at", UTCDateTime(), nullable=False),
        sa.Column("closed_by", sa.Uuid(), nullable=True),
        sa.Column("closed_reason", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "stage IN (" + ", ".join(repr(stage) for stage in STAGES) + ")",
            name=op.f("ck_deals_stage"),
        ),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listings.id"],
            name=op.f("fk_deals_listing_id_listings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interest_id"],
            ["interests.id"],
            name=op.f("fk_deals_interest_id_interests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deals")),
        sa.UniqueConstraint("interest_id", name=op.f("uq_deals_interest_id")),
    )
    op.create_index("ix_deals_listing_id", "deals", ["listing_id"])
    op.create_index("ix_deals_owner_id_updated_at", "deals", ["owner_id", "updated_at"])
    op.create_index("ix_deals_buyer_id_updated_at", "deals", ["buyer_id", "updated_at"])
    op.create_table(
        "nda_acceptances",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("deal_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.String(16), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("text_sha256", sa.String(64), nullable=False),
        sa.Column("ip_address", sa.String(64), nullable=True),
        sa.Column("user_agent", sa.String(255), nullable=True),
        sa.Column("accepted_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["deal_id"],
            ["deals.id"],
            name=op.f("fk_nda_acceptances_deal_id_deals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nda_acceptances")),
        sa.UniqueConstraint("deal_id", "user_id", name=op.f("uq_nda_acceptances_deal_id_user_id")),
    )
    op.create_table(
        "deal_messages",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("deal_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("sender_id", sa.Uuid(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["deal_id"],
            ["deals.id"],
            name=op.f("fk_deal_messages_deal_id_deals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_messages")),
    )
    op.create_index(
        "ix_deal_messages_deal_id_position", "deal_messages", ["deal_id", "position"], unique=True
    )
    op.create_table(
        "offers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("deal_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("side", sa.String(5), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("stake_percent", sa.Numeric(5, 2), nullable=True),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("valid_until", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("counters_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'rejected', 'withdrawn', 'countered', 'expired')",
            name=op.f("ck_offers_status"),
        ),
        sa.CheckConstraint("side IN ('buyer', 'owner')", name=op.f("ck_offers_side")),
        sa.CheckConstraint("amount > 0", name=op.f("ck_offers_amount_positive")),
        sa.ForeignKeyConstraint(
            ["deal_id"], ["deals.id"], name=op.f("fk_offers_deal_id_deals"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offers")),
    )
    op.create_index("ix_offers_deal_id_created_at", "offers", ["deal_id", "created_at"])
    _open_deals_of_accepted_interests()


def _open_deals_of_accepted_interests() -> None:
    interests = sa.table(
        "interests",
        sa.column("id", sa.Uuid()),
        sa.column("listing_id", sa.Uuid()),
        sa.column("buyer_id", sa.Uuid()),
        sa.column("status", sa.String()),
        sa.column("decided_at", UTCDateTime()),
        sa.column("created_at", UTCDateTime()),
    )
    listings = sa.table("listings", sa.column("id", sa.Uuid()), sa.column("owner_id", sa.Uuid()))
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            interests.c.id,
            interests.c.listing_id,
            interests.c.buyer_id,
            listings.c.owner_id,
            sa.func.coalesce(interests.c.decided_at, interests.c.created_at),
        )
        .join(listings, listings.c.id == interests.c.listing_id)
        .where(interests.c.status == "accepted")
    ).all()
    if not rows:
        return
    import uuid  # noqa: PLC0415 - only this data step needs it

    deals = sa.table(
        "deals",
        *(
            sa.column(name, sa.Uuid())
            for name in ("id", "listing_id", "interest_id", "owner_id", "buyer_id")
        ),
        sa.column("stage", sa.String()),
        sa.column("stage_changed_at", UTCDateTime()),
        sa.column("created_at", UTCDateTime()),
        sa.column("updated_at", UTCDateTime()),
    )
    op.bulk_insert(
        deals,
        [
            {
                "id": uuid.uuid4(),
                "listing_id": listing_id,
                "interest_id": interest_id,
                "owner_id": owner_id,
                "buyer_id": buyer_id,
                "stage": "introduced",
                "stage_changed_at": decided,
                "created_at": decided,
                "updated_at": decided,
            }
            for interest_id, listing_id, buyer_id, owner_id, decided in rows
        ],
    )


def downgrade() -> None:
    op.drop_index("ix_offers_deal_id_created_at", table_name="offers")
    op.drop_table("offers")
    op.drop_index("ix_deal_messages_deal_id_position", table_name="deal_messages")
    op.drop_table("deal_messages")
    op.drop_table("nda_acceptances")
    op.drop_index("ix_deals_buyer_id_updated_at", table_name="deals")
    op.drop_index("ix_deals_owner_id_updated_at", table_name="deals")
    op.drop_index("ix_deals_listing_id", table_name="deals")
    op.drop_table("deals")
