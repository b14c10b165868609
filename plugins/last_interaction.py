"""`last interaction within 7 days`, `more than 30 days ago`, `before`, `after`, `on`, `between`.

A customer's last interaction is the latest ``occurred_at`` among their
interactions on the rule's channel; customers with none never match.

>>> import segdsl
>>> c = segdsl.parse("channel sms and last interaction within 7 days").expr.items[1]
>>> c.op, c.within.amount, c.within.unit
('within', Decimal('7'), 'days')
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from segdsl.builtins import interactions
from segdsl.builtins.interactions import INTERACTIONS_ROLE, ago, between, occurred, since, stamp, window
from sqlglot import exp

from segdsl.families.formatter import value_text
from segdsl.families.settings import Settings
from segdsl.families.spec import Family
from segdsl.lang import ir
from segdsl.lang.terms import TermReader
from segdsl.sql import context as sqlgen
from segdsl.sql.context import SqlContext

LAST = "last interaction"
DATE_KINDS = ("date", "datetime")
DATE_WORDS = "a date (2026-11-01) or a date-time (2026-11-01T14:30)"
ONE_SECOND = dt.timedelta(seconds=1)
ONE_DAY = dt.timedelta(days=1)


def _start(value: ir.Value) -> dt.datetime:
    """The first instant a date or date-time bound stands for."""
    if isinstance(value, ir.DateTime):
        return value.value
    return dt.datetime.combine(value.value, dt.time())  # type: ignore[arg-type]


def _range(low: ir.Value, high: ir.Value) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) for `between`: a date runs to the end of that day; a date-time is included."""
    end = _start(high) + (ONE_DAY if isinstance(high, ir.Date) else ONE_SECOND)
    return _start(low), end


def _check_bound(reader: TermReader, value: ir.Value, op: str) -> None:
    """The instants a date or date-time bound stands for must exist (not past 9999-12-31)."""
    try:
        if op == "before":
            _start(value)
        else:  # after, on, between: the bound runs to the end of the day or second
            _range(value, value)
    except OverflowError:
        last = "day" if isinstance(value, ir.Date) else "instant"
        latest = "9999-12-30" if isinstance(value, ir.Date) else "9999-12-31T23:59:58"
        reader.fail(
            f"`{value_text(value)}` is too late: the last {last} that `{op}` can take is {latest}",
            ir.Term("value", "", value.span),
        )


def instant_bounds(condition: ir.Condition, now: dt.datetime) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The last interaction must lie in [low, high) (None: unbounded).

    >>> c = ir.Condition("last_interaction", LAST, "after", (ir.Date(dt.date(2026, 11, 1)),))
    >>> instant_bounds(c, dt.datetime(2026, 11, 28))
    (datetime.datetime(2026, 11, 2, 0, 0), None)
    """
    op = condition.op
    if op == "within":
        return since(now, condition.within), None  # type: ignore[arg-type]
    if op == "more_than_ago":
        return None, since(now, condition.within) or dt.datetime.min  # type: ignore[arg-type]
    if op == "before":
        return None, _start(condition.values[0])
    if op == "after":
        value = condition.values[0]
        return (_start(value) + (ONE_DAY if isinstance(value, ir.Date) else ONE_SECOND)), None
    if op == "on":
        day = _start(condition.values[0])
        return day, day + ONE_DAY
    return _range(*condition.values)


class LastInteractionFamily(Family):
    """When the customer last interacted on the rule's channel."""

    subjects = (LAST,)
    roles = (INTERACTIONS_ROLE,)

    def parse(self, subject: str, reader: TermReader, settings: Settings) -> ir.Condition:
        if reader.accept_words("within"):
            return self.condition(LAST, "within", within=window(reader), span=reader.span)
        if reader.accept_words("more", "than"):
            duration = window(reader)
            if not reader.accept_words("ago"):
                reader.expected(["`ago`"])
            return self.condition(LAST, "more_than_ago", within=duration, span=reader.span)
        for word in ("before", "after", "on"):
            if reader.accept_words(word):
                kinds = ("date",) if word == "on" else DATE_KINDS
                what = "a date (2026-11-01)" if word == "on" else DATE_WORDS
                value = reader.expect_value(kinds, what)
                _check_bound(reader, value, word)
                return self.condition(LAST, word, (value,), span=reader.span)
        tok = reader.peek()
        if tok is not None and tok.kind == "between":
            low, high = between(reader, DATE_KINDS, DATE_WORDS)
            _check_bound(reader, high, "between")
            start, end = _range(low, high)
            if start >= end:
                reader.fail("the range is empty: the first date is after the second", tok)
            return self.condition(LAST, "between", (low, high), span=reader.span)
        reader.expected(
            ["`within`", "`more than`", "`before`", "`after`", "`on`", "`between`"],
            options=["within", "more", "before", "after", "on", "between"],
        )

    def format(self, condition: ir.Condition) -> str:
        subject, op = condition.subject, condition.op
        if op == "within":
            return f"{subject} within {value_text(condition.within)}"  # type: ignore[arg-type]
        if op == "more_than_ago":
            return f"{subject} more than {value_text(condition.within)} ago"  # type: ignore[arg-type]
        if op == "between":
            low, high = condition.values
            return f"{subject} between {value_text(low)} and {value_text(high)}"
        return f"{subject} {op} {value_text(condition.values[0])}"

    def cost(self, condition: ir.Condition) -> int:
        """Interactions: many rows per customer."""
        return 50

    def sql(self, condition: ir.Condition, ctx: SqlContext) -> exp.Expression:
        low, high = instant_bounds(condition, ctx.now)
        if high is not None and ctx.dialect.aggregate_in:
            return _last_by_group(ctx, low, high)
        some = interactions.exists(
            ctx,
            *([lambda a: exp.GTE(this=occurred(ctx, a), expression=ctx.timestamp(low))] if low else []),
            *([lambda a: exp.LT(this=occurred(ctx, a), expression=ctx.timestamp(high))] if high else []),
        )
        if high is None:
            return some
        later = interactions.exists(ctx, lambda a: exp.GTE(this=occurred(ctx, a), expression=ctx.timestamp(high)))
        return sqlgen.and_(some, sqlgen.not_(later))

    def predicate(self, condition: ir.Condition, ctx: Any) -> Any:
        low, high = instant_bounds(condition, ctx.now)
        last = interactions.last

        def last_in_range(view: Any) -> bool:
            at = view.fact(last)
            return at is not None and (low is None or at >= low) and (high is None or at < high)

        return last_in_range

    def describe(self, condition: ir.Condition, ctx: Any = None) -> str:
        channel = ctx.channel if ctx is not None else "the rule's channel"
        if ctx is None:
            return f"last interaction on {channel} {self.format(condition)[len(LAST) + 1:]}"
        low, high = instant_bounds(condition, ctx.now)
        if low is not None and high is not None:
            span = f"from {stamp(low)} up to (not including) {stamp(high)}"
        elif low is not None:
            span = f"at or after {stamp(low)}"
        elif high is not None:
            span = f"before {stamp(high)}"
        else:  # a window reaching back past 0001-01-01
            span = "at any time"
        return f"last {channel} interaction {span}"

    def facts(self, condition: ir.Condition, view: Any, ctx: Any) -> str | None:
        at = view.fact(interactions.last)
        if at is None:
            return f"no {ctx.channel} interaction"
        return f"last {ctx.channel} interaction {stamp(at)}, {ago(at, ctx.now)}"

    def excludes(self, a: ir.Condition, b: ir.Condition, now: dt.datetime | None) -> bool:
        """The last interaction lies in both windows: they must overlap."""
        relative = {"within", "more_than_ago"}
        if now is None and (a.op in relative) != (b.op in relative):
            return False  # a window against a date: depends on when the rule runs
        at = now or dt.datetime(2000, 1, 1)  # two windows, or two dates: the same whenever it runs
        (la, ha), (lb, hb) = instant_bounds(a, at), instant_bounds(b, at)
        low = max((x for x in (la, lb) if x is not None), default=None)
        high = min((x for x in (ha, hb) if x is not None), default=None)
        return low is not None and high is not None and low >= high


def _last_by_group(ctx: SqlContext, low: dt.datetime | None, high: dt.datetime) -> exp.Expression:
    """``c.id IN (customers whose latest interaction on the channel lies in [low, high))``.

    One aggregate pass instead of EXISTS + NOT EXISTS; faster where the engine
    hashes the group (``DialectRules.aggregate_in``: DuckDB, Spark). The subquery
    never yields NULL, so IN stays two-valued.
    """
    alias = ctx.alias("i")
    latest = exp.Max(this=occurred(ctx, alias))
    having: exp.Expression = exp.LT(this=latest, expression=ctx.timestamp(high))
    if low is not None:
        having = sqlgen.and_(exp.GTE(this=latest.copy(), expression=ctx.timestamp(low)), having)
    return ctx.customer_in("interactions", alias, [ctx.on_channel("interactions", alias)], having=having)
