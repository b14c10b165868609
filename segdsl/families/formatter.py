"""Canonical text of a rule: ``segdsl fmt`` and ``segdsl.format``.

Idempotent, and ``parse(format(r)) == r`` for every rule.

>>> import segdsl
>>> print(segdsl.format(segdsl.parse("CHANNEL WhatsApp AND (tag='vip' OR NOT tag = 'gold')")))
channel whatsapp and (tag is "vip" or not tag is "gold")
"""

from __future__ import annotations

from decimal import Decimal

from segdsl.families.registry import Registry, registry
from segdsl.lang import ir

_ESCAPE_OUT = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t"}


def quote(text: str) -> str:
    """A double-quoted string literal that reads back as ``text``.

    Control characters and line separators are escaped, so the canonical form
    is one line that shows no invisible characters to a terminal.

    >>> print(quote('say "hi"\\n'))
    "say \\"hi\\"\\n"
    """
    out = []
    for ch in text:
        if ch in _ESCAPE_OUT:
            out.append(_ESCAPE_OUT[ch])
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F or 0xD800 <= ord(ch) <= 0xDFFF or ch in "\u2028\u2029":
            # control characters (C0, DEL, C1) and line separators are written as escapes
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def number_text(value: Decimal) -> str:
    """A decimal as the grammar writes it: no exponent, no ``+``."""
    text = format(value, "f")
    return "0" if text in ("-0", "0") else text


def value_text(value: ir.Value | ir.Duration) -> str:
    """The canonical spelling of one operand."""
    if isinstance(value, ir.Text):
        return quote(value.value)
    if isinstance(value, ir.Number):
        return number_text(value.value)
    if isinstance(value, ir.Boolean):
        return "true" if value.value else "false"
    if isinstance(value, ir.Date):
        return value.value.isoformat()
    if isinstance(value, ir.DateTime):
        return value.value.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, ir.TimeOfDay):
        t = value.value
        return f"{t:%H:%M}" if t.second == 0 else f"{t:%H:%M:%S}"
    if isinstance(value, ir.Duration):
        amount = number_text(value.amount)
        unit = value.unit[:-1] if value.amount == 1 else value.unit
        return f"{amount} {unit}"
    return value.value  # Word


def list_text(values: tuple[ir.Value, ...]) -> str:
    return "(" + ", ".join(value_text(v) for v in values) + ")"


OPERATOR_TEXT = {
    "is": "is",
    "isnt": "isn't",
    "unknown": "is unknown",
    "known": "is known",
    "contains": "contains",
    "starts_with": "starts with",
    "ends_with": "ends with",
    "in": "in",
    "lt": "<",
    "le": "<=",
    "gt": ">",
    "ge": ">=",
}


def format_node(node: ir.Node, reg: Registry | None = None) -> str:
    """Canonical text of a node, with only the parentheses it needs."""
    reg = reg or registry()
    if isinstance(node, ir.Condition):
        return str(reg.families[node.family].format(node))
    if isinstance(node, ir.Not):
        inner = format_node(node.item, reg)
        return f"not ({inner})" if isinstance(node.item, (ir.And, ir.Or)) else f"not {inner}"
    joiner = " and " if isinstance(node, ir.And) else " or "
    parts = []
    for item in node.items:
        text = format_node(item, reg)
        needs_parens = isinstance(item, (ir.And, ir.Or))  # a nested group of the other kind
        parts.append(f"({text})" if needs_parens else text)
    return joiner.join(parts)


def format_rule(rule: ir.Rule) -> str:
    """The canonical text of a rule (one line)."""
    return format_node(rule.expr)
