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
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from sqlglot import exp

from segdsl.families.formatter import OPERATOR_TEXT, list_text, quote, value_text
from segdsl.families.settings import Settings
from segdsl.families.spec import CUSTOMER_ID, Column, DemoCustomer, Family, Role, Vocabulary
from segdsl.inproc.view import field_text
from segdsl.lang import ir
from segdsl.lang.syntax import keywords
from segdsl.lang.terms import TermReader
from segdsl.lang.textops import SUBSTRING_TESTS, fold, is_blank, is_number, trim
from segdsl.sql import context as sqlgen
from segdsl.sql.context import SqlContext

OPERATORS = ("is", "isnt", "in", "unknown", "known", "contains", "starts_with", "ends_with", "lt", "le", "gt", "ge")
ORDERING = ("lt", "le", "gt", "ge")
SYMBOL = {"is": "=", "isnt": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
BARE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
EQUALITY_KINDS = ("string", "number", "boolean")
EQUALITY_WORDS = "a quoted string, a number or `true`/`false`"


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


def _parse(family: Family, reader: TermReader) -> ir.Condition:
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
    return family.condition("field", op, values, key=key, span=reader.span)


def key_text(key: str) -> str:
    """A key as written: bare when it can be, else quoted."""
    return key if BARE_KEY.fullmatch(key) and key.lower() not in keywords() else quote(key)


def _format(condition: ir.Condition) -> str:
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


def _sql(condition: ir.Condition, ctx: SqlContext) -> exp.Expression:
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


def _predicate(condition: ir.Condition, ctx: Any) -> Any:
    op = condition.op
    key = str(condition.key.value)  # type: ignore[union-attr]

    if op in ("unknown", "known"):
        want_known = op == "known"
        return lambda view: (not is_blank(_value(view, key))) == want_known
    if op in ORDERING:
        bound = float(condition.values[0].value)
        compare: Callable[[float], bool] = {
            "lt": lambda x: x < bound,
            "le": lambda x: x <= bound,
            "gt": lambda x: x > bound,
            "ge": lambda x: x >= bound,
        }[op]

        def ordered(view: Any) -> bool:
            value = _value(view, key)
            return value is not None and is_number(value) and compare(float(trim(value)))

        return ordered
    if op in ("contains", "starts_with", "ends_with"):
        needle = fold(str(condition.values[0].value))
        found = SUBSTRING_TESTS[op]

        def text_test(view: Any) -> bool:
            value = _value(view, key)
            return value is not None and found(fold(trim(value)), needle)

        return text_test
    texts, numbers = _split(condition.values)
    text_set = frozenset(texts)
    number_set = frozenset(float(n) for n in numbers)

    def equal(view: Any) -> bool:
        value = _value(view, key)
        if value is None:
            return False
        if text_set and fold(trim(value)) in text_set:
            return True
        return bool(number_set) and is_number(value) and float(trim(value)) in number_set

    return (lambda view: not equal(view)) if op == "isnt" else equal


def _value(view: Any, key: str) -> str | None:
    """The value of custom field ``key`` as text, or None (one look-up: no view fact needed)."""
    fields = view.rec.get("fields")
    return field_text(fields.get(key)) if fields else None


def field_texts(view: Any) -> dict[str, str | None]:
    """The custom fields as text (a view fact; see :func:`segdsl.inproc.view.field_text`)."""
    return {str(k): field_text(v) for k, v in (view.rec.get("fields") or {}).items()}


# ----------------------------------------------------------------------------- demo data

PLANS = ("free", "free", "free", "Free", "pro", "pro", "Pro ", "PRO", "business", "enterprise", "Enterprise")
CITIES = (
    "Mumbai", "Bengaluru", "Delhi", "Chennai", "São Paulo", "Rio de Janeiro", "Lagos", "Nairobi",
    "München", "Zürich", "Kraków", "Reykjavík", "Paris", "London", "New York", "Austin", "Mexico City",
    "Jakarta", "Tokyo", "東京", "İstanbul", "Cairo", " mumbai ", "BENGALURU",
)
LANGUAGES = ("en", "en", "en", "hi", "pt-BR", "es", "de", "fr", "sw", "ar", "ja")
SOURCES = ("facebook ad", "referral", "organic", "Instagram Ad", "qr code", "google")
JUNK_ORDERS = ("12abc", "n/a", "", "  ", "7 orders", "1e3", "3.", "-", "+4", "0.5")


def demo_fields(c: DemoCustomer) -> Sequence[tuple[str, ...]]:
    """Custom fields as text, with padding, mixed case and junk (see :func:`demo_json`)."""
    u = c.random
    cid = c.key
    rows: list[tuple[str, ...]] = []
    r = u()
    if r < 0.75:
        yes = u() < 0.55
        if r < 0.04:
            value = " true " if yes else "FALSE"
        elif r < 0.08:
            value = "True" if yes else "False"
        else:
            value = "true" if yes else "false"
        rows.append((cid, "returningUser", value))
    r = u()
    if r < 0.70:
        orders = int(u() * u() * 30)
        if r < 0.04:
            rows.append((cid, "orders", f" {orders} "))
        elif r < 0.07:
            rows.append((cid, "orders", JUNK_ORDERS[int(u() * len(JUNK_ORDERS))]))
        else:
            rows.append((cid, "orders", str(orders)))
    if u() < 0.50:
        rows.append((cid, "plan", PLANS[int(u() * len(PLANS))]))
    if u() < 0.60:
        rows.append((cid, "city", CITIES[int(u() * len(CITIES))]))
    if u() < 0.25:
        rows.append((cid, "lifetimeValue", f"{u() * u() * 2500:.2f}"))
    if u() < 0.30:
        rows.append((cid, "language", LANGUAGES[int(u() * len(LANGUAGES))]))
    if u() < 0.20:
        rows.append((cid, "signup source", SOURCES[int(u() * len(SOURCES))]))
    return rows


def demo_json(cid: int, item: tuple[str, Any]) -> tuple[str, Any]:
    """Some demo records carry JSON numbers and booleans, which stand for their JSON text."""
    key, value = item
    if cid % 16 == 5:
        if key == "returningUser" and value in ("true", "false"):
            return key, value == "true"
        if key == "orders" and value.isdigit() and str(int(value)) == value:
            return key, int(value)
    return item


FIELDS_ROLE = Role(
    "fields",
    "customer_fields",
    {
        "customer_id": CUSTOMER_ID,
        "key": Column("field_key", "VARCHAR(100)", True),
        "value": Column("field_value", "VARCHAR(1000)"),
    },
    primary_key=("customer_id", "key"),
    indexes=(("key", "customer_id"),),
    record_key="fields",
    shape="mapping",
    demo=demo_fields,
    demo_record=demo_json,
)


class FieldFamily(Family):
    """Custom fields, key:value, values as text."""

    subjects = ("field",)
    roles = (FIELDS_ROLE,)

    def parse(self, subject: str, reader: TermReader, settings: Settings) -> ir.Condition:
        return _parse(self, reader)

    def format(self, condition: ir.Condition) -> str:
        return _format(condition)

    def cost(self, condition: ir.Condition) -> int:
        """One indexed look-up and some text work; "isn't" and "unknown" are true for most customers."""
        return 70 if condition.op in ("isnt", "unknown") else 40

    def sql(self, condition: ir.Condition, ctx: SqlContext) -> exp.Expression:
        return _sql(condition, ctx)

    def predicate(self, condition: ir.Condition, ctx: Any) -> Any:
        return _predicate(condition, ctx)

    def describe(self, condition: ir.Condition, ctx: Any = None) -> str:
        key = quote(str(condition.key.value))  # type: ignore[union-attr]
        op = condition.op
        if op == "known":
            return f"custom field {key} is set (not blank)"
        if op == "unknown":
            return f"custom field {key} is missing or blank"
        test = _format(condition).split(" ", 2)[2]
        if op in ORDERING:
            return f"custom field {key} is a number {test}"
        tail = " (or missing)" if op == "isnt" else ""
        return f"custom field {key} {test}{tail} (any case, spaces trimmed; numbers as numbers)"

    def facts(self, condition: ir.Condition, view: Any, ctx: Any) -> str | None:
        key = str(condition.key.value)  # type: ignore[union-attr]
        value = view.fact(field_texts).get(key)
        return f"field {key_text(key)}: " + ("missing" if value is None else quote(value))

    def vocabulary(self, condition: ir.Condition) -> Sequence[Vocabulary]:
        key = condition.key
        assert key is not None
        return [Vocabulary("fields", "key", str(key.value), "field key", folded=False, span=key.span)]

    def excludes(self, a: ir.Condition, b: ir.Condition, now: Any) -> bool:
        """One value per key: `unknown` against any test of a value; two equalities that no text meets both."""
        if a.key != b.key:
            return False
        ops = {a.op, b.op}
        if "unknown" in ops:  # a blank value still contains "" and may equal a blank text: leave those out
            other = b if a.op == "unknown" else a
            if other.op in ("known", *ORDERING):
                return True
            return other.op in ("is", "in") and all(isinstance(v, ir.Number) or _text_of(v) for v in other.values)
        if a.op in ("is", "in") and b.op in ("is", "in"):
            (ta, na), (tb, nb) = _split(a.values), _split(b.values)
            # a text and a number may meet ("3.0" is the number 3): only like against like is sure
            return not (ta or tb or set(na) & set(nb)) or not (na or nb or set(ta) & set(tb))
        if "isnt" in ops and ops & {"is", "in"}:
            has, hasnt = (a, b) if b.op == "isnt" else (b, a)
            (th, nh), (tn, nn) = _split(has.values), _split(hasnt.values)
            return set(th) <= set(tn) and set(nh) <= set(nn)
        return False

    def hint(self, terms: Sequence[ir.Term]) -> str | None:
        """`city is "Pune"` is probably a custom field."""
        if len(terms) > 1:
            nxt = terms[1]
            if nxt.kind in ("op", "isnt") or nxt.text.lower() in ("is", "in", "contains"):
                return f"a custom field is written `field {terms[0].text} ...`"
        return None
