"""Golden SQL: ten whole rules in every dialect, verbatim.

The rules below cover every family and every shape of the SQL (semi-joins,
anti-joins, the customer's own row, groups, double negation, escapes, count
and bind-parameter mode); the building blocks themselves are pinned one by
one in tests/test_sql_primitives.py, and what the SQL *means* is proven by
running it on the real engines (tests/test_differential.py, tests/test_trap.py).

``tests/golden/<dialect>/<rule>.sql`` holds ``segdsl.compile(rule, dialect=...,
now=2026-11-28T12:00:00, pretty=True)``. A change shows up as a diff to
review; ``SEGDSL_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` rewrites the
files. Each golden file must also parse back with sqlglot in its dialect.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

import segdsl
from segdsl.sql.dialects import DIALECTS

GOLDEN = Path(__file__).resolve().parent / "golden"
NOW = dt.datetime(2026, 11, 28, 12, 0, 0)
DIALECT_NAMES = ("sqlite", "duckdb", "postgres", "mysql", "spark", "trino", "bigquery", "snowflake")
UPDATE = os.environ.get("SEGDSL_UPDATE_GOLDEN") == "1"

#: name -> (rule, compile options)
RULES: dict[str, tuple[str, dict[str, bool]]] = {
    "01_seed": (
        "channel whatsapp and tag = 'vip' and gender is female and last interaction within 30 days"
        " and field returningUser = true",
        {},
    ),
    "02_seed_count_params": (
        "channel whatsapp and tag = 'vip' and gender is female and last interaction within 30 days"
        " and field returningUser = true",
        {"count": True, "params": True},
    ),
    "03_tags": ('channel sms and tag in ("vip", "Gold") and tag isn\'t "churn" and not tag is unknown', {}),
    "04_personal": (
        'channel whatsapp and (name contains "50%_off" or name starts with "as" or name ends with "RAO")'
        ' and email is known and number isn\'t "+91 98765-43210" and (gender in (female, "other") or gender is unknown)',
        {},
    ),
    "05_field_numbers": (
        'channel whatsapp and field orders >= 7 and field score < -2.5 and field plan in ("gold", 3, true)'
        ' and field "plan type" is unknown',
        {},
    ),
    "06_field_text": (
        'channel telegram and field returningUser = true and field city contains "pun" and field city isn\'t "Pune"'
        " and field nickname is known",
        {},
    ),
    "07_last_interaction": (
        "channel whatsapp and (last interaction more than 30 days ago or last interaction between 2026-11-01"
        " and 2026-11-15) and last interaction after 2026-11-20T09:15:00Z and not last interaction within 90 minutes",
        {},
    ),
    "08_time_of_day": (
        "channel whatsapp and (last interaction time between 22:00 and 06:00 or last interaction time after 18:00:30)",
        {},
    ),
    "09_flags_cart": (
        'channel webchat and talked with agent within 7 days and completed bot flow "Welcome"'
        " and not completed product flow and completed collection flow within 2 weeks and has unpaid cart",
        {},
    ),
    "10_boolean_shape": (
        'Channel SMS AnD (NoT Tag IS "x" Or Name Is Known) and not not (tag = "vip" or tag = "gold"'
        ' and not gender is male) and name is "say \\"hi\\" \\\\ it\'s\\tok \\u00e9"',
        {},
    ),
}
CASES = [pytest.param(dialect, name, id=f"{dialect}-{name}") for dialect in DIALECT_NAMES for name in RULES]


def golden_path(dialect: str, name: str) -> Path:
    return GOLDEN / dialect / f"{name}.sql"


def generate(dialect: str, name: str) -> str:
    """The SQL as the golden file holds it (in params mode, the values follow in a comment)."""
    text, options = RULES[name]
    compiled = segdsl.compile(text, dialect=dialect, now=NOW, pretty=True, **options)
    if options.get("params"):
        return f"{compiled.sql}\n-- params: {compiled.params!r}\n"
    return f"{compiled}\n"


def test_every_dialect_is_covered() -> None:
    assert set(DIALECT_NAMES) == set(DIALECTS)


def test_the_rules_cover_every_family() -> None:
    """Each subject of every built-in family appears in some golden rule."""
    from segdsl.families.registry import build_registry, make_manager

    builtin = build_registry(make_manager(load_entrypoints=False))
    covered = {cond.subject for text, _ in RULES.values() for cond in segdsl.parse(text).conditions()}
    assert set(builtin.subjects) <= covered, sorted(set(builtin.subjects) - covered)


@pytest.mark.parametrize(("dialect", "name"), CASES)
def test_golden_sql(dialect: str, name: str) -> None:
    path = golden_path(dialect, name)
    sql = generate(dialect, name)
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != sql:
            path.write_text(sql, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with SEGDSL_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    if expected != sql:
        diff = difflib.unified_diff(
            expected.splitlines(), sql.splitlines(), f"{path.relative_to(GOLDEN)} (golden)", "compiled", lineterm=""
        )
        pytest.fail(
            f"the SQL of {name} in {dialect} changed; review, then SEGDSL_UPDATE_GOLDEN=1 to accept:\n"
            + "\n".join(diff),
            pytrace=False,
        )


@pytest.mark.parametrize(("dialect", "name"), CASES)
def test_golden_sql_parses_back(dialect: str, name: str) -> None:
    path = golden_path(dialect, name)
    if not path.exists():
        pytest.fail(f"no golden file {path}; run with SEGDSL_UPDATE_GOLDEN=1")
    sql = path.read_text(encoding="utf-8").split("\n-- params:")[0]
    if RULES[name][1].get("params"):
        sql = sql.replace("%s", "?")  # sqlglot reads the qmark placeholder in every dialect
    tree = sqlglot.parse_one(sql, read=DIALECTS[dialect].sqlglot)
    assert isinstance(tree, exp.Select)
    assert tree.selects[0].alias_or_name == ("count" if RULES[name][1].get("count") else "customer_id")


def test_no_stray_golden_files() -> None:
    """Every golden file belongs to a rule and a dialect still in use."""
    expected = {golden_path(d, n) for d in DIALECT_NAMES for n in RULES}
    present = set(GOLDEN.glob("*/*.sql"))
    stray = sorted(str(p.relative_to(GOLDEN)) for p in present - expected)
    if UPDATE:
        for rel in stray:
            (GOLDEN / rel).unlink()
        stray = []
    assert not stray, f"golden files without a rule or dialect: {stray}"
