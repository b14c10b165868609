"""TermReader: how a plugin reads the terms of one condition, with good errors.

A plugin gets the terms that follow its subject phrase and reads them in
order; every ``expect_*`` names what it wanted in the user's words.

>>> from segdsl.lang.terms import reader_for
>>> r = reader_for('tag in ("vip", "gold")')
>>> r.subject, r.expect_operator({"in"})
('tag', 'in')
>>> [v.value for v in r.expect_list(("string",), "a quoted string")]
['vip', 'gold']
>>> r.expect_end()
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import NoReturn

from segdsl.lang import ir
from segdsl.lang.errors import RuleError, Span, did_you_mean, one_of

# Operators in canonical form. "is" and "=" are the same; so are the
# four spellings of "isn't".
OPERATOR_WORDS = {
    "is": "`is`",
    "isnt": "`isn't`",
    "in": "`in`",
    "unknown": "`is unknown`",
    "known": "`is known`",
    "contains": "`contains`",
    "starts_with": "`starts with`",
    "ends_with": "`ends with`",
    "lt": "`<`",
    "le": "`<=`",
    "gt": "`>`",
    "ge": "`>=`",
}
SYMBOLS = {"=": "is", "!=": "isnt", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
KIND_WORDS = {
    "string": "a quoted string",
    "number": "a number",
    "boolean": "`true` or `false`",
    "date": "a date (2026-11-01)",
    "datetime": "a date-time (2026-11-01T14:30)",
    "time": "a time of day (09:00)",
    "word": "a word",
}
UNIT_NAMES = {u: u for u in ir.UNITS} | {u[:-1]: u for u in ir.UNITS}
END_WORDS = ("`and`", "`or`", "`)`", "the end of the rule")


class TermReader:
    """Reads the terms after a condition's subject phrase."""

    def __init__(
        self, subject: str, subject_span: Span, terms: Sequence[ir.Term], span: Span, head: str | None = None
    ) -> None:
        self.subject = subject
        self.subject_span = subject_span
        self.terms = tuple(terms)
        self.span = span  # the whole condition
        self.pos = 0
        self.head = head  # for the items of a list: the condition text up to its "("

    # ------------------------------------------------------------ looking

    def peek(self, ahead: int = 0) -> ir.Term | None:
        i = self.pos + ahead
        return self.terms[i] if i < len(self.terms) else None

    def at_end(self) -> bool:
        return self.pos >= len(self.terms)

    def take(self) -> ir.Term:
        tok = self.terms[self.pos]
        self.pos += 1
        return tok

    def is_word(self, *words: str, ahead: int = 0) -> bool:
        tok = self.peek(ahead)
        return tok is not None and tok.kind == "word" and tok.text.lower() in words

    def accept_words(self, *phrase: str) -> ir.Term | None:
        """Consume a phrase of bare words (case-insensitive) if it is next."""
        if all(self.is_word(w, ahead=i) for i, w in enumerate(phrase)):
            first = self.terms[self.pos]
            self.pos += len(phrase)
            return first
        return None

    def read_so_far(self) -> str:
        """The condition text read so far, for "after `...`" in messages."""
        if self.head is not None:  # inside a list: `tag in ("a", "b",`
            items = [t.text for t in self.terms[: self.pos]]
            return self.head + ", ".join(items) + ("," if items else "")
        parts = [self.subject] + [t.text for t in self.terms[: self.pos]]
        return " ".join(parts)

    def list_reader(self, tok: ir.Term) -> TermReader:
        """A reader over the items of the list term ``tok`` (just taken)."""
        head = " ".join([self.subject] + [t.text for t in self.terms[: self.pos - 1]]) + " ("
        return TermReader(self.subject, self.subject_span, tok.items, tok.span, head=head)

    # ------------------------------------------------------------ errors

    def fail(
        self, message: str, term: ir.Term | None = None, hints: Iterable[str] = (), expected: Iterable[str] = ()
    ) -> NoReturn:
        """Raise a RuleError pointing at ``term`` (default: the next term, or the end)."""
        raise RuleError(message, self.where(term), hints=tuple(hints), expected=tuple(expected))

    def where(self, term: ir.Term | None = None) -> Span:
        if term is not None:
            return term.span
        nxt = self.peek()
        if nxt is not None:
            return nxt.span
        # just after the last term read (or the subject phrase)
        last = self.terms[self.pos - 1] if self.pos else None
        at = last.span if last is not None else self.subject_span
        if last is not None and "\n" in last.text:  # a list or range written over several lines
            line, column = at.line + last.text.count("\n"), len(last.text) - last.text.rfind("\n")
        else:
            line, column = at.line, at.column + (at.end - at.start)
        return Span(line, column, at.end, at.end + 1)

    def expected(self, what: Sequence[str], options: Iterable[str] = ()) -> NoReturn:
        """Fail with "expected WHAT after `...`, found X" and a did-you-mean."""
        want = one_of(what)
        nxt = self.peek()
        after = self.read_so_far()
        if nxt is None:
            self.fail(f"expected {want} after `{after}`", expected=what)
        hints = []
        if nxt.kind == "word":
            words = [o.strip("`") for o in options] or [w.strip("`") for w in what if w.startswith("`")]
            guess = did_you_mean(nxt.text, [w for w in words if " " not in w] + [w.split(" ")[0] for w in words])
            if guess and guess.lower() != nxt.text.lower():
                hints.append(f"did you mean `{guess}`?")
        self.fail(f"expected {want} after `{after}`, found {nxt.describe()}", nxt, hints=hints, expected=what)

    def expect_end(self) -> None:
        """The condition must stop here."""
        if self.at_end():
            return
        nxt = self.terms[self.pos]
        hints = []
        if nxt.kind == "word":
            guess = did_you_mean(nxt.text, ["and", "or"])
            if guess:
                hints.append(f"did you mean `{guess}`?")
        self.fail(
            f"unexpected {nxt.describe()} after `{self.read_so_far()}`: expected {one_of(END_WORDS)}",
            nxt,
            hints=hints,
            expected=END_WORDS,
        )

    # ------------------------------------------------------------ reading

    def accept_operator(self, allowed: Iterable[str]) -> str | None:
        """Read an operator into canonical form, or return None if none is next.

        Canonical forms: is, isnt, in, unknown, known, contains, starts_with,
        ends_with, lt, le, gt, ge. ``is unknown``/``is known`` (and their
        ``isn't`` forms) are read as one operator.
        """
        allowed = set(allowed)
        tok = self.peek()
        if tok is None:
            return None
        op: str | None = None
        width = 1
        if tok.kind == "op" and tok.text in SYMBOLS:
            op = SYMBOLS[tok.text]
        elif tok.kind == "isnt":
            op = "isnt"
        elif tok.kind == "word":
            low = tok.text.lower()
            if low == "is":
                op = "is"
                if self.peek(1) is not None and self.peek(1).kind == "not":  # type: ignore[union-attr]
                    op, width = "isnt", 2
            elif low in ("in", "contains"):
                op = low
            elif low in ("starts", "ends") and self.is_word("with", ahead=1):
                op, width = f"{low}_with", 2
        if op is None:
            return None
        if op in ("is", "isnt") and self.is_word("unknown", "known", ahead=width):
            word = self.terms[self.pos + width].text.lower()
            known = (word == "known") == (op == "is")
            candidate = "known" if known else "unknown"
            if candidate in allowed:
                self.pos += width + 1
                return candidate
        if op not in allowed:
            return None
        self.pos += width
        return op

    def expect_operator(self, allowed: Iterable[str]) -> str:
        allowed = list(allowed)
        op = self.accept_operator(allowed)
        if op is None:
            words = [OPERATOR_WORDS[o] for o in allowed]
            self.expected(words)
        return op

    def expect_value(self, kinds: Sequence[str], what: str | None = None) -> ir.Value:
        """Read one value whose kind is among ``kinds`` (see ir.VALUE_TYPES)."""
        want = what or one_of(KIND_WORDS[k] for k in kinds)
        tok = self.peek()
        if tok is not None and tok.value is not None and tok.value.kind in kinds:
            self.pos += 1
            return tok.value
        if tok is not None and tok.kind == "word" and "string" in kinds:
            self.fail(
                f"expected {want} after `{self.read_so_far()}`, found the bare word `{tok.text}`",
                tok,
                hints=(f'put text in quotes: "{tok.text}"',),
                expected=(want,),
            )
        self.expected([want])

    def expect_list(self, kinds: Sequence[str], what: str) -> tuple[ir.Value, ...]:
        """Read ``( v1, v2, ... )`` with at least one value of the given kinds."""
        tok = self.peek()
        if tok is None or tok.kind != "list":
            self.expected(['a list like ("a", "b")'])
        self.pos += 1
        if not tok.items:
            self.fail("an `in` list needs at least one value", tok)
        inner = self.list_reader(tok)
        values = []
        while not inner.at_end():
            values.append(inner.expect_value(kinds, what))
        return tuple(values)

    def expect_number(self, what: str = "a number") -> ir.Number:
        value = self.expect_value(("number",), what)
        assert isinstance(value, ir.Number)
        return value

    def expect_duration(self) -> ir.Duration:
        """Read ``N unit`` (minutes, hours, days, weeks; singular or plural)."""
        number = self.peek()
        if number is not None and number.kind == "word":
            self.fail(
                f"expected a number after `{self.read_so_far()}`, found `{number.text}`",
                number,
                hints=(f"write the amount in digits: `{self.read_so_far()} 7 days`",),
                expected=("a number",),
            )
        amount = self.expect_number("a number")
        if amount.value < 0:
            self.fail("a time window cannot be negative", self.terms[self.pos - 1])
        unit = self.peek()
        if unit is None or unit.kind != "word" or unit.text.lower() not in UNIT_NAMES:
            self.expected(["a unit (`minutes`, `hours`, `days` or `weeks`)"], options=list(ir.UNITS))
        self.pos += 1
        return ir.Duration(
            Decimal(amount.value), UNIT_NAMES[unit.text.lower()], span=amount.span.cover(unit.span)
        )


def reader_for(text: str) -> TermReader:
    """A reader over the terms of one condition, for tests and doctests."""
    from segdsl.lang.build import build_ir
    from segdsl.lang.syntax import parse_tree

    rule = build_ir(parse_tree(text), text)
    raw = rule.expr
    assert isinstance(raw, ir.RawCondition)
    first = raw.terms[0]
    return TermReader(first.text.lower(), first.span, raw.terms[1:], raw.span)
