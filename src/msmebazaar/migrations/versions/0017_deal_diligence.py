"""Deal rooms, part two (DESIGN.md §3 "Deals"):

- `listings.nda_required`: whether a buyer sees the business's documents and exact figures only
  after both sides accepted the NDA. Existing listings were published without that promise, so
  they get `false`; the application gives new listings `true`.
- `listings.under_offer`: set while a deal of the listing has an accepted offer; the public status
  then reads `under_offer` (the stored status stays `active`, so search, interests and every
  status check keep working).
- `deals.nda_signed_at`: when the second side accepted the NDA (filled in from the acceptances);
  listings with a deal already at `offer` are marked under offer.
- `document_accesses`: each document a deal's buyer opened (who, which, when), for the owner.

Columns with constant defaults and a new table: nothing is rewritten on PostgreSQL (adding a
column with a constant default is metadata only), and SQLite adds columns in place.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 20:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from msmebazaar.shared.db import UTCDateTime

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN on both databases: a batch copy of `listings` on SQLite would drop the
    # full-text triggers that reference it.
    for name in ("nda_required", "under_offer"):
        op.add_column(
            "listings", sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.add_column("deals", sa.Column("nda_signed_at", UTCDateTime(), nullable=True))
    _fill_in_nda_signed_at()
    _mark_listings_under_offer()
    op.create_table(
        "document_accesses",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("deal_id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("accessed_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["deal_id"],
            ["deals.id"],
            name=op.f("fk_document_accesses_deal_id_deals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["msme_documents.id"],
            name=op.f("fk_document_accesses_document_id_msme_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_accesses")),
    )
    op.create_index(
        "ix_document_accesses_deal_id_accessed_at",
        "document_accesses",
        ["deal_id", "accessed_at"],
    )
    op.create_index("ix_document_accesses_document_id", "document_accesses", ["document_id"])


def _fill_in_nda_signed_at() -> None:
    """A deal both sides accepted the NDA of was signed at the later of the two acceptances."""
    op.execute(
        """
        UPDATE deals SET nda_signed_at = (
            SELECT MAX(a.accepted_at) FROM nda_acceptances a WHERE a.deal_id = deals.id
        )
        WHERE (SELECT COUNT(*) FROM nda_acceptances a WHERE a.deal_id = deals.id) >= 2
        """
    )


def _mark_listings_under_offer() -> None:
    """An active listing with a deal already at `offer` (accepted under 0016) is under offer."""
    listings = sa.table(
        "listings",
        sa.column("id", sa.Uuid()),
        sa.column("status", sa.String()),
        sa.column("under_offer", sa.Boolean()),
    )
    deals = sa.table("deals", sa.column("listing_id", sa.Uuid()), sa.column("stage", sa.String()))
    at_offer = sa.exists().where(deals.c.listing_id == listings.c.id, deals.c.stage == "offer")
    op.execute(
        listings.update()
        .where(listings.c.status == "active", at_offer)
        .values(under_offer=sa.true())
    )


def downgrade() -> None:
    op.drop_index("ix_document_accesses_document_id", table_name="document_accesses")
    op.drop_index("ix_document_accesses_deal_id_accessed_at", table_name="document_accesses")
    op.drop_table("document_accesses")
    op.drop_column("deals", "nda_signed_at")
    for name in ("under_offer", "nda_required"):
        op.drop_column("listings", name)
