"""Stages 4 and 5, typed IR -> sqlglot SELECT -> SQL text in one dialect.

The driver walks the IR and asks each condition's family for its predicate,
built through :class:`segdsl.sql.context.SqlContext`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from segdsl.families.registry import Registry, registry
from segdsl.families.settings import Schema
from segdsl.lang import ir
from segdsl.sql.context import PARAM_MARK, SqlContext, and_, not_, or_
from segdsl.sql.dialects import DialectRules, rules_for

_PARAM_RE = re.compile(PARAM_MARK + r"(\d+)__")
@dataclass
class Compiled:
    """A compiled statement: SQL text plus bind parameters (``params`` mode)."""

    sql: str
    params: list[Any] = field(default_factory=list)
    dialect: str = "sqlite"
    paramstyle: str = "qmark"

    def __str__(self) -> str:
        return self.sql



#: added to the cost of a negated node: `not C` is true for most customers, so it filters little
NEGATION_COST = 100


def conjunct_cost(node: ir.Node, reg: Registry) -> int:
    """The rank used to order the parts of an AND (``DialectRules.ordered_conjuncts``).

    A condition's is its family's ``cost``; `not` adds NEGATION_COST;
    a group costs as much as its dearest part.

    >>> import segdsl
    >>> from segdsl.families.registry import registry
    >>> rule = segdsl.parse('channel sms and not tag = "x" and tag = "vip" and gender is female')
    >>> [conjunct_cost(item, registry()) for item in rule.expr.items]
    [30, 110, 10, 0]
    """
    if isinstance(node, ir.Condition):
        return reg.sql_cost(node)
    if isinstance(node, ir.Not):
        return NEGATION_COST + conjunct_cost(node.item, reg)
    return max(conjunct_cost(item, reg) for item in node.items)


def _where(rule: ir.Rule, ctx: SqlContext, reg: Registry) -> exp.Expression:
    ordered = ctx.dialect.ordered_conjuncts

    def build(node: ir.Node) -> exp.Expression:
        if isinstance(node, ir.Condition):
            return reg.families[node.family].sql(node, ctx)
        if isinstance(node, ir.Not):
            return not_(build(node.item))
        if isinstance(node, ir.And):
            # every condition is TRUE or FALSE, never NULL, so AND commutes
            items = sorted(node.items, key=lambda item: conjunct_cost(item, reg)) if ordered else node.items
            return and_(*[build(item) for item in items])
        return or_(*[build(item) for item in node.items])

    return build(rule.expr)


def to_expression(rule: ir.Rule, ctx: SqlContext, count: bool = False, reg: Registry | None = None) -> exp.Select:
    """Stage 4: the sqlglot SELECT for a typed rule."""
    reg = reg or registry()
    where = _where(rule, ctx, reg)
    if count:
        projection = exp.Alias(this=exp.Count(this=exp.Star()), alias=exp.to_identifier("count", quoted=True))
    else:
        projection = exp.Alias(this=ctx.customer("id"), alias=exp.to_identifier("customer_id", quoted=True))
    # Built without the builders' defensive copies, so the tree may share leaf nodes:
    # copy it before changing it (to_sql does, unless told copy=False).
    return exp.Select(
        expressions=[projection], from_=exp.From(this=ctx.table("customers", "c")), where=exp.Where(this=where)
    )


def to_sql(expression: exp.Expression, dialect: DialectRules, pretty: bool = False, copy: bool = True) -> str:
    """Stage 5: SQL text in one dialect.

    ``copy=False`` lets the generator work on ``expression`` itself (it may
    change it): for a tree made only for this call, as :func:`segdsl.compile` does.
    """
    return expression.sql(dialect=dialect.sqlglot, identify=True, pretty=pretty, copy=copy)


def bind_params(sql: str, values: Sequence[Any], paramstyle: str) -> tuple[str, list[Any]]:
    """Turn the parameter markers into the driver's placeholders, in text order.

    The dialects print arguments in different orders (``INSTR(a, b)`` versus
    ``POSITION(b IN a)``), so the order of the values follows the text. In the
    ``format`` style every other ``%`` is doubled, and the statement must then be
    executed with its parameters (even none) so that the driver undoubles them.
    """
    ordered: list[Any] = []
    mark = "%s" if paramstyle == "format" else "?"
    if paramstyle == "format":
        # the driver formats the text with `%`: a `%` of the SQL itself (in a mapped table or
        # column name, say) must be written `%%` (PEP 249 format style; psycopg, PyMySQL)
        sql = sql.replace("%", "%%")

    def repl(m: re.Match[str]) -> str:
        ordered.append(values[int(m.group(1))])
        return mark

    return _PARAM_RE.sub(repl, sql), ordered


def make_context(
    rule: ir.Rule, dialect: str | DialectRules, schema: Schema, now: dt.datetime, params: bool = False
) -> SqlContext:
    """The context for one rule; ``dialect`` a name or resolved rules, ``now`` naive UTC."""
    rules = dialect if isinstance(dialect, DialectRules) else rules_for(dialect)
    return SqlContext(rules, schema, now, rule.channel, use_params=params)
