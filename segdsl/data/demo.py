"""Synthetic demo customers: :func:`generate` records, :func:`populate` a database.

The rows of each role come from the family that declares it
(:attr:`segdsl.families.spec.Role.demo`, made by :mod:`segdsl.data.demogen`);
each engine gets its bulk loader (:mod:`segdsl.data.bulk`). This module
joins them: the records, the destructive reload (all or nothing, and only of
tables it created), progress and statistics.

The data is a pure function of ``(n, seed, now)`` and the installed
families: the same arguments give the same records, and ``generate(m)``
starts with ``generate(n)`` for ``n < m``. Times are relative to ``now``
(default: the current UTC time, truncated to the second).

>>> recs = list(generate(3, seed=1, now="2026-11-28T00:00:00Z"))
>>> [r["id"] for r in recs]
[1, 2, 3]
>>> recs == list(generate(3, seed=1, now="2026-11-28T00:00:00Z"))
True
>>> sorted(recs[0])  # doctest: +NORMALIZE_WHITESPACE
['carts', 'channels', 'created_at', 'email', 'fields', 'gender', 'id', 'interactions',
 'name', 'phone', 'tags']
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

from sqlglot import exp

from segdsl.data import bulk, demogen
from segdsl.data.demogen import BLOCK, DATA_VERSION
from segdsl.data.engines import Engine, EngineError, connect
from segdsl.data.records import create_indexes_as, create_schema, drop_indexes, drop_schema, quoted_table
from segdsl.families.settings import Settings, default_settings
from segdsl.families.spec import Role
from segdsl.sql.context import mapped_table

__all__ = ["BLOCK", "DATA_VERSION", "MARKER_TABLE", "DemoRefused", "generate", "populate"]

Progress = Callable[[str, int, int], None]


def _roles(settings: Settings | None) -> dict[str, Role]:
    settings = settings or default_settings()
    return {name: mapping.role for name, mapping in settings.schema.items()}


def generate(n: int, seed: int = 0, now: Any = None, settings: Settings | None = None) -> Iterator[dict[str, Any]]:
    """Yield ``n`` synthetic customers (ids 1..n) in the record shape.

    Deterministic for ``(n, seed, now)``; times are relative to ``now``
    (a datetime or ISO string, default the current UTC time to the second).
    ``settings`` picks the roles (default: the installed families').
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    roles = _roles(settings)
    now_s = demogen.epoch(now)
    for lines in demogen.lines(roles, n, seed, now_s):
        yield from demogen.records(roles, lines)


class _Counter:
    """Rows loaded per role, and the progress callback."""

    def __init__(self, n: int, names: dict[str, str], progress: Progress | None) -> None:
        self.n = n
        self.names = names
        self.progress = progress
        self.rows = {role: 0 for role in names}
        self.customers = 0

    def add(self, counts: dict[str, int]) -> None:
        for role, k in counts.items():
            self.rows[role] += k
        self.customers = self.rows["customers"]
        if self.progress is not None:
            for role, done in self.rows.items():
                if role == "customers":
                    total = self.n
                else:  # projected from the customers loaded so far; exact at the last call
                    total = round(done * self.n / self.customers) if self.customers else 0
                self.progress(self.names[role], done, total)

    def result(self) -> dict[str, int]:
        return {self.names[role]: k for role, k in self.rows.items()}


class DemoRefused(Exception):
    """``populate`` would drop a table that ``segdsl demo`` did not create (pass ``replace=True``)."""


#: the table in which populate() records the tables it created (one row per table)
MARKER_TABLE = "segdsl_demo"


def populate(
    url_or_engine: str | Engine | None,
    n: int = 10_000,
    seed: int = 0,
    progress: Progress | None = None,
    settings: Settings | None = None,
    now: Any = None,
    replace: bool = False,
) -> dict[str, int]:
    """Replace the demo tables in a database with ``n`` generated customers.

    **Destructive:** the mapped table of every role (as named by
    ``settings``) is dropped if it exists, with all its rows, and created anew
    before the load. Other tables are left alone. A mapped table that an
    earlier ``populate`` did not create (it is not listed in
    :data:`MARKER_TABLE`) is only dropped with ``replace=True``; otherwise
    :class:`DemoRefused` is raised before anything changes.

    **All or nothing:** an interrupted or failed load (Ctrl-C, SIGTERM, a
    crash, a DDL error) leaves the old tables as they were. SQLite, DuckDB and
    PostgreSQL load in one transaction (:meth:`Engine.transaction`, DDL
    included; SQLite keeps its rollback journal). MySQL/MariaDB commit DDL
    implicitly, so there the new tables are loaded under staging names
    (``segdsl_new_<table>``) and swapped in with one atomic ``RENAME TABLE``.
    Spark (``spark://…?warehouse=PATH``) gets one Parquet folder per mapped table,
    written under a hidden staging folder and moved into place at the end
    (:mod:`segdsl.data.sparkdemo`); the list of folders it made is the file
    ``PATH/_segdsl_demo``.

    The customers are exactly those of ``generate(n, seed, now, settings)``,
    loaded by the engine's bulk path (:mod:`segdsl.data.bulk`). The secondary
    indexes are built after the load (except on DuckDB, where keeping them is
    faster), then the statistics are refreshed.

    ``progress(table, rows_done, rows_total)`` is called after each chunk for
    every table; for the customers table ``rows_total`` is ``n``, for the
    others it is projected from the chunks loaded so far (exact at the last
    call). Returns the number of rows written per table name.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    settings = settings or default_settings()
    engine = url_or_engine if isinstance(url_or_engine, Engine) else connect(url_or_engine, create=True)
    try:
        now_s = demogen.epoch(now)
        counter = _Counter(n, {role: m.table for role, m in settings.schema.items()}, progress)
        if engine.dialect == "spark":
            _populate_spark(engine, settings, n, seed, now_s, counter, replace)
            return counter.result()
        _check_ownership(engine, settings, replace)
        if engine.dialect == "mysql":
            _populate_staged(engine, settings, n, seed, now_s, counter)
        else:
            with engine.transaction():
                _mark(engine, settings)
                create_schema(engine, settings, drop=True)
                if engine.dialect != "duckdb":
                    drop_indexes(engine, settings)  # built again after the load
                bulk.LOADERS[engine.dialect](engine, settings, n, seed, now_s, counter.add)
                create_schema(engine, settings)  # the indexes dropped above
        _analyze(engine, settings)
        return counter.result()
    finally:
        if not isinstance(url_or_engine, Engine):
            engine.close()


# ----------------------------------------------------------------------------- what demo owns


def _qualified(settings: Settings, role: str) -> str:
    mapping = settings.schema[role]
    return f"{mapping.db_schema}.{mapping.table}" if mapping.db_schema else str(mapping.table)


def _marker() -> exp.Table:
    return exp.Table(this=exp.to_identifier(MARKER_TABLE, quoted=True))


def _owned(engine: Engine) -> set[str]:
    """The tables an earlier populate() created here (empty when the marker table is missing)."""
    select = exp.select(exp.column("table_name", quoted=True)).from_(_marker())
    try:
        return {str(r[0]) for r in engine.query(select.sql(dialect=engine.rules.sqlglot, identify=True))}
    except EngineError:
        return set()


def _exists(engine: Engine, table: exp.Table) -> bool:
    probe = exp.select(exp.Literal.number(1)).from_(table).where(exp.false())
    try:
        engine.query(probe.sql(dialect=engine.rules.sqlglot, identify=True))
    except EngineError:
        return False
    return True


def _check_ownership(engine: Engine, settings: Settings, replace: bool) -> None:
    """Refuse to drop a mapped table populate() did not create, unless ``replace``."""
    if replace:
        return
    owned = _owned(engine)
    for role in settings.schema:
        name = _qualified(settings, role)
        if name not in owned and _exists(engine, mapped_table(settings.schema, role)):
            raise DemoRefused(
                f"the table `{name}` exists and was not created by segdsl demo; the demo would drop it "
                "with all its rows: pass --replace to allow that, or map the demo elsewhere with --schema"
            )


def _mark(engine: Engine, settings: Settings) -> None:
    """Record the mapped tables as made by populate() (in the caller's transaction)."""
    dialect = engine.rules.sqlglot
    column = exp.ColumnDef(
        this=exp.to_identifier("table_name", quoted=True),
        kind=exp.DataType.build("VARCHAR(400)", dialect="postgres"),
        constraints=[exp.ColumnConstraint(kind=exp.NotNullColumnConstraint())],
    )
    create = exp.Create(
        this=exp.Schema(this=_marker(), expressions=[column, exp.PrimaryKey(expressions=[
            exp.to_identifier("table_name", quoted=True)])]),
        kind="TABLE",
        exists=True,
    )
    engine.query(create.sql(dialect=dialect, identify=True))
    owned = _owned(engine)
    for role in settings.schema:
        name = _qualified(settings, role)
        if name not in owned:
            insert = exp.Insert(this=_marker(), expression=exp.Values(expressions=[
                exp.Tuple(expressions=[exp.Literal.string(name)])]))
            engine.query(insert.sql(dialect=dialect, identify=True))
            owned.add(name)


def _staged(settings: Settings, prefix: str) -> Settings:
    """``settings`` with every mapped table renamed ``<prefix><table>`` (MySQL's 64-character limit kept)."""
    schema = settings.schema
    for role, mapping in settings.schema.items():
        schema = schema.mapped(role, table=(prefix + mapping.table)[:64])
    return dataclasses.replace(settings, schema=schema)


def _populate_staged(engine: Engine, settings: Settings, n: int, seed: int, now_s: int, counter: _Counter) -> None:
    """MySQL/MariaDB: load staging tables, then swap them in with one atomic RENAME TABLE."""
    new, old = _staged(settings, "segdsl_new_"), _staged(settings, "segdsl_old_")
    drop_schema(engine, new)  # what an interrupted earlier run left
    drop_schema(engine, old)
    try:
        create_schema(engine, new)
        drop_indexes(engine, new)  # built after the load
        bulk.LOADERS["mysql"](engine, new, n, seed, now_s, counter.add)
        create_indexes_as(engine, settings, new)  # named for the tables they will become
        _mark(engine, settings)
        renames = []
        for role in settings.schema:
            target = quoted_table(engine, settings, role)
            if _exists(engine, mapped_table(settings.schema, role)):
                renames.append(f"{target} TO {quoted_table(engine, old, role)}")
            renames.append(f"{quoted_table(engine, new, role)} TO {target}")
        engine.query("RENAME TABLE " + ", ".join(renames))  # all renames or none
    except BaseException:
        with contextlib.suppress(EngineError):
            drop_schema(engine, new)
        raise
    drop_schema(engine, old)


def _populate_spark(engine: Engine, settings: Settings, n: int, seed: int, now_s: int, counter: _Counter,
                    replace: bool) -> None:
    """Spark: Parquet folders of the warehouse, staged and moved into place (:mod:`segdsl.data.sparkdemo`)."""
    from segdsl.data import sparkdemo

    root = sparkdemo.warehouse_of(engine, settings)
    foreign = None if replace else sparkdemo.foreign_folder(root, settings)
    if foreign is not None:
        raise DemoRefused(
            f"the warehouse folder `{foreign}` exists and was not made by segdsl demo; the demo would replace "
            "it with all its files: pass --replace to allow that, or map the demo elsewhere with --schema"
        )
    sparkdemo.populate(engine, settings, n, seed, now_s, counter.add)


def _analyze(engine: Engine, settings: Settings) -> None:
    if engine.dialect == "sqlite":
        engine.query("ANALYZE")
    elif engine.dialect == "postgres":
        # VACUUM as well, as after any bulk load: it marks the pages all-visible, so
        # index-only scans (the EXISTS look-ups) need not visit the table
        was = engine.conn.autocommit
        engine.conn.commit()
        engine.conn.autocommit = True  # VACUUM cannot run inside a transaction
        try:
            for role in settings.schema:
                engine.query(f"VACUUM ANALYZE {quoted_table(engine, settings, role)}")
        finally:
            engine.conn.autocommit = was
    elif engine.dialect == "mysql":
        for role in settings.schema:
            engine.query(f"ANALYZE TABLE {quoted_table(engine, settings, role)}")
