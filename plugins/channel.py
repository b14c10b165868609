"""`channel NAME`: the customer is reachable on that channel.

The rule's channel scopes the other families (``SqlContext.on_channel``,
``View.channel``), so the core knows this family by name.

>>> import segdsl
>>> segdsl.parse("Channel WhatsApp").expr
Condition(family='channel', subject='channel', op='is', values=(Word(value='whatsapp'),), key=None, within=None)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlglot import exp

from segdsl.families.settings import Settings
from segdsl.families.spec import CUSTOMER_ID, Column, DemoCustomer, Family, Role
from segdsl.lang import ir
from segdsl.lang.errors import did_you_mean
from segdsl.lang.terms import TermReader
from segdsl.lang.textops import fold
from segdsl.sql.context import SqlContext

# demo data: (name, P(customer reachable there)); whatsapp is by far the most common
CHANNELS = (("whatsapp", 0.78), ("messenger", 0.24), ("instagram", 0.22), ("telegram", 0.08),
            ("webchat", 0.18), ("sms", 0.30))
CHANNEL_SPELLING = {"whatsapp": "WhatsApp", "messenger": "Messenger", "instagram": "Instagram",
                    "telegram": "Telegram", "webchat": "WebChat", "sms": "SMS"}


def demo_channels(c: DemoCustomer) -> Sequence[tuple[str, ...]]:
    """The customer's channels (whatsapp first when present); left in ``c.facts["channels"]`` for other roles."""
    u = c.random
    chans = [name for name, p in CHANNELS if u() < p]
    if not chans:
        chans.append("webchat" if u() < 0.4 else "whatsapp")
    if u() < 0.03:
        chans = [CHANNEL_SPELLING[ch] for ch in chans]
    c.facts["channels"] = chans
    cid = c.key
    return [(cid, ch) for ch in chans]


CHANNELS_ROLE = Role(
    "channels",
    "customer_channels",
    {"customer_id": CUSTOMER_ID, "channel": Column("channel", "VARCHAR(32)", True)},
    primary_key=("customer_id", "channel"),
    indexes=(("channel", "customer_id"),),
    record_key="channels",
    shape="scalars",
    demo=demo_channels,
)


class ChannelFamily(Family):
    """``channel NAME``: a row in the channels role (names compare case-insensitively)."""

    subjects = ("channel",)
    roles = (CHANNELS_ROLE,)

    def parse(self, subject: str, reader: TermReader, settings: Settings) -> ir.Condition:
        tok = reader.peek()
        if tok is None or tok.kind != "word" and not (tok.value and tok.value.kind == "string"):
            reader.expected(["a channel name (" + ", ".join(settings.channels) + ")"])
        reader.take()
        name = str(tok.value.value if tok.value else tok.text)  # type: ignore[union-attr]
        if name.lower() not in settings.channels:
            guess = did_you_mean(name, settings.channels)
            hints = [f"did you mean `{guess}`?"] if guess else []
            hints.append("known channels: " + ", ".join(settings.channels))
            reader.fail(f"unknown channel `{name}`", tok, hints=hints)
        return self.condition(subject, "is", (ir.Word(name.lower(), span=tok.span),), span=reader.span)

    def format(self, condition: ir.Condition) -> str:
        return f"channel {condition.values[0].value}"

    def cost(self, condition: ir.Condition) -> int:
        """One indexed look-up per customer, and most customers are on the channel."""
        return 30

    def sql(self, condition: ir.Condition, ctx: SqlContext) -> exp.Expression:
        return ctx.exists("channels", "ch", lambda a: ctx.on_channel("channels", a))

    def predicate(self, condition: ir.Condition, ctx: Any) -> Any:
        name = ctx.channel

        def has_channel(view: Any) -> bool:
            for c in view.rec.get("channels") or ():
                if type(c) is not str:
                    c = str(c)
                if (c.lower() if c.isascii() else fold(c)) == name:  # fold(c), inlined for ASCII
                    return True
            return False

        return has_channel

    def describe(self, condition: ir.Condition, ctx: Any = None) -> str:
        return f"reachable on {condition.values[0].value}"

    def facts(self, condition: ir.Condition, view: Any, ctx: Any) -> str | None:
        channels = [str(c) for c in view.rec.get("channels") or ()]
        return "channels: " + (", ".join(channels) if channels else "none")
