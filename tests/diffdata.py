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

import datetime as dt
import json
import os
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from hypothesis import strategies as st
from sqlglot import exp

import segdsl
from segdsl.dialects import rules_for
from segdsl.engines import Engine, EngineError, audience, connect
from segdsl.records import ROLES, create_schema, load_records
from segdsl.settings import default_settings

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
LIKELY_CHANNELS = st.sampled_from(["whatsapp", "whatsapp", "WhatsApp", "sms", "sms", "SMS", "instagram", "telegram", "sms "])
TAGS = ["vip", "VIP", "Vip", "gold", "Gold", "zoë", "ZOË", "50%_off", "o'brien", "", " vip", "vip ", "new customer",
        "ЖУК", "vip\t"]
FIELD_KEYS = ["orders", "Orders", "returningUser", "score", "city", "my key", "a%_b"]
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


def _maybe(draw: st.DrawFn, rec: dict[str, Any], key: str, strategy: st.SearchStrategy[Any]) -> None:
    """Set ``rec[key]`` most of the time; a missing key means no data."""
    if draw(st.integers(0, 5)) > 0:
        rec[key] = draw(strategy)


@st.composite
def customers(draw: st.DrawFn, cid: int) -> dict[str, Any]:
    rec: dict[str, Any] = {"id": cid}
    _maybe(draw, rec, "name", st.sampled_from(NAMES))
    _maybe(draw, rec, "email", st.sampled_from(EMAILS))
    _maybe(draw, rec, "phone", st.sampled_from(PHONES))
    _maybe(draw, rec, "gender", st.sampled_from(GENDERS))
    _maybe(draw, rec, "channels", st.lists(LIKELY_CHANNELS, min_size=draw(st.sampled_from([0, 1, 1, 2])), max_size=3))
    _maybe(draw, rec, "tags", st.lists(st.sampled_from(TAGS), max_size=3, unique=True))
    _maybe(draw, rec, "fields", st.dictionaries(st.sampled_from(FIELD_KEYS), st.sampled_from(FIELD_VALUES), max_size=3))
    _maybe(draw, rec, "interactions", st.lists(interactions(), min_size=draw(st.sampled_from([0, 1, 2])), max_size=5))
    _maybe(draw, rec, "carts", st.lists(carts(), min_size=draw(st.sampled_from([0, 1])), max_size=2))
    return rec


@st.composite
def datasets(draw: st.DrawFn, min_size: int = 1, max_size: int = 15) -> list[dict[str, Any]]:
    """1-15 customer records with distinct ids."""
    ids = draw(st.lists(st.integers(1, 999), min_size=min_size, max_size=max_size, unique=True))
    return [draw(customers(cid)) for cid in ids]


# --------------------------------------------------------------------------- rule text


def quote(text: str, single: bool = False) -> str:
    """A string literal of the rule language."""
    body = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
    if single:
        return "'" + body.replace("'", "\\'") + "'"
    return '"' + body.replace('"', '\\"') + '"'


@st.composite
def strings(draw: st.DrawFn, pool: Sequence[str]) -> str:
    return quote(draw(st.sampled_from(pool)), single=draw(st.booleans()))


def kw(word: str) -> st.SearchStrategy[str]:
    """A keyword in any case: keywords are case-insensitive."""
    return st.sampled_from([word, word, word.upper(), word.title()])


IS = st.sampled_from(["is", "=", "IS", "Is"])
ISNT = st.sampled_from(["isn't", "is not", "!=", "isn\u2019t", "ISN'T", "IS NOT"])


@st.composite
def spaced(draw: st.DrawFn, words: str) -> str:
    return " ".join(draw(kw(w)) for w in words.split())


@st.composite
def equality_op(draw: st.DrawFn) -> tuple[str, str]:
    """(canonical op, text) for is / isn't."""
    if draw(st.booleans()):
        return "is", draw(IS)
    return "isnt", draw(ISNT)


@st.composite
def in_list(draw: st.DrawFn, item: st.SearchStrategy[str]) -> str:
    return "(" + ", ".join(draw(st.lists(item, min_size=1, max_size=3))) + ")"


RULE_TAGS = ["vip", "VIP", "gold", "zoë", "ZOË", "50%_off", "o'brien", "new customer", "", "vip ", "none", "жук"]


@st.composite
def tag_conditions(draw: st.DrawFn) -> str:
    subject = draw(kw("tag"))
    form = draw(st.sampled_from(["eq", "in", "unknown", "known"]))
    if form == "eq":
        _, op = draw(equality_op())
        return f"{subject} {op} {draw(strings(RULE_TAGS))}"
    if form == "in":
        return f"{subject} {draw(kw('in'))} {draw(in_list(strings(RULE_TAGS)))}"
    return f"{subject} {draw(kw('is'))} {draw(kw(form))}"


PERSONAL_LITERALS = {
    "name": ["asha", "ASHA", "Asha Rao", "zoë müller", "ZOË", "Zoë", "50%_off", "%", "_", "o'brien", 'say "hi"',
             " asha", "sh", "a", "R", "ë", "12abc", "\\", "жук", "ωμέγα", "a\u00a0r", "\t"],
    "email": ["asha@example.com", "@example.com", "EXAMPLE", "%_", "zoë", "o'brien", "ravi@example.com",
              ".com", "COM "],
    "number": ["+91 98765-43210", "919876543210", "98765", "43210", "+1 555", "555-010-9999", "12abc", "9", "1"],
}


@st.composite
def personal_conditions(draw: st.DrawFn) -> str:
    subject = draw(st.sampled_from(["name", "email", "number", "gender"]))
    head = draw(kw(subject))
    if subject == "gender":
        form = draw(st.sampled_from(["eq", "in", "unknown", "known"]))
        genders = st.sampled_from(["female", "Female", "MALE", "male", "other", '"other"', "'Female'"])
        if form == "eq":
            _, op = draw(equality_op())
            return f"{head} {op} {draw(genders)}"
        if form == "in":
            return f"{head} {draw(kw('in'))} {draw(in_list(genders))}"
        return f"{head} {draw(kw('is'))} {draw(kw(form))}"
    pool = PERSONAL_LITERALS[subject]
    form = draw(st.sampled_from(["eq", "in", "unknown", "known", "contains", "starts with", "ends with"]))
    if form == "eq":
        _, op = draw(equality_op())
        return f"{head} {op} {draw(strings(pool))}"
    if form == "in":
        return f"{head} {draw(kw('in'))} {draw(in_list(strings(pool)))}"
    if form in ("unknown", "known"):
        if draw(st.booleans()):
            return f"{head} {draw(kw('is'))} {draw(kw(form))}"
        other = "known" if form == "unknown" else "unknown"  # `isn't known` is `is unknown`
        return f"{head} {draw(ISNT)} {draw(kw(other))}"
    return f"{head} {draw(spaced(form))} {draw(strings(pool))}"


FIELD_RULE_KEYS = ["orders", "Orders", "returningUser", "score", "city", '"my key"', "'a%_b'", '"orders"', "missing"]
FIELD_TEXTS = ["gold", " gold ", "GOLD", "7", "3.50", "12abc", "1e3", "+4", "true", "zoë", "PUNE", "50%_off", "o'brien",
               "жук", "\t7"]
FIELD_NUMBERS = ["7", "3.5", "3.50", "4", "-3", "0", "12", "1000", "007", "0.3", "0.1", "-0",
                 "100000000000000000000", "12345678901234567890"]
FIELD_NEEDLES = ["o", "7", "go", "LD", " ", "%", "_", "ë", "3.5", "e3", "+", "RUE", "ZOË"]


@st.composite
def field_values(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["text", "number", "boolean"]))
    if kind == "text":
        return draw(strings(FIELD_TEXTS))
    if kind == "number":
        return draw(st.sampled_from(FIELD_NUMBERS))
    return draw(st.sampled_from(["true", "false", "TRUE"]))


@st.composite
def field_conditions(draw: st.DrawFn) -> str:
    head = f"{draw(kw('field'))} {draw(st.sampled_from(FIELD_RULE_KEYS))}"
    form = draw(st.sampled_from(["eq", "colon", "in", "unknown", "known", "contains", "starts with", "ends with",
                                 "<", "<=", ">", ">="]))
    if form == "eq":
        _, op = draw(equality_op())
        return f"{head} {op} {draw(field_values())}"
    if form == "colon":
        return f"{head}:{draw(field_values())}"
    if form == "in":
        return f"{head} {draw(kw('in'))} {draw(in_list(field_values()))}"
    if form in ("unknown", "known"):
        return f"{head} {draw(kw('is'))} {draw(kw(form))}"
    if form in ("<", "<=", ">", ">="):
        return f"{head} {form} {draw(st.sampled_from(FIELD_NUMBERS))}"
    return f"{head} {draw(spaced(form))} {draw(strings(FIELD_NEEDLES))}"


@st.composite
def durations(draw: st.DrawFn) -> str:
    amount = draw(st.sampled_from(AMOUNTS))
    unit = draw(st.sampled_from(UNITS))
    if amount == 1 and draw(st.booleans()):
        unit = unit[:-1]  # singular
    return f"{amount} {draw(kw(unit))}"


def _date_text(value: dt.date | dt.datetime, draw: st.DrawFn) -> str:
    if isinstance(value, dt.datetime):
        style = draw(st.sampled_from(["minutes", "seconds", "z"]))
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


DATE_BOUNDS: list[dt.date | dt.datetime] = [*RULE_DATES, *RULE_DATETIMES]


@st.composite
def interaction_conditions(draw: st.DrawFn) -> str:
    form = draw(st.sampled_from(["within", "more", "before", "after", "on", "between", "time between",
                                 "time before", "time after", "flag", "bot", "cart"]))
    last = draw(spaced("last interaction"))
    if form == "within":
        return f"{last} {draw(kw('within'))} {draw(durations())}"
    if form == "more":
        return f"{last} {draw(spaced('more than'))} {draw(durations())} {draw(kw('ago'))}"
    if form in ("before", "after"):
        return f"{last} {draw(kw(form))} {_date_text(draw(st.sampled_from(DATE_BOUNDS)), draw)}"
    if form == "on":
        return f"{last} {draw(kw('on'))} {draw(st.sampled_from(RULE_DATES)).isoformat()}"
    if form == "between":
        low, high = draw(
            st.tuples(st.sampled_from(DATE_BOUNDS), st.sampled_from(DATE_BOUNDS)).filter(
                lambda p: _start(p[0]) < _end(p[1])
            )
        )
        return f"{last} {draw(kw('between'))} {_date_text(low, draw)} {draw(kw('and'))} {_date_text(high, draw)}"
    if form == "time between":
        low, high = draw(st.tuples(st.sampled_from(RULE_TIMES), st.sampled_from(RULE_TIMES)).filter(
            lambda p: p[0] != p[1]))
        return f"{last} {draw(kw('time'))} {draw(kw('between'))} {_time_text(low)} {draw(kw('and'))} {_time_text(high)}"
    if form in ("time before", "time after"):
        word = form.split()[1]
        return f"{last} {draw(kw('time'))} {draw(kw(word))} {_time_text(draw(st.sampled_from(RULE_TIMES)))}"
    if form == "cart":
        return draw(spaced("has unpaid cart"))
    if form == "bot":
        text = draw(spaced("completed bot flow"))
        if draw(st.booleans()):
            text += " " + draw(strings(["Welcome", "welcome", "WELCOME", "Other", " Welcome"]))
    else:
        text = draw(spaced(draw(st.sampled_from(
            ["talked with agent", "completed product flow", "completed collection flow", "completed bot flow"]))))
    if draw(st.booleans()):
        text += f" {draw(kw('within'))} {draw(durations())}"
    return text


def conditions() -> st.SearchStrategy[str]:
    return st.one_of(tag_conditions(), personal_conditions(), field_conditions(), interaction_conditions())


def _join(word: str) -> Any:
    @st.composite
    def joined(draw: st.DrawFn, children: st.SearchStrategy[str]) -> str:
        parts = draw(st.lists(children, min_size=2, max_size=3))
        sep = f" {draw(kw(word))} "
        return "(" + sep.join(parts) + ")"

    return joined


@st.composite
def _negated(draw: st.DrawFn, children: st.SearchStrategy[str]) -> str:
    return f"{draw(kw('not'))} {draw(children)}"


def expressions(max_leaves: int = 6) -> st.SearchStrategy[str]:
    """A condition tree with and/or/not nesting (compound parts parenthesised)."""
    return st.recursive(
        conditions(),
        lambda children: st.one_of(_join("and")(children), _join("or")(children), _negated(children)),
        max_leaves=max_leaves,
    )


RULE_CHANNELS = ["whatsapp", "WhatsApp", "sms", "SMS", "whatsapp", "sms", "instagram", '"sms"']


@st.composite
def rules(draw: st.DrawFn) -> str:
    """A whole rule: one top-level `channel`, anywhere among the top-level conjuncts."""
    channel = f"{draw(kw('channel'))} {draw(st.sampled_from(RULE_CHANNELS))}"
    others = draw(st.lists(expressions(), min_size=0, max_size=2))
    at = draw(st.integers(0, len(others)))
    parts = [*others[:at], channel, *others[at:]]
    sep = draw(st.sampled_from([" and ", " AND ", "\n  and ", " And "]))
    return sep.join(parts)


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
            try:
                conn.execute(f'CREATE DATABASE "{DIFF_DB}" ENCODING \'UTF8\'')
            except psycopg.errors.DuplicateDatabase:
                pass
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
        """The ids, through ``segdsl.engines.audience`` (bind parameters)."""
        return set(audience(rule, db=self.engine, now=NOW))

    def audience_inline(self, rule: str) -> set[int]:
        """The ids, running the SQL text that ``segdsl compile`` prints (literals inline)."""
        return {int(row[0]) for row in self.engine.query(self.sql(rule))}

    def sql(self, rule: str) -> str:
        return str(segdsl.compile(rule, dialect=self.engine.dialect, now=NOW))


def _backend(name: str, engine: Engine) -> Backend:
    create_schema(engine, drop=True)
    settings = default_settings()
    dialect = rules_for(engine.dialect).sqlglot
    deletes = []
    for role in ROLES:
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


def open_server(name: str) -> Backend:
    """PostgreSQL or MariaDB, on the dedicated database (raises EngineError when unreachable)."""
    try:
        url = _ensure_pg_database(PG_ADMIN) if name == "postgres" else _ensure_mysql_database(MYSQL_ADMIN)
    except EngineError:
        raise
    except Exception as exc:  # the driver's own error: the server is not there
        raise EngineError(f"{name}: {' '.join(str(exc).split())}") from exc
    engine = connect(url)
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


