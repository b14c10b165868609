"""`segdsl check`: a lint for rules that are valid but probably not what was meant.

Findings, each with the span of the condition it is about:

- ``contradiction``: an AND group that no customer can satisfy, because two of its
  parts exclude each other (``tag = "a" and tag != "a"``, ``within 7 days and more
  than 30 days ago``);
- ``tautology``: an OR group that every customer satisfies (``gender isn't male or
  gender isn't female``);
- ``unknown-value`` (with a database): a tag, field key, bot flow … that no customer
  has, with a did-you-mean drawn from the values the database holds (compared as
  the rule compares them: case-insensitively, except field keys);
- ``empty-channel``: no customer is reachable on the rule's channel;
- ``empty-audience``: the rule matches nobody.

The families say what their conditions mean for the lint (:meth:`Family.negation`,
:meth:`Family.excludes`, :meth:`Family.vocabulary`); this module knows no family.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlglot import exp

from segdsl.data.engines import Engine
from segdsl.families.registry import Registry, registry
from segdsl.families.settings import Settings, default_settings
from segdsl.families.spec import Vocabulary
from segdsl.lang import ir
from segdsl.lang.clock import resolve_now
from segdsl.lang.errors import Span, did_you_mean
from segdsl.lang.textops import fold
from segdsl.sql.compile import make_context, to_expression, to_sql
from segdsl.sql.context import mapped_table

#: how many distinct stored values a did-you-mean looks at, at most
MAX_DISTINCT = 100_000


@dataclass(frozen=True)
class Finding:
    """One lint finding. ``severity`` is ``warning`` (exit 1) or ``info``."""

    span: Span
    severity: str
    code: str
    message: str
    hint: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "line": self.span.line,
            "column": self.span.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }

    def render(self, source: str) -> str:
        """``line:col: warning: message`` plus the source line and a caret, like rule errors."""
        lines = source.splitlines() or [""]
        text = lines[self.span.line - 1] if self.span.line - 1 < len(lines) else ""
        width = max(1, min(self.span.end - self.span.start, len(text) - self.span.column + 1))
        out = [f"{self.span.line}:{self.span.column}: {self.severity}: {self.message}",
               f"  {text}", "  " + " " * (self.span.column - 1) + "^" * width]
        if self.hint:
            out.append(f"  hint: {self.hint}")
        return "\n".join(out)


def check(
    rule: ir.Rule,
    engine: Engine | None = None,
    settings: Settings | None = None,
    now: dt.datetime | None = None,
    reg: Registry | None = None,
) -> list[Finding]:
    """Lint a typed rule; with ``engine``, against the data too. Findings in text order.

    ``now`` (naive UTC) resolves relative times; raises ``EngineError`` on a database failure.
    """
    settings = settings or default_settings()
    reg = reg or registry()
    found = list(_logic(rule.expr, reg, now))
    if engine is not None:
        found += _vocabulary(rule, engine, settings, reg)
        found += _emptiness(rule, engine, settings, now or resolve_now(None), reg)
    return sorted(found, key=lambda f: (f.span.start, f.code))


# ------------------------------------------------------------------ logic


def _literal(node: ir.Node) -> tuple[ir.Condition, bool] | None:
    """A condition and its polarity (``not C`` is C, False), or None for a group."""
    polarity = True
    while isinstance(node, ir.Not):
        node, polarity = node.item, not polarity
    return (node, polarity) if isinstance(node, ir.Condition) else None


def _positive(cond: ir.Condition, polarity: bool, reg: Registry) -> tuple[ir.Condition, bool]:
    """The same fact, positive where the family spells the negation (`not tag = "a"` is `tag isn't "a"`)."""
    if polarity:
        return cond, True
    flipped = reg.family(cond.family).negation(cond)
    return (flipped, True) if flipped is not None else (cond, False)


def _strip(cond: ir.Condition) -> ir.Condition:
    return ir.Condition(cond.family, cond.subject, cond.op, cond.values, cond.key, cond.within)


def _excludes(a: tuple[ir.Condition, bool], b: tuple[ir.Condition, bool], reg: Registry,
              now: dt.datetime | None) -> bool:
    """No customer satisfies both literals."""
    (ca, pa), (cb, pb) = a, b
    if pa != pb:
        return _strip(ca) == _strip(cb)
    if pa and ca.family == cb.family:
        return bool(reg.family(ca.family).excludes(ca, cb, now))
    return False


def _logic(node: ir.Node, reg: Registry, now: dt.datetime | None) -> Iterator[Finding]:
    if isinstance(node, ir.Not):
        yield from _logic(node.item, reg, now)
        return
    if not isinstance(node, (ir.And, ir.Or)):
        return
    for item in node.items:
        yield from _logic(item, reg, now)
    conjunction = isinstance(node, ir.And)
    literals = []
    for item in node.items:
        lit = _literal(item)
        if lit is not None:
            cond, polarity = lit
            # an `or` group covers everyone when the `and` of the negated parts is impossible
            literals.append((item, _positive(cond, polarity if conjunction else not polarity, reg)))
    for i, (item_a, lit_a) in enumerate(literals):
        for item_b, lit_b in literals[i + 1:]:
            if _excludes(lit_a, lit_b, reg, now):
                yield _pair_finding(item_a, item_b, conjunction)
                return


def _pair_finding(a: ir.Node, b: ir.Node, conjunction: bool) -> Finding:
    span = Span(a.span.line, a.span.column, a.span.start, b.span.end)
    if conjunction:
        return Finding(span, "warning", "contradiction",
                       "these conditions exclude each other: no customer can match this `and` group",
                       "did you mean `or`, or a different value?")
    return Finding(span, "warning", "tautology",
                   "every customer matches one of these conditions: this `or` group is always true",
                   "did you mean `and`?")


# ------------------------------------------------------------------ data


def _distinct(engine: Engine, settings: Settings, vocab: Vocabulary) -> list[str]:
    column = exp.column(settings.schema[vocab.role].column(vocab.column), quoted=True)
    query = (
        exp.select(column)
        .distinct()
        .from_(mapped_table(settings.schema, vocab.role))
        .where(exp.Not(this=exp.Is(this=column.copy(), expression=exp.Null())))
        .limit(MAX_DISTINCT)
    )
    return [str(row[0]) for row in engine.query(query.sql(dialect=engine.rules.sqlglot, identify=True))]


def _vocabulary(rule: ir.Rule, engine: Engine, settings: Settings, reg: Registry) -> list[Finding]:
    found = []
    known: dict[tuple[str, str], list[str]] = {}
    for cond in rule.conditions():
        for vocab in reg.family(cond.family).vocabulary(cond):
            place = (vocab.role, vocab.column)
            if place not in known:
                known[place] = _distinct(engine, settings, vocab)
            stored = known[place]
            if vocab.folded:
                present = {fold(v) for v in stored}
                if fold(vocab.value) in present:
                    continue
            elif vocab.value in stored:
                continue
            guess = did_you_mean(vocab.value, stored) if stored else None
            hint = f"did you mean `{guess}`?" if guess else None
            if not vocab.folded and guess and guess.lower() == vocab.value.lower():
                hint = f"{vocab.what}s are case-sensitive: did you mean `{guess}`?"
            found.append(Finding(vocab.span or cond.span, "warning", "unknown-value",
                                 f"no customer has the {vocab.what} `{vocab.value}`", hint))
    return found


def _count(rule: ir.Rule, engine: Engine, settings: Settings, now: dt.datetime, reg: Registry) -> int:
    ctx = make_context(rule, engine.rules, settings.schema, now)
    return int(engine.query(to_sql(to_expression(rule, ctx, count=True, reg=reg), ctx.dialect, copy=False))[0][0])


def _emptiness(rule: ir.Rule, engine: Engine, settings: Settings, now: dt.datetime, reg: Registry) -> list[Finding]:
    scope = rule.channel_condition
    if _count(ir.Rule(scope), engine, settings, now, reg) == 0:
        return [Finding(scope.span, "warning", "empty-channel",
                        f"no customer is reachable on `{rule.channel}`", "check the channel, or load its customers")]
    if _count(rule, engine, settings, now, reg) == 0:
        whole = Span(1, 1, 0, max(1, rule.expr.span.end))
        return [Finding(whole, "warning", "empty-audience", "the rule matches no customer")]
    return []


def exit_code(findings: Sequence[Finding]) -> int:
    """0 when clean, 1 when any finding is a warning (``segdsl check``)."""
    return 1 if any(f.severity == "warning" for f in findings) else 0
