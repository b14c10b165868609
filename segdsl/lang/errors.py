"""Errors are data: a span plus a message and hints, rendered separately.

>>> from segdsl.lang.errors import RuleError, Span
>>> err = RuleError("unknown channel `whatsap`", Span(1, 9, 8, 15),
...                 hints=("did you mean `whatsapp`?",), source="channel whatsap")
>>> print(err.render())
1:9: unknown channel `whatsap`
  channel whatsap
          ^^^^^^^
  hint: did you mean `whatsapp`?
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """Where a node or token sits in the rule text.

    ``line`` and ``column`` are 1-based; ``start`` and ``end`` are 0-based
    character offsets, ``end`` exclusive.
    """

    line: int
    column: int
    start: int
    end: int

    def to_json(self) -> dict[str, int]:
        return {"line": self.line, "column": self.column, "start": self.start, "end": self.end}

    @classmethod
    def from_json(cls, data: dict[str, int]) -> Span:
        return cls(int(data["line"]), int(data["column"]), int(data["start"]), int(data["end"]))

    @classmethod
    def at(cls, text: str, start: int, end: int | None = None) -> Span:
        """The span of ``text[start:end]``, computing line and column."""
        end = start if end is None else end
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        return cls(line, column, start, end)

    def cover(self, other: Span) -> Span:
        """The smallest span holding both."""
        first = self if self.start <= other.start else other
        return Span(first.line, first.column, first.start, max(self.end, other.end))


NO_SPAN = Span(1, 1, 0, 0)


@dataclass
class RuleError(Exception):
    """An invalid rule: the one error type of the front end.

    It carries ``line``, ``column``, ``message`` and ``hints``; ``render()``
    gives ``line:col: message``, the source line and a caret under the token.
    """

    message: str
    span: Span = NO_SPAN
    hints: tuple[str, ...] = ()
    source: str | None = None
    expected: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        super().__init__(self.message)

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    def with_source(self, source: str) -> RuleError:
        """Attach the rule text (kept once the error leaves the parser)."""
        if self.source is None:
            self.source = source
        return self

    def __str__(self) -> str:
        return self.render()

    def render(self) -> str:
        """``line:col: message``, the source line, a caret, then the hints."""
        out = [f"{self.span.line}:{self.span.column}: {self.message}"]
        if self.source is not None:
            lines = self.source.split("\n")
            if 0 < self.span.line <= len(lines):
                text = lines[self.span.line - 1].rstrip("\r")
                col = min(self.span.column - 1, len(text))
                shown, offset, room = _window(text, col)
                out.append("  " + _printable(shown))
                width = max(1, min(self.span.end - self.span.start, len(text) - col, room))
                # in terminal columns: wide (CJK, emoji) characters take two, combining marks none
                pad = _columns(shown[:offset])
                carets = max(1, _columns(shown[offset : offset + width]))
                out.append("  " + " " * pad + "^" * carets)
        out.extend(f"  hint: {hint}" for hint in self.hints)
        return "\n".join(out)

    def to_json(self) -> dict[str, object]:
        return {
            "message": self.message,
            "line": self.span.line,
            "column": self.span.column,
            "start": self.span.start,
            "end": self.span.end,
            "hints": list(self.hints),
            "expected": list(self.expected),
        }


def _window(line: str, col: int, width: int = 100) -> tuple[str, int, int]:
    """Cut a long source line around ``col`` so the caret stays readable.

    Returns the text to show, the caret's offset in it and how many columns
    of source text the caret may underline (never a "..." marker).
    """
    if len(line) <= width:
        return line, col, max(1, len(line) - col)
    start = max(0, min(col - width // 2, len(line) - width))
    shown = line[start : start + width]
    prefix = "..." if start > 0 else ""
    suffix = "..." if start + width < len(line) else ""
    return prefix + shown + suffix, col - start + len(prefix), max(1, start + width - col)


def _columns(text: str) -> int:
    """How many terminal columns ``text`` takes (as shown by ``_printable``)."""
    total = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf") and ch.isprintable():
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def _printable(text: str) -> str:
    """The source line as shown under an error: one visible column per character."""
    return "".join(ch if ch.isprintable() else (" " if ch == "\t" else "\ufffd") for ch in text)


def did_you_mean(word: str, options: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The closest option to a misspelled ``word``, if any is close.

    Two swapped neighbouring letters count as close however short the word.

    >>> did_you_mean("whatsap", ["whatsapp", "sms"])
    'whatsapp'
    >>> did_you_mean("ro", ["and", "or"])
    'or'
    """
    lowered = {opt.lower(): opt for opt in options}
    low = word.lower()
    found = difflib.get_close_matches(low, list(lowered), n=1, cutoff=cutoff)
    if found:
        return lowered[found[0]]
    for i in range(len(low) - 1):
        swapped = low[:i] + low[i + 1] + low[i] + low[i + 2 :]
        if swapped != low and swapped in lowered:
            return lowered[swapped]
    return None


def one_of(items: Iterable[str]) -> str:
    """Join alternatives in the user's words.

    >>> one_of(["`and`", "`or`", "`)`"])
    '`and`, `or` or `)`'
    """
    items = list(dict.fromkeys(items))
    if not items:
        return "nothing"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]
