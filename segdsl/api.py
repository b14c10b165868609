"""The Python API: one function per job, each running the pipeline stages.

>>> import segdsl
>>> segdsl.format('channel SMS and TAG = "vip"')
'channel sms and tag is "vip"'
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Union

from segdsl.data import cancel
from segdsl.data.engines import Engine
from segdsl.data.engines import connect as _connect
from segdsl.families import jsonform  # noqa: F401 - registers the JSON form of ir.Rule
from segdsl.families.formatter import format_rule
from segdsl.families.registry import registry
from segdsl.families.settings import Settings, default_settings
from segdsl.families.validate import parse_text
from segdsl.inproc.predicate import to_matcher
from segdsl.lang import ir
from segdsl.lang.clock import resolve_now
from segdsl.sql.compile import Compiled, bind_params, check_sql_size, make_context, to_expression, to_sql
from segdsl.sql.dialects import DialectRules, rules_for

RuleLike = Union[str, ir.Rule]
NowLike = Union[dt.datetime, dt.date, str, None]


def parse(text: str, settings: Settings | None = None) -> ir.Rule:
    """Text -> typed, validated rule. Raises :class:`RuleError` (with the source attached)."""
    if not isinstance(text, str):
        raise TypeError(f"parse() takes the rule text as str, not {type(text).__name__}")
    return parse_text(text, settings)


def as_rule(rule: RuleLike, settings: Settings | None = None) -> ir.Rule:
    """Accept rule text or an already parsed rule."""
    return rule if isinstance(rule, ir.Rule) else parse(rule, settings)


def format(rule: RuleLike) -> str:  # noqa: A001 - the documented API name
    """The canonical text of a rule."""
    return format_rule(as_rule(rule))


def compile(  # noqa: A001 - the documented API name
    rule: RuleLike,
    dialect: str | DialectRules = "sqlite",
    count: bool = False,
    now: NowLike = None,
    params: bool = False,
    settings: Settings | None = None,
    pretty: bool = False,
) -> Any:
    """SQL for a rule: a string, or a :class:`Compiled` (sql + params) with ``params=True``.

    ``dialect`` is a name from ``segdsl dialects`` or an already resolved
    :class:`DialectRules`; an unknown name raises ``UnknownDialect`` (a ValueError).
    """
    settings = settings or default_settings()
    typed = as_rule(rule, settings)
    if not isinstance(dialect, (str, DialectRules)):
        raise TypeError(f"compile() takes the dialect as a name such as 'postgres', not {type(dialect).__name__}")
    rules = dialect if isinstance(dialect, DialectRules) else rules_for(dialect)
    return _compile(typed, rules, count, resolve_now(now), params, settings, pretty)[0]


def _compile(typed: ir.Rule, rules: DialectRules, count: bool, instant: dt.datetime, params: bool,
             settings: Settings, pretty: bool = False) -> tuple[Any, bool]:
    """(what :func:`compile` returns, whether building it read ``now``)."""
    ctx = make_context(typed, rules, settings.schema, instant, params=params)
    sql = to_sql(to_expression(typed, ctx, count=count), ctx.dialect, pretty=pretty, copy=False)
    check_sql_size(sql, typed)
    if params:
        text, values = bind_params(sql, ctx.params, ctx.dialect.paramstyle)
        return Compiled(text, values, ctx.dialect.name, ctx.dialect.paramstyle), ctx.now_read
    return sql, ctx.now_read


def _statement(rule: RuleLike, engine: Engine, count: bool, instant: dt.datetime, settings: Settings,
               typed: ir.Rule | None = None) -> Compiled:
    """The bound statement for ``rule`` on ``engine``, from the engine's kept statements
    (:mod:`segdsl.sql.statements`) when an earlier call built it, else compiled and kept."""
    families = registry()
    kept = engine.statements.get(rule, count, settings, families, instant)
    if kept is not None:
        return kept
    typed = typed if typed is not None else as_rule(rule, settings)
    compiled, now_read = _compile(typed, engine.rules, count, instant, True, settings)
    engine.statements.put(rule, count, settings, families, instant if now_read else None, compiled)
    return compiled


def matcher(
    rule: RuleLike, now: NowLike = None, settings: Settings | None = None
) -> Callable[[Mapping[str, Any]], bool]:
    """Compile a rule once into ``match(record) -> bool``."""
    return to_matcher(as_rule(rule, settings), resolve_now(now))


def evaluate(rule: RuleLike, record: Mapping[str, Any], now: NowLike = None, settings: Settings | None = None) -> bool:
    """Does one record match the rule?"""
    return matcher(rule, now, settings)(record)


def connect(url: str | None = None) -> Engine:
    """Open the database at ``url`` once, for many calls: ``count``, ``audience`` and
    ``stream_audience`` take the returned :class:`Engine` as ``db`` (close it, or use ``with``).

    Worth it most on Spark (``spark://local[*]?warehouse=PATH``, ``sc://HOST:15002``),
    where opening starts or reaches a JVM. Raises ``EngineError`` (one line).
    """
    return _connect(url)


def _run(rule: RuleLike, db: str | Engine | None, now: NowLike, settings: Settings | None, count: bool,
         timeout: float | None) -> list[tuple]:
    settings = settings or default_settings()
    instant = resolve_now(now)  # once per call
    with _opened(rule, db, settings) as (engine, typed):
        compiled = _statement(rule, engine, count, instant, settings, typed)
        return cancel.run(engine, compiled.sql, compiled.params, timeout=timeout)


@contextlib.contextmanager
def _opened(rule: RuleLike, db: str | Engine | None, settings: Settings) -> Iterator[tuple[Engine, ir.Rule | None]]:
    """(engine, parsed rule or None) for a call on ``db``: an open Engine is used as it is (it may
    keep the rule's statement, so nothing is parsed yet); a URL is opened read-only after the rule
    is parsed, so an invalid rule fails before any connection opens, and closed on exit."""
    if isinstance(db, Engine):
        yield db, None
        return
    typed = as_rule(rule, settings)
    engine = _connect(db, read_only=True)
    try:
        yield engine, typed
    finally:
        engine.close()


def count(rule: RuleLike, db: str | Engine | None = None, now: NowLike = None, settings: Settings | None = None,
          timeout: float | None = None) -> int:
    """How many customers match ``rule`` in the database ``db`` (a URL or an open Engine).

    ``timeout``: seconds the query may run (None: no limit); past it the query is
    cancelled on the server and ``QueryTimeout`` (an ``EngineError``) raised. A
    ``KeyboardInterrupt`` cancels the query too (see :mod:`segdsl.data.cancel`).
    A URL is opened read-only. Raises :class:`RuleError` for an invalid rule and
    ``EngineError`` (one line, no password) for a database failure.
    """
    return int(_run(rule, db, now, settings, count=True, timeout=timeout)[0][0])


def audience(
    rule: RuleLike, db: str | Engine | None = None, now: NowLike = None, settings: Settings | None = None,
    timeout: float | None = None,
) -> list[int]:
    """The matching customer ids, sorted (the whole list in memory: for small audiences and tests).

    ``timeout`` and errors as for :func:`count`.
    """
    return sorted(int(r[0]) for r in _run(rule, db, now, settings, count=False, timeout=timeout))


def stream_audience(
    rule: RuleLike, db: str | Engine | None = None, now: NowLike = None, settings: Settings | None = None,
    batch: int = 10_000,
) -> Iterator[int]:
    """Yield the matching customer ids in constant memory, in no set order (``batch`` rows per fetch).

    Rows come through :meth:`Engine.stream`: a server-side cursor, or on Spark
    ``toLocalIterator`` (a partition at a time), never the whole audience at once.
    Raises :class:`RuleError` before any connection opens, ``EngineError`` on a database failure.
    """
    settings = settings or default_settings()
    instant = resolve_now(now)
    with _opened(rule, db, settings) as (engine, typed):
        compiled = _statement(rule, engine, False, instant, settings, typed)
        for row in engine.stream(compiled.sql, compiled.params, batch=batch):
            yield int(row[0])
