"""Personal details: `name`, `email`, `number` and `gender`.

Text compares case-insensitively; `number` also ignores spaces, hyphens,
dots, parentheses and plus signs on both sides. `isn't` is `not is`, so it
includes customers whose value is unknown.

>>> import segdsl
>>> c = segdsl.parse('channel sms and number is "+91 98765-43210"').expr.items[1]
>>> c.subject, c.op, c.values[0].value
('number', 'is', '+91 98765-43210')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlglot import exp

from segdsl.families.formatter import OPERATOR_TEXT, list_text, value_text
from segdsl.families.hookspecs import hookimpl
from segdsl.families.settings import Settings
from segdsl.lang import ir
from segdsl.lang.errors import did_you_mean
from segdsl.lang.terms import TermReader
from segdsl.lang.textops import PHONE_NOISE, SUBSTRING_TESTS, fold, is_blank, normalize_phone
from segdsl.sql import context as sqlgen
from segdsl.sql.context import SqlContext

GENDERS = ("female", "male", "other")
TEXT_OPERATORS = ("is", "isnt", "in", "unknown", "known", "contains", "starts_with", "ends_with")
GENDER_OPERATORS = ("is", "isnt", "in", "unknown", "known")
# subject -> column role in the customers table
COLUMNS = {"name": "name", "email": "email", "number": "phone", "gender": "gender"}


@hookimpl
def segdsl_subjects() -> list[str]:
    return list(COLUMNS)


def _gender(reader: TermReader) -> ir.Value:
    tok = reader.peek()
    if tok is None or not (tok.kind == "word" or (tok.value is not None and tok.value.kind == "string")):
        reader.expected(["a gender (female, male or other)"])
    reader.take()
    text = str(tok.value.value if tok.value is not None else tok.text)
    if text.lower() not in GENDERS:
        guess = did_you_mean(text, GENDERS)
        hints = [f"did you mean `{guess}`?"] if guess else []
        hints.append("genders are female, male and other")
        reader.fail(f"unknown gender `{text}`", tok, hints=hints)
    return ir.Word(text.lower(), span=tok.span)


def _check_text(subject: str, op: str, value: ir.Value, reader: TermReader) -> None:
    text = str(value.value)
    if subject == "number" and not normalize_phone(text):
        reader.fail(
            "this number has no digits or letters left once spaces, hyphens, dots, parentheses and plus signs "
            "are removed",
            _term_at(reader, value),
        )
    if op in ("is", "isnt", "in") and is_blank(text):
        reader.fail(
            f'`""` is not a {subject}: an empty {subject} counts as unknown',
            _term_at(reader, value),
            hints=(f"to find customers without a {subject}, write `{subject} is unknown`",),
        )
    if not text:
        reader.fail("an empty text matches every value", _term_at(reader, value))


def _term_at(reader: TermReader, value: ir.Value) -> ir.Term:
    return ir.Term("value", "", value.span)


@hookimpl
def segdsl_parse_condition(subject: str, reader: TermReader, settings: Settings) -> ir.Condition:
    if subject == "gender":
        op = reader.expect_operator(GENDER_OPERATORS)
        if op == "in":
            tok = reader.peek()
            if tok is None or tok.kind != "list":
                reader.expected(["a list like (female, other)"])
            reader.take()
            if not tok.items:
                reader.fail("an `in` list needs at least one value", tok)
            inner = reader.list_reader(tok)
            values: tuple[ir.Value, ...] = ()
            while not inner.at_end():
                values += (_gender(inner),)
        elif op in ("is", "isnt"):
            values = (_gender(reader),)
        else:
            values = ()
        return ir.Condition("personal", subject, op, values, span=reader.span)
    op = reader.expect_operator(TEXT_OPERATORS)
    what = f"a quoted {'phone number' if subject == 'number' else subject}"
    if op == "in":
        values = reader.expect_list(("string",), what)
    elif op in ("unknown", "known"):
        values = ()
    else:
        values = (reader.expect_value(("string",), what),)
    for value in values:
        _check_text(subject, op, value, reader)
    return ir.Condition("personal", subject, op, values, span=reader.span)


@hookimpl
def segdsl_format_condition(condition: ir.Condition) -> str:
    subject, op = condition.subject, condition.op
    if op == "in":
        return f"{subject} in {list_text(condition.values)}"
    if op in ("unknown", "known"):
        return f"{subject} {OPERATOR_TEXT[op]}"
    return f"{subject} {OPERATOR_TEXT[op]} {value_text(condition.values[0])}"


def _normalizer(subject: str) -> Callable[[str], str]:
    return normalize_phone if subject == "number" else fold


def _wanted(condition: ir.Condition) -> list[str]:
    norm = _normalizer(condition.subject)
    return sorted({norm(str(v.value)) for v in condition.values})


@hookimpl
def segdsl_sql_cost(condition: ir.Condition) -> int:
    """A test on the customer's own row: no look-up."""
    return 0


@hookimpl
def segdsl_sql_condition(condition: ir.Condition, ctx: SqlContext) -> exp.Expression:
    subject, op = condition.subject, condition.op
    column = ctx.customer(COLUMNS[subject])
    if op == "unknown":
        return ctx.is_blank(column)
    if op == "known":
        return sqlgen.not_(ctx.is_blank(column))
    value: exp.Expression = column
    if subject == "number":
        for ch in PHONE_NOISE:
            value = exp.Anonymous(this="REPLACE", expressions=[value, exp.Literal.string(ch), exp.Literal.string("")])
    wanted = _wanted(condition)
    if op in ("is", "isnt", "in"):
        pred = sqlgen.and_(sqlgen.not_(exp.Is(this=column, expression=exp.Null())), ctx.fold_in(value, wanted))
        return sqlgen.not_(pred) if op == "isnt" else pred
    return sqlgen.and_(sqlgen.not_(ctx.is_blank(column)), ctx.text_test(op, ctx.lower(value), wanted[0]))


@hookimpl
def segdsl_python_condition(condition: ir.Condition, ctx: Any) -> Any:
    subject, op = condition.subject, condition.op
    key = "phone" if subject == "number" else subject
    norm = _normalizer(subject)

    def get(view: Any) -> str | None:
        value = view.rec.get(key)
        return value if value is None or isinstance(value, str) else str(value)

    if op == "unknown":
        return lambda view: is_blank(get(view))
    if op == "known":
        return lambda view: not is_blank(get(view))
    wanted = _wanted(condition)
    if op in ("is", "isnt", "in"):
        targets = frozenset(wanted)

        def equals(view: Any) -> bool:
            value = get(view)
            return value is not None and norm(value) in targets

        return (lambda view: not equals(view)) if op == "isnt" else equals
    needle = wanted[0]
    found = SUBSTRING_TESTS[op]

    def test(view: Any) -> bool:
        value = get(view)
        if is_blank(value):
            return False
        return found(norm(value), needle)  # type: ignore[arg-type]

    return test
