"""Stage 4', typed IR -> a Python closure: the in-process interpreter.

Each family turns its condition into ``f(view) -> bool``; this module joins
them with short-circuiting closures over one :class:`~segdsl.inproc.view.View`
per record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from segdsl.families.registry import Registry, registry
from segdsl.inproc.view import RecordError, View, check_record
from segdsl.lang import ir

Predicate = Callable[[View], bool]
@dataclass
class PyContext:
    """What a plugin needs to build its in-process predicate."""

    channel: str
    now: dt.datetime


def to_predicate(rule: ir.Rule, ctx: PyContext, reg: Registry | None = None) -> Predicate:
    """Compile the rule's tree into one closure over a View."""
    reg = reg or registry()

    def build(node: ir.Node) -> Predicate:
        if isinstance(node, ir.Condition):
            return reg.families[node.family].predicate(node, ctx)
        if isinstance(node, ir.Not):
            inner = build(node.item)
            return lambda v: not inner(v)
        parts = tuple(build(item) for item in node.items)
        if isinstance(node, ir.And):
            return _all(parts)
        return _any(parts)

    return build(rule.expr)


def _all(parts: tuple[Predicate, ...]) -> Predicate:
    # Chained closures rather than all(genexpr): same order and short-circuit, less overhead per record.
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        a, b = parts
        return lambda v: a(v) and b(v)
    if len(parts) == 3:
        a, b, c = parts
        return lambda v: a(v) and b(v) and c(v)
    if len(parts) == 4:
        a, b, c, d = parts
        return lambda v: a(v) and b(v) and c(v) and d(v)
    head, tail = _all(parts[:4]), _all(parts[4:])
    return lambda v: head(v) and tail(v)


def _any(parts: tuple[Predicate, ...]) -> Predicate:
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        a, b = parts
        return lambda v: a(v) or b(v)
    if len(parts) == 3:
        a, b, c = parts
        return lambda v: a(v) or b(v) or c(v)
    head, tail = _any(parts[:3]), _any(parts[3:])
    return lambda v: head(v) or tail(v)


def to_matcher(rule: ir.Rule, now: dt.datetime, reg: Registry | None = None) -> Callable[[Mapping[str, Any]], bool]:
    """``match(record) -> bool`` for a typed rule.

    Raises :class:`~segdsl.inproc.view.RecordError` (a ValueError, its message naming the field
    path, e.g. ``carts[0].item_count: expected a number, got str``) for a malformed record.
    """
    channel = rule.channel
    reg = reg or registry()
    pred = to_predicate(rule, PyContext(channel, now), reg)
    roles = reg.roles

    def match(record: Mapping[str, Any]) -> bool:
        try:
            return bool(pred(View(record, channel)))
        except RecordError:
            raise
        except (TypeError, AttributeError, ValueError, KeyError) as exc:  # a record not in the record shape
            check_record(record, roles.values())  # raises RecordError naming the field
            raise RecordError(f"record: cannot be read ({type(exc).__name__}: {exc})") from exc

    return match
