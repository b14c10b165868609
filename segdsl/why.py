"""`segdsl why`: why one customer is in or out of a segment.

Every node of the rule is evaluated on the customer's record by the same
in-process predicates as ``segdsl match`` (which the differential suite proves
equal to the SQL on every engine), and each condition shows the values it read
(:meth:`Family.facts`). The verdict is the root's value.

>>> import segdsl
>>> reason = explain_record(segdsl.parse('channel sms and tag = "vip"'),
...                         {"id": 7, "channels": ["sms"], "tags": ["gold"]}, now=None)
>>> reason.value, [(c.text, c.value, c.facts) for c in reason.children]
(False, [('channel sms', True, 'channels: sms'), ('tag is "vip"', False, 'tags: gold')])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from segdsl.data.engines import Engine
from segdsl.data.records import record_of
from segdsl.families.formatter import format_node
from segdsl.families.registry import Registry, registry
from segdsl.families.settings import Settings
from segdsl.inproc.predicate import PyContext
from segdsl.inproc.view import View
from segdsl.lang import ir
from segdsl.lang.clock import resolve_now
from segdsl.lang.errors import Span


@dataclass
class Reason:
    """One node of the rule on one customer: its text, truth and, for a condition, the values it read."""

    kind: str  # "condition", "and", "or" or "not"
    text: str
    span: Span
    value: bool
    facts: str | None = None
    children: list[Reason] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "text": self.text, "value": self.value,
                               "line": self.span.line, "column": self.span.column}
        if self.kind == "condition":
            out["facts"] = self.facts
        else:
            out["children"] = [c.to_json() for c in self.children]
        return out

    def lines(self, indent: int = 0) -> list[str]:
        """``text: true (facts)``, one node per line, groups indented."""
        pad = "  " * indent
        verdict = "true" if self.value else "false"
        if self.kind == "condition":
            extra = f" ({self.facts})" if self.facts else ""
            return [f"{pad}{self.text}: {verdict}{extra}"]
        head = {"and": "all of", "or": "any of", "not": "not"}[self.kind]
        out = [f"{pad}{head}: {verdict}"]
        for child in self.children:
            out += child.lines(indent + 1)
        return out


def explain_record(
    rule: ir.Rule, record: Mapping[str, Any], now: dt.datetime | str | None, reg: Registry | None = None
) -> Reason:
    """Evaluate every node of ``rule`` on ``record`` (the shape of customer.example.json).

    ``now`` is naive UTC, an ISO string, or None (the current time). Raises
    ``RecordError`` for a record whose data cannot be read.
    """
    reg = reg or registry()
    ctx = PyContext(rule.channel, resolve_now(now))
    view = View(record, rule.channel)

    def walk(node: ir.Node) -> Reason:
        if isinstance(node, ir.Condition):
            family = reg.family(node.family)
            value = bool(family.predicate(node, ctx)(view))
            return Reason("condition", family.format(node), node.span, value, family.facts(node, view, ctx))
        if isinstance(node, ir.Not):
            inner = walk(node.item)
            return Reason("not", format_node(node, reg), node.span, not inner.value, children=[inner])
        children = [walk(item) for item in node.items]
        kind = "and" if isinstance(node, ir.And) else "or"
        value = all(c.value for c in children) if kind == "and" else any(c.value for c in children)
        return Reason(kind, format_node(node, reg), node.span, value, children=children)

    return walk(rule.expr)


class NoSuchCustomer(LookupError):
    """``segdsl why --customer ID`` named an id the database does not hold."""


def load_record(engine: Engine, customer_id: int, settings: Settings | None = None) -> dict[str, Any]:
    """The record of one customer in ``engine``'s mapped tables; raises :class:`NoSuchCustomer`."""
    record = record_of(engine, customer_id, settings)
    if record is None:
        raise NoSuchCustomer(f"no customer with id {customer_id}")
    return record
