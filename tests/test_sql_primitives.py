"""The SqlContext primitives per dialect: one construct, every dialect, one table.

Each row of :data:`CONSTRUCTS` is one call of the plugins' SQL toolkit
(:class:`segdsl.sql.context.SqlContext`) on the column ``"c"."name"``; its SQL
in all eight dialects is pinned in ``tests/golden/primitives.txt``, laid out as

    ## fold_in ascii: ctx.fold_in(x, ["vip"])
    sqlite     LOWER("c"."name") COLLATE BINARY = 'vip'
    duckdb     ...

A changed primitive fails with a per-dialect diff; review it, then
``SEGDSL_UPDATE_GOLDEN=1 pytest tests/test_sql_primitives.py`` rewrites the
table (``tests/test_golden.py`` keeps a few whole rules; what the SQL *means*
is proven by running it: tests/test_differential.py, tests/test_trap.py).
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from segdsl.families.settings import Schema
from segdsl.sql.compile import bind_params, to_sql
from segdsl.sql.context import SqlContext
from segdsl.sql.dialects import DIALECTS, rules_for

TABLE = Path(__file__).resolve().parent / "golden" / "primitives.txt"
DIALECT_NAMES = ("sqlite", "duckdb", "postgres", "mysql", "spark", "trino", "bigquery", "snowflake")
NOW = dt.datetime(2026, 11, 28, 12, 0, 0)
UPDATE = os.environ.get("SEGDSL_UPDATE_GOLDEN") == "1"


def x(ctx: SqlContext) -> exp.Expression:
    """The column every construct works on: the customer's name."""
    return ctx.customer("name")


@dataclass(frozen=True)
class Construct:
    name: str
    call: str  # how the construct reads, for the table's heading
    build: Callable[[SqlContext], exp.Expression]
    params: bool = False  # bind parameters instead of inline literals


def _has_channel_row(ctx: SqlContext) -> exp.Expression:
    return ctx.exists("channels", "ch", lambda a: ctx.on_channel("channels", a))


CONSTRUCTS = [
    Construct("lower", "ctx.lower(x)", lambda c: c.lower(x(c))),
    Construct("trim", "ctx.trim(x)", lambda c: c.trim(x(c))),
    Construct("text_eq", 'ctx.text_eq(x, "Asha")', lambda c: c.text_eq(x(c), "Asha")),
    Construct("text_eq const", 'ctx.text_eq(x, "", const=True)', lambda c: c.text_eq(x(c), "", const=True)),
    Construct("text_in", 'ctx.text_in(x, ["a", "b"])', lambda c: c.text_in(x(c), ["a", "b"])),
    Construct("fold_in ascii", 'ctx.fold_in(x, ["vip"])', lambda c: c.fold_in(x(c), ["vip"])),
    Construct("fold_in list", 'ctx.fold_in(x, ["vip", "gold"])', lambda c: c.fold_in(x(c), ["vip", "gold"])),
    Construct("fold_in non-ascii", 'ctx.fold_in(x, ["zoë"])', lambda c: c.fold_in(x(c), ["zoë"])),
    Construct("fold_in wildcards", 'ctx.fold_in(x, ["50%_off"])', lambda c: c.fold_in(x(c), ["50%_off"])),
    Construct("trimmed_fold_in", 'ctx.trimmed_fold_in(x, ["true"])', lambda c: c.trimmed_fold_in(x(c), ["true"])),
    Construct(
        "trimmed_fold_in non-ascii", 'ctx.trimmed_fold_in(x, ["müller"])', lambda c: c.trimmed_fold_in(x(c), ["müller"])
    ),
    Construct("text_contains", 'ctx.text_contains(x, "50%")', lambda c: c.text_contains(x(c), "50%")),
    Construct("text_starts", 'ctx.text_starts(x, "+91")', lambda c: c.text_starts(x(c), "+91")),
    Construct("text_ends", 'ctx.text_ends(x, "a_b")', lambda c: c.text_ends(x(c), "a_b")),
    Construct("is_blank", "ctx.is_blank(x)", lambda c: c.is_blank(x(c))),
    Construct("is_number", "ctx.is_number(x)", lambda c: c.is_number(x(c))),
    Construct("as_number", "ctx.as_number(x)", lambda c: c.as_number(x(c))),
    Construct("number", 'ctx.number(Decimal("3.50"))', lambda c: c.number(Decimal("3.50"))),
    Construct("timestamp", "ctx.timestamp(2026-11-01T09:15:00)", lambda c: c.timestamp(dt.datetime(2026, 11, 1, 9, 15))),
    Construct("timestamp_column", "ctx.timestamp_column(x)", lambda c: c.timestamp_column(x(c))),
    Construct("time_of_day", "ctx.time_of_day(x)", lambda c: c.time_of_day(x(c))),
    Construct("truthy", "ctx.truthy(x)", lambda c: c.truthy(x(c))),
    Construct("exists", 'ctx.exists("channels", "ch", on_channel)', _has_channel_row),
    Construct(
        "customer_in having",
        'ctx.customer_in("channels", "ch", [on_channel], having=COUNT(*) > 1)',
        lambda c: c.customer_in(
            "channels",
            "ch",
            [c.on_channel("channels", "ch")],
            having=exp.GT(this=exp.Count(this=exp.Star()), expression=exp.Literal.number(1)),
        ),
    ),
    Construct("text_contains params", 'ctx.text_contains(x, "50%"), params', lambda c: c.text_contains(x(c), "50%"),
              params=True),
    Construct("fold_in params", 'ctx.fold_in(x, ["vip", "gold"]), params', lambda c: c.fold_in(x(c), ["vip", "gold"]),
              params=True),
    Construct("as_number params", "ctx.as_number(x) > 3, params",
              lambda c: exp.GT(this=c.as_number(x(c)), expression=c.number(Decimal(3))), params=True),
]


def render(construct: Construct, dialect: str) -> str:
    """The construct's SQL in ``dialect``: one line; in params mode the driver's placeholders, then the values."""
    rules = rules_for(dialect)
    ctx = SqlContext(rules, Schema(), NOW, "whatsapp", use_params=construct.params)
    sql = to_sql(construct.build(ctx), rules)
    if not construct.params:
        return sql
    sql, values = bind_params(sql, ctx.params, rules.paramstyle)
    return f"{sql}   -- params {values!r}"


def read_table(path: Path = TABLE) -> dict[str, dict[str, str]]:
    """``{construct name: {dialect: sql}}`` from the table file."""
    table: dict[str, dict[str, str]] = {}
    rows: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        if line.startswith("## "):
            rows = table.setdefault(line[3:].split(":", 1)[0], {})
        elif line.strip():
            dialect, _, sql = line.partition(" ")
            rows[dialect] = sql.lstrip(" ")
    return table


def block(construct: Construct, rows: dict[str, str]) -> list[str]:
    """The construct's lines as the table file writes them."""
    width = max(len(d) for d in DIALECT_NAMES) + 2
    return [f"## {construct.name}: {construct.call}"] + [f"{d.ljust(width)}{rows[d]}" for d in DIALECT_NAMES if d in rows]


def write_table(table: dict[str, dict[str, str]], path: Path = TABLE) -> None:
    lines = [
        "# SqlContext primitives per dialect (tests/test_sql_primitives.py).",
        "# Rewrite with: SEGDSL_UPDATE_GOLDEN=1 pytest tests/test_sql_primitives.py",
        "",
    ]
    for construct in CONSTRUCTS:
        if construct.name in table:
            lines += [*block(construct, table[construct.name]), ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def test_every_dialect_is_covered() -> None:
    assert set(DIALECT_NAMES) == set(DIALECTS)


def test_construct_names_are_unique() -> None:
    names = [c.name for c in CONSTRUCTS]
    assert len(names) == len(set(names)) and all(":" not in n for n in names)


@pytest.mark.parametrize("construct", CONSTRUCTS, ids=lambda c: c.name)
def test_primitive(construct: Construct) -> None:
    actual = {d: render(construct, d) for d in DIALECT_NAMES}
    table = read_table()
    expected = table.get(construct.name, {})
    if UPDATE and actual != expected:
        table[construct.name] = actual
        write_table(table)
        expected = actual
    assert expected, f"{construct.name} is not in {TABLE.name}; run with SEGDSL_UPDATE_GOLDEN=1"
    if actual != expected:
        diff = difflib.unified_diff(
            block(construct, expected), block(construct, actual), "expected (table)", "actual", lineterm="", n=0
        )
        pytest.fail(
            f"{construct.name} changed; review, then SEGDSL_UPDATE_GOLDEN=1 to accept:\n" + "\n".join(diff),
            pytrace=False,
        )


@pytest.mark.parametrize("construct", [c for c in CONSTRUCTS if not c.params], ids=lambda c: c.name)
@pytest.mark.parametrize("dialect", DIALECT_NAMES)
def test_primitive_parses_back(construct: Construct, dialect: str) -> None:
    """sqlglot reads each construct back in its dialect (a predicate inside a WHERE)."""
    sql = render(construct, dialect)
    tree = sqlglot.parse_one(f'SELECT 1 FROM "customers" AS "c" WHERE {sql}', read=DIALECTS[dialect].sqlglot)
    assert tree.args["where"] is not None


def test_no_stray_rows() -> None:
    """Every construct in the table file is still in CONSTRUCTS."""
    stray = sorted(set(read_table()) - {c.name for c in CONSTRUCTS})
    if UPDATE and stray:
        write_table(read_table())
        stray = []
    assert not stray, f"rows in {TABLE.name} without a construct: {stray}"
