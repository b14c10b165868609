"""Data for the differential proof: trap-laden datasets, rule text, and engines.

The strategies build customer *records* (the shape of
``customer.example.json``) and rule *text* from small pools of literals that
collide with each other on purpose: a tag pool and a rule-literal pool that
differ only in case, field values that are almost numbers, interactions at
the exact boundary instants of the rules' windows, dates and times of day.
So most generated rules match some customers and miss others.

:class:`Backends` keeps one connection per engine (SQLite and DuckDB in
memory, PostgreSQL and MariaDB in a dedicated ``segdsl_diff`` database) and
reloads the tables for each dataset. Test modules share it:
``test_differential.py`` and ``test_regressions.py``.

Environment:

- ``SEGDSL_SLOW=1``: thousands of examples instead of the CI default (200);
  ``SEGDSL_EXAMPLES=N`` sets the number exactly.
- ``SEGDSL_TEST_PG`` / ``SEGDSL_TEST_MYSQL``: an admin URL of the server
  (default ``postgresql://postgres@127.0.0.1:5432/test`` and
  ``mysql://root@127.0.0.1:3306/test``); the tests use a database named
  ``segdsl_diff`` on the same server, created if missing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import time
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st
from sqlglot import exp

import segdsl
from segdsl.api import audience
from segdsl.data.engines import Engine, EngineError, connect
from segdsl.data.records import create_schema, load_records
from segdsl.families.settings import default_settings
from segdsl.inproc.view import field_text, parse_instant
from segdsl.lang.textops import normalize_phone
from segdsl.sql.dialects import rules_for

# --------------------------------------------------------------------------- time

NOW = dt.datetime(2026, 11, 28, 12, 0, 0)
NOW_ISO = "2026-11-28T12:00:00Z"

RULE_DATES = [dt.date(2026, 11, 1), dt.date(2026, 11, 15), dt.date(2026, 11, 27), dt.date(2026, 11, 28)]
RULE_DATETIMES = [
    dt.datetime(2026, 11, 1, 9, 0),
    dt.datetime(2026, 11, 15, 17, 0, 0),
    dt.datetime(2026, 11, 27, 23, 59, 59),
    dt.datetime(2026, 11, 28, 11, 0, 0),
]
RULE_TIMES = [dt.time(0, 0), dt.time(9, 0), dt.time(12, 0), dt.time(17, 0), dt.time(18, 0), dt.time(23, 59, 59),
              dt.time(9, 0, 30)]
AMOUNTS = [0, 1, 7, 30]
UNITS = ["minutes", "hours", "days", "weeks"]


def _delta(amount: int, unit: str) -> dt.timedelta:
    return dt.timedelta(**{unit: amount})


def interesting_instants() -> list[dt.datetime]:
    """UTC instants on and next to every boundary the rule pools can draw."""
    out: set[dt.datetime] = {NOW, NOW - dt.timedelta(seconds=1), NOW + dt.timedelta(seconds=1)}
    second = dt.timedelta(seconds=1)
    for amount in AMOUNTS:
        for unit in UNITS:
            edge = NOW - _delta(amount, unit)
            out.update({edge - second, edge, edge + second})
    for day in RULE_DATES:
        midnight = dt.datetime.combine(day, dt.time())
        for hms in ((0, 0, 0), (9, 0, 0), (8, 59, 59), (12, 0, 0), (17, 0, 0), (16, 59, 59), (18, 0, 0),
                    (23, 59, 59), (9, 0, 30), (9, 0, 29)):
            out.add(midnight + dt.timedelta(hours=hms[0], minutes=hms[1], seconds=hms[2]))
        out.add(midnight - second)
        out.add(midnight + dt.timedelta(days=1))
    for stamp in RULE_DATETIMES:
        out.update({stamp - second, stamp, stamp + second})
    return sorted(out)


INSTANTS = interesting_instants()


def _spell_instant(at: dt.datetime, style: str) -> str:
    """One UTC instant written in one of the spellings a record may use."""
    if style == "z":
        return at.strftime("%Y-%m-%dT%H:%M:%SZ")
    if style == "naive":
        return at.strftime("%Y-%m-%dT%H:%M:%S")
    if style == "space":
        return at.strftime("%Y-%m-%d %H:%M:%S")
    if style == "fraction":  # fractional seconds are truncated, never rounded
        return at.strftime("%Y-%m-%dT%H:%M:%S") + ".999Z"
    if style == "ist":
        local = at + dt.timedelta(hours=5, minutes=30)
        return local.strftime("%Y-%m-%dT%H:%M:%S") + "+05:30"
    if style == "pst":
        local = at - dt.timedelta(hours=8)
        return local.strftime("%Y-%m-%dT%H:%M:%S") + "-08:00"
    raise ValueError(style)


INSTANT_STYLES = ["z", "naive", "space", "fraction", "ist", "pst"]


@st.composite
def instants(draw: st.DrawFn) -> str:
    """A timestamp text: mostly a boundary instant, sometimes any instant in the last two months."""
    if draw(st.integers(0, 9)) < 8:
        at = draw(st.sampled_from(INSTANTS))
    else:
        at = NOW - dt.timedelta(seconds=draw(st.integers(-3600, 60 * 86400)))
    return _spell_instant(at, draw(st.sampled_from(INSTANT_STYLES)))


# --------------------------------------------------------------------------- records

NAMES = [None, "", "  ", "Asha", "ASHA", "asha", " Asha ", "Asha Rao", "ZOË MÜLLER", "zoë müller", "Zoë",
         "50%_off", "a_b%c", "O'Brien", 'say "hi"', "Ravi", "12abc", "back\\slash", "ЖУК", "жук", "ΩΜΈΓΑ",
         "Asha\u00a0Rao", "asha\trao"]
EMAILS = [None, "", " ", "asha@example.com", "ASHA@Example.COM", "zoë@exämple.com", "x%_y@test.io",
          "o'brien@mail.com", "ravi@EXAMPLE.com ", "ZOË@EXÄMPLE.COM"]
PHONES = [None, "", "  ", "+91 98765-43210", "919876543210", "(91) 98765.43210", "98765 43210", "12abc",
          "+1 (555) 010-9999", "15550109999", "--", 919876543210]
GENDERS = [None, "", " ", "female", "Female", "FEMALE", " female", "male", "Male", "other", "OTHER", "unknown", "f"]
CHANNEL_NAMES = ["whatsapp", "WhatsApp", "sms", "SMS", "instagram", "telegram"]
# the rules' channels come up more often than the others, so that rules match
LIKELY_CHANNELS = st.sampled_from(
    ["whatsapp", "whatsapp", "WhatsApp", "sms", "sms", "SMS", "instagram", "telegram", "sms "]
)
TAGS = ["vip", "VIP", "Vip", "gold", "Gold", "zoë", "ZOË", "50%_off", "o'brien", "", " vip", "vip ", "new customer",
        "ЖУК", "vip\t"]
# `orders` comes up most, so that rules and records meet on it
FIELD_KEYS = ["orders", "orders", "orders", "orders", "Orders", "returningUser", "score", "city", "my key", "a%_b"]
FIELD_VALUES: list[Any] = [
    None, "", "  ", "7", " 7 ", "7.0", "007", "12abc", "1e3", "3.50", "3.5", "+4", "-3", "0", "gold", " Gold ",
    "GOLD", "true", "TRUE", "false", "ZOË", "zoë", "Pune", "pune ", "50%_off", "1.", ".5", "+-4", "4.", "- 3",
    "a_b%c", "o'brien", 7, 3.5, 0, -3, True, False, 1000, 4.0, "\t7", "7\n", "\u00a07", "\u0663", "-0", "+0.0",
    "0.30000000000000001", "99999999999999999999", "100000000000000000000", "1000.000000000000000001", "ЖУК",
    0.1, 1e20, 12345678901234567890,
]
BOT_FLOWS = [None, "Welcome", "welcome", "WELCOME", " Welcome", "Other", ""]


@st.composite
def interactions(draw: st.DrawFn) -> dict[str, Any]:
    row: dict[str, Any] = {
        "channel": draw(LIKELY_CHANNELS),
        "occurred_at": draw(instants()),
    }
    for flag in ("talked_with_agent", "completed_product_flow", "completed_collection_flow", "completed_bot_flow"):
        if draw(st.booleans()):  # a missing flag is false
            row[flag] = draw(st.booleans())
    bot_flow = draw(st.sampled_from(BOT_FLOWS))
    if bot_flow is not None or draw(st.booleans()):
        row["bot_flow"] = bot_flow
    return row


@st.composite
def carts(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "channel": draw(LIKELY_CHANNELS),
        "item_count": draw(st.sampled_from([0, 1, 2, -1])),
        "paid": draw(st.booleans()),
        "updated_at": draw(instants()),
    }


# the nastiest values, drawn half the time
TRAP_NAMES = [None, "", "  ", " Asha ", "ASHA", "zoë müller", "ZOË MÜLLER", "50%_off", "O'Brien"]
TRAP_VALUES: list[Any] = [None, "", "  ", " 7 ", "7", 7, "12abc", "1e3", "3.50", "+4", " Gold ", "gold", "-3", "4."]


def trappy(pool: Sequence[Any], traps: Sequence[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(traps), st.sampled_from(pool))


def _maybe(draw: st.DrawFn, rec: dict[str, Any], key: str, strategy: st.SearchStrategy[Any]) -> None:
    """Set ``rec[key]`` most of the time; a missing key means no data."""
    if draw(st.integers(0, 5)) > 0:
        rec[key] = draw(strategy)


@st.composite
def customers(draw: st.DrawFn, cid: int) -> dict[str, Any]:
    rec: dict[str, Any] = {"id": cid}
    _maybe(draw, rec, "name", trappy(NAMES, TRAP_NAMES))
    _maybe(draw, rec, "email", trappy(EMAILS, [None, "", " ", "ASHA@Example.COM", "ravi@EXAMPLE.com "]))
    _maybe(draw, rec, "phone", trappy(PHONES, [None, "", "  ", "+91 98765-43210", "919876543210"]))
    _maybe(draw, rec, "gender", st.sampled_from(GENDERS))
    _maybe(draw, rec, "channels", st.lists(LIKELY_CHANNELS, min_size=draw(st.sampled_from([0, 1, 1, 2])), max_size=3))
    _maybe(draw, rec, "tags", st.lists(st.sampled_from(TAGS), max_size=3, unique=True))
    _maybe(draw, rec, "fields", st.dictionaries(st.sampled_from(FIELD_KEYS), trappy(FIELD_VALUES, TRAP_VALUES),
                                                min_size=draw(st.sampled_from([0, 1, 1])), max_size=3))
    _maybe(draw, rec, "interactions", st.lists(interactions(), min_size=draw(st.sampled_from([0, 1, 2])), max_size=5))
    _maybe(draw, rec, "carts", st.lists(carts(), min_size=draw(st.sampled_from([0, 1])), max_size=2))
    return rec


@st.composite
def datasets(draw: st.DrawFn, min_size: int = 1, max_size: int = 15) -> list[dict[str, Any]]:
    """1-15 customer records with distinct ids."""
    size = draw(st.integers(min_size, max_size))
    ids = draw(st.lists(st.integers(1, 999), min_size=size, max_size=size, unique=True))
    return [draw(customers(cid)) for cid in ids]


# --------------------------------------------------------------------------- rule text
#
# Literals come from fixed pools *and* from the dataset at hand (its tags,
# names, field values, instants, each in several cases), so that a generated
# condition usually splits the customers: a mismatch on one of them shows.


def quote(text: str, single: bool = False) -> str:
    """A string literal of the rule language."""
    body = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
    if single:
        return "'" + body.replace("'", "\\'") + "'"
    return '"' + body.replace('"', '\\"') + '"'


RULE_TAGS = ["vip", "VIP", "gold", "zoë", "ZOË", "50%_off", "o'brien", "new customer", "", "vip ", "none", "жук"]
PERSONAL_LITERALS = {
    "name": ["asha", "ASHA", "Asha Rao", "zoë müller", "ZOË", "Zoë", "50%_off", "%", "_", "o'brien", 'say "hi"',
             " asha", "sh", "a", "R", "ë", "12abc", "\\", "жук", "ωμέγα", "a\u00a0r", "\t"],
    "email": ["asha@example.com", "@example.com", "EXAMPLE", "%_", "zoë", "o'brien", "ravi@example.com",
              ".com", "COM "],
    "number": ["+91 98765-43210", "919876543210", "98765", "43210", "+1 555", "555-010-9999", "12abc", "9", "1"],
}
FIELD_RULE_KEYS = ["orders", "Orders", "returningUser", "score", "city", "my key", "a%_b", "missing"]
FIELD_TEXTS = ["gold", " gold ", "GOLD", "7", "3.50", "12abc", "1e3", "+4", "true", "zoë", "PUNE", "50%_off", "o'brien",
               "жук", "\t7"]
FIELD_NUMBERS = ["7", "3.5", "3.50", "4", "-3", "0", "12", "1000", "007", "0.3", "0.1", "-0",
                 "100000000000000000000", "12345678901234567890"]
FIELD_NEEDLES = ["o", "7", "go", "LD", " ", "%", "_", "ë", "3.5", "e3", "+", "RUE", "ZOË"]
BOT_FLOW_LITERALS = ["Welcome", "welcome", "WELCOME", "Other", " Welcome"]
RULE_CHANNELS = ["whatsapp", "WhatsApp", "sms", "SMS", "instagram", "telegram"]
DATE_BOUNDS: list[dt.date | dt.datetime] = [*RULE_DATES, *RULE_DATETIMES]
NUMBER_LITERAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
BARE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
NOT_BARE = {"and", "or", "not", "between", "true", "false", "is", "in", "contains", "starts", "ends", "isn"}


def _variants(text: str) -> list[str]:
    """The text in other cases, and trimmed (as a user would write it)."""
    out = []
    for t in (text, text.strip(" ")):
        out.extend([t, t.upper(), t.lower(), t.title(), t.swapcase()])
    return list(dict.fromkeys(out))


def _pieces(text: str) -> list[str]:
    """Non-empty heads, tails and middles of ``text`` (for contains / starts with / ends with)."""
    out = []
    for k in (1, 2, 3):
        if len(text) > k:
            out.extend([text[:k], text[-k:], text[k:], text[:-k]])
    if len(text) > 2:
        out.append(text[1:-1])
    out.append(text)
    return [p for p in out if p]


@dataclass
class Pools:
    """Literals a rule may use: the fixed pools plus what the dataset holds."""

    tags: list[str] = field(default_factory=lambda: list(RULE_TAGS))
    personal: dict[str, list[str]] = field(default_factory=lambda: {k: list(v) for k, v in PERSONAL_LITERALS.items()})
    needles: dict[str, list[str]] = field(default_factory=lambda: {k: list(v) for k, v in PERSONAL_LITERALS.items()})
    keys: list[str] = field(default_factory=lambda: list(FIELD_RULE_KEYS))
    texts: list[str] = field(default_factory=lambda: list(FIELD_TEXTS))
    numbers: list[str] = field(default_factory=lambda: list(FIELD_NUMBERS))
    field_needles: list[str] = field(default_factory=lambda: list(FIELD_NEEDLES))
    bounds: list[dt.date | dt.datetime] = field(default_factory=lambda: list(DATE_BOUNDS))
    days: list[dt.date] = field(default_factory=lambda: list(RULE_DATES))
    times: list[dt.time] = field(default_factory=lambda: list(RULE_TIMES))
    bot_flows: list[str] = field(default_factory=lambda: list(BOT_FLOW_LITERALS))
    channels: list[str] = field(default_factory=lambda: list(RULE_CHANNELS))

    @classmethod
    def of(cls, records: Sequence[Mapping[str, Any]] = ()) -> Pools:
        """The fixed pools plus, several times over, the literals the records hold."""
        pools = cls()
        for _ in range(3):
            pools._add(records)
        return pools

    def _add(self, records: Sequence[Mapping[str, Any]]) -> None:
        pools = self
        for rec in records:
            for tag in rec.get("tags") or ():
                pools.tags.extend(_variants(tag))
            for subject, key in (("name", "name"), ("email", "email"), ("number", "phone")):
                value = rec.get(key)
                if isinstance(value, (str, int)) and not isinstance(value, bool):
                    text = str(value)
                    pools.personal[subject].extend(_variants(text))
                    pools.needles[subject].extend(p for t in _variants(text) for p in _pieces(t))
            for key, value in (rec.get("fields") or {}).items():
                pools.keys.append(key)
                text = field_text(value)
                if text is None:
                    continue
                pools.texts.extend(_variants(text) + [f" {text} "])
                pools.field_needles.extend(p for t in _variants(text.strip(" ")) for p in _pieces(t))
                trimmed = text.strip(" ").lstrip("+")
                if NUMBER_LITERAL.fullmatch(trimmed):
                    pools.numbers.append(trimmed)
            for row in rec.get("interactions") or ():
                at = parse_instant(row["occurred_at"])
                second = dt.timedelta(seconds=1)
                pools.bounds.extend([at - second, at, at + second, at.date()])
                pools.days.append(at.date())
                pools.times.extend([at.time(), (at + second).time()])
                if row.get("bot_flow"):
                    pools.bot_flows.extend(_variants(row["bot_flow"]))
            for channel in rec.get("channels") or ():
                if channel.lower() in RULE_CHANNELS:
                    pools.channels.extend([channel, channel.lower(), channel.upper()])


DEFAULT_POOLS = Pools()

# The generators below are plain functions of ``draw``: they pick from the
# pools by index, so no strategy objects are built per example (cheap, and
# shrinking moves towards the head of each pool).


def pick(draw: st.DrawFn, items: Sequence[Any]) -> Any:
    return items[draw(st.integers(0, len(items) - 1))]


def flip(draw: st.DrawFn, one_in: int = 2) -> bool:
    return draw(st.integers(0, one_in - 1)) == 0


def kw(draw: st.DrawFn, word: str) -> str:
    """A keyword in any case: keywords are case-insensitive."""
    return pick(draw, [word, word, word.upper(), word.title()])


def spaced(draw: st.DrawFn, words: str) -> str:
    return " ".join(kw(draw, w) for w in words.split())


IS = ["is", "=", "IS", "Is"]
ISNT = ["isn't", "is not", "!=", "isn\u2019t", "ISN'T", "IS NOT"]


def equality_op(draw: st.DrawFn) -> str:
    """`is` or `isn't`, in one of their spellings."""
    return pick(draw, IS) if flip(draw) else pick(draw, ISNT)


def in_list(draw: st.DrawFn, item: Any) -> str:
    return "(" + ", ".join(item(draw) for _ in range(draw(st.integers(1, 3)))) + ")"


def _choices(pool: Sequence[Any], ok: Any = None) -> list[Any]:
    """The usable items of ``pool``, duplicates kept (what the data holds repeats, so it comes up more)."""
    return sorted(p for p in pool if ok is None or ok(p))


def literal(draw: st.DrawFn, pool: Sequence[str], ok: Any = None) -> str:
    """A quoted literal from ``pool`` (only those ``ok`` accepts)."""
    return quote(pick(draw, _choices(pool, ok)), single=flip(draw))


def _not_blank(text: str) -> bool:
    return bool(text.strip(" "))


def tag_condition(draw: st.DrawFn, pools: Pools) -> str:
    subject = kw(draw, "tag")
    form = pick(draw, ["eq", "eq", "in", "unknown", "known"])
    if form == "eq":
        return f"{subject} {equality_op(draw)} {literal(draw, pools.tags)}"
    if form == "in":
        return f"{subject} {kw(draw, 'in')} {in_list(draw, lambda d: literal(d, pools.tags))}"
    return f"{subject} {kw(draw, 'is')} {kw(draw, form)}"


GENDER_WORDS = ["female", "Female", "MALE", "male", "other", '"other"', "'Female'"]


def personal_condition(draw: st.DrawFn, pools: Pools) -> str:
    subject = pick(draw, ["name", "email", "number", "gender"])
    head = kw(draw, subject)
    if subject == "gender":
        form = pick(draw, ["eq", "in", "unknown", "known"])
        if form == "eq":
            return f"{head} {equality_op(draw)} {pick(draw, GENDER_WORDS)}"
        if form == "in":
            return f"{head} {kw(draw, 'in')} {in_list(draw, lambda d: pick(d, GENDER_WORDS))}"
        return f"{head} {kw(draw, 'is')} {kw(draw, form)}"
    if subject == "number":
        ok: Any = lambda t: bool(normalize_phone(t)) and _not_blank(t)  # noqa: E731
        needle_ok: Any = lambda t: bool(normalize_phone(t))  # noqa: E731
    else:
        ok, needle_ok = _not_blank, bool
    form = pick(draw, ["eq", "eq", "in", "unknown", "known", "contains", "starts with", "ends with"])
    if form == "eq":
        return f"{head} {equality_op(draw)} {literal(draw, pools.personal[subject], ok)}"
    if form == "in":
        return f"{head} {kw(draw, 'in')} {in_list(draw, lambda d: literal(d, pools.personal[subject], ok))}"
    if form in ("unknown", "known"):
        if flip(draw):
            return f"{head} {kw(draw, 'is')} {kw(draw, form)}"
        other = "known" if form == "unknown" else "unknown"  # `isn't known` is `is unknown`
        return f"{head} {pick(draw, ISNT)} {kw(draw, other)}"
    return f"{head} {spaced(draw, form)} {literal(draw, pools.needles[subject], needle_ok)}"


def _key_text(draw: st.DrawFn, key: str) -> str:
    if BARE_KEY.fullmatch(key) and key.lower() not in NOT_BARE and not flip(draw, 4):
        return key
    return quote(key, single=flip(draw))


def field_value(draw: st.DrawFn, pools: Pools) -> str:
    kind = pick(draw, ["text", "text", "number", "boolean"])
    if kind == "text":
        return literal(draw, pools.texts, _not_blank)
    if kind == "number":
        return pick(draw, _choices(pools.numbers))
    return pick(draw, ["true", "false", "TRUE"])


def field_condition(draw: st.DrawFn, pools: Pools) -> str:
    head = f"{kw(draw, 'field')} {_key_text(draw, pick(draw, _choices(pools.keys)))}"
    form = pick(draw, ["eq", "eq", "eq", "colon", "in", "unknown", "known", "contains", "starts with", "ends with",
                       "<", "<=", ">", ">=", "<", ">="])
    if form == "eq":
        return f"{head} {equality_op(draw)} {field_value(draw, pools)}"
    if form == "colon":
        return f"{head}:{field_value(draw, pools)}"
    if form == "in":
        return f"{head} {kw(draw, 'in')} {in_list(draw, lambda d: field_value(d, pools))}"
    if form in ("unknown", "known"):
        return f"{head} {kw(draw, 'is')} {kw(draw, form)}"
    if form in ("<", "<=", ">", ">="):
        return f"{head} {form} {pick(draw, _choices(pools.numbers))}"
    return f"{head} {spaced(draw, form)} {literal(draw, pools.field_needles, bool)}"


def duration(draw: st.DrawFn) -> str:
    amount = pick(draw, AMOUNTS)
    unit = pick(draw, UNITS)
    if amount == 1 and flip(draw):
        unit = unit[:-1]  # singular
    return f"{amount} {kw(draw, unit)}"


def _date_text(draw: st.DrawFn, value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        style = pick(draw, ["minutes", "seconds", "z"])
        if style == "minutes" and value.second == 0:
            return value.strftime("%Y-%m-%dT%H:%M")
        text = value.strftime("%Y-%m-%dT%H:%M:%S")
        return text + "Z" if style == "z" else text
    return value.isoformat()


def _start(value: dt.date | dt.datetime) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())


def _end(value: dt.date | dt.datetime) -> dt.datetime:
    return value + dt.timedelta(seconds=1) if isinstance(value, dt.datetime) else _start(value) + dt.timedelta(days=1)


def _time_text(value: dt.time) -> str:
    return f"{value:%H:%M}" if value.second == 0 else f"{value:%H:%M:%S}"


def _sorted_bounds(values: Sequence[dt.date | dt.datetime]) -> list[dt.date | dt.datetime]:
    return sorted(set(values), key=lambda v: (_start(v), isinstance(v, dt.datetime)))


FLAG_SUBJECTS = ["talked with agent", "completed product flow", "completed collection flow", "completed bot flow"]


def interaction_condition(draw: st.DrawFn, pools: Pools) -> str:
    form = pick(draw, ["within", "more", "before", "after", "on", "between", "time between", "time before",
                       "time after", "flag", "bot", "cart"])
    last = spaced(draw, "last interaction")
    bounds = _sorted_bounds(pools.bounds)
    times = sorted(set(pools.times))
    if form == "within":
        return f"{last} {kw(draw, 'within')} {duration(draw)}"
    if form == "more":
        return f"{last} {spaced(draw, 'more than')} {duration(draw)} {kw(draw, 'ago')}"
    if form in ("before", "after"):
        return f"{last} {kw(draw, form)} {_date_text(draw, pick(draw, bounds))}"
    if form == "on":
        return f"{last} {kw(draw, 'on')} {pick(draw, sorted(set(pools.days))).isoformat()}"
    if form == "between":
        low = pick(draw, bounds[:-1])
        high = pick(draw, [b for b in bounds if _start(low) < _end(b)])
        return f"{last} {kw(draw, 'between')} {_date_text(draw, low)} {kw(draw, 'and')} {_date_text(draw, high)}"
    if form == "time between":
        low = pick(draw, times)
        high = pick(draw, [t for t in times if t != low])
        return f"{last} {kw(draw, 'time')} {kw(draw, 'between')} {_time_text(low)} {kw(draw, 'and')} {_time_text(high)}"
    if form in ("time before", "time after"):
        return f"{last} {kw(draw, 'time')} {kw(draw, form.split()[1])} {_time_text(pick(draw, times))}"
    if form == "cart":
        return spaced(draw, "has unpaid cart")
    if form == "bot":
        text = spaced(draw, "completed bot flow")
        if flip(draw):
            text += " " + literal(draw, pools.bot_flows)
    else:
        text = spaced(draw, pick(draw, FLAG_SUBJECTS))
    if flip(draw):
        text += f" {kw(draw, 'within')} {duration(draw)}"
    return text


FAMILIES = [tag_condition, personal_condition, field_condition, interaction_condition]


def condition(draw: st.DrawFn, pools: Pools) -> str:
    return pick(draw, FAMILIES)(draw, pools)


def expression(draw: st.DrawFn, pools: Pools, leaves: int = 6) -> str:
    """A condition tree with and/or/not nesting (compound parts parenthesised), at most ``leaves`` conditions."""
    shape = pick(draw, ["leaf", "leaf", "and", "or", "not"]) if leaves > 1 else pick(draw, ["leaf", "leaf", "not"])
    if shape == "leaf":
        return condition(draw, pools)
    if shape == "not":  # `not` of a leaf or a group (`not not C` now and then)
        inner = condition(draw, pools) if leaves == 1 or flip(draw) else expression(draw, pools, leaves)
        return f"{kw(draw, 'not')} {inner}"
    n = draw(st.integers(2, min(3, leaves)))
    parts = [expression(draw, pools, max(1, leaves // n)) for _ in range(n)]
    return "(" + f" {kw(draw, shape)} ".join(parts) + ")"


def rule(draw: st.DrawFn, pools: Pools, simple: bool | None = None) -> str:
    """A whole rule: one top-level `channel`, anywhere among the top-level conjuncts.

    A simple rule is `channel X and [not] C`, where any mistake in C shows;
    the others nest and/or/not. ``simple=None``: either, at random.
    """
    name = pick(draw, _choices(pools.channels))
    channel = f"{kw(draw, 'channel')} {quote(name) if flip(draw, 6) else name}"
    if simple if simple is not None else flip(draw):
        cond = condition(draw, pools)
        if flip(draw):
            cond = f"{kw(draw, 'not')} {cond}"
        return f"{channel} {kw(draw, 'and')} {cond}"
    others = [expression(draw, pools) for _ in range(draw(st.integers(0 if flip(draw, 8) else 1, 2)))]
    at = draw(st.integers(0, len(others)))
    parts = [*others[:at], channel, *others[at:]]
    return pick(draw, [" and ", " AND ", "\n  and ", " And "]).join(parts)


@st.composite
def rules(draw: st.DrawFn, pools: Pools | None = None) -> str:
    """Rule text from the fixed pools (or ``pools``)."""
    return rule(draw, pools or DEFAULT_POOLS)


@st.composite
def expressions(draw: st.DrawFn) -> str:
    """A condition tree without `channel`, from the fixed pools."""
    return expression(draw, DEFAULT_POOLS)


@st.composite
def scenarios(draw: st.DrawFn, simple: int = 8, nested: int = 2) -> tuple[list[dict[str, Any]], list[str]]:
    """A dataset, then up to ``simple`` one-condition rules and ``nested`` nested ones drawing on its literals.

    Loading a dataset costs more than running a rule, so each dataset serves
    several rules.
    """
    data = draw(datasets())
    everyone = Pools.of(data)
    one = [Pools.of([rec]) for rec in data]

    def pools(draw: st.DrawFn) -> Pools:
        # mostly aimed at one customer (its channel, keys and values), so the rule meets real data
        return everyone if flip(draw, 4) else pick(draw, one)

    texts = [rule(draw, pools(draw), simple=True) for _ in range(draw(st.integers(1, simple)))]
    texts += [rule(draw, pools(draw), simple=False) for _ in range(draw(st.integers(0, nested)))]
    return data, texts


# --------------------------------------------------------------------------- engines


def slow() -> bool:
    return os.environ.get("SEGDSL_SLOW", "") not in ("", "0")


def max_examples(default: int = 200, slow_default: int = 5000) -> int:
    explicit = os.environ.get("SEGDSL_EXAMPLES")
    if explicit:
        return int(explicit)
    return slow_default if slow() else default


PG_ADMIN = os.environ.get("SEGDSL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
MYSQL_ADMIN = os.environ.get("SEGDSL_TEST_MYSQL", "mysql://root@127.0.0.1:3306/test")
DIFF_DB = "segdsl_diff"
LOCK_SECONDS = 900


def _with_db(url: str, db: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + db))


def _ensure_pg_database(admin_url: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DIFF_DB,)).fetchone() is None:
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):  # made meanwhile by another run
                conn.execute(f'CREATE DATABASE "{DIFF_DB}" ENCODING \'UTF8\'')
    return _with_db(admin_url, DIFF_DB)


def _ensure_mysql_database(admin_url: str) -> str:
    engine = connect(admin_url)
    try:
        engine.query(f"CREATE DATABASE IF NOT EXISTS `{DIFF_DB}` CHARACTER SET utf8mb4")
    finally:
        engine.close()
    return _with_db(admin_url, DIFF_DB)


def _lock(engine: Engine) -> None:
    """Hold a session lock on the shared database, so concurrent runs take turns."""
    deadline = time.monotonic() + LOCK_SECONDS
    while True:
        if engine.dialect == "postgres":
            got = engine.query("SELECT pg_try_advisory_lock(7212026)")[0][0]
        else:
            got = engine.query("SELECT GET_LOCK('segdsl_diff', 5)")[0][0]
        if got:
            return
        if time.monotonic() > deadline:
            raise EngineError(f"{engine.dialect}: {DIFF_DB} stayed locked by another test run")
        time.sleep(0.5)


@dataclass
class Backend:
    """One engine with the reference schema, reloaded per dataset."""

    name: str
    engine: Engine
    deletes: list[str] = field(default_factory=list)

    def load(self, records: Iterable[Mapping[str, Any]]) -> None:
        for sql in self.deletes:
            self.engine.query(sql)
        load_records(self.engine, records)

    def audience(self, rule: str) -> set[int]:
        """The ids, through ``segdsl.api.audience`` (bind parameters)."""
        return set(audience(rule, db=self.engine, now=NOW))

    def audience_inline(self, rule: str) -> set[int]:
        """The ids, running the SQL text that ``segdsl compile`` prints (literals inline)."""
        return {int(row[0]) for row in self.engine.query(self.sql(rule))}

    def sql(self, rule: str) -> str:
        return str(segdsl.compile(rule, dialect=self.engine.rules, now=NOW))


def _backend(name: str, engine: Engine) -> Backend:
    create_schema(engine, drop=True)
    settings = default_settings()
    dialect = rules_for(engine.dialect).sqlglot
    deletes = []
    for role in default_settings().schema:
        table = getattr(settings.schema, role).table
        deletes.append(exp.delete(exp.to_table(table, quoted=True)).sql(dialect=dialect, identify=True))
    return Backend(name, engine, deletes)


@dataclass
class Backends:
    """The engines a test module compares with the interpreter."""

    backends: list[Backend]
    unreachable: dict[str, str]

    def load(self, records: Sequence[Mapping[str, Any]]) -> None:
        for backend in self.backends:
            backend.load(records)

    def close(self) -> None:
        for backend in self.backends:
            backend.engine.close()


def open_local() -> list[Backend]:
    return [_backend("sqlite", connect("sqlite:///:memory:")), _backend("duckdb", connect("duckdb:///:memory:"))]


def server_url(name: str) -> str:
    """The URL of the dedicated database on PostgreSQL or MariaDB (created if missing).

    Raises EngineError when the server is unreachable.
    """
    try:
        return _ensure_pg_database(PG_ADMIN) if name == "postgres" else _ensure_mysql_database(MYSQL_ADMIN)
    except EngineError:
        raise
    except Exception as exc:  # the driver's own error: the server is not there
        raise EngineError(f"{name}: {' '.join(str(exc).split())}") from exc


def open_server(name: str) -> Backend:
    """PostgreSQL or MariaDB with the reference schema, on the dedicated database, locked for this run."""
    engine = connect(server_url(name))
    if name == "postgres":
        engine.query("SET synchronous_commit TO off")
    _lock(engine)
    return _backend(name, engine)


def open_backends() -> Backends:
    """SQLite and DuckDB always; PostgreSQL and MariaDB when reachable."""
    backends = open_local()
    unreachable: dict[str, str] = {}
    for name in ("postgres", "mariadb"):
        try:
            backends.append(open_server(name))
        except EngineError as exc:
            unreachable[name] = str(exc)
    return Backends(backends, unreachable)


# --------------------------------------------------------------------------- comparing


def interpreter_ids(rule: str, records: Sequence[Mapping[str, Any]]) -> set[int]:
    match = segdsl.matcher(rule, now=NOW)
    return {int(r["id"]) for r in records if match(r)}


def compare(rule: str, records: Sequence[Mapping[str, Any]], backends: Sequence[Backend],
            expected: set[int] | None = None, inline: bool = True) -> str | None:
    """None when the interpreter and every backend (and ``expected``) agree, else a report.

    Each backend runs the rule twice: with bind parameters (``audience``) and
    as the SQL text ``segdsl compile`` prints (``name/inline``).
    """
    results: dict[str, set[int]] = {"interpreter": interpreter_ids(rule, records)}
    errors: dict[str, str] = {}
    for backend in backends:
        try:
            results[backend.name] = backend.audience(rule)
        except EngineError as exc:
            errors[backend.name] = str(exc)
        if inline:
            try:
                results[backend.name + "/inline"] = backend.audience_inline(rule)
            except EngineError as exc:
                errors[backend.name + "/inline"] = str(exc)
    reference = expected if expected is not None else results["interpreter"]
    differing = {name: ids for name, ids in results.items() if ids != reference}
    if not differing and not errors:
        return None
    lines = [f"rule: {rule}", f"canonical: {segdsl.format(rule)}"]
    if expected is not None:
        lines.append(f"expected ids: {sorted(expected)}")
    for name, ids in results.items():
        mark = "" if ids == reference else f"   <-- extra {sorted(ids - reference)} missing {sorted(reference - ids)}"
        lines.append(f"{name:>12}: {sorted(ids)}{mark}")
    for name, error in errors.items():
        lines.append(f"{name:>12}: ERROR {error}")
    involved = set().union(*((ids ^ reference) for ids in differing.values())) if differing else set()
    if involved:
        lines.append("records involved:")
        for rec in records:
            if int(rec["id"]) in involved:
                lines.append("  " + json.dumps(rec, ensure_ascii=False, sort_keys=True))
    for backend in backends:
        if any(name.split("/")[0] == backend.name for name in [*differing, *errors]):
            lines.append(f"{backend.name} SQL: {backend.sql(rule)}")
    return "\n".join(lines)




# --------------------------------------------------------------------------- the sweep
#
# A fixed dataset carrying every trap value, and every condition form with
# every pool literal: deterministic, so a slip in any single condition shows
# on every run, not only when the generator happens to aim at it.


def trap_records() -> list[dict[str, Any]]:
    """One customer per trap value, round-robin over every pool."""
    size = max(len(FIELD_VALUES), len(NAMES), len(TAGS) * 2, len(INSTANTS) // 4)
    records = []
    for i in range(size):
        rec: dict[str, Any] = {"id": i + 1}
        rec["channels"] = [["WhatsApp"], ["whatsapp", "sms"], ["sms"], ["whatsapp"]][i % 4]
        if i % 7 != 3:  # now and then a key is missing altogether
            rec["name"] = NAMES[i % len(NAMES)]
            rec["email"] = EMAILS[i % len(EMAILS)]
            rec["phone"] = PHONES[i % len(PHONES)]
            rec["gender"] = GENDERS[i % len(GENDERS)]
        rec["tags"] = [TAGS[i % len(TAGS)], TAGS[(i * 5 + 1) % len(TAGS)]][: i % 3]
        rec["fields"] = {
            "orders": FIELD_VALUES[i % len(FIELD_VALUES)],
            FIELD_KEYS[i % len(FIELD_KEYS)]: FIELD_VALUES[(i * 7 + 3) % len(FIELD_VALUES)],
        }
        chats = []
        for j in range(i % 4):
            at = INSTANTS[(i * 4 + j * 11) % len(INSTANTS)]
            chats.append({
                "channel": "sms" if (i + j) % 5 == 4 else ["whatsapp", "WhatsApp"][j % 2],
                "occurred_at": _spell_instant(at, INSTANT_STYLES[(i + j) % len(INSTANT_STYLES)]),
                "talked_with_agent": (i + j) % 2 == 0,
                "completed_product_flow": (i + j) % 3 == 0,
                "completed_collection_flow": (i + j) % 4 == 0,
                "completed_bot_flow": (i + j) % 2 == 1,
                "bot_flow": BOT_FLOWS[(i + j) % len(BOT_FLOWS)],
            })
        rec["interactions"] = chats
        rec["carts"] = [
            {"channel": ["whatsapp", "sms"][i % 2], "item_count": [0, 1, 2, -1][i % 4], "paid": i % 5 == 0}
        ][: i % 2 + (i % 3 == 0)]
        records.append(rec)
    for at in FAR_INSTANTS:  # far from now: the engines' timestamp ranges
        records.append({"id": len(records) + 1, "channels": ["whatsapp"],
                        "interactions": [{"channel": "whatsapp", "occurred_at": at, "talked_with_agent": True}]})
    return records


FAR_INSTANTS = ["1000-01-01T00:00:00Z", "1752-09-14T00:00:00Z", "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z",
                "2038-01-19T03:14:08Z", "2100-02-28T12:00:00+05:30", "9999-12-31T23:59:59Z"]


def sweep_conditions() -> list[str]:
    """Every condition form with every literal of the fixed pools."""
    out: list[str] = ["tag is unknown", "tag is known"]
    for tag in RULE_TAGS:
        out += [f"tag is {quote(tag)}", f"tag isn't {quote(tag)}", f'tag in ({quote(tag)}, "gold")']
    for subject, pool in PERSONAL_LITERALS.items():
        out += [f"{subject} is unknown", f"{subject} is known"]
        for text in pool:
            usable = bool(normalize_phone(text)) if subject == "number" else True
            if usable and _not_blank(text):
                out += [f"{subject} is {quote(text)}", f"{subject} isn't {quote(text)}"]
            if usable and text:
                out += [f"{subject} {op} {quote(text)}" for op in ("contains", "starts with", "ends with")]
    out += ["gender is unknown", "gender is known", "gender in (male, other)"]
    out += [f"gender {op} {g}" for op in ("is", "isn't") for g in ("female", "male", "other")]
    values = [quote(t) for t in FIELD_TEXTS if _not_blank(t)] + FIELD_NUMBERS + ["true", "false"]
    out += ["field missing is unknown", "field missing = 7", "field missing != \"gold\"", "field missing < 1",
            'field "my key" is known', 'field "my key" = 7', 'field "a%_b" contains "o"', "field Orders >= 0"]
    head = "field orders"
    out += [f"{head} is unknown", f"{head} is known", f'{head} in ("gold", 7, true)', f"{head} in (3.5, -3)"]
    out += [f"{head} {op} {v}" for v in values for op in ("=", "!=")]
    out += [f"{head} {op} {n}" for n in FIELD_NUMBERS for op in ("<", "<=", ">", ">=")]
    out += [f"{head} {op} {quote(t)}" for t in FIELD_NEEDLES for op in ("contains", "starts with", "ends with")]
    for amount in AMOUNTS:
        for unit in UNITS:
            out += [f"last interaction within {amount} {unit}", f"last interaction more than {amount} {unit} ago",
                    f"talked with agent within {amount} {unit}"]
    for bound in DATE_BOUNDS:
        text = bound.strftime("%Y-%m-%dT%H:%M:%S") if isinstance(bound, dt.datetime) else bound.isoformat()
        out += [f"last interaction before {text}", f"last interaction after {text}"]
    out += [f"last interaction on {day.isoformat()}" for day in RULE_DATES]
    bounds = _sorted_bounds(DATE_BOUNDS)
    for i, low in enumerate(bounds):
        for high in bounds[i:]:
            if _start(low) < _end(high):
                out.append(f"last interaction between {_date_text_plain(low)} and {_date_text_plain(high)}")
    for low in RULE_TIMES:
        out += [f"last interaction time before {_time_text(low)}", f"last interaction time after {_time_text(low)}"]
        out += [f"last interaction time between {_time_text(low)} and {_time_text(high)}"
                for high in RULE_TIMES if high != low]
    out += ["last interaction within 100000 days", "last interaction more than 14285 weeks ago",
            "last interaction before 1970-01-01", "last interaction after 2038-01-19T03:14:07",
            "last interaction between 1000-01-01 and 1969-12-31", "last interaction on 9999-12-30",
            "talked with agent within 100000 days", "last interaction time after 23:59:59"]
    out += FLAG_SUBJECTS + ["has unpaid cart"]
    out += [f"completed bot flow {quote(name)}" for name in BOT_FLOW_LITERALS]
    out += ['completed bot flow "welcome" within 7 days', "completed product flow within 1 week"]
    return out


def _date_text_plain(value: dt.date | dt.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S") if isinstance(value, dt.datetime) else value.isoformat()


def sweep_rules(channel: str = "whatsapp") -> list[str]:
    """Each sweep condition as a rule, and its negation."""
    out = []
    for cond in sweep_conditions():
        out += [f"channel {channel} and {cond}", f"channel {channel} and not {cond}"]
    return out
