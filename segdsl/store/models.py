"""The store's tables, declared once with SQLAlchemy Core (the migrations are checked against them).

Every table is prefixed ``segdsl_`` and lives in the customers' database or in ``--store URL``.
Times are naive UTC (seconds). There are no foreign keys: DuckDB rejects an UPDATE of a row
that a foreign key references (a documented limitation of its implementation), and every
referenced row here is updated; the store keeps parents and children consistent in one
transaction instead. Uniqueness is enforced by the constraints below, never by read-then-write.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Sequence,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects import mysql

PREFIX = "segdsl_"
#: Alembic's version table for the store (not the embedder's own ``alembic_version``)
VERSION_TABLE = PREFIX + "alembic_version"
#: MySQL/MariaDB: utf8mb4 everywhere, and byte-exact comparison for the normalised name keys
MYSQL_OPTIONS: dict[str, Any] = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin"}

NAME_LENGTH = 200


def _key() -> String:
    """A normalised name key: compared byte for byte on every engine."""
    return String(NAME_LENGTH).with_variant(mysql.VARCHAR(NAME_LENGTH, collation="utf8mb4_bin"), "mysql", "mariadb")


def _id(table: str) -> Column:
    # A sequence for DuckDB (no SERIAL); SQLite and MySQL ignore it, PostgreSQL and MariaDB use it.
    return Column("id", Integer, Sequence(f"{table}_id_seq"), primary_key=True)


metadata = MetaData()

#: named counters that only grow: the N of `Segment #N` and `Broadcast #N` is never reused
counters = Table(
    PREFIX + "counters",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", Integer, nullable=False),
    **MYSQL_OPTIONS,
)

segments = Table(
    PREFIX + "segments",
    metadata,
    _id(PREFIX + "segments"),
    Column("name", String(NAME_LENGTH), nullable=False),
    #: the name without surrounding spaces, case-folded: unique
    Column("name_key", _key(), nullable=False),
    #: the current version number (optimistic concurrency: edits update WHERE version = expected)
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("name_key", name="uq_segdsl_segments_name_key"),
    **MYSQL_OPTIONS,
)

segment_versions = Table(
    PREFIX + "segment_versions",
    metadata,
    _id(PREFIX + "segment_versions"),
    Column("segment_id", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("rule", Text, nullable=False),
    Column("channel", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    #: the last live count of this version, and the instant it was true at
    Column("count", BigInteger, nullable=True),
    Column("counted_at", DateTime, nullable=True),
    UniqueConstraint("segment_id", "version", name="uq_segdsl_segment_versions"),
    **MYSQL_OPTIONS,
)

broadcasts = Table(
    PREFIX + "broadcasts",
    metadata,
    _id(PREFIX + "broadcasts"),
    Column("name", String(NAME_LENGTH), nullable=False),
    Column("name_key", _key(), nullable=False),
    #: NULL once the segment is deleted; the snapshots below keep the history readable
    Column("segment_id", Integer, nullable=True),
    Column("segment_name", String(NAME_LENGTH), nullable=False),
    Column("segment_version", Integer, nullable=False),
    Column("rule", Text, nullable=False),
    Column("message", Text, nullable=True),
    Column("created_at", DateTime, nullable=False),
    #: runs started so far; a new run is claimed by UPDATE … WHERE runs = seen
    Column("runs", Integer, nullable=False),
    #: the segment version a resend is pending for (NULL: nothing pending)
    Column("pending_version", Integer, nullable=True),
    #: the deliverer it goes through, as JSON (deliverers.Deliverer.record: a webhook URL's
    #: password and query values masked); NULL for broadcasts made before revision 0002
    Column("deliverer", Text, nullable=True),
    UniqueConstraint("name_key", name="uq_segdsl_broadcasts_name_key"),
    **MYSQL_OPTIONS,
)

runs = Table(
    PREFIX + "runs",
    metadata,
    _id(PREFIX + "runs"),
    Column("broadcast_id", Integer, nullable=False),
    Column("number", Integer, nullable=False),
    Column("segment_version", Integer, nullable=False),
    Column("rule", Text, nullable=False),
    Column("only_new", Boolean, nullable=False),
    #: sending or done
    Column("status", String(16), nullable=False),
    Column("planned", BigInteger, nullable=False),
    Column("sent", BigInteger, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("finished_at", DateTime, nullable=True),
    #: the process sending it (host:pid:nonce) and when it last finished a batch
    Column("owner", String(200), nullable=True),
    Column("heartbeat_at", DateTime, nullable=True),
    UniqueConstraint("broadcast_id", "number", name="uq_segdsl_runs_number"),
    **MYSQL_OPTIONS,
)

deliveries = Table(
    PREFIX + "deliveries",
    metadata,
    Column("run_id", Integer, nullable=False),
    Column("customer_id", BigInteger, nullable=False),
    #: NULL: planned; set in the transaction after the deliverer returned for its batch
    Column("sent_at", DateTime, nullable=True),
    #: at most one delivery per run and customer
    PrimaryKeyConstraint("run_id", "customer_id", name="pk_segdsl_deliveries"),
    **MYSQL_OPTIONS,
)

#: counter names
SEGMENT_COUNTER = "segment"
BROADCAST_COUNTER = "broadcast"
