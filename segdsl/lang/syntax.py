"""Stage 1, text -> parse tree: the Lark LALR parser and its error messages.

>>> from segdsl.lang.syntax import parse_tree
>>> str(parse_tree("channel sms").data)
'condition'
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from importlib import resources

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from segdsl.lang.errors import RuleError, Span, did_you_mean, one_of

MAX_BYTES = 64 * 1024
MAX_DEPTH = 200

# The boolean keywords a misspelt word may be meant as (did-you-mean); all
# reserved words come from the grammar: see keywords().
BOOLEAN_KEYWORDS = ("and", "or", "not")

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
    depth = 0  # open parentheses
    counting = True  # off while re-lexing a prefix to write an error message
    text = ""  # the rule being parsed
    nots = 0  # `not`s in the current run of `not` and `(` tokens
    run_end = -1  # where the last token of that run ends


_counter = _DepthCounter()
# Possessive quantifiers: a gap that does not match must fail at once, not backtrack.
_GAP = re.compile(r"(?:[ \t\r\n\f]++|#[^\n]*+)*+")


def _continues_run(tok: Token) -> bool:
    """Only whitespace and comments lie between the last `not`/`(` and ``tok``."""
    start = tok.start_pos or 0
    return _counter.run_end >= 0 and _GAP.fullmatch(_counter.text, _counter.run_end, start) is not None


def _open(tok: Token) -> Token:
    if not _counter.counting:
        return tok
    _counter.depth += 1
    if _counter.depth > MAX_DEPTH:
        raise RuleError(
            f"parentheses nest deeper than {MAX_DEPTH} levels",
            Span(tok.line or 1, tok.column or 1, tok.start_pos or 0, (tok.start_pos or 0) + 1),
            hints=("flatten the rule: `a and (b and c)` is the same as `a and b and c`",),
        )
    if not _continues_run(tok):
        _counter.nots = 0
    _counter.run_end = tok.end_pos or 0
    return tok


def _close(tok: Token) -> Token:
    if _counter.counting:
        _counter.depth -= 1
    return tok


def _not(tok: Token) -> Token:
    """A run of more than MAX_DEPTH `not`s (with only `(` between) nests too deep: stop before parsing it all."""
    if not _counter.counting:
        return tok
    _counter.nots = _counter.nots + 1 if _continues_run(tok) else 1
    _counter.run_end = tok.end_pos or 0
    if _counter.nots > MAX_DEPTH:
        start = tok.start_pos or 0
        raise RuleError(
            f"`not` and parentheses nest deeper than {MAX_DEPTH} levels",
            Span(tok.line or 1, tok.column or 1, start, start + len(tok)),
            hints=("`not not C` is `C`; flatten nested `and`/`or` groups",),
        )
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
        lexer_callbacks={"LPAR": _open, "_RPAR": _close, "NOT": _not},
    )


# A word at the start of a terminal's pattern: a candidate keyword (`not` in
# /not(?![A-Za-z0-9_])/i). Lark's lexer decides whether it is one.
_LEADING_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@lru_cache(maxsize=1)
def keywords() -> dict[str, str]:
    """The grammar's reserved words: lower-case word -> terminal name.

    ``{"and": "_AND", "or": "_OR", "not": "NOT", "between": "BETWEEN",
    "true": "TRUE", "false": "FALSE"}`` for ``grammar/segdsl.lark`` (contract:
    "Keywords"). Read from the LALR parser's terminals, not written out: a
    candidate (a string terminal, or the word a regex terminal starts with) is
    a keyword when Lark's own lexer reads it as one non-WORD token. A custom
    field key spelt like one must be quoted.
    """
    lark = parser()
    candidates = {
        m.group()
        for t in lark.terminals
        if (m := _LEADING_WORD.match(t.pattern.value))
    }
    found: dict[str, str] = {}
    _counter.counting = False
    try:
        for word in sorted(candidates):
            try:
                toks = list(lark.lex(word))
            except UnexpectedInput:
                continue
            if len(toks) == 1 and toks[0].type != "WORD" and len(toks[0]) == len(word):
                upper = list(lark.lex(word.upper()))
                if [t.type for t in upper] != [toks[0].type]:  # pragma: no cover - the contract's keywords ignore case
                    raise ValueError(f"keyword {word!r} must be case-insensitive in the grammar")
                found[word.lower()] = toks[0].type
    finally:
        _counter.counting = True
    return found


def check_size(text: str) -> None:
    """Reject a rule over the 64 KiB limit before any parsing."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise RuleError(
            f"the rule is {size:,} bytes long; the limit is {MAX_BYTES:,} bytes (64 KiB)",
            Span(1, 1, 0, 1),
            hints=("split it into several saved segments, or use `in (...)` lists",),
        )


def check_text(text: str) -> None:
    """Reject characters no rule may hold, wherever they are (comments too).

    Lone surrogates (bytes decoded with ``surrogateescape``) are not Unicode
    text; NUL cannot be stored in a database's text column (saved segments
    keep the rule text).
    """
    m = _SURROGATE.search(text)
    if m:
        raise RuleError(
            f"the rule holds U+{ord(m.group()):04X}, which is not a character: the text is not valid Unicode",
            Span.at(text, m.start(), m.start() + 1),
            hints=("save the rule as UTF-8",),
        )
    nul = text.find("\0")
    if nul >= 0:
        raise RuleError("the rule holds a NUL character (U+0000)", Span.at(text, nul, nul + 1))


_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_tree(text: str) -> Tree:
    """Parse ``text`` into a Lark tree; raises RuleError (without source)."""
    check_size(text)
    check_text(text)
    _counter.depth = 0
    _counter.counting = True
    _counter.text = text
    _counter.nots = 0
    _counter.run_end = -1
    try:
        return parser().parse(text)
    except RuleError:
        raise
    except UnexpectedInput as exc:
        raise translate(exc, text) from None
    finally:
        _counter.depth = 0
        _counter.text = ""


def translate(exc: UnexpectedInput, text: str) -> RuleError:
    """Turn a Lark error into a RuleError in the user's words."""
    if isinstance(exc, UnexpectedCharacters):
        return _bad_character(exc, text)
    if isinstance(exc, UnexpectedToken) and exc.token.type != "$END":
        return _bad_token(exc.token, set(exc.expected), text)
    if isinstance(exc, (UnexpectedToken, UnexpectedEOF)):
        return _early_end(set(exc.expected), text)
    return RuleError(str(exc), Span.at(text, 0, 1))  # pragma: no cover - lark has no other kind


def describe_char(char: str) -> str:
    """A character as an error message shows it: itself, or U+XXXX when it is invisible."""
    if char.isprintable() and not char.isspace():
        return f"`{char}`"
    return f"U+{ord(char):04X}"


def _bad_character(exc: UnexpectedCharacters, text: str) -> RuleError:
    pos = exc.pos_in_stream or 0
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
    if char.isdigit() or (char in "-." and text[pos + 1 : pos + 2].isdigit()):
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
    return RuleError(f"unexpected character {describe_char(char)}", Span.at(text, pos, pos + 1))


def _tokens_before(text: str, pos: int) -> list[Token]:
    """The tokens of ``text[:pos]`` (which lexed once already), without counting parentheses."""
    _counter.counting = False
    try:
        return list(parser().lex(text[:pos]))
    except UnexpectedInput:  # pragma: no cover - the prefix lexed once already
        return []
    finally:
        _counter.counting = True


def _unclosed(tokens: list[Token]) -> Token | None:
    """The innermost `(` among ``tokens`` that no `)` closes."""
    stack: list[Token] = []
    for tok in tokens:
        if tok.type == "LPAR":
            stack.append(tok)
        elif tok.type == "_RPAR" and stack:
            stack.pop()
    return stack[-1] if stack else None


def _shown(tok: Token) -> str:
    """A token as an error message quotes it (long strings cut short)."""
    text = str(tok)
    return f"`{text[:24]}...`" if len(text) > 30 else f"`{text}`"


# Terminals that can only continue a condition. When the parser would also
# take `and`/`or`/`)`, the message names those: the condition's plugin has
# already had its say about what may follow inside the condition.
TERM_TERMINALS = {"WORD", "NOT", "OP", "ISNT", "COMMA", "LPAR", "BETWEEN"} | {
    "STRING", "NUMBER", "DATE", "DATETIME", "TIME", "TRUE", "FALSE"
}


def _expected_words(expected: set[str]) -> list[str]:
    """The expected terminals in the user's words, most useful first."""
    expected = set(expected)
    words: list[str] = []
    if "_AND" in expected and "WORD" in expected:  # after a term: the condition may go on or end
        expected -= TERM_TERMINALS
    if {"WORD", "LPAR", "NOT"} <= expected:
        words.append("a condition")
        expected -= {"WORD", "LPAR", "NOT"}
    if (VALUE_TERMINALS - {"TRUE", "FALSE"}) <= expected:
        words.append("a value")
        expected -= VALUE_TERMINALS | {"WORD"}
    order = ["_AND", "_OR", "COMMA", "_RPAR", "$END"]
    for name in sorted(expected, key=lambda n: (order.index(n) if n in order else -1, n)):
        words.append(TERMINAL_WORDS.get(name, "something else"))
    return list(dict.fromkeys(words))


def _early_end(expected: set[str], text: str) -> RuleError:
    """The text stops before the rule is complete (or holds no rule at all)."""
    tokens = _tokens_before(text, len(text))
    if not tokens:
        return RuleError(
            "the rule is empty",
            Span(1, 1, 0, 1 if text else 0),
            hints=("a rule needs at least a channel, for example `channel whatsapp`",),
        )
    prev = tokens[-1]
    words = _expected_words(expected)
    hints: list[str] = []
    unclosed = _unclosed(tokens)
    if unclosed is not None and "_RPAR" in expected:
        hints.append(f"the `(` at {unclosed.line}:{unclosed.column} is never closed")
    return RuleError(
        f"the rule ends too early: expected {one_of(words)} after {_shown(prev)}",
        _token_span(prev),
        hints=tuple(hints),
        expected=tuple(words),
    )


def _token_span(tok: Token) -> Span:
    start = tok.start_pos or 0
    end = tok.end_pos if tok.end_pos is not None else start + len(tok)
    return Span(tok.line or 1, tok.column or 1, start, end)


def _bad_token(tok: Token, expected: set[str], text: str) -> RuleError:
    span = _token_span(tok)
    tokens = _tokens_before(text, span.start)
    prev = tokens[-1] if tokens else None
    after = f" after {_shown(prev)}" if prev is not None else ""
    shown = _shown(tok)
    words = _expected_words(expected)
    if tok.type == "_RPAR" and "_RPAR" not in expected and _unclosed(tokens) is None:
        return RuleError("unbalanced `)`: there is no `(` to close", span, expected=tuple(words))
    hints: list[str] = []
    if tok.type == "WORD":
        near = [w for w in BOOLEAN_KEYWORDS if f"_{w.upper()}" in expected or w.upper() in expected]
        guess = did_you_mean(str(tok), near)
        if guess:
            hints.append(f"did you mean `{guess}`?")
    if tok.type == "_RPAR" and prev is not None and prev.type == "COMMA":
        hints.append("remove the `,` before the `)`")
    # `field and = 1`: a keyword where a subject takes a word (a key, a name); the grammar knows no subjects
    after_word = len(tokens) > 1 and tokens[-2].type == "WORD" and str(tokens[-2]).lower() not in keywords()
    keyword_types = ("_AND", "_OR", "NOT", "BETWEEN")
    if prev is not None and prev.type in keyword_types and after_word and tok.type not in (*keyword_types, "WORD"):
        hints.append(f'`{prev}` is a keyword; to use it as a word here, quote it: `{tokens[-2]} "{prev}"`')
    return RuleError(f"expected {one_of(words)}{after}, found {shown}", span, hints=tuple(hints), expected=tuple(words))
