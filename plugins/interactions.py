"""What the interaction families share: the ``interactions`` role, its view facts and its terms.

Used by :mod:`last_interaction`, :mod:`interaction_time` and
:mod:`interaction_flag`; everything is scoped to the rule's channel.
Instants compare to the second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from sqlglot import exp

from segdsl.families.spec import CUSTOMER_ID, ID, NULL, Column, DemoCustomer, DemoRows, Role
from segdsl.inproc.view import parse_instant
from segdsl.lang import ir
from segdsl.lang.stamps import instant_text
from segdsl.lang.terms import TermReader
from segdsl.lang.textops import fold
from segdsl.sql.context import SqlContext

#: subject phrase -> flag column role
FLAGS = {
    "talked with agent": "talked_with_agent",
    "completed product flow": "completed_product_flow",
    "completed collection flow": "completed_collection_flow",
    "completed bot flow": "completed_bot_flow",
}

# ----------------------------------------------------------------------------- demo data

DAY = 86_400
HISTORY_DAYS = 120  # interactions happen within the last HISTORY_DAYS days
FLOWS = (
    "Welcome", "Welcome", "Welcome", "Welcome", "Checkout", "Checkout", "Checkout", "Feedback",
    "Feedback", "Feedback", "Order Status", "Order Status", "Abandoned Cart", "Abandoned Cart",
    "Support", "Appointment Booking", "Reorder", "welcome", "CHECKOUT", "Feedback ",
)
_TF = ("false", "true")


def demo_interactions(c: DemoCustomer) -> DemoRows:
    """Interactions on the customer's channels (``c.facts["channels"]``), oldest first, the newest most likely."""
    u = c.random
    r = u()
    k = 0 if r < 0.15 else 1 + int(u() * 2) if r < 0.50 else 3 + int(u() * 4) if r < 0.85 else 7 + int(u() * 9)
    if not k:
        return ()
    now_s = c.now
    chans = c.facts["channels"]
    nch = len(chans)
    span = min(now_s - c.created, HISTORY_DAYS * DAY)
    base = c.id * 100
    cid = c.key
    tf = _TF
    rows = []
    for j, at in enumerate(sorted([now_s - int(span * u() ** 1.6) for _ in range(k)])):
        ch = chans[0] if nch == 1 or u() < 0.55 else chans[1 + int(u() * (nch - 1))]
        bot = u() < 0.30
        flow = FLOWS[int(u() * len(FLOWS))] if bot or u() < 0.12 else NULL
        # one tab-separated row (spec.Role.demo): the biggest table, so no tuple to join
        rows.append(f"{base + j}\t{cid}\t{ch}\t{c.timestamp(at)}\t{tf[u() < 0.18]}\t{tf[u() < 0.12]}\t"
                    f"{tf[u() < 0.06]}\t{tf[bot]}\t{flow}")
    return rows


INTERACTIONS_ROLE = Role(
    "interactions",
    "interactions",
    {
        "id": ID,
        "customer_id": CUSTOMER_ID,
        "channel": Column("channel", "VARCHAR(32)", True),
        "occurred_at": Column("occurred_at", "TIMESTAMP", True),
        **{flag: Column(flag, "BOOLEAN", True, default=False) for flag in FLAGS.values()},
        "bot_flow": Column("bot_flow", "VARCHAR(100)"),
    },
    primary_key=("id",),
    indexes=(("customer_id", "channel", "occurred_at"),),
    record_key="interactions",
    shape="rows",
    order_by=("occurred_at", "id"),
    demo=demo_interactions,
)

# ----------------------------------------------------------------------------- view facts


def on_channel(view: Any) -> list[tuple[dt.datetime, Mapping[str, Any]]]:
    """(instant, row) of the customer's interactions on the rule's channel (folded), parsed once per record."""
    chan = view.channel
    return [
        (parse_instant(row.get("occurred_at"), "interactions.occurred_at"), row)
        for row in view.rec.get("interactions") or ()
        if fold(str(row.get("channel", ""))) == chan
    ]


def last(view: Any) -> dt.datetime | None:
    """The latest interaction on the rule's channel, or None."""
    items = view.fact(on_channel)
    return max(at for at, _ in items) if items else None


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


def stamp(at: dt.datetime) -> str:
    """An instant for people: ``2026-09-02 10:14 UTC`` (seconds when not zero)."""
    text = instant_text(at)
    return f"{text} UTC" if at.second else f"{text[:-3]} UTC"


def ago(at: dt.datetime, now: dt.datetime) -> str:
    """How long before ``now`` an instant lies, in the largest whole unit (``87 days before now``)."""
    seconds = int((now - at).total_seconds())
    if seconds < 0:
        return "after now"
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''} before now"
    return "just now"


# ----------------------------------------------------------------------------- SQL


def occurred(ctx: SqlContext, alias: str) -> exp.Expression:
    """The row's ``occurred_at``, comparable with ``ctx.timestamp``."""
    return ctx.timestamp_column(ctx.col("interactions", "occurred_at", alias))


def exists(ctx: SqlContext, *where: Callable[[str], exp.Expression]) -> exp.Expression:
    """The customer has an interaction on the rule's channel meeting ``where``."""
    return ctx.exists("interactions", "i", lambda a: ctx.on_channel("interactions", a), *where)


# ----------------------------------------------------------------------------- terms

# The longest look-back window, in minutes: 100,000 days (about 270 years).
# Longer windows reach before the year 1 on some clocks and overflow.
MAX_WINDOW_MINUTES = 100_000 * 24 * 60
UNIT_MINUTES = {"minutes": 1, "hours": 60, "days": 24 * 60, "weeks": 7 * 24 * 60}


def window(reader: TermReader) -> ir.Duration:
    """A look-back window: a whole number of minutes, hours, days or weeks, at most 100,000 days."""
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


def between(reader: TermReader, kinds: tuple[str, ...], what: str) -> tuple[ir.Value, ir.Value]:
    """The two bounds of `between A and B`, each of one of ``kinds``."""
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
