"""Custom tags: `tag = "vip"`, `tag isn't "vip"`, `tag in (...)`, `tag is unknown`.

Tags compare case-insensitively.

>>> import segdsl
>>> segdsl.parse('channel sms and tag in ("VIP", "gold")').expr.items[1].op
'in'
"""

from __future__ import annotations

from bisect import bisect
from collections.abc import Sequence
from typing import Any

from sqlglot import exp

from segdsl.families.formatter import OPERATOR_TEXT, list_text, value_text
from segdsl.families.settings import Settings
from segdsl.families.spec import CUSTOMER_ID, Column, DemoCustomer, Family, Role, Vocabulary
from segdsl.lang import ir
from segdsl.lang.terms import TermReader
from segdsl.lang.textops import fold
from segdsl.sql import context as sqlgen
from segdsl.sql.context import SqlContext

OPERATORS = ("is", "isnt", "in", "unknown", "known")

# demo data: (tag, weight), spelled in mixed case
TAGS = (
    ("vip", 10), ("gold", 9), ("silver", 8), ("new", 14), ("churn-risk", 7), ("wholesale", 4),
    ("returning", 10), ("newsletter", 12), ("beta-tester", 2), ("influencer", 2), ("b2b", 4),
    ("loyalty", 6), ("high value", 3), ("do-not-disturb", 2), ("black friday 2025", 3), ("café owner", 1),
)
TAG_NAMES = tuple(t for t, _ in TAGS)
TAG_CUM: list[float] = []
for _tag, _w in TAGS:
    TAG_CUM.append((TAG_CUM[-1] if TAG_CUM else 0) + _w)
TAG_TOTAL = TAG_CUM[-1]
TAG_SPELLINGS = tuple((t, t, t, t, t, t, t, t.title(), t.title(), t.upper()) for t in TAG_NAMES)


def demo_tags(c: DemoCustomer) -> Sequence[tuple[str, ...]]:
    """0..4 distinct tags, weighted, in mixed case."""
    u = c.random
    r = u()
    k = 0 if r < 0.35 else 1 if r < 0.70 else 2 if r < 0.88 else 3 if r < 0.97 else 4
    rows: list[tuple[str, ...]] = []
    if k:
        cid = c.key
        seen: list[int] = []
        for _ in range(k * 2):
            ti = bisect(TAG_CUM, u() * TAG_TOTAL)
            if ti in seen:
                continue
            seen.append(ti)
            rows.append((cid, TAG_SPELLINGS[ti][int(u() * 10)]))
            if len(seen) == k:
                break
    return rows


TAGS_ROLE = Role(
    "tags",
    "customer_tags",
    {"customer_id": CUSTOMER_ID, "tag": Column("tag", "VARCHAR(100)", True)},
    primary_key=("customer_id", "tag"),
    indexes=(("tag", "customer_id"),),
    record_key="tags",
    shape="scalars",
    demo=demo_tags,
)


def folded_tags(view: Any) -> frozenset[str]:
    """The customer's tags, case-folded (a view fact: computed once per record)."""
    return frozenset(fold(str(t)) for t in view.rec.get("tags") or ())


def _wanted(condition: ir.Condition) -> list[str]:
    return sorted({fold(str(v.value)) for v in condition.values})


class TagFamily(Family):
    """Tags of the customer, compared case-insensitively."""

    subjects = ("tag",)
    roles = (TAGS_ROLE,)
    synonyms = {"tags": "tag"}

    def parse(self, subject: str, reader: TermReader, settings: Settings) -> ir.Condition:
        op = reader.expect_operator(OPERATORS)
        values: tuple[ir.Value, ...] = ()
        if op == "in":
            values = reader.expect_list(("string",), "a quoted tag")
        elif op in ("is", "isnt"):
            values = (reader.expect_value(("string",), "a quoted tag"),)
        return self.condition("tag", op, values, span=reader.span)

    def format(self, condition: ir.Condition) -> str:
        op = condition.op
        if op == "in":
            return f"tag in {list_text(condition.values)}"
        if op in ("unknown", "known"):
            return f"tag {OPERATOR_TEXT[op]}"
        return f"tag {OPERATOR_TEXT[op]} {value_text(condition.values[0])}"

    def cost(self, condition: ir.Condition) -> int:
        """One indexed look-up per customer; a given tag is rare, "not" and "unknown" are common."""
        return {"is": 10, "in": 10, "known": 30}.get(condition.op, 70)

    def sql(self, condition: ir.Condition, ctx: SqlContext) -> exp.Expression:
        op = condition.op
        if op in ("unknown", "known"):
            any_tag = ctx.exists("tags", "t")
            return sqlgen.not_(any_tag) if op == "unknown" else any_tag
        wanted = _wanted(condition)
        has = ctx.exists("tags", "t", lambda a: ctx.fold_in(ctx.col("tags", "tag", a), wanted))
        return sqlgen.not_(has) if op == "isnt" else has

    def predicate(self, condition: ir.Condition, ctx: Any) -> Any:
        op = condition.op
        if op == "unknown":
            return lambda view: not view.rec.get("tags")
        if op == "known":
            return lambda view: bool(view.rec.get("tags"))
        wanted = frozenset(_wanted(condition))
        if op == "isnt":
            return lambda view: wanted.isdisjoint(view.fact(folded_tags))
        return lambda view: not wanted.isdisjoint(view.fact(folded_tags))

    def describe(self, condition: ir.Condition, ctx: Any = None) -> str:
        op = condition.op
        if op == "unknown":
            return "has no tag at all"
        if op == "known":
            return "has at least one tag"
        tags = " or ".join(value_text(v) for v in condition.values)
        return f"{'not tagged' if op == 'isnt' else 'tagged'} {tags} (any case)"

    def facts(self, condition: ir.Condition, view: Any, ctx: Any) -> str | None:
        tags = [str(t) for t in view.rec.get("tags") or ()]
        return "tags: " + (", ".join(tags) if tags else "none")

    def vocabulary(self, condition: ir.Condition) -> Sequence[Vocabulary]:
        return [Vocabulary("tags", "tag", str(v.value), "tag", span=v.span) for v in condition.values]

    def excludes(self, a: ir.Condition, b: ir.Condition, now: Any) -> bool:
        """A customer has many tags: "has a tag" excludes "has no tag" and "has none of these tags"."""
        ops = {a.op, b.op}
        if "unknown" in ops:
            return bool(ops & {"is", "in", "known"})
        if "isnt" in ops and ops & {"is", "in"}:
            has, hasnt = (a, b) if b.op == "isnt" else (b, a)
            return set(_wanted(has)) <= set(_wanted(hasnt))
        return False
