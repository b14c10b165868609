"""Syntax highlighting: a Pygments lexer whose tokens come from the grammar itself.

The lexer runs Lark's lexer for ``grammar/segdsl.lark`` (the same terminals the
parser uses), so a grammar change cannot leave the colours behind. Words are
told apart by place: the subject phrase a family claims (``last interaction``),
the reader's operator words (``is``, ``contains``, ``within``), and the rest
(channels, genders, field keys). Registered as ``segdsl`` in the
``pygments.lexers`` entry-point group, so ``pygmentize -l segdsl`` works.

>>> [(str(t), v) for t, v in SegdslLexer().get_tokens('tag = "vip"') if v.strip()]
[('Token.Name.Function', 'tag'), ('Token.Operator', '='), ('Token.Literal.String', '"vip"')]
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import lru_cache
from typing import IO

from lark import Lark
from lark.exceptions import UnexpectedCharacters
from pygments import highlight as _pygments_highlight
from pygments.formatters import TerminalFormatter
from pygments.formatters.terminal import TERMINAL_COLORS
from pygments.lexer import Lexer
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Literal,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
    _TokenType,
)

from segdsl.families.registry import registry
from segdsl.lang import ir
from segdsl.lang.syntax import grammar_text
from segdsl.lang.terms import OPERATOR_WORDS

#: Pygments token type per grammar terminal (WORD is decided by place, below)
TERMINAL_TOKENS: dict[str, _TokenType] = {
    "_AND": Keyword,
    "_OR": Keyword,
    "NOT": Keyword,
    "BETWEEN": Keyword,
    "TRUE": Keyword.Constant,
    "FALSE": Keyword.Constant,
    "ISNT": Operator,
    "OP": Operator,
    "LPAR": Punctuation,
    "_RPAR": Punctuation,
    "COMMA": Punctuation,
    "STRING": String,
    "NUMBER": Number,
    "DATE": Literal.Date,
    "DATETIME": Literal.Date,
    "TIME": Literal.Date,
    "COMMENT": Comment.Single,
    "WS": Whitespace,
}
#: words the term reader takes as (parts of) operators, durations and ranges
OPERATOR_WORDING = frozenset(
    {w for op in OPERATOR_WORDS for w in op.split("_")}
    | set(ir.UNITS)
    | {u[:-1] for u in ir.UNITS}
    | {"with", "within", "more", "than", "ago", "before", "after", "on"}
)
#: after these a new condition starts (its first words may be a subject phrase)
_CONDITION_STARTS = frozenset({None, "_AND", "_OR", "NOT", "LPAR"})


@lru_cache(maxsize=1)
def _lexer() -> Lark:
    """A lexing-only Lark for the grammar (no parser callbacks: lexing has no side effects)."""
    return Lark(grammar_text(), parser="lalr", lexer="basic")


def _terminals(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, terminal, text) for every piece of ``text``; a character no terminal takes is ``ERROR``."""
    pos = 0
    while pos < len(text):
        try:
            for tok in _lexer().lex(text[pos:], dont_ignore=True):
                yield pos + (tok.start_pos or 0), tok.type, str(tok)
            return
        except UnexpectedCharacters as err:
            # the tokens before the bad character were already yielded
            bad = pos + (err.pos_in_stream or 0)
            yield bad, "ERROR", text[bad]
            pos = bad + 1


class SegdslLexer(Lexer):
    """Pygments lexer for segdsl rules."""

    name = "segdsl"
    aliases = ["segdsl", "seg"]
    filenames = ["*.seg"]
    mimetypes = ["text/x-segdsl"]

    def get_tokens_unprocessed(self, text: str) -> Iterator[tuple[int, _TokenType, str]]:  # type: ignore[override]
        subjects = registry()
        pieces = list(_terminals(text))
        previous: str | None = None  # the last terminal that is not whitespace or a comment
        i = 0
        while i < len(pieces):
            offset, kind, value = pieces[i]
            if kind == "WORD" and previous in _CONDITION_STARTS:
                words, at = [], i  # the longest claimed subject phrase that the next words spell
                while at < len(pieces) and pieces[at][1] in ("WORD", "WS", "COMMENT"):
                    if pieces[at][1] == "WORD":
                        words.append(pieces[at][2].lower())
                    at += 1
                phrase = subjects.longest_subject(words)
                size = len(phrase.split()) if phrase else 1
                while size:
                    offset, kind, value = pieces[i]
                    yield offset, (Name.Function if kind == "WORD" else TERMINAL_TOKENS[kind]), value
                    size -= kind == "WORD"
                    i += 1
                previous = "WORD"
                continue
            if kind == "WORD":
                token = Operator.Word if value.lower() in OPERATOR_WORDING else Name
            elif kind == "ERROR":
                token = Error
            else:
                token = TERMINAL_TOKENS.get(kind, Text)
            yield offset, token, value
            if kind not in ("WS", "COMMENT", "ERROR"):
                previous = kind
            i += 1


def use_color(mode: str, stream: IO[str]) -> bool:
    """Whether to colour output: ``always``, ``never``, or ``auto`` (a TTY and no ``NO_COLOR``).

    ``NO_COLOR`` set to any non-empty value turns ``auto`` off (https://no-color.org).
    """
    if mode == "always":
        return True
    if mode == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


#: Pygments' terminal colours, plus dates and times (which it leaves plain)
COLORS = {**TERMINAL_COLORS, Literal.Date: ("cyan", "brightcyan"), Whitespace: ("", "")}


def highlight(text: str) -> str:
    """``text`` with ANSI colours for a terminal (a trailing newline is kept as given)."""
    out = _pygments_highlight(text, SegdslLexer(), TerminalFormatter(colorscheme=COLORS))
    return out if text.endswith("\n") else out.rstrip("\n")
