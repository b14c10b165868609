"""Last interaction (date, time of day), the agent and flow flags, unpaid carts.

Everything is scoped to the rule's channel. Instants compare to the second.

>>> import segdsl
>>> c = segdsl.parse("channel sms and last interaction within 7 days").expr.items[1]
>>> c.op, c.within.amount, c.within.unit
('within', Decimal('7'), 'days')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlglot import exp

from segdsl.families.formatter import quote, value_text
from segdsl.families.hookspecs import hookimpl
from segdsl.families.settings import Settings
from segdsl.lang import ir
from segdsl.lang.terms import TermReader
from segdsl.lang.textops import fold
from segdsl.sql import context as sqlgen
from segdsl.sql.context import SqlContext

FLAGS = {
    "talked with agent": "talked_with_agent",
    "completed product flow": "completed_product_flow",
    "completed collection flow": "completed_collection_flow",
    "completed bot flow": "completed_bot_flow",
}
LAST = "last interaction"
TIME = "last interaction time"
CART = "has unpaid cart"
DATE_KINDS = ("date", "datetime")
ONE_SECOND = dt.timedelta(seconds=1)
ONE_DAY = dt.timedelta(days=1)


@hookimpl
def segdsl_subjects() -> list[str]:
    return [LAST, TIME, CART, *FLAGS]


# The longest look-back window, in minutes: 100,000 days (about 270 years).
# Longer windows reach before the year 1 on some clocks and overflow.
MAX_WINDOW_MINUTES = 100_000 * 24 * 60
UNIT_MINUTES = {"minutes": 1, "hours": 60, "days": 24 * 60, "weeks": 7 * 24 * 60}


def _window(reader: TermReader) -> ir.Duration:
    duration = reader.expect_duration()
    if duration.amount != duration.amount.to_integral_value():
        reader.fail(
            "a time window is a whole number of minutes, hours, days or weeks",
            ir.Term("value", "", duration.span),
            hints=("write 90 minutes rather than 1.5 hours",),
        )
    if duration.amount * UNIT_MINUTES[duration.unit] > MAX_WINDOW_MINUTES:
        reader.fail(
            "a time window can be at most 100,000 days",
            ir.Term("value", "", duration.span),
            hints=("to match any time at all, leave out `within`",),
        )
    return duration


def _between(reader: TermReader, kinds: tuple[str, ...], what: str) -> tuple[ir.Value, ir.Value]:
    tok = reader.peek()
    if tok is None or tok.kind != "between":
        reader.expected(["`between`"])
    reader.take()
    first, second = tok.items
    head = f"{reader.subject} {tok.text.split()[0]}"
    low = TermReader(head, reader.subject_span, (first,), tok.span).expect_value(kinds, what)
    tail = f"{head} {first.text} and"
    high = TermReader(tail, reader.subject_span, (second,), tok.span).expect_value(kinds, what)
    return low, high


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


def _last_interaction(reader: TermReader) -> ir.Condition:
    if reader.accept_words("within"):
        return ir.Condition("interaction", LAST, "within", within=_window(reader), span=reader.span)
    if reader.accept_words("more", "than"):
        window = _window(reader)
        if not reader.accept_words("ago"):
            reader.expected(["`ago`"])
        return ir.Condition("interaction", LAST, "more_than_ago", within=window, span=reader.span)
    for word in ("before", "after", "on"):
        if reader.accept_words(word):
            kinds = ("date",) if word == "on" else DATE_KINDS
            what = "a date (2026-11-01)" if word == "on" else "a date (2026-11-01) or a date-time (2026-11-01T14:30)"
            value = reader.expect_value(kinds, what)
            _check_bound(reader, value, word)
            return ir.Condition("interaction", LAST, word, (value,), span=reader.span)
    tok = reader.peek()
    if tok is not None and tok.kind == "between":
        low, high = _between(reader, DATE_KINDS, "a date (2026-11-01) or a date-time (2026-11-01T14:30)")
        _check_bound(reader, high, "between")
        start, end = _range(low, high)
        if start >= end:
            reader.fail("the range is empty: the first date is after the second", tok)
        return ir.Condition("interaction", LAST, "between", (low, high), span=reader.span)
    reader.expected(
        ["`within`", "`more than`", "`before`", "`after`", "`on`", "`between`"],
        options=["within", "more", "before", "after", "on", "between"],
    )


def _time(reader: TermReader) -> ir.Condition:
    for word in ("before", "after"):
        if reader.accept_words(word):
            value = reader.expect_value(("time",), "a time of day (09:00)")
            return ir.Condition("interaction", TIME, word, (value,), span=reader.span)
    tok = reader.peek()
    if tok is not None and tok.kind == "between":
        low, high = _between(reader, ("time",), "a time of day (09:00)")
        if low.value == high.value:
            reader.fail("the range is empty: both times are the same", tok)
        return ir.Condition("interaction", TIME, "between", (low, high), span=reader.span)
    reader.expected(["`between`", "`before`", "`after`"], options=["between", "before", "after"])


@hookimpl
def segdsl_parse_condition(subject: str, reader: TermReader, settings: Settings) -> ir.Condition:
    if subject == LAST:
        return _last_interaction(reader)
    if subject == TIME:
        return _time(reader)
    key = None
    if subject == "completed bot flow":
        tok = reader.peek()
        if tok is not None and tok.value is not None and tok.value.kind == "string":
            key = reader.expect_value(("string",))
            if not key.value:
                reader.fail("a bot flow name cannot be empty", tok)
    within = None
    if subject == CART and reader.is_word("within"):
        reader.fail(
            "`has unpaid cart` takes no `within`: it looks at the carts open now",
            hints=("for recent activity, add `and last interaction within ...`",),
        )
    if subject != CART and reader.accept_words("within"):
        within = _window(reader)
    return ir.Condition("interaction", subject, "flag", key=key, within=within, span=reader.span)


@hookimpl
def segdsl_format_condition(condition: ir.Condition) -> str:
    subject, op = condition.subject, condition.op
    if op == "within":
        return f"{subject} within {value_text(condition.within)}"  # type: ignore[arg-type]
    if op == "more_than_ago":
        return f"{subject} more than {value_text(condition.within)} ago"  # type: ignore[arg-type]
    if op == "between":
        low, high = condition.values
        return f"{subject} between {value_text(low)} and {value_text(high)}"
    if op in ("before", "after", "on"):
        return f"{subject} {op} {value_text(condition.values[0])}"
    text = subject
    if condition.key is not None:
        text += " " + quote(str(condition.key.value))
    if condition.within is not None:
        text += f" within {value_text(condition.within)}"
    return text


# ------------------------------------------------------------------ meaning, once


def _start(value: ir.Value) -> dt.datetime:
    """The first instant a date or date-time bound stands for."""
    if isinstance(value, ir.DateTime):
        return value.value
    return dt.datetime.combine(value.value, dt.time())  # type: ignore[arg-type]


def _range(low: ir.Value, high: ir.Value) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) for `between`: a date runs to the end of that day; a date-time is included."""
    end = _start(high) + (ONE_DAY if isinstance(high, ir.Date) else ONE_SECOND)
    return _start(low), end


def since(now: dt.datetime, window: ir.Duration) -> dt.datetime | None:
    """``now - window``; None when that lies before 0001-01-01 (every instant is after it).

    >>> from decimal import Decimal
    >>> since(dt.datetime(1, 1, 2), ir.Duration(Decimal(3), "days")) is None
    True
    """
    try:
        return now - window.to_timedelta()
    except OverflowError:  # before the first representable instant, or a window beyond timedelta's range
        return None


def instant_bounds(condition: ir.Condition, now: dt.datetime) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The last interaction must lie in [low, high) (None: unbounded).

    >>> c = ir.Condition("interaction", LAST, "after", (ir.Date(dt.date(2026, 11, 1)),))
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


@hookimpl
def segdsl_sql_cost(condition: ir.Condition) -> int:
    """Unpaid carts: one look-up of few rows; interactions: many rows per customer."""
    return 20 if condition.subject == CART else 50


@hookimpl
def segdsl_sql_condition(condition: ir.Condition, ctx: SqlContext) -> exp.Expression:
    subject = condition.subject

    def occurred(a: str) -> exp.Expression:
        return ctx.timestamp_column(ctx.col("interactions", "occurred_at", a))

    def interactions(*where: Callable[[str], exp.Expression]) -> exp.Expression:
        return ctx.exists("interactions", "i", lambda a: ctx.on_channel("interactions", a), *where)

    if subject == LAST:
        low, high = instant_bounds(condition, ctx.now)
        if high is not None and ctx.dialect.last_by_group:
            return _last_by_group(ctx, occurred, low, high)
        some = interactions(
            *([lambda a: exp.GTE(this=occurred(a), expression=ctx.timestamp(low))] if low else []),
            *([lambda a: exp.LT(this=occurred(a), expression=ctx.timestamp(high))] if high else []),
        )
        if high is None:
            return some
        later = interactions(lambda a: exp.GTE(this=occurred(a), expression=ctx.timestamp(high)))
        return sqlgen.and_(some, sqlgen.not_(later))
    if subject == TIME:
        low_t, high_t, wraps = time_test(condition)
        alias = ctx.alias("i")
        last = exp.select(exp.Max(this=occurred(alias))).from_(ctx.table("interactions", alias)).where(
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
    if subject == CART:
        return ctx.exists(
            "carts",
            "k",
            lambda a: ctx.on_channel("carts", a),
            lambda a: exp.GT(this=ctx.col("carts", "item_count", a), expression=exp.Literal.number(0)),
            lambda a: sqlgen.not_(ctx.truthy(ctx.col("carts", "paid", a))),
        )
    flag = FLAGS[subject]
    where: list[Callable[[str], exp.Expression]] = [lambda a: ctx.truthy(ctx.col("interactions", flag, a))]
    if condition.key is not None:
        name = fold(str(condition.key.value))
        where.append(lambda a: ctx.fold_in(ctx.col("interactions", "bot_flow", a), [name]))
    start = since(ctx.now, condition.within) if condition.within is not None else None
    if start is not None:
        where.append(lambda a: exp.GTE(this=occurred(a), expression=ctx.timestamp(start)))
    return interactions(*where)


def _last_by_group(
    ctx: SqlContext, occurred: Callable[[str], exp.Expression], low: dt.datetime | None, high: dt.datetime
) -> exp.Expression:
    """``c.id IN (customers whose latest interaction on the channel lies in [low, high))``.

    One aggregate pass instead of EXISTS + NOT EXISTS; faster where the engine
    hashes the group (DuckDB). The subquery never yields NULL, so IN stays two-valued.
    """
    alias = ctx.alias("i")
    latest = exp.Max(this=occurred(alias))
    having: exp.Expression = exp.LT(this=latest, expression=ctx.timestamp(high))
    if low is not None:
        having = sqlgen.and_(exp.GTE(this=latest.copy(), expression=ctx.timestamp(low)), having)
    return ctx.customer_in("interactions", alias, [ctx.on_channel("interactions", alias)], having=having)


def _cart_is_open(row: Any) -> bool:
    count = row.get("item_count") or 0
    return bool(count > 0) and not row.get("paid")


@hookimpl
def segdsl_python_condition(condition: ir.Condition, ctx: Any) -> Any:
    subject = condition.subject
    if subject == LAST:
        low, high = instant_bounds(condition, ctx.now)

        def last_in_range(view: Any) -> bool:
            last = view.last
            return last is not None and (low is None or last >= low) and (high is None or last < high)

        return last_in_range
    if subject == TIME:
        low_t, high_t, wraps = time_test(condition)

        def time_in_range(view: Any) -> bool:
            last = view.last
            if last is None:
                return False
            t = f"{last:%H:%M:%S}"
            if high_t is None:
                return t >= low_t
            return (t >= low_t or t < high_t) if wraps else (low_t <= t < high_t)

        return time_in_range
    if subject == CART:
        channel = ctx.channel
        return lambda view: any(
            fold(str(row.get("channel", ""))) == channel and _cart_is_open(row) for row in view.rec.get("carts") or ()
        )
    flag = FLAGS[subject]
    name = fold(str(condition.key.value)) if condition.key is not None else None
    start = since(ctx.now, condition.within) if condition.within is not None else None

    def flagged(view: Any) -> bool:
        for at, row in view.interactions:
            if not row.get(flag):
                continue
            if name is not None and fold(str(row.get("bot_flow") or "")) != name:
                continue
            if start is not None and at < start:
                continue
            return True
        return False

    return flagged
