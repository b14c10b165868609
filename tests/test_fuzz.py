"""Fuzzing the front end: mutated rules either parse or raise RuleError, fast, with a sane error.

Mutations start from the example corpus and from random valid rules: byte
edits (decoded in several ways, including ``surrogateescape``) and token edits
(delete, duplicate, swap, insert keywords, parentheses, quotes, operators).
Whatever comes out, ``segdsl.parse`` must either succeed, and then the rule
round-trips through ``format``, or raise ``segdsl.RuleError`` whose span lies
inside the text and whose rendering names no Lark internals. Never another
exception, never a second or more.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import segdsl
from segdsl.lang.errors import RuleError, Span
from tests.strategies import rules
from tests.test_errors import LARK_NAMES, _words_for_users

ROOT = Path(__file__).resolve().parent.parent
CORPUS = [p.read_bytes() for p in sorted((ROOT / "examples" / "rules").glob("*.seg"))]
CORPUS += [p.read_bytes() for p in sorted((ROOT / "tests" / "errors").glob("*.seg"))]

# SEGDSL_FUZZ_EXAMPLES=5000 for a longer run
FUZZ = settings(
    max_examples=int(os.environ.get("SEGDSL_FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Bytes worth inserting: syntax, quotes, escapes, digits, UTF-8 lead bytes, invalid UTF-8.
INTERESTING_BYTES = b"()\"'\\#,:=!<>-. \n\t\r0123456789TZunt\x00\x7f\x80\xbf\xc3\xe2\xf0\xff"
INSERTS = [
    "and", "or", "not", "AND", "(", ")", "((", "))", '"', "'", "\\", '"x"', "'x'", "#", "\n", ",", ":", "=",
    "!=", "<", ">=", "isn't", "isn\u2019t", "is", "is not", "in", "()", "between", "true", "-", "3", "-3.5",
    "2026-11-01", "2026-02-30", "2026-11-01T14:30Z", "09:00", "24:00", "\\u", "\\ud800", "\u201c", "\x00",
    "channel", "channel sms", "tag", "field", "field and", "last interaction", "within", "days", "unknown",
    "known", "contains", "starts with", "ends", "with", "female", "\ufeff", "\u2028", "\U0001f600",
    " " * 40, "\n\t " * 20, "#" * 30, " #a#b#c#d#e#f#g#h#i#j\n" * 3, "not " * 30, "(" * 30,
]  # fmt: skip
TOKEN_RE = re.compile(r"""\s+|#[^\n]*|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|[A-Za-z0-9_.:+\-’']+|[<>!=]=?|.""")


def check(text: str) -> None:
    """The one property every input must have."""
    start = time.perf_counter()
    try:
        rule = segdsl.parse(text)
    except RuleError as err:
        elapsed = time.perf_counter() - start
        _check_error(err, text)
    else:
        elapsed = time.perf_counter() - start
        canonical = segdsl.format(rule)
        assert segdsl.parse(canonical) == rule
        assert segdsl.format(canonical) == canonical
    assert elapsed < 1.0, f"{elapsed:.2f}s for {text[:80]!r}"


def _check_error(err: RuleError, text: str) -> None:
    assert err.source == text
    span = err.span
    assert 0 <= span.start <= span.end <= len(text) + 1, (span, len(text))
    # line and column say where the span starts
    if span.start <= len(text):
        assert (span.line, span.column) == (Span.at(text, span.start).line, Span.at(text, span.start).column), (
            span,
            err.message,
        )
    rendered = err.render()
    rendered.encode("utf-8")  # printable to a UTF-8 terminal even from surrogateescape input
    lines = rendered.split("\n")
    assert lines[0].startswith(f"{span.line}:{span.column}: ")
    for line in _words_for_users(rendered):
        assert not LARK_NAMES.search(line), line
    assert len(lines[0]) < 400, lines[0]


# --------------------------------------------------------------------------- bytes


@st.composite
def byte_mutants(draw: st.DrawFn) -> str:
    data = bytearray(draw(st.sampled_from(CORPUS)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "set", "insert", "delete", "duplicate", "truncate"]))
        pos = draw(st.integers(0, len(data)))
        if op == "insert" or not data:
            data[pos:pos] = bytes([draw(st.sampled_from(INTERESTING_BYTES) | st.integers(0, 255))])
        elif op == "flip":
            i = min(pos, len(data) - 1)
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "set":
            data[min(pos, len(data) - 1)] = draw(st.sampled_from(INTERESTING_BYTES))
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 8))]
        elif op == "duplicate":
            end = min(len(data), pos + draw(st.integers(1, 20)))
            data[pos:pos] = data[pos:end] * draw(st.integers(1, 3))
        else:
            del data[pos:]
    errors = draw(st.sampled_from(["replace", "surrogateescape", "ignore", "latin-1"]))
    if errors == "latin-1":
        return bytes(data).decode("latin-1")
    return bytes(data).decode("utf-8", errors)


@FUZZ
@given(byte_mutants())
def test_byte_mutations(text: str) -> None:
    check(text)


# --------------------------------------------------------------------------- tokens


def tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(text)


@st.composite
def token_mutants(draw: st.DrawFn, source: st.SearchStrategy[str]) -> str:
    toks = tokens(draw(source))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "insert", "replace"]))
        if not toks:
            toks = [draw(st.sampled_from(INSERTS))]
            continue
        i = draw(st.integers(0, len(toks) - 1))
        if op == "delete":
            del toks[i]
        elif op == "duplicate":
            toks.insert(i, toks[i])
        elif op == "swap":
            j = draw(st.integers(0, len(toks) - 1))
            toks[i], toks[j] = toks[j], toks[i]
        else:
            new = draw(st.sampled_from(INSERTS))
            sep = draw(st.sampled_from(["", " ", " ", "\n"]))
            if op == "insert":
                toks.insert(i, sep + new + sep)
            else:
                toks[i] = new
    return "".join(toks)


CORPUS_TEXT = st.sampled_from([b.decode("utf-8") for b in CORPUS])


@FUZZ
@given(token_mutants(CORPUS_TEXT))
def test_token_mutations_of_the_corpus(text: str) -> None:
    check(text)


@FUZZ
@given(token_mutants(rules(max_leaves=4)))
def test_token_mutations_of_random_rules(text: str) -> None:
    check(text)


@FUZZ
@given(st.lists(st.sampled_from(list("()\"'\\#,:=!<> \n-.0123456789") + INSERTS), max_size=30).map("".join))
def test_soup_of_syntax(text: str) -> None:
    check(text)


@FUZZ
@given(st.text(max_size=60))
def test_arbitrary_text(text: str) -> None:
    check(text)
    check("channel sms and " + text)


def test_token_regex_covers_the_text() -> None:
    """``tokens`` loses nothing, so a mutation changes only what it means to."""
    for data in CORPUS:
        text = data.decode("utf-8")
        assert "".join(tokens(text)) == text
