"""Invalid rules: a snapshot corpus of rendered errors (PRQL style).

``tests/errors/NAME.seg`` holds a rule and ``tests/errors/NAME.txt`` the exact
``RuleError.render()`` output for it. Rules too big to keep as files are made
by ``GENERATED`` below; their snapshots live beside the others.

Rewrite the snapshots after a deliberate change of wording with::

    SEGDSL_UPDATE_SNAPSHOTS=1 pytest tests/test_errors.py

and read the diff before committing it.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import segdsl
from segdsl.lang.errors import RuleError

ERRORS = Path(__file__).resolve().parent / "errors"
UPDATE = os.environ.get("SEGDSL_UPDATE_SNAPSHOTS", "") not in ("", "0")


def _too_long() -> str:
    """About 200 KB of valid-looking rule: over the 64 KiB limit."""
    tags = " or ".join(f'tag = "t{i:05}"' for i in range(12_500))
    return f"channel sms and ({tags})"


GENERATED: dict[str, Callable[[], str]] = {
    "deep_parens": lambda: "channel sms and " + "(" * 10_000 + 'tag = "x"' + ")" * 10_000,
    "deep_parens_unclosed": lambda: "channel sms and " + "(" * 10_000,
    "deep_closing_parens": lambda: 'channel sms and tag = "x"' + ")" * 10_000,
    "deep_not": lambda: "channel sms and " + "not " * 10_000 + 'tag = "x"',
    "deep_not_parens": lambda: "channel sms and " + "not (" * 5_000 + 'tag = "x"' + ")" * 5_000,
    "too_long": _too_long,
    "too_long_one_line_string": lambda: 'channel sms and tag = "' + "x" * 70_000 + '"',
}


def _source(name: str) -> str:
    if name in GENERATED:
        return GENERATED[name]()
    # bytes, so that CRLF line endings reach the parser as written
    return (ERRORS / f"{name}.seg").read_bytes().decode("utf-8")


CASES = sorted({p.stem for p in ERRORS.glob("*.seg")} | set(GENERATED))


def _render(text: str) -> tuple[RuleError, float]:
    start = time.perf_counter()
    try:
        segdsl.parse(text)
    except RuleError as err:
        return err, time.perf_counter() - start
    pytest.fail("the rule parsed, but it is in the invalid-rule corpus")


@pytest.mark.parametrize("name", CASES)
def test_snapshot(name: str) -> None:
    err, elapsed = _render(_source(name))
    rendered = err.render() + "\n"
    snapshot = ERRORS / f"{name}.txt"
    if UPDATE:
        snapshot.write_text(rendered, encoding="utf-8", newline="")
    assert snapshot.exists(), f"no snapshot {snapshot.name}: run with SEGDSL_UPDATE_SNAPSHOTS=1"
    assert rendered == snapshot.read_bytes().decode("utf-8")
    assert elapsed < 1.0, f"{name} took {elapsed:.2f}s"


def test_no_orphan_snapshots() -> None:
    orphans = sorted(p.name for p in ERRORS.glob("*.txt") if p.stem not in CASES)
    assert not orphans


# The properties each snapshot must keep whatever its wording: what the user
# must read in the message or the hints.
MUST_SAY = {
    "missing_channel": ["no `channel`"],
    "channel_under_or": ["top-level", "`or`"],
    "channel_under_not": ["top-level", "`not`"],
    "channel_in_group": ["top-level"],
    "two_channels": ["more than one `channel`"],
    "channel_misspelled": ["unknown channel `whatsap`", "did you mean `whatsapp`?"],
    "gender_misspelled": ["unknown gender `femal`", "did you mean `female`?"],
    "unit_misspelled": ["a unit", "found `dayz`", "did you mean `days`?"],
    "keyword_misspelled": ["`adn`", "did you mean `and`?"],
    "keyword_misspelled_or": ["`ro`", "did you mean `or`?"],
    "subject_misspelled": ["unknown condition `gendr`", "did you mean `gender`?"],
    "subject_misspelled_phrase": ["did you mean `last interaction`?"],
    "unterminated_string": ["unterminated string"],
    "unterminated_single_quote": ["unterminated string", "close the string with '"],
    "dangling_and": ["ends too early", "a condition", "after `and`"],
    "dangling_or_multiline": ["ends too early", "a condition", "after `or`"],
    "within_words": ["expected a number", "found `seven`"],
    "empty": ["the rule is empty"],
    "blank": ["the rule is empty"],
    "comment_only": ["the rule is empty"],
    "impossible_date": ["`2026-02-30` is not a real date"],
    "impossible_time": ["`25:00` is not a real time of day"],
    "ordering_with_string": ["numbers only", 'found `"a"`'],
    "unclosed_paren": ["expected `)`", "never closed"],
    "unclosed_paren_multiline": ["expected `)`", "the `(` at 2:7 is never closed"],
    "unopened_paren": ["unbalanced `)`"],
    "unopened_paren_later": ["unbalanced `)`"],
    "empty_parens": ["expected a condition", "found `)`"],
    "deep_parens": ["deeper than 200"],
    "deep_parens_unclosed": ["deeper than 200"],
    "deep_not": ["deeper than 200"],
    "deep_not_parens": ["deeper than 200"],
    "too_long": ["64 KiB"],
    "too_long_one_line_string": ["64 KiB"],
    "bare_tag": ["a quoted tag", "the bare word `vip`", '"vip"'],
    "bare_name": ['"Asha"'],
    "empty_in_list": ["at least one value"],
    "list_trailing_comma": ["found `)`", "remove the `,`"],
    "list_missing_comma": ["expected `,` or `)`"],
    "stray_comma": ["unexpected `,`", "`and`, `or`"],
    "bad_escape": ["unknown escape `\\q`"],
    "typographic_quotes": ["typographic quote"],
    "keyword_as_field_key": ['field "and"'],
    "missing_value": ["expected a quoted tag"],
    "missing_operator": ["expected `is`", 'found `"Asha"`'],
    "isnt_without_apostrophe": ["did you mean `isn't`?"],
    "error_on_third_line": ["4:", "unknown gender `mail`", "did you mean `male`?"],
    "crlf_line_endings": ["3:14:"],
}


@pytest.mark.parametrize("name", sorted(MUST_SAY))
def test_snapshot_says(name: str) -> None:
    err, _ = _render(_source(name))
    rendered = err.render()
    for phrase in MUST_SAY[name]:
        assert phrase in rendered, f"{name}: {phrase!r} not in\n{rendered}"


# Lark's names for its terminals and rules: never shown to a user.
LARK_NAMES = re.compile(
    r"\$END|\b_?(?:WORD|AND|OR|NOT|OP|ISNT|LPAR|RPAR|COMMA|STRING|NUMBER|DATE|DATETIME|TIME|TRUE|FALSE|BETWEEN"
    r"|COMMENT|WS)\b|\b(?:or_expr|and_expr|not_expr|condition:|negation|__ANON|Token\(|Tree\()"
)


def _words_for_users(rendered: str) -> list[str]:
    """The message and hint lines of a rendered error, without the source line and `quoted` user text."""
    lines = rendered.splitlines()
    ours = [lines[0].split(": ", 1)[1]] + [line for line in lines[1:] if line.startswith("  hint: ")]
    return [re.sub(r"`[^`]*`", "``", line) for line in ours]


@pytest.mark.parametrize("name", CASES)
def test_no_lark_names(name: str) -> None:
    err, _ = _render(_source(name))
    for line in _words_for_users(err.render()):
        assert not LARK_NAMES.search(line), line
    for word in err.expected:
        assert not LARK_NAMES.search(word), word


def test_every_snapshot_is_free_of_lark_names() -> None:
    """The stored snapshots themselves (as a reviewer reads them)."""
    snapshots = sorted(ERRORS.glob("*.txt"))
    assert len(snapshots) >= 60
    for path in snapshots:
        for line in _words_for_users(path.read_text(encoding="utf-8")):
            assert not LARK_NAMES.search(line), f"{path.name}: {line}"


def test_rendered_shape() -> None:
    """`line:col: message`, the source line, a caret under the token, then hints."""
    err, _ = _render("channel sms\n  and gender is femal\n")
    assert err.render() == (
        "2:17: unknown gender `femal`\n"
        "    and gender is femal\n"
        "                  ^^^^^\n"
        "  hint: did you mean `female`?\n"
        "  hint: genders are female, male and other"
    )
    assert (err.line, err.column) == (2, 17)
    assert str(err) == err.render()
    data = err.to_json()
    assert data["message"] == "unknown gender `femal`" and data["line"] == 2 and data["column"] == 17


@pytest.mark.parametrize("name", ["deep_parens", "deep_not", "deep_not_parens", "too_long"])
def test_big_inputs_are_fast(name: str) -> None:
    err, elapsed = _render(_source(name))
    assert elapsed < 1.0
    assert "deeper" in err.message or "64 KiB" in err.message


@pytest.mark.parametrize(
    "text",
    [
        "channel sms and not" + " " * 5_000 + 'tag = "x" and not tag = "y" and',
        "channel sms and (" + "\n" * 5_000 + 'tag = "x") and not tag = "y" and',
        "channel sms and not" + " #a#b#c#d#e#f#g#h#i#j#k#l#m#n#o#p#q#r#s#t\n" * 200 + 'x = 1 and not tag = "y" and',
    ],
)
def test_whitespace_and_comments_cost_linear_time(text: str) -> None:
    """The run-of-`not` check looks at the text between tokens: never backtracking over it.

    (Each rule ends in a dangling `and`, so that the Lark parser, not the fast path, reads it.)
    """
    start = time.perf_counter()
    with pytest.raises(RuleError, match="ends too early"):
        segdsl.parse(text)
    assert time.perf_counter() - start < 1.0


def test_depth_limit_is_exact() -> None:
    """200 levels parse; 201 do not."""
    ok = "channel sms and " + "(" * 200 + 'tag = "x"' + ")" * 200
    assert segdsl.parse(ok) == segdsl.parse('channel sms and tag = "x"')
    with pytest.raises(RuleError, match="deeper than 200"):
        segdsl.parse("channel sms and " + "(" * 201 + 'tag = "x"' + ")" * 201)
    # `channel sms and` is level 1, so 199 `not`s stay within 200 levels
    assert segdsl.parse("channel sms and " + "not " * 198 + 'tag = "x"')
    with pytest.raises(RuleError, match="deeper than 200"):
        segdsl.parse("channel sms and " + "not " * 200 + 'tag = "x"')


def test_size_limit_is_in_utf8_bytes() -> None:
    head = 'channel sms and tag = "'
    fits = head + "x" * (64 * 1024 - len(head) - 1) + '"'
    assert segdsl.parse(fits)
    with pytest.raises(RuleError, match="64 KiB"):
        segdsl.parse(head + "\u00e9" * (32 * 1024) + '"')  # 2 bytes each in UTF-8


def test_only_str_is_accepted() -> None:
    with pytest.raises(TypeError):
        segdsl.parse(b"channel sms")  # type: ignore[arg-type]


def test_lone_surrogate_in_the_text() -> None:
    """Bytes decoded with surrogateescape are rejected, and the error still renders as UTF-8."""
    text = b'channel sms and tag = "caf\xe9"'.decode("utf-8", "surrogateescape")
    err, _ = _render(text)
    assert "not valid Unicode" in err.message
    err.render().encode("utf-8")


def test_errors_carry_the_source() -> None:
    err, _ = _render("channel sms and tag = vip")
    assert err.source == "channel sms and tag = vip"
