"""Regression tests for issue 12 (reliability), one section per item.

Each test failed before its fix. Interrupts and kills: tests/test_interrupts.py;
demo atomicity: tests/test_demo_atomic.py; secrets: tests/test_secrets.py.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import segdsl
from segdsl.cli import cli
from segdsl.data import demo
from segdsl.data.engines import Engine, EngineError, connect
from segdsl.data.records import create_schema, load_records
from segdsl.families.settings import Settings
from tests.engines import EnginePool, backend_params

NOW = "2026-11-28T12:00:00Z"

# --------------------------------------------------------------------------- item 8: DuckDB extensions


def test_duckdb_never_autoloads_extensions(tmp_path: Path) -> None:
    """Before: a DuckDB URL on a SQLite file made DuckDB try to download sqlite_scanner."""
    with connect(f"duckdb:///{tmp_path / 'x.duckdb'}", create=True) as db:
        got = db.query("SELECT current_setting('autoinstall_known_extensions'), "
                       "current_setting('autoload_known_extensions')")
        assert got == [(False, False)]
    sqlite_file = tmp_path / "shop.db"
    demo.populate(f"sqlite:///{sqlite_file}", n=5, now=NOW)
    res = CliRunner().invoke(cli, ["count", "channel sms", "--db", f"duckdb:///{sqlite_file}"])
    assert res.exit_code == 1
    assert res.output.startswith("error: ") and "not a DuckDB database file" in res.output
    assert "install" not in res.output.lower().replace("never installs", "")


# --------------------------------------------------------------------------- item 9: % in mapped names

PERCENT_TOML = """
[schema.customers]
table = "cust%omers"
name = "na%me"
[schema.tags]
table = "ta%gs"
tag = "t%s"
[schema.fields]
key = "k%(x)s"
"""
PERCENT_RECORDS = [
    {"id": 1, "name": "Asha", "channels": ["sms"], "tags": ["vip"], "fields": {"plan": "pro"}},
    {"id": 2, "name": "100%", "channels": ["sms"], "tags": ["VIP", "gold"]},
    {"id": 3, "name": None, "channels": ["whatsapp"], "tags": []},
]
PERCENT_RULES = ['channel sms and tag = "vip"', 'channel sms and name contains "%"',
                 'channel sms and field plan = "pro"', "channel sms and name is unknown"]


@pytest.mark.parametrize("backend", backend_params())
def test_percent_in_mapped_names(backend: str, engine_pool: EnginePool) -> None:
    """Before: a `%` in a mapped table or column name broke every PostgreSQL and MariaDB query
    ("the query has 8 placeholders but 4 parameters")."""
    settings = Settings.from_toml_text(PERCENT_TOML)
    engine = engine_pool.fresh(backend, "percent")
    try:
        create_schema(engine, settings)
        load_records(engine, PERCENT_RECORDS, settings)
        for rule in PERCENT_RULES:
            typed = segdsl.parse(rule, settings)
            expected = [r["id"] for r in PERCENT_RECORDS if segdsl.evaluate(typed, r, now=NOW)]
            assert segdsl.audience(typed, db=engine, now=NOW, settings=settings) == expected, rule
            inline = segdsl.compile(typed, dialect=engine.dialect, now=NOW, settings=settings)
            assert sorted(r[0] for r in engine.query(inline)) == expected, rule
    finally:
        engine.close()


# --------------------------------------------------------------------------- item 11: read-only readers


@pytest.mark.engine
def test_concurrent_readers_on_one_duckdb_file(tmp_path: Path) -> None:
    """Before: of 4 concurrent `segdsl count` on one DuckDB file only one succeeded (each opened
    the file read-write, which DuckDB locks)."""
    url = f"duckdb:///{tmp_path / 'shared.duckdb'}"
    demo.populate(url, n=300, now=NOW)
    rule = 'channel whatsapp and tag = "vip"'
    expected = str(segdsl.count(rule, db=url, now=NOW))
    commands = [["count", rule, "--now", NOW]] * 4 + [["export"]] * 2
    procs = [subprocess.Popen([sys.executable, "-m", "segdsl.cli", *c, "--db", url], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for c in commands]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err), command in zip(procs, outputs, commands, strict=True):
        assert proc.returncode == 0, (command, err)
        if command[0] == "count":
            assert out.strip() == expected
        else:
            assert len(out.splitlines()) == 300


def test_readers_open_read_only(tmp_path: Path) -> None:
    for scheme in ("sqlite", "duckdb"):
        url = f"{scheme}:///{tmp_path / ('ro.' + scheme)}"
        demo.populate(url, n=5, now=NOW)
        with connect(url, read_only=True) as db, pytest.raises(EngineError):
            db.query("DELETE FROM customers")
        assert segdsl.count("channel sms", db=url, now=NOW) >= 0
