"""`talked with agent`, `completed product flow`, `completed collection flow`,
`completed bot flow ["NAME"]`, each with an optional `within N days`.

True when the customer has at least one interaction on the rule's channel
with that flag set (and, for a named bot flow, that flow, case-insensitively).

>>> import segdsl
>>> c = segdsl.parse('channel sms and completed bot flow "Welcome" within 2 weeks').expr.items[1]
>>> c.subject, c.key.value, c.within.unit
('completed bot flow', 'Welcome', 'weeks')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from segdsl.builtins import interactions
from segdsl.builtins.interactions import FLAGS, INTERACTIONS_ROLE, occurred, stamp, window
from sqlglot import exp

from segdsl.families.formatter import quote, value_text
from segdsl.families.settings import Settings
from segdsl.families.spec import Family, Vocabulary
from segdsl.lang import ir
from segdsl.lang.terms import TermReader
from segdsl.lang.textops import fold
from segdsl.sql.context import SqlContext

BOT_FLOW = "completed bot flow"


class InteractionFlagFamily(Family):
    """An interaction on the rule's channel with a flag set, optionally within a window."""

    subjects = tuple(FLAGS)
    roles = (INTERACTIONS_ROLE,)

    def parse(self, subject: str, reader: TermReader, settings: Settings) -> ir.Condition:
        key = None
        if subject == BOT_FLOW:
            tok = reader.peek()
            if tok is not None and tok.value is not None and tok.value.kind == "string":
                key = reader.expect_value(("string",))
                if not key.value:
                    reader.fail("a bot flow name cannot be empty", tok)
        within = window(reader) if reader.accept_words("within") else None
        return self.condition(subject, "flag", key=key, within=within, span=reader.span)

    def format(self, condition: ir.Condition) -> str:
        text = condition.subject
        if condition.key is not None:
            text += " " + quote(str(condition.key.value))
        if condition.within is not None:
            text += f" within {value_text(condition.within)}"
        return text

    def cost(self, condition: ir.Condition) -> int:
        """Interactions: many rows per customer."""
        return 50

    def sql(self, condition: ir.Condition, ctx: SqlContext) -> exp.Expression:
        flag = FLAGS[condition.subject]
        where: list[Callable[[str], exp.Expression]] = [lambda a: ctx.truthy(ctx.col("interactions", flag, a))]
        if condition.key is not None:
            name = fold(str(condition.key.value))
            where.append(lambda a: ctx.fold_in(ctx.col("interactions", "bot_flow", a), [name]))
        start = interactions.since(ctx.now, condition.within) if condition.within is not None else None
        if start is not None:
            where.append(lambda a: exp.GTE(this=occurred(ctx, a), expression=ctx.timestamp(start)))
        return interactions.exists(ctx, *where)

    def predicate(self, condition: ir.Condition, ctx: Any) -> Any:
        flag = FLAGS[condition.subject]
        name = fold(str(condition.key.value)) if condition.key is not None else None
        since = interactions.since(ctx.now, condition.within) if condition.within is not None else None
        on_channel = interactions.on_channel

        def flagged(view: Any) -> bool:
            for at, row in view.fact(on_channel):
                if not row.get(flag):
                    continue
                if name is not None and fold(str(row.get("bot_flow") or "")) != name:
                    continue
                if since is not None and at < since:
                    continue
                return True
            return False

        return flagged

    def describe(self, condition: ir.Condition, ctx: Any = None) -> str:
        channel = ctx.channel if ctx is not None else "the rule's channel"
        what = condition.subject.replace("completed", "completed the", 1) if condition.key is None else (
            f"completed the bot flow {quote(str(condition.key.value))} (any case)")
        when = ""
        if condition.within is not None:
            start = interactions.since(ctx.now, condition.within) if ctx is not None else None
            when = (f" at or after {stamp(start)}" if start is not None
                    else f" within {value_text(condition.within)}")
        return f"at least one {channel} interaction where the customer {what}{when}"

    def facts(self, condition: ir.Condition, view: Any, ctx: Any) -> str | None:
        flag = FLAGS[condition.subject]
        rows = view.fact(interactions.on_channel)
        flagged = [(at, row) for at, row in rows if row.get(flag)]
        text = f"{len(rows)} {ctx.channel} interaction{'s' if len(rows) != 1 else ''}, {len(flagged)} with {flag}"
        if condition.key is not None:
            flows = sorted({str(row.get("bot_flow")) for _, row in flagged if row.get("bot_flow")})
            text += " (flows: " + (", ".join(flows) if flows else "none") + ")"
        if flagged:
            text += f", latest {stamp(max(at for at, _ in flagged))}"
        return text

    def vocabulary(self, condition: ir.Condition) -> Sequence[Vocabulary]:
        if condition.key is None:
            return []
        return [Vocabulary("interactions", "bot_flow", str(condition.key.value), "bot flow", span=condition.key.span)]
