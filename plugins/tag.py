"""Custom tags: `tag = "vip"`, `tag isn't "vip"`, `tag in (...)`, `tag is unknown`.

Tags compare case-insensitively.

>>> import segdsl
>>> segdsl.parse('channel sms and tag in ("VIP", "gold")').expr.items[1].op
'in'
"""

from __future__ import annotations

from typing import Any

from sqlglot import exp

from segdsl.families.formatter import OPERATOR_TEXT, list_text, value_text
from segdsl.families.hookspecs import hookimpl
from segdsl.families.settings import Settings
from segdsl.lang import ir
from segdsl.lang.terms import TermReader
from segdsl.lang.textops import fold
from segdsl.sql import context as sqlgen
from segdsl.sql.context import SqlContext

OPERATORS = ("is", "isnt", "in", "unknown", "known")


@hookimpl
def segdsl_subjects() -> list[str]:
    return ["tag"]


@hookimpl
def segdsl_parse_condition(subject: str, reader: TermReader, settings: Settings) -> ir.Condition:
    op = reader.expect_operator(OPERATORS)
    values: tuple[ir.Value, ...] = ()
    if op == "in":
        values = reader.expect_list(("string",), "a quoted tag")
    elif op in ("is", "isnt"):
        values = (reader.expect_value(("string",), "a quoted tag"),)
    return ir.Condition("tag", "tag", op, values, span=reader.span)


@hookimpl
def segdsl_format_condition(condition: ir.Condition) -> str:
    op = condition.op
    if op == "in":
        return f"tag in {list_text(condition.values)}"
    if op in ("unknown", "known"):
        return f"tag {OPERATOR_TEXT[op]}"
    return f"tag {OPERATOR_TEXT[op]} {value_text(condition.values[0])}"


def _wanted(condition: ir.Condition) -> list[str]:
    return sorted({fold(str(v.value)) for v in condition.values})


@hookimpl
def segdsl_sql_cost(condition: ir.Condition) -> int:
    """One indexed look-up per customer; a given tag is rare, "not" and "unknown" are common."""
    return {"is": 10, "in": 10, "known": 30}.get(condition.op, 70)


@hookimpl
def segdsl_sql_condition(condition: ir.Condition, ctx: SqlContext) -> exp.Expression:
    op = condition.op
    if op in ("unknown", "known"):
        any_tag = ctx.exists("tags", "t")
        return sqlgen.not_(any_tag) if op == "unknown" else any_tag
    wanted = _wanted(condition)
    has = ctx.exists("tags", "t", lambda a: ctx.fold_in(ctx.col("tags", "tag", a), wanted))
    return sqlgen.not_(has) if op == "isnt" else has


@hookimpl
def segdsl_python_condition(condition: ir.Condition, ctx: Any) -> Any:
    op = condition.op
    if op == "unknown":
        return lambda view: not view.rec.get("tags")
    if op == "known":
        return lambda view: bool(view.rec.get("tags"))
    wanted = frozenset(_wanted(condition))
    if op == "isnt":
        return lambda view: wanted.isdisjoint(view.tags)
    return lambda view: not wanted.isdisjoint(view.tags)
