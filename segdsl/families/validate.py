"""Stage 3, IR with raw conditions -> typed IR: plugin validation and rule checks.

>>> from segdsl.lang.syntax import parse_tree
>>> from segdsl.lang.build import build_ir
>>> text = "channel sms and gender is Female"
>>> validate(build_ir(parse_tree(text), text)).expr.items[1].values
(Word(value='female'),)
"""

from __future__ import annotations

import difflib
from typing import NoReturn

from segdsl.families.registry import Registry, registry
from segdsl.families.settings import Settings, default_settings
from segdsl.lang import ir
from segdsl.lang.build import build_ir
from segdsl.lang.errors import RuleError, one_of
from segdsl.lang.fastparse import fast_ir
from segdsl.lang.gcpause import paused
from segdsl.lang.syntax import parse_tree
from segdsl.lang.terms import TermReader


def parse_text(text: str, settings: Settings | None = None) -> ir.Rule:
    """Stages 1-3: rule text -> typed rule. Raises :class:`RuleError` with the source attached."""
    try:
        with paused():  # segdsl.lang.gcpause: the collector's passes here cost time and free nothing
            raw = fast_ir(text)  # valid text without Lark; None: the Lark path decides (and words any error)
            if raw is None:
                raw = build_ir(parse_tree(text), text)
            return validate(raw, settings or default_settings())
    except RuleError as err:
        raise err.with_source(text) from None


def validate(rule: ir.Rule, settings: Settings | None = None, reg: Registry | None = None) -> ir.Rule:
    """Hand every raw condition to its plugin, then check the rule as a whole."""
    settings = settings or default_settings()
    reg = reg or registry()
    check_size(rule)
    expr = _typed(rule.expr, settings, reg)
    checked = ir.Rule(expr, source=rule.source, span=rule.span)
    check_channel(checked)
    return checked


def _typed(node: ir.Node | ir.RawCondition, settings: Settings, reg: Registry) -> ir.Node:
    if isinstance(node, ir.RawCondition):
        return typed_condition(node, settings, reg)
    if isinstance(node, ir.Not):
        return ir.Not(_typed(node.item, settings, reg), span=node.span)
    if isinstance(node, ir.And):
        return ir.And(tuple(_typed(item, settings, reg) for item in node.items), span=node.span)
    if isinstance(node, ir.Or):
        return ir.Or(tuple(_typed(item, settings, reg) for item in node.items), span=node.span)
    return node  # already typed


def typed_condition(raw: ir.RawCondition, settings: Settings, reg: Registry) -> ir.Condition:
    """Find the plugin whose subject the condition starts with and let it read the rest."""
    words: list[str] = []
    for term in raw.terms:
        if term.kind != "word":
            break
        words.append(term.text.lower())
    subject = reg.longest_subject(words)
    if subject is None:
        _unknown_subject(raw, words, reg)
    width = len(subject.split())
    subject_span = raw.terms[0].span.cover(raw.terms[width - 1].span)
    reader = TermReader(subject, subject_span, raw.terms[width:], raw.span)
    cond = reg.families[reg.subjects[subject]].parse(subject, reader, settings)
    reader.expect_end()
    return cond if cond.span == raw.span else _with_span(cond, raw)


def _with_span(cond: ir.Condition, raw: ir.RawCondition) -> ir.Condition:
    return ir.Condition(
        cond.family, cond.subject, cond.op, cond.values, cond.key, cond.within, span=raw.span
    )


def _unknown_subject(raw: ir.RawCondition, words: list[str], reg: Registry) -> NoReturn:
    """Fail on a condition no plugin claims, suggesting the closest subject phrase."""
    first = raw.terms[0]
    best, best_ratio, best_width = None, 0.0, 1
    for subject in sorted(reg.subjects):
        size = len(subject.split())
        for width in {size - 1, size, size + 1}:
            if not 1 <= width <= len(words):
                continue
            ratio = difflib.SequenceMatcher(None, " ".join(words[:width]), subject).ratio()
            if ratio > best_ratio:
                best, best_ratio, best_width = subject, ratio, width
    hints = []
    same_start = sorted(s for s in reg.subjects if s.split()[0] == words[0])
    synonym = reg.synonym(words[0])  # words people reach for that a family spells differently
    if synonym is not None:
        best, best_ratio, best_width = synonym, 1.0, 1
    if same_start and best_ratio < 0.6:
        hints.append("did you mean " + one_of(f"`{s}`" for s in same_start) + "?")
        span, shown = first.span, first.text
    elif best is not None and best_ratio >= 0.6:
        hints.append(f"did you mean `{best}`?")
        span = first.span.cover(raw.terms[best_width - 1].span)
        shown = " ".join(t.text for t in raw.terms[:best_width])
    else:
        span, shown = first.span, first.text
        hints.extend(reg.hints(raw.terms))
        hints.append("conditions start with: " + ", ".join(f"`{s}`" for s in sorted(reg.subjects)))
    raise RuleError(f"unknown condition `{shown}`", span, hints=tuple(hints))


#: the most conditions a rule may have (docs/language.md, "Limits"): every rule within it answers
#: in well under 2 s at 5,000 customers on every engine (tests/test_hostile.py)
MAX_CONDITIONS = 1000


def check_size(rule: ir.Rule) -> None:
    """At most :data:`MAX_CONDITIONS` conditions; the error points at the first one too many."""
    count = 0
    stack: list[object] = [rule.expr]
    while stack:
        node = stack.pop()
        if isinstance(node, ir.Not):
            stack.append(node.item)
        elif isinstance(node, (ir.And, ir.Or)):
            stack.extend(reversed(node.items))
        else:
            count += 1
            if count > MAX_CONDITIONS:
                raise RuleError(
                    f"the rule has more than {MAX_CONDITIONS:,} conditions",
                    node.span,  # type: ignore[attr-defined]
                    hints=("use `in (...)` for many values of one subject: `tag in (\"a\", \"b\")`",
                           "or split the audience into several segments"),
                )


def check_channel(rule: ir.Rule) -> None:
    """Exactly one `channel NAME`, as a top-level conjunct."""
    top = ir.top_level_conjuncts(rule.expr)
    channels = [c for c in ir.iter_conditions(rule.expr) if c.family == "channel"]
    top_ids = {id(c) for c in top}
    nested = [c for c in channels if id(c) not in top_ids]
    if nested:
        raise RuleError(
            "`channel` must be a top-level condition joined with `and`, not under `or` or `not`",
            nested[0].span,
            hints=("a segment targets exactly one channel: `channel whatsapp and (...)`",),
        )
    if not channels:
        raise RuleError(
            "the rule has no `channel`: a segment needs exactly one interaction channel",
            rule.expr.span,
            hints=("start the rule with a channel, for example `channel whatsapp and ...`",),
        )
    if len(channels) > 1:
        raise RuleError(
            "the rule has more than one `channel`: a segment targets exactly one",
            channels[1].span,
            hints=("to reach several channels, save one segment per channel",),
        )
