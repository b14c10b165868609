"""Three condition families on the `orders` role.

- ``orders count OP N [within D]``: how many orders the customer placed (any status);
- ``spent OP AMOUNT [CURRENCY] [within D]``: the sum of the amounts of the
  customer's orders that are not cancelled (in one currency, when given);
- ``last order within D`` / ``last order more than D ago``: when the customer
  last ordered; a customer with no orders matches neither.

OP is ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=`` (or ``is``/``isn't``); D is a
whole number of minutes, hours, days or weeks; ``within D`` means "created at
or after now - D". Orders are not tied to a channel.

>>> import segdsl
>>> segdsl.format(segdsl.parse("channel sms and SPENT >= 100.5 eur within 90 days"))
'channel sms and spent >= 100.50 EUR within 90 days'
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlglot import exp

from segdsl.families.settings import Settings
from segdsl.families.spec import Family
from segdsl.lang import ir
from segdsl.lang.terms import TermReader
from segdsl.lang.textops import fold
from segdsl.sql import context as sqlgen
from segdsl.sql.context import SqlContext
from segdsl_orders.orders import CANCELLED, ORDERS, cents, last_order, orders, per_customer, since
from segdsl_orders.orders import spent_in_process

COMPARISONS = ("is", "isnt", "lt", "le", "gt", "ge")
SYMBOL = {"is": "=", "isnt": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
SQL_COMPARE = {"is": exp.EQ, "isnt": exp.NEQ, "lt": exp.LT, "le": exp.LTE, "gt": exp.GT, "ge": exp.GTE}
PY_COMPARE = {
    "is": lambda a, b: a == b, "isnt": lambda a, b: a != b, "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b, "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b,
}
MAX_WINDOW = dt.timedelta(days=100_000)
CURRENCY_LETTERS = 3


def read_window(reader: TermReader) -> ir.Duration:
    """``N unit``: a whole number of minutes, hours, days or weeks, at most 100,000 days."""
    duration = reader.expect_duration()
    if duration.amount != duration.amount.to_integral_value():
        reader.fail("a time window is a whole number of minutes, hours, days or weeks",
                    ir.Term("value", "", duration.span), hints=("write 36 hours rather than 1.5 days",))
    if duration.to_timedelta() > MAX_WINDOW:
        reader.fail("a time window can be at most 100,000 days", ir.Term("value", "", duration.span),
                    hints=("to count every order, leave out `within`",))
    return duration


def optional_window(reader: TermReader) -> ir.Duration | None:
    return read_window(reader) if reader.accept_words("within") else None


def window_text(condition: ir.Condition) -> str:
    if condition.within is None:
        return ""
    amount = format(condition.within.amount, "f")
    unit = condition.within.unit[:-1] if condition.within.amount == 1 else condition.within.unit
    return f" within {amount} {unit}"


def window_start(condition: ir.Condition, now: dt.datetime) -> dt.datetime | None:
    return None if condition.within is None else now - condition.within.to_timedelta()


class OrdersCountFamily(Family):
    """``orders count > 3``: the number of the customer's orders (optionally within a window)."""

    subjects = ("orders count",)
    roles = (ORDERS,)

    def parse(self, subject: str, reader: TermReader, settings: Settings) -> ir.Condition:
        op = reader.expect_operator(COMPARISONS)
        number = reader.expect_number("a whole number")
        if number.value != number.value.to_integral_value() or number.value < 0:
            reader.fail("an orders count is a whole number, 0 or more", ir.Term("value", "", number.span))
        within = optional_window(reader)
        return self.condition(subject, op, (ir.Number(number.value.to_integral_value()),), within=within,
                              span=reader.span)

    def format(self, condition: ir.Condition) -> str:
        value = condition.values[0].value  # type: ignore[union-attr]
        return f"orders count {SYMBOL[condition.op]} {value}{window_text(condition)}"

    def sql(self, condition: ir.Condition, ctx: SqlContext) -> exp.Expression:
        count = per_customer(ctx, lambda a: exp.Count(this=exp.Star()), *since(ctx, window_start(condition, ctx.now)))
        value = int(condition.values[0].value)  # type: ignore[union-attr]
        return SQL_COMPARE[condition.op](this=count, expression=ctx.lit(value))

    def predicate(self, condition: ir.Condition, ctx: Any) -> Any:
        start = window_start(condition, ctx.now)
        value = int(condition.values[0].value)  # type: ignore[union-attr]
        compare = PY_COMPARE[condition.op]
        return lambda view: compare(sum(1 for at, _ in view.fact(orders) if start is None or at >= start), value)

    def describe(self, condition: ir.Condition, ctx: Any = None) -> str:
        return f"customers whose number of orders{window_text(condition)} is {self.format(condition)[13:]}"


class SpentFamily(Family):
    """``spent > 100 within 90 days``: the amounts of the customer's orders that are not cancelled, summed."""

    subjects = ("spent",)
    roles = (ORDERS,)

    def parse(self, subject: str, reader: TermReader, settings: Settings) -> ir.Condition:
        op = reader.expect_operator(COMPARISONS)
        amount = reader.expect_number("an amount")
        if amount.value != amount.value.quantize(Decimal("0.01")):
            reader.fail("an amount has at most two decimals (cents)", ir.Term("value", "", amount.span))
        currency = None
        tok = reader.peek()
        if tok is not None and tok.kind == "word" and not reader.is_word("within"):
            code = tok.text
            if len(code) != CURRENCY_LETTERS or not code.isascii() or not code.isalpha():
                reader.fail(f"`{code}` is not a currency code", tok, hints=("write three letters: EUR, USD",))
            reader.take()
            currency = ir.Word(fold(code))
        within = optional_window(reader)
        value = ir.Number(amount.value.quantize(Decimal("0.01")))
        return self.condition(subject, op, (value,), key=currency, within=within, span=reader.span)

    def format(self, condition: ir.Condition) -> str:
        value = condition.values[0].value  # type: ignore[union-attr]
        currency = f" {condition.key.value.upper()}" if condition.key is not None else ""  # type: ignore[union-attr]
        return f"spent {SYMBOL[condition.op]} {value}{currency}{window_text(condition)}"

    def sql(self, condition: ir.Condition, ctx: SqlContext) -> exp.Expression:
        def row_cents(a: str) -> exp.Expression:
            hundredfold = exp.Mul(this=ctx.col("orders", "amount", a), expression=exp.Literal.number(100))
            return exp.Round(this=hundredfold)

        def not_cancelled(a: str) -> exp.Expression:
            status = ctx.col("orders", "status", a)
            return sqlgen.or_(exp.Is(this=status, expression=exp.Null()), sqlgen.not_(ctx.fold_in(status, [CANCELLED])))

        where = [not_cancelled, *since(ctx, window_start(condition, ctx.now))]
        if condition.key is not None:
            code = condition.key.value
            where.append(lambda a: ctx.fold_in(ctx.col("orders", "currency", a), [code]))  # NULL: left out
        total = per_customer(
            ctx,
            lambda a: exp.Coalesce(this=exp.Sum(this=row_cents(a)), expressions=[exp.Literal.number(0)]),
            *where,
        )
        limit = cents(condition.values[0].value)  # type: ignore[union-attr]
        return SQL_COMPARE[condition.op](this=total, expression=ctx.lit(limit))

    def predicate(self, condition: ir.Condition, ctx: Any) -> Any:
        start = window_start(condition, ctx.now)
        currency = condition.key.value if condition.key is not None else None  # type: ignore[union-attr]
        limit = cents(condition.values[0].value)  # type: ignore[union-attr]
        compare = PY_COMPARE[condition.op]

        def spent(view: Any) -> bool:
            total = sum(
                cents(row["amount"])
                for at, row in view.fact(orders)
                if (start is None or at >= start) and spent_in_process(row, currency)
            )
            return bool(compare(total, limit))

        return spent

    def describe(self, condition: ir.Condition, ctx: Any = None) -> str:
        return f"customers who {self.format(condition)} (cancelled orders left out)"


class LastOrderFamily(Family):
    """``last order more than 30 days ago`` / ``last order within 7 days``."""

    subjects = ("last order",)
    roles = (ORDERS,)

    def parse(self, subject: str, reader: TermReader, settings: Settings) -> ir.Condition:
        if reader.accept_words("within"):
            return self.condition(subject, "within", within=read_window(reader), span=reader.span)
        if reader.accept_words("more", "than"):
            duration = read_window(reader)
            if not reader.accept_words("ago"):
                reader.expected(["`ago`"])
            return self.condition(subject, "more_than_ago", within=duration, span=reader.span)
        reader.expected(["`within`", "`more than`"], options=["within", "more"])

    def format(self, condition: ir.Condition) -> str:
        text = window_text(condition)
        return f"last order{text}" if condition.op == "within" else f"last order more than{text[7:]} ago"

    def sql(self, condition: ir.Condition, ctx: SqlContext) -> exp.Expression:
        bound = window_start(condition, ctx.now)
        recent = ctx.exists("orders", "o", *since(ctx, bound))
        if condition.op == "within":
            return recent
        return sqlgen.and_(ctx.exists("orders", "o"), sqlgen.not_(recent))

    def predicate(self, condition: ir.Condition, ctx: Any) -> Any:
        bound = window_start(condition, ctx.now)
        within = condition.op == "within"

        def last_in_range(view: Any) -> bool:
            at = view.fact(last_order)
            return at is not None and (at >= bound) == within

        return last_in_range

    def cost(self, condition: ir.Condition) -> int:
        return 40

    def describe(self, condition: ir.Condition, ctx: Any = None) -> str:
        return f"customers whose {self.format(condition)}"


