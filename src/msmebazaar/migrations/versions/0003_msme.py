"""MSME: business profiles, financials by year, documents, listings and interests.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 06:00:18.125502
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from msmebazaar.shared.db import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "msmes",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("legal_name", sa.String(length=200), nullable=False),
        sa.Column("trade_name", sa.String(length=200), nullable=True),
        sa.Column("legal_form", sa.String(length=20), nullable=False),
        sa.Column("gstin", sa.String(length=15), nullable=True),
        sa.Column("pan", sa.String(length=10), nullable=True),
        sa.Column("udyam_number", sa.String(length=19), nullable=True),
        sa.Column("cin", sa.String(length=21), nullable=True),
        sa.Column("sector", sa.String(length=40), nullable=False),
        sa.Column("sub_sector", sa.String(length=120), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("products", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=60), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("pincode", sa.String(length=6), nullable=True),
        sa.Column("year_established", sa.BigInteger(), nullable=True),
        sa.Column("employees", sa.BigInteger(), nullable=True),
        sa.Column("investment_in_plant_machinery", sa.BigInteger(), nullable=True),
        sa.Column("website", sa.String(length=255), nullable=True),
        sa.Column("classification", sa.String(length=10), nullable=False),
        sa.Column("verification_status", sa.String(length=10), nullable=False),
        sa.Column("verification_reason", sa.Text(), nullable=True),
        sa.Column("verified_at", UTCDateTime(), nullable=True),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "classification IN ('micro', 'small', 'medium', 'not_msme', 'unknown')",
            name=op.f("ck_msmes_classification"),
        ),
        sa.CheckConstraint(
            "legal_form IN ('proprietorship', 'partnership', 'llp', 'private_limited', 'public_limited', 'opc', 'other')",
            name=op.f("ck_msmes_legal_form"),
        ),
        sa.CheckConstraint(
            "verification_status IN ('pending', 'verified', 'rejected')",
            name=op.f("ck_msmes_verification_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_msmes")),
    )
    with op.batch_alter_table("msmes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_msmes_discovery", ["verification_status", "sector", "state"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_msmes_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_msmes_pan"), ["pan"], unique=False)
        batch_op.create_index("ix_msmes_updated_at", ["updated_at"], unique=False)
        batch_op.create_index(
            "uq_msmes_gstin_live",
            ["gstin"],
            unique=True,
            sqlite_where=sa.text("gstin IS NOT NULL AND deleted_at IS NULL"),
            postgresql_where=sa.text("gstin IS NOT NULL AND deleted_at IS NULL"),
        )
        batch_op.create_index(
            "uq_msmes_udyam_live",
            ["udyam_number"],
            unique=True,
            sqlite_where=sa.text("udyam_number IS NOT NULL AND deleted_at IS NULL"),
            postgresql_where=sa.text("udyam_number IS NOT NULL AND deleted_at IS NULL"),
        )

    op.create_table(
        "listings",
        sa.Column("msme_id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("deal_type", sa.String(length=16), nullable=False),
        sa.Column("asking_price", sa.BigInteger(), nullable=False),
        sa.Column(
            "stake_percent", sa.Numeric(precision=5, scale=2, asdecimal=False), nullable=True
        ),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("headline", sa.String(length=120), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("sector", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=60), nullable=False),
        sa.Column("revenue", sa.BigInteger(), nullable=True),
        sa.Column("ebitda", sa.BigInteger(), nullable=True),
        sa.Column("views_count", sa.BigInteger(), nullable=False),
        sa.Column("interests_count", sa.BigInteger(), nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=True),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "deal_type IN ('full_sale', 'stake_sale', 'investment', 'debt')",
            name=op.f("ck_listings_deal_type"),
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'active', 'rejected', 'closed')",
            name=op.f("ck_listings_status"),
        ),
        sa.CheckConstraint("asking_price > 0", name=op.f("ck_listings_asking_price_positive")),
        sa.ForeignKeyConstraint(
            ["msme_id"], ["msmes.id"], name=op.f("fk_listings_msme_id_msmes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listings")),
    )
    with op.batch_alter_table("listings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_listings_msme_id"), ["msme_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_listings_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index("ix_listings_updated_at", ["updated_at"], unique=False)
        batch_op.create_index(
            "ix_listings_search",
            ["status", "sector", "state", "deal_type", "asking_price", "revenue"],
            unique=False,
        )
        batch_op.create_index(
            "ix_listings_status_price", ["status", "asking_price", "id"], unique=False
        )
        batch_op.create_index(
            "ix_listings_status_published", ["status", "published_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_listings_status_revenue", ["status", "revenue", "id"], unique=False
        )

    op.create_table(
        "msme_documents",
        sa.Column("msme_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=255), nullable=False),
        sa.Column("uploaded_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('gst_certificate', 'udyam_certificate', 'pan_card', 'financial_statement', 'itr', 'other')",
            name=op.f("ck_msme_documents_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["msme_id"],
            ["msmes.id"],
            name=op.f("fk_msme_documents_msme_id_msmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_msme_documents")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_msme_documents_storage_key")),
    )
    with op.batch_alter_table("msme_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_msme_documents_msme_id"), ["msme_id"], unique=False)

    op.create_table(
        "msme_financials",
        sa.Column("msme_id", sa.Uuid(), nullable=False),
        sa.Column("fiscal_year", sa.String(length=7), nullable=False),
        sa.Column("revenue", sa.BigInteger(), nullable=False),
        sa.Column("ebitda", sa.BigInteger(), nullable=True),
        sa.Column("net_profit", sa.BigInteger(), nullable=True),
        sa.Column("depreciation", sa.BigInteger(), nullable=True),
        sa.Column("interest", sa.BigInteger(), nullable=True),
        sa.Column("total_assets", sa.BigInteger(), nullable=True),
        sa.Column("total_liabilities", sa.BigInteger(), nullable=True),
        sa.Column("cash", sa.BigInteger(), nullable=True),
        sa.Column("debt", sa.BigInteger(), nullable=True),
        sa.Column("owner_salary", sa.BigInteger(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["msme_id"],
            ["msmes.id"],
            name=op.f("fk_msme_financials_msme_id_msmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_msme_financials")),
        sa.UniqueConstraint(
            "msme_id", "fiscal_year", name=op.f("uq_msme_financials_msme_id_fiscal_year")
        ),
    )
    op.create_table(
        "interests",
        sa.Column("listing_id", sa.Uuid(), nullable=False),
        sa.Column("buyer_id", sa.Uuid(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'declined', 'withdrawn')",
            name=op.f("ck_interests_status"),
        ),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listings.id"],
            name=op.f("fk_interests_listing_id_listings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interests")),
        sa.UniqueConstraint(
            "listing_id", "buyer_id", name=op.f("uq_interests_listing_id_buyer_id")
        ),
    )
    with op.batch_alter_table("interests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interests_buyer_id"), ["buyer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_interests_listing_id"), ["listing_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("interests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interests_listing_id"))
        batch_op.drop_index(batch_op.f("ix_interests_buyer_id"))

    op.drop_table("interests")
    op.drop_table("msme_financials")
    with op.batch_alter_table("msme_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_msme_documents_msme_id"))

    op.drop_table("msme_documents")
    with op.batch_alter_table("listings", schema=None) as batch_op:
        batch_op.drop_index("ix_listings_updated_at")
        batch_op.drop_index("ix_listings_status_revenue")
        batch_op.drop_index("ix_listings_status_published")
        batch_op.drop_index("ix_listings_status_price")
        batch_op.drop_index("ix_listings_search")
        batch_op.drop_index(batch_op.f("ix_listings_owner_id"))
        batch_op.drop_index(batch_op.f("ix_listings_msme_id"))

    op.drop_table("listings")
    with op.batch_alter_table("msmes", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_msmes_udyam_live",
            sqlite_where=sa.text("udyam_number IS NOT NULL AND deleted_at IS NULL"),
            postgresql_where=sa.text("udyam_number IS NOT NULL AND deleted_at IS NULL"),
        )
        batch_op.drop_index(
            "uq_msmes_gstin_live",
            sqlite_where=sa.text("gstin IS NOT NULL AND deleted_at IS NULL"),
            postgresql_where=sa.text("gstin IS NOT NULL AND deleted_at IS NULL"),
        )
        batch_op.drop_index("ix_msmes_updated_at")
        batch_op.drop_index(batch_op.f("ix_msmes_pan"))
        batch_op.drop_index(batch_op.f("ix_msmes_owner_id"))
        batch_op.drop_index("ix_msmes_discovery")

    op.drop_table("msmes")
