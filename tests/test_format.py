"""Properties of the canonical form and the JSON form, on random valid rules."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import segdsl
from segdsl.lang import ir
from tests.strategies import SAFE_TEXT, conditions, rule_conditions, rules

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CHANNEL = ir.Condition("channel", "channel", "is", (ir.Word("sms"),))


@PROPERTY
@given(rules())
def test_format_is_idempotent(text: str) -> None:
    canonical = segdsl.format(text)
    assert segdsl.format(canonical) == canonical
    assert "\n" not in canonical and "\r" not in canonical  # one line, no comments


@PROPERTY
@given(rules())
def test_parse_format_round_trip(text: str) -> None:
    rule = segdsl.parse(text)
    assert segdsl.parse(segdsl.format(rule)) == rule


@PROPERTY
@given(rule_conditions(max_leaves=20))
def test_round_trip_on_deeper_expressions(expression: str) -> None:
    rule = segdsl.parse(f"channel sms and {expression}")
    canonical = segdsl.format(rule)
    assert segdsl.parse(canonical) == rule
    assert segdsl.format(canonical) == canonical


@PROPERTY
@given(conditions())
def test_condition_round_trip(condition: str) -> None:
    rule = segdsl.parse(f"channel whatsapp and {condition}")
    assert segdsl.parse(segdsl.format(rule)) == rule


@PROPERTY
@given(rules())
def test_json_round_trip(text: str) -> None:
    rule = segdsl.parse(text)
    data = rule.to_json()
    assert segdsl.Rule.from_json(data) == rule
    # through real JSON text too, with and without spans
    assert segdsl.Rule.from_json(json.loads(json.dumps(data))) == rule
    assert segdsl.Rule.from_json(json.dumps(rule.to_json(spans=False))) == rule


@PROPERTY
@given(st.text(alphabet=SAFE_TEXT, min_size=1).filter(lambda t: t.strip(" ") != ""))
def test_any_text_value_survives_the_canonical_form(value: str) -> None:
    """quote() writes every string so that it reads back as the same string."""
    rule = ir.Rule(ir.And((CHANNEL, ir.Condition("personal", "name", "is", (ir.Text(value),)))))
    text = segdsl.format(rule)
    assert segdsl.parse(text) == rule
    assert "\n" not in text


@PROPERTY
@given(st.decimals(allow_nan=False, allow_infinity=False, places=4))
def test_any_number_survives_the_canonical_form(value: Decimal) -> None:
    rule = ir.Rule(ir.And((CHANNEL, ir.Condition("field", "field", "gt", (ir.Number(value),), key=ir.Text("n")))))
    assert segdsl.parse(segdsl.format(rule)) == rule


def test_format_examples() -> None:
    """A few fixed canonical spellings (the properties above say nothing about style)."""
    cases = {
        "CHANNEL SMS AND Tag = 'vip'": 'channel sms and tag is "vip"',
        "channel sms and tag is not 'a' and tag != 'b' and tag isn\u2019t 'c'": (
            'channel sms and tag isn\'t "a" and tag isn\'t "b" and tag isn\'t "c"'
        ),
        "channel sms and field returningUser:TRUE": "channel sms and field returningUser = true",
        "channel sms and field 'plan type' is 'x'": 'channel sms and field "plan type" = "x"',
        "channel sms and field 'and' is 1": 'channel sms and field "and" = 1',
        "channel sms and (tag = 'a' or tag = 'b' and not (tag = 'c' or tag = 'd'))": (
            'channel sms and (tag is "a" or (tag is "b" and not (tag is "c" or tag is "d")))'
        ),
        "channel sms and ((tag = 'a'))": 'channel sms and tag is "a"',
        "channel sms and last interaction within 1 days": "channel sms and last interaction within 1 day",
        "channel sms and last interaction within 2 week": "channel sms and last interaction within 2 weeks",
        "channel sms and last interaction after 2026-11-01t14:30z": (
            "channel sms and last interaction after 2026-11-01T14:30:00"
        ),
        "channel sms and last interaction time after 09:00:00": "channel sms and last interaction time after 09:00",
        "channel sms and name is '\\u00e9\\t\\'\"'": 'channel sms and name is "\u00e9\\t\'\\""',
        "channel sms and name is 'a\\u0001b'": 'channel sms and name is "a\\u0001b"',
        "channel sms and gender in (FEMALE, 'Other')": "channel sms and gender in (female, other)",
        "channel sms and field n > 007.50": "channel sms and field n > 7.50",
    }
    for text, canonical in cases.items():
        assert segdsl.format(text) == canonical, text
