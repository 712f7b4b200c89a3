"""Sign-in sessions say where they came from and when they were last used, so a user can see
their sign-ins and end one (`GET /auth/sessions`).

- `ip_prefix`: the network the sign-in came from (/24 for IPv4, /48 for IPv6), never the
  address itself;
- `last_seen_at`: when the session last proved itself (a refresh, or a request after its cached
  check ran out), written in batches by the read paths;
- `device_hash`: SHA-256 of the random device id the browser (a long-lived cookie) or the app
  (`X-Device-Id`) keeps, so a sign-in from a device the account has not used is told.

Nullable columns only: no table rewrite on PostgreSQL.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from msmebazaar.shared.db import UTCDateTime

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("auth_sessions") as batch:
        batch.add_column(sa.Column("ip_prefix", sa.String(64), nullable=True))
        batch.add_column(sa.Column("last_seen_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("device_hash", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("auth_sessions") as batch:
        batch.drop_column("device_hash")
        batch.drop_column("last_seen_at")
        batch.drop_column("ip_prefix")
