"""The Python API: one function per job, each running the pipeline stages.

>>> import segdsl
>>> segdsl.format('channel SMS and TAG = "vip"')
'channel sms and tag is "vip"'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Union

from . import ir
from .build import build_ir
from .clock import resolve_now
from .errors import RuleError
from .fastparse import fast_ir
from .formatter import format_rule
from .interpreter import to_matcher
from .settings import Settings, default_settings
from .sqlgen import Compiled, bind_params, make_context, to_expression, to_sql
from .syntax import parse_tree
from .validate import validate

RuleLike = Union[str, ir.Rule]
NowLike = Union[dt.datetime, dt.date, str, None]


def parse(text: str, settings: Settings | None = None) -> ir.Rule:
    """Text -> typed, validated rule. Raises :class:`RuleError` (with the source attached)."""
    if not isinstance(text, str):
        raise TypeError(f"parse() takes the rule text as str, not {type(text).__name__}")
    try:
        raw = fast_ir(text)  # valid text without Lark; None: the Lark path decides (and words any error)
        if raw is None:
            raw = build_ir(parse_tree(text), text)
        return validate(raw, settings or default_settings())
    except RuleError as err:
        raise err.with_source(text) from None


def as_rule(rule: RuleLike, settings: Settings | None = None) -> ir.Rule:
    """Accept rule text or an already parsed rule."""
    return rule if isinstance(rule, ir.Rule) else parse(rule, settings)


def format(rule: RuleLike) -> str:  # noqa: A001 - the documented API name
    """The canonical text of a rule."""
    return format_rule(as_rule(rule))


def compile(  # noqa: A001 - the documented API name
    rule: RuleLike,
    dialect: str = "sqlite",
    count: bool = False,
    now: NowLike = None,
    params: bool = False,
    settings: Settings | None = None,
    pretty: bool = False,
) -> Any:
    """SQL for a rule: a string, or a :class:`Compiled` (sql + params) with ``params=True``."""
    settings = settings or default_settings()
    typed = as_rule(rule, settings)
    ctx = make_context(typed, dialect, settings.schema, resolve_now(now), params=params)
    sql = to_sql(to_expression(typed, ctx, count=count), ctx.dialect, pretty=pretty, copy=False)
    if params:
        text, values = bind_params(sql, ctx.params, ctx.dialect.paramstyle)
        return Compiled(text, values, ctx.dialect.name, ctx.dialect.paramstyle)
    return sql


def matcher(
    rule: RuleLike, now: NowLike = None, settings: Settings | None = None
) -> Callable[[Mapping[str, Any]], bool]:
    """Compile a rule once into ``match(record) -> bool``."""
    return to_matcher(as_rule(rule, settings), resolve_now(now))


def evaluate(rule: RuleLike, record: Mapping[str, Any], now: NowLike = None, settings: Settings | None = None) -> bool:
    """Does one record match the rule?"""
    return matcher(rule, now, settings)(record)
