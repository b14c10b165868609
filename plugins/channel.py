"""`channel NAME`: the customer is reachable on that channel.

>>> import segdsl
>>> segdsl.parse("Channel WhatsApp").expr
Condition(family='channel', subject='channel', op='is', values=(Word(value='whatsapp'),), key=None, within=None)
"""

from __future__ import annotations

from typing import Any

from sqlglot import exp

from segdsl.families.hookspecs import hookimpl
from segdsl.families.settings import Settings
from segdsl.lang import ir
from segdsl.lang.errors import did_you_mean
from segdsl.lang.terms import TermReader
from segdsl.lang.textops import fold
from segdsl.sql.context import SqlContext


@hookimpl
def segdsl_subjects() -> list[str]:
    return ["channel"]


@hookimpl
def segdsl_parse_condition(subject: str, reader: TermReader, settings: Settings) -> ir.Condition:
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
    return ir.Condition("channel", subject, "is", (ir.Word(name.lower(), span=tok.span),), span=reader.span)


@hookimpl
def segdsl_format_condition(condition: ir.Condition) -> str:
    return f"channel {condition.values[0].value}"


@hookimpl
def segdsl_sql_cost(condition: ir.Condition) -> int:
    """One indexed look-up per customer, and most customers are on the channel."""
    return 30


@hookimpl
def segdsl_sql_condition(condition: ir.Condition, ctx: SqlContext) -> exp.Expression:
    return ctx.exists("channels", "ch", lambda a: ctx.on_channel("channels", a))


@hookimpl
def segdsl_python_condition(condition: ir.Condition, ctx: Any) -> Any:
    name = ctx.channel

    def has_channel(view: Any) -> bool:
        return any(fold(str(c)) == name for c in view.rec.get("channels") or ())

    return has_channel
