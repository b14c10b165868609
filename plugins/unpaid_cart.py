"""`has unpaid cart`: a cart on the rule's channel with items that is not paid.

>>> import segdsl
>>> segdsl.parse("channel sms and not has unpaid cart").expr.items[1].item.subject
'has unpaid cart'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlglot import exp

from segdsl.families.settings import Settings
from segdsl.families.spec import CUSTOMER_ID, ID, Column, DemoCustomer, Family, Role
from segdsl.lang import ir
from segdsl.lang.terms import TermReader
from segdsl.lang.textops import fold
from segdsl.sql import context as sqlgen
from segdsl.sql.context import SqlContext

CART = "has unpaid cart"
DAY = 86_400
CART_DAYS = 60
_TF = ("false", "true")


def demo_carts(c: DemoCustomer) -> Sequence[tuple[str, ...]]:
    """None, one or two carts on the customer's channels (``c.facts["channels"]``), about half of them paid."""
    u = c.random
    r = u()
    if r < 0.72:
        return ()
    chans = c.facts["channels"]
    nch = len(chans)
    cid = c.key
    rows = []
    for j in range(1 if r < 0.95 else 2):
        ch = chans[0] if nch == 1 or u() < 0.6 else chans[1 + int(u() * (nch - 1))]
        items = int(u() * 7)
        paid = u() < 0.55
        at = c.now - int(u() * CART_DAYS * DAY)
        rows.append((str(c.id * 10 + j), cid, ch, str(items), _TF[paid], c.timestamp(at)))
    return rows


def _created(record: Mapping[str, Any]) -> Any:
    return record.get("created_at") or "1970-01-01T00:00:00"


CARTS_ROLE = Role(
    "carts",
    "carts",
    {
        "id": ID,
        "customer_id": CUSTOMER_ID,
        "channel": Column("channel", "VARCHAR(32)", True),
        "item_count": Column("item_count", "INTEGER", True, default=0),
        "paid": Column("paid", "BOOLEAN", True, default=False),
        "updated_at": Column("updated_at", "TIMESTAMP", True, default=_created),
    },
    primary_key=("id",),
    indexes=(("customer_id", "channel"),),
    record_key="carts",
    shape="rows",
    demo=demo_carts,
)


def _open(row: Mapping[str, Any]) -> bool:
    count = row.get("item_count") or 0
    return bool(count > 0) and not row.get("paid")


class UnpaidCartFamily(Family):
    """An open cart (items, not paid) on the rule's channel."""

    subjects = (CART,)
    roles = (CARTS_ROLE,)

    def parse(self, subject: str, reader: TermReader, settings: Settings) -> ir.Condition:
        if reader.is_word("within"):
            reader.fail(
                "`has unpaid cart` takes no `within`: it looks at the carts open now",
                hints=("for recent activity, add `and last interaction within ...`",),
            )
        return self.condition(CART, "flag", span=reader.span)

    def format(self, condition: ir.Condition) -> str:
        return CART

    def cost(self, condition: ir.Condition) -> int:
        """One look-up of few rows."""
        return 20

    def sql(self, condition: ir.Condition, ctx: SqlContext) -> exp.Expression:
        return ctx.exists(
            "carts",
            "k",
            lambda a: ctx.on_channel("carts", a),
            lambda a: exp.GT(this=ctx.col("carts", "item_count", a), expression=exp.Literal.number(0)),
            lambda a: sqlgen.not_(ctx.truthy(ctx.col("carts", "paid", a))),
        )

    def predicate(self, condition: ir.Condition, ctx: Any) -> Any:
        channel = ctx.channel
        return lambda view: any(
            fold(str(row.get("channel", ""))) == channel and _open(row) for row in view.rec.get("carts") or ()
        )

    def describe(self, condition: ir.Condition, ctx: Any = None) -> str:
        channel = ctx.channel if ctx is not None else "the rule's channel"
        return f"has a cart on {channel} with items that is not paid"

    def facts(self, condition: ir.Condition, view: Any, ctx: Any) -> str | None:
        carts = [row for row in view.rec.get("carts") or () if fold(str(row.get("channel", ""))) == ctx.channel]
        open_carts = [row for row in carts if _open(row)]
        return (f"{len(carts)} {ctx.channel} cart{'s' if len(carts) != 1 else ''}, {len(open_carts)} unpaid with "
                f"items")
