"""The typed IR: frozen dataclasses, each with a source span.

Spans never take part in equality, so a rule parsed from reformatted text
equals the original.

>>> import segdsl
>>> rule = segdsl.parse('channel whatsapp and tag = "vip"')
>>> rule.channel
'whatsapp'
>>> rule.expr.items[1]
Condition(family='tag', subject='tag', op='is', values=(Text(value='vip'),), key=None, within=None)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Union

from segdsl.lang.errors import NO_SPAN, Span


def _span() -> Any:
    """A span field: keyword-only and left out of equality and repr."""
    return field(default=NO_SPAN, compare=False, repr=False, kw_only=True)


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Text:
    """A quoted string."""

    value: str
    span: Span = _span()
    kind = "string"


@dataclass(frozen=True)
class Number:
    """A decimal number, kept exact (``4.50`` stays ``4.50``)."""

    value: Decimal
    span: Span = _span()
    kind = "number"


@dataclass(frozen=True)
class Boolean:
    """``true`` or ``false``."""

    value: bool
    span: Span = _span()
    kind = "boolean"


@dataclass(frozen=True)
class Date:
    """A calendar date, ``2026-11-01``."""

    value: dt.date
    span: Span = _span()
    kind = "date"


@dataclass(frozen=True)
class DateTime:
    """An instant, naive UTC, ``2026-11-01T14:30``."""

    value: dt.datetime
    span: Span = _span()
    kind = "datetime"


@dataclass(frozen=True)
class TimeOfDay:
    """A time of day, ``09:00``."""

    value: dt.time
    span: Span = _span()
    kind = "time"


@dataclass(frozen=True)
class Word:
    """A bare word: a channel, a gender, a custom-field key."""

    value: str
    span: Span = _span()
    kind = "word"


UNITS = ("minutes", "hours", "days", "weeks")


@dataclass(frozen=True)
class Duration:
    """An amount of a unit: ``7 days``. ``unit`` is always plural."""

    amount: Decimal
    unit: str
    span: Span = _span()
    kind = "duration"

    def to_timedelta(self) -> dt.timedelta:
        return dt.timedelta(**{self.unit: float(self.amount)})


Value = Union[Text, Number, Boolean, Date, DateTime, TimeOfDay, Word]
VALUE_TYPES: dict[str, type] = {
    cls.kind: cls for cls in (Text, Number, Boolean, Date, DateTime, TimeOfDay, Word)
}


# --------------------------------------------------------------------------- raw terms


@dataclass(frozen=True)
class Term:
    """One generic token of a condition, before a plugin reads it.

    ``kind`` is one of: word, not, op, isnt, value (``value`` holds a typed
    Value), list (``items`` holds Terms), between (``items`` holds two Terms).
    """

    kind: str
    text: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    value: Value | None = None
    items: tuple[Term, ...] = ()

    def describe(self) -> str:
        """How an error names this term to the user."""
        if self.kind == "list":
            return "a list `(...)`"
        if self.kind == "between":
            return "`between`"
        return f"`{self.text}`"


@dataclass(frozen=True)
class RawCondition:
    """A condition as the grammar saw it: terms, not yet claimed by a plugin."""

    terms: tuple[Term, ...]
    span: Span = _span()


# --------------------------------------------------------------------------- nodes


@dataclass(frozen=True)
class Condition:
    """One typed condition, validated by the plugin that owns ``family``.

    ``subject`` is the canonical subject phrase, ``op`` the canonical operator,
    ``values`` the operands, ``key`` a qualifier (a custom-field key, a bot
    flow name) and ``within`` an optional look-back window.
    """

    family: str
    subject: str
    op: str
    values: tuple[Value, ...] = ()
    key: Value | None = None
    within: Duration | None = None
    span: Span = _span()


@dataclass(frozen=True)
class And:
    """All of ``items`` hold."""

    items: tuple[Node, ...]
    span: Span = _span()


@dataclass(frozen=True)
class Or:
    """At least one of ``items`` holds."""

    items: tuple[Node, ...]
    span: Span = _span()


@dataclass(frozen=True)
class Not:
    """``item`` does not hold (the exact complement)."""

    item: Node
    span: Span = _span()


Node = Union[Condition, And, Or, Not]


@dataclass(frozen=True)
class Rule:
    """A whole segment rule."""

    expr: Node
    source: str | None = field(default=None, compare=False, repr=False)
    span: Span = _span()

    @property
    def channel(self) -> str:
        """The rule's channel (lower case): the top-level `channel` condition."""
        return self.channel_condition.values[0].value.lower()  # type: ignore[union-attr]

    @property
    def channel_condition(self) -> Condition:
        """The top-level `channel` condition that scopes the rule; ValueError if there is none."""
        for cond in top_level_conjuncts(self.expr):
            if isinstance(cond, Condition) and cond.family == "channel":
                return cond
        raise ValueError("rule has no top-level channel")

    def conditions(self) -> Iterator[Condition]:
        """Every condition, left to right."""
        yield from iter_conditions(self.expr)

    def to_json(self, spans: bool = True) -> dict[str, Any]:
        """The JSON form (see ``segdsl/rule.schema.json``)."""
        return _JSON_FORM["to"](self, spans=spans)

    @classmethod
    def from_json(cls, data: dict[str, Any] | str) -> Rule:
        """Build and validate a rule from its JSON form; raises RuleError."""
        return _JSON_FORM["from"](data)  # type: ignore[no-any-return]


#: the JSON form needs the families (formatting, validation), a layer above this one;
#: ``segdsl.families.jsonform`` registers it when ``segdsl`` is imported
_JSON_FORM: dict[str, Any] = {}


def register_json_form(to_json: Any, from_json: Any) -> None:
    """Called once by ``segdsl.families.jsonform``: the functions behind Rule.to_json/from_json."""
    _JSON_FORM["to"], _JSON_FORM["from"] = to_json, from_json


def top_level_conjuncts(node: Node) -> list[Node]:
    """The nodes that must all hold for the rule to hold (flattening `and`)."""
    return list(node.items) if isinstance(node, And) else [node]


def iter_conditions(node: Node) -> Iterator[Condition]:
    """Every condition under ``node``, left to right, without recursion."""
    stack: list[Node] = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, Condition):
            yield cur
        elif isinstance(cur, Not):
            stack.append(cur.item)
        else:
            stack.extend(reversed(cur.items))


def depth(node: Node) -> int:
    """Nesting depth of ``node`` (a lone condition has depth 1)."""
    best = 0
    stack: list[tuple[Node, int]] = [(node, 1)]
    while stack:
        cur, d = stack.pop()
        best = max(best, d)
        if isinstance(cur, Not):
            stack.append((cur.item, d + 1))
        elif isinstance(cur, (And, Or)):
            stack.extend((item, d + 1) for item in cur.items)
    return best
