"""The store's first tables: counters, segments and their versions, broadcasts, runs, deliveries.

Revision ID: 0001
Revises:
Create Date: 2026-05-01
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

MYSQL: dict[str, Any] = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin"}


def _key() -> sa.types.TypeEngine:
    return sa.String(200).with_variant(mysql.VARCHAR(200, collation="utf8mb4_bin"), "mysql", "mariadb")


def _id(table: str) -> sa.Column:
    return sa.Column("id", sa.Integer, sa.Sequence(f"{table}_id_seq"), primary_key=True)


def upgrade() -> None:
    bind = op.get_bind()
    for table in ("segdsl_segments", "segdsl_segment_versions", "segdsl_broadcasts", "segdsl_runs"):
        if bind.dialect.supports_sequences:
            op.execute(sa.schema.CreateSequence(sa.Sequence(f"{table}_id_seq")))
    counters = op.create_table(
        "segdsl_counters",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
        **MYSQL,
    )
    op.bulk_insert(counters, [{"name": "segment", "value": 0}, {"name": "broadcast", "value": 0}])
    op.create_table(
        "segdsl_segments",
        _id("segdsl_segments"),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", _key(), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("name_key", name="uq_segdsl_segments_name_key"),
        **MYSQL,
    )
    op.create_table(
        "segdsl_segment_versions",
        _id("segdsl_segment_versions"),
        sa.Column("segment_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("count", sa.BigInteger, nullable=True),
        sa.Column("counted_at", sa.DateTime, nullable=True),
        sa.UniqueConstraint("segment_id", "version", name="uq_segdsl_segment_versions"),
        **MYSQL,
    )
    op.create_table(
        "segdsl_broadcasts",
        _id("segdsl_broadcasts"),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", _key(), nullable=False),
        sa.Column("segment_id", sa.Integer, nullable=True),
        sa.Column("segment_name", sa.String(200), nullable=False),
        sa.Column("segment_version", sa.Integer, nullable=False),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("message", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("runs", sa.Integer, nullable=False),
        sa.Column("pending_version", sa.Integer, nullable=True),
        sa.UniqueConstraint("name_key", name="uq_segdsl_broadcasts_name_key"),
        **MYSQL,
    )
    op.create_table(
        "segdsl_runs",
        _id("segdsl_runs"),
        sa.Column("broadcast_id", sa.Integer, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("segment_version", sa.Integer, nullable=False),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("only_new", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("planned", sa.BigInteger, nullable=False),
        sa.Column("sent", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime, nullable=True),
        sa.Column("owner", sa.String(200), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime, nullable=True),
        sa.UniqueConstraint("broadcast_id", "number", name="uq_segdsl_runs_number"),
        **MYSQL,
    )
    op.create_table(
        "segdsl_deliveries",
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("customer_id", sa.BigInteger, nullable=False),
        sa.Column("sent_at", sa.DateTime, nullable=True),
        sa.PrimaryKeyConstraint("run_id", "customer_id", name="pk_segdsl_deliveries"),
        **MYSQL,
    )


def downgrade() -> None:
    bind = op.get_bind()
    for table in ("segdsl_deliveries", "segdsl_runs", "segdsl_broadcasts", "segdsl_segment_versions",
                  "segdsl_segments", "segdsl_counters"):
        op.drop_table(table)
    for table in ("segdsl_segments", "segdsl_segment_versions", "segdsl_broadcasts", "segdsl_runs"):
        if bind.dialect.supports_sequences:
            op.execute(sa.schema.DropSequence(sa.Sequence(f"{table}_id_seq")))
