"""A fast path for stages 1-2: valid rule text -> IR, without Lark.

:func:`fast_ir` tokenizes with one regular expression and parses the
grammar (``grammar/segdsl.lark``) by recursive descent, handing the same
children to the same :class:`segdsl.lang.build._Builder` methods that Lark's
transformer would call, so the IR (spans included) is the one
``build_ir(parse_tree(text), text)`` makes. It never raises and never
reports errors: for anything unusual (a character it does not know, a syntax
error, deep nesting, a bad escape or date) it returns ``None`` and the caller
takes the Lark path, which owns every error message.

The tokens come from the grammar itself (see :func:`_lexer`); the parser
mirrors its rules. tests/test_fastparse.py checks the equivalence on the
example corpus, the error corpus and random token soups.

>>> rule = fast_ir('channel sms and not (tag = "vip" or tag in ("a", \\'b\\'))')
>>> type(rule.expr).__name__, [type(x).__name__ for x in rule.expr.items]
('And', ['RawCondition', 'Not'])
>>> fast_ir("channel sms and") is None  # a syntax error: left to the Lark path
True
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from lark import Token
from lark.lexer import PatternStr

from segdsl.lang import ir, syntax
from segdsl.lang.build import _Builder
from segdsl.lang.errors import Span
from segdsl.lang.syntax import MAX_BYTES, check_text, parser


@lru_cache(maxsize=1)
def _lexer() -> tuple[re.Pattern[str], dict[str, str]]:
    """One regular expression for the grammar's tokens, and the keyword table, from Lark's terminals.

    Lark's basic lexer tries the terminals as one alternation, ordered by
    priority and then by longest possible match; a keyword that the WORD
    pattern also matches (`and`, `between`, ...) is lexed as a WORD and then
    retyped. Both the order and the keywords (:func:`syntax.keywords`) are
    read off ``syntax.parser().terminals``, so a grammar change reaches this
    file by construction. Each match is one token with the whitespace and
    comments (the ignored terminals) before it, or the end of the text.
    """
    lark = parser()
    keywords = syntax.keywords()
    ignored = set(lark.ignore_tokens)
    retyped = {t.name for t in lark.terminals if isinstance(t.pattern, PatternStr) and t.name in keywords.values()}
    tried = sorted(
        (t for t in lark.terminals if t.name not in ignored and t.name not in retyped),
        key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name),  # as lark.lexer sorts
    )
    skip = "|".join(t.pattern.to_regexp() for t in lark.terminals if t.name in ignored)
    token_re = re.compile(
        rf"(?P<_SKIP>(?:{skip})*+)(?:"  # possessive: never give back skipped text
        + "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in tried)
        + r"|(?P<_EOF>\Z))"
    )
    return token_re, keywords


_LITERALS = frozenset({"STRING", "NUMBER", "DATE", "DATETIME", "TIME", "TRUE", "FALSE"})
_VALUES = _LITERALS | {"WORD"}
_PLAIN_TERMS = _VALUES | {"NOT", "OP", "ISNT", "COMMA"}
#: nesting (of `not` and parentheses) beyond which the Lark path decides
_MAX_NEST = 64
_END = Token("$END", "")


class _Fallback(Exception):
    """Not for the fast path: let Lark decide."""


def _tokens(text: str) -> list[Token]:
    token_re, keywords = _lexer()
    out: list[Token] = []
    new_str = str.__new__
    pos, line, line_start = 0, 1, 0
    for m in token_re.finditer(text):
        kind = m.lastgroup
        if m.start() != pos or kind is None or kind == "_SKIP":  # a character no terminal matches
            raise _Fallback
        start, end = m.span(kind)
        if start != pos:  # whitespace or comments first
            newlines = text.count("\n", pos, start)
            if newlines:
                line += newlines
                line_start = text.rindex("\n", pos, start) + 1
        if kind == "_EOF":
            out.append(_END)
            return out
        value = m.group(kind)
        if kind == "WORD":
            kind = keywords.get(value.lower(), "WORD")
        # a lark Token, made without Token.__new__'s keyword handling (lexing is a hot loop)
        tok = new_str(Token, value)
        tok.type, tok.value, tok.start_pos, tok.end_pos = kind, value, start, end
        tok.line = tok.end_line = line
        tok.column = start - line_start + 1
        tok.end_column = end - line_start + 1
        out.append(tok)
        pos = end
    raise _Fallback


class _Parser:
    """Recursive descent over the grammar; calls the IR builder like Lark's transformer."""

    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.build = _Builder(text)
        self.toks = tokens
        self.i = 0
        self.nest = 0

    def _take(self, kind: str) -> Token:
        tok = self.toks[self.i]
        if tok.type != kind:
            raise _Fallback
        self.i += 1
        return tok

    def or_expr(self) -> Any:
        items = [self.and_expr()]
        while self.toks[self.i].type == "_OR":
            self.i += 1
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else self.build.or_expr(items)

    def and_expr(self) -> Any:
        items = [self.not_expr()]
        while self.toks[self.i].type == "_AND":
            self.i += 1
            items.append(self.not_expr())
        return items[0] if len(items) == 1 else self.build.and_expr(items)

    def not_expr(self) -> Any:
        tok = self.toks[self.i]
        if tok.type == "NOT" or tok.type == "LPAR":
            self.nest += 1
            if self.nest > _MAX_NEST:
                raise _Fallback
            self.i += 1
            if tok.type == "NOT":
                node = self.build.negation([tok, self.not_expr()])
            else:
                inner = self.or_expr()
                self._take("_RPAR")
                node = self.build.atom([tok, inner])
            self.nest -= 1
            return node
        if tok.type == "WORD":
            return self.condition()
        raise _Fallback

    def condition(self) -> Any:
        toks = self.toks
        children: list[Any] = [toks[self.i]]
        self.i += 1
        while True:
            tok = toks[self.i]
            kind = tok.type
            if kind in _PLAIN_TERMS:
                children.append(tok)
                self.i += 1
            elif kind == "LPAR":
                children.append(self.list_term())
            elif kind == "BETWEEN":
                self.i += 1
                low = self.value()
                self._take("_AND")
                children.append(self.build.between([tok, low, self.value()]))
            else:
                return self.build.condition(children)

    def list_term(self) -> Any:
        children: list[Any] = [self.toks[self.i]]
        self.i += 1
        if self.toks[self.i].type != "_RPAR":
            children.append(self.value())
            while self.toks[self.i].type == "COMMA":
                children.append(self.toks[self.i])
                self.i += 1
                children.append(self.value())
        self._take("_RPAR")
        return self.build.value_list(children)

    def value(self) -> Token:
        tok = self.toks[self.i]
        if tok.type not in _VALUES:
            raise _Fallback
        self.i += 1
        return tok


def fast_ir(text: str) -> ir.Rule | None:
    """The raw IR of ``text`` (as :func:`segdsl.lang.build.build_ir` makes it), or None to take the Lark path."""
    try:
        if not isinstance(text, str) or len(text) * 4 > MAX_BYTES:
            return None
        check_text(text)
        parser = _Parser(text, _tokens(text))
        expr = parser.or_expr()
        if parser.toks[parser.i] is not _END:
            return None
        return ir.Rule(expr, source=text, span=Span.at(text, 0, len(text)))
    except Exception:  # noqa: BLE001 - any doubt: the Lark path decides, and words the error
        return None
