"""The engine's own plan for a compiled rule, and hints for indexes the plan misses.

Each engine says what it will do in its own words: ``EXPLAIN QUERY PLAN`` on
SQLite, ``EXPLAIN`` on DuckDB, PostgreSQL and MariaDB/MySQL (``EXPLAIN
ANALYZE`` / MariaDB's ``ANALYZE`` with ``analyze=True``, which runs the query).
The hints come from the plan, not from guesses: a table that is read whole
for every customer (SQLite ``SCAN`` in a correlated subquery, PostgreSQL ``Seq
Scan`` under a ``SubPlan``, MySQL access type ``ALL`` in a ``DEPENDENT
SUBQUERY``) gets a suggested index on ``(customer_id, …)``: the columns the
subquery tests, from the compiled statement itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from segdsl.data.engines import Engine, EngineError

#: the statement prefix per dialect: (plan, plan with execution); None: not offered
EXPLAIN = {
    "sqlite": ("EXPLAIN QUERY PLAN", None),
    "duckdb": ("EXPLAIN", "EXPLAIN ANALYZE"),
    "postgres": ("EXPLAIN", "EXPLAIN ANALYZE"),
    "mysql": ("EXPLAIN", "ANALYZE"),
}


@dataclass
class IndexHint:
    """A table read whole for every customer, and the index that would serve it."""

    table: str
    alias: str
    columns: list[str]

    def text(self) -> str:
        cols = ", ".join(self.columns)
        return f"`{self.table}` is read whole for every customer: an index on ({cols}) would serve it"

    def to_json(self) -> dict[str, Any]:
        return {"table": self.table, "alias": self.alias, "columns": self.columns, "message": self.text()}


@dataclass
class Plan:
    """What the engine plans: its lines, as it prints them, and the index hints."""

    dialect: str
    analyzed: bool
    lines: list[str]
    hints: list[IndexHint] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "dialect": self.dialect,
            "analyzed": self.analyzed,
            "lines": self.lines,
            "hints": [h.to_json() for h in self.hints],
        }


class PlanError(EngineError):
    """The engine cannot show this plan (for example ANALYZE on SQLite)."""


def explain(engine: Engine, sql: str, params: list[Any], statement: exp.Expression, analyze: bool = False) -> Plan:
    """The plan of ``sql`` (compiled for ``engine`` with bind ``params``) on ``engine``.

    ``statement`` is the same query as a sqlglot tree: it maps the plan's table
    aliases back to tables and the columns each subquery tests. Raises
    :class:`PlanError` where the engine has no such plan, ``EngineError`` on a
    database failure. ``analyze=True`` runs the query (it may take as long as a count).
    """
    if engine.dialect not in EXPLAIN:
        raise PlanError(f"{engine.dialect}: segdsl cannot show this engine's plan")
    plain, analyzing = EXPLAIN[engine.dialect]
    prefix = analyzing if analyze else plain
    if prefix is None:
        raise PlanError(f"{engine.dialect} has no EXPLAIN ANALYZE; drop --analyze")
    rows = engine.query(f"{prefix} {sql}", params)
    lines = _LINES[engine.dialect](rows)
    scanned = _SCANNED[engine.dialect](rows, lines)
    return Plan(engine.dialect, analyze, lines, _hints(statement, scanned))


def _sqlite_lines(rows: list[tuple[Any, ...]]) -> list[str]:
    depth: dict[int, int] = {0: -1}
    out = []
    for node, parent, _unused, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        out.append("  " * depth[node] + str(detail))
    return out


def _duckdb_lines(rows: list[tuple[Any, ...]]) -> list[str]:
    return [line for row in rows for line in str(row[-1]).splitlines()]


def _postgres_lines(rows: list[tuple[Any, ...]]) -> list[str]:
    return [str(row[0]) for row in rows]


_MYSQL_COLUMNS = ("id", "select_type", "table", "type", "key", "rows", "Extra")


def _mysql_lines(rows: list[tuple[Any, ...]]) -> list[str]:
    if rows and len(rows[0]) == 1:  # FORMAT=TREE style output
        return [line for row in rows for line in str(row[0]).splitlines()]
    # id, select_type, table, type, possible_keys, key, key_len, ref, rows, [r_rows, filtered, r_filtered,] Extra
    picked = [(r[0], r[1], r[2], r[3], r[5], r[8], r[-1]) for r in rows]
    table = [_MYSQL_COLUMNS, *[tuple("" if v is None else str(v) for v in r) for r in picked]]
    widths = [max(len(str(r[i])) for r in table) for i in range(len(_MYSQL_COLUMNS))]
    return ["  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in table]


_LINES = {"sqlite": _sqlite_lines, "duckdb": _duckdb_lines, "postgres": _postgres_lines, "mysql": _mysql_lines}

_SQLITE_SCAN = re.compile(r"^\s*SCAN (\S+)(?!.*\bUSING\b)")
_PG_SEQ_SCAN = re.compile(r"Seq Scan on \S+(?: (\S+))?")


def _sqlite_scanned(rows: list[tuple[Any, ...]], lines: list[str]) -> set[str]:
    """Aliases scanned whole inside a correlated subquery (the outer ``SCAN c`` is expected)."""
    out = set()
    parents = {row[0]: str(row[3]) for row in rows}
    for _node, parent, _unused, detail in rows:
        m = _SQLITE_SCAN.match(str(detail))
        if m and "CORRELATED" in parents.get(parent, ""):
            out.add(m.group(1))
    return out


def _postgres_scanned(rows: list[tuple[Any, ...]], lines: list[str]) -> set[str]:
    """Aliases under a ``SubPlan`` (run once per outer row) that are read by a sequential scan."""
    out = set()
    subplan_indent: int | None = None
    for line in lines:
        indent = len(line) - len(line.lstrip(" ->"))
        if subplan_indent is not None and indent <= subplan_indent:
            subplan_indent = None
        if "SubPlan" in line:
            subplan_indent = indent
            continue
        m = _PG_SEQ_SCAN.search(line)
        if m and subplan_indent is not None and m.group(1):
            out.add(m.group(1))
    return out


def _mysql_scanned(rows: list[tuple[Any, ...]], lines: list[str]) -> set[str]:
    if rows and len(rows[0]) == 1:
        return set()
    return {str(r[2]) for r in rows if "DEPENDENT" in str(r[1]).upper() and str(r[3]).upper() == "ALL"}


def _duckdb_scanned(rows: list[tuple[Any, ...]], lines: list[str]) -> set[str]:
    return set()  # DuckDB joins by hashing; its indexes serve point look-ups only


_SCANNED = {"sqlite": _sqlite_scanned, "duckdb": _duckdb_scanned, "postgres": _postgres_scanned,
            "mysql": _mysql_scanned}


def _compared_with(column: exp.Column) -> exp.Column | None:
    """The column on the other side of ``column = other``, if that is the comparison it sits in."""
    parent = column.parent
    if isinstance(parent, exp.EQ):
        other = parent.expression if parent.this is column else parent.this
        return other if isinstance(other, exp.Column) else None
    return None


def _hints(statement: exp.Expression, scanned: set[str]) -> list[IndexHint]:
    """An index hint per scanned alias: customer_id first, then the other columns its subquery tests."""
    hints = []
    for table in statement.find_all(exp.Table):
        alias = table.alias_or_name
        if alias not in scanned:
            continue
        select = table.find_ancestor(exp.Select)
        columns: list[str] = []
        where = select.args.get("where") if select else None
        keys = []  # the column that ties a row to the outer customer comes first
        for column in where.find_all(exp.Column) if where else ():
            if column.table == alias and column.name not in columns:
                columns.append(column.name)
                other = _compared_with(column)
                if other is not None and other.table != alias:
                    keys.append(column.name)
        columns.sort(key=lambda c: c not in keys)  # stable: the rest keep their order
        hints.append(IndexHint(table.name, alias, columns))
        scanned = scanned - {alias}
    return hints
