"""Golden SQL: every rule of examples/rules in every dialect, verbatim.

``tests/golden/<dialect>/<rule>.sql`` holds ``segdsl.compile(rule, dialect=...,
now=2026-11-28T12:00:00, pretty=True)``. A change of the SQL shows up here as
a diff to review; ``SEGDSL_UPDATE_GOLDEN=1 pytest tests/test_golden.py``
rewrites the files. Each golden file must also parse back with sqlglot in its
dialect.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

import segdsl
from segdsl.sql.dialects import DIALECTS
from tests.engines import corpus_rules

GOLDEN = Path(__file__).resolve().parent / "golden"
NOW = dt.datetime(2026, 11, 28, 12, 0, 0)
DIALECT_NAMES = ("sqlite", "duckdb", "postgres", "mysql", "spark", "trino", "bigquery", "snowflake")
RULES = corpus_rules()
UPDATE = os.environ.get("SEGDSL_UPDATE_GOLDEN") == "1"

CASES = [
    pytest.param(dialect, name, text, id=f"{dialect}-{name}") for dialect in DIALECT_NAMES for name, text in RULES
]


def golden_path(dialect: str, name: str) -> Path:
    return GOLDEN / dialect / f"{name}.sql"


def generate(dialect: str, text: str) -> str:
    return segdsl.compile(text, dialect=dialect, now=NOW, pretty=True) + "\n"


def test_every_dialect_is_covered() -> None:
    assert set(DIALECT_NAMES) <= set(DIALECTS)


@pytest.mark.parametrize(("dialect", "name", "text"), CASES)
def test_golden_sql(dialect: str, name: str, text: str) -> None:
    path = golden_path(dialect, name)
    sql = generate(dialect, text)
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != sql:
            path.write_text(sql, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with SEGDSL_UPDATE_GOLDEN=1"
    assert path.read_text(encoding="utf-8") == sql, (
        f"{path} differs from the compiled SQL; review, then SEGDSL_UPDATE_GOLDEN=1 to accept"
    )


@pytest.mark.parametrize(("dialect", "name", "text"), CASES)
def test_golden_sql_parses_back(dialect: str, name: str, text: str) -> None:
    path = golden_path(dialect, name)
    if not path.exists():
        pytest.fail(f"no golden file {path}; run with SEGDSL_UPDATE_GOLDEN=1")
    tree = sqlglot.parse_one(path.read_text(encoding="utf-8"), read=DIALECTS[dialect].sqlglot)
    assert isinstance(tree, exp.Select)
    assert tree.selects[0].alias_or_name == "customer_id"


def test_no_stray_golden_files() -> None:
    """Every golden file belongs to a rule and a dialect still in use."""
    expected = {golden_path(d, n) for d in DIALECT_NAMES for n, _ in RULES}
    present = set(GOLDEN.glob("*/*.sql"))
    stray = sorted(str(p.relative_to(GOLDEN)) for p in present - expected)
    if UPDATE:
        for rel in stray:
            (GOLDEN / rel).unlink()
        stray = []
    assert not stray, f"golden files without a rule or dialect: {stray}"
