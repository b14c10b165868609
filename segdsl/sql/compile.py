"""Stages 4 and 5, typed IR -> sqlglot SELECT -> SQL text in one dialect.

The driver walks the IR and asks each condition's family for its predicate,
built through :class:`segdsl.sql.context.SqlContext`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from segdsl.families.registry import Registry, registry
from segdsl.families.settings import Schema
from segdsl.lang import ir
from segdsl.lang.errors import RuleError
from segdsl.lang.gcpause import paused
from segdsl.sql.context import PARAM_MARK, SqlContext, and_, not_, or_
from segdsl.sql.dialects import DialectRules, rules_for
from segdsl.sql.keyed_joins import join_keyed_semi_joins

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
            items = merge_in_lists(node.items, negated=True)
            if ordered:
                items = sorted(items, key=lambda item: conjunct_cost(item, reg))
            return and_(*ctx.group_semi_joins(ctx.merge_semi_joins([build(item) for item in items], negated=True)))
        return or_(*ctx.merge_semi_joins([build(item) for item in merge_in_lists(node.items)]))

    return build(rule.expr)


#: the operators that merge: in every family `in (...)` means "is one of" (the language's
#: convention, ARCHITECTURE.md "Plugins"), so OR'ed `is`/`in` conditions on the same subject and
#: key merge into one `in` (one semi-join, one IN list; issue 12 item 4)
IN_OPERATORS = ("is", "in")


def merge_in_lists(items: Sequence[ir.Node], negated: bool = False) -> list[ir.Node]:
    """The parts of an OR with `tag = "a" or tag in ("b", "c")` as one `tag in ("a", "b", "c")`;
    with ``negated``, the parts of an AND with `not tag = "a" and not tag = "b"` as `not tag in ("a", "b")`.
    Repeated parts go (`a and a` is `a`).

    >>> import segdsl
    >>> rule = segdsl.parse('channel sms and (tag = "a" or name is "x" or tag in ("b", "c"))')
    >>> [(c.subject, c.op, [v.value for v in c.values]) for c in merge_in_lists(rule.expr.items[1].items)]
    [('tag', 'in', ['a', 'b', 'c']), ('name', 'is', ['x'])]
    """
    groups: dict[tuple[Any, ...], list[ir.Condition]] = {}
    out: list[ir.Node | tuple[Any, ...]] = []
    for item in dict.fromkeys(items):
        cond = item.item if negated and isinstance(item, ir.Not) else None if negated else item
        if isinstance(cond, ir.Condition) and cond.op in IN_OPERATORS and cond.values:
            key = (cond.family, cond.subject, cond.key)
            if key not in groups:
                groups[key] = []
                out.append(key)
            groups[key].append(cond)
        else:
            out.append(item)

    def merged(key: tuple[Any, ...]) -> ir.Node:
        found = groups[key]
        node: ir.Node = found[0]
        if len(found) > 1:
            node = dataclasses.replace(found[0], op="in", values=tuple(v for c in found for v in c.values))
        return ir.Not(node, span=node.span) if negated else node

    return [merged(x) if isinstance(x, tuple) else x for x in out]


#: the most subqueries a rule's SQL may hold after merging (docs/language.md, "Limits"): the
#: engines plan each one separately, and DuckDB took 54 s to plan 667 (333 ORed groups of
#: `tag = … and name is known and not field … > …`) against about 1 s for 200
MAX_SUBQUERIES = 200


#: node types that never hold a SELECT: the walk does not descend into them (most of a
#: predicate's nodes are columns with their identifiers, and literals)
_NO_SELECT_INSIDE = frozenset({exp.Column, exp.Literal, exp.Identifier, exp.DataType, exp.Star, exp.Null,
                               exp.Boolean, exp.Placeholder})


def _count_selects(tree: exp.Expression) -> int:
    """How many SELECTs ``tree`` holds: ``len(list(tree.find_all(exp.Select)))``, in less than half the time."""
    n = 0
    stack = [tree]
    leaves = _NO_SELECT_INSIDE
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind in leaves:
            continue
        if kind is exp.Select:
            n += 1
        for value in node.args.values():
            if isinstance(value, exp.Expression):
                stack.append(value)
            elif type(value) is list:
                stack.extend(v for v in value if isinstance(v, exp.Expression))
    return n


def check_subqueries(where: exp.Expression, rule: ir.Rule) -> None:
    """Raise RuleError when ``where`` holds more than :data:`MAX_SUBQUERIES` subqueries."""
    n = _count_selects(where)
    if n > MAX_SUBQUERIES:
        raise RuleError(
            f"the rule needs {n:,} separate subqueries, more than the {MAX_SUBQUERIES} segdsl sends to a database",
            rule.expr.span,
            hints=("conditions on one table under one `and`/`or` share a subquery: group them, "
                   "or split the audience into several segments",),
        )


def to_expression(rule: ir.Rule, ctx: SqlContext, count: bool = False, reg: Registry | None = None) -> exp.Select:
    """Stage 4: the sqlglot SELECT for a typed rule.

    Raises RuleError beyond :data:`MAX_SUBQUERIES`."""
    reg = reg or registry()
    with paused():  # segdsl.lang.gcpause: the collector's passes here cost time and free nothing
        where = _where(rule, ctx, reg)
        check_subqueries(where, rule)
        if count:
            projection = exp.Alias(this=exp.Count(this=exp.Star()), alias=exp.to_identifier("count", quoted=True))
        else:
            projection = exp.Alias(this=ctx.customer("id"), alias=exp.to_identifier("customer_id", quoted=True))
        # Built without the builders' defensive copies, so the tree may share leaf nodes:
        # copy it before changing it (to_sql does, unless told copy=False).
        select = exp.Select(
            expressions=[projection], from_=exp.From(this=ctx.table("customers", "c")), where=exp.Where(this=where)
        )
        if count and ctx.dialect.join_keyed:
            return join_keyed_semi_joins(select, ctx)
        return select


def to_sql(expression: exp.Expression, dialect: DialectRules, pretty: bool = False, copy: bool = True) -> str:
    """Stage 5: SQL text in one dialect.

    ``copy=False`` lets the generator work on ``expression`` itself (it may
    change it): for a tree made only for this call, as :func:`segdsl.compile` does.
    """
    with paused():  # segdsl.lang.gcpause
        if dialect.upper_case_names:
            expression = _upper_case_names(expression.copy() if copy else expression)
            copy = False
        return expression.sql(dialect=dialect.sqlglot, identify=True, pretty=pretty, copy=copy)


#: a name the engine would also take unquoted (and then store in upper case)
_BARE_NAME = re.compile(r"[a-z_][a-z0-9_$]*\Z")


def _upper_case_names(expression: exp.Expression) -> exp.Expression:
    """Table, column and alias names as an engine that folds unquoted names up stores them.

    ``customers`` and ``c.id`` become ``"CUSTOMERS"`` and ``"C"."ID"``, the
    names Snowflake gives tables made from schema.sql; a name that could only
    have been made quoted (upper-case letters, spaces, ...) is kept exactly.
    The output column names (``customer_id``, ``count``) stay as they are.
    """
    for ident in expression.find_all(exp.Identifier):
        if isinstance(ident.parent, (exp.Table, exp.Column, exp.TableAlias)) and _BARE_NAME.match(ident.this):
            ident.set("this", ident.this.upper())
    return expression


#: the largest SQL statement segdsl sends, in characters (docs/language.md, "Limits"): MySQL's and
#: MariaDB's max_allowed_packet is 16-64 MB by default, and much larger statements only cost the
#: planner time; a rule within the other limits compiles to well under it
MAX_SQL_CHARS = 4_000_000


def check_sql_size(sql: str, rule: ir.Rule) -> None:
    """Raise RuleError when ``sql`` is longer than :data:`MAX_SQL_CHARS` (the span: the whole rule)."""
    if len(sql) > MAX_SQL_CHARS:
        raise RuleError(
            f"the rule compiles to {len(sql) / 1e6:.1f} MB of SQL, more than the {MAX_SQL_CHARS / 1e6:.0f} MB "
            "segdsl sends to a database",
            rule.expr.span,
            hints=("split the audience into several segments",),
        )


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
