"""Synthetic demo customers: :func:`generate` records, :func:`populate` a database.

The rows of each role come from the family that declares it
(:attr:`segdsl.families.spec.Role.demo`, made by :mod:`segdsl.data.demogen`);
each engine gets its bulk loader (:mod:`segdsl.data.bulk`). This module
joins them: the records, the destructive reload, progress and statistics.

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

from collections.abc import Callable, Iterator
from typing import Any

from segdsl.data import bulk, demogen
from segdsl.data.demogen import BLOCK, DATA_VERSION
from segdsl.data.engines import Engine, connect
from segdsl.data.records import create_schema, drop_indexes, quoted_table
from segdsl.families.settings import Settings, default_settings
from segdsl.families.spec import Role

__all__ = ["BLOCK", "DATA_VERSION", "generate", "populate"]

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


def populate(
    url_or_engine: str | Engine | None,
    n: int = 10_000,
    seed: int = 0,
    progress: Progress | None = None,
    settings: Settings | None = None,
    now: Any = None,
) -> dict[str, int]:
    """Replace the demo tables in a database with ``n`` generated customers.

    **Destructive:** the mapped table of every role (as named by
    ``settings``) is dropped if it exists, with all its rows, and created anew
    before the load. Other tables are left alone.

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
    engine = url_or_engine if isinstance(url_or_engine, Engine) else connect(url_or_engine)
    try:
        now_s = demogen.epoch(now)
        counter = _Counter(n, {role: m.table for role, m in settings.schema.items()}, progress)
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
