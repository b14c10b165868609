"""segdsl.lang.fastparse: the Lark-free fast path makes exactly the IR of the Lark path, or steps aside.

For every text, ``fast_ir(text)`` is either ``None`` (the Lark path decides,
and words any error) or equal, spans and all, to
``build_ir(parse_tree(text), text)``. Checked on the example corpus, the
error corpus and random soups of the language's tokens.
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path
from typing import Any

import pytest

import segdsl
from segdsl.lang.build import build_ir
from segdsl.lang.errors import RuleError
from segdsl.lang.fastparse import _lexer, fast_ir
from segdsl.lang.syntax import keywords, parse_tree, parser

ROOT = Path(__file__).resolve().parent.parent

FRAGMENTS = [
    "channel", "sms", "whatsapp", "and", "AND", "or", "Or", "not", "NOT", "nots", "(", ")", "tag", "=", "!=",
    "isn't", "isn\u2019t", "ISN'T", "is", "in", '"vip"', "'x'", '"a\\"b"', '"\\q"', '"\\u00e9"', '""', "between",
    "1", "-2.5", "007", "2026-11-01", "2026-02-30", "2026-11-01T10:00Z", "2026-11-01t10:00:61", "09:00", "25:00",
    "09:00:30", ",", ":", "<", ">=", "true", "FALSE", "field", "#c\n", "\n", " ", "\t", "\r\n", "x1", "_k", "last",
    "interaction", "time", "within", "7", "days", "more", "than", "ago", "completed", "bot", "flow", "has",
    "unpaid", "cart", "gender", "female", "name", "contains", "starts", "with", "é", "$", "Andrew", "isnt",
    "12abc", "1.", "-", "'unterminated", '"', "\u0663", "number", "email", "unknown", "known", "#'q\n", "# x)\n",
]


def _same(a: Any, b: Any) -> bool:
    """Equal, spans included (they are left out of the dataclasses' own equality)."""
    if type(a) is not type(b):
        return False
    if dataclasses.is_dataclass(a):
        return all(_same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _lark(text: str) -> Any:
    try:
        return build_ir(parse_tree(text), text)
    except RuleError:
        return None


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "rules").glob("*.seg"))]
    errors = sorted((ROOT / "tests" / "errors").glob("*.seg"))
    texts += [p.read_text(encoding="utf-8", errors="surrogateescape") for p in errors]
    rnd = random.Random(20261128)
    for _ in range(2500):
        parts = [rnd.choice(FRAGMENTS) for _ in range(rnd.randint(1, 14))]
        texts.append("".join(p + rnd.choice([" ", " ", "", "\n"]) for p in parts))
        texts.append("channel sms and " + " ".join(parts))
    return texts


def test_fast_path_equals_the_lark_path() -> None:
    fast = valid = 0
    for text in _texts():
        mine = fast_ir(text)
        theirs = _lark(text)
        valid += theirs is not None
        if mine is not None:
            fast += 1
            assert theirs is not None, f"fast path accepted text the grammar rejects: {text!r}"
            assert _same(mine, theirs), f"fast path built different IR for {text!r}"
    assert fast >= valid * 0.99  # and it does take (almost) every valid rule


@pytest.mark.parametrize(
    "text",
    [
        "channel sms and",
        "channel sms and tag = 'x",
        "channel sms and (tag = 'x'",
        "channel sms and tag = \"\\q\"",
        "channel sms and last interaction on 2026-02-30",
        "channel sms and " + "not " * 300 + "tag = 'x'",
        "channel sms and " + "(" * 300 + "tag = 'x'" + ")" * 300,
        "x" * 70_000,
        "channel sms \ud800",
        "",
    ],
)
def test_fast_path_steps_aside_for_errors(text: str) -> None:
    assert fast_ir(text) is None
    with pytest.raises(RuleError):
        segdsl.parse(text)


def test_parse_uses_the_fast_path_and_keeps_spans() -> None:
    text = (
        "channel sms\n  and tag in ('vip', \"gold\")  # comment\n"
        "  and last interaction between 2026-11-01 and 2026-11-15"
    )
    rule = segdsl.parse(text)
    tag = rule.expr.items[1]
    assert (tag.span.line, tag.span.column) == (2, 7)
    assert _same(fast_ir(text), _lark(text))


def test_keywords_come_from_the_grammar() -> None:
    """One keyword list: the grammar's. The contract's reserved words, each lexed by Lark as its own terminal."""
    assert keywords() == {
        "and": "_AND", "or": "_OR", "not": "NOT", "between": "BETWEEN", "true": "TRUE", "false": "FALSE"
    }
    for word, terminal in keywords().items():
        for spelling in (word, word.upper(), word.title()):
            assert [t.type for t in parser().lex(spelling)] == [terminal]


def test_fast_lexer_is_built_from_lark_terminals() -> None:
    """Every terminal the parser knows is a group of the fast token regex, or a keyword retyped from WORD."""
    token_re, table = _lexer()
    groups = set(token_re.groupindex)
    for t in parser().terminals:
        if t.name in parser().ignore_tokens:
            continue
        assert t.name in groups or t.name in table.values(), t.name
    assert groups - {t.name for t in parser().terminals} == {"_SKIP", "_EOF"}


@pytest.mark.parametrize("key", ["and", "NOT", "between", "True", "false"])
def test_a_keyword_field_key_is_quoted(key: str) -> None:
    assert segdsl.format(segdsl.parse(f'channel sms and field "{key}" = 1')) == f'channel sms and field "{key}" = 1'
