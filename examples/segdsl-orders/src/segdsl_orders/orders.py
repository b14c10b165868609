"""The `orders` role: its table, its demo rows, and what the three families share.

One row per order: ``id``, ``customer_id``, ``amount`` (NUMERIC(12,2): at
most two decimals), ``currency`` (ISO 4217 code, compared case-insensitively),
``status`` (free text; ``cancelled`` orders are not spent) and ``created_at``
(UTC). A customer record carries them as ``"orders": [{"amount": 12.5,
"currency": "EUR", "status": "paid", "created_at": "2026-11-01T10:00:00Z"}]``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlglot import exp

from segdsl.families.spec import CUSTOMER_ID, ID, NULL, Column, DemoCustomer, Role
from segdsl.inproc.view import parse_instant
from segdsl.lang.textops import fold
from segdsl.sql.context import SqlContext

#: an order with this status (case-insensitive) was not paid for: `spent` leaves it out
CANCELLED = "cancelled"

# ----------------------------------------------------------------------------- demo rows

DAY = 86_400
HISTORY_DAYS = 400
CURRENCIES = ("EUR", "EUR", "EUR", "EUR", "USD", "usd", "GBP")
STATUSES = ("paid", "paid", "paid", "shipped", "Shipped", "cancelled", "CANCELLED", "refunded", NULL)


def demo_orders(c: DemoCustomer) -> Sequence[tuple[str, ...]]:
    """0-9 orders since the customer was created, in the last 400 days; most customers order rarely."""
    u = c.random
    r = u()
    k = 0 if r < 0.40 else 1 + int(u() * 3) if r < 0.85 else 4 + int(u() * 6)
    start = max(c.created, c.now - HISTORY_DAYS * DAY)
    rows = []
    for j in range(k):
        cents = int(u() * u() * 40_000) + 99
        at = start + int((c.now - start) * u())
        rows.append((
            str(c.id * 100 + j),
            str(c.id),
            f"{cents // 100}.{cents % 100:02d}",
            CURRENCIES[int(u() * len(CURRENCIES))],
            STATUSES[int(u() * len(STATUSES))],
            c.timestamp(at),
        ))
    return rows


ORDERS = Role(
    "orders",
    "orders",
    {
        "id": ID,
        "customer_id": CUSTOMER_ID,
        "amount": Column("amount", "NUMERIC(12,2)", True),
        "currency": Column("currency", "VARCHAR(3)"),
        "status": Column("status", "VARCHAR(20)"),
        "created_at": Column("created_at", "TIMESTAMP", True),
    },
    primary_key=("id",),
    indexes=(("customer_id", "created_at"),),
    record_key="orders",
    shape="rows",
    order_by=("created_at", "id"),
    demo=demo_orders,
)

# ----------------------------------------------------------------------------- in process


def cents(amount: Any) -> int:
    """An amount (a JSON number or its text) in cents: ``12.5`` -> 1250."""
    return int((Decimal(str(amount)) * 100).to_integral_value())


def orders(view: Any) -> list[tuple[dt.datetime, Mapping[str, Any]]]:
    """(created_at, row) of the customer's orders, parsed once per record (a view fact)."""
    return [(parse_instant(row.get("created_at"), "orders.created_at"), row) for row in view.rec.get("orders") or ()]


def last_order(view: Any) -> dt.datetime | None:
    """When the customer last ordered, or None."""
    items = view.fact(orders)
    return max(at for at, _ in items) if items else None


def spent_in_process(row: Mapping[str, Any], currency: str | None) -> bool:
    """Does the row count towards `spent`: not cancelled, and in ``currency`` (folded) when one is given."""
    status = row.get("status")
    if status is not None and fold(str(status)) == CANCELLED:
        return False
    return currency is None or (row.get("currency") is not None and fold(str(row["currency"])) == currency)


# ----------------------------------------------------------------------------- SQL


def created(ctx: SqlContext, alias: str) -> exp.Expression:
    """The row's ``created_at``, comparable with ``ctx.timestamp``."""
    return ctx.timestamp_column(ctx.col("orders", "created_at", alias))


def since(ctx: SqlContext, bound: dt.datetime | None) -> list[Callable[[str], exp.Expression]]:
    """``created_at >= bound``, or nothing for no bound."""
    if bound is None:
        return []
    return [lambda a: exp.GTE(this=created(ctx, a), expression=ctx.timestamp(bound))]


def per_customer(ctx: SqlContext, value: Callable[[str], exp.Expression], *where: Callable[[str], exp.Expression],
                 ) -> exp.Expression:
    """``(SELECT value FROM orders WHERE customer_id = c.id AND where...)``: one number per customer.

    ``value`` must be an aggregate that is never NULL (``COUNT(*)``,
    ``COALESCE(SUM(...), 0)``), so the comparison around it is TRUE or FALSE.
    """
    alias = ctx.alias("o")
    conditions = [exp.EQ(this=ctx.col("orders", "customer_id", alias), expression=ctx.customer("id"))]
    conditions += [w(alias) for w in where]
    query = exp.Select(
        expressions=[value(alias)],
        from_=exp.From(this=ctx.table("orders", alias)),
        where=exp.Where(this=exp.and_(*conditions, copy=False)),
    )
    return exp.Subquery(this=query)
