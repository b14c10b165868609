"""The conformance kit: what a condition-family package runs from its own pytest suite.

One call proves, for the rules you give it, over generated customer records:

1. **SQL = interpreter**: on every engine the family's SQL picks exactly the
   customers its in-process predicate picks (inline SQL and bind-parameter
   mode). SQLite and DuckDB always run; PostgreSQL and MariaDB when they can
   be reached (``$SEGDSL_TEST_PG``, ``$SEGDSL_TEST_MYSQL``), and they are
   *required* under ``CI=true``;
2. **exact complement**: ``R and not C`` picks exactly the customers of ``R``
   that ``R and C`` does not (contract, section 2), on every engine and in
   process;
3. **round trips**: ``parse(format(r)) == r``, formatting is idempotent, and
   the JSON form gives the rule back.

>>> from segdsl.testing import check_family, customers
>>> report = check_family(
...     "tag", ['tag = "vip"', 'tag in ("a", "B")'],
...     customers(tags=st.lists(st.sampled_from(["vip", "VIP", "a", "b"]), max_size=3, unique=True)),
...     engines=("sqlite",), examples=3)  # doctest: +SKIP
>>> print(report)  # doctest: +SKIP
tag: 2 rules, 3 datasets (31 customers) on sqlite: SQL = interpreter, `not` complements, round trips hold

``records`` is a hypothesis strategy of record lists (see :func:`customers`),
a function ``(random.Random, now) -> records`` (a seeded generator, run
``examples`` times with seeds 0, 1, ...), or one list of records. A record has
the shape of ``customer.example.json``; a family's rows travel under its
role's record key (``"orders": [{...}]``).

Each engine gets a place of its own for the run, dropped afterwards: a
temporary file (SQLite), memory (DuckDB), schema ``segdsl_kit_<token>``
(PostgreSQL) or database ``segdsl_kit_<token>`` (MariaDB/MySQL).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import secrets
import tempfile
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlglot import exp

from segdsl import api
from segdsl.data.engines import Engine, EngineError, connect
from segdsl.data.records import create_schema, load_records
from segdsl.families.settings import Settings, default_settings
from segdsl.lang import ir
from segdsl.lang.errors import RuleError

#: the instant every check runs at (naive UTC): generate record timestamps around it
NOW = dt.datetime(2026, 11, 28, 12, 0, 0)
#: the channel the checked rules are scoped to
CHANNEL = "whatsapp"
#: every engine the kit knows, in the order it runs them
ENGINES = ("sqlite", "duckdb", "postgres", "mysql")
#: engines that need a server: skipped when unreachable, unless CI=true or listed in ``require``
SERVER_ENGINES = ("postgres", "mysql")

Records = list[dict[str, Any]]


class ConformanceError(AssertionError):
    """The family broke a promise; the message names the rule, the engine and the customers."""


@dataclass
class Report:
    """What :func:`check_family` proved: rules, datasets and engines, and the engines it could not reach."""

    family: str
    rules: list[str]
    engines: list[str]
    skipped: dict[str, str] = field(default_factory=dict)
    datasets: int = 0
    customers: int = 0

    def __str__(self) -> str:
        text = (
            f"{self.family}: {len(self.rules)} rules, {self.datasets} datasets ({self.customers} customers) "
            f"on {', '.join(self.engines)}: SQL = interpreter, `not` complements, round trips hold"
        )
        for engine, reason in self.skipped.items():
            text += f"\n  skipped {engine}: {reason}"
        return text


def in_ci() -> bool:
    """``CI=true``: every engine is required."""
    return os.environ.get("CI") == "true"


# ----------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class _Case:
    """A checked rule as three rules on one channel: the channel alone, with the body, with its negation."""

    text: str
    base: str
    positive: str
    negative: str


def _case(text: str, settings: Settings) -> _Case:
    """Split ``text`` into its channel and the rest (its body); a text without a channel is all body."""
    try:
        rule = api.parse(text, settings)
    except RuleError as err:
        if "channel" not in err.message:
            raise ConformanceError(f"`{text}` is not a valid rule: {err.render()}") from None
        base, body = f"channel {CHANNEL}", text
    else:
        items = list(rule.expr.items) if isinstance(rule.expr, ir.And) else [rule.expr]
        channel = [i for i in items if isinstance(i, ir.Condition) and i.subject == "channel"]
        rest = [i for i in items if not any(i is c for c in channel)]
        if not rest:
            raise ConformanceError(f"`{text}` has only a channel: give the conditions to check")
        base = text[channel[0].span.start : channel[0].span.end]
        body = " and ".join(f"({text[i.span.start : i.span.end]})" for i in rest)
    return _Case(text, base, f"{base} and ({body})", f"{base} and not ({body})")


def _check_round_trips(family: str, case: _Case, settings: Settings) -> None:
    for text in (case.positive, case.negative):
        try:
            rule = api.parse(text, settings)
        except RuleError as err:
            raise ConformanceError(f"`{case.text}` does not parse as a rule: {err.render()}") from None
        if not any(c.family == family for c in rule.conditions()):
            found = sorted({c.family for c in rule.conditions()})
            raise ConformanceError(f"`{case.text}` has no condition of family `{family}` (only {', '.join(found)})")
        canonical = api.format(rule)
        again = api.parse(canonical, settings)
        if again != rule:
            raise ConformanceError(
                f"parse(format(r)) != r for `{text}`:\n  format: {canonical}\n  read back: {again!r}\n  was: {rule!r}"
            )
        if api.format(again) != canonical:
            raise ConformanceError(f"format is not idempotent for `{text}`: `{canonical}` -> `{api.format(again)}`")
        for spans in (True, False):
            back = ir.Rule.from_json(rule.to_json(spans=spans))
            if back != rule:
                raise ConformanceError(f"the JSON form (spans={spans}) does not round-trip for `{text}`: {back!r}")


# ----------------------------------------------------------------------------- engines


@dataclass
class _Place:
    """One engine in a place of its own, and how to drop that place."""

    name: str
    engine: Engine
    drop: Callable[[Engine], None] = lambda engine: None


def _server_url(name: str) -> str:
    if name == "postgres":
        return os.environ.get("SEGDSL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
    return os.environ.get("SEGDSL_TEST_MYSQL", "mysql://root@127.0.0.1:3306")


def _statement(e: exp.Expression, engine: Engine) -> str:
    return e.sql(dialect=engine.rules.sqlglot)


def _open(name: str, folder: Path, token: str) -> _Place:
    place = f"segdsl_kit_{token}"
    ident = exp.to_identifier(place, quoted=True)
    if name == "sqlite":
        return _Place(name, connect(f"sqlite:///{folder / (place + '.db')}", create=True))
    if name == "duckdb":
        return _Place(name, connect("duckdb:///:memory:"))
    engine = connect(_server_url(name))
    if name == "postgres":
        engine.query(_statement(exp.Create(this=exp.Table(this=ident), kind="SCHEMA", exists=True), engine))
        search_path = exp.EQ(this=exp.var("search_path"), expression=ident.copy())
        engine.query(_statement(exp.Set(expressions=[exp.SetItem(this=search_path)]), engine))
        drop = exp.Drop(tables=[exp.Table(db=ident.copy())], kind="SCHEMA", exists=True, cascade=True)
    else:
        engine.query(_statement(exp.Create(this=exp.Table(this=ident), kind="DATABASE", exists=True), engine))
        engine.query(_statement(exp.Use(this=ident.copy()), engine))
        drop = exp.Drop(tables=[exp.Table(this=ident.copy())], kind="DATABASE", exists=True)

    def drop_place(e: Engine) -> None:
        e.query(_statement(drop, e))

    return _Place(name, engine, drop_place)


@contextlib.contextmanager
def open_engines(
    names: Sequence[str] = ENGINES, require: Sequence[str] = ()
) -> Iterator[tuple[list[_Place], dict[str, str]]]:
    """Open each engine in a fresh place; yields (places, skipped: name -> reason). Drops the places on exit.

    A server engine that cannot be reached is skipped with its reason, unless
    it is in ``require`` or ``CI=true``: then :class:`ConformanceError`.
    """
    unknown = [n for n in names if n not in ENGINES]
    if unknown:
        raise ValueError(f"unknown engine(s) {', '.join(unknown)}; the kit runs {', '.join(ENGINES)}")
    token = f"{os.getpid()}_{secrets.token_hex(3)}"
    places: list[_Place] = []
    skipped: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="segdsl-kit-") as tmp:
        try:
            for name in names:
                try:
                    places.append(_open(name, Path(tmp), token))
                except EngineError as err:
                    if name not in SERVER_ENGINES or name in require or in_ci():
                        why = "CI=true requires every engine" if in_ci() else f"{name} is required"
                        raise ConformanceError(f"{name} could not be opened ({why}): {err}") from None
                    skipped[name] = str(err)
                    warnings.warn(f"segdsl.testing: {name} skipped: {err}", stacklevel=3)
            yield places, skipped
        finally:
            for place in places:
                with contextlib.suppress(EngineError):
                    place.drop(place.engine)
                place.engine.close()


# ----------------------------------------------------------------------------- one dataset


def _ids(records: Sequence[Mapping[str, Any]]) -> set[int]:
    return {int(r["id"]) for r in records}


def _interpreted(rule: str, records: Sequence[Mapping[str, Any]], now: dt.datetime, settings: Settings) -> set[int]:
    match = api.matcher(rule, now=now, settings=settings)
    return {int(r["id"]) for r in records if match(r)}


def _sql(place: _Place, rule: str, now: dt.datetime, settings: Settings) -> tuple[set[int], set[int]]:
    """The audience by inline SQL and by bind-parameter SQL (``segdsl.audience``)."""
    sql = api.compile(rule, dialect=place.engine.rules, now=now, settings=settings)
    inline = {int(row[0]) for row in place.engine.query(sql)}
    return inline, set(api.audience(rule, db=place.engine, now=now, settings=settings))


def _customers(ids: set[int], records: Sequence[Mapping[str, Any]], limit: int = 3) -> str:
    shown = [r for r in records if int(r["id"]) in ids][:limit]
    return "".join(f"\n    {dict(r)!r}" for r in shown)


def _differ(family: str, what: str, rule: str, got: set[int], want: set[int], records: Records) -> None:
    if got == want:
        return
    extra, missing = sorted(got - want), sorted(want - got)
    raise ConformanceError(
        f"family `{family}`: {what} for `{rule}`\n  picked only there: {extra}\n  missed there: {missing}"
        f"\n  customers:{_customers(set(extra) | set(missing), records)}"
    )


def _check_dataset(
    family: str, cases: Sequence[_Case], records: Records, places: Sequence[_Place], now: dt.datetime,
    settings: Settings,
) -> None:
    ids = [int(r["id"]) for r in records]
    if len(ids) != len(set(ids)):
        raise ConformanceError("the generated records repeat a customer id; give each record its own `id`")
    for place in places:
        create_schema(place.engine, settings, drop=True)
        load_records(place.engine, records, settings)
    for case in cases:
        base = _interpreted(case.base, records, now, settings)
        pos = _interpreted(case.positive, records, now, settings)
        neg = _interpreted(case.negative, records, now, settings)
        _differ(family, "`not` is not the complement in process", case.negative, neg, base - pos, records)
        for place in places:
            for rule, want in ((case.positive, pos), (case.negative, neg)):
                inline, params = _sql(place, rule, now, settings)
                _differ(family, f"{place.name} inline SQL differs from the interpreter", rule, inline, want, records)
                _differ(family, f"{place.name} parameter SQL differs from the interpreter", rule, params, want, records)


# ----------------------------------------------------------------------------- generated records


def _is_strategy(value: Any) -> bool:
    try:
        from hypothesis.strategies import SearchStrategy
    except ImportError:  # no hypothesis: the records cannot be a strategy
        return False
    return isinstance(value, SearchStrategy)


def _run_hypothesis(run: Callable[[Records], None], records: Any, examples: int) -> None:
    """``run`` over ``examples`` drawn datasets; hypothesis shrinks a failing one and prints it."""
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hsettings

    @hsettings(
        max_examples=examples,
        deadline=None,
        derandomize=in_ci(),  # CI: the same datasets on every run
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(records)
    def conforms(data: Records) -> None:
        run(data)

    conforms()


def customers(max_customers: int = 12, **families: Any) -> Any:
    """A hypothesis strategy of record lists: customers 1..n, each reachable on some channels, plus your keys.

    ``families`` maps a record key to a strategy of its value
    (``orders=st.lists(order_rows)``); a customer holds each key or leaves
    it out. About three in four customers are reachable on :data:`CHANNEL`.

    >>> from hypothesis import strategies as st
    >>> strategy = customers(tags=st.lists(st.sampled_from(["vip", "gold"]), unique=True))
    """
    from hypothesis import strategies as st

    channels = st.lists(st.sampled_from([CHANNEL, CHANNEL, CHANNEL, "sms", "telegram"]), max_size=3, unique=True)
    extra = {key: value for key, value in families.items()}

    @st.composite
    def draw_records(draw: Any) -> Records:
        n = draw(st.integers(min_value=1, max_value=max_customers))
        out: Records = []
        for i in range(1, n + 1):
            record: dict[str, Any] = {"id": i, "channels": draw(channels)}
            for key, strategy in extra.items():
                if draw(st.booleans()) or draw(st.booleans()):
                    record[key] = draw(strategy)
            out.append(record)
        return out

    return draw_records()


# ----------------------------------------------------------------------------- the entry point


def check_family(
    family: str,
    rules: Sequence[str],
    records: Any,
    *,
    engines: Sequence[str] = ENGINES,
    require: Sequence[str] = (),
    now: dt.datetime = NOW,
    settings: Settings | None = None,
    examples: int = 20,
) -> Report:
    """Prove the family ``family`` on ``rules`` over generated ``records``; raise :class:`ConformanceError`.

    ``rules``: rule texts, each with a condition of ``family`` (with or
    without a ``channel``; without one the kit adds ``channel whatsapp``).
    ``records``: a hypothesis strategy of record lists (:func:`customers`), a
    function ``(random.Random, now) -> records``, or a list of records.
    ``engines``: a subset of :data:`ENGINES` (default all); ``require``: server
    engines that must not be skipped (all of them under ``CI=true``).
    ``now``: naive UTC, the instant rules are evaluated at. ``examples``: how
    many datasets to generate. Returns a :class:`Report`.
    """
    settings = settings or default_settings()
    cases = [_case(text, settings) for text in rules]
    if not cases:
        raise ValueError("check_family needs at least one rule")
    for case in cases:
        _check_round_trips(family, case, settings)
    with open_engines(engines, require) as (places, skipped):
        report = Report(family, list(rules), [p.name for p in places], skipped)

        def run(data: Records) -> None:
            report.datasets += 1
            report.customers += len(data)
            _check_dataset(family, cases, data, places, now, settings)

        if isinstance(records, list):
            run(records)
        elif _is_strategy(records):
            _run_hypothesis(run, records, examples)
        elif callable(records):
            for seed in range(examples):
                data = records(random.Random(seed), now)
                try:
                    run(data)
                except ConformanceError as err:
                    raise ConformanceError(f"{err}\n  (generator seed {seed})") from None
        else:
            raise TypeError("records must be a hypothesis strategy, a function (rng, now) -> records, or a list")
    return report
