"""`last interaction time between 09:00 and 17:00`, `before 12:00`, `after 18:00`.

The time of day (UTC) of the customer's last interaction on the rule's
channel; a range whose first time is later than the second wraps past midnight.

>>> import segdsl
>>> segdsl.parse("channel sms and last interaction time between 22:00 and 06:00").expr.items[1].op
'between'
"""

from __future__ import annotations

from typing import Any

from segdsl.builtins import interactions
from segdsl.builtins.interactions import INTERACTIONS_ROLE, between, occurred, stamp
from sqlglot import exp

from segdsl.families.formatter import value_text
from segdsl.families.settings import Settings
from segdsl.families.spec import Family
from segdsl.lang import ir
from segdsl.lang.terms import TermReader
from segdsl.sql import context as sqlgen
from segdsl.sql.context import SqlContext

TIME = "last interaction time"
TIME_WORDS = "a time of day (09:00)"


def time_test(condition: ir.Condition) -> tuple[str, str | None, bool]:
    """(low, high, wraps) as HH:MM:SS text: t in [low, high), or outside [high, low) when it wraps."""
    op = condition.op
    values = [f"{v.value:%H:%M:%S}" for v in condition.values]
    if op == "before":
        return "00:00:00", values[0], False
    if op == "after":
        return values[0], None, False
    low, high = values
    return low, high, low > high


class InteractionTimeFamily(Family):
    """The time of day of the last interaction on the rule's channel."""

    subjects = (TIME,)
    roles = (INTERACTIONS_ROLE,)

    def parse(self, subject: str, reader: TermReader, settings: Settings) -> ir.Condition:
        for word in ("before", "after"):
            if reader.accept_words(word):
                value = reader.expect_value(("time",), TIME_WORDS)
                return self.condition(TIME, word, (value,), span=reader.span)
        tok = reader.peek()
        if tok is not None and tok.kind == "between":
            low, high = between(reader, ("time",), TIME_WORDS)
            if low.value == high.value:
                reader.fail("the range is empty: both times are the same", tok)
            return self.condition(TIME, "between", (low, high), span=reader.span)
        reader.expected(["`between`", "`before`", "`after`"], options=["between", "before", "after"])

    def format(self, condition: ir.Condition) -> str:
        if condition.op == "between":
            low, high = condition.values
            return f"{TIME} between {value_text(low)} and {value_text(high)}"
        return f"{TIME} {condition.op} {value_text(condition.values[0])}"

    def cost(self, condition: ir.Condition) -> int:
        """Interactions: many rows per customer."""
        return 50

    def sql(self, condition: ir.Condition, ctx: SqlContext) -> exp.Expression:
        low_t, high_t, wraps = time_test(condition)
        alias = ctx.alias("i")
        last = exp.select(exp.Max(this=occurred(ctx, alias))).from_(ctx.table("interactions", alias)).where(
            sqlgen.and_(
                exp.EQ(this=ctx.col("interactions", "customer_id", alias), expression=ctx.customer("id")),
                ctx.on_channel("interactions", alias),
            )
        )
        tod = ctx.time_of_day(exp.Subquery(this=last))
        lower = exp.GTE(this=tod, expression=ctx.lit(low_t))
        if high_t is None:
            test: exp.Expression = lower
        else:
            upper = exp.LT(this=tod, expression=ctx.lit(high_t))
            test = sqlgen.or_(lower, upper) if wraps else sqlgen.and_(lower, upper)
        return exp.Coalesce(this=exp.paren(test), expressions=[exp.false()])

    def predicate(self, condition: ir.Condition, ctx: Any) -> Any:
        low_t, high_t, wraps = time_test(condition)
        last = interactions.last

        def time_in_range(view: Any) -> bool:
            at = view.fact(last)
            if at is None:
                return False
            t = f"{at:%H:%M:%S}"
            if high_t is None:
                return t >= low_t
            return (t >= low_t or t < high_t) if wraps else (low_t <= t < high_t)

        return time_in_range

    def describe(self, condition: ir.Condition, ctx: Any = None) -> str:
        low, high, wraps = time_test(condition)
        channel = ctx.channel if ctx is not None else "the rule's channel"
        if high is None:
            span = f"at {low} or later"
        elif condition.op == "before":
            span = f"before {high}"
        else:
            span = f"from {low} up to (not including) {high}" + (", past midnight" if wraps else "")
        return f"last {channel} interaction at a time of day {span} (UTC)"

    def facts(self, condition: ir.Condition, view: Any, ctx: Any) -> str | None:
        at = view.fact(interactions.last)
        if at is None:
            return f"no {ctx.channel} interaction"
        return f"last {ctx.channel} interaction {stamp(at)}, at {at:%H:%M:%S}"
