"""Stage 2, parse tree -> IR: a Transformer that builds the frozen dataclasses.

Conditions come out as :class:`~segdsl.lang.ir.RawCondition` (generic terms);
stage 3 (:mod:`segdsl.families.validate`) hands each to the plugin that claims it.

>>> from segdsl.lang.syntax import parse_tree
>>> rule = build_ir(parse_tree("channel sms and not tag = 'x'"), "channel sms and not tag = 'x'")
>>> type(rule.expr).__name__, type(rule.expr.items[1]).__name__
('And', 'Not')
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from lark import Token, Tree
from lark.exceptions import VisitError
from lark.visitors import Transformer_NonRecursive

from segdsl.lang import ir
from segdsl.lang.errors import RuleError, Span
from segdsl.lang.syntax import MAX_DEPTH

_ESCAPES = {'"': '"', "'": "'", "\\": "\\", "n": "\n", "t": "\t"}


def token_span(tok: Token) -> Span:
    start = tok.start_pos or 0
    return Span(tok.line or 1, tok.column or 1, start, tok.end_pos if tok.end_pos is not None else start + len(tok))


def node_span(node: Any) -> Span:
    return node.span if hasattr(node, "span") else token_span(node)


def unquote(tok: Token) -> str:
    """Decode a quoted string literal, checking its escapes.

    ``\\uXXXX`` escapes of a UTF-16 surrogate pair (``\\ud83d\\ude00``) give one
    character. A lone surrogate and the NUL character are errors: no database
    stores them in text.
    """
    body = str(tok)[1:-1]
    span = token_span(tok)

    def at(offset: int, width: int) -> Span:
        start = span.start + 1 + offset
        return Span(span.line, span.column + 1 + offset, start, start + width)

    # (character, offset in body, width in body) for every decoded character
    chars: list[tuple[str, int, int]] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            chars.append((ch, i, 1))
            i += 1
            continue
        esc = body[i + 1 : i + 2]  # the grammar never ends a string on a lone backslash
        if esc in _ESCAPES:
            chars.append((_ESCAPES[esc], i, 2))
            i += 2
        elif esc == "u" and _HEX4.fullmatch(body, i + 2, i + 6):
            chars.append((chr(int(body[i + 2 : i + 6], 16)), i, 6))
            i += 6
        elif esc == "u":
            raise RuleError("`\\u` must be followed by 4 hex digits", at(i, 2), hints=(_ESCAPE_HINT,))
        else:
            raise RuleError(f"unknown escape `\\{esc}` in a string", at(i, 2), hints=(_ESCAPE_HINT,))
    out: list[str] = []
    n = 0
    while n < len(chars):
        ch, offset, width = chars[n]
        if "\ud800" <= ch <= "\udbff" and n + 1 < len(chars) and "\udc00" <= chars[n + 1][0] <= "\udfff":
            out.append((ch + chars[n + 1][0]).encode("utf-16", "surrogatepass").decode("utf-16"))
            n += 2
            continue
        if "\ud800" <= ch <= "\udfff":
            raise RuleError(
                f"`\\u{ord(ch):04x}` is half of a UTF-16 surrogate pair, not a character",
                at(offset, width),
                hints=("write the character itself, or both halves of the pair: \\ud83d\\ude00",),
            )
        if ch == "\0":
            raise RuleError("a string cannot hold the NUL character (\\u0000)", at(offset, width))
        out.append(ch)
        n += 1
    return "".join(out)


_HEX4 = re.compile(r"[0-9A-Fa-f]{4}")
_ESCAPE_HINT = "escapes are \\\" \\' \\\\ \\n \\t and \\uXXXX (4 hex digits)"


def _date(tok: Token) -> dt.date:
    try:
        return dt.date.fromisoformat(str(tok))
    except ValueError:
        raise RuleError(f"`{tok}` is not a real date", token_span(tok), hints=("dates are YYYY-MM-DD",)) from None


def _time(text: str, tok: Token) -> dt.time:
    parts = [int(p) for p in text.split(":")]
    hour, minute, second = (parts + [0])[:3]
    if hour > 23 or minute > 59 or second > 59:
        raise RuleError(
            f"`{tok}` is not a real time of day", token_span(tok), hints=("times run from 00:00 to 23:59:59",)
        )
    return dt.time(hour, minute, second)


#: the least decimal that Python's float() (and every engine's DOUBLE) takes for infinity
DOUBLE_LIMIT = Decimal("1.7976931348623158079e308")


def literal(tok: Token) -> ir.Value:
    """A typed value from a literal token."""
    span = token_span(tok)
    kind = tok.type
    if kind == "STRING":
        return ir.Text(unquote(tok), span=span)
    if kind == "NUMBER":
        value = Decimal(str(tok))
        if abs(value) >= DOUBLE_LIMIT:  # every engine compares numbers as DOUBLE; a driver cannot bind inf
            shown = str(tok) if len(str(tok)) <= 24 else str(tok)[:20] + "…"
            raise RuleError(f"`{shown}` is too large a number", span,
                            hints=("numbers must lie within ±1.7976931348623157e308, the range of a double",))
        return ir.Number(value, span=span)
    if kind in ("TRUE", "FALSE"):
        return ir.Boolean(kind == "TRUE", span=span)
    if kind == "DATE":
        return ir.Date(_date(tok), span=span)
    if kind == "DATETIME":
        text = str(tok).rstrip("Zz")
        date_part, time_part = re.split("[Tt]", text)
        day = _date(Token("DATE", date_part, tok.start_pos, tok.line, tok.column, end_pos=tok.end_pos))
        return ir.DateTime(dt.datetime.combine(day, _time(time_part, tok)), span=span)
    if kind == "TIME":
        return ir.TimeOfDay(_time(str(tok), tok), span=span)
    if kind == "WORD":
        return ir.Word(str(tok), span=span)
    raise AssertionError(f"not a literal: {kind}")  # pragma: no cover


def term(item: Any) -> ir.Term:
    """A generic term from a token or an already built list/between term."""
    if isinstance(item, ir.Term):
        return item
    kind = item.type
    span = token_span(item)
    if kind == "WORD":
        return ir.Term("word", str(item), span, value=ir.Word(str(item), span=span))
    if kind == "NOT":
        return ir.Term("not", str(item), span)
    if kind == "OP":
        return ir.Term("op", str(item), span)
    if kind == "ISNT":
        return ir.Term("isnt", str(item), span)
    if kind == "COMMA":
        return ir.Term("comma", str(item), span)
    return ir.Term("value", str(item), span, value=literal(item))


class _Builder(Transformer_NonRecursive):  # type: ignore[type-arg]
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def condition(self, children: list[Any]) -> ir.RawCondition:
        terms = tuple(term(c) for c in children)
        return ir.RawCondition(terms, span=terms[0].span.cover(terms[-1].span))

    def value_list(self, children: list[Any]) -> ir.Term:
        open_tok, *values = children
        items = tuple(term(v) for v in values if v.type != "COMMA")
        last = items[-1].span if items else token_span(open_tok)
        span = token_span(open_tok).cover(last)
        close = self.text.find(")", span.end)
        if close >= 0:
            span = Span(span.line, span.column, span.start, close + 1)
        return ir.Term("list", self.text[span.start : span.end], span, items=items)

    def between(self, children: list[Any]) -> ir.Term:
        kw, low, high = children
        items = (term(low), term(high))
        span = token_span(kw).cover(items[1].span)
        return ir.Term("between", self.text[span.start : span.end], span, items=items)

    def negation(self, children: list[Any]) -> ir.Not:
        kw, item = children
        return ir.Not(item, span=token_span(kw).cover(node_span(item)))

    def atom(self, children: list[Any]) -> Any:
        return children[1]  # "(" expr ")": parentheses only group

    def and_expr(self, children: list[Any]) -> ir.And:
        return ir.And(_flatten(ir.And, children), span=node_span(children[0]).cover(node_span(children[-1])))

    def or_expr(self, children: list[Any]) -> ir.Or:
        return ir.Or(_flatten(ir.Or, children), span=node_span(children[0]).cover(node_span(children[-1])))


def _flatten(kind: type[ir.And] | type[ir.Or], children: list[Any]) -> tuple[Any, ...]:
    out: list[Any] = []
    for child in children:
        out.extend(child.items if isinstance(child, kind) else [child])
    return tuple(out)


def build_ir(tree: Tree, text: str) -> ir.Rule:
    """Build the IR (with raw conditions) from a parse tree."""
    try:
        expr = _Builder(text).transform(tree)
    except VisitError as exc:  # Lark wraps what a callback raises
        if isinstance(exc.orig_exc, RuleError):
            raise exc.orig_exc from None
        raise
    too_deep = _too_deep(expr)
    if too_deep is not None:
        start = too_deep.span
        width = 3 if isinstance(too_deep, ir.Not) else 1
        raise RuleError(
            f"`not` and parentheses nest deeper than {MAX_DEPTH} levels",
            Span(start.line, start.column, start.start, start.start + width),
            hints=("`not not C` is `C`; flatten nested `and`/`or` groups",),
        )
    return ir.Rule(expr, source=text, span=Span.at(text, 0, len(text)))


def _too_deep(node: Any) -> Any:
    """The first node (in text order) nested deeper than MAX_DEPTH, or None."""
    stack: list[tuple[Any, int]] = [(node, 1)]
    while stack:
        cur, d = stack.pop()
        if d > MAX_DEPTH:
            return cur
        if isinstance(cur, ir.Not):
            stack.append((cur.item, d + 1))
        elif isinstance(cur, (ir.And, ir.Or)):
            stack.extend((item, d + 1) for item in reversed(cur.items))
    return None
