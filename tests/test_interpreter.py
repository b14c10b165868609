"""The in-process interpreter: record semantics and every row of LANGUAGE.md section 3.

Records are small and hand-made; every expected result was checked by hand
against the contract. ``now`` is fixed at 2026-11-28T12:00:00Z unless a test
says otherwise.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from segdsl.builtins.field import field_texts

import segdsl
import segdsl.api
import segdsl.inproc.view
from segdsl.inproc.view import RecordError, View, field_text, parse_instant

NOW = "2026-11-28T12:00:00Z"
NOW_DT = dt.datetime(2026, 11, 28, 12, 0, 0)


def rec(**facts: Any) -> dict[str, Any]:
    """A whatsapp customer with the given facts (id 1)."""
    out: dict[str, Any] = {"id": 1, "channels": ["whatsapp"]}
    out.update(facts)
    return out


def chat(at: str, channel: str = "whatsapp", **flags: Any) -> dict[str, Any]:
    """One interaction row."""
    return {"channel": channel, "occurred_at": at, **flags}


def check(condition: str, record: dict[str, Any], expected: bool) -> None:
    rule = f"channel whatsapp and {condition}"
    assert segdsl.evaluate(rule, record, now=NOW) is expected, (rule, record)
    # two-valued logic: the negation is the exact complement
    assert segdsl.evaluate(f"channel whatsapp and not ({condition})", record, now=NOW) is (not expected)


# --------------------------------------------------------------------------- record semantics


def test_missing_keys_mean_no_data() -> None:
    bare = {"id": 7, "channels": ["whatsapp"]}
    assert segdsl.evaluate("channel whatsapp", bare, now=NOW)
    for condition, expected in [
        ("name is unknown", True),
        ('name isn\'t "Asha"', True),
        ('name contains "a"', False),
        ("email is unknown", True),
        ("number is unknown", True),
        ("gender is unknown", True),
        ("gender isn't female", True),
        ("tag is unknown", True),
        ('tag isn\'t "vip"', True),
        ("field orders is unknown", True),
        ("field orders != 7", True),
        ("field orders < 100", False),
        ("last interaction within 1000 weeks", False),
        ("last interaction more than 1 minute ago", False),
        ("last interaction time before 23:59", False),
        ("talked with agent", False),
        ("has unpaid cart", False),
    ]:
        check(condition, bare, expected)
    assert not segdsl.evaluate("channel whatsapp", {"id": 8}, now=NOW)


def test_null_values_mean_no_data() -> None:
    nulls = rec(name=None, email=None, phone=None, gender=None, tags=None, fields=None, interactions=None, carts=None)
    for condition in ["name is unknown", "email is unknown", "number is unknown", "gender is unknown",
                      "tag is unknown", "field x is unknown", "not talked with agent", "not has unpaid cart"]:
        check(condition, nulls, True)
    check("field x is unknown", rec(fields={"x": None}), True)


@pytest.mark.parametrize(
    "stamp",
    [
        "2026-11-20T09:15:00Z",
        "2026-11-20T09:15:00z",
        "2026-11-20T09:15:00",  # naive is UTC
        "2026-11-20 09:15:00",
        "2026-11-20T14:45:00+05:30",
        "2026-11-20T01:15:00-08:00",
        "2026-11-20T09:15:00.999Z",  # fractional seconds are truncated, not rounded
        "2026-11-20T09:15:00.000001+00:00",
        "2026-11-20T09:15:00+00:00",
    ],
)
def test_timestamp_spellings_name_the_same_instant(stamp: str) -> None:
    assert parse_instant(stamp) == dt.datetime(2026, 11, 20, 9, 15, 0)
    record = rec(interactions=[chat(stamp)])
    check("last interaction between 2026-11-20T09:15:00 and 2026-11-20T09:15:00", record, True)
    check("last interaction time between 09:15 and 09:15:01", record, True)


def test_fractional_seconds_truncate_at_a_day_boundary() -> None:
    late = rec(interactions=[chat("2026-11-20T23:59:59.999999Z")])
    check("last interaction on 2026-11-20", late, True)
    check("last interaction before 2026-11-21", late, True)
    check("last interaction after 2026-11-20", late, False)
    check("last interaction time after 23:59:59", late, True)


def test_offsets_move_the_day() -> None:
    # 2026-11-21 05:29:59 in India is still 2026-11-20 in UTC; 05:30 is the 21st
    check("last interaction on 2026-11-20", rec(interactions=[chat("2026-11-21T05:29:59+05:30")]), True)
    check("last interaction on 2026-11-21", rec(interactions=[chat("2026-11-21T05:30:00+05:30")]), True)
    # 2026-11-20 16:00 in California is 2026-11-21 00:00 UTC
    check("last interaction on 2026-11-21", rec(interactions=[chat("2026-11-20T16:00:00-08:00")]), True)


def test_parse_instant_accepts_datetimes() -> None:
    aware = dt.datetime(2026, 11, 20, 14, 45, 30, 900, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))
    assert parse_instant(aware) == dt.datetime(2026, 11, 20, 9, 15, 30)
    assert parse_instant(dt.datetime(2026, 11, 20, 9, 15, 30, 999999)) == dt.datetime(2026, 11, 20, 9, 15, 30)


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-01T00:00:00Z", "2026-11-20T25:00", "", 1700000000, None])
def test_malformed_timestamp_raises_record_error_naming_the_field(bad: Any) -> None:
    record = rec(interactions=[{"channel": "whatsapp", "occurred_at": bad}])
    with pytest.raises(RecordError, match="occurred_at") as info:
        segdsl.evaluate("channel whatsapp and last interaction within 7 days", record, now=NOW)
    assert isinstance(info.value, ValueError)
    with pytest.raises(RecordError, match="occurred_at"):
        segdsl.evaluate("channel whatsapp and talked with agent", record, now=NOW)
    with pytest.raises(RecordError, match="occurred_at"):
        parse_instant(bad, "interactions.occurred_at")


def test_record_error_is_importable_from_the_documented_place() -> None:
    assert issubclass(segdsl.inproc.view.RecordError, ValueError)


@pytest.mark.parametrize(
    ("value", "text"),
    [(7, "7"), (True, "true"), (False, "false"), (3.5, "3.5"), (-3, "-3"), ("7", "7"), (" x ", " x "), (None, None)],
)
def test_field_values_stand_for_their_json_text(value: Any, text: str | None) -> None:
    assert field_text(value) == text
    assert View(rec(fields={"k": value}), "whatsapp").fact(field_texts)["k"] == text


def test_json_number_and_boolean_field_values() -> None:
    record = rec(fields={"orders": 7, "returningUser": True, "ratio": 3.5, "off": False})
    for condition, expected in [
        ("field orders = 7", True),
        ('field orders = "7"', True),
        ("field orders > 6.5", True),
        ('field orders contains "7"', True),
        ("field returningUser = true", True),
        ('field returningUser = "TRUE"', True),
        ("field returningUser:true", True),
        ("field returningUser = false", False),
        ("field off = false", True),
        ("field off is known", True),
        ("field ratio = 3.50", True),
        ('field ratio = "3.5"', True),
        ('field ratio = "3.50"', False),  # text compares as text
    ]:
        check(condition, record, expected)


def test_matcher_compiles_once_and_is_reusable(monkeypatch: pytest.MonkeyPatch) -> None:
    match = segdsl.matcher('channel whatsapp and tag = "vip"', now=NOW)

    def no_more_parsing(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the matcher parsed the rule again")

    monkeypatch.setattr(segdsl.api, "parse_text", no_more_parsing)
    records = [rec(id=i, tags=["VIP"] if i % 2 else ["gold"]) for i in range(10)]
    assert [r["id"] for r in records if match(r)] == [1, 3, 5, 7, 9]
    assert [r["id"] for r in records if match(r)] == [1, 3, 5, 7, 9]  # and again
    assert match(rec(tags=["vip"])) is True
    assert match({"id": 2}) is False


def test_matcher_and_evaluate_accept_a_parsed_rule() -> None:
    rule = segdsl.parse('channel whatsapp and tag = "vip"')
    assert segdsl.matcher(rule, now=NOW)(rec(tags=["Vip"])) is True
    assert segdsl.evaluate(rule, rec(tags=["gold"]), now=NOW) is False


def test_evaluate_is_one_shot() -> None:
    assert segdsl.evaluate('channel whatsapp and name is "asha"', rec(name="Asha"), now=NOW) is True
    assert segdsl.evaluate('channel whatsapp and name is "asha"', rec(name="Ravi"), now=NOW) is False


@pytest.mark.parametrize(
    "now",
    [
        NOW,
        "2026-11-28T12:00:00",
        "2026-11-28T17:30:00+05:30",
        "2026-11-28T12:00:00.750Z",
        NOW_DT,
        dt.datetime(2026, 11, 28, 17, 30, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
    ],
)
def test_now_as_datetime_or_iso_string(now: Any) -> None:
    at_edge = rec(interactions=[chat("2026-11-21T12:00:00Z")])  # exactly now - 7 days
    before_edge = rec(interactions=[chat("2026-11-21T11:59:59Z")])
    rule = "channel whatsapp and last interaction within 7 days"
    assert segdsl.evaluate(rule, at_edge, now=now) is True
    assert segdsl.evaluate(rule, before_edge, now=now) is False
    assert segdsl.matcher(rule, now=now)(at_edge) is True


def test_now_as_a_date_string_is_midnight() -> None:
    rule = "channel whatsapp and last interaction within 1 day"
    assert segdsl.evaluate(rule, rec(interactions=[chat("2026-11-27T00:00:00Z")]), now="2026-11-28") is True
    assert segdsl.evaluate(rule, rec(interactions=[chat("2026-11-26T23:59:59Z")]), now="2026-11-28") is False


def test_now_defaults_to_the_current_utc_time() -> None:
    current = dt.datetime.now(dt.UTC)
    fresh = rec(interactions=[chat(current.isoformat())])
    stale = rec(interactions=[chat((current - dt.timedelta(hours=2)).isoformat())])
    rule = "channel whatsapp and last interaction within 1 hour"
    assert segdsl.evaluate(rule, fresh) is True
    assert segdsl.evaluate(rule, stale) is False


# --------------------------------------------------------------------------- section 3, row by row

ASHA = rec(name="Asha Rao", email="Asha@Example.com", phone="+91 98765-43210", gender="Female")
NOBODY = rec(name=None, email="", phone="   ", gender=" ")
ZOE = rec(name="ZOË MÜLLER")


def table(*rows: tuple[str, dict[str, Any], bool]) -> Any:
    return pytest.mark.parametrize(("condition", "record", "expected"), rows, ids=[f"{r[0]}|{i}" for i, r in
                                                                                   enumerate(rows)])


@pytest.mark.parametrize(
    ("rule", "record", "expected"),
    [
        ("channel whatsapp", rec(channels=["WhatsApp"]), True),
        ("channel WHATSAPP", rec(channels=["whatsapp"]), True),
        ('channel "whatsapp"', rec(channels=["whatsapp"]), True),
        ("channel whatsapp", rec(channels=["sms"]), False),
        ("channel whatsapp", rec(channels=[]), False),
        ("channel sms", rec(channels=["whatsapp", "SMS"]), True),
        ("Channel Telegram", rec(channels=["telegram"]), True),
    ],
)
def test_channel(rule: str, record: dict[str, Any], expected: bool) -> None:
    assert segdsl.evaluate(rule, record, now=NOW) is expected


@table(
    ('tag = "vip"', rec(tags=["VIP"]), True),
    ('tag is "vip"', rec(tags=["gold", "Vip"]), True),
    ('tag is "VIP"', rec(tags=["vip"]), True),
    ('tag = "vip"', rec(tags=["gold"]), False),
    ('tag = "vip"', rec(tags=["vip "]), False),  # no trimming for tags
    ('tag = "vip"', rec(), False),
    ('tag != "vip"', rec(tags=["gold"]), True),
    ('tag != "vip"', rec(), True),
    ('tag isn\'t "vip"', rec(tags=["VIP"]), False),
    ('tag isn\u2019t "vip"', rec(tags=["Gold"]), True),
    ('tag is not "vip"', rec(tags=["gold", "vip"]), False),
    ('tag in ("vip", "gold")', rec(tags=["GOLD"]), True),
    ('tag in ("vip", "gold")', rec(tags=["silver"]), False),
    ('tag in ("vip")', rec(tags=["vip"]), True),
    ("tag is unknown", rec(), True),
    ("tag is unknown", rec(tags=[]), True),
    ("tag is unknown", rec(tags=["x"]), False),
    ("tag is known", rec(tags=["x"]), True),
    ("tag is known", rec(tags=[]), False),
    ('tag = "zoë"', rec(tags=["ZOË"]), True),
    ('tag = "50%_off"', rec(tags=["50x_off"]), False),
    ('tag = "o\'brien"', rec(tags=["O'Brien"]), True),
)
def test_tag(condition: str, record: dict[str, Any], expected: bool) -> None:
    check(condition, record, expected)


@table(
    ('name is "Asha Rao"', ASHA, True),
    ('name is "asha rao"', ASHA, True),
    ('name = "ASHA RAO"', ASHA, True),
    ('name is "Asha"', ASHA, False),
    ('name is "asha rao"', rec(name=" Asha Rao"), False),  # equality does not trim
    ('name is "zoë müller"', ZOE, True),
    ('name isn\'t "Asha Rao"', ASHA, False),
    ('name isn\'t "Asha"', ASHA, True),
    ('name isn\'t "Asha"', NOBODY, True),  # includes customers whose name is unknown
    ('name != "Asha"', rec(), True),
    ("name is unknown", NOBODY, True),
    ("name is unknown", rec(name=""), True),
    ("name is unknown", rec(name="   "), True),
    ("name is unknown", rec(name="\tx"), False),
    ("name is unknown", ASHA, False),
    ("name is known", ASHA, True),
    ("name is known", rec(name="  "), False),
    ("name isn't known", rec(name=""), True),
    ('name contains "sh"', ASHA, True),
    ('name contains "HA R"', ASHA, True),
    ('name contains "x"', ASHA, False),
    ('name contains "%"', rec(name="50%_off"), True),
    ('name contains "%"', ASHA, False),  # no wildcards
    ('name contains "_"', ASHA, False),
    ('name contains " "', rec(name="   "), False),  # false when unknown
    ('name contains "a"', NOBODY, False),
    ('name starts with "as"', ASHA, True),
    ('name starts with "rao"', ASHA, False),
    ('name ends with "RAO"', ASHA, True),
    ('name ends with "ë müller"', ZOE, True),
    ('name ends with "asha"', ASHA, False),
    ('name starts with "a"', NOBODY, False),
    ('name in ("Ravi", "asha rao")', ASHA, True),
    ('name in ("Ravi", "Asha")', ASHA, False),
    ('name in ("Ravi")', NOBODY, False),
    ('email is "asha@example.com"', ASHA, True),
    ('email contains "@EXAMPLE."', ASHA, True),
    ('email ends with ".org"', ASHA, False),
    ("email is unknown", NOBODY, True),
    ("email is known", ASHA, True),
    ('email in ("x@y.z", "ASHA@EXAMPLE.COM")', ASHA, True),
    ('number is "+91 98765-43210"', rec(phone="919876543210"), True),
    ('number is "919876543210"', ASHA, True),
    ('number is "(91) 98765.43210"', ASHA, True),
    ('number is "98765 43210"', ASHA, False),
    ('number isn\'t "919876543210"', ASHA, False),
    ('number isn\'t "919876543210"', NOBODY, True),
    ('number contains "98765-4"', ASHA, True),
    ('number starts with "+91"', ASHA, True),
    ('number ends with "3210"', ASHA, True),
    ('number in ("1", "+91-98765-43210")', ASHA, True),
    ("number is unknown", NOBODY, True),
    ("number is known", ASHA, True),
    ("number is known", rec(phone=919876543210), True),
    ('number is "919876543210"', rec(phone=919876543210), True),
    ("gender is female", ASHA, True),
    ('gender is "FEMALE"', ASHA, True),
    ("gender = Female", rec(gender="female"), True),
    ("gender is male", ASHA, False),
    ("gender is female", rec(gender=" female"), False),
    ("gender isn't female", ASHA, False),
    ("gender isn't female", NOBODY, True),
    ("gender isn't male", rec(), True),
    ("gender in (male, other)", rec(gender="OTHER"), True),
    ('gender in (male, "female")', ASHA, True),
    ("gender in (male, other)", ASHA, False),
    ("gender is unknown", NOBODY, True),
    ("gender is unknown", rec(), True),
    ("gender is unknown", ASHA, False),
    ("gender is known", ASHA, True),
    ("gender is known", rec(gender="robot"), True),  # any stored text is known
)
def test_personal_details(condition: str, record: dict[str, Any], expected: bool) -> None:
    check(condition, record, expected)


def fields(**values: Any) -> dict[str, Any]:
    return rec(fields=values)


@table(
    ('field tier = "gold"', fields(tier="Gold"), True),
    ('field tier = "gold"', fields(tier="  GOLD  "), True),
    ('field tier = " gold "', fields(tier="gold"), True),  # the rule's text is trimmed too
    ('field tier = "gold"', fields(tier="golden"), False),
    ('field tier = "gold"', fields(Tier="gold"), False),  # keys are case-sensitive
    ('field "tier" = "gold"', fields(tier="gold"), True),
    ('field "my key" = "x"', {"id": 1, "channels": ["whatsapp"], "fields": {"my key": "X"}}, True),
    ("field returningUser = true", fields(returningUser="true"), True),
    ("field returningUser = true", fields(returningUser=" TRUE "), True),
    ("field returningUser = true", fields(returningUser="yes"), False),
    ("field returningUser:true", fields(returningUser="True"), True),
    ("field returningUser:false", fields(returningUser="true"), False),
    ("field orders = 3", fields(orders="3"), True),
    ("field orders = 3", fields(orders=" 3.0 "), True),
    ("field orders = 3", fields(orders="+3"), True),
    ("field orders = 3", fields(orders="003"), True),
    ("field orders = 3", fields(orders="3abc"), False),
    ("field orders = 3", fields(orders="3e0"), False),
    ("field orders = 1000", fields(orders="1e3"), False),
    ("field orders = 3.50", fields(orders="3.5"), True),
    ("field orders = -3", fields(orders="-3"), True),
    ("field orders = 0", fields(orders=""), False),
    ("field orders = 3", fields(orders="3."), False),
    ("field orders = 0.5", fields(orders=".5"), False),
    ("field orders != 3", fields(orders="3"), False),
    ("field orders != 3", fields(orders="4"), True),
    ("field orders != 3", fields(orders="12abc"), True),
    ("field orders != 3", fields(), True),  # includes customers without the key
    ('field tier isn\'t "gold"', rec(), True),
    ('field tier isn\'t "gold"', fields(tier=" Gold"), False),
    ("field orders < 5", fields(orders="4"), True),
    ("field orders < 5", fields(orders="5"), False),
    ("field orders <= 5", fields(orders="5.0"), True),
    ("field orders > 5", fields(orders=" 12 "), True),
    ("field orders > 5", fields(orders="12abc"), False),
    ("field orders > 5", fields(orders="1e3"), False),
    ("field orders >= 5", fields(orders="+5"), True),
    ("field orders > -4", fields(orders="-3"), True),
    ("field orders < 1", fields(orders=""), False),
    ("field orders < 1", fields(orders="  "), False),
    ("field orders < 1", fields(), False),
    ("field orders >= 0", fields(orders="+-4"), False),
    ('field tier contains "OL"', fields(tier="gold"), True),
    ('field tier contains " "', fields(tier=" gold "), False),  # trimmed value
    ('field tier contains "%"', fields(tier="gold"), False),
    ('field tier starts with "go"', fields(tier="  Gold"), True),
    ('field tier ends with "LD"', fields(tier="gold  "), True),
    ('field tier ends with "x"', fields(), False),
    ('field tier in ("silver", "gold")', fields(tier="GOLD"), True),
    ('field tier in ("silver", 7)', fields(tier="7.0"), True),
    ('field tier in ("silver", 7, true)', fields(tier="true"), True),
    ('field tier in ("silver", 7)', fields(tier="gold"), False),
    ("field tier is unknown", fields(), True),
    ("field tier is unknown", fields(tier=""), True),
    ("field tier is unknown", fields(tier="   "), True),
    ("field tier is unknown", fields(tier="x"), False),
    ("field tier is known", fields(tier=" x "), True),
    ("field tier is known", fields(tier=" "), False),
)
def test_custom_fields(condition: str, record: dict[str, Any], expected: bool) -> None:
    check(condition, record, expected)


def chats(*stamps: str, channel: str = "whatsapp") -> dict[str, Any]:
    return rec(interactions=[chat(s, channel) for s in stamps])


@table(
    ("last interaction within 7 days", chats("2026-11-21T12:00:00Z"), True),  # at now - 7 days
    ("last interaction within 7 days", chats("2026-11-21T11:59:59Z"), False),
    ("last interaction within 7 days", chats("2026-11-01T00:00:00Z", "2026-11-25T00:00:00Z"), True),
    ("last interaction within 1 day", chats("2026-11-27T12:00:00Z"), True),
    ("last interaction within 2 weeks", chats("2026-11-14T12:00:00Z"), True),
    ("last interaction within 2 weeks", chats("2026-11-14T11:59:59Z"), False),
    ("last interaction within 36 hours", chats("2026-11-27T00:00:00Z"), True),
    ("last interaction within 90 minutes", chats("2026-11-28T10:30:00Z"), True),
    ("last interaction within 90 minutes", chats("2026-11-28T10:29:59Z"), False),
    ("last interaction within 1 minute", chats("2026-11-28T11:59:00Z"), True),
    ("last interaction within 7 days", chats("2026-11-27T00:00:00Z", channel="sms"), False),  # other channel
    ("last interaction within 7 days", rec(), False),
    ("last interaction more than 30 days ago", chats("2026-10-29T11:59:59Z"), True),
    ("last interaction more than 30 days ago", chats("2026-10-29T12:00:00Z"), False),  # exactly now - 30 days
    ("last interaction more than 30 days ago", chats("2026-10-01T00:00:00Z", "2026-11-20T00:00:00Z"), False),
    ("last interaction more than 30 days ago", rec(), False),  # customers with none never match
    ("last interaction more than 1 week ago", chats("2026-11-21T11:59:59Z"), True),
    ("last interaction before 2026-11-01", chats("2026-10-31T23:59:59Z"), True),
    ("last interaction before 2026-11-01", chats("2026-11-01T00:00:00Z"), False),
    ("last interaction before 2026-11-01", chats("2026-10-20T00:00:00Z", "2026-11-02T00:00:00Z"), False),
    ("last interaction before 2026-11-01T14:30", chats("2026-11-01T14:29:59Z"), True),
    ("last interaction before 2026-11-01T14:30", chats("2026-11-01T14:30:00Z"), False),
    ("last interaction after 2026-11-01", chats("2026-11-02T00:00:00Z"), True),
    ("last interaction after 2026-11-01", chats("2026-11-01T23:59:59Z"), False),  # after that day
    ("last interaction after 2026-11-01T14:30", chats("2026-11-01T14:30:01Z"), True),
    ("last interaction after 2026-11-01T14:30", chats("2026-11-01T14:30:00Z"), False),  # strictly after
    ("last interaction after 2026-11-01T14:30:15Z", chats("2026-11-01T14:30:16Z"), True),
    ("last interaction on 2026-11-01", chats("2026-11-01T00:00:00Z"), True),
    ("last interaction on 2026-11-01", chats("2026-11-01T23:59:59Z"), True),
    ("last interaction on 2026-11-01", chats("2026-11-02T00:00:00Z"), False),
    ("last interaction on 2026-11-01", chats("2026-10-31T23:59:59Z"), False),
    ("last interaction on 2026-11-01", chats("2026-11-01T10:00:00Z", "2026-11-03T10:00:00Z"), False),  # not last
    ("last interaction between 2026-11-01 and 2026-11-15", chats("2026-11-01T00:00:00Z"), True),
    ("last interaction between 2026-11-01 and 2026-11-15", chats("2026-11-15T23:59:59Z"), True),
    ("last interaction between 2026-11-01 and 2026-11-15", chats("2026-11-16T00:00:00Z"), False),
    ("last interaction between 2026-11-01 and 2026-11-15", chats("2026-10-31T23:59:59Z"), False),
    ("last interaction between 2026-11-01T09:00 and 2026-11-01T17:00", chats("2026-11-01T17:00:00Z"), True),
    ("last interaction between 2026-11-01T09:00 and 2026-11-01T17:00", chats("2026-11-01T17:00:01Z"), False),
    ("last interaction time between 09:00 and 17:00", chats("2026-11-20T09:00:00Z"), True),
    ("last interaction time between 09:00 and 17:00", chats("2026-11-20T16:59:59Z"), True),
    ("last interaction time between 09:00 and 17:00", chats("2026-11-20T17:00:00Z"), False),
    ("last interaction time between 09:00 and 17:00", chats("2026-11-20T08:59:59Z"), False),
    ("last interaction time between 09:00 and 17:00", chats("2026-11-20T10:00:00Z", "2026-11-21T20:00:00Z"),
     False),
    ("last interaction time between 22:00 and 06:00", chats("2026-11-20T23:30:00Z"), True),  # wraps
    ("last interaction time between 22:00 and 06:00", chats("2026-11-20T00:00:00Z"), True),
    ("last interaction time between 22:00 and 06:00", chats("2026-11-20T05:59:59Z"), True),
    ("last interaction time between 22:00 and 06:00", chats("2026-11-20T06:00:00Z"), False),
    ("last interaction time between 22:00 and 06:00", chats("2026-11-20T21:59:59Z"), False),
    ("last interaction time between 09:00:30 and 09:01", chats("2026-11-20T09:00:30Z"), True),
    ("last interaction time before 12:00", chats("2026-11-20T11:59:59Z"), True),
    ("last interaction time before 12:00", chats("2026-11-20T12:00:00Z"), False),
    ("last interaction time before 12:00", chats("2026-11-20T00:00:00Z"), True),
    ("last interaction time after 18:00", chats("2026-11-20T18:00:00Z"), True),
    ("last interaction time after 18:00", chats("2026-11-20T17:59:59Z"), False),
    ("last interaction time after 18:00", chats("2026-11-20T23:59:59Z"), True),
    ("last interaction time after 18:00", rec(), False),
    ("last interaction time after 18:00", chats("2026-11-20T19:00:00Z", channel="sms"), False),
)
def test_last_interaction(condition: str, record: dict[str, Any], expected: bool) -> None:
    check(condition, record, expected)


def flagged(*rows: dict[str, Any]) -> dict[str, Any]:
    return rec(interactions=list(rows))


AGENT_OLD = chat("2026-11-01T10:00:00Z", talked_with_agent=True)
AGENT_NEW = chat("2026-11-25T10:00:00Z", talked_with_agent=True)
QUIET_NEW = chat("2026-11-27T10:00:00Z")
BOT = chat("2026-11-26T10:00:00Z", completed_bot_flow=True, bot_flow="Welcome")


@table(
    ("talked with agent", flagged(AGENT_OLD, QUIET_NEW), True),  # at least one, not the last
    ("talked with agent", flagged(QUIET_NEW), False),
    ("talked with agent", flagged(chat("2026-11-25T10:00:00Z", "sms", talked_with_agent=True)), False),
    ("talked with agent", flagged(chat("2026-11-25T10:00:00Z", "WhatsApp", talked_with_agent=True)), True),
    ("talked with agent", flagged(chat("2026-11-25T10:00:00Z", talked_with_agent=False)), False),
    ("talked with agent within 7 days", flagged(AGENT_OLD, QUIET_NEW), False),
    ("talked with agent within 7 days", flagged(AGENT_OLD, AGENT_NEW), True),
    ("talked with agent within 7 days", flagged(chat("2026-11-21T12:00:00Z", talked_with_agent=True)), True),
    ("talked with agent within 7 days", flagged(chat("2026-11-21T11:59:59Z", talked_with_agent=True)), False),
    ("talked with agent within 1 hour", flagged(chat("2026-11-28T11:00:00Z", talked_with_agent=True)), True),
    ("completed product flow", flagged(chat("2026-11-01T00:00:00Z", completed_product_flow=True)), True),
    ("completed product flow", flagged(AGENT_NEW), False),
    ("completed collection flow", flagged(chat("2026-11-01T00:00:00Z", completed_collection_flow=True)), True),
    ("completed collection flow within 2 weeks",
     flagged(chat("2026-11-01T00:00:00Z", completed_collection_flow=True)), False),
    ("completed bot flow", flagged(BOT), True),
    ("completed bot flow", flagged(chat("2026-11-26T10:00:00Z", bot_flow="Welcome")), False),
    ('completed bot flow "Welcome"', flagged(BOT), True),
    ('completed bot flow "WELCOME"', flagged(BOT), True),
    ('completed bot flow "Other"', flagged(BOT), False),
    ('completed bot flow "Welcome"', flagged(chat("2026-11-26T10:00:00Z", completed_bot_flow=True)), False),
    ('completed bot flow "Welcome"',
     flagged(chat("2026-11-26T10:00:00Z", completed_bot_flow=True, bot_flow=" Welcome")), False),
    ('completed bot flow "Welcome" within 1 day', flagged(BOT), False),
    ('completed bot flow "Welcome" within 3 days', flagged(BOT), True),
    ("completed bot flow within 1 week", flagged(BOT), True),
    ("has unpaid cart", rec(carts=[{"channel": "whatsapp", "item_count": 2, "paid": False}]), True),
    ("has unpaid cart", rec(carts=[{"channel": "WhatsApp", "item_count": 1, "paid": False}]), True),
    ("has unpaid cart", rec(carts=[{"channel": "whatsapp", "item_count": 2, "paid": True}]), False),
    ("has unpaid cart", rec(carts=[{"channel": "whatsapp", "item_count": 0, "paid": False}]), False),
    ("has unpaid cart", rec(carts=[{"channel": "whatsapp", "item_count": -1, "paid": False}]), False),
    ("has unpaid cart", rec(carts=[{"channel": "sms", "item_count": 2, "paid": False}]), False),
    ("has unpaid cart", rec(carts=[{"channel": "sms", "item_count": 2, "paid": False},
                                   {"channel": "whatsapp", "item_count": 3, "paid": False}]), True),
    ("has unpaid cart", rec(), False),
)
def test_flags_and_carts(condition: str, record: dict[str, Any], expected: bool) -> None:
    check(condition, record, expected)


def test_the_example_record_from_the_spec() -> None:
    import json
    from pathlib import Path

    spec = Path(__file__).resolve().parent.parent / "examples" / "customer.example.json"
    record = json.loads(spec.read_text())
    rule = """channel whatsapp
      and tag = "vip"
      and gender is female
      and last interaction within 30 days
      and field returningUser = true      # a custom field"""
    assert segdsl.evaluate(rule, record, now=NOW) is True
    assert segdsl.evaluate('channel whatsapp and number is "919876543210" and field orders >= 7', record, now=NOW)
    assert segdsl.evaluate('channel whatsapp and completed bot flow "welcome" and has unpaid cart', record, now=NOW)
    assert not segdsl.evaluate("channel instagram and talked with agent", record, now=NOW)


def test_boolean_structure() -> None:
    record = rec(tags=["vip"], name="Asha")
    assert segdsl.evaluate('channel whatsapp and (tag = "gold" or name is "asha")', record, now=NOW)
    # and binds tighter than or: gold or (vip and asha)
    assert segdsl.evaluate('channel whatsapp and (tag = "gold" or tag = "vip" and name is "asha")',
                           rec(tags=["gold"], name="Ravi"), now=NOW)
    # not binds tightest, then and, then or
    assert segdsl.evaluate('channel whatsapp and not tag = "gold" and name is "asha"', record, now=NOW)
    assert not segdsl.evaluate('channel whatsapp and not (tag = "vip" or name is "x")', record, now=NOW)
    assert segdsl.evaluate('channel whatsapp and (tag = "x" or tag = "y" or not name is unknown)', record, now=NOW)
    assert segdsl.evaluate('channel whatsapp AND NOT NOT tag = "VIP"', record, now=NOW)
