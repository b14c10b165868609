"""`segdsl explain`: a rule in plain English, its IR, its SQL and, with a database, the engine's plan.

Each condition's sentence comes from its family (:meth:`Family.describe`),
with relative times resolved against ``now``, so the reader sees the instants
the query will use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from segdsl import api
from segdsl.data.engines import Engine
from segdsl.families.registry import Registry, registry
from segdsl.families.settings import Settings, default_settings
from segdsl.inproc.predicate import PyContext
from segdsl.lang import ir
from segdsl.lang.errors import Span
from segdsl.plan import Plan
from segdsl.plan import explain as engine_plan
from segdsl.sql.compile import make_context, to_expression
from segdsl.sql.dialects import DialectRules, rules_for


@dataclass
class Sentence:
    """One condition in plain English, at its place in the rule."""

    span: Span
    text: str
    sentence: str

    def to_json(self) -> dict[str, Any]:
        return {"line": self.span.line, "column": self.span.column, "condition": self.text,
                "sentence": self.sentence}


@dataclass
class Explanation:
    """Everything `segdsl explain` prints. ``now`` is naive UTC."""

    rule: str
    now: dt.datetime
    sentences: list[Sentence]
    outline: str
    dialect: str
    sql: str
    plan: Plan | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "now": self.now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "sentences": [s.to_json() for s in self.sentences],
            "outline": self.outline,
            "dialect": self.dialect,
            "sql": self.sql,
            "plan": self.plan.to_json() if self.plan else None,
        }


def outline(node: ir.Node | ir.RawCondition, indent: int = 0) -> str:
    """An indented outline of the IR, one node per line, with spans (``segdsl parse``)."""
    pad = "  " * indent
    span = getattr(node, "span", None)
    where = f"  @{span.line}:{span.column}" if span is not None else ""
    if isinstance(node, (ir.And, ir.Or)):
        lines = [f"{pad}{type(node).__name__}{where}"]
        lines += [outline(item, indent + 1) for item in node.items]
        return "\n".join(lines)
    if isinstance(node, ir.Not):
        return f"{pad}Not{where}\n{outline(node.item, indent + 1)}"
    if isinstance(node, ir.RawCondition):
        return f"{pad}RawCondition{where} " + " ".join(t.text for t in node.terms)
    parts = [f"{node.family}/{node.subject}", node.op]
    if node.key is not None:
        parts.append(f"key={node.key.value!r}")
    if node.values:
        parts.append("values=[" + ", ".join(f"{v.kind}:{v.value!s}" for v in node.values) + "]")
    if node.within is not None:
        parts.append(f"within={node.within.amount} {node.within.unit}")
    return f"{pad}Condition{where} " + " ".join(parts)


def sentences(rule: ir.Rule, now: dt.datetime, reg: Registry | None = None) -> list[Sentence]:
    """One plain-English sentence per condition, in text order."""
    reg = reg or registry()
    ctx = PyContext(rule.channel, now)
    out = []

    def walk(node: ir.Node, negated: bool) -> None:
        if isinstance(node, ir.Condition):
            family = reg.family(node.family)
            sentence = family.describe(node, ctx)
            out.append(Sentence(node.span, family.format(node), f"NOT: {sentence}" if negated else sentence))
        elif isinstance(node, ir.Not):
            walk(node.item, not negated)
        else:
            for item in node.items:
                walk(item, negated)

    walk(rule.expr, False)
    return out


def explain(
    rule: ir.Rule,
    now: dt.datetime,
    dialect: str | DialectRules = "sqlite",
    engine: Engine | None = None,
    analyze: bool = False,
    settings: Settings | None = None,
) -> Explanation:
    """Explain a typed rule. With ``engine`` the dialect is the engine's and the plan is included.

    ``now`` is naive UTC (resolve it once with :func:`segdsl.lang.clock.resolve_now`).
    Raises ``EngineError``/``PlanError`` on a database failure or a plan the engine cannot show.
    """
    settings = settings or default_settings()
    rules = engine.rules if engine is not None else (dialect if isinstance(dialect, DialectRules)
                                                     else rules_for(dialect))
    pretty = api.compile(rule, dialect=rules, now=now, settings=settings, pretty=True)
    plan = None
    if engine is not None:
        compiled = api.compile(rule, dialect=rules, now=now, settings=settings, params=True)
        statement = to_expression(rule, make_context(rule, rules, settings.schema, now))
        plan = engine_plan(engine, compiled.sql, compiled.params, statement, analyze=analyze)
    return Explanation(api.format(rule), now, sentences(rule, now), outline(rule.expr), rules.name, pretty, plan)
