"""Broadcasts record their deliverer, so a resend reuses it (instead of the default printer).

Revision ID: 0002
Revises: 0001
Create Date: 2026-05-03

The new column is NULL for broadcasts sent before it existed: their deliverer is unknown, and
a resend of one asks for a deliverer instead of guessing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN of a nullable column: SQLite, DuckDB, PostgreSQL and MariaDB alike
    op.add_column("segdsl_broadcasts", sa.Column("deliverer", sa.Text, nullable=True))


def downgrade() -> None:
    op.drop_column("segdsl_broadcasts", "deliverer")
