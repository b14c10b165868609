"""populate() is all or nothing, and drops only what it created (issue 12, items 1 and 2).

On every engine: a load interrupted half-way (Ctrl-C in the progress callback,
which runs between chunks) or failing on DDL leaves the old tables and rows
exactly as they were; a mapped table that ``segdsl demo`` did not create is
not dropped without ``replace=True``. The real-process kill tests (SIGINT,
SIGTERM, SIGKILL) are in tests/test_interrupts.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import segdsl
from segdsl.data import demo
from segdsl.data.engines import Engine, EngineError, connect
from segdsl.data.records import create_schema, load_records
from tests.engines import EnginePool, backend_params, row_counts

NOW = "2026-11-28T12:00:00Z"
RULE = 'channel whatsapp and tag = "vip"'


def _place(backend: str, engine_pool: EnginePool, tmp_path: Path) -> Engine:
    if backend == "sqlite":
        return connect(f"sqlite:///{tmp_path / 'atomic.db'}", create=True)
    if backend == "duckdb":
        return connect(f"duckdb:///{tmp_path / 'atomic.duckdb'}", create=True)
    return engine_pool.fresh(backend, f"atomic_{tmp_path.name[-12:]}")


def _stop_after(calls: int, exc: type[BaseException] = KeyboardInterrupt):  # type: ignore[no-untyped-def]
    seen = {"n": 0}

    def progress(table: str, done: int, total: int) -> None:
        seen["n"] += 1
        if seen["n"] >= calls:
            raise exc()

    return progress


@pytest.mark.parametrize("backend", backend_params())
def test_interrupted_demo_keeps_the_old_data(backend: str, engine_pool: EnginePool, tmp_path: Path) -> None:
    """Before: SQLite ran with journal_mode=OFF (an interrupt corrupted the file), PostgreSQL and
    MariaDB committed chunk by chunk, DuckDB kept a partial load."""
    engine = _place(backend, engine_pool, tmp_path)
    try:
        demo.populate(engine, n=300, seed=1, now=NOW)
        before = row_counts(engine)
        counted = segdsl.count(RULE, db=engine, now=NOW)
        with pytest.raises(KeyboardInterrupt):
            # the first progress call comes after the first chunk is in the (new) tables
            demo.populate(engine, n=700, seed=2, now=NOW, progress=_stop_after(1))
        assert row_counts(engine) == before
        assert segdsl.count(RULE, db=engine, now=NOW) == counted
        assert engine.query("SELECT MAX(id) FROM customers") == [(300,)]
        if backend == "sqlite":
            assert engine.query("PRAGMA integrity_check") == [("ok",)]
            assert engine.query("PRAGMA journal_mode")[0][0] != "off"
        if backend == "mysql":  # no staging tables left behind, and the indexes carry the tables' names
            names = {r[0] for r in engine.query("SHOW TABLES")}
            assert not {n for n in names if n.startswith(("segdsl_new_", "segdsl_old_"))}
            indexes = {r[0] for r in engine.query("SELECT INDEX_NAME FROM information_schema.STATISTICS "
                                                   "WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME <> 'PRIMARY'")}
            assert indexes and not {i for i in indexes if "segdsl_new" in i}, indexes
        # and a later demo still works (the marker table survived, the tables are demo's own)
        assert demo.populate(engine, n=50, seed=3, now=NOW)["customers"] == 50
    finally:
        engine.close()


@pytest.mark.parametrize("backend", backend_params())
def test_ddl_failure_keeps_the_old_data(backend: str, engine_pool: EnginePool, tmp_path: Path) -> None:
    """Before: a view named like a mapped table made DROP TABLE fail after `customers` was emptied."""
    engine = _place(backend, engine_pool, tmp_path)
    try:
        demo.populate(engine, n=200, seed=1, now=NOW)
        engine.query("DROP TABLE customer_tags")
        engine.query("CREATE VIEW customer_tags AS SELECT customer_id, channel AS tag FROM customer_channels")
        before = engine.query("SELECT COUNT(*) FROM customers")
        if backend == "mysql":
            # staging tables: RENAME TABLE moves the view aside with the old tables, the new
            # tables come in whole; the outcome is the new data, complete
            demo.populate(engine, n=400, seed=2, now=NOW)
            assert engine.query("SELECT COUNT(*), MAX(id) FROM customers") == [(400, 400)]
            assert row_counts(engine)["customer_tags"] > 0
            return
        # DROP TABLE fails on the view after `customers` was dropped: everything rolls back
        with pytest.raises(EngineError):
            demo.populate(engine, n=400, seed=2, now=NOW)
        assert engine.query("SELECT COUNT(*) FROM customers") == before
        assert engine.query("SELECT MAX(id) FROM customers") == [(200,)]
    finally:
        engine.close()


@pytest.mark.parametrize("backend", backend_params())
def test_demo_refuses_tables_it_did_not_create(backend: str, engine_pool: EnginePool, tmp_path: Path) -> None:
    engine = _place(backend, engine_pool, tmp_path)
    try:
        create_schema(engine)
        load_records(engine, [{"id": 7, "name": "Mine", "channels": ["sms"], "tags": ["keep"]}])
        with pytest.raises(demo.DemoRefused, match="customers"):
            demo.populate(engine, n=20, now=NOW)
        assert engine.query("SELECT id, name FROM customers") == [(7, "Mine")]
        assert demo.populate(engine, n=20, now=NOW, replace=True)["customers"] == 20
        assert demo.populate(engine, n=30, now=NOW)["customers"] == 30  # now they are demo's own
    finally:
        engine.close()


def test_demo_cli_refuses_and_replaces(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from segdsl.cli import cli

    url = f"sqlite:///{tmp_path / 'own.db'}"
    with connect(url, create=True) as db:
        create_schema(db)
        load_records(db, [{"id": 1, "channels": ["sms"]}])
    res = CliRunner().invoke(cli, ["demo", "-n", "10", "--db", url])
    assert res.exit_code == 1, res.output
    assert res.output.startswith("error: ") and "--replace" in res.output and res.output.count("\n") == 1
    res = CliRunner().invoke(cli, ["demo", "-n", "10", "--db", url, "--replace"])
    assert res.exit_code == 0, res.output
    assert "10 customers" in res.output
