"""Customer records <-> tables: the reference schema, loading and export.

A record has the shape of ``customer.example.json``. ``load_records`` writes
records into the mapped tables, ``export_records`` reads them back, so any
dataset moves between the database and the in-process world.

>>> from segdsl.data.engines import connect
>>> db = connect("sqlite:///:memory:")
>>> create_schema(db)
>>> load_records(db, [{"id": 1, "name": "Asha", "channels": ["sms"], "tags": ["vip"]}])
>>> next(export_records(db))["tags"]
['vip']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlglot import exp

from segdsl.data.engines import Engine
from segdsl.families.settings import Settings, default_settings
from segdsl.inproc.view import field_text, parse_instant
from segdsl.sql.context import mapped_table

TS = "%Y-%m-%d %H:%M:%S"

# role -> [(column role, SQL type, not null)]; primary keys and indexes below.
COLUMNS: dict[str, list[tuple[str, str, bool]]] = {
    "customers": [
        ("id", "BIGINT", True),
        ("name", "VARCHAR(200)", False),
        ("email", "VARCHAR(320)", False),
        ("phone", "VARCHAR(64)", False),
        ("gender", "VARCHAR(16)", False),
        ("created_at", "TIMESTAMP", False),
    ],
    "channels": [("customer_id", "BIGINT", True), ("channel", "VARCHAR(32)", True)],
    "tags": [("customer_id", "BIGINT", True), ("tag", "VARCHAR(100)", True)],
    "fields": [("customer_id", "BIGINT", True), ("key", "VARCHAR(100)", True), ("value", "VARCHAR(1000)", False)],
    "interactions": [
        ("id", "BIGINT", True),
        ("customer_id", "BIGINT", True),
        ("channel", "VARCHAR(32)", True),
        ("occurred_at", "TIMESTAMP", True),
        ("talked_with_agent", "BOOLEAN", True),
        ("completed_product_flow", "BOOLEAN", True),
        ("completed_collection_flow", "BOOLEAN", True),
        ("completed_bot_flow", "BOOLEAN", True),
        ("bot_flow", "VARCHAR(100)", False),
    ],
    "carts": [
        ("id", "BIGINT", True),
        ("customer_id", "BIGINT", True),
        ("channel", "VARCHAR(32)", True),
        ("item_count", "INTEGER", True),
        ("paid", "BOOLEAN", True),
        ("updated_at", "TIMESTAMP", True),
    ],
}
PRIMARY_KEYS = {
    "customers": ("id",),
    "channels": ("customer_id", "channel"),
    "tags": ("customer_id", "tag"),
    "fields": ("customer_id", "key"),
    "interactions": ("id",),
    "carts": ("id",),
}
INDEXES = {
    "ix_channels_channel": ("channels", ("channel", "customer_id")),
    "ix_tags_tag": ("tags", ("tag", "customer_id")),
    "ix_fields_key": ("fields", ("key", "customer_id")),
    "ix_interactions_customer": ("interactions", ("customer_id", "channel", "occurred_at")),
    "ix_carts_customer": ("carts", ("customer_id", "channel")),
}
FLAGS = ("talked_with_agent", "completed_product_flow", "completed_collection_flow", "completed_bot_flow")
ROLES = tuple(COLUMNS)


def _name(settings: Settings, role: str, column: str) -> str:
    return str(getattr(getattr(settings.schema, role), column))


def _table(settings: Settings, role: str) -> exp.Table:
    return mapped_table(settings.schema, role)


def quoted_table(engine: Engine, settings: Settings, role: str) -> str:
    """The mapped table of ``role`` as SQL text in the engine's dialect (for hand-built DDL and loads)."""
    return _table(settings, role).sql(dialect=engine.rules.sqlglot, identify=True)


def column_list(engine: Engine, settings: Settings, role: str) -> str:
    """The mapped columns of ``role``, quoted, in COLUMNS order."""
    dialect = engine.rules.sqlglot
    return ", ".join(
        exp.to_identifier(_name(settings, role, c), quoted=True).sql(dialect=dialect) for c, _, _ in COLUMNS[role]
    )


def _create_index(settings: Settings, dialect: str, index: str, exists: bool) -> str:
    role, cols = INDEXES[index]
    return exp.Create(
        this=exp.Index(
            this=exp.to_identifier(index, quoted=True),
            table=_table(settings, role),
            params=exp.IndexParameters(
                columns=[exp.Column(this=exp.to_identifier(_name(settings, role, c), quoted=True)) for c in cols]
            ),
        ),
        kind="INDEX",
        exists=exists,
    ).sql(dialect=dialect, identify=True)


def _mysql_collation(engine: Engine) -> str:
    version = str(engine.query("SELECT VERSION()")[0][0])
    return "utf8mb4_nopad_bin" if "mariadb" in version.lower() else "utf8mb4_0900_bin"


def schema_statements(engine: Engine, settings: Settings | None = None, drop: bool = False) -> list[str]:
    """The DDL for the mapped reference schema in the engine's dialect."""
    settings = settings or default_settings()
    dialect = engine.rules.sqlglot
    suffix = ""
    if engine.dialect == "mysql":
        suffix = f" DEFAULT CHARSET=utf8mb4 COLLATE={_mysql_collation(engine)}"
    out = []
    for role, columns in COLUMNS.items():
        table = _table(settings, role)
        if drop:
            out.append(exp.Drop(tables=[table.copy()], kind="TABLE", exists=True).sql(dialect=dialect, identify=True))
        defs: list[exp.Expression] = []
        for column, sql_type, not_null in columns:
            constraints = [exp.ColumnConstraint(kind=exp.NotNullColumnConstraint())] if not_null else []
            defs.append(
                exp.ColumnDef(
                    this=exp.to_identifier(_name(settings, role, column), quoted=True),
                    kind=exp.DataType.build(sql_type, dialect="postgres"),
                    constraints=constraints,
                )
            )
        defs.append(
            exp.PrimaryKey(
                expressions=[exp.to_identifier(_name(settings, role, c), quoted=True) for c in PRIMARY_KEYS[role]]
            )
        )
        create = exp.Create(this=exp.Schema(this=table, expressions=defs), kind="TABLE", exists=True)
        out.append(create.sql(dialect=dialect, identify=True) + suffix)
    if engine.dialect != "mysql":  # MySQL has no CREATE INDEX IF NOT EXISTS: see create_schema
        out.extend(_create_index(settings, dialect, index, exists=True) for index in INDEXES)
    return out


def create_schema(engine: Engine, settings: Settings | None = None, drop: bool = False) -> None:
    """Create the mapped reference schema (and its indexes) if it is missing."""
    settings = settings or default_settings()
    for statement in schema_statements(engine, settings, drop=drop):
        engine.query(statement)
    if engine.dialect == "mysql":  # index names are per table there
        existing = set(engine.query(
            "SELECT TABLE_NAME, INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
        ))
        for index, (role, _cols) in INDEXES.items():
            if (getattr(settings.schema, role).table, index) not in existing:
                engine.query(_create_index(settings, engine.rules.sqlglot, index, exists=False))


def drop_indexes(engine: Engine, settings: Settings | None = None) -> None:
    """Drop the secondary indexes of the mapped schema if they exist (MySQL: they must exist)."""
    settings = settings or default_settings()
    dialect = engine.rules.sqlglot
    for index, (role, _cols) in INDEXES.items():
        if engine.dialect == "mysql":  # no IF EXISTS; the index is named on its table
            drop = exp.Drop(
                tables=[exp.Table(this=exp.to_identifier(index, quoted=True))],
                kind="INDEX",
                cluster=exp.OnProperty(this=_table(settings, role)),
            )
        else:  # the index lives in its table's schema
            db_schema = getattr(settings.schema, role).db_schema
            name = exp.Table(
                this=exp.to_identifier(index, quoted=True),
                db=exp.to_identifier(db_schema, quoted=True) if db_schema else None,
            )
            drop = exp.Drop(tables=[name], kind="INDEX", exists=True)
        engine.query(drop.sql(dialect=dialect, identify=True))


def drop_schema(engine: Engine, settings: Settings | None = None) -> None:
    """Drop the mapped tables if they exist."""
    settings = settings or default_settings()
    dialect = engine.rules.sqlglot
    for role in ROLES:
        drop = exp.Drop(tables=[_table(settings, role)], kind="TABLE", exists=True)
        engine.query(drop.sql(dialect=dialect, identify=True))


def _ts(value: Any) -> str | None:
    if value is None:
        return None
    return parse_instant(value).strftime(TS)


def _bool(value: Any) -> Any:
    return bool(value)


def record_rows(records: Iterable[Mapping[str, Any]]) -> dict[str, list[tuple[Any, ...]]]:
    """Split records into rows per table role (column order as in COLUMNS)."""
    rows: dict[str, list[tuple[Any, ...]]] = {role: [] for role in ROLES}
    for rec in records:
        cid = int(rec["id"])
        rows["customers"].append(
            (
                cid,
                rec.get("name"),
                rec.get("email"),
                _text(rec.get("phone")),
                rec.get("gender"),
                _ts(rec.get("created_at")),
            )
        )
        for channel in dict.fromkeys(rec.get("channels") or ()):
            rows["channels"].append((cid, channel))
        for tag in dict.fromkeys(rec.get("tags") or ()):
            rows["tags"].append((cid, tag))
        for key, value in (rec.get("fields") or {}).items():
            rows["fields"].append((cid, key, field_text(value)))
        for row in rec.get("interactions") or ():
            iid = int(row.get("id") or 0) or None
            rows["interactions"].append(
                (
                    iid,
                    cid,
                    row["channel"],
                    _ts(row["occurred_at"]),
                    *(_bool(row.get(flag)) for flag in FLAGS),
                    row.get("bot_flow"),
                )
            )
        for row in rec.get("carts") or ():
            rows["carts"].append(
                (
                    int(row.get("id") or 0) or None,
                    cid,
                    row["channel"],
                    int(row.get("item_count") or 0),
                    _bool(row.get("paid")),
                    _ts(row.get("updated_at") or rec.get("created_at") or "1970-01-01T00:00:00"),
                )
            )
    # records without ids for interactions/carts get fresh ones
    for role in ("interactions", "carts"):
        used = {r[0] for r in rows[role] if r[0] is not None}
        counter = max(used, default=0)
        fixed = []
        for r in rows[role]:
            if r[0] is None:
                counter += 1
                r = (counter, *r[1:])
            fixed.append(r)
        rows[role] = fixed
    return rows


def _text(value: Any) -> str | None:
    return value if value is None or isinstance(value, str) else str(value)


def insert_sql(engine: Engine, settings: Settings, role: str) -> str:
    """INSERT with placeholders for one table role."""
    marks = ", ".join(engine.placeholder() for _ in COLUMNS[role])
    target = f"{quoted_table(engine, settings, role)} ({column_list(engine, settings, role)})"
    if engine.paramstyle == "format":  # a `%` in a mapped name, as the driver's formatting wants it
        target = target.replace("%", "%%")
    return f"INSERT INTO {target} VALUES ({marks})"


def load_rows(engine: Engine, rows: Mapping[str, Sequence[tuple[Any, ...]]], settings: Settings | None = None,
              batch: int = 50_000) -> None:
    """Insert rows per table role (see :func:`record_rows`)."""
    settings = settings or default_settings()
    for role in ROLES:
        data = rows.get(role) or []
        sql = insert_sql(engine, settings, role)
        for start in range(0, len(data), batch):
            engine.executemany(sql, data[start : start + batch])


def load_records(engine: Engine, records: Iterable[Mapping[str, Any]], settings: Settings | None = None) -> None:
    """Write records into the mapped tables (which must exist)."""
    load_rows(engine, record_rows(records), settings)


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    return parse_instant(str(value)).strftime("%Y-%m-%dT%H:%M:%SZ")


def export_records(engine: Engine, settings: Settings | None = None) -> Iterator[dict[str, Any]]:
    """Yield every customer as a record, ordered by id, in constant memory per customer batch."""
    settings = settings or default_settings()
    dialect = engine.rules.sqlglot

    def select(role: str, columns: Sequence[str], order: Sequence[str]) -> str:
        cols = [exp.column(_name(settings, role, c), quoted=True) for c in columns]
        q = exp.select(*cols).from_(_table(settings, role)).order_by(
            *[exp.column(_name(settings, role, c), quoted=True) for c in order]
        )
        return q.sql(dialect=dialect, identify=True)

    def grouped(role: str, columns: Sequence[str], order: Sequence[str]) -> Iterator[tuple[int, list[tuple]]]:
        current: int | None = None
        bucket: list[tuple] = []
        for row in engine.stream(select(role, ["customer_id", *columns], ["customer_id", *order])):
            cid = int(row[0])
            if cid != current:
                if current is not None:
                    yield current, bucket
                current, bucket = cid, []
            bucket.append(row[1:])
        if current is not None:
            yield current, bucket

    inter_cols = ["id", "channel", "occurred_at", *FLAGS, "bot_flow"]
    cart_cols = ["id", "channel", "item_count", "paid", "updated_at"]
    streams = {
        "channels": grouped("channels", ["channel"], ["channel"]),
        "tags": grouped("tags", ["tag"], ["tag"]),
        "fields": grouped("fields", ["key", "value"], ["key"]),
        "interactions": grouped("interactions", inter_cols, ["occurred_at", "id"]),
        "carts": grouped("carts", cart_cols, ["id"]),
    }
    heads: dict[str, tuple[int, list[tuple]] | None] = {k: next(s, None) for k, s in streams.items()}

    def take(role: str, cid: int) -> list[tuple]:
        head = heads[role]
        while head is not None and head[0] < cid:
            head = next(streams[role], None)
        heads[role] = head
        if head is not None and head[0] == cid:
            heads[role] = next(streams[role], None)
            return head[1]
        return []

    customer_cols = ["id", "name", "email", "phone", "gender", "created_at"]
    for row in engine.stream(select("customers", customer_cols, ["id"])):
        cid = int(row[0])
        record: dict[str, Any] = {
            "id": cid,
            "name": row[1],
            "email": row[2],
            "phone": row[3],
            "gender": row[4],
            "created_at": _iso(row[5]),
            "channels": [r[0] for r in take("channels", cid)],
            "tags": [r[0] for r in take("tags", cid)],
            "fields": {r[0]: r[1] for r in take("fields", cid)},
            "interactions": [
                {
                    "id": int(r[0]),
                    "channel": r[1],
                    "occurred_at": _iso(r[2]),
                    **{flag: bool(r[3 + i]) for i, flag in enumerate(FLAGS)},
                    "bot_flow": r[7],
                }
                for r in take("interactions", cid)
            ],
            "carts": [
                {
                    "id": int(r[0]),
                    "channel": r[1],
                    "item_count": int(r[2]),
                    "paid": bool(r[3]),
                    "updated_at": _iso(r[4]),
                }
                for r in take("carts", cid)
            ],
        }
        yield record
