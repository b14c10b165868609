"""Custom fields: `field KEY OP VALUE` and the shorthand `field KEY:VALUE`.

KEY is case-sensitive. Text compares case-insensitively on the trimmed
value; numbers compare only when the stored value "is a number" (after
trimming spaces it matches ``[+-]?[0-9]+(\\.[0-9]+)?``).

>>> import segdsl
>>> c = segdsl.parse("channel sms and field returningUser:true").expr.items[1]
>>> c.key.value, c.op, c.values
('returningUser', 'is', (Boolean(value=True),))
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlglot import exp

from segdsl.families.formatter import OPERATOR_TEXT, list_text, quote, value_text
from segdsl.families.hookspecs import hookimpl
from segdsl.families.settings import Settings
from segdsl.lang import ir
from segdsl.lang.terms import TermReader
from segdsl.lang.textops import SUBSTRING_TESTS, fold, is_blank, is_number, trim
from segdsl.sql import context as sqlgen
from segdsl.sql.context import SqlContext

OPERATORS = ("is", "isnt", "in", "unknown", "known", "contains", "starts_with", "ends_with", "lt", "le", "gt", "ge")
ORDERING = ("lt", "le", "gt", "ge")
SYMBOL = {"is": "=", "isnt": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
BARE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
RESERVED = {"and", "or", "not", "between", "true", "false"}
EQUALITY_KINDS = ("string", "number", "boolean")
EQUALITY_WORDS = "a quoted string, a number or `true`/`false`"


@hookimpl
def segdsl_subjects() -> list[str]:
    return ["field"]


def _key(reader: TermReader) -> ir.Value:
    tok = reader.peek()
    if tok is not None and tok.kind == "word":
        reader.take()
        return ir.Text(tok.text, span=tok.span)
    if tok is not None and tok.value is not None and tok.value.kind == "string":
        reader.take()
        if not tok.value.value:  # type: ignore[union-attr]
            reader.fail("a custom-field key cannot be empty", tok)
        return ir.Text(str(tok.value.value), span=tok.span)
    hints = []
    if tok is not None and tok.kind in ("not", "value"):
        hints.append(f'to use `{tok.text}` as a key, quote it: `field "{tok.text}" ...`')
    reader.fail(
        f"expected a custom-field key after `field`{', found ' + tok.describe() if tok else ''}",
        tok,
        hints=hints,
        expected=("a custom-field key",),
    )


def _check_equality_value(value: ir.Value, reader: TermReader) -> None:
    if isinstance(value, ir.Text) and is_blank(value.value):
        reader.fail(
            "an empty text never equals a stored value",
            ir.Term("value", "", value.span),
            hints=("to find customers without this field, write `field KEY is unknown`",),
        )


@hookimpl
def segdsl_parse_condition(subject: str, reader: TermReader, settings: Settings) -> ir.Condition:
    key = _key(reader)
    tok = reader.peek()
    if tok is not None and tok.kind == "op" and tok.text == ":":
        reader.take()
        op = "is"
    else:
        op = reader.expect_operator(OPERATORS)
    values: tuple[ir.Value, ...] = ()
    if op == "in":
        values = reader.expect_list(EQUALITY_KINDS, EQUALITY_WORDS)
    elif op in ("is", "isnt"):
        values = (reader.expect_value(EQUALITY_KINDS, EQUALITY_WORDS),)
    elif op in ORDERING:
        nxt = reader.peek()
        if nxt is not None and nxt.value is not None and nxt.value.kind != "number":
            reader.fail(
                f"`{SYMBOL[op]}` compares numbers only, found {nxt.describe()}",
                nxt,
                hints=("use `=`, `contains`, `starts with` or `ends with` for text",),
                expected=("a number",),
            )
        values = (reader.expect_number(),)
    elif op in ("contains", "starts_with", "ends_with"):
        values = (reader.expect_value(("string",), "a quoted string"),)
        if not values[0].value:
            reader.fail("an empty text matches every value", ir.Term("value", "", values[0].span))
    if op in ("is", "isnt", "in"):
        for value in values:
            _check_equality_value(value, reader)
    return ir.Condition("field", "field", op, values, key=key, span=reader.span)


def key_text(key: str) -> str:
    """A key as written: bare when it can be, else quoted."""
    return key if BARE_KEY.fullmatch(key) and key.lower() not in RESERVED else quote(key)


@hookimpl
def segdsl_format_condition(condition: ir.Condition) -> str:
    head = f"field {key_text(str(condition.key.value))}"  # type: ignore[union-attr]
    op = condition.op
    if op == "in":
        return f"{head} in {list_text(condition.values)}"
    if op in ("unknown", "known"):
        return f"{head} {OPERATOR_TEXT[op]}"
    word = SYMBOL.get(op) or OPERATOR_TEXT[op]
    return f"{head} {word} {value_text(condition.values[0])}"


def _text_of(value: ir.Value) -> str:
    """The text a non-number operand stands for (``true`` -> "true")."""
    if isinstance(value, ir.Boolean):
        return "true" if value.value else "false"
    return fold(trim(str(value.value)))


def _split(values: tuple[ir.Value, ...]) -> tuple[list[str], list[Decimal]]:
    texts = sorted({_text_of(v) for v in values if not isinstance(v, ir.Number)})
    numbers = sorted({v.value for v in values if isinstance(v, ir.Number)})
    return texts, numbers  # type: ignore[return-value]


@hookimpl
def segdsl_sql_cost(condition: ir.Condition) -> int:
    """One indexed look-up and some text work; "isn't" and "unknown" are true for most customers."""
    return 70 if condition.op in ("isnt", "unknown") else 40


@hookimpl
def segdsl_sql_condition(condition: ir.Condition, ctx: SqlContext) -> exp.Expression:
    op = condition.op
    key = str(condition.key.value)  # type: ignore[union-attr]

    def row(build: Callable[[exp.Expression], exp.Expression]) -> exp.Expression:
        return ctx.exists(
            "fields",
            "f",
            lambda a: ctx.text_eq(ctx.col("fields", "key", a), key),
            lambda a: build(ctx.col("fields", "value", a)),
        )

    if op in ("unknown", "known"):
        known = row(lambda v: sqlgen.not_(ctx.is_blank(v)))
        return sqlgen.not_(known) if op == "unknown" else known

    def folded(v: exp.Expression) -> exp.Expression:
        return ctx.lower(ctx.trim(v))

    if op in ORDERING:
        number = condition.values[0].value
        cmp = {"lt": exp.LT, "le": exp.LTE, "gt": exp.GT, "ge": exp.GTE}[op]
        return row(lambda v: cmp(this=ctx.as_number(ctx.trim(v)), expression=ctx.number(number)))  # type: ignore[arg-type]
    if op in ("contains", "starts_with", "ends_with"):
        needle = fold(str(condition.values[0].value))
        return row(lambda v: ctx.text_test(op, folded(v), needle))
    texts, numbers = _split(condition.values)

    def equal(v: exp.Expression) -> exp.Expression:
        parts: list[exp.Expression] = []
        if texts:
            parts.append(ctx.trimmed_fold_in(v, texts))
        if numbers:
            parts.append(ctx.number_in(ctx.as_number(ctx.trim(v)), numbers))
        return sqlgen.or_(*parts) if len(parts) > 1 else parts[0]

    pred = row(equal)
    return sqlgen.not_(pred) if op == "isnt" else pred


@hookimpl
def segdsl_python_condition(condition: ir.Condition, ctx: Any) -> Any:
    op = condition.op
    key = str(condition.key.value)  # type: ignore[union-attr]

    if op in ("unknown", "known"):
        want_known = op == "known"
        return lambda view: (not is_blank(view.fields.get(key))) == want_known
    if op in ORDERING:
        bound = float(condition.values[0].value)
        compare: Callable[[float], bool] = {
            "lt": lambda x: x < bound,
            "le": lambda x: x <= bound,
            "gt": lambda x: x > bound,
            "ge": lambda x: x >= bound,
        }[op]

        def ordered(view: Any) -> bool:
            value = view.fields.get(key)
            return value is not None and is_number(value) and compare(float(trim(value)))

        return ordered
    if op in ("contains", "starts_with", "ends_with"):
        needle = fold(str(condition.values[0].value))
        found = SUBSTRING_TESTS[op]

        def text_test(view: Any) -> bool:
            value = view.fields.get(key)
            return value is not None and found(fold(trim(value)), needle)

        return text_test
    texts, numbers = _split(condition.values)
    text_set = frozenset(texts)
    number_set = frozenset(float(n) for n in numbers)

    def equal(view: Any) -> bool:
        value = view.fields.get(key)
        if value is None:
            return False
        if text_set and fold(trim(value)) in text_set:
            return True
        return bool(number_set) and is_number(value) and float(trim(value)) in number_set

    return (lambda view: not equal(view)) if op == "isnt" else equal
