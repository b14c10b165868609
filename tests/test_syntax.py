"""The front end on valid rules: the example corpus, and table tests of LANGUAGE.md sections 1-3."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

import segdsl
from segdsl.lang import ir
from segdsl.lang.errors import Span
from segdsl.lang.syntax import TERMINAL_WORDS, parser

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples" / "rules").glob("*.seg"))

CHANNEL = ir.Condition("channel", "channel", "is", (ir.Word("sms"),))


def cond(text: str) -> ir.Node:
    """The node of the one condition (or group) after `channel sms and`."""
    rule = segdsl.parse(f"channel sms and {text}")
    assert isinstance(rule.expr, ir.And) and rule.expr.items[0] == CHANNEL
    items = rule.expr.items[1:]
    return items[0] if len(items) == 1 else ir.And(items)


def tag(value: str, op: str = "is") -> ir.Condition:
    return ir.Condition("tag", "tag", op, (ir.Text(value),))


def field(key: str, op: str, *values: ir.Value) -> ir.Condition:
    return ir.Condition("field", "field", op, values, key=ir.Text(key))


# --------------------------------------------------------------------------- the corpus


def test_corpus_is_there() -> None:
    assert len(EXAMPLES) >= 70


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_parses_and_formats(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    rule = segdsl.parse(text)
    assert rule.channel in ("whatsapp", "messenger", "instagram", "telegram", "webchat", "sms")
    canonical = segdsl.format(rule)
    assert "\n" not in canonical and "#" not in canonical.replace('"#', "")
    assert segdsl.format(canonical) == canonical  # idempotent
    again = segdsl.parse(canonical)
    assert again == rule  # parse(format(r)) == r
    assert segdsl.format(again) == canonical


def test_corpus_covers_every_family_and_operator() -> None:
    seen = set()
    for path in EXAMPLES:
        for c in segdsl.parse(path.read_text(encoding="utf-8")).conditions():
            seen.add((c.subject, c.op))
    expected = {
        ("channel", "is"),
        *(("tag", op) for op in ("is", "isnt", "in", "unknown", "known")),
        *(("name", op) for op in ("is", "isnt", "in", "unknown", "known", "contains", "starts_with", "ends_with")),
        *(("gender", op) for op in ("is", "isnt", "in", "unknown")),
        *(("field", op) for op in ("is", "isnt", "in", "unknown", "known", "contains", "starts_with", "ends_with")),
        *(("field", op) for op in ("lt", "le", "gt", "ge")),
        *(("last interaction", op) for op in ("within", "more_than_ago", "before", "after", "on", "between")),
        *(("last interaction time", op) for op in ("between", "before", "after")),
        ("talked with agent", "flag"),
        ("completed product flow", "flag"),
        ("completed collection flow", "flag"),
        ("completed bot flow", "flag"),
        ("has unpaid cart", "flag"),
    }
    assert expected <= seen, sorted(expected - seen)


def test_every_terminal_has_user_words() -> None:
    names = {t.name for t in parser().terminals} - {"COMMENT", "WS"}
    assert names <= set(TERMINAL_WORDS), sorted(names - set(TERMINAL_WORDS))


# --------------------------------------------------------------------------- lexical


@pytest.mark.parametrize(
    "text",
    [
        "channel sms and (tag = 'x' and not gender is male or name is known)",
        "CHANNEL SMS AND (TAG = 'x' AND NOT GENDER IS MALE OR NAME IS KNOWN)",
        "Channel Sms And (Tag = 'x' aNd nOt Gender Is Male Or Name iS Known)",
    ],
)
def test_keywords_are_case_insensitive(text: str) -> None:
    rule = segdsl.parse(text)
    assert rule.expr == ir.And(
        (
            CHANNEL,
            ir.Or(
                (
                    ir.And((tag("x"), ir.Not(ir.Condition("personal", "gender", "is", (ir.Word("male"),))))),
                    ir.Condition("personal", "name", "known"),
                )
            ),
        )
    )


@pytest.mark.parametrize("op", ["is", "=", "IS", "Is"])
def test_is_and_equals(op: str) -> None:
    assert cond(f'tag {op} "vip"') == tag("vip")
    assert cond(f"gender {op} female") == ir.Condition("personal", "gender", "is", (ir.Word("female"),))
    assert cond(f"field plan {op} 3") == field("plan", "is", ir.Number(Decimal(3)))


ISNT_SPELLINGS = ["isn't", "isn\u2019t", "is not", "!=", "ISN'T", "Isn\u2019T", "IS NOT", "is\tnot", "is  \n not"]


@pytest.mark.parametrize("op", ISNT_SPELLINGS)
def test_isnt_spellings(op: str) -> None:
    assert cond(f'tag {op} "vip"') == tag("vip", "isnt")
    assert cond(f'name {op} "Asha"') == ir.Condition("personal", "name", "isnt", (ir.Text("Asha"),))
    assert cond(f"gender {op} other") == ir.Condition("personal", "gender", "isnt", (ir.Word("other"),))
    assert cond(f'field plan {op} "gold"') == field("plan", "isnt", ir.Text("gold"))


@pytest.mark.parametrize(
    ("text", "op"),
    [
        ("is unknown", "unknown"),
        ("is known", "known"),
        ("IS UNKNOWN", "unknown"),
        ("isn't unknown", "known"),
        ("is not known", "unknown"),
    ],
)
def test_is_known_unknown(text: str, op: str) -> None:
    assert cond(f"tag {text}") == ir.Condition("tag", "tag", op)
    assert cond(f"email {text}") == ir.Condition("personal", "email", op)
    assert cond(f"field plan {text}") == ir.Condition("field", "field", op, key=ir.Text("plan"))


def test_comments() -> None:
    text = (
        "# leading comment\n"
        "channel sms # after the channel\n"
        "#and tag = 'commented out'\n"
        '  and tag = "#not a comment"   # but this is\n'
        "# trailing comment without a newline"
    )
    assert segdsl.parse(text) == segdsl.parse('channel sms and tag = "#not a comment"')
    assert segdsl.parse("channel sms#comment right after a word") == segdsl.parse("channel sms")


def test_whitespace_means_nothing() -> None:
    spaced = ' \t\n channel \r\n\t sms \f and\n\n\ttag\n=\n"x"\n\n'
    assert segdsl.parse(spaced) == segdsl.parse('channel sms and tag = "x"')
    assert segdsl.parse('channel sms and(tag="x"or tag="y")') == segdsl.parse(
        'channel sms and (tag = "x" or tag = "y")'
    )


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        ('"plain"', "plain"),
        ("'plain'", "plain"),
        (r'"say \"hi\""', 'say "hi"'),
        (r"'it\'s'", "it's"),
        ("'say \"hi\"'", 'say "hi"'),
        ('"it\'s"', "it's"),
        (r'"back\\slash"', "back\\slash"),
        (r"'back\\slash'", "back\\slash"),
        (r'"line\nbreak"', "line\nbreak"),
        (r'"tab\there"', "tab\there"),
        (r'"\u00e9\u00E9"', "\u00e9\u00e9"),
        (r"'\u0041\u20ac'", "A\u20ac"),
        (r'"\ud83d\ude00"', "\U0001f600"),
        ('"\U0001f600 Zo\u00eb M\u00fcller \u0939\u093f"', "\U0001f600 Zo\u00eb M\u00fcller \u0939\u093f"),
        (r'"\\n is not a newline"', "\\n is not a newline"),
        ('"50% a_b"', "50% a_b"),
        ('"#"', "#"),
    ],
)
def test_strings_and_escapes(literal: str, value: str) -> None:
    assert cond(f"name is {literal}") == ir.Condition("personal", "name", "is", (ir.Text(value),))
    # the canonical form reads back as the same string
    assert segdsl.parse(segdsl.format(f"channel sms and name is {literal}")) == segdsl.parse(
        f"channel sms and name is {literal}"
    )


@pytest.mark.parametrize(
    ("literal", "value", "text"),
    [
        ("12", Decimal(12), "12"),
        ("-3", Decimal(-3), "-3"),
        ("4.50", Decimal("4.50"), "4.50"),
        ("0", Decimal(0), "0"),
        ("-0.25", Decimal("-0.25"), "-0.25"),
        ("007", Decimal(7), "7"),
        ("123456789012345678901234567890", Decimal("123456789012345678901234567890"), "123456789012345678901234567890"),
    ],
)
def test_numbers(literal: str, value: Decimal, text: str) -> None:
    c = cond(f"field orders > {literal}")
    assert c == field("orders", "gt", ir.Number(value))
    assert str(c.values[0].value) == str(value)  # 4.50 keeps its digits
    assert segdsl.format(f"channel sms and field orders > {literal}") == f"channel sms and field orders > {text}"


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        ("2026-11-01", ir.Date(dt.date(2026, 11, 1))),
        ("2024-02-29", ir.Date(dt.date(2024, 2, 29))),
        ("2026-11-01T14:30", ir.DateTime(dt.datetime(2026, 11, 1, 14, 30))),
        ("2026-11-01T14:30:15", ir.DateTime(dt.datetime(2026, 11, 1, 14, 30, 15))),
        ("2026-11-01T14:30Z", ir.DateTime(dt.datetime(2026, 11, 1, 14, 30))),
        ("2026-11-01T14:30:15Z", ir.DateTime(dt.datetime(2026, 11, 1, 14, 30, 15))),
        ("2026-11-01t14:30:15z", ir.DateTime(dt.datetime(2026, 11, 1, 14, 30, 15))),
        ("2026-11-01T00:00", ir.DateTime(dt.datetime(2026, 11, 1))),
        ("2026-11-01T23:59:59", ir.DateTime(dt.datetime(2026, 11, 1, 23, 59, 59))),
    ],
)
def test_dates_and_date_times(literal: str, value: ir.Value) -> None:
    assert cond(f"last interaction before {literal}") == ir.Condition(
        "last_interaction", "last interaction", "before", (value,)
    )


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        ("09:00", dt.time(9, 0)),
        ("09:00:30", dt.time(9, 0, 30)),
        ("00:00", dt.time(0, 0)),
        ("23:59:59", dt.time(23, 59, 59)),
    ],
)
def test_times_of_day(literal: str, value: dt.time) -> None:
    assert cond(f"last interaction time after {literal}") == ir.Condition(
        "interaction_time", "last interaction time", "after", (ir.TimeOfDay(value),)
    )


def test_between_takes_two_bounds() -> None:
    assert cond("last interaction between 2026-11-01 and 2026-11-15T10:00") == ir.Condition(
        "last_interaction",
        "last interaction",
        "between",
        (ir.Date(dt.date(2026, 11, 1)), ir.DateTime(dt.datetime(2026, 11, 15, 10))),
    )
    assert cond("last interaction time between 22:00 and 06:00:30") == ir.Condition(
        "interaction_time", "last interaction time", "between",
        (ir.TimeOfDay(dt.time(22)), ir.TimeOfDay(dt.time(6, 0, 30))),
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", ir.Boolean(True)),
        ("TRUE", ir.Boolean(True)),
        ("false", ir.Boolean(False)),
        ("False", ir.Boolean(False)),
    ],
)
def test_booleans(text: str, value: ir.Boolean) -> None:
    assert cond(f"field returningUser = {text}") == field("returningUser", "is", value)


@pytest.mark.parametrize(
    "text",
    [
        "field returningUser:true",
        "field returningUser : true",
        "field returningUser = true",
        "field returningUser is true",
        "field returningUser=TRUE",
    ],
)
def test_field_shorthand(text: str) -> None:
    assert cond(text) == field("returningUser", "is", ir.Boolean(True))


def test_field_keys() -> None:
    assert cond('field "plan type":"gold"') == field("plan type", "is", ir.Text("gold"))
    assert cond("field 'and' = 1") == field("and", "is", ir.Number(Decimal(1)))
    assert cond("field Plan = 1") != cond("field plan = 1")  # keys are case-sensitive
    assert cond("field is is 1") == field("is", "is", ir.Number(Decimal(1)))
    for key in ("and", "NOT", "between", "true", "plan type", "9lives", "it's", 'say "x"'):
        text = segdsl.format(ir.Rule(ir.And((CHANNEL, field(key, "known")))))
        assert segdsl.parse(text).expr.items[1].key == ir.Text(key), text


@pytest.mark.parametrize(
    ("text", "unit", "amount"),
    [
        ("within 7 days", "days", 7),
        ("within 1 day", "days", 1),
        ("within 90 minutes", "minutes", 90),
        ("within 1 minute", "minutes", 1),
        ("within 3 HOURS", "hours", 3),
        ("within 1 hour", "hours", 1),
        ("within 2 weeks", "weeks", 2),
        ("within 1 Week", "weeks", 1),
    ],
)
def test_durations(text: str, unit: str, amount: int) -> None:
    c = cond(f"last interaction {text}")
    window = ir.Duration(Decimal(amount), unit)
    assert c == ir.Condition("last_interaction", "last interaction", "within", within=window)
    flag = cond(f"talked with agent {text}")
    assert flag == ir.Condition("interaction_flag", "talked with agent", "flag", within=window)


def test_flags() -> None:
    assert cond('completed bot flow "Welcome" within 30 days') == ir.Condition(
        "interaction_flag",
        "completed bot flow",
        "flag",
        key=ir.Text("Welcome"),
        within=ir.Duration(Decimal(30), "days"),
    )
    assert cond("Has Unpaid Cart") == ir.Condition("unpaid_cart", "has unpaid cart", "flag")


def test_gender_values_fold_case() -> None:
    expected = ir.Condition("personal", "gender", "in", (ir.Word("female"), ir.Word("other")))
    assert cond("gender in (FEMALE, 'Other')") == expected


# --------------------------------------------------------------------------- structure


A, B, C, D = (tag(x) for x in "abcd")


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ('tag = "a" or tag = "b" and tag = "c"', ir.Or((A, ir.And((B, C))))),
        ('tag = "a" and tag = "b" or tag = "c"', ir.Or((ir.And((A, B)), C))),
        ('tag = "a" or tag = "b" and tag = "c" or tag = "d"', ir.Or((A, ir.And((B, C)), D))),
        ('(tag = "a" or tag = "b") and tag = "c"', ir.And((ir.Or((A, B)), C))),
        ('not tag = "a" and tag = "b"', ir.And((ir.Not(A), B))),
        ('not tag = "a" or tag = "b"', ir.Or((ir.Not(A), B))),
        ('not (tag = "a" and tag = "b")', ir.Not(ir.And((A, B)))),
        ('not not tag = "a"', ir.Not(ir.Not(A))),
        ('tag = "a" and not not tag = "b"', ir.And((A, ir.Not(ir.Not(B))))),
        ('tag = "a" or tag = "b" or tag = "c"', ir.Or((A, B, C))),
        ('(tag = "a" or tag = "b") or tag = "c"', ir.Or((A, B, C))),
        ('tag = "a" or (tag = "b" or tag = "c")', ir.Or((A, B, C))),
        ('((((tag = "a"))))', A),
        ('not (not (tag = "a"))', ir.Not(ir.Not(A))),
    ],
)
def test_precedence(text: str, tree: ir.Node) -> None:
    """`not` binds tightest, then `and`, then `or`; chains of one operator flatten."""
    rule = segdsl.parse(f"channel sms and ({text})")
    inner = tree.items if isinstance(tree, ir.And) else (tree,)  # a group of `and` joins the top level
    assert rule.expr == ir.And((CHANNEL, *inner))
    assert segdsl.parse(f"channel sms and {text}" if isinstance(tree, ir.And) else f"channel sms and ({text})") == rule


def test_top_level_and_flattens() -> None:
    rule = segdsl.parse('channel sms and tag = "a" and (tag = "b" and tag = "c")')
    assert rule.expr == ir.And((CHANNEL, A, B, C))
    assert segdsl.parse('tag = "a" and channel sms').channel == "sms"


def test_channel_alone_and_case() -> None:
    assert segdsl.parse("channel sms").expr == CHANNEL
    assert segdsl.parse("CHANNEL WhatsApp").channel == "whatsapp"
    assert segdsl.parse("(channel sms)").expr == CHANNEL


# --------------------------------------------------------------------------- spans


def test_spans_on_a_multi_line_rule() -> None:
    text = (
        "# spans\n"  # 0-7
        "channel sms\n"  # 8-19
        "  and not tag = 'vip'\n"  # 20-41
        "  and (name is known or\n"  # 42-64
        "       gender in (female, male))"
    )
    rule = segdsl.parse(text)
    assert rule.span == Span(1, 1, 0, len(text))
    channel, negation, group = rule.expr.items
    assert rule.expr.span == Span(2, 1, 8, len(text) - 1)

    assert channel.span == Span(2, 1, 8, 19)
    assert channel.values[0].span == Span(2, 9, 16, 19)

    assert negation.span == Span(3, 7, 26, 41)
    assert text[negation.span.start : negation.span.end] == "not tag = 'vip'"
    assert negation.item.span == Span(3, 11, 30, 41)
    assert negation.item.values[0].span == Span(3, 17, 36, 41)

    assert isinstance(group, ir.Or)
    name, gender = group.items
    assert name.span == Span(4, 8, 49, 62)
    assert text[name.span.start : name.span.end] == "name is known"
    start = text.index("gender")
    assert gender.span == Span(5, 8, start, len(text) - 1)
    assert text[gender.span.start : gender.span.end] == "gender in (female, male)"
    male = gender.values[1]
    assert male.span == Span(5, 27, text.index("male)"), text.index("male)") + 4)
    assert group.span.line == 4 and group.span.end == gender.span.end


def test_spans_agree_with_line_and_column() -> None:
    """Every node's (line, column) is where its start offset lies in the text."""
    for path in EXAMPLES:
        text = path.read_text(encoding="utf-8")
        rule = segdsl.parse(text)
        stack: list[ir.Node] = [rule.expr]
        while stack:
            node = stack.pop()
            assert node.span == Span.at(text, node.span.start, node.span.end), (path.name, node)
            assert 0 <= node.span.start < node.span.end <= len(text)
            if isinstance(node, ir.Not):
                assert text[node.span.start : node.span.start + 3].lower() == "not"
                stack.append(node.item)
            elif isinstance(node, (ir.And, ir.Or)):
                stack.extend(node.items)
            else:
                for value in node.values:
                    assert node.span.start <= value.span.start < value.span.end <= node.span.end


def test_spans_do_not_take_part_in_equality() -> None:
    assert segdsl.parse('channel sms and tag = "x"') == segdsl.parse('  channel   sms\n and\ttag = "x"')
