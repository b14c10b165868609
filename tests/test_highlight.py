"""Highlighting: the Pygments lexer follows the grammar's terminals, and the CLI colours only when asked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Error, Keyword, Name, Operator

from segdsl.cli import cli
from segdsl.highlight import TERMINAL_TOKENS, SegdslLexer, _lexer, highlight, use_color

RULES = sorted((Path(__file__).resolve().parent.parent / "examples" / "rules").glob("*.seg"))


def tokens(text: str) -> list[tuple[object, str]]:
    return [(t, v) for _, t, v in SegdslLexer().get_tokens_unprocessed(text)]


def test_every_grammar_terminal_has_a_token_type():
    names = {t.name for t in _lexer().terminals}
    assert names - {"WORD"} == set(TERMINAL_TOKENS), "a grammar terminal has no highlight token (or one was removed)"


@pytest.mark.parametrize("path", RULES, ids=lambda p: p.stem)
def test_corpus_lexes_without_errors_and_loses_nothing(path: Path):
    text = path.read_text(encoding="utf-8")
    toks = tokens(text)
    assert "".join(v for _, v in toks) == text
    assert all(t is not Error for t, _ in toks)


def test_subject_phrases_operator_words_and_keywords():
    toks = [(t, v) for t, v in tokens('channel sms and not last interaction within 7 days or name starts with "a"')
            if v.strip()]
    assert toks[:3] == [(Name.Function, "channel"), (Name, "sms"), (Keyword, "and")]
    assert (Name.Function, "last") in toks and (Name.Function, "interaction") in toks
    assert (Operator.Word, "within") in toks and (Operator.Word, "days") in toks
    assert (Operator.Word, "starts") in toks and (Name.Function, "name") in toks


def test_a_bad_character_is_an_error_token_and_lexing_goes_on():
    toks = [(t, v) for t, v in tokens("channel sms and § tag is 'x'") if v.strip()]
    assert (Error, "§") in toks
    assert (Name.Function, "tag") in toks


def test_registered_with_pygments():
    assert isinstance(get_lexer_by_name("segdsl"), SegdslLexer)
    assert isinstance(get_lexer_for_filename("rule.seg"), SegdslLexer)


def test_highlight_adds_ansi_and_keeps_the_text():
    out = highlight('channel sms and tag = "vip"')
    assert "\x1b[" in out
    assert re.sub(r"\x1b\[[0-9;]*m", "", out) == 'channel sms and tag = "vip"'


class _Tty:
    def isatty(self) -> bool:
        return True


def test_use_color_follows_no_color(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color("auto", _Tty()) is True
    assert use_color("never", _Tty()) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color("auto", _Tty()) is False
    assert use_color("always", _Tty()) is True


@pytest.mark.parametrize(
    ("args", "coloured"), [(["--color", "always"], True), (["--color", "never"], False), ([], False)]
)
def test_fmt_colours_only_when_asked(args: list[str], coloured: bool):
    result = CliRunner().invoke(cli, ["fmt", "channel SMS and TAG = 'vip'", *args])
    assert result.exit_code == 0
    assert ("\x1b[" in result.output) is coloured
    if not coloured:
        assert result.output == 'channel sms and tag is "vip"\n'
