"""The JSON form of a rule, for UI builders that create rules as forms.

The shape is described by ``segdsl/rule.schema.json`` (JSON Schema 2020-12).
``rule_from_json`` validates through the same plugins as the text parser:
it rebuilds the rule, prints it canonically and parses that text.

>>> import segdsl
>>> rule = segdsl.parse('channel sms and not tag in ("vip", "gold")')
>>> data = rule.to_json(spans=False)
>>> data["rule"]["items"][1]["item"]["values"]
[{'type': 'string', 'value': 'vip'}, {'type': 'string', 'value': 'gold'}]
>>> segdsl.Rule.from_json(data) == rule
True
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any

from segdsl.families.formatter import format_rule
from segdsl.families.validate import parse_text
from segdsl.lang import ir
from segdsl.lang.errors import NO_SPAN, RuleError, Span
from segdsl.lang.stamps import date_text, instant_text, time_text

FORMAT_VERSION = 1


def _value_to_json(value: ir.Value) -> dict[str, Any]:
    if isinstance(value, ir.Number):
        raw: Any = format(value.value, "f")
    elif isinstance(value, ir.Date):
        raw = date_text(value.value)
    elif isinstance(value, ir.DateTime):
        raw = instant_text(value.value, "T")
    elif isinstance(value, ir.TimeOfDay):
        raw = time_text(value.value)
    else:
        raw = value.value
    return {"type": value.kind, "value": raw}


def _node_to_json(node: ir.Node, spans: bool) -> dict[str, Any]:
    out: dict[str, Any]
    if isinstance(node, ir.Condition):
        out = {"type": "condition", "family": node.family, "subject": node.subject, "op": node.op}
        if node.key is not None:
            out["key"] = _value_to_json(node.key)
        out["values"] = [_value_to_json(v) for v in node.values]
        if node.within is not None:
            out["within"] = {"amount": format(node.within.amount, "f"), "unit": node.within.unit}
    elif isinstance(node, ir.Not):
        out = {"type": "not", "item": _node_to_json(node.item, spans)}
    else:
        kind = "and" if isinstance(node, ir.And) else "or"
        out = {"type": kind, "items": [_node_to_json(item, spans) for item in node.items]}
    if spans and node.span != NO_SPAN:
        out["span"] = node.span.to_json()
    return out


def rule_to_json(rule: ir.Rule, spans: bool = True) -> dict[str, Any]:
    """``{"version": 1, "text": canonical text, "rule": node}``."""
    return {"version": FORMAT_VERSION, "text": format_rule(rule), "rule": _node_to_json(rule.expr, spans)}


class _Bad(Exception):
    pass


def _need(data: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(data, dict) or key not in data:
        raise _Bad(f"{where}: missing `{key}`")
    value = data[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise _Bad(f"{where}.{key}: wrong type {type(value).__name__}")
    return value


def _value_from_json(data: Any, where: str) -> ir.Value:
    kind = _need(data, "type", str, where)
    raw = data.get("value") if isinstance(data, dict) else None
    try:
        if kind == "string":
            return ir.Text(_need(data, "value", str, where))
        if kind == "word":
            return ir.Word(_need(data, "value", str, where))
        if kind == "number":
            if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
                raise _Bad(f"{where}.value: a number (or its decimal text) is required")
            return ir.Number(Decimal(str(raw)))
        if kind == "boolean":
            return ir.Boolean(_need(data, "value", bool, where))
        if kind == "date":
            return ir.Date(dt.date.fromisoformat(_need(data, "value", str, where)))
        if kind == "datetime":
            stamp = dt.datetime.fromisoformat(_need(data, "value", str, where).replace("Z", "+00:00"))
            if stamp.tzinfo is not None:
                stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None)
            return ir.DateTime(stamp)
        if kind == "time":
            return ir.TimeOfDay(dt.time.fromisoformat(_need(data, "value", str, where)))
    except (ValueError, InvalidOperation) as exc:
        raise _Bad(f"{where}.value: {exc}") from None
    raise _Bad(f"{where}.type: unknown value type `{kind}`")


def _node_from_json(data: Any, where: str, depth: int = 0) -> ir.Node:
    if depth > 200:
        raise _Bad(f"{where}: nests deeper than 200 levels")
    kind = _need(data, "type", str, where)
    if kind in ("and", "or"):
        items = _need(data, "items", list, where)
        if len(items) < 2:
            raise _Bad(f"{where}.items: `{kind}` needs at least two items")
        nodes: list[ir.Node] = []
        cls = ir.And if kind == "and" else ir.Or
        for i, item in enumerate(items):
            node = _node_from_json(item, f"{where}.items[{i}]", depth + 1)
            nodes.extend(node.items if isinstance(node, cls) else [node])
        return cls(tuple(nodes))
    if kind == "not":
        return ir.Not(_node_from_json(_need(data, "item", dict, where), f"{where}.item", depth + 1))
    if kind != "condition":
        raise _Bad(f"{where}.type: expected and, or, not or condition, not `{kind}`")
    values = tuple(
        _value_from_json(v, f"{where}.values[{i}]") for i, v in enumerate(data.get("values") or [])
    )
    key = _value_from_json(data["key"], f"{where}.key") if data.get("key") is not None else None
    within = None
    if data.get("within") is not None:
        w = _need(data, "within", dict, where)
        try:
            within = ir.Duration(Decimal(str(_need(w, "amount", (int, str), f"{where}.within"))),
                                 _need(w, "unit", str, f"{where}.within"))
        except InvalidOperation:
            raise _Bad(f"{where}.within.amount: not a number") from None
    return ir.Condition(
        _need(data, "family", str, where),
        _need(data, "subject", str, where),
        _need(data, "op", str, where),
        values,
        key,
        within,
    )


def rule_from_json(data: dict[str, Any] | str) -> ir.Rule:
    """Rebuild and validate a rule from its JSON form (a dict or JSON text)."""
    try:
        if isinstance(data, str):
            data = json.loads(data)
        version = data.get("version", FORMAT_VERSION) if isinstance(data, dict) else None
        if version != FORMAT_VERSION:
            raise _Bad(f"version: expected {FORMAT_VERSION}, got {version!r}")
        expr = _node_from_json(_need(data, "rule", dict, "$"), "$.rule")
    except json.JSONDecodeError as exc:
        raise RuleError(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except _Bad as exc:
        raise RuleError(f"invalid rule JSON: {exc}", Span(1, 1, 0, 0)) from None
    built = ir.Rule(expr)
    try:
        text = format_rule(built)
    except (KeyError, IndexError, AttributeError, TypeError, ValueError) as exc:
        raise RuleError(f"invalid rule JSON: a condition does not fit its family ({exc})") from None
    rule = parse_text(text)
    if rule != built:
        raise RuleError(
            "invalid rule JSON: a condition is not in canonical form",
            hints=(f"the text form reads: {text}", "use Rule.to_json() output as a template"),
        )
    return rule


def schema() -> dict[str, Any]:
    """The JSON Schema of the JSON form, as shipped with the package."""
    return json.loads((resources.files("segdsl") / "rule.schema.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


ir.register_json_form(rule_to_json, rule_from_json)
