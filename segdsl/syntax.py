"""Stage 1, text -> parse tree: the Lark LALR parser and its error messages.

>>> from segdsl.syntax import parse_tree
>>> parse_tree("channel sms").data
'condition'
"""

from __future__ import annotations

import threading
from functools import lru_cache
from importlib import resources

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from .errors import RuleError, Span, did_you_mean, one_of

MAX_BYTES = 64 * 1024
MAX_DEPTH = 200

KEYWORDS = ("and", "or", "not")

# What each terminal is called in an error message.
TERMINAL_WORDS = {
    "WORD": "a word",
    "NOT": "`not`",
    "OP": "an operator (`=`, `!=`, `<`, ...)",
    "ISNT": "`isn't`",
    "STRING": "a quoted string",
    "NUMBER": "a number",
    "DATE": "a date (2026-11-01)",
    "DATETIME": "a date-time (2026-11-01T14:30)",
    "TIME": "a time of day (09:00)",
    "TRUE": "`true`",
    "FALSE": "`false`",
    "LPAR": "`(`",
    "_RPAR": "`)`",
    "RPAR": "`)`",
    "_COMMA": "`,`",
    "COMMA": "`,`",
    "_AND": "`and`",
    "AND": "`and`",
    "_OR": "`or`",
    "OR": "`or`",
    "BETWEEN": "`between`",
    "$END": "the end of the rule",
}
VALUE_TERMINALS = {"STRING", "NUMBER", "DATE", "DATETIME", "TIME", "TRUE", "FALSE"}


class _DepthCounter(threading.local):
    depth = 0


_counter = _DepthCounter()


def _open(tok: Token) -> Token:
    _counter.depth += 1
    if _counter.depth > MAX_DEPTH:
        raise RuleError(
            f"parentheses nest deeper than {MAX_DEPTH} levels",
            Span(tok.line or 1, tok.column or 1, tok.start_pos or 0, (tok.start_pos or 0) + 1),
            hints=("flatten the rule: `a and (b and c)` is the same as `a and b and c`",),
        )
    return tok


def _close(tok: Token) -> Token:
    _counter.depth -= 1
    return tok


def grammar_text() -> str:
    """The grammar, from the installed package (``segdsl/grammar/segdsl.lark``)."""
    return (resources.files("segdsl.grammar") / "segdsl.lark").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def parser() -> Lark:
    """The one LALR parser, built once per process."""
    return Lark(
        grammar_text(),
        parser="lalr",
        lexer="basic",
        maybe_placeholders=False,
        lexer_callbacks={"LPAR": _open, "_RPAR": _close},
    )


def check_size(text: str) -> None:
    """Reject a rule over the 64 KiB limit before any parsing."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise RuleError(
            f"the rule is {size:,} bytes long; the limit is {MAX_BYTES:,} bytes (64 KiB)",
            Span(1, 1, 0, 1),
            hints=("split it into several saved segments, or use `in (...)` lists",),
        )


def parse_tree(text: str) -> Tree:
    """Parse ``text`` into a Lark tree; raises RuleError (without source)."""
    check_size(text)
    _counter.depth = 0
    try:
        return parser().parse(text)
    except RuleError:
        raise
    except UnexpectedInput as exc:
        raise translate(exc, text) from None
    finally:
        _counter.depth = 0


def translate(exc: UnexpectedInput, text: str) -> RuleError:
    """Turn a Lark error into a RuleError in the user's words."""
    if isinstance(exc, UnexpectedCharacters):
        return _bad_character(exc, text)
    if isinstance(exc, UnexpectedToken):
        return _bad_token(exc.token, set(exc.expected), text)
    if isinstance(exc, UnexpectedEOF):
        return _bad_token(Token("$END", "", len(text)), set(exc.expected), text)
    return RuleError(str(exc), Span.at(text, 0, 1))  # pragma: no cover - lark has no other kind


def _bad_character(exc: UnexpectedCharacters, text: str) -> RuleError:
    pos = exc.pos_in_stream
    char = text[pos]
    end_of_line = text.find("\n", pos)
    end_of_line = len(text) if end_of_line < 0 else end_of_line
    if char in "\"'":
        return RuleError(
            "unterminated string",
            Span.at(text, pos, end_of_line),
            hints=(f"close the string with {char} before the end of the line",),
        )
    if char in "\u201c\u201d\u2018\u2019":
        return RuleError(
            f"typographic quote `{char}`",
            Span.at(text, pos, pos + 1),
            hints=('write strings with straight quotes: "vip" or \'vip\'',),
        )
    if char.isdigit() or char == "-":
        word_end = pos
        while word_end < len(text) and (text[word_end].isalnum() or text[word_end] in "-.:_+"):
            word_end += 1
        bad = text[pos:word_end]
        return RuleError(
            f"`{bad}` is not a number, a date or a time",
            Span.at(text, pos, word_end),
            hints=("numbers look like 12, -3 or 4.50; dates 2026-11-01; date-times 2026-11-01T14:30; times 09:00",),
        )
    if char == "!":
        return RuleError("`!` must be followed by `=`", Span.at(text, pos, pos + 1), hints=("write `!=` or `isn't`",))
    return RuleError(f"unexpected character `{char}`", Span.at(text, pos, pos + 1))


def _previous_token(text: str, pos: int) -> Token | None:
    last = None
    try:
        for tok in parser().lex(text[:pos]):
            last = tok
    except UnexpectedInput:  # pragma: no cover - the prefix lexed once already
        return None
    return last


def _expected_words(expected: set[str]) -> list[str]:
    words: list[str] = []
    if "WORD" in expected and "LPAR" in expected and "NOT" in expected:
        words.append("a condition")
        expected = expected - {"WORD", "LPAR", "NOT"}
    if VALUE_TERMINALS <= expected or (VALUE_TERMINALS - {"TRUE", "FALSE"}) <= expected:
        words.append("a value")
        expected = expected - VALUE_TERMINALS
    order = ["_AND", "_OR", "_RPAR", "_COMMA", "$END"]
    for name in sorted(expected, key=lambda n: (order.index(n) if n in order else -1, n)):
        words.append(TERMINAL_WORDS.get(name, name.lower()))
    return words


def _bad_token(tok: Token, expected: set[str], text: str) -> RuleError:
    words = _expected_words(expected)
    want = one_of(words)
    if tok.type == "$END":
        pos = len(text.rstrip())
        prev = _previous_token(text, len(text))
        if prev is None:
            return RuleError(
                "the rule is empty",
                Span(1, 1, 0, 1 if text else 0),
                hints=("a rule needs at least a channel, for example `channel whatsapp`",),
            )
        after = f" after `{prev}`" if prev is not None else ""
        span = Span.at(text, max(pos - len(prev or ""), 0), pos) if prev is not None else Span.at(text, pos, pos + 1)
        return RuleError(f"the rule ends too early: expected {want}{after}", span, expected=tuple(words))
    start = tok.start_pos or 0
    span = Span(tok.line or 1, tok.column or 1, start, tok.end_pos or start + len(tok))
    hints: list[str] = []
    if tok.type == "WORD":
        guess = did_you_mean(str(tok), [w for w in KEYWORDS if f"_{w.upper()}" in expected or w.upper() in expected])
        if guess:
            hints.append(f"did you mean `{guess}`?")
    if tok.type == "_RPAR" and "_RPAR" not in expected:
        return RuleError("unbalanced `)`: there is no `(` to close", span, expected=tuple(words))
    shown = "`)`" if tok.type == "_RPAR" else f"`{tok}`"
    return RuleError(f"expected {want}, found {shown}", span, hints=tuple(hints), expected=tuple(words))
