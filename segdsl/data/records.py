"""Customer records <-> tables, for every role the registered families declare.

A record has the shape of ``customer.example.json``: the columns of the
``customers`` role at its top level, and each other role's rows under the
role's ``record_key`` (see :class:`segdsl.families.spec.Role` for the shapes).
``load_records`` writes records into the mapped tables, ``export_records``
reads them back, so any dataset moves between the database and the
in-process world. The schema mapping (``settings.schema``) says where each
role lives; DDL, load and export all iterate over it.

>>> from segdsl.data.engines import connect
>>> db = connect("sqlite:///:memory:")
>>> create_schema(db)
>>> load_records(db, [{"id": 1, "name": "Asha", "channels": ["sms"], "tags": ["vip"]}])
>>> next(export_records(db))["tags"]
['vip']
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from functools import partial
from itertools import groupby, islice, repeat
from operator import add, attrgetter, call, itemgetter
from typing import Any

from sqlglot import exp

from segdsl.data.engines import Engine
from segdsl.families.settings import Settings, TableMapping, default_settings
from segdsl.families.spec import Role
from segdsl.inproc.view import RecordError, field_text, parse_instant
from segdsl.lang.stamps import instant_text, iso_instant
from segdsl.sql.context import mapped_table, table_of

#: longest index name segdsl writes (PostgreSQL keeps 63 bytes, MySQL 64)
MAX_INDEX_NAME = 60


def _ident(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def quoted_table(engine: Engine, settings: Settings, role: str) -> str:
    """The mapped table of ``role`` as SQL text in the engine's dialect (for bulk loads)."""
    return mapped_table(settings.schema, role).sql(dialect=engine.rules.sqlglot, identify=True)


def column_list(engine: Engine, settings: Settings, role: str) -> str:
    """The mapped columns of ``role``, quoted, in the role's column order."""
    mapping = settings.schema[role]
    return ", ".join(_ident(mapping.columns[c]).sql(dialect=engine.rules.sqlglot) for c in mapping.role.columns)


def index_name(mapping: TableMapping, columns: Sequence[str]) -> str:
    """``ix_<table>_<columns>`` for an index of the mapped table (column roles -> mapped names).

    Derived from the mapped table, so two mappings in one database never share
    an index name; names longer than :data:`MAX_INDEX_NAME` end in a short hash.
    """
    name = "ix_" + "_".join([mapping.table, *(mapping.columns[c] for c in columns)])
    if len(name) > MAX_INDEX_NAME:
        digest = hashlib.sha1(name.encode()).hexdigest()[:8]
        name = f"{name[: MAX_INDEX_NAME - 9]}_{digest}"
    return name


def _indexes(settings: Settings) -> Iterator[tuple[str, TableMapping, tuple[str, ...]]]:
    for mapping in settings.schema.values():
        for columns in mapping.role.indexes:
            yield index_name(mapping, columns), mapping, columns


def _create_index(mapping: TableMapping, name: str, columns: Sequence[str], dialect: str, exists: bool) -> str:
    return exp.Create(
        this=exp.Index(
            this=_ident(name),
            table=table_of(mapping),
            params=exp.IndexParameters(columns=[exp.Column(this=_ident(mapping.columns[c])) for c in columns]),
        ),
        kind="INDEX",
        exists=exists,
    ).sql(dialect=dialect, identify=True)


def _mysql_collation(engine: Engine) -> str:
    version = str(engine.query("SELECT VERSION()")[0][0])
    return "utf8mb4_nopad_bin" if "mariadb" in version.lower() else "utf8mb4_0900_bin"


def schema_statements(engine: Engine, settings: Settings | None = None, drop: bool = False) -> list[str]:
    """The DDL for every mapped role (tables, primary keys, indexes) in the engine's dialect.

    MySQL/MariaDB has no ``CREATE INDEX IF NOT EXISTS``: its indexes come from
    :func:`create_schema`, which checks each table's indexes first.
    """
    settings = settings or default_settings()
    dialect = engine.rules.sqlglot
    suffix = ""
    if engine.dialect == "mysql":
        suffix = f" DEFAULT CHARSET=utf8mb4 COLLATE={_mysql_collation(engine)}"
    out = []
    for mapping in settings.schema.values():
        role = mapping.role
        table = table_of(mapping)
        if drop:
            out.append(exp.Drop(tables=[table.copy()], kind="TABLE", exists=True).sql(dialect=dialect, identify=True))
        defs: list[exp.Expression] = []
        for column, spec in role.columns.items():
            constraints = [exp.ColumnConstraint(kind=exp.NotNullColumnConstraint())] if spec.not_null else []
            defs.append(
                exp.ColumnDef(
                    this=_ident(mapping.columns[column]),
                    kind=exp.DataType.build(spec.type, dialect="postgres"),
                    constraints=constraints,
                )
            )
        if role.primary_key:
            defs.append(exp.PrimaryKey(expressions=[_ident(mapping.columns[c]) for c in role.primary_key]))
        create = exp.Create(this=exp.Schema(this=table, expressions=defs), kind="TABLE", exists=True)
        out.append(create.sql(dialect=dialect, identify=True) + suffix)
    if engine.dialect != "mysql":
        out.extend(_create_index(m, name, cols, dialect, exists=True) for name, m, cols in _indexes(settings))
    return out


def _mysql_indexes(engine: Engine, mapping: TableMapping) -> set[str]:
    """The index names of one mapped table (MySQL/MariaDB)."""
    where = "TABLE_SCHEMA = DATABASE()" if not mapping.db_schema else "TABLE_SCHEMA = %s"
    params = [mapping.table] if not mapping.db_schema else [mapping.db_schema, mapping.table]
    rows = engine.query(
        f"SELECT INDEX_NAME FROM information_schema.STATISTICS WHERE {where} AND TABLE_NAME = %s", params
    )
    return {r[0] for r in rows}


def create_schema(engine: Engine, settings: Settings | None = None, drop: bool = False) -> None:
    """Create the mapped tables (and their indexes) where they are missing.

    On Spark there is nothing to create: :func:`load_rows` writes each table's Parquet folder.
    """
    settings = settings or default_settings()
    if engine.dialect == "spark":
        return
    for statement in schema_statements(engine, settings, drop=drop):
        engine.query(statement)
    if engine.dialect == "mysql":
        existing: dict[str, set[str]] = {}
        for name, mapping, cols in _indexes(settings):
            have = existing.get(mapping.role.name)
            if have is None:
                have = existing[mapping.role.name] = _mysql_indexes(engine, mapping)
            if name not in have:
                engine.query(_create_index(mapping, name, cols, engine.rules.sqlglot, exists=False))


def create_indexes_as(engine: Engine, settings: Settings, staged: Settings) -> None:
    """Create the secondary indexes ``settings`` names, on the tables of ``staged`` (the same roles
    under other table names, which have none): once the staged tables are renamed into place
    (``segdsl demo`` on MySQL/MariaDB), they carry the index names their mapping expects."""
    dialect = engine.rules.sqlglot
    for (name, _mapping, columns), (_staged_name, mapping, _columns) in zip(
        _indexes(settings), _indexes(staged), strict=True
    ):
        engine.query(_create_index(mapping, name, columns, dialect, exists=False))


def drop_indexes(engine: Engine, settings: Settings | None = None) -> None:
    """Drop the secondary indexes of the mapped tables where they exist."""
    settings = settings or default_settings()
    dialect = engine.rules.sqlglot
    existing: dict[str, set[str]] = {}
    for index, mapping, _cols in _indexes(settings):
        if engine.dialect == "mysql":  # no IF EXISTS; the index is named on its table
            have = existing.get(mapping.role.name)
            if have is None:
                have = existing[mapping.role.name] = _mysql_indexes(engine, mapping)
            if index not in have:
                continue
            drop = exp.Drop(
                tables=[exp.Table(this=_ident(index))], kind="INDEX", cluster=exp.OnProperty(this=table_of(mapping))
            )
        else:  # the index lives in its table's schema
            name = exp.Table(this=_ident(index), db=_ident(mapping.db_schema) if mapping.db_schema else None)
            drop = exp.Drop(tables=[name], kind="INDEX", exists=True)
        engine.query(drop.sql(dialect=dialect, identify=True))


def drop_schema(engine: Engine, settings: Settings | None = None) -> None:
    """Drop the mapped tables if they exist."""
    settings = settings or default_settings()
    dialect = engine.rules.sqlglot
    for mapping in settings.schema.values():
        drop = exp.Drop(tables=[table_of(mapping)], kind="TABLE", exists=True)
        engine.query(drop.sql(dialect=dialect, identify=True))


# ----------------------------------------------------------------------------- records -> rows


def _ts(value: Any) -> str | None:
    if value is None:
        return None
    return instant_text(parse_instant(value))


def _text(value: Any) -> str | None:
    return value if value is None or isinstance(value, str) else str(value)


_TO_ROW: dict[str, Callable[[Any], Any]] = {
    "int": int, "bool": bool, "timestamp": _ts, "number": lambda v: v, "text": _text,
}


def _roles(roles: Mapping[str, Role] | Settings | None) -> Mapping[str, Role]:
    if roles is None:
        roles = default_settings()
    if isinstance(roles, Settings):
        return {name: m.role for name, m in roles.schema.items()}
    return roles


def record_rows(
    records: Iterable[Mapping[str, Any]], roles: Mapping[str, Role] | Settings | None = None
) -> dict[str, list[tuple[Any, ...]]]:
    """Split records into rows per role, each in the role's column order.

    ``roles`` defaults to the registered families' roles. Rows of a role with
    an ``id`` primary key that leave the id out are numbered after the
    largest id given. Raises :class:`~segdsl.inproc.view.RecordError` for a
    record without a value that a not-null column needs.
    """
    declared = _roles(roles)
    plans = {name: _plan(role) for name, role in declared.items()}
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in declared}
    for rec in records:
        cid = int(rec["id"])
        for name, (role, columns) in plans.items():
            out = rows[name]
            if role.shape == "customer":
                out.append(tuple(_cell(rec, rec, c, spec, cid, name) for c, spec in columns))
                continue
            items = rec.get(role.record_key)
            if not items:
                continue
            if role.shape == "scalars":
                (_, spec), = [(c, s) for c, s in columns if c != "customer_id"]
                convert = _TO_ROW[spec.kind]
                out.extend(_with_customer(columns, cid, (convert(v),)) for v in dict.fromkeys(items))
            elif role.shape == "mapping":
                (_, kspec), (_, vspec) = [(c, s) for c, s in columns if c != "customer_id"]
                to_key, to_value = _TO_ROW[kspec.kind], (field_text if vspec.kind == "text" else _TO_ROW[vspec.kind])
                out.extend(_with_customer(columns, cid, (to_key(k), to_value(v))) for k, v in items.items())
            else:
                for i, row in enumerate(items):
                    where = f"{role.record_key}[{i}]"
                    out.append(tuple(
                        cid if c == "customer_id" else _cell(row, rec, c, spec, cid, where, numbered=role.primary_key)
                        for c, spec in columns
                    ))
    for name, (role, columns) in plans.items():
        if role.shape == "rows" and role.primary_key == ("id",):
            rows[name] = _numbered(rows[name], [c for c, _ in columns].index("id"))
    return rows


def _plan(role: Role) -> tuple[Role, list[tuple[str, Any]]]:
    return role, list(role.columns.items())


def _with_customer(columns: Sequence[tuple[str, Any]], cid: int, values: tuple[Any, ...]) -> tuple[Any, ...]:
    it = iter(values)
    return tuple(cid if c == "customer_id" else next(it) for c, _ in columns)


def _cell(row: Mapping[str, Any], rec: Mapping[str, Any], column: str, spec: Any, cid: int, where: str,
          numbered: tuple[str, ...] = ()) -> Any:
    value = row.get(column)
    if column == "id" and numbered == ("id",):
        return int(value or 0) or None  # numbered below
    if value is None:
        value = spec.default(rec) if callable(spec.default) else spec.default
        if value is None:
            if spec.not_null:
                raise RecordError(f"customer {cid}: {where} has no `{column}`")
            return None
    return _TO_ROW[spec.kind](value)


def _numbered(rows: list[tuple[Any, ...]], at: int) -> list[tuple[Any, ...]]:
    """Rows whose id is None get fresh ids after the largest one given."""
    counter = max((r[at] for r in rows if r[at] is not None), default=0)
    fixed = []
    for r in rows:
        if r[at] is None:
            counter += 1
            r = (*r[:at], counter, *r[at + 1:])
        fixed.append(r)
    return fixed


def insert_sql(engine: Engine, settings: Settings, role: str) -> str:
    """INSERT with placeholders for one role (columns in the role's order)."""
    marks = ", ".join(engine.placeholder() for _ in settings.schema[role].role.columns)
    target = f"{quoted_table(engine, settings, role)} ({column_list(engine, settings, role)})"
    if engine.paramstyle == "format":  # a `%` in a mapped name, as the driver's formatting wants it
        target = target.replace("%", "%%")
    return f"INSERT INTO {target} VALUES ({marks})"


def load_rows(engine: Engine, rows: Mapping[str, Sequence[tuple[Any, ...]]], settings: Settings | None = None,
              batch: int = 50_000) -> None:
    """Insert rows per role (see :func:`record_rows`)."""
    settings = settings or default_settings()
    if engine.dialect == "spark":  # Parquet files in the warehouse, one per table and call
        for role, mapping in settings.schema.items():
            columns = [(mapping.columns[c], spec.type) for c, spec in mapping.role.columns.items()]
            engine.conn.write_rows(mapping.table, columns, rows.get(role) or [])
        return
    for role in settings.schema:
        data = rows.get(role) or []
        sql = insert_sql(engine, settings, role)
        for start in range(0, len(data), batch):
            engine.executemany(sql, data[start : start + batch])


def load_records(engine: Engine, records: Iterable[Mapping[str, Any]], settings: Settings | None = None) -> None:
    """Write records into the mapped tables (which must exist)."""
    settings = settings or default_settings()
    load_rows(engine, record_rows(records, settings), settings)


# ----------------------------------------------------------------------------- rows -> records
# Export converts every cell of every row: each converter returns at once for the type
# the drivers give (int, bool, naive datetime, str), and falls back to the general case.


def _iso(value: Any) -> str | None:
    if type(value) is dt.datetime and value.tzinfo is None and not value.microsecond:
        return value.isoformat() + "Z"  # what iso_instant gives for it, in one C call
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return iso_instant(value)
    if type(value) is str and len(value) == 19 and value[10] == " ":  # segdsl's own SQL timestamp text
        return f"{value[:10]}T{value[11:]}Z"
    return iso_instant(parse_instant(str(value)))


def _bool(value: Any) -> bool:
    if type(value) is bool:
        return value
    return value == "true" if isinstance(value, str) else bool(value)


def _int(value: Any) -> Any:
    return value if type(value) is int or value is None else int(value)


def _number(value: Any) -> Any:
    """A JSON number: drivers return NUMERIC as ``Decimal`` (DuckDB, PostgreSQL, MariaDB), which JSON cannot write."""
    if isinstance(value, str):  # a demo cell
        value = Decimal(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _same(value: Any) -> Any:
    return value


_TO_RECORD: dict[str, Callable[[Any], Any]] = {
    "int": _int, "bool": _bool, "timestamp": _iso, "number": _number, "text": _same,
}

Rows = Iterable[Sequence[Any]]


class _Part:
    """How one role's rows become the value under its ``record_key``. A row holds the role's
    value columns in order; cells after them (the customer id, on export) are ignored."""

    def __init__(self, role: Role, variant: Callable[[int, Any], Any] | None) -> None:
        self.role, self.key, self.variant = role, role.record_key, variant
        self.names = role.value_columns
        self.converters = [_TO_RECORD[role.columns[c].kind] for c in self.names]

    def value(self, rows: Rows) -> Any:
        shape, converters = self.role.shape, self.converters
        if shape == "scalars":
            (f,) = converters
            return [r[0] for r in rows] if f is _same else [f(r[0]) for r in rows]
        if shape == "mapping":
            fk, fv = converters
            return {fk(r[0]): fv(r[1]) for r in rows}
        names = self.names
        return [dict(zip(names, map(call, converters, r), strict=True)) for r in rows]

    def groups(self, fetch: Callable[[], Sequence[Sequence[Any]]]) -> dict[int, Any]:
        """customer id -> :meth:`value`, for the rows ``fetch()`` gives: value columns, then the
        customer id, sorted by it (the rows are let go once they are read into columns)."""
        rows = fetch()
        if not rows:
            return {}
        *columns, cids = zip(*rows, strict=True)
        del rows
        if set(map(type, cids)) != {int}:
            cids = tuple(map(int, cids))
        values = [_column(f, c) for f, c in zip(self.converters, columns, strict=True)]
        shape = self.role.shape
        if shape == "scalars":
            items: Iterable[Any] = values[0]
        elif shape == "mapping":
            items = zip(*values, strict=True)
        else:
            items = map(dict, map(zip, repeat(self.names), zip(*values, strict=True)))
        if shape == "mapping":
            return {cid: dict(map(_SECOND, group)) for cid, group in groupby(zip(cids, items, strict=True), _FIRST)}
        return {cid: list(map(_SECOND, group)) for cid, group in groupby(zip(cids, items, strict=True), _FIRST)}

    def demo_value(self, cid: int, rows: Rows) -> Any:
        """:meth:`value` with each item turned into its demo variant."""
        variant, shape = self.variant, self.role.shape
        assert variant is not None
        if shape == "mapping":  # each pair varied, then the dict (a later pair wins)
            fk, fv = self.converters
            return dict(variant(cid, (fk(r[0]), fv(r[1]))) for r in rows)
        return [variant(cid, v) for v in self.value(rows)]


class RecordBuilder:
    """Builds records from rows per role (a customer's row, and each role's rows without ``customer_id``).

    One place writes the record dict out; export, ``record_of`` and the demo generator use it.
    """

    def __init__(self, roles: Mapping[str, Role], demo: bool = False) -> None:
        self.customer = roles["customers"]
        self.customer_names = tuple(self.customer.columns)
        self.customer_converters = [_TO_RECORD[s.kind] for s in self.customer.columns.values()]
        self.parts = [
            _Part(role, role.demo_record if demo else None) for name, role in roles.items() if name != "customers"
        ]

    def _customer(self, row: Sequence[Any]) -> dict[str, Any]:
        if len(row) != len(self.customer_names):
            raise ValueError(f"a customer row has {len(row)} cells, not {len(self.customer_names)}")
        return dict(zip(self.customer_names, map(call, self.customer_converters, row), strict=True))

    def build(self, customer_row: Sequence[Any], items: Mapping[str, Rows]) -> dict[str, Any]:
        """The record of one customer: ``customer_row`` in the customers role's column order,
        ``items[role]`` that role's rows (value columns only, in order)."""
        record = self._customer(customer_row)
        cid = record["id"]
        for part in self.parts:
            rows = items.get(part.role.name) or ()
            record[part.key] = part.demo_value(cid, rows) if part.variant else part.value(rows)
        return record

    def build_range(self, customers: Sequence[Sequence[Any]],
                    rows_of: Callable[[str], Sequence[Sequence[Any]]]) -> list[dict[str, Any]]:
        """The records of ``customers`` (rows in column order), in their order. ``rows_of(role)``
        gives that role's rows for these customers: value columns, then the customer id, sorted
        by customer id (one keyset range of export); rows of other customers are ignored.

        The same records as :meth:`build`, converted a column at a time (see :func:`_column`).
        """
        with gc_paused():
            cells = zip(*customers, strict=True)  # columns; none for no customers (a range emptied meanwhile)
            columns = [_column(f, c) for f, c in zip(self.customer_converters, cells, strict=bool(customers))]
            if not customers:
                return []
            ids, n = columns[self.customer_names.index("id")], len(customers)
            for part in self.parts:  # one more column per role: its value per customer (a new empty one if none)
                groups = part.groups(partial(rows_of, part.role.name))
                empty = dict if part.role.shape == "mapping" else list
                columns.append(list(map(groups.get, ids, map(empty, repeat((), n)))))
            names = (*self.customer_names, *(part.key for part in self.parts))
            return list(map(dict, map(zip, repeat(names), zip(*columns, strict=True))))


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection in the block (if it was on, it is back on after it).

    Building a range of records makes a million small containers and no cycles; the
    collector's passes over them were over a quarter of export's time (1.4 of 5.0 s CPU at 100k).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_FIRST, _SECOND = itemgetter(0), itemgetter(1)
_NONE = type(None)


def _column(convert: Callable[[Any], Any], values: Sequence[Any]) -> Sequence[Any]:
    """``[convert(v) for v in values]`` for one column of a keyset range, in C loops where every
    cell has the type a driver gives (ints, bools, 0/1 booleans of SQLite and MySQL, naive
    whole-second datetimes, SQLite's ``YYYY-MM-DD HH:MM:SS`` text): converting cells one call
    at a time was most of export's time."""
    types = set(map(type, values))
    if convert is _same or (convert is _int and types <= {int, _NONE}) or (convert is _bool and types == {bool}):
        return values
    if convert is _bool and types == {int}:
        return list(map(bool, values))
    if convert is _number and not any(issubclass(t, (str, Decimal)) for t in types):
        return values
    if convert is _iso and types == {dt.datetime} and set(map(_TZINFO, values)) == {None} \
            and not any(map(_MICROSECOND, values)):
        return list(map(add, map(dt.datetime.isoformat, values), repeat("Z")))
    if convert is _iso and types == {str} and set(map(len, values)) == {19} and set(map(_AT10, values)) == {" "}:
        return list(map("{}T{}Z".format, map(_DATE, values), map(_CLOCK, values)))
    return list(map(convert, values))


_AT10, _DATE, _CLOCK = itemgetter(10), itemgetter(slice(10)), itemgetter(slice(11, None))
_TZINFO, _MICROSECOND = attrgetter("tzinfo"), attrgetter("microsecond")


#: customers per keyset range in export_records: memory holds one range of each table
EXPORT_CHUNK = 5_000


def _key_range(query: exp.Select, column: exp.Column, low: int | None, high: int | None) -> exp.Select:
    """``query`` limited to ``low < column <= high`` (None: unbounded); the bounds are ids the database gave."""
    query = query.copy()
    if low is not None:
        query = query.where(exp.GT(this=column.copy(), expression=exp.Literal.number(low)), copy=False)
    if high is not None:
        query = query.where(exp.LTE(this=column.copy(), expression=exp.Literal.number(high)), copy=False)
    return query


class IdRanges:
    """Consecutive ranges (low, high] of customer ids, ``chunk`` customers each, found by keyset
    along the primary key and kept, so every table's stream walks the same ranges
    (``low`` is None for the first). ``SELECT MAX(id) FROM (SELECT id FROM customers
    WHERE id > low ORDER BY id LIMIT chunk)``: an index range scan per range."""

    def __init__(self, engine: Engine, settings: Settings, chunk: int | None = None) -> None:
        self.engine, self.settings, self.chunk = engine, settings, chunk or EXPORT_CHUNK
        self.found: list[tuple[int | None, int]] = []
        self.done = False

    def __iter__(self) -> Iterator[tuple[int | None, int]]:
        n = 0
        while n < len(self.found) or self._next():
            yield self.found[n]
            n += 1

    def _next(self) -> bool:
        if self.done:
            return False
        low = self.found[-1][1] if self.found else None
        mapping = self.settings.schema["customers"]
        ident = exp.column(mapping.columns["id"], quoted=True)
        ids = exp.select(ident.copy()).from_(table_of(mapping)).order_by(ident.copy())
        ids = _key_range(ids.limit(self.chunk), ident, low, None)
        top = exp.select(exp.Max(this=exp.column(ident.name, table="r", quoted=True))).from_(
            exp.Subquery(this=ids, alias=exp.TableAlias(this=exp.to_identifier("r", quoted=True))))
        high = self.engine.query(top.sql(dialect=self.engine.rules.sqlglot, identify=True))[0][0]
        if high is None:
            self.done = True
            return False
        self.found.append((low, int(high)))
        return True


class _Upto:
    """A stream of rows sorted by customer id (the last cell), read a range at a time."""

    def __init__(self, rows: Iterable[Sequence[Any]]) -> None:
        self.rows = iter(rows)
        self.head = next(self.rows, None)

    def upto(self, high: int) -> list[Sequence[Any]]:
        """The next rows whose customer id is at most ``high``."""
        out, head, rows = [], self.head, self.rows
        while head is not None and int(head[-1]) <= high:
            out.append(head)
            head = next(rows, None)
        self.head = head
        return out


def export_records(engine: Engine, settings: Settings | None = None) -> Iterator[dict[str, Any]]:
    """Yield every customer as a record, ordered by id, in constant memory: one keyset range of
    :data:`EXPORT_CHUNK` customers at a time, one query per table and range (an index or zone
    range scan and a small sort each), or on Spark one sorted stream per table, read a range at
    a time (a query there costs a job). Raises EngineError."""
    settings = settings or default_settings()
    dialect = engine.rules.sqlglot
    schema = settings.schema
    roles = {name: m.role for name, m in schema.items()}
    builder = RecordBuilder(roles)
    customers = roles["customers"]
    others = [role for name, role in roles.items() if name != "customers"]

    def select(role: Role, columns: Sequence[str], key: str, order: Sequence[str]) -> tuple[exp.Select, exp.Column]:
        mapping = schema[role.name]
        col = lambda c: exp.column(mapping.columns[c], quoted=True)  # noqa: E731
        query = exp.select(*map(col, columns)).from_(table_of(mapping)).order_by(*map(col, (key, *order)))
        return query, col(key)

    # the customer id comes last in the other tables' rows (RecordBuilder.build_range)
    queries = {role.name: select(role, [*role.value_columns, "customer_id"], "customer_id", role.export_order)
               for role in others}
    queries["customers"] = select(customers, list(customers.columns), "id", [])
    at = customers.column_names.index("id")

    if engine.dialect == "spark":
        streams = {name: _Upto(engine.stream(q.sql(dialect=dialect, identify=True)))
                   for name, (q, _) in queries.items() if name != "customers"}
        people = iter(engine.stream(queries["customers"][0].sql(dialect=dialect, identify=True)))
        while batch := list(islice(people, EXPORT_CHUNK)):
            high = int(batch[-1][at])
            yield from builder.build_range(batch, lambda name: streams[name].upto(high))  # noqa: B023
        return

    def fetch(name: str, *, low: int | None, high: int) -> list[tuple[Any, ...]]:
        query, key = queries[name]
        return engine.query(_key_range(query, key, low, high).sql(dialect=dialect, identify=True))

    for low, high in IdRanges(engine, settings):
        with gc_paused():
            batch = fetch("customers", low=low, high=high)
            records = builder.build_range(batch, partial(fetch, low=low, high=high))
        yield from records


def record_of(engine: Engine, customer_id: int, settings: Settings | None = None) -> dict[str, Any] | None:
    """One customer's record (the shape :func:`export_records` yields), or None if there is no such id.

    One small query per role, each on the customer's key (``customer_id`` is an int, so it is
    written as a literal); for ``segdsl why`` and other single-customer reads.
    """
    settings = settings or default_settings()
    schema = settings.schema
    roles = {name: m.role for name, m in schema.items()}
    cid = exp.Literal.number(int(customer_id))

    def rows(role: Role, columns: Sequence[str], key: str, order: Sequence[str]) -> list[tuple[Any, ...]]:
        mapping = schema[role.name]
        query = (
            exp.select(*[exp.column(mapping.columns[c], quoted=True) for c in columns])
            .from_(table_of(mapping))
            .where(exp.EQ(this=exp.column(mapping.columns[key], quoted=True), expression=cid.copy()))
        )
        if order:
            query = query.order_by(*[exp.column(mapping.columns[c], quoted=True) for c in order])
        return engine.query(query.sql(dialect=engine.rules.sqlglot, identify=True))

    customers = roles["customers"]
    found = rows(customers, list(customers.columns), "id", [])
    if not found:
        return None
    items = {name: rows(role, role.value_columns, "customer_id", role.export_order)
             for name, role in roles.items() if name != "customers"}
    return RecordBuilder(roles).build(found[0], items)
